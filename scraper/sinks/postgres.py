"""PostgreSQL for shared deployments: `-o postgresql://user@host:port/dbname`.

The same tables as SQLite (`scraper.sinks.database`), with JSONB lists and provenance and real
booleans. Any libpq connection URI works, password and `?sslmode=` included. Several crawls may
write to one database at once: the upsert is safe under concurrent writers. Needs the
`postgres` extra (`pip install 'newsscrape[postgres]'`, which brings psycopg 3).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scraper.sinks.database import COLUMNS, DatabaseFeedStorage, RecordWriter, quoted
from scraper.sinks.fields import BOOLEAN, INTEGER, TEXT_LIST, TEXT_MAP

MISSING_PSYCOPG = (
    "writing to or reading from PostgreSQL needs psycopg: pip install 'newsscrape[postgres]'"
)
# Held while creating tables: concurrent CREATE TABLE IF NOT EXISTS can otherwise collide.
_DDL_LOCK = 0x6E657773  # "news"


def psycopg_available() -> bool:
    """Whether the `postgres` extra is installed."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    return True


class PostgresRecordWriter(RecordWriter):
    """Records in a PostgreSQL database, one transaction per record."""

    placeholder = "%s"
    lock_clause = " FOR UPDATE"

    def __init__(self, uri: str, create: bool = True, connect_timeout: int = 10) -> None:
        import psycopg

        super().__init__()
        # Not autocommit: psycopg opens each transaction with its first statement, which
        # saves a round trip per record over an explicit BEGIN.
        self.connection = psycopg.connect(uri, connect_timeout=connect_timeout)
        if create:
            self.create_tables()

    @property
    def id_column(self) -> str:
        return "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"

    def column_type(self, kind: str) -> str:
        return {
            INTEGER: "BIGINT",
            BOOLEAN: "BOOLEAN",
            TEXT_LIST: "JSONB",
            TEXT_MAP: "JSONB",
        }.get(kind, "TEXT")

    def encode(self, kind: str, value: Any) -> Any:
        from psycopg.types.json import Jsonb

        if kind in (TEXT_LIST, TEXT_MAP):
            return Jsonb(value)
        return value

    def create_tables(self) -> None:
        self.begin()
        try:
            self.execute("SELECT pg_advisory_xact_lock(%s)", (_DDL_LOCK,))
            for statement in self.table_ddl():
                self.execute(statement)
            self.add_missing_columns()
            self.migrate_keys()
        except BaseException:
            self.rollback()
            raise
        self.commit()

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return self.connection.execute(sql, params)

    def begin(self) -> None:
        pass  # the next statement starts the transaction

    def commit(self) -> None:
        self.connection.commit()

    def rollback(self) -> None:
        if not self.connection.closed:
            self.connection.rollback()

    def close(self) -> None:
        self.connection.close()

    def rows(self, table: str = "articles") -> Iterator[tuple[int, dict[str, Any]]]:
        # A server-side cursor: a table of millions of rows streams instead of loading whole.
        names = ", ".join(quoted(name) for name in COLUMNS)
        with self.connection.cursor(name="newsscrape_rows") as cursor:
            cursor.execute(f"SELECT id, {names} FROM {table} ORDER BY id")
            while batch := cursor.fetchmany(500):
                for row in batch:
                    yield int(row[0]), self.decode_row(tuple(row[1:]))


class PostgresFeedStorage(DatabaseFeedStorage):
    """FEED_STORAGES schemes `postgresql`, `postgres`:
    `FEEDS = {"postgresql://crawler@db:5432/news": {"format": "database"}}`."""

    @staticmethod
    def missing_dependency() -> str | None:
        return None if psycopg_available() else MISSING_PSYCOPG

    def connect(self) -> RecordWriter:
        return PostgresRecordWriter(self.uri)
