"""What an element says about itself: its marks, whether it is shown, where it sits."""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html
from lxml import etree


def text_content(element: lxml.html.HtmlElement) -> str:
    """`element.text_content()` as a plain string, at about three fifths of its cost.

    lxml.html's `text_content()` evaluates the XPath `string()` on the element, which is
    libxml2's content of the node (the text of its text and CDATA descendants, in document
    order: no comment's or processing instruction's), and wraps it in a "smart" string that
    knows its element; the XPath machinery, not the text, is most of the cost (2.2 against
    1.3 us an element on the dev pages). The text serialisation reads the same content of the
    node (`xmlNodeBufGetContent`) without it. tests/test_text_content.py holds the two together
    on every element of the fixture pages.
    """
    return etree.tostring(element, method="text", encoding=str, with_tail=False)


# Every class and every id value of a tree, as plain strings: searched in Python, they are
# cheaper than an XPath contains() per word, which casts each value to a new string each time.
CLASS_VALUES = etree.XPath("//@class", smart_strings=False)
ID_VALUES = etree.XPath("//@id", smart_strings=False)
# Class words of other stories' blocks and of comments ("related-posts", "comment-list").
OTHER_STORIES = re.compile(r"comment|related|teaser|recirc|recommend", re.IGNORECASE)
# Containers of other stories, comments and site furniture around the article.
_NOT_THE_ARTICLE = re.compile(rf"{OTHER_STORIES.pattern}|footer|sidebar|newsletter", re.IGNORECASE)


def marks(node: lxml.html.HtmlElement) -> str:
    """The class, id and data-* values of an element: where CMSs say what a part is."""
    values = [node.get("class") or "", node.get("id") or ""]
    values += [v for k, v in node.attrib.items() if k.startswith("data-")]
    return " ".join(values)


# Compiled once: `node.xpath(text)` compiles its expression on every call (~700 calls on 100
# pages, from the headline and byline readers).
_HIDDEN = etree.XPath(
    "boolean(ancestor-or-self::*[@hidden or @aria-hidden='true' or self::noscript])"
)


def is_hidden(node: lxml.html.HtmlElement) -> bool:
    """The element or an ancestor is hidden, aria-hidden or inside <noscript>."""
    return bool(_HIDDEN(node))


def is_outside_article(
    node: lxml.html.HtmlElement,
    *,
    itself: bool = False,
    article_regions: frozenset[lxml.html.HtmlElement] = frozenset(),
) -> bool:
    """The element sits in a footer, aside or nav, or in a block of comments or teasers
    (`itself`: or is one).

    `article_regions`: elements known to hold the article (the headline's ancestors, see
    `headline_regions`), whose class names describe a layout ("m-article--sidebar-right",
    "max-w-[--sidebar-width]") or the article itself (a newsletter's issue,
    "newsletter-details-wrapper"), not a block beside it."""
    nodes = node.iterancestors() if not itself else [node, *node.iterancestors()]
    return any(
        a.tag in ("footer", "aside", "nav")
        or (
            a.tag not in _PAGE_ROOTS
            and a not in article_regions
            and _NOT_THE_ARTICLE.search((a.get("class") or "") + " " + (a.get("id") or ""))
        )
        for a in nodes
    )


def headline_regions(tree: lxml.html.HtmlElement) -> frozenset[lxml.html.HtmlElement]:
    """The first H1's ancestors: containers that hold the article's headline are the
    article's own, whatever their class names say."""
    h1 = next(tree.iterfind(".//body//h1"), None)
    return frozenset(h1.iterancestors()) if h1 is not None else frozenset()


# The whole page: a theme's flags on <body> ("content-sidebar has-sidebar comments-open")
# describe the layout, not a region around the element.
_PAGE_ROOTS = ("body", "html")


# Text of the page's body in document order, without scripts and styles.
BODY_TEXTS = etree.XPath(
    "//body//text()[normalize-space()][not(ancestor::script or ancestor::style or ancestor::noscript)]"
)
# A text of the body, the element that holds it, and whether it is a tail (after a child).
BodyText = tuple[str, lxml.html.HtmlElement | None, bool]


def body_texts(tree: lxml.html.HtmlElement) -> Iterator[BodyText]:
    """The texts BODY_TEXTS selects, each with the element that holds it (a tail's is its
    element's parent)."""
    for text in BODY_TEXTS(tree):
        parent = text.getparent()
        yield (
            text,
            parent.getparent() if text.is_tail and parent is not None else parent,
            text.is_tail,
        )


# A text this long is the article's first paragraph: the header (headline, byline, date)
# ends there.
FIRST_PARAGRAPH_CHARS = 150


def in_headline(node: lxml.html.HtmlElement) -> bool:
    """The element is an H1 or inside one."""
    return node.tag == "h1" or any(a.tag == "h1" for a in node.iterancestors("h1"))


def header_lines(tree: lxml.html.HtmlElement) -> list[tuple[str, lxml.html.HtmlElement]]:
    """The short texts between the page's first H1 and its first paragraph, each with the
    element that holds it: where a page prints its byline and date under the headline."""
    lines: list[tuple[str, lxml.html.HtmlElement]] = []
    if next(tree.iter("h1"), None) is None:
        return lines  # no headline for the lines to follow: the texts need not be read
    after_headline = False
    for text, node, _ in body_texts(tree):
        if node is None:
            continue
        inside = in_headline(node)
        if not after_headline or inside:
            after_headline = after_headline or inside
            continue
        line = " ".join(text.split())
        if len(line) >= FIRST_PARAGRAPH_CHARS:
            break
        lines.append((line, node))
    return lines
