"""The frames trafilatura's main extractor takes a page's text from (BODY_XPATH), found in
Python.

`_extract` (trafilatura/main_extractor.py) tries BODY_XPATH's five expressions in turn and takes
the first element each selects. Three of them test the class and id of every article, div, main
and section with Python regular expressions called from libxml2 (`re:test`), which casts each
attribute to a new string per test: about 3.5 ms a page for the three. Here the same elements are
walked in document order, each value read once as a plain string and tested with the same
patterns, and the walk stops at the first match: the element the expression's first result is.
(`.//*[test][1]` selects each parent's first matching child; the first of those in document
order is the first matching element.) The other two expressions test no regular expression and
stay XPath. tests/test_discard_rules.py holds each finder to its expression on every fixture
page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.html
from trafilatura.xpaths import (
    _ARTICLE_CONTENT_CLASS_TOKENS,
    _ARTICLE_CONTENT_ID_TOKENS,
    _MAIN_CONTENT_CLASS_TOKENS,
    _MAIN_CONTENT_ID_TOKENS,
    _STORY_CLASS_TOKENS,
    _STORY_ID_TOKENS,
    BODY_XPATH,
    _alt,
)

from scraper.extract.discard_rules import refuse_empty_matches

FrameFinder = Callable[[lxml.html.HtmlElement], lxml.html.HtmlElement | None]

_FRAME_TAGS = ("article", "div", "main", "section")

# BODY_XPATH[0]'s patterns, composed as trafilatura composes them (`_alt`).
ARTICLE_CONTENT_ID = re.compile(_alt(_ARTICLE_CONTENT_ID_TOKENS))
ARTICLE_CONTENT_CLASS = re.compile(_alt(_ARTICLE_CONTENT_CLASS_TOKENS))
# BODY_XPATH[2]'s.
STORY_ID = re.compile(_alt(_STORY_ID_TOKENS))
STORY_CLASS = re.compile(_alt(_STORY_CLASS_TOKENS))
FULLTEXT_CLASS = re.compile("fulltext", re.IGNORECASE)  # re:test(@class, 'fulltext', 'i')
# BODY_XPATH[3]'s.
MAIN_CONTENT_ID = re.compile(_alt(_MAIN_CONTENT_ID_TOKENS))
MAIN_CONTENT_CLASS = re.compile(_alt(_MAIN_CONTENT_CLASS_TOKENS))

# An element without an id or a class tests "" (XPath's string of no attribute); none of these
# patterns matches it, so such an element is only tested for the other conditions.
refuse_empty_matches(
    (
        ARTICLE_CONTENT_ID,
        ARTICLE_CONTENT_CLASS,
        STORY_ID,
        STORY_CLASS,
        FULLTEXT_CLASS,
        MAIN_CONTENT_ID,
        MAIN_CONTENT_CLASS,
    )
)


def _first(
    tree: lxml.html.HtmlElement, test: Callable[[lxml.html.HtmlElement], bool]
) -> lxml.html.HtmlElement | None:
    """The first article, div, main or section under `tree`, in document order, that passes."""
    for element in tree.iterdescendants(*_FRAME_TAGS):
        if test(element):
            return element
    return None


def _is_article_content(element: lxml.html.HtmlElement) -> bool:
    # @class='post' or @class='entry' or @itemprop='articleBody' or @id='articleContent' or
    # re:test(@id, ...) or re:test(@class, ...)
    id_value, class_value = element.get("id"), element.get("class")
    return (
        class_value in ("post", "entry")
        or element.get("itemprop") == "articleBody"
        or id_value == "articleContent"
        or (id_value is not None and ARTICLE_CONTENT_ID.search(id_value) is not None)
        or (class_value is not None and ARTICLE_CONTENT_CLASS.search(class_value) is not None)
    )


_STORY_CLASSES = ("postarea", "art-postcontent", "text", "cell", "story")


def _is_story(element: lxml.html.HtmlElement) -> bool:
    # @role='article' or @id='article' or @id='story' or @class='postarea' or ... or
    # re:test(@id, ...) or re:test(@class, 'fulltext', 'i') or re:test(@class, ...)
    id_value, class_value = element.get("id"), element.get("class")
    return (
        element.get("role") == "article"
        or id_value in ("article", "story")
        or class_value in _STORY_CLASSES
        or (id_value is not None and STORY_ID.search(id_value) is not None)
        or (
            class_value is not None
            and (
                FULLTEXT_CLASS.search(class_value) is not None
                or STORY_CLASS.search(class_value) is not None
            )
        )
    )


def _is_main_content(element: lxml.html.HtmlElement) -> bool:
    # @id='content' or @class='content' or re:test(@id, ...) or re:test(@class, ...) or
    # contains(translate(@id, 'CM','cm'), 'main-content') or (the same of @class) or
    # contains(translate(@class, 'CP','cp'), 'page-content')
    id_value, class_value = element.get("id") or "", element.get("class") or ""
    return (
        id_value == "content"
        or class_value == "content"
        or MAIN_CONTENT_ID.search(id_value) is not None
        or MAIN_CONTENT_CLASS.search(class_value) is not None
        or "main-content" in id_value.replace("C", "c").replace("M", "m")
        or "main-content" in class_value.replace("C", "c").replace("M", "m")
        or "page-content" in class_value.replace("C", "c").replace("P", "p")
    )


def _by_expression(index: int) -> FrameFinder:
    expression = BODY_XPATH[index]

    def find(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
        return next((s for s in expression(tree) if s is not None), None)

    return find


# BODY_XPATH, in its order: what `_extract` tries.
FRAME_FINDERS: tuple[FrameFinder, ...] = (
    lambda tree: _first(tree, _is_article_content),
    _by_expression(1),  # (.//article)[1]
    lambda tree: _first(tree, _is_story),
    lambda tree: _first(tree, _is_main_content),
    _by_expression(4),  # starts-with() of class, id, role; or the first <main>
)
