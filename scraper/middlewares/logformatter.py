"""Scrapy's log lines for dropped items, without the item.

Scrapy logs a dropped item whole after the reason: for us that is a page's raw HTML (a page
extraction refused) or an article's full text (a duplicate, at INFO, so with -v). The line
keeps the reason and names the item by its URL.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


def _url_of(item: Any) -> str:
    if isinstance(item, dict):
        return str(item.get("url") or item.get("canonical_url") or "")
    return str(getattr(item, "url", "") or "")


class ShortDropLogFormatter(LogFormatter):
    """`LOG_FORMATTER`: "Dropped: <reason> (<url>)" instead of the reason and the item."""

    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped: %(exception)s (%(url)s)"
        entry["args"] = {"exception": exception, "url": _url_of(item)}
        return entry
