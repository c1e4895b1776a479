"""Per-site boilerplate: short paragraphs a site repeats on many of its pages, learned by crawling.

Generic extraction and the chrome patterns (`scraper.extract.chrome_lines`) remove what every site
does ("Share", "Advertisement"). A newspaper's own recurring lines ("Gazette Plus members get
the crossword first every Friday.", a standard disclaimer, a promo for its podcast) are known
to no pattern; they show themselves by recurring, word for word, on page after page of the
same site. `SiteBoilerplate` counts, per site (the record's `domain`), on how many distinct
pages each paragraph occurred, and removes those it learned.

The rules, and why:

- A paragraph is learned once it occurred on `min_pages` distinct pages of the site
  (`NEWSSCRAPE_BOILERPLATE_MIN_PAGES`, default 3), the page being cleaned included: it is
  stripped from that page on. Paragraphs are compared folded (`scraper.extract.text.fold`:
  case, punctuation and spacing do not matter) by a 64-bit hash.
- Only paragraphs of at most `max_chars` characters are counted (default 300): a prompt or a
  label is short; a long paragraph repeated across pages is quoted or syndicated text, which
  near-duplicate detection handles, and a follow-up story may repeat it on purpose.
- A page counts once: a paragraph repeated within one page counts one page, and a page seen
  again (the same canonical URL, or the same text under another URL: a re-fetch in the next
  scheduled run, an edited version, a print copy) counts no more paragraphs. Each page leaves
  two 64-bit marks (its canonical key and its text fingerprint) to know it again.
- Never most of an article: when the learned paragraphs hold more than half of a page's words,
  the page keeps its whole text and is not counted (a stub or a teaser is mostly template;
  learning from it would teach the template's remaining lines too).
- Bounded: at most `max_keys` paragraphs per site (default 5,000). Past that, those seen on
  the fewest pages, the oldest first, are forgotten down to four fifths of the cap. An
  article's own paragraphs are each seen once and go first; a line seen once is kept while
  fewer than four fifths of the cap (4,000) newer paragraphs came after it (some two hundred
  articles), and once seen twice it outranks every paragraph seen once.

The table lives in SQLite: the crawl state's file when there is one (tables
`site_boilerplate` and `site_boilerplate_pages`, beside the state's own), so what one run
learned strips the next run's very first page; else `:memory:`, for one run. Every page is
one transaction, so crawls sharing a state file add up their counts instead of overwriting.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scraper.extract.text import fold
from scraper.record import normalised_words

DEFAULT_MIN_PAGES = 3
DEFAULT_MAX_CHARS = 300
DEFAULT_MAX_KEYS = 5000
# After an eviction a site keeps this share of its cap, so eviction runs once per many pages.
_KEEP_AFTER_EVICTION = 0.8

_SCHEMA = """
CREATE TABLE IF NOT EXISTS site_boilerplate (
    domain TEXT NOT NULL,
    key INTEGER NOT NULL,
    pages INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    text TEXT,
    PRIMARY KEY (domain, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS site_boilerplate_rank ON site_boilerplate (domain, pages, last_seen);
CREATE TABLE IF NOT EXISTS site_boilerplate_pages (
    domain TEXT NOT NULL,
    mark INTEGER NOT NULL,
    PRIMARY KEY (domain, mark)
) WITHOUT ROWID;
"""


class BoilerplateSettingError(ValueError):
    """A boilerplate setting has a value it cannot take; the message says which and why."""


@dataclass(frozen=True)
class BoilerplateRules:
    """When a paragraph counts as a site's boilerplate (see the module doc)."""

    min_pages: int = DEFAULT_MIN_PAGES
    max_chars: int = DEFAULT_MAX_CHARS
    max_keys: int = DEFAULT_MAX_KEYS

    def __post_init__(self) -> None:
        if self.min_pages < 2:
            # One page is no repetition: every short paragraph would be stripped at once.
            raise BoilerplateSettingError(
                f"NEWSSCRAPE_BOILERPLATE_MIN_PAGES must be 0 (off) or 2 or more, not {self.min_pages}"
            )
        if self.max_chars < 1:
            raise BoilerplateSettingError(
                f"NEWSSCRAPE_BOILERPLATE_MAX_CHARS must be 1 or more, not {self.max_chars}"
            )
        if self.max_keys < 10:
            raise BoilerplateSettingError(
                f"NEWSSCRAPE_BOILERPLATE_MAX_KEYS must be 10 or more, not {self.max_keys}"
            )


@dataclass(frozen=True)
class Cleaning:
    """What `SiteBoilerplate.clean` did to one page's text."""

    text: str
    removed: int  # paragraphs removed (every occurrence counts)
    counted: bool  # the page taught the table (False: seen before, or mostly boilerplate)
    kept_whole: bool  # learned lines held most of the words, so nothing was removed


@dataclass(frozen=True)
class LearnedLine:
    """A paragraph learned as a site's boilerplate, for inspection."""

    text: str
    pages: int


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a record's text (separated by blank lines), stripped, none empty."""
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def _hash64(value: str) -> int:
    # Signed, to fit SQLite's INTEGER; 64 bits make a collision within one site negligible.
    digest = hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def paragraph_key(paragraph: str) -> int | None:
    """The key a paragraph is counted under (its folded text, hashed); None if it has no word."""
    folded = fold(paragraph)
    return _hash64(folded) if folded else None


class SiteBoilerplate:
    """The per-site table of recurring paragraphs, in SQLite (`path`, or ":memory:").

    Several crawls may share one file: each page is one transaction, and the connection
    waits for another writer's commit rather than failing.
    """

    def __init__(self, path: str | Path = ":memory:", rules: BoilerplateRules | None = None):
        self.rules = rules or BoilerplateRules()
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        # Rows per site as this process last knew them; eviction checks the real count.
        self._rows: dict[str, int] = {}

    def close(self) -> None:
        """Close the database (every page's update is already committed)."""
        self.db.close()

    def clean(self, domain: str, page_marks: Iterable[str], text: str) -> Cleaning:
        """Learn from one page of `domain` and return its text without the site's learned
        boilerplate. `page_marks` identify the page (its canonical key, its text fingerprint):
        a page any of whose marks was seen before is not counted again."""
        domain = domain.lower()
        # Each paragraph with the key it counts under (None: too long to be a label, or wordless).
        pieces = [
            (p, paragraph_key(p) if len(p) <= self.rules.max_chars else None)
            for p in split_paragraphs(text)
        ]
        distinct = sorted({key for _, key in pieces if key is not None})
        marks = sorted({_hash64(mark) for mark in page_marks})
        self.db.execute("BEGIN IMMEDIATE")
        try:
            new_page = not self._any_mark_known(domain, marks)
            seen_on = self._pages(domain, distinct)
            # The page being cleaned counts towards learning: on the min_pages-th page a
            # recurring line is already gone.
            learned = {
                key
                for key in distinct
                if seen_on.get(key, 0) + int(new_page) >= self.rules.min_pages
            }
            # (Words are counted only when there is something to remove: most pages of a
            # crawl, on the reactor thread, have nothing learned yet.)
            if learned and 2 * sum(
                len(normalised_words(p)) for p, key in pieces if key in learned
            ) > len(normalised_words(text)):
                self.db.execute("COMMIT")
                return Cleaning(text, removed=0, counted=False, kept_whole=True)
            if new_page:
                self._count_page(domain, distinct, seen_on, pieces)
            self.db.executemany(
                "INSERT OR IGNORE INTO site_boilerplate_pages (domain, mark) VALUES (?, ?)",
                [(domain, mark) for mark in marks],
            )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        if not learned:
            return Cleaning(text, removed=0, counted=new_page, kept_whole=False)
        kept = [p for p, key in pieces if key not in learned]
        return Cleaning(
            "\n\n".join(kept),
            removed=len(pieces) - len(kept),
            counted=new_page,
            kept_whole=False,
        )

    def learned(self, domain: str) -> list[LearnedLine]:
        """The lines learned for `domain`, most pages first."""
        rows = self.db.execute(
            "SELECT text, pages FROM site_boilerplate WHERE domain = ? AND pages >= ? "
            "AND text IS NOT NULL ORDER BY pages DESC, text",
            (domain.lower(), self.rules.min_pages),
        ).fetchall()
        return [LearnedLine(str(text), int(pages)) for text, pages in rows]

    def size(self, domain: str) -> int:
        """How many paragraphs the table holds for `domain`."""
        row = self.db.execute(
            "SELECT COUNT(*) FROM site_boilerplate WHERE domain = ?", (domain.lower(),)
        ).fetchone()
        return int(row[0])

    def _any_mark_known(self, domain: str, marks: Sequence[int]) -> bool:
        if not marks:
            return False
        row = self.db.execute(
            f"SELECT 1 FROM site_boilerplate_pages WHERE domain = ? "
            f"AND mark IN ({','.join('?' * len(marks))}) LIMIT 1",
            (domain, *marks),
        ).fetchone()
        return row is not None

    def _pages(self, domain: str, keys: Sequence[int]) -> dict[int, int]:
        if not keys:
            return {}
        rows = self.db.execute(
            f"SELECT key, pages FROM site_boilerplate WHERE domain = ? "
            f"AND key IN ({','.join('?' * len(keys))})",
            (domain, *keys),
        ).fetchall()
        return {int(key): int(pages) for key, pages in rows}

    def _count_page(
        self,
        domain: str,
        distinct: Sequence[int],
        seen_on: dict[int, int],
        pieces: Sequence[tuple[str, int | None]],
    ) -> None:
        # The text is kept only for learned lines (for `learned`): storing every paragraph
        # of every article would multiply the table's size for nothing.
        text_of = {key: p for p, key in pieces if key is not None}
        # Microseconds: pages within one second still evict in the order they came.
        now = time.time_ns() // 1000
        self.db.executemany(
            "INSERT INTO site_boilerplate (domain, key, pages, last_seen, text) "
            "VALUES (?, ?, 1, ?, ?) ON CONFLICT (domain, key) DO UPDATE SET "
            "pages = pages + 1, last_seen = excluded.last_seen, "
            "text = COALESCE(site_boilerplate.text, excluded.text)",
            [
                (
                    domain,
                    key,
                    now,
                    text_of[key] if seen_on.get(key, 0) + 1 >= self.rules.min_pages else None,
                )
                for key in distinct
            ],
        )
        if domain not in self._rows:
            self._rows[domain] = self.size(domain)
        else:
            self._rows[domain] += sum(1 for key in distinct if key not in seen_on)
        if self._rows[domain] > self.rules.max_keys:
            self._evict(domain)

    def _evict(self, domain: str) -> None:
        rows = self.size(domain)
        keep = int(self.rules.max_keys * _KEEP_AFTER_EVICTION)
        if rows > self.rules.max_keys:
            self.db.execute(
                "DELETE FROM site_boilerplate WHERE domain = ? AND key IN ("
                "SELECT key FROM site_boilerplate WHERE domain = ? "
                "ORDER BY pages, last_seen LIMIT ?)",
                (domain, domain, rows - keep),
            )
            rows = keep
        self._rows[domain] = rows
