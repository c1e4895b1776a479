"""Why a page gives no record: one exception family for every stage of extraction."""

from __future__ import annotations


class ExtractionError(Exception):
    """The page gives no record; the message says why (see `extract_article`)."""


class NotHTMLError(ExtractionError, ValueError):
    """The input cannot be an HTML page (binary data, empty body)."""


class NotAnArticle(ExtractionError):
    """The page has no main text to make a record of; the message says why."""
