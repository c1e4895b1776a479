"""Stage: syndicated and near-duplicate copies are marked (or dropped) by story cluster.

After `pipelines.dedup` (one record per canonical URL in a crawl), every record gets a
`cluster_id`, and a copy of a story first seen under another URL gets `duplicate_of` (that
first copy's canonical URL). Settings: NEWSSCRAPE_DEDUP ("keep" marks, "drop" also drops
the copies), NEWSSCRAPE_DEDUP_STATE (the SQLite file that carries what was seen across
runs), NEWSSCRAPE_NEARDUP_CONTAINMENT. See `scraper.dedup` for how copies are recognised.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings

from scraper.dedup import DedupState, DuplicateDetector
from scraper.dedup.detector import MIN_CONTAINMENT

logger = logging.getLogger(__name__)

KEEP, DROP = "keep", "drop"
DEDUP_MODES = (KEEP, DROP)
STATE_FILE_NAME = "dedup.sqlite3"


def state_path(settings: BaseSettings) -> str:
    """Where the dedup state lives: NEWSSCRAPE_DEDUP_STATE; else in the crawl state's own
    SQLite file (NEWSSCRAPE_STATE, when that is a local file: its tables beside the crawl
    state's, as the learned boilerplate's are); else in JOBDIR; else in memory, for this
    run only."""
    explicit = settings.get("NEWSSCRAPE_DEDUP_STATE")
    if explicit:
        return str(explicit)
    crawl_state = str(settings.get("NEWSSCRAPE_STATE") or "")
    if crawl_state and "://" not in crawl_state:
        return crawl_state
    jobdir = settings.get("JOBDIR")
    if jobdir:
        return str(Path(jobdir) / STATE_FILE_NAME)
    return ":memory:"


class NearDupPipeline:
    """Marks each record's story cluster and earliest copy; drops copies in "drop" mode."""

    def __init__(
        self,
        state_file: str = ":memory:",
        mode: str = KEEP,
        min_containment: float = MIN_CONTAINMENT,
        crawler: Crawler | None = None,
    ) -> None:
        if mode not in DEDUP_MODES:
            raise ValueError(f"NEWSSCRAPE_DEDUP must be keep or drop, not {mode!r}")
        self.state_file = state_file
        self.drop = mode == DROP
        self.min_containment = min_containment
        self.crawler = crawler
        self.detector: DuplicateDetector | None = None

    @classmethod
    def from_settings(
        cls, settings: BaseSettings, crawler: Crawler | None = None
    ) -> NearDupPipeline:
        """The pipeline as the settings describe it (also for use outside a crawl)."""
        return cls(
            state_file=state_path(settings),
            mode=str(settings.get("NEWSSCRAPE_DEDUP") or KEEP).strip().lower(),
            min_containment=settings.getfloat("NEWSSCRAPE_NEARDUP_CONTAINMENT", MIN_CONTAINMENT),
            crawler=crawler,
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NearDupPipeline:
        return cls.from_settings(crawler.settings, crawler)

    def open_spider(self) -> None:
        self.detector = DuplicateDetector(
            DedupState(self.state_file), min_containment=self.min_containment
        )

    def close_spider(self) -> None:
        if self.detector is not None:
            self.detector.state.close()
            self.detector = None

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        if self.detector is None:
            self.open_spider()
        assert self.detector is not None
        verdict = self.detector.observe(item)
        item["cluster_id"] = verdict.cluster_id
        item["duplicate_of"] = verdict.duplicate_of
        if verdict.is_duplicate:
            self._count(f"newsscrape/duplicates/{verdict.reason}")
            if self.drop:
                self._count("newsscrape/duplicates_dropped")
                first = verdict.duplicate_of or "an earlier document without URL"
                raise DropItem(f"{verdict.reason} copy of {first} (--dedup drop)", log_level="INFO")
        return item

    def _count(self, key: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)
