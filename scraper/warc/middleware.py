"""Scrapy side of `--warc FILE` (setting NEWSSCRAPE_WARC): archive every response.

`WarcArchiveMiddleware` sits on the downloader side of Scrapy's middlewares (order 950, after
the HTTP cache), so it sees each response as it came over the wire: redirects, errors,
robots.txt and sitemaps included, bodies still content-encoded. It writes the request and
response records and leaves the response record's id in `request.meta["warc_record_id"]`
(redirects carry meta along, so the last hop's id wins). `WarcRecordIdMiddleware` copies that
id, and the record's WARC-Date as `fetched_at`, onto the PageItem the spider makes from the
response, so the article record names its archived source and a re-extraction from the WARC
gives the same record.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from twisted.web.http import RESPONSES

from scraper.items import PageItem
from scraper.warc import fetched_at_from_warc_date
from scraper.warc.writer import HttpExchange, WarcFile

logger = logging.getLogger(__name__)

META_RECORD_ID = "warc_record_id"
META_WARC_DATE = "warc_date"


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    """Scrapy Headers (bytes, repeated values as lists) as (name, value) text pairs."""
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


def exchange_from(request: Request, response: Response) -> HttpExchange:
    """What one fetch sent and received, in the writer's terms."""
    protocol = getattr(response, "protocol", None) or "HTTP/1.1"
    ip_address = getattr(response, "ip_address", None)
    decision = request.meta.get("newsscrape_decision")  # set by the newspaper spider
    return HttpExchange(
        url=response.url,
        status=response.status,
        reason=RESPONSES.get(response.status, b"").decode("latin-1"),
        protocol=protocol,
        method=request.method,
        request_headers=_header_pairs(request.headers),
        request_body=request.body,
        response_headers=_header_pairs(response.headers),
        response_body=response.body,
        ip_address=str(ip_address) if ip_address else None,
        page_kind=getattr(decision, "kind", None),
    )


class WarcArchiveMiddleware:
    """Downloader middleware writing every response (and its request) to NEWSSCRAPE_WARC."""

    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.archive = WarcFile(path, info={"isPartOf": crawler.settings.get("BOT_NAME", "")})
        self.archive.open()
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchiveMiddleware:
        path = crawler.settings.get("NEWSSCRAPE_WARC")
        if not path:
            raise NotConfigured  # off unless asked for: no warning in every crawl log
        return cls(crawler, str(path))

    def process_response(self, request: Request, response: Response) -> Response:
        archived = self.archive.write_exchange(exchange_from(request, response))
        request.meta[META_RECORD_ID] = archived.record_id
        request.meta[META_WARC_DATE] = archived.warc_date
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("newsscrape/warc/responses")
        return response

    def close(self) -> None:
        logger.info(
            "archived %d WARC records in %s", self.archive.records_written, self.archive.path
        )
        self.archive.close()


class WarcRecordIdMiddleware(BaseSpiderMiddleware):
    """Spider middleware: a PageItem made from an archived response gets its record id."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecordIdMiddleware:
        if not crawler.settings.get("NEWSSCRAPE_WARC"):
            raise NotConfigured  # off unless asked for: no warning in every crawl log
        return cls(crawler)

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        """Stamp the record id (and the archived fetch time) on the response's own page."""
        if (
            isinstance(item, PageItem)
            and response is not None
            and item.url == response.url
            and META_RECORD_ID in response.meta
        ):
            item.warc_record_id = response.meta[META_RECORD_ID]
            archived_at = fetched_at_from_warc_date(response.meta.get(META_WARC_DATE))
            item.fetched_at = archived_at or item.fetched_at
        return item
