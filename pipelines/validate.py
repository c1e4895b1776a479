"""Stage: every record must satisfy the shipped JSON Schema before it reaches a sink."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from scraper.failures import VALIDATE, report_failure
from scraper.items import PageFailure
from scraper.record import schema_errors


class ValidatePipeline:
    """Drops (and reports) records that break the schema; a bug, never silently written."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        errors = schema_errors(item)
        if errors:
            failure = PageFailure(
                str(item.get("url")), VALIDATE, "; ".join(errors), item.get("status")
            )
            report_failure(self.crawler, failure)
            raise DropItem(f"invalid record: {failure.reason}", log_level="WARNING")
        return item
