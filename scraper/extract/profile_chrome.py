"""A site's own chrome, named by its profile: elements removed before extraction reads the page,
and lines of the site's own wording removed from its text.

The generic stages find most chrome by themselves; a profile names what one site keeps getting
wrong (a Wix "recent posts" strip, a share bar inside the article) and the lines only that
site prints ("Fehler gefunden? Jetzt melden."). Selectors are CSS, or XPath when they start
with `/` or `(` (`//div[@data-hook="post-footer"]`); lines are regexes matched against the
whole paragraph, case-insensitive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import lxml.html
from cssselect import GenericTranslator, SelectorError
from lxml import etree

from scraper.extract.trace import note, tracing


def is_xpath(selector: str) -> bool:
    """XPath selectors start with / or ( ; anything else is CSS."""
    return selector.lstrip().startswith(("/", "("))


@lru_cache(maxsize=256)
def compiled(selector: str) -> etree.XPath:
    """The selector as a compiled XPath (CSS is translated); raises ValueError when invalid."""
    try:
        expression = (
            selector.strip()
            if is_xpath(selector)
            else GenericTranslator().css_to_xpath(selector.strip())
        )
        return etree.XPath(expression)
    except (SelectorError, etree.XPathSyntaxError) as error:
        kind = "XPath" if is_xpath(selector) else "CSS selector"
        raise ValueError(f"invalid {kind} {selector!r}: {error}") from error


def selector_problem(selector: str) -> str | None:
    """Why `selector` cannot be used, or None when it can."""
    if not selector.strip():
        return "empty selector"
    try:
        compiled(selector)
    except ValueError as error:
        return str(error)
    return None


def drop_matching(tree: lxml.html.HtmlElement, selectors: list[str]) -> int:
    """Remove every element matching any selector (with its content, keeping the text after
    it); returns how many were removed."""
    removed = 0
    for selector in selectors:
        for node in compiled(selector)(tree):
            if not isinstance(node, etree._Element) or node is tree:
                continue
            parent = node.getparent()
            if parent is None:
                continue
            if tracing() and node.text_content().strip():
                note("markup", f"profile-chrome {selector}", "removed", node.text_content())
            node.drop_tree()
            removed += 1
    return removed


@dataclass(frozen=True)
class SiteChrome:
    """One site's chrome, as its profile names it."""

    site: str
    selectors: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()


@lru_cache(maxsize=256)
def _line_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:{pattern})\s*$", re.IGNORECASE)


def without_site_lines(paragraphs: list[str], chrome: SiteChrome) -> list[str]:
    """`paragraphs` without those a pattern of the site's `drop_lines` matches whole."""
    if not chrome.lines:
        return paragraphs
    patterns = [_line_pattern(p) for p in chrome.lines]
    kept = []
    for paragraph in paragraphs:
        if any(pattern.match(paragraph) for pattern in patterns):
            note("line", f"profile.{chrome.site}", "removed", paragraph)
        else:
            kept.append(paragraph)
    return kept
