"""Retries with backoff that honour `Retry-After` (RFC 9110 §10.2.3) on 429 and 503.

Replaces Scrapy's RetryMiddleware at the same place (DOWNLOADER_MIDDLEWARES). A 429 or 503
with Retry-After (seconds, or an HTTP date) waits that long, capped by
NEWSSCRAPE_RETRY_AFTER_MAX (default 600 s: a server asking for an hour is not waited for,
the page is retried after the cap and reported if it still fails); without the header, and
for the other RETRY_HTTP_CODES and network errors, the wait grows exponentially from
NEWSSCRAPE_RETRY_BACKOFF_BASE seconds (1, 2, 4, … capped at NEWSSCRAPE_RETRY_BACKOFF_MAX).
Each wait is logged at INFO with the URL and the reason. While waiting, the site's download
slot is held back too (when a download delay is in force), so other pages of an overloaded
site are not sent meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)

RETRY_AFTER_STATUSES = (429, 503)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header value asks to wait (delta-seconds or an HTTP date);
    None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retry, with waits: Retry-After when the server sends it, else backoff."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        settings = crawler.settings
        self.retry_after_max = settings.getfloat("NEWSSCRAPE_RETRY_AFTER_MAX", 600.0)
        self.backoff_base = settings.getfloat("NEWSSCRAPE_RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("NEWSSCRAPE_RETRY_BACKOFF_MAX", 60.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    def backoff_seconds(self, request: Request) -> float:
        """The wait before retry number n+1 when the server gave no Retry-After."""
        attempt = int(request.meta.get("retry_times", 0))
        return float(min(self.backoff_max, self.backoff_base * 2**attempt))

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        reason = response_status_message(response.status)
        retry = self._retry(request, reason)
        if retry is None:
            return response  # retries exhausted: the page is reported with its status
        asked = None
        if response.status in RETRY_AFTER_STATUSES:
            header = response.headers.get(b"Retry-After")
            asked = retry_after_seconds(header.decode("latin-1") if header else None)
        if asked is not None:
            wait = min(asked, self.retry_after_max)
            capped = (
                " (capped by NEWSSCRAPE_RETRY_AFTER_MAX)" if asked > self.retry_after_max else ""
            )
            logger.info(
                "%s answered %s with Retry-After %.0f s: waiting %.1f s%s before retrying",
                request.url,
                response.status,
                asked,
                wait,
                capped,
            )
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("newsscrape/retry_after_waits")
        else:
            wait = self.backoff_seconds(request)
            logger.info("%s answered %s: retrying in %.1f s", request.url, response.status, wait)
        await self._wait(request, wait)
        return retry

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get(
            "dont_retry", False
        ):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            wait = self.backoff_seconds(request)
            logger.info(
                "%s failed (%s): retrying in %.1f s", request.url, type(exception).__name__, wait
            )
            await self._wait(request, wait)
        return retry

    async def _wait(self, request: Request, seconds: float) -> None:
        if seconds <= 0:
            return
        self._hold_slot(request, seconds)
        await asyncio.sleep(seconds)

    def _hold_slot(self, request: Request, seconds: float) -> None:
        # The downloader starts a slot's next request `delay` after `lastseen`; moving
        # lastseen forward holds the whole site back (only when a delay is configured).
        engine = self.crawler.engine
        if engine is None:
            return
        key = request.meta.get("download_slot")
        slot = engine.downloader.slots.get(key) if key else None
        if slot is not None:
            slot.lastseen = max(slot.lastseen, time.monotonic() + seconds)
