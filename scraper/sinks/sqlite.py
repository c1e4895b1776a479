"""SQLite, the embedded default database: `-o sqlite:///articles.db`.

URIs follow SQLAlchemy's convention: `sqlite:///relative/path.db`, `sqlite:////absolute/path.db`.
Lists and provenance are JSON text; booleans 0/1 (read back as lists, dicts and booleans).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from scraper.sinks.database import DatabaseFeedStorage, RecordWriter
from scraper.sinks.fields import BOOLEAN, INTEGER

SCHEME = "sqlite:///"
# How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_SECONDS = 60.0


def sqlite_path(uri: str) -> Path:
    """The database file a `sqlite:///…` URI names."""
    if not uri.lower().startswith(SCHEME) or uri == SCHEME:
        raise ValueError(f"{uri}: expected sqlite:///path/to/file.db")
    return Path(uri[len(SCHEME) :])


def sqlite_uri(path: str | Path) -> str:
    """The `sqlite:///…` URI of a database file (absolute, so a later cwd change is harmless)."""
    return SCHEME + str(Path(path).resolve())


class SqliteRecordWriter(RecordWriter):
    """Records in an SQLite file (WAL journal: readers never block the writer)."""

    placeholder = "?"

    def __init__(self, path: str | Path, create: bool = True) -> None:
        super().__init__()
        self.path = Path(path)
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.is_file():
            raise FileNotFoundError(f"{self.path}: no such database file")
        # Readers open the file read-only: reading a dataset must never change it.
        target = str(self.path) if create else f"file:{quote(str(self.path))}?mode=ro"
        # isolation_level=None: transactions are ours (BEGIN IMMEDIATE ... COMMIT), not implicit.
        self.connection = sqlite3.connect(
            target, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, uri=not create
        )
        if create:
            self.connection.execute("PRAGMA journal_mode=WAL")
            # WAL with NORMAL sync: a commit survives a crash of the process, which is what a
            # crawl needs; only a power cut may lose the last transactions.
            self.connection.execute("PRAGMA synchronous=NORMAL")
            self.create_tables()

    @property
    def id_column(self) -> str:
        return "id INTEGER PRIMARY KEY AUTOINCREMENT"

    def column_type(self, kind: str) -> str:
        return {INTEGER: "INTEGER", BOOLEAN: "INTEGER"}.get(kind, "TEXT")

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return self.connection.execute(sql, params)

    def begin(self) -> None:
        # IMMEDIATE takes the write lock up front: two writers never deadlock upgrading a read.
        self.connection.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.connection.execute("COMMIT")

    def rollback(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")

    def close(self) -> None:
        self.connection.close()


class SqliteFeedStorage(DatabaseFeedStorage):
    """FEED_STORAGES scheme `sqlite`: `FEEDS = {"sqlite:///out.db": {"format": "database"}}`."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.path = sqlite_path(uri)

    @staticmethod
    def missing_dependency() -> str | None:
        return None

    def connect(self) -> RecordWriter:
        return SqliteRecordWriter(self.path)
