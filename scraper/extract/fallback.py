"""trafilatura's own metadata readers, asked only for what our stages did not find.

Its full metadata pass costs about a quarter of a page's extraction time (htmldate's extensive
search alone ~190 ms on the pages that reached it); most pages need none of it, and a page
without an author, a date or a title needs only that one reader.
"""

from __future__ import annotations

import re
from copy import deepcopy
from functools import cached_property
from urllib.parse import urlsplit

import lxml.html
from htmldate import find_date
from lxml import etree
from trafilatura.baseline import block_text
from trafilatura.metadata import extract_title, normalize_authors
from trafilatura.settings import set_date_params
from trafilatura.utils import line_processing, trim
from trafilatura.xml import delete_element

from scraper.extract.document import PageDocument

# What trafilatura's author reader (extract_author, 2.x) can find: an element whose class, id,
# rel, itemprop, data-testid or data-component holds one of these words (every test of its
# AUTHOR_XPATHS names one: "author", "AuthorCard", "[Bb]yline", "BBL", "screenname", ...), an
# <author> element, or a <rel> child ("rel='me'"). It looks on a copy of the page with comments,
# dates and figures removed, where nothing can match that did not on the page itself: most pages
# that reach it (no byline anywhere else) have no such element, and then its copy and its
# expressions (about 10 ms) are spared.
_AUTHOR_WORDS = (
    "uthor", "byl", "Byl", "BBL", "username", "screenname", "writer", "zuozhe", "bianji",
    "xiaobian", "channel-name", "submitted-by", "posted-by", "journalist-name",
)  # fmt: skip
_AUTHOR_ATTRIBUTES = ("class", "id", "rel", "itemprop", "data-testid", "data-component")
# The values of each of those attributes as plain strings, searched in Python: an XPath
# `contains()` casts the attribute to a new string for each word it tests (fourteen per
# attribute here), and testing the words that way cost 4.2 ms a page against 1.2. One
# expression per attribute, since the union of the six made libxml2 sort every value of the
# page into document order, and most pages that hold a word hold it in a class; each word is
# looked for with `in`, where a regular expression of the fourteen alternatives cost half as
# much as fetching the values (0.46 -> 0.25 ms a page where the test runs).
_AUTHOR_ATTRIBUTE_VALUES = tuple(
    etree.XPath(f"//@{name}", smart_strings=False) for name in _AUTHOR_ATTRIBUTES
)
_AUTHOR_WORD = re.compile("|".join(re.escape(word) for word in _AUTHOR_WORDS))
_AUTHOR_ELEMENTS = etree.XPath("boolean(//author | //rel)")


def has_author_markup(tree: lxml.html.HtmlElement) -> bool:
    """False when trafilatura's author reader can find nothing on the page (see
    _AUTHOR_WORDS)."""
    for attribute_values in _AUTHOR_ATTRIBUTE_VALUES:
        # (No word holds a line break, so none matches across two joined values.)
        values = "\n".join(attribute_values(tree))
        if any(word in values for word in _AUTHOR_WORDS):
            return True
    return bool(_AUTHOR_ELEMENTS(tree))


