"""The Scrapy side of the health checks: figures counted while a crawl runs, a row per site
kept with the crawl state when it ends, checked against the site's recent runs.

`RunHealthCollector` is an extension (scraper/settings.py, group "Health of scheduled
crawls"). It is on for the crawl spiders (`newspaper`, `distributed`: NEWSSCRAPE_HEALTH in
their custom settings) whenever there is somewhere to keep the rows: NEWSSCRAPE_HEALTH_STORE,
else the crawl state (NEWSSCRAPE_STATE), else, for a distributed crawl, its Redis server.
It listens to what the crawl already reports: records written (item_scraped), unchanged
articles (item_dropped by the incremental stage), failed pages (page_failed) and the article
URLs each listing gave (`articles_listed`, from the spider).

When the spider closes (before the other extensions' spider_closed handlers run: its order is
below theirs), each site's row is saved and checked, and what came of it is left in the
crawl's stats for the summary, the CLI's exit status and the Spidermon monitors:

- `newsscrape/health/alerts`: the alerts, as JSON objects (`Alert.to_dict`);
- `newsscrape/health/note`: in words, what the run was compared with.

Alerts are also appended to NEWSSCRAPE_ALERTS_FILE (`--alerts FILE`) as JSON lines and logged
as warnings (NEWSSCRAPE_HEALTH_LOG_ALERTS; the CLI prints them itself).
"""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from scraper.canonical import canonical_key, record_key
from scraper.failures import page_failed
from scraper.health.checks import Alert, check_run
from scraper.health.metrics import SOURCE_OF, RunHealth, SiteTally, articles_listed
from scraper.health.store import HealthStore, HealthStoreError, StoredRun, open_health_store
from scraper.items import NOT_ARTICLE, PageFailure, PageItem
from scraper.record import utc_now
from scraper.sinks.errors_file import reason_kind

logger = logging.getLogger(__name__)

ALERTS_STAT = "newsscrape/health/alerts"
NOTE_STAT = "newsscrape/health/note"
# How a run ends decides what its row is: a finished run (or one stopped at --max-articles)
# is checked and becomes history; a paused one (Ctrl-C, SIGTERM: "shutdown") is kept as a
# partial row, merged with the rest of the run when the same JOBDIR resumes it; any other
# end (an output that failed) says nothing about the site and is not kept.
COMPLETE_REASONS = ("finished", "max_articles")
PAUSED_REASON = "shutdown"
# The incremental stage (pipelines/incremental.py) drops an unchanged article's record with
# the first message, and a page answered 304 Not Modified as a PageItem with status 304. The
# second is a record this run wrote before it was killed and restarted: written all the same.
UNCHANGED_DROP = "unchanged:"
WRITTEN_BEFORE_DROP = "already written in this crawl run:"


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


