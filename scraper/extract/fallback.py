"""trafilatura's own metadata readers, asked only for what our stages did not find.

Its full metadata pass costs about a quarter of a page's extraction time (htmldate's extensive
search alone ~190 ms on the pages that reached it); most pages need none of it, and a page
without an author, a date or a title needs only that one reader.
"""

from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import urlsplit

import lxml.html
from htmldate import find_date
from lxml import etree
from trafilatura.metadata import extract_author, extract_title
from trafilatura.settings import set_date_params

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
# The values of those attributes as plain strings, tested in Python with one expression: an
# XPath `contains()` casts the attribute to a new string for each word it tests (fourteen per
# attribute here), and testing the words that way cost 4.2 ms a page against 1.2.
_AUTHOR_ATTRIBUTE_VALUES = etree.XPath(
    " | ".join(f"//@{name}" for name in _AUTHOR_ATTRIBUTES), smart_strings=False
)
_AUTHOR_WORD = re.compile("|".join(re.escape(word) for word in _AUTHOR_WORDS))
_AUTHOR_ELEMENTS = etree.XPath("boolean(//author | //rel)")


def has_author_markup(tree: lxml.html.HtmlElement) -> bool:
    """False when trafilatura's author reader can find nothing on the page (see
    _AUTHOR_WORDS)."""
    # (No word holds a line break, so none matches across two joined values.)
    values = "\n".join(_AUTHOR_ATTRIBUTE_VALUES(tree))
    return _AUTHOR_WORD.search(values) is not None or bool(_AUTHOR_ELEMENTS(tree))


class TrafilaturaFallback:
    """Lazy, cached readings of one page by trafilatura (each reader copies what it prunes)."""

    def __init__(self, doc: PageDocument) -> None:
        self.doc = doc

    @cached_property
    def author(self) -> str | None:
        """Names from the page's author elements, ";"-separated (extract_author copies)."""
        if not has_author_markup(self.doc.tree):
            return None
        return extract_author(self.doc.tree)

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
