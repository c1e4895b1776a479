"""trafilatura's discard expressions for its main extractor, tested in Python on each element's
own tag and attributes.

`prune_unwanted_sections` (trafilatura/main_extractor.py) evaluates OVERALL_DISCARD_XPATH,
DISCARD_IMAGE_ELEMENTS and TEASER_DISCARD_XPATH (trafilatura/xpaths.py) on every frame it
extracts from. Their `re:test()` calls Python's `re.search` from libxml2 for every div, p,
section, span, item and list, several times each, and casts each attribute to a new string per
test: about 4 ms a page. Every test of these expressions reads only the element's own tag and
attributes, so one Python walk of the elements (0.3 ms) reading their attributes in source
order, with each distinct value tested once, gives the same elements in the same order.

What the XPath means, reproduced here:
- `re:test(@id|@class, pattern)`: lxml's EXSLT `re:test` takes the string of the node-set's
  first node, which for two attributes of one element is the one first in the source; and
  `re.search`, as Python does it (no flags: a pattern's case is its own).
- `re:test(@id, pattern)` on an element without an id tests "", which none of the patterns
  here matches (checked below), so an element without attributes matches nothing.
- `starts-with(@id|@class, 'reply-')`, `contains(translate(@role, 'N', 'n'), 'nav')`: the
  same first value; `@class='comments-title'`: equality with the value.
- the element-name tests (`self::div`, ...) compare the tag as it is, in no namespace.
tests/test_discard_rules.py holds the walk to the expressions themselves, text and result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml.etree import Element
from trafilatura.xpaths import (
    _AD_CLASS_TOKENS,
    _AUTHOR_CLASS_TOKENS,
    _CONSENT_CLASS_TOKENS,
    _CONSENT_ID_CLASS_TOKENS,
    _FOOTER_CLASS_TOKENS,
    _LEGACY_SITE_CLASS_TOKENS,
    _MISC_CLASS_TOKENS,
    _NAV_CLASS_TOKENS,
    _OVERALL_DISCARD_BOTH_TOKENS,
    _OVERALL_DISCARD_ID_TOKENS,
    _RELATED_CLASS_TOKENS,
    _SHARE_CLASS_TOKENS,
    _TAGS_CLASS_TOKENS,
    _UI_META_CLASS_TOKENS,
    _alt,
)

# The elements that OVERALL_DISCARD_XPATH's first expression, DISCARD_IMAGE_ELEMENTS and
# TEASER_DISCARD_XPATH consider (`self::div or self::item or ...`); the second expression of
# OVERALL_DISCARD_XPATH considers every element.
DISCARD_TAGS = frozenset({"div", "item", "list", "p", "section", "span"})


def refuse_empty_matches(patterns: tuple[re.Pattern[str], ...]) -> None:
    """RuntimeError if a pattern matches "": the walks here (and content_frames') test only the
    values an element has, where XPath also tests "" for a missing attribute. Not an assert:
    it must hold under -O."""
    for pattern in patterns:
        if pattern.search("") is not None:
            raise RuntimeError(f"{pattern.pattern!r} matches the empty string")


# OVERALL_DISCARD_XPATH[0]'s patterns, composed as trafilatura composes them (`_alt`).
BOILERPLATE_FIRST_ID_OR_CLASS = re.compile(_alt(_CONSENT_ID_CLASS_TOKENS))
BOILERPLATE_ID = re.compile(_alt(_OVERALL_DISCARD_BOTH_TOKENS + _OVERALL_DISCARD_ID_TOKENS))
BOILERPLATE_CLASS = re.compile(
    _alt(
        _OVERALL_DISCARD_BOTH_TOKENS
        + _NAV_CLASS_TOKENS
        + _AD_CLASS_TOKENS
        + _FOOTER_CLASS_TOKENS
        + _AUTHOR_CLASS_TOKENS
        + _SHARE_CLASS_TOKENS
        + _TAGS_CLASS_TOKENS
        + _CONSENT_CLASS_TOKENS
        + _RELATED_CLASS_TOKENS
        + _UI_META_CLASS_TOKENS
        + _MISC_CLASS_TOKENS
        + _LEGACY_SITE_CLASS_TOKENS
    )
)
# OVERALL_DISCARD_XPATH[1]'s patterns (literals in trafilatura's expression).
HIDDEN_FIRST_ID_OR_STYLE = re.compile("hidden")
HIDDEN_ID = re.compile("reader-comments|akismet")
HIDDEN_CLASS = re.compile(
    "^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print"
    "| hidden| hide|noprint|notloaded"
)

_PATTERNS = (
    BOILERPLATE_FIRST_ID_OR_CLASS,
    BOILERPLATE_ID,
    BOILERPLATE_CLASS,
    HIDDEN_FIRST_ID_OR_STYLE,
    HIDDEN_ID,
    HIDDEN_CLASS,
)
# An element without the attribute a test reads tests "": were "" to match, elements without
# attributes would match, and the walk below, which skips them, would be wrong.
refuse_empty_matches(_PATTERNS)


@dataclass
class DiscardMatches:
    """The elements each discard expression selects, each list in document order."""

    boilerplate: list[lxml.html.HtmlElement] = field(default_factory=list)  # OVERALL_..[0]
    hidden: list[lxml.html.HtmlElement] = field(default_factory=list)  # OVERALL_..[1]
    captions: list[lxml.html.HtmlElement] = field(default_factory=list)  # DISCARD_IMAGE_..
    teasers: list[lxml.html.HtmlElement] = field(default_factory=list)  # TEASER_DISCARD_..


class _ValueTests:
    """Each regular expression's answer for each distinct value, computed once per walk."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.search = pattern.search
        self.answers: dict[str, bool] = {}

    def __call__(self, value: str) -> bool:
        answer = self.answers.get(value)
        if answer is None:
            answer = self.answers[value] = self.search(value) is not None
        return answer


def discard_matches(tree: lxml.html.HtmlElement) -> DiscardMatches:
    """What OVERALL_DISCARD_XPATH's two expressions, DISCARD_IMAGE_ELEMENTS and
    TEASER_DISCARD_XPATH select under `tree` (its descendants, not itself)."""
    first_id_or_class = _ValueTests(BOILERPLATE_FIRST_ID_OR_CLASS)
    boilerplate_id, boilerplate_class = _ValueTests(BOILERPLATE_ID), _ValueTests(BOILERPLATE_CLASS)
    first_id_or_style = _ValueTests(HIDDEN_FIRST_ID_OR_STYLE)
    hidden_id, hidden_class = _ValueTests(HIDDEN_ID), _ValueTests(HIDDEN_CLASS)
    found = DiscardMatches()
    for element in tree.iterdescendants(Element):
        attributes = element.items()
        if not attributes:
            continue
        # The first value of each name (libxml2 keeps one; first as XPath's string() would).
        values: dict[str, str] = {}
        id_or_class = id_or_style = None
        for name, value in attributes:
            if name not in values:
                values[name] = value
            if id_or_class is None and (name == "id" or name == "class"):
                id_or_class = value
            if id_or_style is None and (name == "id" or name == "style"):
                id_or_style = value
        id_value = values.get("id")
        class_value = values.get("class")
        style = values.get("style")
        if element.tag in DISCARD_TAGS:
            if (
                "data-lp-replacement-content" in values
                or "nav" in values.get("role", "").replace("N", "n")
                or "MostPopularStories" in values.get("data-component", "")
                or (id_or_class is not None and first_id_or_class(id_or_class))
                or (id_value is not None and boilerplate_id(id_value))
                or (class_value is not None and boilerplate_class(class_value))
            ):
                found.boilerplate.append(element)
            if "caption" in (id_value or "") or "caption" in (class_value or ""):
                found.captions.append(element)
            if "teaser" in (id_value or "").replace("T", "t") or "teaser" in (
                class_value or ""
            ).replace("T", "t"):
                found.teasers.append(element)
        if (
            class_value == "comments-title"
            or (id_or_class is not None and id_or_class.startswith("reply-"))
            or (id_or_style is not None and first_id_or_style(id_or_style))
            or (style is not None and ("display:none" in style or "display: none" in style))
            or (id_value is not None and hidden_id(id_value))
            or (class_value is not None and hidden_class(class_value))
            or values.get("aria-hidden") == "true"
        ):
            found.hidden.append(element)
    return found
