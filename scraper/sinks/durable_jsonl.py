"""A JSON Lines output that a kill at any instant leaves whole: every article exactly once.

Scrapy's feed exports write after the pipelines through a buffer, so a killed crawl can
leave a torn last line, lose buffered records the state already counts as written, or (if
the state lags) write an article again on resume. This sink is the last pipeline stage and
writes each record in three steps:

1. append the line with one `write` and `fsync` it;
2. in one state transaction, record the article's version as written *and* the file's new
   committed size;
3. pass the record on (item_scraped: stats, other feeds).

A kill between 1 and 2 leaves a line the state does not know: on the next start the file is
cut back to its committed size and the article, not marked written, is written again. A kill
inside 1 leaves a torn line past the committed size: cut the same way. So after kill and
resume with the same state and output path, the output holds every article exactly once
and no partial line. With no state the sink still appends whole lines and cuts a torn tail.

A failed write (disk full) cuts the file back to its last committed record, logs one line,
sets the `newsscrape/output_error` stat (exit status 3 from the CLI) and stops the crawl;
the articles not written are not marked written, so the next run writes them.

The file is appended to across runs (a scheduled crawl's output grows by the new and changed
articles of each run). Enabled by NEWSSCRAPE_JSONL_OUTPUT (`newsscrape crawl -o x.jsonl`
with a crawl state uses it); NEWSSCRAPE_JSONL_FSYNC=False trades the power-cut guarantee
(not the kill guarantee) for speed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from scraper.canonical import record_key
from scraper.sinks.output_guard import OUTPUT_ERROR_REASON, OUTPUT_ERROR_STAT, end_of_last_line
from scraper.state import CrawlState, StateSession, session_for

logger = logging.getLogger(__name__)


def committed_end(path: Path, committed: int | None) -> int:
    """How many bytes of `path` hold whole, committed records.

    With a committed size from the state: that size (a longer file has an uncommitted or
    torn tail). Without one (or when the file is shorter: someone else truncated it): the
    end of the last whole line."""
    size = path.stat().st_size if path.exists() else 0
    if committed is not None and committed <= size:
        return committed
    if committed is not None:
        logger.warning(
            "%s is shorter (%d bytes) than the crawl state recorded (%d): was it edited? "
            "Keeping its whole lines",
            path,
            size,
            committed,
        )
    if size == 0:
        return 0
    with path.open("rb") as stream:
        return end_of_last_line(stream, size)


class DurableJsonlWriter:
    """Appends records as whole, fsynced JSON lines to one file; see the module doc."""

    def __init__(self, path: str | Path, store: CrawlState | None, fsync: bool = True) -> None:
        self.path = Path(path).resolve()
        self.name = str(self.path)
        self.store = store
        self.fsync = fsync
        self.path.parent.mkdir(parents=True, exist_ok=True)
        end = committed_end(self.path, store.committed_size(self.name) if store else None)
        size = self.path.stat().st_size if self.path.exists() else 0
        if size > end:
            logger.warning(
                "%s: removing %d bytes after the last committed record (a crawl was killed "
                "while writing); those articles are written again",
                self.path,
                size - end,
            )
            os.truncate(self.path, end)
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.size = end
        if store is not None:
            store.set_committed_size(self.name, end)

    def append(self, record: dict[str, Any]) -> int:
        """Write one record as a line, durably; returns the file's new committed size."""
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        view = memoryview(data)
        try:
            while view:
                written = os.write(self.fd, view)
                view = view[written:]
            if self.fsync:
                os.fsync(self.fd)
        except OSError:
            # Whatever part of the line reached the file is not a record: cut it off.
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, self.size)
            raise
        self.size += len(data)
        return self.size

    def close(self) -> None:
        """Close the file (every line is already on disk)."""
        os.close(self.fd)


class DurableJsonlPipeline:
    """The last pipeline stage: writes each record to NEWSSCRAPE_JSONL_OUTPUT and marks it
    written in the crawl state in the same step."""

    def __init__(self, crawler: Crawler, path: str, session: StateSession | None) -> None:
        self.crawler = crawler
        self.session = session
        self.failed: str | None = None
        self.writer = DurableJsonlWriter(
            path,
            session.store if session else None,
            fsync=crawler.settings.getbool("NEWSSCRAPE_JSONL_FSYNC", True),
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DurableJsonlPipeline:
        path = crawler.settings.get("NEWSSCRAPE_JSONL_OUTPUT")
        if not path:
            raise NotConfigured  # not asked for: off without a warning
        return cls(crawler, str(path), session_for(crawler))

    def process_item(self, item: Any) -> Any:
        if self.failed is not None:
            raise DropItem(self.failed, log_level="DEBUG")
        record = ItemAdapter(item).asdict()
        try:
            size = self.writer.append(record)
        except OSError as error:
            self._write_failed(error)
            raise DropItem(str(self.failed), log_level="DEBUG") from error
        key = record_key(record)
        if self.session is not None and key is not None and record.get("fingerprint"):
            self.session.store.record_emission(
                key,
                str(record.get("canonical_url") or record.get("url")),
                str(record["fingerprint"]),
                self.session.run_id,
                url=str(record.get("url") or "") or None,
                output=self.writer.name,
                committed_size=size,
            )
        elif self.session is not None:
            self.session.store.set_committed_size(self.writer.name, size)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("newsscrape/jsonl_written")
        return item

    def _write_failed(self, error: OSError) -> None:
        self.failed = (
            f"cannot write {self.writer.path}: {error.strerror or error}; the crawl stops here, "
            "the file keeps the records written before, and the next run writes the rest "
            "(free space or choose another -o)"
        )
        logger.error(self.failed)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(OUTPUT_ERROR_STAT, self.failed)
        if self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=OUTPUT_ERROR_REASON))

    def close_spider(self) -> None:
        self.writer.close()
