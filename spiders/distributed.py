"""The `distributed` spider: one worker of a crawl whose queue is on a Redis server.

    newsscrape seed --redis redis://127.0.0.1:6379/0 https://paper.example/
    newsscrape crawl --redis redis://127.0.0.1:6379/0 -o part.jsonl     # as many as you like

Seeds come from the Redis list `distributed:start_urls` (`newsscrape seed`): JSON messages
`{"url": ..., "kind": "site"}` (discovered as the `newspaper` spider does: robots.txt,
sitemaps, feeds, links up to `depth`) or `{"url": ..., "kind": "page"}` (one article page).
Whichever worker is idle takes the next seeds; every request then goes through the shared
queue and duplicate filter (scrapy-redis, see `scraper.distributed`), so each URL is fetched
once, by one worker, whichever worker discovered it.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from twisted.python.failure import Failure

from scraper.distributed import MISSING_EXTRA, SPIDER_NAME, redis_key
from scraper.items import PageItem
from scraper.profiles import find_profile
from spiders.newspaper import _PRIORITY, NewspaperSpider, _host_key
from spiders.pages import page_from_failure, page_from_response, url_problem

try:
    from scrapy_redis.spiders import RedisMixin
except ImportError:  # the `redis` extra is not installed

    class RedisMixin:  # type: ignore[no-redef]
        """Stands in for scrapy-redis's mixin so that this module still imports (Scrapy's
        spider loader imports every module in spiders/); `from_crawler` refuses to run."""


SITE, PAGE = "site", "page"
_LISTING_SUFFIXES = (".xml", ".xml.gz", ".rss", ".atom", "robots.txt", "/feed", "/feed/", "/rss")
# The newspaper spider needs a site to start; seeds name the sites here, one by one.
_NO_SITE_YET = "http://seeds.invalid/"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def seed_message(url: str, kind: str | None = None) -> str:
    """The JSON a seed is pushed as; `kind` defaults from the URL: a home page, sitemap, feed
    or robots.txt is a site to discover, anything else one article page."""
    if kind is None:
        path = url.split("://", 1)[-1].partition("/")[2].split("?")[0]
        kind = SITE if not path or path.lower().endswith(_LISTING_SUFFIXES) else PAGE
    return json.dumps({"url": url, "kind": kind})


class DistributedSpider(RedisMixin, NewspaperSpider):
    """Takes seeds from Redis and crawls them as the `newspaper` spider would.

    Arguments as the newspaper spider's, except `url` (seeds name the sites). A `site` profile
    gives its URL rules, chrome, language and pace; its sources are seeded (`newsscrape seed
    --site`), not started from, so every worker given the same profile crawls alike."""

    name = SPIDER_NAME
    redis_key = redis_key("start_urls")
    # `max_articles` counts the whole crawl's records (pipelines/emit_once.py), not this
    # worker's (pipelines/limits.py leaves it alone).
    shared_limits = True

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("url", None)
        site = kwargs.pop("site", None)
        super().__init__(url=_NO_SITE_YET, **kwargs)
        self.profile = find_profile(site) if site else None
        self.start_url = ""
        self.site_hosts = set()
        # Sites are shared (any worker may get any site's pages from the queue): the offsite
        # filter (scraper.distributed.SharedSitesOffsiteMiddleware) and `_on_site` know every
        # seeded site, learning new ones from Redis. Empty until the first seed: nothing
        # filtered.
        self.allowed_domains = []
        self._sites_checked = 0.0
        if self.profile is not None:
            self._learn({_host_key(domain) for domain in self.profile.domains})
        # scrapy-redis keeps this as a class attribute set at import; idle time starts now.
        self.spider_idle_start_time = int(time.time())

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DistributedSpider:
        if not hasattr(RedisMixin, "setup_redis"):
            raise NotConfigured(MISSING_EXTRA)
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, DistributedSpider)
        spider.setup_redis(crawler)
        return spider

    async def start(self) -> AsyncIterator[Any]:
        for request in self.next_requests():
            yield request

    def make_request_from_data(self, data: bytes) -> list[Any]:
        """The requests for one seed message (see `seed_message`)."""
        try:
            seed = json.loads(data)
            url, kind = str(seed["url"]), seed.get("kind", PAGE)
        except (ValueError, KeyError, TypeError):
            self.logger.warning("ignored a seed that is not a seed message: %r", data[:200])
            return []
        problem = url_problem(url)
        if problem:
            return [PageItem(url=url, source="url", error=problem)]
        self._allow(url)
        if kind != SITE:
            return [scrapy.Request(url, callback=self.parse_seed, errback=self.seed_failed)]
        if url.lower().endswith(_LISTING_SUFFIXES) and not url.endswith("robots.txt"):
            return [self._listing_request(url, declared=True)]
        # Not dont_filter (unlike the newspaper spider's): a site seeded twice is crawled once.
        requests: list[Any] = [
            scrapy.Request(
                urljoin(url, "/robots.txt"),
                callback=self.parse_robots,
                errback=self.robots_failed,
                priority=_PRIORITY["listing"],
            )
        ]
        home = self._page_request(url, "url", 0, {})
        if home is not None:
            requests.append(home)
        return requests

    def _allow(self, url: str) -> None:
        host = _host_key(urlsplit(url).hostname or "")
        self._learn({host})
        assert self.server is not None
        self.server.sadd(redis_key("sites"), host)

    def _learn(self, hosts: set[str]) -> bool:
        """Add sites of the crawl; True when some were new."""
        new = hosts - self.site_hosts
        if not new:
            return False
        self.site_hosts |= new
        if self.same_domain:
            self.allowed_domains = sorted(self.site_hosts)
        return True

    def refresh_sites(self) -> bool:
        """Learn the sites other workers seeded (from Redis); True when there were new ones."""
        if self.server is None:
            return False
        self._sites_checked = time.monotonic()
        return self._learn({_text(host) for host in self.server.smembers(redis_key("sites"))})

    def _on_site(self, url: str) -> bool:
        if super()._on_site(url):
            return True
        # Another worker may have taken this site's seed: refresh the shared list, at most
        # once a second.
        if time.monotonic() - self._sites_checked < 1.0:
            return False
        return self.refresh_sites() and super()._on_site(url)

    def schedule_next_requests(self) -> None:
        for request in self.next_requests():
            if isinstance(request, PageItem):
                continue  # a malformed seed: nothing to fetch (reported when yielded at start)
            self.crawler.engine.crawl(request)

    def spider_idle(self) -> None:
        # Shared work left (queued, or leased to another worker) is not idleness.
        assert self.server is not None
        if self.server.zcard(redis_key("requests")) or self.server.hlen(redis_key("lease_owners")):
            self.spider_idle_start_time = int(time.time())
        super().spider_idle()

    def parse_seed(self, response: Response) -> Iterator[PageItem]:
        yield page_from_response(response, "url")

    def seed_failed(self, failure: Failure) -> Iterator[PageItem]:
        yield page_from_failure(failure, "url")
