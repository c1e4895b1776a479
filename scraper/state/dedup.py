"""What deduplication has seen, in one SQLite file that outlives the run.

Tables: `documents` (one row per distinct article seen: its article key
(`scraper.canonical.record_key`), canonical URL, text fingerprint, sketch, cluster), `clusters` (the first copy of each story: its canonical URL is every later
copy's `duplicate_of`) and `sketch_postings` (sketch value -> document, to find candidates
without comparing against every document). ":memory:" keeps the state for one run only.
"""

from __future__ import annotations

import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from scraper.canonical import canonical_key
from scraper.dedup.shingles import TextSketch

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    key TEXT,
    canonical_url TEXT,
    fingerprint TEXT NOT NULL,
    cluster_id TEXT NOT NULL,
    shingles INTEGER NOT NULL,
    sketch BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_by_fingerprint ON documents (fingerprint);
CREATE TABLE IF NOT EXISTS clusters (
    cluster_id TEXT PRIMARY KEY,
    first_url TEXT
);
CREATE TABLE IF NOT EXISTS sketch_postings (
    value INTEGER NOT NULL,
    document INTEGER NOT NULL,
    PRIMARY KEY (value, document)
) WITHOUT ROWID;
"""

# How many of the documents sharing most sketch values are compared in full: a copy shares
# dozens of values with its original; a text that shares a few with hundreds of documents
# (a stock phrase, a share-this line) need not be compared with all of them.
CANDIDATES = 20


@dataclass(frozen=True)
class SeenDocument:
    """A document from the state: enough to compare with and to name its story."""

    id: int
    key: str | None
    canonical_url: str | None
    fingerprint: str
    cluster_id: str
    sketch: TextSketch


class DedupState:
    """The SQLite store of seen documents; `path` ":memory:" for a state that dies with the run.

    Every `add_document` is committed at once, so a killed crawl loses nothing it marked.
    """

    def __init__(self, path: str | Path = ":memory:") -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        # Several crawls may share one state file: wait for each other's commits.
        self.db = sqlite3.connect(self.path, timeout=30.0)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._add_keys()

    def __enter__(self) -> DedupState:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Commit and close the database."""
        self.db.commit()
        self.db.close()

    def _add_keys(self) -> None:
        # A state written before documents had their article key looked them up by the
        # canonical URL as given: the key is added and filled from it, once.
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(documents)")}
        with self.db:
            if "key" not in columns:
                self.db.create_function("record_key", 1, _key_of_url, deterministic=True)
                self.db.execute("ALTER TABLE documents ADD COLUMN key TEXT")
                self.db.execute("UPDATE documents SET key = record_key(canonical_url)")
            self.db.execute("DROP INDEX IF EXISTS documents_by_url")
            self.db.execute("CREATE INDEX IF NOT EXISTS documents_by_key ON documents (key)")

    def by_key(self, key: str) -> SeenDocument | None:
        """The first document seen of the article with this key (`scraper.canonical.record_key`)."""
        return self._one("key = ?", key)

    def by_fingerprint(self, fingerprint: str) -> SeenDocument | None:
        """The first document seen with exactly this text."""
        return self._one("fingerprint = ?", fingerprint)

    def candidates(self, sketch: TextSketch, limit: int = CANDIDATES) -> list[SeenDocument]:
        """Documents sharing sketch values with `sketch`, those sharing most first."""
        if not sketch.minima:
            return []
        marks = ",".join("?" * len(sketch.minima))
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM documents JOIN ("
            f"  SELECT document, COUNT(*) AS shared FROM sketch_postings WHERE value IN ({marks})"
            "   GROUP BY document ORDER BY shared DESC, document LIMIT ?"
            ") ON documents.id = document ORDER BY shared DESC, documents.id",
            (*sketch.minima, limit),
        ).fetchall()
        return [_document(row) for row in rows]

    def first_url(self, cluster_id: str) -> str | None:
        """The canonical URL of the first copy seen of a story."""
        row = self.db.execute(
            "SELECT first_url FROM clusters WHERE cluster_id = ?", (cluster_id,)
        ).fetchone()
        return row[0] if row else None

    def add_document(
        self,
        key: str | None,
        canonical_url: str | None,
        fingerprint: str,
        cluster_id: str,
        sketch: TextSketch,
        index_sketch: bool = True,
    ) -> None:
        """Remember a document (and open its cluster if it is the story's first copy)."""
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO documents "
                "(key, canonical_url, fingerprint, cluster_id, shingles, sketch) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (key, canonical_url, fingerprint, cluster_id, sketch.size, _pack(sketch.minima)),
            )
            self.db.execute(
                "INSERT OR IGNORE INTO clusters (cluster_id, first_url) VALUES (?, ?)",
                (cluster_id, canonical_url),
            )
            if index_sketch and sketch.minima:
                # One statement for the sketch's (up to 128) postings, the document bound once:
                # 0.25 ms a document against 0.42 ms for executemany's row at a time.
                placeholders = ",".join(["(?)"] * len(sketch.minima))
                self.db.execute(
                    "INSERT OR IGNORE INTO sketch_postings (value, document) "
                    f"SELECT column1, ?1 FROM (VALUES {placeholders})",
                    (cursor.lastrowid, *sketch.minima),
                )

    def _one(self, where: str, value: object) -> SeenDocument | None:
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM documents WHERE {where} ORDER BY id LIMIT 1", (value,)
        ).fetchone()
        return None if row is None else _document(row)


_COLUMNS = "id, key, canonical_url, fingerprint, cluster_id, shingles, sketch"


def _document(row: tuple[Any, ...]) -> SeenDocument:
    return SeenDocument(
        id=row[0],
        key=row[1],
        canonical_url=row[2],
        fingerprint=row[3],
        cluster_id=row[4],
        sketch=TextSketch(size=row[5], minima=_unpack(row[6])),
    )


def _key_of_url(url: str | None) -> str | None:
    return canonical_key(url) if url else None


def _pack(values: tuple[int, ...]) -> bytes:
    # Little-endian whatever the machine: a state file may move between machines.
    return struct.pack(f"<{len(values)}q", *values)


def _unpack(blob: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(blob) // 8}q", blob)
