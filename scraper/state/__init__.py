"""Incremental crawl state: what was fetched, what was written, so a re-run emits only news.

One store per user (by default `$XDG_DATA_HOME/newsscrape/state.sqlite3`), shared by every
site, keyed by canonical article key (`scraper.canonical.canonical_key`). It keeps:

- fetches, by fetched URL (tracking parameters removed): the server's ETag and Last-Modified, status, time, and which
  article (key) and settled content fingerprint that URL gave. Requests go to fetched URLs
  while articles are keyed by canonical URL; this table is the mapping between the two.
- articles, by key: first seen, last fetched, last status, and the emitted version (its
  content fingerprint, version number, time and crawl run).
- outputs, by path: how many bytes of a JSON Lines output are committed (see
  `scraper.sinks.durable_jsonl`), so a crash's torn or uncommitted tail can be cut on restart.
- runs, by job: the crawl run in progress, so a resumed (killed or paused) crawl is the same
  run and never writes an article twice.

A URL's content is "settled" once it was written or judged unchanged. Validators are only
sent for a URL whose latest response was settled: a page fetched but never written (the
crawl was killed in between) is fetched again in full, never answered with 304 and lost.

`CrawlState` is the interface; `SQLiteCrawlState` the embedded backend (WAL, one transaction
per write). A Redis or PostgreSQL backend for distributed crawls implements the same Protocol
and is chosen by the location's scheme in `open_state`.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import uuid
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from scrapy import signals
from scrapy.crawler import Crawler

from scraper.canonical import clean_url
from scraper.items import utc_now

logger = logging.getLogger(__name__)


class StateError(Exception):
    """The state store cannot be used; the message says what to do."""


@dataclass(frozen=True)
class Validators:
    """What a conditional request sends: the server's ETag and Last-Modified."""

    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class ArticleState:
    """What the state knows of one article (by canonical key)."""

    key: str
    canonical_url: str
    first_seen: str
    last_fetched: str | None
    last_status: int | None
    fingerprint: str | None
    version: int
    emitted_at: str | None
    emitted_run: str | None


class CrawlState(Protocol):
    """The incremental state's interface; every method that writes is one transaction."""

    def begin_run(self, job: str | None) -> str:
        """The crawl run for `job`: the unfinished one (a resumed crawl) or a new one."""

    def finish_run(self, run_id: str) -> None:
        """Mark a run finished: the next start of its job begins a new run."""

    def record_fetch(
        self, url: str, status: int, etag: str | None, last_modified: str | None
    ) -> None:
        """A response arrived for `url`; its validators describe content not yet settled."""

    def validators_for(self, url: str) -> Validators | None:
        """Validators for a conditional request to `url`, only when its latest response's
        content was settled (written, or judged unchanged)."""

    def key_for_url(self, url: str) -> str | None:
        """The article key a fetched URL gave last time, if any."""

    def url_fingerprint(self, url: str) -> str | None:
        """The content fingerprint `url` gave when it was last settled."""

    def settle(self, url: str, key: str, fingerprint: str) -> None:
        """`url`'s latest content (article `key`, this fingerprint) needs nothing more."""

    def record_unchanged(self, key: str, status: int) -> None:
        """The article was fetched again and had not changed."""

    def article(self, key: str) -> ArticleState | None:
        """The article's state, or None if it was never seen."""

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
        """The article's version with `fingerprint` was written (to `output`, which is now
        `committed_size` bytes long); returns its version number. Idempotent."""

    def committed_size(self, output: str) -> int | None:
        """Bytes of `output` known to hold whole, recorded articles (None: never written)."""

    def set_committed_size(self, output: str, size: int) -> None:
        """Record `output`'s committed size after recovering it."""

    def close(self) -> None:
        """Release the store."""


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


def default_state_path() -> Path:
    """Where the state lives unless told: the user's data directory (XDG)."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "newsscrape" / "state.sqlite3"


def open_state(location: str) -> CrawlState:
    """The state store at `location`: a file path (SQLite) or a redis:// URL."""
    scheme = location.split("://", 1)[0].lower() if "://" in location else ""
    if scheme in ("", "sqlite", "file"):
        path = location.split("://", 1)[1] if scheme else location
        if scheme == "sqlite":
            path = path.removeprefix("/") if path.startswith("//") else path
        return SQLiteCrawlState(path)
    if scheme in ("redis", "rediss"):
        # Shared by the workers of a distributed crawl (scraper/state/redis.py).
        from scraper.state.redis import open_redis_state

        return open_redis_state(location)
    raise StateError(
        f"state backend {scheme!r} is not supported yet: use a SQLite file path for --state"
    )


@dataclass
class StateSession:
    """The state as one crawl uses it: the store and the crawl run it belongs to."""

    store: CrawlState
    run_id: str


_SESSIONS: weakref.WeakKeyDictionary[Crawler, StateSession | None] = weakref.WeakKeyDictionary()


def session_for(crawler: Crawler) -> StateSession | None:
    """The crawl's state session (opened once per crawler, shared by the middlewares and
    pipelines), or None when NEWSSCRAPE_STATE is not set."""
    if crawler in _SESSIONS:
        return _SESSIONS[crawler]
    location = crawler.settings.get("NEWSSCRAPE_STATE")
    if not location:
        _SESSIONS[crawler] = None
        return None
    store = open_state(str(location))
    # A resumable job (a JOBDIR) keeps its run across restarts; without one each start is new.
    job = crawler.settings.get("JOBDIR") or None
    run_id = store.begin_run(str(Path(job).resolve()) if job else None)
    session = StateSession(store, run_id)
    _SESSIONS[crawler] = session
    logger.info("incremental state %s, crawl run %s", location, run_id)

    def spider_closed(reason: str) -> None:
        # "shutdown" is a pause (Ctrl-C, SIGTERM): the run resumes with the same JOBDIR.
        if reason != "shutdown":
            store.finish_run(run_id)
        store.close()

    crawler.signals.connect(spider_closed, signal=signals.spider_closed, weak=False)
    return session
