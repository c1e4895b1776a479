"""The `newspaper` spider: every article of a news site, found by the site's own listings.

    scrapy crawl newspaper -a url=https://paper.example/ -O paper.jsonl
    scrapy crawl newspaper -a url=https://paper.example/ -a since=2d -a max_articles=50
    scrapy crawl newspaper -a site=sanjuandailystar -a depth=1

Discovery, in order (without a site profile):
1. robots.txt `Sitemap:` lines, else `/sitemap.xml`; sitemap indexes are followed (gzip too),
   Google News sitemaps are read with their publication dates and titles;
2. RSS and Atom feeds the home page links (`<link rel="alternate" type="application/rss+xml">`);
3. links from the home page, section pages and articles, up to `depth` hops from a page the
   site listed, on the same site unless `same_domain=false`; only http(s) links are followed.

With a site profile (`site=NAME` or `site=path/to/profile.toml`) the profile's sitemaps, feeds
and start URLs replace steps 1 and 2; `url` with a profile points its sources at another
origin (a mirror, a local copy).

Each URL is classified before it is fetched (scraper.classify): articles (and URLs whose shape
cannot tell) are fetched and yielded as PageItems; section, tag, author, video and gallery
pages are fetched only when link following needs them and are never yielded. A listing's
date older than `since` skips the article without fetching it.
"""

from __future__ import annotations

import heapq
import itertools
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.python.failure import Failure

from scraper.canonical import clean_url
from scraper.classify import HOME, UrlDecision, classify_url
from scraper.failures import report_failure
from scraper.health.metrics import articles_listed
from scraper.items import PageFailure, PageItem
from scraper.profiles import SiteProfile, find_profile
from spiders.pages import fetch_error_reason, page_from_failure, page_from_response, url_problem
from spiders.sources import (
    ATOM,
    RSS,
    SITEMAP_INDEX,
    URLSET,
    ListedPage,
    maybe_gunzip,
    parse_since,
    read_listing,
)

logger = logging.getLogger(__name__)

DEFAULT_DEPTH = 2
# Stages of failed sources, as in the failure reports of pages.
SITEMAP_STAGE, FEED_STAGE = "sitemap", "feed"
_FEED_TYPES = ("application/rss+xml", "application/atom+xml")
_LISTING_SUFFIXES = (".xml", ".xml.gz", ".rss", ".atom", "/robots.txt", "/feed", "/feed/", "/rss")
# Scheduling order: listings first (they find the articles), then articles the site dates
# (news sitemaps and feeds), then other articles, then pages fetched only for their links.
_PRIORITY = {"listing": 100, "news-sitemap": 30, "feed": 30, "sitemap": 20, "url": 20, "link": 10}
_LINKS_ONLY_PRIORITY = 0
# Which source says most about a page: a news sitemap dates and titles it, a feed dates it.
_SOURCE_RANK = {"news-sitemap": 3, "feed": 2, "url": 1, "sitemap": 1, "link": 0}


