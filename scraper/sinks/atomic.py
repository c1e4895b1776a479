"""Local file feeds that appear whole or not at all, for formats that are useless when cut short.

A Parquet file is only readable once its footer is written. Scrapy's FileFeedStorage writes
straight to the target path, so a killed crawl would leave a broken file there. This storage,
registered for local paths in FEED_STORAGES, writes such formats (NEWSSCRAPE_ATOMIC_FEED_FORMATS)
to a hidden temporary file beside the target and renames it over the target when the feed is
stored; every other format streams to its path as before (a JSON Lines file cut short is
still readable up to its last line).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import IO, Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FileFeedStorage

DEFAULT_ATOMIC_FORMATS = ("parquet",)


class AtomicFileFeedStorage(FileFeedStorage):
    """FileFeedStorage that writes the formats in `atomic_formats` through a temporary file."""

    def __init__(
        self,
        uri: str,
        *,
        feed_options: dict[str, Any] | None = None,
        atomic_formats: tuple[str, ...] = DEFAULT_ATOMIC_FORMATS,
    ) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.atomic = (feed_options or {}).get("format") in atomic_formats
        self.temporary_path: Path | None = None

    @classmethod
    def from_crawler(
        cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
    ) -> AtomicFileFeedStorage:
        formats = crawler.settings.getlist(
            "NEWSSCRAPE_ATOMIC_FEED_FORMATS", list(DEFAULT_ATOMIC_FORMATS)
        )
        return cls(uri, feed_options=feed_options, atomic_formats=tuple(formats))

    def open(self, spider: Spider | None) -> IO[bytes]:
        if not self.atomic:
            return super().open(spider)  # type: ignore[arg-type]
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Same directory as the target, so the final rename never crosses file systems.
        # (Not mkstemp: its 0600 mode would outlive the rename; open() honours the umask.)
        self.temporary_path = target.parent / f".{target.name}.{secrets.token_hex(6)}.part"
        return self.temporary_path.open("xb")

    def store(self, file: IO[bytes]) -> None:
        file.close()
        if self.temporary_path is not None:
            os.replace(self.temporary_path, self.path)
            self.temporary_path = None
