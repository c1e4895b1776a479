"""Author names the page's markup gives: rel=author links, itemprop=author, byline blocks and
labelled bylines ("Von: <a>…</a>"). The names are cleaned here; choosing among these sources and
JSON-LD is the metadata stage's work."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from scraper.extract.authors import (
    clean_author_names,
    is_interface_credit,
    parse_byline,
    strip_byline_prefix,
)
from scraper.extract.dates import printed_date
from scraper.extract.elements import (
    FIRST_PARAGRAPH_CHARS,
    header_lines,
    is_hidden,
    is_outside_article,
    marks,
)
from scraper.extract.text import fold, squash
from scraper.extract.trace import note

# Meta names that carry the byline; "articleauthor" is common on Turkish news CMSs.
META_AUTHOR_KEYS = (
    "author",
    "article:author",
    "articleauthor",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
)
# Where a page's own byline sits: classes and ids naming it. Selecting on the attribute
# axis and checking case in Python is several times faster than translate() on every element.
_BYLINE_BLOCKS = etree.XPath(
    "//@class[contains(., 'uthor') or contains(., 'UTHOR') or contains(., 'yline') or contains(., 'YLINE')]/.."
    " | //@id[contains(., 'uthor') or contains(., 'UTHOR') or contains(., 'yline') or contains(., 'YLINE')]/.."
)
_BYLINE_MARK = re.compile(r"byline|author", re.IGNORECASE)
_AUTHOR_LINKS = etree.XPath("//@rel[contains(., 'author')]/.. | //@itemprop[. = 'author']/..")
# Links in a byline block that lead to a section, not to an author page (LBCI's category).
_SECTION_LINK = re.compile(
    r"/(?:categor|tags?/|topics?/|section|rubri|ressort|thema)", re.IGNORECASE
)


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "//", "www."))


def _until_repeat(names: list[str]) -> list[str]:
    """Names up to the first one seen again: the article's byline is the first on the page,
    and a later repeat starts the next byline (a teaser list, or the mobile copy)."""
    seen: list[str] = []
    for name in names:
        if fold(name) in {fold(n) for n in seen}:
            break
        seen.append(name)
    return seen


def linked_authors(tree: lxml.html.HtmlElement) -> list[str]:
    """rel=author links and itemprop=author names, the article's own byline first."""
    texts: list[str] = []
    for node in _AUTHOR_LINKS(tree):
        if node.get("itemprop") == "author":
            named = node.xpath(".//*[@itemprop='name']")
            if len(node):
                node = named[0] if named else None
        elif node.tag != "a" or "author" not in (node.get("rel") or "").split():
            continue
        if node is not None and not is_outside_article(node):
            texts.append(squash(node.get("content") or node.text_content()))
    return _until_repeat([t for t in texts if t])


def byline_block_authors(tree: lxml.html.HtmlElement, publishers: list[str]) -> list[str]:
    """Names in the first visible byline block: its links when it has them (the author
    pages), else its text ("By A and B")."""
    for node in _BYLINE_BLOCKS(tree):
        if node.tag in ("script", "style", "meta", "link", "img", "body", "html"):
            continue
        if not _BYLINE_MARK.search(marks(node)) or is_hidden(node) or is_outside_article(node):
            continue
        text = squash(" ".join(node.xpath(".//text()[not(ancestor::script or ancestor::style)]")))
        if not text:
            continue
        if len(text) > _MAX_BYLINE_CHARS:
            # An author box with the author's biography: its name is its heading or the
            # element its class names so ("<h4>Bence Kovács</h4><p>Bence is a …</p>"). A
            # longer block is a region of the page that a class names after its author.
            names = _author_box_name(node, publishers) if len(text) <= _MAX_BOX_CHARS else []
            if names:
                return names
            continue
        anchors = list(node.iterfind(".//a"))
        links = [
            squash(a.text_content())
            for a in anchors
            if not _SECTION_LINK.search(a.get("href") or "")
        ]
        links = [t for t in links if t and not is_url(t)]
        if anchors and not links:
            continue
        names = clean_author_names(links or [text], publishers, keep_publishers=True)
        if names:
            return names
    return []


