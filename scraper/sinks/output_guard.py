"""Output that cannot be written (disk full, closed pipe) stops the crawl with one clear line.

Without this, Scrapy's feed export logs each failed write as a signal-handler error and the
crawl goes on fetching pages whose records are lost, then reports them as written. Here the
first failed write of a local feed file:
- logs `cannot write FILE: No space left on device; ...` once,
- records it in the stats (`newsscrape/output_error`), which the CLI turns into exit status 3,
- closes the spider (reason `output-error`), so no more pages are fetched for nothing,
- and leaves the records written before the failure in place (JSON Lines: whole lines up to
  the last complete write; a temporary Parquet file is removed, never renamed over the target).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import StdoutFeedStorage
from scrapy.utils.defer import deferred_from_coro

from scraper.sinks.atomic import AtomicFileFeedStorage

logger = logging.getLogger(__name__)

OUTPUT_ERROR_STAT = "newsscrape/output_error"
OUTPUT_ERROR_REASON = "output-error"
# Formats with one record per line: after a failed write, cut back to the last whole line.
LINE_FORMATS = ("jsonlines",)


def end_of_last_line(stream: IO[bytes], end: int) -> int:
    """Where the last whole line of `stream`'s first `end` bytes ends (0: no newline in them);
    a torn line has no newline after it. Read backwards, 64 KiB at a time."""
    while end > 0:
        start = max(0, end - 65536)
        stream.seek(start)
        newline = stream.read(end - start).rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        end = start
    return 0


def cut_to_last_line(path: Path) -> None:
    """Truncate `path` after its last newline, so no half-written record remains."""
    with contextlib.suppress(OSError), path.open("rb+") as stream:
        stream.truncate(end_of_last_line(stream, stream.seek(0, os.SEEK_END)))


class GuardedOutput(io.BufferedIOBase):
    """A writable binary file whose first OSError is reported and later writes are dropped."""

    def __init__(
        self, inner: IO[bytes], on_error: Callable[[OSError], None], owns_inner: bool = True
    ) -> None:
        super().__init__()
        self._inner = inner
        self._on_error = on_error
        # Standard output is not ours to close; a file we opened is.
        self._owns_inner = owns_inner
        self.failed: OSError | None = None

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        size = len(data)
        if self.failed is None:
            try:
                self._inner.write(data)
            except OSError as error:
                self._fail(error)
        return size

    def flush(self) -> None:
        if self.failed is None and not self._inner.closed:
            try:
                self._inner.flush()
            except OSError as error:
                self._fail(error)

    def close(self) -> None:
        if self.closed:
            return
        self.flush()
        if not self._owns_inner:
            super().close()
            return
        try:
            self._inner.close()
        except (OSError, ValueError) as error:
            if self.failed is None and isinstance(error, OSError):
                self._fail(error)
        super().close()

    def fileno(self) -> int:
        return self._inner.fileno()

    def _fail(self, error: OSError) -> None:
        self.failed = error
        # Drop what is still buffered: it cannot be written, and flushing it later (once a
        # truncation has freed space) would land past the end of the file.
        if self._owns_inner:
            raw = getattr(self._inner, "raw", None)
            if raw is not None:
                with contextlib.suppress(OSError, ValueError):
                    raw.close()
        else:
            # Standard output (a full disk, a closed pipe): point its descriptor at /dev/null,
            # so the interpreter's own flush at exit does not print a second error.
            with contextlib.suppress(OSError, ValueError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, self._inner.fileno())
                os.close(devnull)
        self._on_error(error)


class GuardedFileFeedStorage(AtomicFileFeedStorage):
    """The local-file feed storage, with write failures reported and the crawl stopped."""

    crawler: Crawler | None = None

    @classmethod
    def from_crawler(
        cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
    ) -> GuardedFileFeedStorage:
        storage = super().from_crawler(crawler, uri, feed_options=feed_options)
        assert isinstance(storage, GuardedFileFeedStorage)
        storage.crawler = crawler
        return storage

    def __init__(self, uri: str, **kwargs: Any) -> None:
        super().__init__(uri, **kwargs)
        self.format = (kwargs.get("feed_options") or {}).get("format")

    def open(self, spider: Spider | None) -> IO[bytes]:
        self.output = GuardedOutput(super().open(spider), self._write_failed)
        return self.output  # type: ignore[return-value]

    def store(self, file: IO[bytes]) -> None:
        file.close()
        if self.output.failed is not None and self.temporary_path is not None:
            # A format that must be whole (Parquet): the broken file never takes the target's name.
            self.temporary_path.unlink(missing_ok=True)
            self.temporary_path = None
        super().store(file)

    def _write_failed(self, error: OSError) -> None:
        if self.temporary_path is None and self.format in LINE_FORMATS:
            cut_to_last_line(Path(self.path))
        stop_crawl(
            self.crawler,
            f"cannot write {self.path}: {error.strerror or error}; the crawl stops here, and "
            "the file keeps only the records written before (free space or choose another -o)",
        )


class GuardedStdoutFeedStorage(StdoutFeedStorage):
    """Scrapy's stdout feed storage, with a failed write (`> /dev/full`, a closed pipe)
    reported once and the crawl stopped."""

    crawler: Crawler | None = None

    @classmethod
    def from_crawler(
        cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
    ) -> GuardedStdoutFeedStorage:
        storage = cls(uri, feed_options=feed_options)
        storage.crawler = crawler
        return storage

    def open(self, spider: Spider | None) -> IO[bytes]:
        self.output = GuardedOutput(self._stdout, self._write_failed, owns_inner=False)
        return self.output  # type: ignore[return-value]

    def _write_failed(self, error: OSError) -> None:
        stop_crawl(
            self.crawler,
            f"cannot write standard output: {error.strerror or error}; the crawl stops here "
            "(free space, or write to a file with -o)",
        )


def stop_crawl(crawler: Crawler | None, message: str) -> None:
    """Log `message` once, mark the run as failed on output, and close the spider."""
    logger.error(message)
    if crawler is None:
        return
    if crawler.stats is not None:
        crawler.stats.set_value(OUTPUT_ERROR_STAT, message)
    if crawler.engine is not None:
        deferred_from_coro(crawler.engine.close_spider_async(reason=OUTPUT_ERROR_REASON))
