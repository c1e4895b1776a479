"""The crawl state in one SQLite file: the embedded backend of `scraper.state.CrawlState`."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from scraper.canonical import clean_url
from scraper.record import utc_now
from scraper.state.base import ArticleState, StateError, Validators

_SCHEMA = """
CREATE TABLE IF NOT EXISTS fetches (
    url TEXT PRIMARY KEY,
    key TEXT,
    etag TEXT,
    last_modified TEXT,
    status INTEGER,
    fetched_at TEXT NOT NULL,
    fingerprint TEXT,
    validated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS fetches_key ON fetches(key);
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_fetched TEXT,
    last_status INTEGER,
    fingerprint TEXT,
    version INTEGER NOT NULL DEFAULT 0,
    emitted_at TEXT,
    emitted_run TEXT
);
CREATE TABLE IF NOT EXISTS outputs (
    path TEXT PRIMARY KEY,
    committed_size INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    job TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX IF NOT EXISTS runs_job ON runs(job, finished_at);
"""


class SQLiteCrawlState:
    """The state in one SQLite file: embedded, zero set-up, safe against a killed process.

    WAL journal: readers never block the writer and a kill leaves the last committed
    transaction intact. synchronous=NORMAL: a power cut may lose the last commits but never
    corrupts; the state then lags the output, and the output's uncommitted tail is cut and
    written again (see `scraper.sinks.durable_jsonl`), so nothing is lost or doubled."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise StateError(
                f"cannot open the crawl state {self.path}: {error}; "
                "give a writable file with --state PATH"
            ) from error

    def _write(self, sql: str, *params: object) -> None:
        with self.db:  # one transaction
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(sql, params)

    def begin_run(self, job: str | None) -> str:
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            if job is not None:
                row = self.db.execute(
                    "SELECT run_id FROM runs WHERE job = ? AND finished_at IS NULL "
                    "ORDER BY started_at DESC LIMIT 1",
                    (job,),
                ).fetchone()
                if row:
                    return str(row[0])
            run_id = uuid.uuid4().hex[:16]
            self.db.execute(
                "INSERT INTO runs (run_id, job, started_at) VALUES (?, ?, ?)",
                (run_id, job, utc_now()),
            )
            return run_id

    def finish_run(self, run_id: str) -> None:
        self._write("UPDATE runs SET finished_at = ? WHERE run_id = ?", utc_now(), run_id)

    def record_fetch(
        self, url: str, status: int, etag: str | None, last_modified: str | None
    ) -> None:
        # New validators describe content not settled yet: they are not sent (see
        # validators_for) until the content is written or judged unchanged.
        self._write(
            "INSERT INTO fetches (url, etag, last_modified, status, fetched_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, status = excluded.status, "
            "fetched_at = excluded.fetched_at, validated = 0",
            clean_url(url),
            etag,
            last_modified,
            status,
            utc_now(),
        )

    def validators_for(self, url: str) -> Validators | None:
        row = self.db.execute(
            "SELECT etag, last_modified FROM fetches WHERE url = ? AND validated = 1 "
            "AND (etag IS NOT NULL OR last_modified IS NOT NULL)",
            (clean_url(url),),
        ).fetchone()
        return Validators(row[0], row[1]) if row else None

    def key_for_url(self, url: str) -> str | None:
        row = self.db.execute("SELECT key FROM fetches WHERE url = ?", (clean_url(url),)).fetchone()
        return str(row[0]) if row and row[0] else None

    def url_fingerprint(self, url: str) -> str | None:
        row = self.db.execute(
            "SELECT fingerprint FROM fetches WHERE url = ?", (clean_url(url),)
        ).fetchone()
        return str(row[0]) if row and row[0] else None

    def settle(self, url: str, key: str, fingerprint: str) -> None:
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self._settle(url, key, fingerprint)

    def _settle(self, url: str, key: str, fingerprint: str) -> None:
        self.db.execute(
            "INSERT INTO fetches (url, key, fetched_at, fingerprint, validated) "
            "VALUES (?, ?, ?, ?, 1) ON CONFLICT(url) DO UPDATE SET key = excluded.key, "
            "fingerprint = excluded.fingerprint, validated = 1",
            (clean_url(url), key, utc_now(), fingerprint),
        )

    def record_unchanged(self, key: str, status: int) -> None:
        self._write(
            "UPDATE articles SET last_fetched = ?, last_status = ? WHERE key = ?",
            utc_now(),
            status,
            key,
        )

    def article(self, key: str) -> ArticleState | None:
        row = self.db.execute(
            "SELECT key, canonical_url, first_seen, last_fetched, last_status, fingerprint, "
            "version, emitted_at, emitted_run FROM articles WHERE key = ?",
            (key,),
        ).fetchone()
        return ArticleState(*row) if row else None

    def record_emission(
        self,
        key: str,
        canonical_url: str,
        fingerprint: str,
        run_id: str,
        url: str | None = None,
        output: str | None = None,
        committed_size: int | None = None,
    ) -> int:
        now = utc_now()
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            row = self.db.execute(
                "SELECT fingerprint, version, emitted_run FROM articles WHERE key = ?", (key,)
            ).fetchone()
            if row and row[0] == fingerprint and row[2] == run_id:
                version = int(row[1])  # already recorded: the sink and the signal both report
            else:
                version = (int(row[1]) if row else 0) + 1
                self.db.execute(
                    "INSERT INTO articles (key, canonical_url, first_seen, last_fetched, "
                    "last_status, fingerprint, version, emitted_at, emitted_run) "
                    "VALUES (?, ?, ?, ?, 200, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                    "canonical_url = excluded.canonical_url, last_status = 200, "
                    "fingerprint = excluded.fingerprint, version = excluded.version, "
                    "emitted_at = excluded.emitted_at, emitted_run = excluded.emitted_run",
                    (key, canonical_url, now, now, fingerprint, version, now, run_id),
                )
            if url:
                self._settle(url, key, fingerprint)
            if output is not None and committed_size is not None:
                self.db.execute(
                    "INSERT INTO outputs (path, committed_size) VALUES (?, ?) "
                    "ON CONFLICT(path) DO UPDATE SET committed_size = excluded.committed_size",
                    (output, committed_size),
                )
            return version

    def committed_size(self, output: str) -> int | None:
        row = self.db.execute(
            "SELECT committed_size FROM outputs WHERE path = ?", (output,)
        ).fetchone()
        return int(row[0]) if row else None

    def set_committed_size(self, output: str, size: int) -> None:
        self._write(
            "INSERT INTO outputs (path, committed_size) VALUES (?, ?) "
            "ON CONFLICT(path) DO UPDATE SET committed_size = excluded.committed_size",
            output,
            size,
        )

    def close(self) -> None:
        self.db.close()
