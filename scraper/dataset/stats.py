"""What a dataset holds: counts per site, day and language, missing fields and duplicates.

Computed in one pass over `scraper.dataset.readers` rows, so it works on every sink and on
datasets larger than memory (only counters and one 8-byte digest per canonical URL are kept).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scraper.canonical import record_key
from scraper.dataset.readers import RecordRow
from scraper.sinks.fields import FIELD_NAMES

UNKNOWN_SITE, UNKNOWN_DAY, UNKNOWN_LANGUAGE = "(unknown)", "(no date)", "(unknown)"


def is_missing(value: Any) -> bool:
    """Null, empty text, an empty list or an empty dict: nothing a dataset user can use."""
    return value is None or value == "" or value == [] or value == {}


def site_of(record: dict[str, Any]) -> str:
    """The site an article counts under: its domain, else its site name."""
    return str(record.get("domain") or record.get("site_name") or UNKNOWN_SITE)


def day_of(record: dict[str, Any]) -> str:
    """The publication day (YYYY-MM-DD) of an article, as the page gives it."""
    published = record.get("published")
    if isinstance(published, str) and len(published) >= 10:
        return published[:10]
    return UNKNOWN_DAY


@dataclass
class DatasetStats:
    """Counters over a dataset; `add` one record at a time, or build with `collect`."""

    records: int = 0
    unparseable: list[str] = field(default_factory=list)
    by_site: Counter[str] = field(default_factory=Counter)
    by_day: Counter[str] = field(default_factory=Counter)
    by_language: Counter[str] = field(default_factory=Counter)
    by_day_site: Counter[tuple[str, str]] = field(default_factory=Counter)
    missing: Counter[str] = field(default_factory=Counter)
    marked_duplicates: int = 0
    clusters: set[str] = field(default_factory=set)
    repeated_urls: Counter[str] = field(default_factory=Counter)
    _seen_urls: set[bytes] = field(default_factory=set, repr=False)

    def add(self, record: dict[str, Any]) -> None:
        """Count one record."""
        self.records += 1
        site, day = site_of(record), day_of(record)
        self.by_site[site] += 1
        self.by_day[day] += 1
        self.by_day_site[day, site] += 1
        self.by_language[str(record.get("language") or UNKNOWN_LANGUAGE)] += 1
        for name in FIELD_NAMES:
            if is_missing(record.get(name)):
                self.missing[name] += 1
        if record.get("duplicate_of"):
            self.marked_duplicates += 1
        if record.get("cluster_id"):
            self.clusters.add(str(record["cluster_id"]))
        # One article under several URLs (tracking parameters, AMP, www.) is one article.
        key = record_key(record)
        if key:
            digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
            if digest in self._seen_urls:
                self.repeated_urls[key] += 1
            else:
                self._seen_urls.add(digest)

    @property
    def repeated_url_records(self) -> int:
        """Records whose canonical URL an earlier record already had."""
        return sum(self.repeated_urls.values())

    def missing_rate(self, name: str) -> float:
        """The share of records (0..1) where the field is missing."""
        return self.missing[name] / self.records if self.records else 0.0

    @property
    def days(self) -> list[str]:
        """Days in order, the undated last."""
        return sorted(self.by_day, key=lambda day: (day == UNKNOWN_DAY, day))

    @property
    def sites(self) -> list[str]:
        """Sites, most articles first."""
        return [site for site, _ in sorted(self.by_site.items(), key=lambda kv: (-kv[1], kv[0]))]


def collect(rows: Iterable[RecordRow]) -> DatasetStats:
    """Stats over every row; rows that could not be parsed are listed by location."""
    stats = DatasetStats()
    for row in rows:
        if row.record is None:
            stats.unparseable.append(row.location)
        else:
            stats.add(row.record)
    return stats


def _table(title: str, header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> list[str]:
    body = [header, *rows]
    widths = [max(len(row[column]) for row in body) for column in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [f"{row[0]:<{widths[0]}}"] + [
            f"{cell:>{max(width, 8)}}" for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        return "  " + "  ".join(cells)

    return ["", title, *(line(row) for row in body)]


def text_table(stats: DatasetStats, source: str) -> str:
    """The stats as aligned plain-text tables, for a terminal."""
    lines = [f"newsscrape stats: {source}", f"  records      {stats.records}"]
    if stats.unparseable:
        shown = ", ".join(stats.unparseable[:5]) + (", …" if len(stats.unparseable) > 5 else "")
        lines.append(f"  unparseable  {len(stats.unparseable)} ({shown})")
    lines += _table(
        "per site", ("site", "articles"), [(s, str(stats.by_site[s])) for s in stats.sites]
    )
    lines += _table("per day", ("day", "articles"), [(d, str(stats.by_day[d])) for d in stats.days])
    languages = sorted(stats.by_language.items(), key=lambda kv: (-kv[1], kv[0]))
    lines += _table("per language", ("language", "articles"), [(k, str(n)) for k, n in languages])
    lines += _table(
        "missing fields",
        ("field", "missing", "rate"),
        [
            (name, str(stats.missing[name]), f"{stats.missing_rate(name):.1%}")
            for name in FIELD_NAMES
        ],
    )
    lines += _table(
        "duplicates",
        ("kind", "count"),
        [
            ("records marked duplicate_of", str(stats.marked_duplicates)),
            ("story clusters (cluster_id)", str(len(stats.clusters))),
            ("canonical URLs seen more than once", str(len(stats.repeated_urls))),
            ("records repeating a canonical URL", str(stats.repeated_url_records)),
        ],
    )
    return "\n".join(lines) + "\n"
