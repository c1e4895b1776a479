"""Stage (distributed crawls): each article is emitted once across every worker of the crawl.

The record's key (canonical URL) is claimed in a Redis set and the record pushed to the crawl's
Redis list in one step; a record whose key another worker (or an earlier fetch of the same
page, requeued after a worker died) already claimed is dropped. The Redis list is the crawl's
complete output; each worker's own feeds (-o) hold the records that worker claimed.
"""

from __future__ import annotations

import json
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from scraper.distributed import MISSING_EXTRA, redis_key

# Claim the key and store the record together: a worker killed in between cannot leave a
# claimed key without its record.
_CLAIM_AND_PUSH = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
"""


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

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EmitOncePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        key = item.get("canonical_url") or item.get("url")
        if not key:
            return item
        record = json.dumps(item, ensure_ascii=False, sort_keys=False)
        if not self.claim(keys=[redis_key("emitted"), redis_key("items")], args=[key, record]):
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("newsscrape/distributed/already_emitted")
            raise DropItem(f"already emitted by the crawl: {key}", log_level="INFO")
        return item
