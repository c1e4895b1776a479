"""Stage: one article under several URLs is written once (first copy wins).

Records are keyed by `scraper.canonical.record_key`: the page's canonical URL (rel=canonical,
og:url, else the fetched URL) with tracking parameters, fragment, AMP, `www.` and scheme
folded, so `/story/?utm_source=x`, `amp.paper.example/story/` and `http://www.…/story/` are
the same article.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings

from scraper.canonical import record_key


class CanonicalDedupPipeline:
    """Drops records whose canonical key was already written in this crawl."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CanonicalDedupPipeline:
        return cls(crawler)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> CanonicalDedupPipeline:
        """The stage outside a crawl (`newsscrape extract`)."""
        return cls()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        key = record_key(item)
        if key in self.seen:
            if self.crawler is not None and self.crawler.stats is not None:
                self.crawler.stats.inc_value("newsscrape/duplicates_dropped")
            raise DropItem(f"duplicate of {key}", log_level="INFO")
        if key:
            self.seen.add(key)
        return item