class RunHealthCollector:
    """Extension: per-site figures of a crawl run, kept with the state and checked."""

    def __init__(
        self, crawler: Crawler, location: str, history_runs: int, distributed: bool
    ) -> None:
        self.crawler = crawler
        self.location = location
        self.history_runs = history_runs
        self.distributed = distributed
        self.run = ""
        self.shared: Any = None
        self.tallies: dict[str, SiteTally] = {}
        # The crawl's one site (a newspaper crawl), or None: each URL's own seeded site.
        self.site: str | None = None
        self.spider: Spider | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunHealthCollector:
        settings = crawler.settings
        if not settings.getbool("NEWSSCRAPE_HEALTH"):
            raise NotConfigured  # not a crawl spider: off without a warning
        from scraper.distributed import SPIDER_NAME

        distributed = getattr(crawler.spidercls, "name", "") == SPIDER_NAME
        location = settings.get("NEWSSCRAPE_HEALTH_STORE") or settings.get("NEWSSCRAPE_STATE")
        if not location and distributed:
            location = settings.get("REDIS_URL")
        if not location:
            raise NotConfigured  # nowhere to keep a history
        collector = cls(
            crawler, str(location), settings.getint("NEWSSCRAPE_HEALTH_RUNS", 10), distributed
        )
        connect = crawler.signals.connect
        connect(collector.spider_opened, signal=signals.spider_opened)
        connect(collector.spider_closed, signal=signals.spider_closed)
        connect(collector.item_scraped, signal=signals.item_scraped)
        connect(collector.item_dropped, signal=signals.item_dropped)
        connect(collector.page_failed, signal=page_failed)
        connect(collector.articles_listed, signal=articles_listed)
        return collector

    # --- While the crawl runs

    def spider_opened(self, spider: Spider) -> None:
        self.spider = spider
        if self.distributed:
            from scraper.health.shared import SharedRun

            self.shared = SharedRun(str(self.crawler.settings.get("REDIS_URL")))
            self.run = self.shared.join()
            return
        profile = getattr(spider, "profile", None)
        self.site = profile.name if profile is not None else _host(getattr(spider, "start_url", ""))
        # A site that gives nothing at all must still have its row: that is the alert.
        self.tallies[self.site] = SiteTally()
        from scraper.state import session_for

        session = (
            session_for(self.crawler) if self.crawler.settings.get("NEWSSCRAPE_STATE") else None
        )
        self.run = session.run_id if session is not None else uuid.uuid4().hex[:16]

    def _tally(self, url: str) -> SiteTally:
        site = self.site
        if site is None:
            # A distributed crawl's seeded sites, as the spider knows them now (it learns the
            # sites other workers seeded): a page of a subdomain counts for its site.
            host = _host(url)
            hosts = sorted(getattr(self.spider, "site_hosts", ()), key=len, reverse=True)
            site = next((s for s in hosts if host == s or host.endswith("." + s)), host)
        return self.tallies.setdefault(site, SiteTally())

    def item_scraped(self, item: Any, **kwargs: Any) -> None:
        if isinstance(item, dict) and item.get("fingerprint"):
            key = record_key(item)
            if key:
                self._tally(str(item.get("url") or key)).add_record(key, item)

    def item_dropped(self, item: Any, exception: BaseException, **kwargs: Any) -> None:
        if isinstance(item, PageItem):
            if item.status == 304:
                self._tally(item.url).add_unchanged(canonical_key(item.requested_url or item.url))
        elif isinstance(item, dict) and isinstance(exception, DropItem):
            key = record_key(item)
            reason = str(exception)
            if key and reason.startswith(UNCHANGED_DROP):
                self._tally(str(item.get("url") or key)).add_unchanged(key)
            elif key and reason.startswith(WRITTEN_BEFORE_DROP):
                self._tally(str(item.get("url") or key)).add_record(key, item)

    def page_failed(self, failure: PageFailure, **kwargs: Any) -> None:
        tally = self._tally(failure.url)
        if failure.stage == NOT_ARTICLE:
            tally.add_not_article()
        else:
            tally.add_failure(f"{failure.stage}: {reason_kind(failure.reason)}")

    def articles_listed(self, url: str, source: str, urls: list[str], **kwargs: Any) -> None:
        if source in SOURCE_OF:
            self._tally(url).add_listed(SOURCE_OF[source], urls)

    # --- When it ends

    def spider_closed(self, spider: Spider, reason: str) -> None:
        try:
            alerts, note = self._finish(reason)
        except Exception as error:  # a store that fails must not take the crawl's end with it
            detail = str(error) if isinstance(error, HealthStoreError) else repr(error)
            alerts, note = [], f"health history not kept: {detail}"
            logger.error("%s", note)
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value(ALERTS_STAT, [alert.to_dict() for alert in alerts])
            stats.set_value(NOTE_STAT, note)
        logger.info("health: %s", note)
        if self.crawler.settings.getbool("NEWSSCRAPE_HEALTH_LOG_ALERTS", True):
            for alert in alerts:
                logger.warning("health alert: %s", alert.message)
        path = self.crawler.settings.get("NEWSSCRAPE_ALERTS_FILE")
        if path and alerts:
            append_alerts(Path(path), alerts)

    def _finish(self, reason: str) -> tuple[list[Alert], str]:
        """Save and check each site's row; the alerts and a note on what was done."""
        now = utc_now()
        if self.distributed:
            return self._finish_shared(reason, now)
        if reason not in (*COMPLETE_REASONS, PAUSED_REASON):
            return [], f"not checked: the run stopped early ({reason})"
        complete = reason != PAUSED_REASON
        store = open_health_store(self.location)
        try:
            alerts: list[Alert] = []
            notes = []
            for site, tally in self.tallies.items():
                row = tally.row(site, self.run, now, complete=False)
                earlier = store.get(site, self.run)
                if earlier is not None and not earlier.row.complete:
                    row = earlier.row.merged(row)  # the first part of a paused run
                if not complete:
                    store.save(StoredRun(row, [], "paused; checked when the run ends"))
                    notes.append(f"{site}: paused, checked when the run ends")
                    continue
                row.complete = True  # its word counts stay for the check, not the store
                result = self._check(store, row)
                alerts += result.alerts
                notes.append(result.note)
            return alerts, "; ".join(notes)
        finally:
            store.close()

    def _finish_shared(self, reason: str, now: str) -> tuple[list[Alert], str]:
        share = {
            site: tally.row(site, self.run, now, complete=False)
            for site, tally in self.tallies.items()
        }
        rows = self.shared.hand_in(share)
        self.shared.close()
        if rows is None:
            return [], "this worker's share handed in; the crawl's last worker checks the run"
        store = open_health_store(self.location)
        try:
            results = [self._check(store, row) for row in rows.values()]
        finally:
            store.close()
        return [a for r in results for a in r.alerts], "; ".join(r.note for r in results)

    def _check(self, store: HealthStore, row: RunHealth) -> Any:
        history = store.history(row.site, before=row.run, limit=self.history_runs)
        result = check_run(row, history)
        store.save(StoredRun(row, result.alerts, result.note))
        return result


def append_alerts(path: Path, alerts: list[Alert]) -> None:
    """Append each alert to `path` as one JSON line (one write each: whole after a kill)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "ab", buffering=0) as stream:
        for alert in alerts:
            line = json.dumps(alert.to_dict(), ensure_ascii=False) + "\n"
            stream.write(line.encode("utf-8"))
