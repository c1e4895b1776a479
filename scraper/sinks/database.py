"""Articles in a database: the tables, the upsert, the `database` exporter and feed storage.

Two tables, the same on SQLite and PostgreSQL:

- `articles`: one row per article, keyed (`key`, unique) by `scraper.canonical.record_key`, the
  key every part of newsscrape gives an article (its canonical URL with tracking parameters,
  AMP, `www.` and scheme folded; the text fingerprint for a saved page without any URL); a
  column per record field; `stored_at` is when the row was last written.
- `versions`: earlier versions of changed articles. When an article comes back with a
  different text fingerprint, the row it replaces is copied here first (with `superseded_at`).

Each record is written in its own transaction: insert, or (when the key exists) lock the row,
archive it if the text changed, then update it. The insert uses ON CONFLICT DO NOTHING, so two
writers storing the same new article at once never fail: the second one waits for the first,
then takes the update path.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.exporters import BaseItemExporter

from scraper.canonical import canonical_key, record_key
from scraper.record import in_own_version, utc_now
from scraper.redact import mask_log_records
from scraper.sinks.fields import BOOLEAN, RECORD_FIELDS, TEXT_LIST, TEXT_MAP

# The pipeline stage named in failures when a record could not be stored.
STORE = "store"
INSERTED, UNCHANGED, CHANGED = "inserted", "unchanged", "changed"

COLUMNS = tuple(field.name for field in RECORD_FIELDS)
# What `articles."key"` holds, recorded in table `newsscrape_meta` (name "key"). Tables written
# before it held the canonical URL as the record gave it; opening one for writing re-keys it.
KEY_FORMAT = "record_key"
_URN = "urn:newsscrape:fingerprint:"


def row_key(record: dict[str, Any]) -> str:
    """The `key` of a record's row: its article key (`scraper.canonical.record_key`); a saved
    page without any URL is keyed by its text fingerprint, so it is still stored once."""
    return record_key(record) or f"{_URN}{record.get('fingerprint')}"


def quoted(name: str) -> str:
    """An identifier quoted for both SQLite and PostgreSQL (`text`, `key` are keywords)."""
    return f'"{name}"'


class RecordWriter(ABC):
    """An open database that stores records; what the database feed storages hand the exporter.

    Subclasses give the connection, the column types and how values are encoded; the upsert
    (and its transaction) is the same for every database."""

    placeholder = "?"
    lock_clause = ""

    def __init__(self) -> None:
        self.counts = {INSERTED: 0, UNCHANGED: 0, CHANGED: 0}

    @abstractmethod
    def column_type(self, kind: str) -> str:
        """The SQL type of a record field of this kind."""

    @abstractmethod
    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        """Run one statement; returns a cursor."""

    @abstractmethod
    def begin(self) -> None:
        """Start a write transaction."""

    @abstractmethod
    def commit(self) -> None:
        """Commit the transaction."""

    @abstractmethod
    def rollback(self) -> None:
        """Abandon the transaction."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection (each record is already committed)."""

    @property
    @abstractmethod
    def id_column(self) -> str:
        """The DDL of an auto-numbered integer primary key called id."""

    def encode(self, kind: str, value: Any) -> Any:
        """A record value as a column value."""
        if kind in (TEXT_LIST, TEXT_MAP):
            return json.dumps(value, ensure_ascii=False)
        return value

    def table_ddl(self) -> list[str]:
        """CREATE statements for both tables (idempotent)."""
        columns = ", ".join(
            f"{quoted(field.name)} {self.column_type(field.kind)}"
            + ("" if field.nullable else " NOT NULL")
            for field in RECORD_FIELDS
        )
        return [
            f"CREATE TABLE IF NOT EXISTS articles ({self.id_column}, "
            f'"key" TEXT NOT NULL UNIQUE, {columns}, stored_at TEXT NOT NULL)',
            f"CREATE TABLE IF NOT EXISTS versions ({self.id_column}, "
            f'"key" TEXT NOT NULL, {columns}, stored_at TEXT NOT NULL, superseded_at TEXT NOT NULL)',
            'CREATE INDEX IF NOT EXISTS versions_by_key ON versions ("key")',
        ]

    def add_missing_columns(self) -> None:
        """Add the columns of record fields that a table made under an earlier schema version
        lacks (nullable: its rows predate them)."""
        for table in ("articles", "versions"):
            cursor = self.execute(f"SELECT * FROM {table} LIMIT 0")
            present = {column[0] for column in cursor.description}
            for field in RECORD_FIELDS:
                if field.name not in present:
                    self.execute(
                        f"ALTER TABLE {table} ADD COLUMN {quoted(field.name)} "
                        f"{self.column_type(field.kind)}"
                    )

    def migrate_keys(self) -> None:
        """Re-key the rows of a table written when `key` was the record's canonical URL as
        given (`http://www.paper.example/story/?utm_source=x`) to the article key; once per
        database (table `newsscrape_meta` says it was done). Two rows of one article, which
        the old keys kept apart, become one: the one stored last stays in `articles`, the other
        goes to `versions`. Runs inside `create_tables`' transaction."""
        self.execute(
            "CREATE TABLE IF NOT EXISTS newsscrape_meta (name TEXT PRIMARY KEY, value TEXT)"
        )
        mark = self.placeholder
        done = self.execute(f"SELECT value FROM newsscrape_meta WHERE name = {mark}", ("key",))
        if (done.fetchone() or ("",))[0] == KEY_FORMAT:
            return
        rows = self.execute('SELECT id, "key", stored_at FROM articles').fetchall()
        by_key: dict[str, list[tuple[str, int, str]]] = {}
        for row_id, old, stored_at in rows:
            new = old if old.startswith(_URN) else canonical_key(old)
            by_key.setdefault(new, []).append((stored_at, row_id, old))
        names = ", ".join(quoted(name) for name in COLUMNS)
        now = utc_now()
        renamed = []
        for new, group in by_key.items():
            *earlier, (_, kept, old) = sorted(group)
            for _, row_id, _ in earlier:
                self.execute(
                    f'INSERT INTO versions ("key", {names}, stored_at, superseded_at) '
                    f"SELECT {mark}, {names}, stored_at, {mark} FROM articles WHERE id = {mark}",
                    (new, now, row_id),
                )
                self.execute(f"DELETE FROM articles WHERE id = {mark}", (row_id,))
            renamed += [(new, old) for _, _, old in group if old != new]
            if old != new:
                self.execute(f'UPDATE articles SET "key" = {mark} WHERE id = {mark}', (new, kept))
        for new, old in renamed:
            self.execute(f'UPDATE versions SET "key" = {mark} WHERE "key" = {mark}', (new, old))
        self.execute(
            f"INSERT INTO newsscrape_meta (name, value) VALUES ({mark}, {mark}) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            ("key", KEY_FORMAT),
        )

    def create_tables(self) -> None:
        """Create the tables if they are missing, in one transaction."""
        self.begin()
        try:
            for statement in self.table_ddl():
                self.execute(statement)
            self.add_missing_columns()
            self.migrate_keys()
        except BaseException:
            self.rollback()
            raise
        self.commit()

    def write(self, record: dict[str, Any]) -> str:
        """Store one record in its own transaction; says whether it was new, unchanged
        (same fingerprint: the row is refreshed) or changed (the old row went to versions)."""
        key = row_key(record)
        values = tuple(self.encode(f.kind, record.get(f.name)) for f in RECORD_FIELDS)
        now = utc_now()
        mark = self.placeholder
        names = ", ".join(quoted(name) for name in COLUMNS)
        self.begin()
        try:
            inserted = self.execute(
                f'INSERT INTO articles ("key", {names}, stored_at) '
                f"VALUES ({', '.join([mark] * (len(COLUMNS) + 2))}) "
                'ON CONFLICT ("key") DO NOTHING',
                (key, *values, now),
            )
            if inserted.rowcount == 1:
                outcome = INSERTED
            else:
                row = self.execute(
                    f'SELECT fingerprint FROM articles WHERE "key" = {mark}{self.lock_clause}',
                    (key,),
                ).fetchone()
                outcome = UNCHANGED if row and row[0] == record.get("fingerprint") else CHANGED
                if outcome == CHANGED:
                    self.execute(
                        f'INSERT INTO versions ("key", {names}, stored_at, superseded_at) '
                        f'SELECT "key", {names}, stored_at, {mark} FROM articles WHERE "key" = {mark}',
                        (now, key),
                    )
                assignments = ", ".join(f"{quoted(name)} = {mark}" for name in COLUMNS)
                self.execute(
                    f'UPDATE articles SET {assignments}, stored_at = {mark} WHERE "key" = {mark}',
                    (*values, now, key),
                )
        except BaseException:
            self.rollback()
            raise
        self.commit()
        self.counts[outcome] += 1
        return outcome

    def decode_row(self, row: tuple[Any, ...]) -> dict[str, Any]:
        """A record from the record columns of a row (in COLUMNS order)."""
        record = {}
        for field, value in zip(RECORD_FIELDS, row, strict=True):
            if field.kind in (TEXT_LIST, TEXT_MAP) and isinstance(value, str):
                value = json.loads(value)
            elif field.kind == BOOLEAN and value is not None:
                value = bool(value)
            record[field.name] = value
        return in_own_version(record)

    def rows(self, table: str = "articles") -> Iterator[tuple[int, dict[str, Any]]]:
        """(row id, record) for every row of `table`, in id order."""
        names = ", ".join(quoted(name) for name in COLUMNS)
        cursor = self.execute(f"SELECT id, {names} FROM {table} ORDER BY id")
        while batch := cursor.fetchmany(500):
            for row in batch:
                yield int(row[0]), self.decode_row(tuple(row[1:]))


