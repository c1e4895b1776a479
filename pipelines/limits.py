"""Stage (last): the crawl's limits on what is emitted: `--since` and `--max-articles`.

Both are spider arguments (`since`, `max_articles`), read from the running spider. `--since`
already skipped every article its listing dated too early; this stage drops the ones no
listing dated (found by following links) whose page says they are older. `--max-articles`
counts records that reach the output — never section pages or failures — and closes the
crawl when the N-th is written; records still in flight after that are dropped, so exactly
N are written.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)

EMITTED = "newsscrape/articles_emitted"


def _published(item: dict[str, Any]) -> datetime | None:
    value = item.get("published")
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class CrawlLimitsPipeline:
    """Drops records older than the spider's `since`, and stops at its `max_articles`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.emitted = 0
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlLimitsPipeline:
        return cls(crawler)

    def _inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        spider = self.crawler.spider
        since: datetime | None = getattr(spider, "since", None)
        # A distributed crawl's limit is the whole crawl's (pipelines/emit_once.py counts it).
        shared = getattr(spider, "shared_limits", False)
        limit = 0 if shared else int(getattr(spider, "max_articles", 0) or 0)
        published = _published(item)
        if since is not None and published is not None and published < since:
            self._inc("newsscrape/skipped/since")
            raise DropItem(f"published {item.get('published')}, before --since", log_level="DEBUG")
        if limit and self.emitted >= limit:
            self._inc("newsscrape/skipped/max-articles")
            raise DropItem(f"--max-articles {limit} reached", log_level="DEBUG")
        self.emitted += 1
        self._inc(EMITTED)
        if limit and self.emitted >= limit and not self.closing and self.crawler.engine:
            self.closing = True
            logger.info("--max-articles %d reached: closing the crawl", limit)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="max_articles"))
        return item
