"""The kinds of page a record can be, in a module of their own: the command line and the
settings name them without importing the extraction stack (trafilatura, lxml)."""

from __future__ import annotations

# What a page with a main text is. Crawls and datasets keep articles (`NEWSSCRAPE_PAGE_KINDS`);
# an explicit input (`get`, `extract`, the API) gives a record of any kind, so that a press
# release or a guide without a byline does not vanish.
ARTICLE, LISTING, OTHER = "article", "listing", "other"
PAGE_KINDS = (ARTICLE, LISTING, OTHER)