class DatabaseFeedStorage(ABC):
    """A Scrapy feed storage whose "file" is an open RecordWriter (see the module docstring)."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None) -> None:
        problem = self.missing_dependency()
        if problem:
            raise NotConfigured(problem)
        self.uri = uri
        # Scrapy logs the feed's URI when it stores it ("Stored database feed (12 items) in:
        # postgresql://user:password@host/db"): masked, as every log record of the crawl.
        mask_log_records()

    @staticmethod
    @abstractmethod
    def missing_dependency() -> str | None:
        """Why this database cannot be used here (a missing extra), or None."""

    @abstractmethod
    def connect(self) -> RecordWriter:
        """Open the database, creating the tables if needed."""

    def open(self, spider: Spider | None) -> RecordWriter:
        return self.connect()

    def store(self, file: Any) -> None:
        file.close()


class DatabaseItemExporter(BaseItemExporter):
    """Registered in FEED_EXPORTERS as `database`: each record goes to the RecordWriter that a
    `sqlite://` or `postgresql://` feed storage opened. A record that cannot be stored is
    reported as a failed page (stage `store`) and the crawl goes on."""

    def __init__(
        self,
        file: Any,
        *,
        crawler: Crawler | None = None,
        owns_writer: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(dont_fail=True, **kwargs)
        # Under Scrapy's feed exports the storage closes the writer; used on its own (the
        # `extract` command), the exporter does, in finish_exporting.
        self.owns_writer = owns_writer
        if not isinstance(file, RecordWriter):
            raise TypeError(
                "the 'database' feed format writes only to sqlite:///… or postgresql://… feeds"
            )
        self.writer = file
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler, file: Any, **kwargs: Any) -> DatabaseItemExporter:
        return cls(file, crawler=crawler, **kwargs)

    def export_item(self, item: Any) -> None:
        from scraper.failures import report_failure
        from scraper.items import PageFailure

        record = ItemAdapter(item).asdict()
        try:
            outcome = self.writer.write(record)
        except Exception as error:  # one bad row must not end the crawl; it is reported
            reason = f"{type(error).__name__}: {error}".splitlines()[0]
            failure = PageFailure(str(record.get("url")), STORE, reason, record.get("status"))
            report_failure(self.crawler, failure)
            return
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"newsscrape/stored/{outcome}")

    def finish_exporting(self) -> None:
        if self.owns_writer:
            self.writer.close()
