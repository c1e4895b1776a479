"""Dataset sinks: where article records go, chosen by `-o` or by Scrapy's FEEDS setting.

Every sink rides on Scrapy's feed exports, so the crawl's lifecycle, per-feed stats and the
"Stored … feed" log line are Scrapy's own, and Scrapy users configure sinks the same way:

- `.jsonl` (default), `.json`: Scrapy's exporters as they are;
- `.csv`: `scraper.sinks.csvfile.CsvRecordExporter`, list and dict cells as JSON so they read
  back as lists and dicts;
- `.parquet`: `scraper.sinks.parquet.ParquetItemExporter`, typed Arrow schema, row groups
  written as items stream; the file storage (`scraper.sinks.atomic.AtomicFileFeedStorage`)
  writes it under a temporary name and renames it on finish, so a killed crawl leaves no
  partial Parquet file at the target path;
- `sqlite:///path.db`, `postgresql://user@host:port/db`: a feed *storage* per database
  (FEED_STORAGES schemes `sqlite`, `postgresql`) whose open() hands the `database` exporter a
  record writer instead of a file. Why a storage and not an item pipeline: the database is where
  the feed goes, exactly what feed storages model, and it keeps `-o` (and Scrapy's
  `FEEDS = {"sqlite:///out.db": {"format": "database"}}`, or
  `scrapy crawl … -o "sqlite:///out.db:database"`) the one way to choose outputs, several at once.

The other outputs live here too: `textfile` (the `txt` and `md` formats, for reading),
`output_guard` (local files and stdout whose failed write stops the crawl in one line),
`durable_jsonl` (the JSON Lines file a kill leaves whole, with a crawl state) and
`errors_file` (`--errors FILE`, one JSON line per failed page).

`scraper.dataset.readers.open_records` reads records back from any of them.
"""

from __future__ import annotations

from typing import Any

DATABASE_SCHEMES = ("sqlite", "postgresql", "postgres")


def is_database_uri(output: str) -> bool:
    """Whether an `-o` value names a database (`sqlite:///…`, `postgresql://…`) and not a file."""
    scheme, sep, _ = output.partition("://")
    return bool(sep) and scheme.lower() in DATABASE_SCHEMES


class SinkError(Exception):
    """An output cannot be written; the message is one line saying why and what to do."""


def check_file_sink(feed_format: str) -> None:
    """Refuse, before any crawling, a file format whose optional extra is not installed."""
    if feed_format == "parquet":
        from scraper.sinks.parquet import MISSING_PYARROW, pyarrow_available

        if not pyarrow_available():
            raise SinkError(MISSING_PYARROW)


def database_feed(output: str) -> tuple[str, dict[str, object]]:
    """The FEEDS entry of a database output, after opening it once (and creating its tables),
    so a wrong path, a missing extra or an unreachable server is said before the crawl."""
    scheme = output.partition("://")[0].lower()
    if scheme == "sqlite":
        import sqlite3

        from scraper.sinks.sqlite import SqliteRecordWriter, sqlite_path, sqlite_uri

        try:
            path = sqlite_path(output)
            SqliteRecordWriter(path).close()
        except (ValueError, sqlite3.Error, OSError) as error:
            raise SinkError(f"{output}: cannot open the database: {error}") from error
        return sqlite_uri(path), {"format": "database"}
    from scraper.redact import mask_passwords
    from scraper.sinks.postgres import MISSING_PSYCOPG, PostgresRecordWriter, psycopg_available

    if not psycopg_available():
        raise SinkError(MISSING_PSYCOPG)
    import psycopg

    try:
        PostgresRecordWriter(output).close()
    except psycopg.Error as error:
        reason = (str(error).strip() or type(error).__name__).splitlines()[0]
        raise SinkError(f"{mask_passwords(output)}: cannot connect: {reason}") from error
    return output, {"format": "database"}


def open_database_exporter(output: str) -> Any:
    """A `database` item exporter writing straight into `output` (`sqlite:///…`,
    `postgresql://…`), outside a crawl; finish_exporting closes the database. Raises SinkError
    (one line) when it cannot be opened."""
    from scraper.sinks.database import DatabaseItemExporter
    from scraper.sinks.postgres import PostgresFeedStorage
    from scraper.sinks.sqlite import SqliteFeedStorage

    uri, _ = database_feed(output)
    storage_class = SqliteFeedStorage if uri.lower().startswith("sqlite") else PostgresFeedStorage
    return DatabaseItemExporter(storage_class(uri).open(None), owns_writer=True)
