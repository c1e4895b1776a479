"""Failed pages are records too: every failure is announced once, with URL, stage and reason.

Pipelines call `report_failure`; the CLI (and later an errors file) listens on the
`page_failed` signal. Stats count failures by stage for the crawl summary.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem

from scraper.items import PageFailure

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Sent with `failure=PageFailure(...)` for every page that yields no article.
page_failed = object()


class PageDropped(DropItem):
    """A pipeline stage dropped a page or record that gives no article; `failure` says where
    and why (the stage already reported it). Outside a crawl (`newsscrape extract`) the caller
    reads the failure from here."""

    def __init__(self, failure: PageFailure, message: str = "", log_level: str = "DEBUG") -> None:
        super().__init__(message or f"{failure.stage}: {failure.reason}", log_level=log_level)
        self.failure = failure


def report_failure(crawler: Crawler | None, failure: PageFailure) -> None:
    """Count, log and announce a failed page."""
    logger.info("%s failed at %s: %s", failure.url, failure.stage, failure.reason)
    if crawler is None:
        return
    if crawler.stats is not None:
        crawler.stats.inc_value(f"newsscrape/failed/{failure.stage}")
    crawler.signals.send_catch_log(page_failed, failure=failure)
