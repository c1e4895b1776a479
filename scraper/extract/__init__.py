"""Extraction, one module per stage: document -> metadata -> body -> article record."""

from scraper.extract.article import (
    ARTICLE,
    LISTING,
    OTHER,
    PAGE_KINDS,
    Explanation,
    PageKind,
    analyse_page,
    build_record,
    explain_article,
    extract_article,
)
from scraper.extract.errors import ExtractionError, NotAnArticle, NotHTMLError

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
