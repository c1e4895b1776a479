"""What every newsscrape spider shares: responses and failed fetches become PageItems."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scraper.items import PageItem
from scraper.record import utc_now

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
        reason = fetch_error_reason(error)
    return PageItem(url=url, status=None, source=source, error=reason, fetched_at=utc_now())


def fetch_error_reason(error: BaseException | None) -> str:
    """A failed download in one readable line: `DownloadTimeoutError: ...`, or for a TLS
    failure `TLS error: wrong version number (...)` rather than the repr of the Twisted
    Failure list that Scrapy's wrapper exceptions carry."""
    tls = _tls_problem(error)
    if tls:
        reason = f"TLS error: {tls}"
        if "wrong version number" in tls:
            # What an https:// request to a plain-HTTP server gets back.
            reason += " (the server may speak plain HTTP: try http://)"
        return reason
    name = type(error).__name__
    return f"{name}: {error}" if str(error) else name


def _tls_problem(error: BaseException | None) -> str | None:
    """The OpenSSL error behind `error` (its reasons, joined), or None."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if type(current).__module__.startswith("OpenSSL"):
            details = current.args[0] if current.args else None
            if isinstance(details, list):
                texts = [str(item[-1]) for item in details if isinstance(item, tuple) and item]
                return "; ".join(text for text in texts if text) or "handshake failed"
            return str(current) or "handshake failed"
        # Twisted's ResponseFailed and ResponseNeverReceived keep their causes as Failures.
        for reason in getattr(current, "reasons", None) or []:
            pending.append(getattr(reason, "value", None))
        pending.extend([current.__cause__, current.__context__])
    return None