_MAX_BYLINE_CHARS = 150
_MAX_BOX_CHARS = 1000
_BOX_NAME = etree.XPath(
    ".//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::strong"
    " or contains(@class, 'name') or contains(@class, 'Name')]"
)


def _author_box_name(box: lxml.html.HtmlElement, publishers: list[str]) -> list[str]:
    """The name an author box gives in its heading or name element, when it is a name."""
    for element in _BOX_NAME(box):
        line = squash(element.text_content())
        if not _NAME_LINE.fullmatch(line) or is_interface_credit(line):
            continue
        names = clean_author_names([line], publishers)
        # The whole line is the name: "Author Spotlight" is the box's title, not "Spotlight".
        if names and fold(names[0]) == fold(line):
            note("authors", "author-box-name", "chose", names[0])
            return names
    return []


# Short text nodes: where a byline label stands alone ("Von:"), its names in the elements
# after it, or a whole byline in an element no class marks ("Written by John Crenshaw").
# Blank ones hold no label. The label is looked for in the texts as plain strings; the nodes,
# strings that know their element (twice the cost), are fetched only on the pages that have one
# (about a quarter of those that ask): 1.1 -> 0.5 ms a page where the reader runs.
_SHORT_TEXTS_PATH = "//text()[normalize-space()][string-length(normalize-space()) < 60]"
_SHORT_TEXTS = etree.XPath(_SHORT_TEXTS_PATH)
_SHORT_TEXT_STRINGS = etree.XPath(_SHORT_TEXTS_PATH, smart_strings=False)
# A byline label with its verb ("Written by", "Verfasst von", "Escrito por").
_WRITTEN_BY = re.compile(
    r"(?:written|posted|reported|geschrieben|verfasst|escrito|escrita|écrit|publié|scritto)"
    r"\s+(?:by|von|por|par|da)\b",
    re.IGNORECASE,
)
# "Elise Mandl, BSc, APD": degrees and acronyms after the name are not people.
_CREDENTIAL = re.compile(r"[A-Za-z]{1,4}\.?")


def is_byline_label(text: str) -> bool:
    """The text is a byline label alone ("Von:", "By"), or a labelled byline with its verb
    ("Written by Cassidy Horton"): a label with its names in one text needs the verb, since
    "By Category" and "Photos de Bavière" are a menu's and a caption's words."""
    line = text.strip()
    rest, labelled = strip_byline_prefix(line + " ")
    return labelled and (not rest.strip() or _WRITTEN_BY.match(line) is not None)


def labelled_byline_authors(tree: lxml.html.HtmlElement, publishers: list[str]) -> list[str]:
    """Names after a byline label in an element no class marks as a byline:
    `<li>Von: <a>Bill McCarthy</a>, <a>Marisha Goldhamer</a></li>`, `<h3>Written by Cassidy
    Horton</h3>`. Only looked for when no other source names anyone (it walks every short
    text node)."""
    labelled = [
        place for place, text in enumerate(_SHORT_TEXT_STRINGS(tree)) if is_byline_label(text)
    ]
    if not labelled:
        return []
    texts = _SHORT_TEXTS(tree)  # (the same texts, in the same order)
    seen: set[lxml.html.HtmlElement] = set()
    for place in labelled:
        names = labelled_element_names(texts[place], seen, publishers)
        if names is not None:
            return names
    return []


def labelled_element_names(
    text: etree._ElementUnicodeResult, seen: set[lxml.html.HtmlElement], publishers: list[str]
) -> list[str] | None:
    """The names of the element whose label is the short text node `text` (a text, or the
    tail of the element before it), cleaned; None when the element gives no byline: already
    read (`seen`, which this adds to), a script's or the page's own text, hidden, outside the
    article, or naming no one."""
    node = text.getparent()
    if node is not None and text.is_tail:
        node = node.getparent()
    if node is None or node in seen or node.tag in ("script", "style", "body", "html"):
        return None
    seen.add(node)
    if is_hidden(node) or is_outside_article(node):
        return None
    names = parse_byline(squash(node.text_content()))
    if not names:
        return None
    return [n for n in clean_author_names(names, publishers) if not _CREDENTIAL.fullmatch(n)]


