"""Stage (distributed crawls): each article is emitted once across every worker of the crawl.

The record's key (`scraper.canonical.record_key`) is claimed in a Redis set and the record pushed to the crawl's
Redis list in one step; a record whose key another worker (or an earlier fetch of the same
page, requeued after a worker died) already claimed is dropped. The Redis list is the crawl's
complete output; each worker's own feeds (-o) hold the records that worker claimed.

`--max-articles N` is the crawl's, not each worker's: the claim fails once N keys are claimed
(counted in the same step, so two workers cannot both take the N-th), and a worker that sees
the limit reached closes. The count is the crawl's since `newsscrape seed --fresh`.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from scraper.canonical import record_key
from scraper.distributed import MISSING_EXTRA, redis_key

logger = logging.getLogger(__name__)

# Claim the key and store the record together: a worker killed in between cannot leave a
# claimed key without its record.
_CLAIM_AND_PUSH = """
local limit = tonumber(ARGV[3])
if limit > 0 and redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0
    and redis.call('SCARD', KEYS[1]) >= limit then return -1 end
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
"""
LIMIT_REACHED, ALREADY_EMITTED = -1, 0


class EmitOncePipeline:
    """Drops records another worker already emitted; stores the others in Redis.

    Enabled by `newsscrape crawl --redis`; reads REDIS_URL like scrapy-redis."""

    def __init__(self, crawler: Crawler) -> None:
        try:
            from scrapy_redis.connection import get_redis_from_settings
        except ImportError as error:
            raise NotConfigured(MISSING_EXTRA) from error
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured  # not asked for: off without a warning
        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)
        self.claim = self.server.register_script(_CLAIM_AND_PUSH)
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EmitOncePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        key = record_key(item)
        if not key:
            return item
        record = json.dumps(item, ensure_ascii=False, sort_keys=False)
        limit = int(getattr(self.crawler.spider, "max_articles", 0) or 0)
        claimed = self.claim(
            keys=[redis_key("emitted"), redis_key("items")], args=[key, record, limit]
        )
        if claimed == LIMIT_REACHED:
            self._count("newsscrape/skipped/max-articles")
            self._close(limit)
            raise DropItem(f"--max-articles {limit} reached by the crawl", log_level="DEBUG")
        if claimed == ALREADY_EMITTED:
            self._count("newsscrape/distributed/already_emitted")
            raise DropItem(f"already emitted by the crawl: {key}", log_level="INFO")
        return item

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)

    def _close(self, limit: int) -> None:
        if self.closing or self.crawler.engine is None:
            return
        self.closing = True
        logger.info("--max-articles %d reached by the crawl: this worker stops", limit)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="max_articles"))
