"""Stage: a fetched page becomes an article record, or a failure with its reason."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from scraper.extract.errors import NotAnArticle, NotHTMLError
from scraper.items import EXTRACT, FETCH, NOT_ARTICLE, READ, PageFailure, PageItem
from scraper.page_kinds import ARTICLE, PAGE_KINDS
from scraper.pool import EXTRACTION_MODULES, WorkerCrashed, WorkerPool
from scraper.record import ArticleRecord

# The extraction workers import this module for `ExtractPipeline.outcome_of` and need none of
# Scrapy or Twisted (0.5 s of every worker server's start): what the crawl side uses of them
# is imported in the methods that run there.
if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


class PageRejected(Exception):
    """A page gave no article; carries the failure to report."""

    def __init__(self, failure: PageFailure) -> None:
        super().__init__(f"{failure.stage}: {failure.reason}")
        self.failure = failure


def record_from_page(
    page: PageItem, fast: bool = False, kinds: tuple[str, ...] = (ARTICLE,)
) -> ArticleRecord:
    """The record of a fetched page whose kind is among `kinds`; raises PageRejected with the
    reason otherwise. `fast`: see `scraper.extract.body.extract_body`."""

    # Imported here, not at the top: the crawl process loads this stage at every start, and
    # with extraction in worker processes only they need trafilatura and the whole stack.
    from scraper.extract.article import analyse_page, build_record

    def reject(stage: str, reason: str) -> PageRejected:
        return PageRejected(PageFailure(page.url, stage, reason, page.status))

    # A saved page (`newsscrape extract FILE`) was read, not fetched: what its bytes lack
    # (empty, not HTML) is said at the read stage.
    obtained = READ if page.source == "file" else FETCH
    if page.error:
        raise reject(obtained, page.error)
    if page.status is not None and page.status >= 400:
        raise reject(FETCH, f"HTTP {page.status}")
    media_type = (page.content_type or "").split(";")[0].strip().lower()
    if media_type and media_type not in _HTML_TYPES:
        raise reject(obtained, f"not an HTML page ({media_type})")
    try:
        extraction = analyse_page(
            page.body,
            page.url or None,
            page.content_type,
            site_chrome=page.site_chrome,
            fast=fast,
        )
        if extraction.kind.name is not None and extraction.kind.name not in kinds:
            raise NotAnArticle(extraction.kind.reason)
        record = build_record(extraction)
    except NotHTMLError as error:
        raise reject(obtained, str(error)) from error
    except NotAnArticle as error:
        raise reject(NOT_ARTICLE, str(error)) from error
    except Exception as error:  # a hostile page must not stop the crawl
        raise reject(EXTRACT, f"{type(error).__name__}: {error}") from error
    record.status = page.status
    record.fetched_at = page.fetched_at
    record.source = page.source
    record.warc_record_id = page.warc_record_id
    fill_from_hints(record, page)
    return record


def page_kinds(names: list[str]) -> tuple[str, ...]:
    """NEWSSCRAPE_PAGE_KINDS as a tuple; ValueError naming an unknown kind."""
    unknown = [name for name in names if name not in PAGE_KINDS]
    if unknown:
        raise ValueError(
            f"NEWSSCRAPE_PAGE_KINDS: unknown page kind {unknown[0]!r} "
            f"(kinds: {', '.join(PAGE_KINDS)})"
        )
    return tuple(names)


def fill_from_hints(record: ArticleRecord, page: PageItem) -> None:
    """Fields the page lacks, from what its sitemap, feed or site profile said about it."""
    listing = "feed" if page.source == "feed" else "sitemap"
    for name, origin in (("published", listing), ("title", listing), ("language", "profile")):
        value, current = page.hints.get(name), getattr(record, name)
        # A bare day (from the URL, say) gains the listing's time when the days agree.
        vaguer = name == "published" and current and len(current) == 10
        if value and (not current or (vaguer and value.startswith(current))):
            setattr(record, name, value)
            record.provenance[name] = origin


class ExtractPipeline:
    """Turns PageItems into article records (dicts in schema order).

    With NEWSSCRAPE_WORKERS > 0 (default: one per CPU core) `record_from_page` runs in that many
    worker processes (`scraper.pool.WorkerPool`), so extraction uses every core and the reactor
    keeps downloading; at most NEWSSCRAPE_WORKER_QUEUE pages per worker are handed over at a
    time, and while more than NEWSSCRAPE_WORKER_BACKLOG pages per worker wait, no new requests
    are sent. NEWSSCRAPE_WORKERS = 0 extracts on the reactor thread. NEWSSCRAPE_FAST_EXTRACTION
    skips trafilatura's comparison stage (`--fast`).
    """

    def __init__(self, crawler: Crawler | None = None, settings: BaseSettings | None = None):
        self.crawler = crawler
        settings = settings if settings is not None else crawler.settings if crawler else None
        self.pool: WorkerPool | None = None
        self.pages_done = 0
        # Pages handed to this stage and not yet extracted; above `max_waiting` (0: no limit)
        # the engine stops sending requests until half of them are done.
        self.waiting = 0
        self.max_waiting = 0
        self.holding_downloads = False
        # Every record of a crawl names the crawl run that produced it; the incremental stage
        # replaces this with the state's run id, which survives a kill and resume. Outside a
        # crawl (`newsscrape extract`) there is no run: records keep crawl_id null.
        self.crawl_id: str | None = uuid.uuid4().hex[:16] if crawler is not None else None
        self.fast = False
        self.kinds: tuple[str, ...] = (ARTICLE,)
        if settings is not None:
            self.fast = settings.getbool("NEWSSCRAPE_FAST_EXTRACTION")
            self.kinds = page_kinds(settings.getlist("NEWSSCRAPE_PAGE_KINDS", [ARTICLE]))
            if crawler is not None:
                self.crawl_id = settings.get("NEWSSCRAPE_CRAWL_ID") or self.crawl_id
            workers = settings.getint("NEWSSCRAPE_WORKERS")
            per_worker = settings.getint("NEWSSCRAPE_WORKER_QUEUE", 2)
            if workers > 0:
                self.pool = WorkerPool(workers, workers * per_worker, preload=EXTRACTION_MODULES)
                backlog = settings.getint("NEWSSCRAPE_WORKER_BACKLOG", 16)
                self.max_waiting = workers * backlog if backlog > 0 else 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> ExtractPipeline:
        """The stage outside a crawl (`newsscrape extract`): no crawl run, no stats."""
        return cls(settings=settings)

    @staticmethod
    def outcome_of(
        page: PageItem, fast: bool = False, kinds: tuple[str, ...] = (ARTICLE,)
    ) -> dict[str, Any] | PageFailure:
        """The record of a page as a dict in schema order, or its failure (returned, not
        raised: it crosses processes). The dict is made here, in the worker: `to_dict` deep-
        copies the record, CPU the reactor thread need not spend."""
        try:
            return record_from_page(page, fast, kinds).to_dict()
        except PageRejected as rejected:
            return rejected.failure

    def open_spider(self) -> None:
        if self.pool is not None:
            # Workers load the extractor while the first requests are on their way.
            self.pool.start_in_background()

    def _note_backlog(self) -> None:
        # Responses received but not yet extracted: what backpressure must keep bounded.
        if self.crawler is None or self.crawler.stats is None:
            return
        received = self.crawler.stats.get_value("response_received_count", 0)
        self.crawler.stats.max_value("newsscrape/pool/peak_backlog", received - self.pages_done)

    def _hold_downloads(self) -> None:
        # Scrapy's own bound (SCRAPER_SLOT_MAX_ACTIVE_SIZE) counts bytes, at least 1 kB a
        # response: 5,000 small pages may wait for extraction, each with its request,
        # response and tasks (~35 kB). A 50,000-page crawl of 1 kB pages grew by 200 MB that
        # way whenever the workers fell behind. Pausing the engine stops new requests only;
        # those in flight still land, and every page finished schedules the engine again.
        engine = self.crawler.engine if self.crawler is not None else None
        if engine is None or not self.max_waiting:
            return
        if not self.holding_downloads and self.waiting > self.max_waiting and not engine.paused:
            engine.pause()
            self.holding_downloads = True
            if self.crawler is not None and self.crawler.stats is not None:
                self.crawler.stats.inc_value("newsscrape/pool/downloads_held")
        elif self.holding_downloads and self.waiting <= self.max_waiting // 2:
            engine.unpause()
            self.holding_downloads = False

    def close_spider(self) -> None:
        if self.pool is not None:
            if self.crawler is not None and self.crawler.stats is not None:
                stats = self.crawler.stats
                stats.set_value("newsscrape/pool/workers", self.pool.workers)
                stats.set_value("newsscrape/pool/restarts", self.pool.restarts)
                stats.set_value("newsscrape/pool/peak_pending", self.pool.peak_pending)
            self.pool.close()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        self._note_backlog()
        outcome: dict[str, Any] | PageFailure
        try:
            if self.pool is None:
                outcome = self.outcome_of(item, self.fast, self.kinds)
            else:
                self.waiting += 1
                self._hold_downloads()
                try:
                    outcome = await self.pool.call(
                        ExtractPipeline.outcome_of, item, self.fast, self.kinds
                    )
                finally:
                    self.waiting -= 1
                    self._hold_downloads()
        except WorkerCrashed as crashed:
            outcome = PageFailure(item.url, EXTRACT, str(crashed), item.status)
        finally:
            self.pages_done += 1
        if isinstance(outcome, PageFailure):
            from scraper.failures import PageDropped, report_failure

            report_failure(self.crawler, outcome)
            raise PageDropped(outcome)
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value("newsscrape/articles_extracted")
        outcome["crawl_id"] = self.crawl_id
        return outcome