def _flag(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    return value.strip().lower() not in ("0", "false", "no", "off", "")


def _host_key(host: str) -> str:
    return host.lower().removeprefix("www.")


class NewspaperSpider(scrapy.Spider):
    """Discovers a news site's articles (sitemaps, news sitemaps, feeds, links) and fetches
    them. Arguments: `url`, `site`, `since`, `max_articles`, `depth`, `same_domain`."""

    name = "newspaper"
    # Every response reaches the callbacks: a 404 article is a reported failure, a 404
    # sitemap a reported source problem, not a silent gap.
    custom_settings: dict[str, Any] = {
        "HTTPERROR_ALLOW_ALL": True,
        "NEWSSCRAPE_SUMMARY": True,
        # A crawl's figures are kept with its state and checked (scraper/health).
        "NEWSSCRAPE_HEALTH": True,
    }

    def __init__(
        self,
        url: str = "",
        site: str = "",
        since: str | datetime = "",
        max_articles: str | int = 0,
        depth: str | int = DEFAULT_DEPTH,
        same_domain: str | bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.profile: SiteProfile | None = find_profile(site) if site else None
        if self.profile is not None and url:
            self.profile = self.profile.rebased(url)
        if not url and self.profile is None:
            raise ValueError("give the site's address (-a url=https://paper.example/) or -a site=")
        self.start_url = url or (self.profile.start_urls[0] if self.profile else "")
        self.since = parse_since(since) if isinstance(since, str) and since else None
        if isinstance(since, datetime):
            self.since = since
        self.max_articles = int(max_articles or 0)
        self.depth = int(depth)
        self.same_domain = _flag(same_domain)
        hosts = {urlsplit(self.start_url).hostname or ""}
        if self.profile is not None:
            hosts.update(self.profile.domains)
        self.site_hosts = {_host_key(h) for h in hosts if h}
        if self.same_domain:
            # Scrapy's offsite filter then also stops redirects that leave the site.
            self.allowed_domains = sorted(self.site_hosts)
        self.seen: set[str] = set()
        # Listing pages met beyond --depth: not fetched, but not settled either, since a
        # sitemap read later may list the same page at depth 0 (listings race each other).
        self.too_deep: set[str] = set()
        # --max-articles N: article candidates in flight, and the URLs met once N were (see
        # `_park`), by priority then arrival: (-priority, arrival, url, source, depth, hints).
        self.outstanding = 0
        self.parked: list[tuple[int, int, str, str, int, dict[str, str]]] = []
        self.arrivals = itertools.count()
        # Meta of article requests not fetched yet, by URL (see `_upgrade`).
        # (Scrapy copies the meta dict given to a Request: the request's own is kept.)
        self.waiting: dict[str, scrapy.Request] = {}
        self.link_extractor = LinkExtractor(unique=True)
        # Discovery order: robots.txt, sitemaps and the sources a profile names are read
        # before the start page, so an article they list is discovered (and labelled) as
        # listed there, not as a link of the home page that happened to arrive first.
        self.listings_pending = 0
        self.held_start_pages: list[scrapy.Request] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewspaperSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, NewspaperSpider)
        spider.apply_politeness(crawler)
        if spider.max_articles:
            for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
                crawler.signals.connect(spider._item_settled, signal=signal)
            crawler.signals.connect(spider._release_deferred, signal=signals.spider_idle)
        crawler.signals.connect(spider._release_start_pages, signal=signals.spider_idle)
        return spider

    def apply_politeness(self, crawler: Crawler) -> None:
        """A profile's pace, unless the run sets its own (-s wins); said in the log either way."""
        if self.profile is None:
            return
        settings = crawler.settings
        wanted = {
            "DOWNLOAD_DELAY": self.profile.politeness.download_delay,
            "CONCURRENT_REQUESTS_PER_DOMAIN": self.profile.politeness.concurrency,
        }
        for name, value in wanted.items():
            if value is None:
                continue
            priority = settings.getpriority(name) or 0
            if priority >= 40:  # "cmdline": the run's own choice beats the profile
                logger.warning(
                    "site profile %s asks %s=%s; this run's %s=%s wins",
                    self.profile.name,
                    name,
                    value,
                    name,
                    settings.get(name),
                )
                continue
            settings.set(name, value, priority="spider")
            logger.warning("site profile %s sets %s=%s", self.profile.name, name, value)

    # --- Discovery

    async def start(self) -> AsyncIterator[Any]:
        if self.profile is not None:
            logger.info("site profile %s (%s)", self.profile.name, self.profile.path)
            for source in [*self.profile.sitemaps, *self.profile.feeds]:
                yield self._listing_request(source, declared=True)
            for start_url in self.profile.start_urls:
                request = self._page_request(start_url, "url", 0, {})
                if request is not None:
                    for start_page in self._after_listings(request):
                        yield start_page
            return
        problem = url_problem(self.start_url)
        if problem:
            yield PageItem(url=self.start_url, source="url", error=problem)
            return
        if self.start_url.lower().endswith(_LISTING_SUFFIXES) and not self.start_url.endswith(
            "/robots.txt"
        ):
            yield self._listing_request(self.start_url, declared=True)
            return
        self.listings_pending += 1
        yield scrapy.Request(
            urljoin(self.start_url, "/robots.txt"),
            callback=self.parse_robots,
            errback=self.robots_failed,
            priority=_PRIORITY["listing"],
            dont_filter=True,
        )
        request = self._page_request(self.start_url, "url", 0, {})
        if request is not None:
            for start_page in self._after_listings(request):
                yield start_page

    def _after_listings(self, request: scrapy.Request) -> Iterator[scrapy.Request]:
        """`request` (a start page) now if no listing is being read, else once all are."""
        if self.listings_pending:
            self.held_start_pages.append(request)
        else:
            yield request

    def _listing_done(self) -> Iterator[scrapy.Request]:
        """One listing read (or failed): when it was the last, the held start pages go."""
        self.listings_pending = max(0, self.listings_pending - 1)
        if not self.listings_pending:
            held, self.held_start_pages = self.held_start_pages, []
            yield from held

    def _release_start_pages(self) -> None:
        # A listing request that never reached a callback (the duplicate filter dropped a
        # sitemap listed twice) must not keep the start pages back for ever.
        if not self.held_start_pages or self.crawler.engine is None:
            return
        held, self.held_start_pages = self.held_start_pages, []
        self.listings_pending = 0
        for request in held:
            self.crawler.engine.crawl(request)
        raise DontCloseSpider("fetching the start pages held back for the listings")

    def parse_robots(self, response: Response) -> Iterator[Any]:
        """robots.txt `Sitemap:` lines; `/sitemap.xml` when there are none."""
        sitemaps = []
        if response.status < 400:
            sitemaps = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        for sitemap in sitemaps:
            yield self._listing_request(sitemap, declared=True)
        if not sitemaps:
            logger.info("%s lists no sitemap; trying /sitemap.xml", response.url)
            yield self._listing_request(urljoin(response.url, "/sitemap.xml"), declared=False)
        yield from self._listing_done()

    def robots_failed(self, failure: Failure) -> Iterator[Any]:
        request = getattr(failure, "request", None)
        base = request.url if request is not None else self.start_url
        logger.info("no robots.txt at %s (%s); trying /sitemap.xml", base, failure.value)
        yield self._listing_request(urljoin(base, "/sitemap.xml"), declared=False)
        yield from self._listing_done()

    def _listing_request(self, url: str, declared: bool) -> scrapy.Request:
        self.listings_pending += 1
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.listing_failed,
            priority=_PRIORITY["listing"],
            # Sitemaps and feeds may live elsewhere (a CDN, feeds.example.com).
            meta={"newsscrape_declared": declared, "allow_offsite": True},
        )

    def parse_listing(self, response: Response) -> Iterator[Any]:
        """A sitemap, sitemap index, RSS or Atom feed: its pages are considered one by one."""
        yield from self._read_listing(response)
        yield from self._listing_done()

    def _read_listing(self, response: Response) -> Iterator[Any]:
        declared = bool(response.meta.get("newsscrape_declared"))
        if response.status >= 400:
            self._source_problem(response.url, f"HTTP {response.status}", declared, response.status)
            return
        max_size = int(self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        body = maybe_gunzip(response.body, max_size)
        if body is None:
            self._source_problem(
                response.url,
                "not a sitemap (corrupt gzip, or over DOWNLOAD_MAXSIZE once decompressed)",
                declared,
                response.status,
            )
            return
        listing = read_listing(body, response.url)
        self._inc(f"newsscrape/listings/{listing.kind}")
        if listing.kind == SITEMAP_INDEX:
            for child in listing.sitemaps:
                if self._too_old(child, "sitemap"):
                    continue
                yield self._listing_request(child.url, declared=True)
            return
        if listing.kind not in (URLSET, RSS, ATOM):
            self._source_problem(
                response.url,
                f"not a sitemap or feed (root element <{listing.kind}>)",
                declared,
                response.status,
            )
            return
        source = "feed" if listing.kind in (RSS, ATOM) else "sitemap"
        logger.info("%s: %s with %d pages", response.url, listing.kind, len(listing.pages))
        self._note_listed(response.url, source, listing.pages)
        for page in listing.pages:
            page_source = "news-sitemap" if page.news else source
            if self._too_old(page, page_source):
                continue
            request = self._page_request(page.url, page_source, 0, page.hints())
            if request is not None:
                yield request

    def listing_failed(self, failure: Failure) -> Iterator[Any]:
        yield from self._listing_done()
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "<unknown>"
        declared = bool(request.meta.get("newsscrape_declared")) if request is not None else True
        error = failure.value
        reason = (
            "forbidden by robots.txt"
            if isinstance(error, IgnoreRequest)
            else fetch_error_reason(error)
        )
        self._source_problem(url, reason, declared, None)

    def _source_problem(self, url: str, reason: str, declared: bool, status: int | None) -> None:
        if not declared:
            # A guess (/sitemap.xml) that is not there is no failure.
            logger.info("%s: %s (not listed anywhere, so not a failure)", url, reason)
            return
        stage = (
            FEED_STAGE
            if url.lower().endswith((".rss", ".atom", "/feed", "/feed/", "/rss"))
            else SITEMAP_STAGE
        )
        report_failure(self.crawler, PageFailure(url, stage, reason, status))

    def _too_old(self, page: ListedPage, source: str) -> bool:
        """True (and counted) when the listing dates the page before --since."""
        if self.since is None or page.date is None or page.date >= self.since:
            return False
        self._inc("newsscrape/skipped/since")
        logger.debug("skip %s: %s dates it %s, before --since", page.url, source, page.date)
        return True

    # --- Pages

    def _page_request(
        self, url: str, source: str, depth: int, hints: dict[str, str], counted: bool = False
    ) -> scrapy.Request | None:
        """The request for a discovered URL, or None when it is a repeat, off the site, not
        an article and not needed for links, or waits for room under --max-articles.
        `counted`: already counted as discovered (a parked URL released)."""
        if self._no_room():
            self._park(url, source, depth, hints)
            return None
        if url_problem(url):
            self._inc("newsscrape/skipped/scheme")
            return None
        # One page under tracking parameters (?utm_source=home) or #fragments is one page.
        url = clean_url(url)
        if url in self.seen:
            self._upgrade(url, source, hints)
            return None
        follow = depth < self.depth or (source == "url" and depth == 0)
        met_before = url in self.too_deep
        if met_before and not follow:
            return None
        self.seen.add(url)
        if not met_before and not counted:
            self._inc("newsscrape/discovered")
            self._inc(f"newsscrape/discovered/{source}")
        if self.same_domain and not self._on_site(url):
            self._inc("newsscrape/skipped/off-site")
            logger.debug("skip %s: off the site", url)
            return None
        rules = self.profile.rules if self.profile is not None else None
        decision = classify_url(url, source, rules)
        if not met_before:
            self._inc(f"newsscrape/classified/{decision.kind}")
        logger.debug("classified %s as %s: %s", url, decision.kind, decision.reason)
        if decision.is_candidate:
            if source == "link" and not met_before:
                self._note_listed(url, source, None)
            priority = _PRIORITY.get(source, 10)
        elif follow:
            priority = _LINKS_ONLY_PRIORITY
            if met_before:
                self.too_deep.discard(url)
                self._inc("newsscrape/skipped/not-article", -1)
        else:
            self.seen.discard(url)
            self.too_deep.add(url)
            self._inc("newsscrape/skipped/not-article")
            return None
        if self.profile is not None and self.profile.language:
            hints = {**hints, "language": self.profile.language}
        meta = {
            "newsscrape_source": source,
            "newsscrape_depth": depth,
            "newsscrape_hints": hints,
            "newsscrape_decision": decision,
            "newsscrape_key": url,
        }
        request = scrapy.Request(
            url, callback=self.parse_page, errback=self.page_failed, priority=priority, meta=meta
        )
        if decision.is_candidate:
            self.waiting[url] = request
            if self.max_articles:
                self.outstanding += 1
        return request

    # --max-articles N: once N article candidates are in flight (or N articles written), a URL
    # met is parked as it was found, neither cleaned, classified nor made a request; parked
    # URLs are taken up, best source first, only when the crawl would otherwise go idle (some
    # candidates were no articles). A 50,000-URL sitemap crawled for 5 articles fetches about
    # 5 pages and builds about 5 requests.

    def _no_room(self) -> bool:
        return bool(self.max_articles) and (self._emitted() + self.outstanding >= self.max_articles)

    def _park(self, url: str, source: str, depth: int, hints: dict[str, str]) -> None:
        # Counted now as discovered and skipped; taken up later, it is no longer skipped.
        self._inc("newsscrape/discovered")
        self._inc(f"newsscrape/discovered/{source}")
        self._inc("newsscrape/skipped/max-articles")
        entry = (-_PRIORITY.get(source, 10), next(self.arrivals), url, source, depth, hints)
        heapq.heappush(self.parked, entry)

    def _item_settled(self, item: Any, **kwargs: Any) -> None:
        self.outstanding = max(0, self.outstanding - 1)

    def _release_deferred(self) -> None:
        if self._emitted() >= self.max_articles or not self.parked:
            return
        if self.crawler.engine is None:
            return
        # Idle: nothing is in flight any more, whatever the counters say (a request the
        # duplicate filter dropped never settles).
        self.outstanding = 0
        released = 0
        while self.parked and not self._no_room():
            _, _, url, source, depth, hints = heapq.heappop(self.parked)
            self._inc("newsscrape/skipped/max-articles", -1)
            request = self._page_request(url, source, depth, hints, counted=True)
            if request is not None:
                self.crawler.engine.crawl(request)
                released += 1
        if released:
            raise DontCloseSpider("releasing parked URLs")

    def _upgrade(self, url: str, source: str, hints: dict[str, str]) -> None:
        """A URL listed again by a news sitemap or feed after a plain sitemap or a link: its
        request, if still waiting, takes the better source and the listing's hints."""
        waiting = self.waiting.get(url)
        meta = waiting.meta if waiting is not None else None
        if meta is None or _SOURCE_RANK.get(source, 0) <= _SOURCE_RANK.get(
            meta["newsscrape_source"], 0
        ):
            return
        meta["newsscrape_source"] = source
        meta["newsscrape_hints"] = {**hints, **meta["newsscrape_hints"]}

    def _on_site(self, url: str) -> bool:
        host = _host_key(urlsplit(url).hostname or "")
        return any(host == h or host.endswith("." + h) for h in self.site_hosts)

    def parse_page(self, response: Response) -> Iterator[Any]:
        """An article candidate becomes a PageItem; any page may lead to more pages."""
        meta = response.meta
        self.waiting.pop(meta.get("newsscrape_key", ""), None)
        decision: UrlDecision = meta["newsscrape_decision"]
        source: str = meta["newsscrape_source"]
        depth: int = meta["newsscrape_depth"]
        self._inc("newsscrape/pages_fetched")
        if decision.is_candidate:
            page = page_from_response(response, source)
            page.hints = dict(meta.get("newsscrape_hints") or {})
            if self.profile is not None:
                page.site_chrome = self.profile.chrome
            yield page
        else:
            self._inc("newsscrape/links_only_fetched")
        if response.status >= 400 or not isinstance(response, TextResponse):
            return
        if decision.kind == HOME or (source == "url" and depth == 0):
            yield from self._feeds_linked_from(response)
        if depth >= self.depth:
            return
        for link in self.link_extractor.extract_links(response):
            if link.nofollow:
                continue
            request = self._page_request(link.url, "link", depth + 1, {})
            if request is not None:
                yield request

    def _feeds_linked_from(self, response: TextResponse) -> Iterator[scrapy.Request]:
        if self.profile is not None:
            return  # the profile names its feeds
        links = response.xpath(
            "//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]"
        )
        for link in links:
            kind = (link.attrib.get("type") or "").strip().lower()
            href = link.attrib.get("href")
            if kind in _FEED_TYPES and href:
                feed = response.urljoin(href)
                if url_problem(feed):
                    continue
                if self.same_domain and not self._on_site(feed):
                    self._inc("newsscrape/skipped/off-site")
                    logger.info("skip feed %s: off the site", feed)
                    continue
                yield self._listing_request(feed, declared=True)

    def page_failed(self, failure: Failure) -> Iterator[PageItem]:
        request = getattr(failure, "request", None)
        meta = request.meta if request is not None else {}
        self.waiting.pop(meta.get("newsscrape_key", ""), None)
        decision = meta.get("newsscrape_decision")
        error = failure.value
        if isinstance(error, IgnoreRequest) and "robots" in str(error).lower():
            # The site asked not to be crawled there: a polite crawl skips it, no failure.
            self._inc("newsscrape/skipped/robots")
            if decision is not None and decision.is_candidate:
                self._item_settled(None)
            logger.info("skip %s: forbidden by robots.txt", request.url if request else "?")
            return
        if decision is not None and decision.is_candidate:
            yield page_from_failure(failure, meta.get("newsscrape_source", "link"))
        else:
            logger.info("links-only page failed: %s: %s", request.url if request else "?", error)

    # --- Counters

    def _note_listed(self, url: str, source: str, pages: list[ListedPage] | None) -> None:
        """Tell the health checks (scraper/health) the article URLs a sitemap or feed at
        `url` listed (all of them, also those another source listed first: a feed that
        repeats the sitemap's newest entries still works), or (`pages` None) the article URL
        `url` first found by a link."""
        urls = [url]
        if pages is not None:
            rules = self.profile.rules if self.profile is not None else None
            urls = [
                clean_url(page.url)
                for page in pages
                if classify_url(
                    page.url, "news-sitemap" if page.news else source, rules
                ).is_candidate
            ]
        self.crawler.signals.send_catch_log(articles_listed, url=url, source=source, urls=urls)

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)

    def _emitted(self) -> int:
        if self.crawler.stats is None:
            return 0
        return int(self.crawler.stats.get_value("newsscrape/articles_emitted", 0))
