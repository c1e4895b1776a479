"""Extraction, one module per stage: document -> metadata -> body -> article record.

The names below are loaded on first use: a module that needs one stage (the site profiles
read `profile_chrome`) must not import trafilatura and the whole stack with this package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scraper.extract.article import (
        Explanation,
        PageKind,
        analyse_page,
        build_record,
        explain_article,
        extract_article,
    )
    from scraper.extract.errors import ExtractionError, NotAnArticle, NotHTMLError
    from scraper.page_kinds import ARTICLE, LISTING, OTHER, PAGE_KINDS

_HOMES = {
    "ARTICLE": "scraper.page_kinds",
    "LISTING": "scraper.page_kinds",
    "OTHER": "scraper.page_kinds",
    "PAGE_KINDS": "scraper.page_kinds",
    "Explanation": "scraper.extract.article",
    "PageKind": "scraper.extract.article",
    "analyse_page": "scraper.extract.article",
    "build_record": "scraper.extract.article",
    "explain_article": "scraper.extract.article",
    "extract_article": "scraper.extract.article",
    "ExtractionError": "scraper.extract.errors",
    "NotAnArticle": "scraper.extract.errors",
    "NotHTMLError": "scraper.extract.errors",
}

__all__ = [
    "ARTICLE",
    "LISTING",
    "OTHER",
    "PAGE_KINDS",
    "Explanation",
    "ExtractionError",
    "NotAnArticle",
    "NotHTMLError",
    "PageKind",
    "analyse_page",
    "build_record",
    "explain_article",
    "extract_article",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