# trafilatura's author reader (`trafilatura.metadata.extract_author`, 2.x) prunes a deep copy of
# the page with AUTHOR_DISCARD_XPATHS, then takes the first text of 3 to 119 characters among the
# elements of each of its three AUTHOR_XPATHS in turn. Its expressions call Python's `re.search`
# from libxml2 for every element and cast each attribute to a new string per test: on the pages
# that reach it, the copy, the pruning and the expressions cost about 2, 6 and 10 ms. The same
# tests run in Python, on the few elements that hold one of their words, give the same elements
# in the same order (tests/test_fallback.py holds each to its expression, word for word).
# Expression 1's, for a, address, div, link, p, span and strong (with the <author> elements):
NAME_CLASS = re.compile("author-?name|AuthorName|authorName")
_NAME_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_NAME_VALUES = (
    ("rel", "author"), ("id", "author"), ("class", "author"), ("itemprop", "author name"),
    ("data-testid", "AuthorCard"), ("data-testid", "AuthorURL"),
)  # fmt: skip
# Expression 2's, for a, div, h3, h4, p and span:
BYLINE_ID = re.compile("author|zuozhe|bianji|xiaobian")
BYLINE_CLASS = re.compile(
    "author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_BYLINE_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
_BYLINE_CLASSES = frozenset({"byline", "username", "byl", "BBL"})
# Expression 3's, for any element:
ANY_ID = re.compile("[Aa]uthor")
ANY_CLASS = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")
# AUTHOR_DISCARD_XPATHS: these a, div, section and span below the root, then every <time> and
# <figure>; only those around an element of the three expressions are tested.
DISCARD_ID = re.compile("^comments|comment-?list|ProductReviews")
DISCARD_CLASS = re.compile(
    "^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram"
    "|article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
_DISCARD_CLASSES = frozenset({"comments", "title", "date"})
# The elements any of the three expressions can select: those with one of _AUTHOR_WORDS in an
# attribute they read (see has_author_markup), the <author> elements and the parents of <rel>
# elements (expression 1's `rel='me'` is a child element's text). The attributes are fetched
# with their elements and searched in Python: an expression testing the words with contains()
# costs twice as much, even for the one or two words a page holds.
_AUTHOR_ATTRIBUTE_NODES = etree.XPath(" | ".join(f"//@{name}" for name in _AUTHOR_ATTRIBUTES))
_AUTHOR_OR_REL_PARENTS = etree.XPath("//author | //rel/..")


def _author_word_elements(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The elements any of AUTHOR_XPATHS can select, in document order."""
    # (attribute nodes come in document order, an element's together)
    found = dict.fromkeys(
        value.getparent() for value in _AUTHOR_ATTRIBUTE_NODES(tree) if _AUTHOR_WORD.search(value)
    )
    more = [element for element in _AUTHOR_OR_REL_PARENTS(tree) if element not in found]
    if not more:
        return list(found)
    found.update(dict.fromkeys(more))
    order = {element: place for place, element in enumerate(tree.iter())}
    return sorted(found, key=order.__getitem__)


def author_candidates(
    tree: lxml.html.HtmlElement,
) -> tuple[list[lxml.html.HtmlElement], list[lxml.html.HtmlElement], list[lxml.html.HtmlElement]]:
    """The elements each of AUTHOR_XPATHS selects on `tree` (the page's root element)."""
    names: list[lxml.html.HtmlElement] = []
    bylines: list[lxml.html.HtmlElement] = []
    others: list[lxml.html.HtmlElement] = []
    for element in _author_word_elements(tree):
        tag = element.tag
        get = element.get
        class_, id_, itemprop = get("class"), get("id"), get("itemprop")
        if tag == "author" or (
            tag in _NAME_TAGS
            and (
                any(get(name) == value for name, value in _NAME_VALUES)
                or any(rel.text_content() == "me" for rel in element.iterchildren("rel"))
                or (class_ is not None and NAME_CLASS.search(class_) is not None)
            )
        ):
            names.append(element)
        if tag in _BYLINE_TAGS and (
            class_ in _BYLINE_CLASSES
            or (itemprop is not None and "author" in itemprop)
            or (id_ is not None and BYLINE_ID.search(id_) is not None)
            or (class_ is not None and BYLINE_CLASS.search(class_) is not None)
        ):
            bylines.append(element)
        component = get("data-component")
        if (
            (component is not None and "Byline" in component)
            or (itemprop is not None and "author" in itemprop)
            or (id_ is not None and ANY_ID.search(id_) is not None)
            or (class_ is not None and ANY_CLASS.search(class_) is not None)
        ):
            others.append(element)
    return names, bylines, others


def author_pruning_pass(element: lxml.html.HtmlElement, root: lxml.html.HtmlElement) -> int | None:
    """Which of AUTHOR_DISCARD_XPATHS selects `element` of the page `root` (0 or 1), or None."""
    tag = element.tag
    if tag in ("time", "figure"):
        return 1
    if tag not in _DISCARD_TAGS or element is root:
        return None
    get = element.get
    class_, id_, component = get("class"), get("id"), get("data-component")
    if (
        id_ == "comments"
        or class_ in _DISCARD_CLASSES
        or (id_ is not None and DISCARD_ID.search(id_) is not None)
        or (class_ is not None and DISCARD_CLASS.search(class_) is not None)
        or (component is not None and "Figure" in component)
    ):
        return 0
    return None


# extract_author's limit on a name's length (its len_limit).
_MAX_AUTHOR_CHARS = 120


def markup_author(tree: lxml.html.HtmlElement) -> str | None:
    """`trafilatura.metadata.extract_author(tree)` without its copy of the page: the same
    answer (tests/test_fallback.py) for `tree`, the page's root element.

    Its pruning only changes the text of the elements around the ones it removes: an element
    removed, or inside one removed, is not on the copy; any other reads as its own text less
    that of the removed elements below it (a removed element's tail joins the text before it,
    inside the element). So an element with none below it is read as it is, and another from a
    copy of it alone, pruned as trafilatura prunes (the first expression's, then the second's,
    each in document order; one inside another removed one goes with it).
    """
    passes: dict[lxml.html.HtmlElement, int | None] = {}

    def pruning_pass(element: lxml.html.HtmlElement) -> int | None:
        if element not in passes:
            passes[element] = author_pruning_pass(element, tree)
        return passes[element]

    for candidates in author_candidates(tree):
        for element in candidates:
            if pruning_pass(element) is not None or any(
                pruning_pass(a) is not None for a in element.iterancestors()
            ):
                continue
            inside = [
                (rank, order, e)
                for order, e in enumerate(element.iterdescendants())
                if (rank := pruning_pass(e)) is not None
            ]
            if inside:
                copied = deepcopy(element)
                twins = dict(zip(element.iter(), copied.iter(), strict=True))
                for _, _, removed in sorted(inside, key=lambda item: item[:2]):
                    delete_element(twins[removed])
                element = copied
            content = trim(" ".join(element.itertext()))
            if content and 2 < len(content) < _MAX_AUTHOR_CHARS:
                return normalize_authors(None, content)
    return None


# trafilatura's category reader (`trafilatura.metadata.extract_catstags("category", tree)`, 2.x)
# takes the texts of the links whose address holds "/categor(y|ies|s)?/" inside the blocks of
# the first of its CATEGORIES_XPATHS that holds one, else the head's article:section and
# *subject* meta tags. Its first expression calls Python's `re.search` from libxml2 on every
# <div>, and the six walk the page in turn: 2.6 ms a page that reaches it. Only the few links
# with such an address can be read, so the blocks are looked for among their ancestors: each
# expression's test of a block, in Python (tests/test_fallback.py holds the answer to
# extract_catstags' on every fixture page and on a block of each expression).
_CATEGORY_HREF = re.compile("/categor(?:y|ies|s)?/")
_META_BLOCK_CLASS = re.compile(
    "^(?:post-?info|post-?meta|meta|entry-meta|entry-info|entry-utility)"
)
_CATEGORY_ITEM_CLASSES = frozenset({"post-category", "postcategory", "entry-category"})
_SECTION_META_TAGS = etree.XPath(
    './/head//meta[@property="article:section" or contains(@name, "subject")][@content]'
)


def category_block_kind(element: lxml.html.HtmlElement) -> int | None:
    """Which of CATEGORIES_XPATHS (0 to 5) selects the links inside `element`, the first that
    does, or None."""
    tag = element.tag
    class_ = element.get("class") or ""
    if tag == "div" and (
        _META_BLOCK_CLASS.search(class_) is not None
        or (element.get("id") or "").startswith("postpath")
    ):
        return 0
    if tag == "p" and (
        class_.startswith(("postmeta", "entry-categories"))
        or class_ == "postinfo"
        or element.get("id") == "filedunder"
    ):
        return 1
    if tag == "footer" and class_.startswith(("entry-meta", "entry-footer")):
        return 2
    if tag in ("li", "span") and (class_ in _CATEGORY_ITEM_CLASSES or "cat-links" in class_):
        return 3
    if tag == "header" and class_ == "entry-header":
        return 4
    if tag == "div" and class_ in ("row", "tags"):
        return 5
    return None


def markup_categories(tree: lxml.html.HtmlElement) -> list[str]:
    """`trafilatura.metadata.extract_catstags("category", tree)` for `tree`, the page's root
    element: the same names in the same order."""
    kinds: dict[lxml.html.HtmlElement, int | None] = {}
    # The links each expression selects, by expression, in document order.
    selected: dict[int, list[lxml.html.HtmlElement]] = {}
    for link in tree.iter("a"):
        href = link.get("href")
        # (the substring first: most links hold none, and most pages no such link; reading
        # the page's links this way answers what a test for category sources before the
        # reader did, 0.41 -> 0.23 ms a page with the reader)
        if href is None or "/categor" not in href or _CATEGORY_HREF.search(href) is None:
            continue
        found: set[int] = set()
        for block in link.iterancestors():
            if block not in kinds:
                kinds[block] = category_block_kind(block)
            kind = kinds[block]
            if kind is not None:
                found.add(kind)
        for kind in found:
            selected.setdefault(kind, []).append(link)
    # (the first expression with a link ends the search, even where no link has a text)
    if selected:
        results = [block_text(link) for link in selected[min(selected)]]
    else:
        results = [meta.attrib["content"] for meta in _SECTION_META_TAGS(tree)]
    return [r for r in dict.fromkeys(line_processing(x) for x in results if x) if r]


class TrafilaturaFallback:
    """Lazy, cached readings of one page by trafilatura (each reader copies what it prunes)."""

    def __init__(self, doc: PageDocument) -> None:
        self.doc = doc

    @cached_property
    def author(self) -> str | None:
        """Names from the page's author elements, ";"-separated, as trafilatura's
        extract_author reads them (see markup_author)."""
        if not has_author_markup(self.doc.tree):
            return None
        return markup_author(self.doc.tree)

    @cached_property
    def date(self) -> str | None:
        """The publication date htmldate finds (original date; its quick search: the extensive
        one costs ~100 ms a page and found no more dates on the dev sets). htmldate copies a
        tree it is given before it prunes it."""
        params = set_date_params(False)
        found = find_date(self.doc.tree, url=self.doc.url, **params)
        return found if isinstance(found, str) else None

    @cached_property
    def title(self) -> str | None:
        """trafilatura's title from the markup: the only H1, title-like elements, <title>."""
        return extract_title(self.doc.tree) or None


_ARCHIVED = re.compile(r"https?://web\.archive\.org/web/\d+[a-z_]*/+(https?://.+)", re.IGNORECASE)


def address_site_name(url: str | None) -> str | None:
    """The site's name when the page states none: its address's host, as trafilatura's
    metadata names such a site ("www." and "w3." dropped)."""
    # An archived copy is the archived site's page, not the archive's ("web.archive.org/web/
    # 20200101000000/https://paper.example/story").
    archived = _ARCHIVED.match(url or "")
    host = urlsplit(archived.group(1) if archived else url or "").hostname or ""
    if host.startswith("www.") or (host[:1] == "w" and host[1:].partition(".")[0].isdigit()):
        host = host.partition(".")[2]
    return host or None
