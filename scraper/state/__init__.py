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

`CrawlState` (`scraper.state.base`) is the interface; `SQLiteCrawlState` (`scraper.state.sqlite`)
the embedded backend (WAL, one transaction per write); `RedisCrawlState` (`scraper.state.redis`)
the one the workers of a distributed crawl share. `open_state` picks the backend by the
location's scheme; another (PostgreSQL) implements the same Protocol and plugs in there.
`scraper.state.dedup` keeps what de-duplication has seen, in the same SQLite file by default.
"""

from __future__ import annotations

import logging
import os
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scraper.state.base import ArticleState, CrawlState, StateError, Validators
from scraper.state.sqlite import SQLiteCrawlState

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = [
    "ArticleState",
    "CrawlState",
    "SQLiteCrawlState",
    "StateError",
    "StateSession",
    "Validators",
    "default_state_path",
    "open_state",
    "session_for",
]

logger = logging.getLogger(__name__)


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
    from scrapy import signals

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
