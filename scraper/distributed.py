"""Distributed crawls with scrapy-redis: one Redis server, any number of crawl processes.

    newsscrape seed --redis redis://host:6379/0 https://paper.example/   # what to crawl
    newsscrape crawl --redis redis://host:6379/0 -o part-1.jsonl         # on each machine

Redis holds what the workers share (keys start with the spider's name, `distributed:`):

- `start_urls` (list): seeds pushed by `newsscrape seed`, taken by whichever worker is idle;
- `requests` (sorted set) and `dupefilter` (set): scrapy-redis's shared queue and duplicate
  filter, so every URL is fetched by one worker once;
- `leases` and `lease_owners` (hashes): each request a worker takes, until its response has
  been processed completely (its records written, the requests it led to queued);
- `worker:<id>` (keys with a time to live): each worker's heartbeat;
- `sites` (set): the hosts of the seeded sites, what "on the site" means for every worker;
- `emitted` (set) and `items` (list): the record keys written so far and the records
  themselves, claimed together in one step (`pipelines.emit_once`), so each article is emitted
  once across all workers however often its page is fetched.

Plain scrapy-redis loses what a killed worker had taken from the queue. Here a worker whose
heartbeat has expired loses its leases: any idle worker puts them back in the queue (one Lua
script, so two survivors cannot both requeue one lease). A page fetched twice that way is
still emitted once, because its record's key is already in `emitted`.

scrapy-redis 0.9.1 works with Scrapy 2.19 as far as it is used here (its Scheduler, dupefilter
and queue); its spider mixin's `start_requests` is not used (Scrapy 2.13+ calls `start()`).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.spiders import Spider
from twisted.internet import task

try:
    from scrapy_redis.scheduler import Scheduler as RedisScheduler
except ImportError:  # the `redis` extra is not installed
    RedisScheduler = object

logger = logging.getLogger(__name__)

SPIDER_NAME = "distributed"
LEASES_META = "newsscrape_leases"
MISSING_EXTRA = (
    "distributed crawls need the `redis` extra: pip install 'newsscrape[redis]' "
    "(scrapy-redis and the redis client)"
)

# Pop the next request and lease it to this worker in one step: a worker killed between the
# two cannot lose the request.
_POP_AND_LEASE = """
local popped = redis.call('ZRANGE', KEYS[1], 0, 0)
if #popped == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
redis.call('HSET', KEYS[2], ARGV[1], popped[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
return popped[1]
"""

# Put an expired lease's request back in the queue, if nobody did so already.
_REQUEUE = """
if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return 0 end
local request = redis.call('HGET', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if request then redis.call('ZADD', KEYS[1], -1000, request) end
return 1
"""


def require_redis() -> None:
    """Raise ImportError with what to install when the `redis` extra is missing."""
    try:
        import redis  # noqa: F401
        import scrapy_redis  # noqa: F401
    except ImportError as error:
        raise ImportError(MISSING_EXTRA) from error


def redis_key(name: str) -> str:
    """A key of the distributed crawl: `distributed:<name>`."""
    return f"{SPIDER_NAME}:{name}"


def distributed_settings(redis_url: str) -> dict[str, Any]:
    """Scrapy settings that make a crawl one worker of the crawl queued on `redis_url`."""
    return {
        "REDIS_URL": redis_url,
        "SCHEDULER": "scraper.distributed.LeasedScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        # The queue outlives every worker: the first one to finish must not clear it for the
        # others. `newsscrape seed --fresh` clears a finished crawl.
        "SCHEDULER_PERSIST": True,
        # A worker that has run dry waits this long for new seeds before it stops.
        "MAX_IDLE_TIME_BEFORE_CLOSE": 5,
    }


# scrapy-redis's own settings (its README), which a worker's `-s` may set: known names, so
# `newsscrape crawl --redis URL -s SCHEDULER_IDLE_BEFORE_CLOSE=10` is not warned about.
SCRAPY_REDIS_SETTINGS = (
    "REDIS_URL",
    "REDIS_HOST",
    "REDIS_PORT",
    "REDIS_PARAMS",
    "REDIS_ENCODING",
    "REDIS_START_URLS_KEY",
    "REDIS_START_URLS_AS_SET",
    "REDIS_START_URLS_BATCH_SIZE",
    "REDIS_ITEMS_KEY",
    "REDIS_ITEMS_SERIALIZER",
    "SCHEDULER_PERSIST",
    "SCHEDULER_FLUSH_ON_START",
    "SCHEDULER_IDLE_BEFORE_CLOSE",
    "SCHEDULER_QUEUE_KEY",
    "SCHEDULER_QUEUE_CLASS",
    "SCHEDULER_DUPEFILTER_KEY",
    "SCHEDULER_DUPEFILTER_CLASS",
    "SCHEDULER_SERIALIZER",
    "DUPEFILTER_KEY",
    "DUPEFILTER_DEBUG",
    "MAX_IDLE_TIME_BEFORE_CLOSE",
)


class SharedSitesOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, where "the site" is every site seeded into the crawl.

    Any worker may take any site's requests from the shared queue, including a site whose seed
    another worker read: before a request is filtered as off-site, the spider learns the
    crawl's sites again from Redis (`refresh_sites`). What this stops is what the newspaper
    spider's filter stops: redirects that leave the crawl's sites (links off the sites are not
    requested at all)."""

    def should_follow(self, request: Request, spider: Spider) -> bool:
        if super().should_follow(request, spider):
            return True
        refresh = getattr(spider, "refresh_sites", None)
        return bool(refresh is not None and refresh() and super().should_follow(request, spider))


# Workers use the offsite filter above instead of Scrapy's.
OFFSITE_MIDDLEWARES: dict[str, int | None] = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scraper.distributed.SharedSitesOffsiteMiddleware": 50,
}


def worker_spider_arguments(args: Any) -> dict[str, Any]:
    """The distributed spider's arguments from `newsscrape crawl --redis`'s command line:
    discovery (`depth`, `same_domain`), the limits (`since`, `max_articles`) and the site
    profile (`site`: its URL rules, chrome, language and pace), which every worker applies as
    the `newspaper` spider does. `--since` relative to now (`2d`) is taken from each worker's
    own start. Raises ValueError for a `--since` or a profile that cannot be read."""
    from scraper.profiles import find_profile
    from spiders.sources import parse_since

    spider_args = {
        name: getattr(args, name) for name in ("depth", "same_domain") if hasattr(args, name)
    }
    if getattr(args, "site", None):
        spider_args["site"] = str(find_profile(args.site).path)
    if getattr(args, "since", None):
        spider_args["since"] = parse_since(args.since)
    if getattr(args, "max_articles", 0):
        spider_args["max_articles"] = args.max_articles
    return spider_args


def worker_id() -> str:
    """This process's name in the crawl: host, pid and a random suffix (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeasedScheduler(RedisScheduler):
    """scrapy-redis's scheduler, with a lease on every request a worker takes.

    Settings: NEWSSCRAPE_REDIS_HEARTBEAT (seconds a silent worker keeps its leases; default
    30) and the scrapy-redis settings that `distributed_settings` sets.
    """

    # How often leases of finished requests are released and the heartbeat renewed, per TTL.
    CHECKS_PER_HEARTBEAT = 6

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worker = worker_id()
        self.heartbeat_seconds = 30.0
        self.crawler: Crawler | None = None
        # Requests this worker holds a lease on; a lease is released once its request has
        # left the downloader and the scraper (seen gone on two checks in a row).
        self.held: dict[str, Request] = {}
        self._gone_once: set[str] = set()
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeasedScheduler:
        if RedisScheduler is object:
            raise NotConfigured(MISSING_EXTRA)
        scheduler = super().from_crawler(crawler)
        assert isinstance(scheduler, LeasedScheduler)
        scheduler.crawler = crawler
        scheduler.heartbeat_seconds = crawler.settings.getfloat("NEWSSCRAPE_REDIS_HEARTBEAT", 30.0)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    # --- Keys

    @property
    def leases_key(self) -> str:
        return redis_key("leases")

    @property
    def owners_key(self) -> str:
        return redis_key("lease_owners")

    def heartbeat_key(self, worker: str) -> str:
        return redis_key(f"worker:{worker}")

    # --- Scheduler interface

    def open(self, spider: Spider) -> None:
        super().open(spider)
        self._pop_and_lease = self.server.register_script(_POP_AND_LEASE)
        self._requeue = self.server.register_script(_REQUEUE)
        self.beat()
        self._loop = task.LoopingCall(self.check)
        self._loop.start(self.heartbeat_seconds / self.CHECKS_PER_HEARTBEAT, now=False)
        logger.info("worker %s joined the crawl on %s", self.worker, self.server)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        # The engine closes only when every request it took has been processed (a graceful
        # stop too); a worker that dies before this point leaves its leases to expire.
        self.release_finished(force=True)
        self.server.delete(self.heartbeat_key(self.worker))
        super().close(reason)

    def next_request(self) -> Request | None:
        lease = uuid.uuid4().hex
        data = self._pop_and_lease(
            keys=[self.queue.key, self.leases_key, self.owners_key], args=[lease, self.worker]
        )
        if not data:
            return None
        request: Request = self.queue._decode_request(data)
        request.meta[LEASES_META] = [*request.meta.get(LEASES_META, []), lease]
        self.held[lease] = request
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    # --- Leases

    def beat(self) -> None:
        """Renew this worker's heartbeat."""
        self.server.set(self.heartbeat_key(self.worker), "1", px=int(self.heartbeat_seconds * 1000))

    def check(self) -> None:
        try:
            self.beat()
            self.release_finished()
        except Exception:
            logger.exception("lease bookkeeping failed; retrying at the next check")

    def _in_engine(self, request: Request) -> bool:
        engine = self.crawler.engine if self.crawler is not None else None
        if engine is None:
            return False
        if request in engine.downloader.active:
            return True
        slot = engine.scraper.slot
        if slot is None:
            return False
        return request in slot.active or any(queued[1] is request for queued in slot.queue)

    def release_finished(self, force: bool = False) -> None:
        """Release the leases of requests that have been processed completely."""
        done = []
        for lease, request in self.held.items():
            if self._in_engine(request) and not force:
                self._gone_once.discard(lease)
            elif force or lease in self._gone_once:
                done.append(lease)
            else:
                self._gone_once.add(lease)
        if not done:
            return
        with self.server.pipeline() as pipe:
            for lease in done:
                # Leases inherited through redirects are released with the final request's.
                for held in self.held[lease].meta.get(LEASES_META, [lease]):
                    pipe.hdel(self.leases_key, held)
                    pipe.hdel(self.owners_key, held)
            pipe.execute()
        for lease in done:
            del self.held[lease]
            self._gone_once.discard(lease)

    def sweep(self) -> int:
        """Requeue the leases of workers whose heartbeat expired; how many were requeued."""
        requeued = 0
        owners: dict[bytes, bytes] = self.server.hgetall(self.owners_key)
        live: dict[bytes, bool] = {}
        for lease, owner in owners.items():
            if owner not in live:
                live[owner] = bool(self.server.exists(self.heartbeat_key(owner.decode())))
            if live[owner]:
                continue
            requeued += int(
                self._requeue(
                    keys=[self.queue.key, self.leases_key, self.owners_key], args=[lease, owner]
                )
            )
        if requeued:
            logger.warning("requeued %d requests taken by workers that stopped", requeued)
            if self.stats:
                self.stats.inc_value("newsscrape/distributed/requeued", requeued)
        return requeued

    def spider_idle(self) -> None:
        """Keep an idle worker alive while another worker's requests may still come back."""
        requeued = self.sweep()
        if requeued or len(self.queue) or self.server.hlen(self.owners_key):
            raise DontCloseSpider