# A person's name as a line of its own: two to four capitalised words (initials and name
# particles allowed), nothing else.
_NAME_PARTICLE = r"(?:van|von|de|der|den|da|del|della|di|du|la|le|bin|al|y)"
_NAME_WORD = rf"(?:[A-ZÀ-ÞĀ-Ž][\w'’.-]*|{_NAME_PARTICLE})"
_NAME_LINE = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}")
# Links to the author's own page.
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|autor(?:en|in)?|auteurs?|people|person|profiles?|writers?|contributors?|"
    r"staff|users?|members?|team)/",
    re.IGNORECASE,
)
# How far up a name and its dateline may share a block, and how much text that block holds.
_BYLINE_BOX_LEVELS = 3


def _is_dateline_beside(node: lxml.html.HtmlElement) -> bool:
    """A printed date shares a small block with the element ("Jack Shepherd · Dec 4, 2025")."""
    box = node
    for _ in range(_BYLINE_BOX_LEVELS):
        box = box.getparent()
        if box is None or len(squash(box.text_content())) >= FIRST_PARAGRAPH_CHARS:
            return False
        if any(printed_date(squash(t)) for t in box.itertext() if t.strip()):
            return True
    return False


def _name_evidence(line: str, node: lxml.html.HtmlElement, portraits: set[str]) -> str | None:
    """Why a name-shaped line under the headline is the byline, or None."""
    link = node if node.tag == "a" else next(node.iterancestors("a"), None)
    if link is not None:
        # A link to anything but an author page is a section or a tag ("Smart Home").
        return "author-page link" if _AUTHOR_PAGE.search(link.get("href") or "") else None
    if fold(line) in portraits:
        return "portrait"
    if _is_dateline_beside(node):
        return "dateline beside it"
    return None


def header_name_authors(
    tree: lxml.html.HtmlElement, publishers: list[str], sections: list[str]
) -> list[str]:
    """A name on a line of its own under the headline, with no byline class or label, when
    the page shows it is the author's: it links to an author page, a portrait carries the
    same name, or the dateline stands beside it ("Jack Shepherd" over "Dec 4, 2025" on a
    site builder's blog). Only looked for when no other source names anyone."""
    section_keys = {fold(s) for s in sections}
    portraits: set[str] | None = None
    for line, node in header_lines(tree):
        if not _NAME_LINE.fullmatch(line) or is_interface_credit(line):
            continue
        link = node if node.tag == "a" else next(node.iterancestors("a"), None)
        if link is not None and _SECTION_LINK.search(link.get("href") or ""):
            continue
        if fold(line) in section_keys or is_outside_article(node, itself=True):
            continue
        names = clean_author_names([line], publishers)
        if not names:
            continue
        if portraits is None:
            portraits = {fold(img.get("alt")) for img in tree.iter("img") if img.get("alt")}
        evidence = _name_evidence(line, node, portraits)
        if evidence:
            note("authors", "name-under-headline", "chose", f"{names[0]} ({evidence})")
            return names[:1]
    return []


# Links to an author's page: a path segment or a query naming the author.
_AUTHOR_LINKS_BY_HREF = etree.XPath(
    "//a[contains(@href, 'author') or contains(@href, 'autor') or contains(@href, 'auteur')]"
)
_AUTHOR_HREF = re.compile(
    r"/(?:authors?|autor(?:en|in)?|auteurs?)/[^/?#]+/?(?:$|[?#])|[?&]_?author=", re.IGNORECASE
)


def author_page_authors(tree: lxml.html.HtmlElement, publishers: list[str]) -> list[str]:
    """The name of the article's first link to an author's page ("/author/amanda/",
    "?_author=John%20A.%20Alic"), whatever its class: themes link the byline there without
    marking it. Only looked for when no other source names anyone."""
    for link in _AUTHOR_LINKS_BY_HREF(tree):
        if not _AUTHOR_HREF.search(link.get("href") or "") or is_outside_article(link):
            continue
        text = squash(link.text_content())
        if not text or is_interface_credit(text):
            continue
        names = clean_author_names([text], publishers, keep_publishers=True)
        if names:
            note("authors", "author-page-link", "chose", names[0])
            return names[:1]
    return []
