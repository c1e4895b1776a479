"""The health history: each site's run rows, kept with the crawl state.

- In the state's SQLite file (`--state PATH`, NEWSSCRAPE_STATE), the table `health_runs`,
  created here beside the state's own tables: one row per site per run with its figures
  (JSON), the alerts it raised and what it was compared with. The state module knows
  nothing of it; this module opens its own connection.
- In Redis (a `redis://` state, and distributed crawls), under `newsscrape:health:` beside
  the state's `newsscrape:state:` keys: `sites` (set), `runs:<site>` (sorted set of run ids
  by end time) and `run:<site>:<run id>` (the row, its alerts and note, as JSON).

    store = open_health_store("~/.local/share/newsscrape/state.sqlite3")
    store.save(StoredRun(row, alerts, note))
    history = store.history("paper.example", before=row.run, limit=10)
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from scraper.health.checks import Alert
from scraper.health.metrics import RunHealth

REDIS_PREFIX = "newsscrape:health:"


class HealthStoreError(Exception):
    """The health history cannot be read or written; the message says why."""


@dataclass
class StoredRun:
    """A run's row as kept: its figures, the alerts it raised, and what it was compared with."""

    row: RunHealth
    alerts: list[Alert] = field(default_factory=list)
    note: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {
                "row": self.row.to_dict(),
                "alerts": [a.to_dict() for a in self.alerts],
                "note": self.note,
            }
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> StoredRun:
        data = json.loads(text)
        alerts = [Alert.from_dict(a) for a in data.get("alerts", [])]
        row = RunHealth.from_dict(data["row"])
        row.alerted = [alert.metric for alert in alerts]
        return cls(row, alerts, data.get("note", ""))


class HealthStore(Protocol):
    """Where the rows are kept; every write is one transaction."""

    def save(self, stored: StoredRun) -> None:
        """Keep a run's row (replacing the same site's row of the same run)."""

    def get(self, site: str, run: str) -> StoredRun | None:
        """One site's row of one run, if kept."""

    def runs(self, site: str, limit: int) -> list[StoredRun]:
        """The site's latest `limit` rows, complete or not, oldest first."""

    def history(self, site: str, before: str, limit: int) -> list[RunHealth]:
        """The site's latest `limit` complete rows other than run `before`, oldest first:
        what a run is checked against."""

    def sites(self) -> list[str]:
        """Every site with a row."""

    def close(self) -> None:
        """Release the store."""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS health_runs (
    site TEXT NOT NULL,
    run_id TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    complete INTEGER NOT NULL,
    stored TEXT NOT NULL,
    PRIMARY KEY (site, run_id)
);
CREATE INDEX IF NOT EXISTS health_runs_by_time ON health_runs(site, finished_at);
"""


class SQLiteHealthStore:
    """The rows in the crawl state's SQLite file (table `health_runs`)."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path).expanduser()
        try:
            if read_only:
                if not self.path.is_file():
                    raise HealthStoreError(f"no crawl state at {self.path}")
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
                self.has_table = bool(
                    self.db.execute(
                        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'health_runs'"
                    ).fetchone()
                )
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.executescript(_SCHEMA)
                self.has_table = True
        except (OSError, sqlite3.Error) as error:
            raise HealthStoreError(
                f"cannot open the health history in {self.path}: {error}"
            ) from error

    def save(self, stored: StoredRun) -> None:
        row = stored.row
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "INSERT INTO health_runs (site, run_id, finished_at, complete, stored) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(site, run_id) DO UPDATE SET "
                "finished_at = excluded.finished_at, complete = excluded.complete, "
                "stored = excluded.stored",
                (row.site, row.run, row.time, int(row.complete), stored.to_json()),
            )

    def _select(self, sql: str, *params: object) -> list[StoredRun]:
        if not self.has_table:
            return []
        try:
            rows = self.db.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise HealthStoreError(
                f"cannot read the health history in {self.path}: {error}"
            ) from error
        return [StoredRun.from_json(text) for (text,) in rows]

    def get(self, site: str, run: str) -> StoredRun | None:
        found = self._select(
            "SELECT stored FROM health_runs WHERE site = ? AND run_id = ?", site, run
        )
        return found[0] if found else None

    def runs(self, site: str, limit: int) -> list[StoredRun]:
        found = self._select(
            "SELECT stored FROM health_runs WHERE site = ? ORDER BY finished_at DESC LIMIT ?",
            site,
            limit,
        )
        return found[::-1]

    def history(self, site: str, before: str, limit: int) -> list[RunHealth]:
        found = self._select(
            "SELECT stored FROM health_runs WHERE site = ? AND complete = 1 AND run_id != ? "
            "ORDER BY finished_at DESC LIMIT ?",
            site,
            before,
            limit,
        )
        return [stored.row for stored in found[::-1]]

    def sites(self) -> list[str]:
        if not self.has_table:
            return []
        return [site for (site,) in self.db.execute("SELECT DISTINCT site FROM health_runs")]

    def close(self) -> None:
        self.db.close()


