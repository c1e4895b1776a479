"""Headings set inside a link: the titles of cards that open another story of the site.

A "related stories" strip or a grid of teasers writes each card as one link around its picture
and its heading (`<a href="/other-story"><h2>Headline</h2></a>`, also with the date and an
excerpt inside). trafilatura keeps such a heading as a line of its own, and the link-block
rule never sees it: link ratios are measured on paragraphs, list items and cells, not on
headings (live blogs and long reads link their own section headings, `body._BLOCK_TAGS`),
and the card's block holds the date and the excerpt beside the heading.

Only a heading inside the link counts. A heading that holds a link (`<h2><a>…</a></h2>`) is
how listicles and guides link each section's subject, and the WCXB gold keeps those (a
ranking's "1. Harvard Business School", a guide's "Chapter 3: Keyword Research"): taking them
too cost wcxb-dev's check half 0.0005 of F1 (2026-12-07, branch `q10`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import lxml.html

from scraper.extract.elements import text_content
from scraper.extract.text import fold

# h1 is left out: a site's logo or the article's own headline, linked to the page itself.
_HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")
# A card's title is a sentence of a few words; a shorter linked heading is a name or a label
# (the same bounds as the link-block rule's teasers).
_MIN_WORDS = 4
_MAX_CHARS = 300


def teaser_heading_keys(
    tree: lxml.html.HtmlElement,
    keys: Collection[str],
    opens_another_page: Callable[[str], bool],
) -> set[str]:
    """The folded texts among `keys` of headings that sit inside a link to another page of
    the site, `opens_another_page(href)` saying which addresses are such pages."""
    found: set[str] = set()
    if not keys:
        return found
    for heading in tree.iter(*_HEADING_TAGS):
        link = next(heading.iterancestors("a"), None)
        if link is None:
            continue
        key = fold(text_content(heading))
        if not key or key not in keys or len(key) > _MAX_CHARS:
            continue
        if len(key.split()) < _MIN_WORDS:
            continue
        if opens_another_page(link.get("href") or ""):
            found.add(key)
    return found
