"""Stage: with a crawl state, only new and changed articles go on; unchanged ones stop here.

Two pipeline classes, both enabled by NEWSSCRAPE_STATE:

- `NotModifiedPipeline` (before extraction): a page the server answered with 304 Not
  Modified is an unchanged article; it is counted and dropped without extraction.
- `IncrementalPipeline` (after validation, before de-duplication): a record whose content
  fingerprint equals the written version's is unchanged; a new article goes on; a changed
  one goes on as a new version with `modified` set (the fetch time when the page gives no
  modified date, with provenance `fetch`). An article already written in this crawl run (a
  resumed crawl, or a second URL of the same article) is not written again.

Unchanged articles are counted in the stat `newsscrape/unchanged` (the crawl summary shows
it). Records carry the crawl run's id in `crawl_id`. An article counts as written when it
reaches the end of the pipelines (the item_scraped signal) or, with the durable JSON Lines
output, when its line is on disk (`scraper.sinks.durable_jsonl`).
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from scraper.canonical import record_key
from scraper.items import PageItem
from scraper.record import utc_now
from scraper.state import StateSession, session_for

UNCHANGED_STAT = "newsscrape/unchanged"


class _StateStage:
    """A pipeline stage that needs the crawl state (disabled without NEWSSCRAPE_STATE)."""

    def __init__(self, crawler: Crawler, session: StateSession) -> None:
        self.crawler = crawler
        self.session = session
        self.store = session.store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        session = session_for(crawler)
        if session is None:
            raise NotConfigured  # not asked for: off without a warning
        return cls(crawler, session)

    def _count(self, stat: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(stat)


class NotModifiedPipeline(_StateStage):
    """Drops pages answered with 304 Not Modified: their article is unchanged."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem) or item.status != 304:
            return item
        key = self.store.key_for_url(item.url)
        if key is not None:
            self.store.record_unchanged(key, 304)
        self._count(UNCHANGED_STAT)
        raise DropItem(f"not modified: {item.url}", log_level="DEBUG")


class IncrementalPipeline(_StateStage):
    """Lets through new and changed articles only, changed ones as new versions."""

    def __init__(self, crawler: Crawler, session: StateSession) -> None:
        super().__init__(crawler, session)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        key = record_key(item)
        fingerprint = item.get("fingerprint")
        if key is None or not fingerprint:
            return item
        url = str(item.get("url") or "")
        known = self.store.article(key)
        if known is not None and known.fingerprint is not None:
            if self._unchanged(url, key, fingerprint, known.fingerprint):
                if url:
                    self.store.settle(url, key, fingerprint)
                self.store.record_unchanged(key, int(item.get("status") or 200))
                self._count(UNCHANGED_STAT)
                raise DropItem(f"unchanged: {key}", log_level="DEBUG")
            if known.emitted_run == self.session.run_id:
                self._count("newsscrape/already_written_in_run")
                raise DropItem(f"already written in this crawl run: {key}", log_level="DEBUG")
            self._mark_new_version(item)
            self._count("newsscrape/changed")
        else:
            self._count("newsscrape/new")
        item["crawl_id"] = self.session.run_id
        return item

    def _unchanged(self, url: str, key: str, fingerprint: str, written: str) -> bool:
        """Whether a record of an article with a written version brings nothing new."""
        if fingerprint == written:
            return True
        # Another URL of the article (an AMP copy, a syndicated path) may extract a little
        # differently: only a change of that URL's own content is a new version, else the
        # two copies would take turns as "changed" on every run.
        settled = self.store.url_fingerprint(url) if url else None
        return settled is None or settled == fingerprint

    def _mark_new_version(self, item: dict[str, Any]) -> None:
        # A changed article is a new version: its `modified` says when. Pages that do not
        # say it themselves get the fetch time, and provenance tells the two apart.
        if not item.get("modified"):
            item["modified"] = item.get("fetched_at") or utc_now()
            provenance = dict(item.get("provenance") or {})
            provenance["modified"] = "fetch"
            item["provenance"] = provenance

    def item_scraped(self, item: Any) -> None:
        """The record reached the end of the pipelines: record its version as written."""
        if not isinstance(item, dict):
            return
        key = record_key(item)
        if key is None or not item.get("fingerprint"):
            return
        self.store.record_emission(
            key,
            str(item.get("canonical_url") or item.get("url")),
            str(item["fingerprint"]),
            self.session.run_id,
            url=str(item.get("url") or "") or None,
        )
