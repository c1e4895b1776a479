"""What every newsscrape spider shares: responses and failed fetches become PageItems."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scraper.items import PageItem, utc_now

FETCHABLE_SCHEMES = ("http", "https")


def url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched, or None when it can (only http and https are)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in FETCHABLE_SCHEMES:
        return (
            f"unsupported URL scheme {parts.scheme or '(none)'!r}: only http and https are fetched"
        )
    if not parts.hostname:
        return "URL has no host"
    return None


def page_from_response(response: Response, source: str) -> PageItem:
    """A PageItem holding what the server sent."""
    content_type = response.headers.get("Content-Type")
    return PageItem(
        url=response.url,
        status=response.status,
        body=response.body,
        content_type=content_type.decode("latin-1") if content_type else None,
        source=source,
        requested_url=response.request.url if response.request else None,
        fetched_at=utc_now(),
    )


def page_from_failure(failure: Failure, source: str) -> PageItem:
    """A PageItem recording a fetch that produced no page, with a readable reason."""
    request = getattr(failure, "request", None)
    url = request.url if request is not None else "<unknown>"
    error = failure.value
    if isinstance(error, HttpError):
        return page_from_response(error.response, source)
    name = type(error).__name__
    if name == "IgnoreRequest" and "robots" in str(error).lower():
        reason = "forbidden by robots.txt"
    elif name == "IgnoreRequest":
        reason = f"request ignored: {error}" if str(error) else "request ignored"
    else:
        reason = f"{name}: {error}" if str(error) else name
    return PageItem(url=url, status=None, source=source, error=reason, fetched_at=utc_now())