def _timestamp(time: str) -> float:
    try:
        return datetime.fromisoformat(time).timestamp()
    except ValueError:
        return 0.0


class RedisHealthStore:
    """The rows on a Redis server, beside the shared crawl state (`newsscrape:health:`)."""

    def __init__(self, url: str, prefix: str = REDIS_PREFIX) -> None:
        # Imported here: the SQLite store must not need the redis extra.
        from scraper.state.redis import connect_redis

        self.prefix = prefix
        self.server = connect_redis(url, "the health history", HealthStoreError)

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    def save(self, stored: StoredRun) -> None:
        row = stored.row
        with self.server.pipeline() as pipe:  # MULTI/EXEC
            pipe.sadd(self._key("sites"), row.site)
            pipe.set(self._key("run", row.site, row.run), stored.to_json())
            pipe.zadd(self._key("runs", row.site), {row.run: _timestamp(row.time)})
            pipe.execute()

    def get(self, site: str, run: str) -> StoredRun | None:
        text = self.server.get(self._key("run", site, run))
        return StoredRun.from_json(text) if text else None

    def _latest(self, site: str, count: int) -> list[StoredRun]:
        ids = self.server.zrevrange(self._key("runs", site), 0, count - 1) if count > 0 else []
        if not ids:
            return []
        texts = self.server.mget([self._key("run", site, _text(run)) for run in ids])
        return [StoredRun.from_json(text) for text in texts if text][::-1]

    def runs(self, site: str, limit: int) -> list[StoredRun]:
        return self._latest(site, limit)

    def history(self, site: str, before: str, limit: int) -> list[RunHealth]:
        # Partial rows are few (paused runs): read a few more than asked and keep `limit`.
        rows = [s.row for s in self._latest(site, limit + 5) if s.row.complete]
        return [row for row in rows if row.run != before][-limit:]

    def sites(self) -> list[str]:
        return sorted(_text(site) for site in self.server.smembers(self._key("sites")))

    def close(self) -> None:
        self.server.close()


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def open_health_store(location: str, read_only: bool = False) -> HealthStore:
    """The history kept with the crawl state at `location`: a SQLite file path (or
    sqlite:// URL) or a redis:// URL. `read_only`: never create a file or table (SQLite)."""
    scheme = location.split("://", 1)[0].lower() if "://" in location else ""
    if scheme in ("redis", "rediss"):
        return RedisHealthStore(location)
    if scheme in ("", "sqlite", "file"):
        path = location.split("://", 1)[1] if scheme else location
        if scheme == "sqlite":
            path = path.removeprefix("/") if path.startswith("//") else path
        return SQLiteHealthStore(path, read_only=read_only)
    raise HealthStoreError(f"no health history can be kept at {location!r}: use a file or redis://")
