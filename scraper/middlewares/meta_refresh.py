"""Meta refresh redirects, without decoding every page to look for one.

Scrapy's MetaRefreshMiddleware reads `response.text[:4096]`: it decodes the whole body
(`html_to_unicode`) of every HTML response on the reactor thread, and nothing else in the
crawl process needs that text (extraction decodes the page in its worker). On 289 bench pages
that was the crawl process's largest cost per response after our own stages. A page without
the bytes `refresh` near its start cannot redirect that way, so it is passed on undecoded;
any other page goes through Scrapy's own check, unchanged.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Response

# Scrapy looks at the first 4096 characters: at most 4 bytes each in UTF-8.
_HEAD_BYTES = 4 * 4096


def may_refresh(body: bytes) -> bool:
    """Whether the start of `body` could hold a meta refresh (case-insensitive `refresh`).
    A body with NUL bytes there (UTF-16, UTF-32) cannot be told apart by bytes: it may."""
    head = body[:_HEAD_BYTES]
    return b"\x00" in head or b"refresh" in head.lower()


class MetaRefreshOnlyWhenPresent(MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware (same settings, same redirects), skipped for the pages
    whose first bytes hold no `refresh`."""

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if isinstance(response, HtmlResponse) and not may_refresh(response.body):
            return response
        return super().process_response(request, response)
