"""Parquet output: a typed Arrow schema matching the record, written in row groups as items
stream in, so a crawl of any size holds at most one row group in memory.

Registered in FEED_EXPORTERS as `parquet`; `-o out.parquet` chooses it. Needs the `parquet`
extra (`pip install 'newsscrape[parquet]'`, which brings pyarrow).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exporters import BaseItemExporter

from scraper.sinks.fields import (
    BOOLEAN,
    DATE_TIME_FIELDS,
    FIELD_NAMES,
    INTEGER,
    RECORD_FIELDS,
    TEXT,
    TEXT_LIST,
    TEXT_MAP,
    utc_instant,
)

# Microseconds (Parquet has no seconds unit), UTC: what every reader takes as an instant.
TIMESTAMP_UNIT, TIMESTAMP_ZONE = "us", "UTC"
MISSING_PYARROW = "writing or reading .parquet needs pyarrow: pip install 'newsscrape[parquet]'"
DEFAULT_ROW_GROUP_SIZE = 1000


def pyarrow_available() -> bool:
    """Whether the `parquet` extra is installed."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def arrow_schema() -> Any:
    """The record as an Arrow schema: strings, int64, bool, list<string>, map<string,string>,
    and the dates (published, modified, fetched_at) as timestamps in UTC, so that pandas,
    DuckDB and Spark read them typed. The page's own offset is not kept: the instant is."""
    import pyarrow as pa

    TIMESTAMP = pa.timestamp(TIMESTAMP_UNIT, tz=TIMESTAMP_ZONE)
    types = {
        TEXT: pa.string(),
        INTEGER: pa.int64(),
        BOOLEAN: pa.bool_(),
        TEXT_LIST: pa.list_(pa.string()),
        TEXT_MAP: pa.map_(pa.string(), pa.string()),
    }
    return pa.schema(
        [
            pa.field(
                field.name,
                TIMESTAMP if field.name in DATE_TIME_FIELDS else types[field.kind],
                nullable=field.nullable,
            )
            for field in RECORD_FIELDS
        ],
        metadata={"newsscrape.record": "article"},
    )


class ParquetItemExporter(BaseItemExporter):
    """Buffers `row_group_size` records, then writes them as one row group; the footer is
    written by finish_exporting (Scrapy calls it when the feed closes)."""

    def __init__(
        self, file: Any, *, row_group_size: int = DEFAULT_ROW_GROUP_SIZE, **kwargs: Any
    ) -> None:
        super().__init__(dont_fail=True, **kwargs)
        if not pyarrow_available():
            raise RuntimeError(MISSING_PYARROW)
        self.file = file
        self.row_group_size = max(1, row_group_size)
        self.rows: list[dict[str, Any]] = []
        self.writer: Any = None
        self.row_groups = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler, file: Any, **kwargs: Any) -> ParquetItemExporter:
        kwargs.setdefault(
            "row_group_size",
            crawler.settings.getint("NEWSSCRAPE_PARQUET_ROW_GROUP_SIZE", DEFAULT_ROW_GROUP_SIZE),
        )
        return cls(file, **kwargs)

    def start_exporting(self) -> None:
        import pyarrow.parquet as pq

        self.writer = pq.ParquetWriter(self.file, arrow_schema(), compression="zstd")

    def export_item(self, item: Any) -> None:
        record = ItemAdapter(item).asdict()
        row = {name: record.get(name) for name in FIELD_NAMES}
        for name in DATE_TIME_FIELDS:
            row[name] = utc_instant(row[name])
        self.rows.append(row)
        if len(self.rows) >= self.row_group_size:
            self._write_row_group()

    def _write_row_group(self) -> None:
        import pyarrow as pa

        if not self.rows:
            return
        if self.writer is None:
            self.start_exporting()
        table = pa.Table.from_pylist(self.rows, schema=arrow_schema())
        self.writer.write_table(table, row_group_size=len(self.rows))
        self.rows = []
        self.row_groups += 1

    def finish_exporting(self) -> None:
        self._write_row_group()
        if self.writer is not None:
            self.writer.close()  # writes the footer; the file itself is the storage's to close
            self.writer = None
