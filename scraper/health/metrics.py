"""What one crawl run says about one site: the figures the health checks compare.

One `RunHealth` row per site per run, built while the run goes by a `SiteTally`:

- articles seen (written plus unchanged since the last run), written, unchanged;
- pages fetched as articles that extraction refused (`not_articles`: a JavaScript shell, a
  login wall, a listing), and failures by kind ("fetch: HTTP 404", "sitemap: timeout");
- for the records the run wrote: how many have a headline, authors and a published date,
  how many are flagged paywalled, and their median word count;
- per discovery source (sitemap, feed, link): the distinct article URLs it gave this run.
  Sitemaps and feeds count every article URL they list, whether or not another source listed
  it too (the feed usually repeats the sitemap's newest entries; what matters is that it
  still lists them); links count the article URLs found only by following links.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

# Sent by the newspaper spider for every sitemap or feed it reads, and for every article URL
# it first finds by a link: `url` (the listing's or the page's), `source` (the spider's name
# for it, see SOURCE_OF), `urls` (the article URLs it gave).
articles_listed = object()

# Record fields whose coverage is kept: the figure's name and the record field behind it.
COVERAGE_FIELDS = {"headline": "title", "authors": "authors", "published": "published"}
SOURCES = ("sitemap", "feed", "link")
# How the spider names a page's source -> the discovery source it counts for.
SOURCE_OF = {"sitemap": "sitemap", "news-sitemap": "sitemap", "feed": "feed", "link": "link"}


@dataclass
class RunHealth:
    """One site's figures for one crawl run (a row of the health history)."""

    site: str
    run: str
    # When the run ended (UTC, ISO 8601).
    time: str
    articles_seen: int = 0
    written: int = 0
    unchanged: int = 0
    not_articles: int = 0
    # Failed pages and sources by stage and kind of reason: {"fetch: HTTP 404": 3}.
    failures: dict[str, int] = field(default_factory=dict)
    # Records the run wrote, and how many of them have each covered field / are paywalled.
    records: int = 0
    headline: int = 0
    authors: int = 0
    published: int = 0
    paywalled: int = 0
    median_words: float | None = None
    # Article URLs each discovery source gave: {"sitemap": 120, "feed": 30, "link": 4}.
    sources: dict[str, int] = field(default_factory=dict)
    # False for a paused run (Ctrl-C, SIGTERM) or one distributed worker's share: such a row
    # is merged with the rest of its run and never compared with as history.
    complete: bool = True
    # The metrics this run raised alerts on (set when read back from the store): left out of
    # what is usual for them while the breakage is news (scraper/health/checks.py).
    alerted: list[str] = field(default_factory=list)
    # The records' word counts: for the checks of the run, and kept in the store only while a
    # row is partial (to merge medians).
    word_counts: list[int] = field(default_factory=list)

    def share(self, figure: str) -> float | None:
        """The share of this run's records with `figure` (a COVERAGE_FIELDS name or
        "paywalled"), or None when the run wrote no record."""
        if not self.records:
            return None
        count: int = getattr(self, figure)
        return count / self.records

    @property
    def failed(self) -> int:
        """Failures of every kind."""
        return sum(self.failures.values())

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-ready data (word counts only for a partial row)."""
        data = asdict(self)
        data.pop("alerted")
        if self.complete:
            data.pop("word_counts")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunHealth:
        """A row read back from `to_dict`'s data; unknown keys (a newer version's) ignored."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    def merged(self, other: RunHealth) -> RunHealth:
        """This row and another share of the same run (a resumed run, another worker)."""
        counts = Counter(self.failures)
        counts.update(other.failures)
        sources = Counter(self.sources)
        sources.update(other.sources)
        words = [*self.word_counts, *other.word_counts]
        return RunHealth(
            site=self.site,
            run=self.run,
            time=max(self.time, other.time),
            articles_seen=self.articles_seen + other.articles_seen,
            written=self.written + other.written,
            unchanged=self.unchanged + other.unchanged,
            not_articles=self.not_articles + other.not_articles,
            failures=dict(counts),
            records=self.records + other.records,
            headline=self.headline + other.headline,
            authors=self.authors + other.authors,
            published=self.published + other.published,
            paywalled=self.paywalled + other.paywalled,
            median_words=median(words),
            sources=dict(sources),
            complete=False,
            word_counts=words,
        )


def median(values: list[int]) -> float | None:
    """The median, or None for no values."""
    return float(statistics.median(values)) if values else None


class SiteTally:
    """Counts one site's figures while a run goes; `row()` gives its RunHealth."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.written = 0
        self.unchanged = 0
        self.not_articles = 0
        self.failures: Counter[str] = Counter()
        self.sources: dict[str, set[str]] = {source: set() for source in SOURCES}
        self.covered: Counter[str] = Counter()
        self.records = 0
        self.word_counts: list[int] = []

    def add_record(self, key: str, record: dict[str, Any]) -> None:
        """A record the run wrote."""
        self.seen.add(key)
        self.written += 1
        self.records += 1
        for figure, name in COVERAGE_FIELDS.items():
            if record.get(name):
                self.covered[figure] += 1
        if record.get("paywalled"):
            self.covered["paywalled"] += 1
        words = record.get("word_count")
        if isinstance(words, int):
            self.word_counts.append(words)

    def add_unchanged(self, key: str) -> None:
        """An article fetched again and unchanged since the last run."""
        if key not in self.seen:
            self.seen.add(key)
            self.unchanged += 1

    def add_not_article(self) -> None:
        """A page fetched as an article candidate that extraction refused."""
        self.not_articles += 1

    def add_failure(self, label: str) -> None:
        """A failed page or source, labelled "stage: kind"."""
        self.failures[label] += 1

    def add_listed(self, source: str, urls: list[str]) -> None:
        """Article URLs given by a discovery source (each counts once per source)."""
        self.sources[source].update(urls)

    def row(self, site: str, run: str, time: str, complete: bool = True) -> RunHealth:
        """The figures so far as a row."""
        return RunHealth(
            site=site,
            run=run,
            time=time,
            articles_seen=len(self.seen),
            written=self.written,
            unchanged=self.unchanged,
            not_articles=self.not_articles,
            failures=dict(self.failures),
            records=self.records,
            headline=self.covered["headline"],
            authors=self.covered["authors"],
            published=self.covered["published"],
            paywalled=self.covered["paywalled"],
            median_words=median(self.word_counts),
            sources={source: len(urls) for source, urls in self.sources.items()},
            complete=complete,
            # For the check of this run; a complete row is stored without them.
            word_counts=list(self.word_counts),
        )
