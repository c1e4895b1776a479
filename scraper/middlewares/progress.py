"""Progress while a crawl runs, and a summary table when it ends (both on stderr).

A Scrapy extension reading the crawl's stats:
- progress (NEWSSCRAPE_PROGRESS: "auto" shows it when stderr is a terminal, true/false force
  it): pages fetched, articles written, errors and the rate, at most once a second — on a
  terminal one line rewritten in place, otherwise one line each time;
- the summary (NEWSSCRAPE_SUMMARY: `newsscrape crawl` and the `newspaper` spider turn it on):
  URLs discovered, skipped before fetching, pages fetched, articles, pages that were not
  articles, unchanged articles (an incremental run), failures by reason, and the classifier's
  decisions.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from typing import Any, TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from scraper.failures import page_failed
from scraper.items import NOT_ARTICLE, PageFailure

# Stat keys written by the newspaper spider, the pipelines and the incremental stage.
DISCOVERED = "newsscrape/discovered"
PAGES_FETCHED = "newsscrape/pages_fetched"
LINKS_ONLY = "newsscrape/links_only_fetched"
UNCHANGED = "newsscrape/unchanged"
_HTTP_STATUS = re.compile(r"^HTTP \d{3}")


def reason_label(reason: str) -> str:
    """A countable label for a failure reason: "HTTP 404", "forbidden by robots.txt", the
    exception name, or the reason's first clause."""
    status = _HTTP_STATUS.match(reason)
    if status:
        return status.group(0)
    head = re.split(r"[:(]", reason, maxsplit=1)[0].strip()
    return head[:48] or "unknown"


def _prefixed(stats: dict[str, Any], prefix: str) -> Counter[str]:
    return Counter(
        {key[len(prefix) :]: int(value) for key, value in stats.items() if key.startswith(prefix)}
    )


def _breakdown(counts: Counter[str]) -> str:
    parts = [f"{name} {count}" for name, count in counts.most_common() if count]
    return f"({', '.join(parts)})" if parts else ""


def summary_table(stats: dict[str, Any], failures: Counter[str], seconds: float) -> str:
    """The closing summary, one row per figure, with its breakdown beside it."""
    fetched = int(stats.get(PAGES_FETCHED, stats.get("response_received_count", 0)))
    listings = _prefixed(stats, "newsscrape/listings/")
    articles = int(stats.get("item_scraped_count", 0))
    refused = int(stats.get(f"newsscrape/failed/{NOT_ARTICLE}", 0))
    links_only = int(stats.get(LINKS_ONLY, 0))
    not_fetched = int(stats.get("newsscrape/skipped/not-article", 0))
    skipped = _prefixed(stats, "newsscrape/skipped/")
    skipped.pop("not-article", None)
    rate = fetched / seconds if seconds > 0 else 0.0
    rows = [
        (
            "discovered",
            int(stats.get(DISCOVERED, 0)),
            _breakdown(_prefixed(stats, f"{DISCOVERED}/")),
        ),
        ("skipped", sum(skipped.values()), _breakdown(skipped)),
        (
            "fetched",
            fetched,
            f"pages, {rate:.1f}/s"
            + (f"; and {sum(listings.values())} sitemaps/feeds" if listings else ""),
        ),
        ("articles", articles, "written"),
        (
            "not articles",
            links_only + refused + not_fetched,
            _breakdown(
                Counter(
                    {
                        "fetched for links": links_only,
                        "refused by extraction": refused,
                        "not fetched": not_fetched,
                    }
                )
            ),
        ),
        ("unchanged", int(stats.get(UNCHANGED, 0)), ""),
        ("failed", sum(failures.values()), _breakdown(failures)),
    ]
    classified = _prefixed(stats, "newsscrape/classified/")
    lines = [f"newsscrape crawl summary ({seconds:.1f} s)"]
    lines += [f"  {name:<13}{count:>7}  {detail}".rstrip() for name, count, detail in rows]
    if classified:
        lines.append(f"  {'classified':<13}{sum(classified.values()):>7}  {_breakdown(classified)}")
    lines += _health_rows(stats)
    return "\n".join(lines)


def _health_rows(stats: dict[str, Any]) -> list[str]:
    """The health checks' row (scraper/health): how many alerts, and what the run was
    compared with. The alerts themselves follow the summary (`newsscrape crawl`) or are
    logged as warnings (Scrapy, Scrapyd)."""
    from scraper.health.collect import ALERTS_STAT, NOTE_STAT

    note = stats.get(NOTE_STAT)
    if not note:
        return []
    alerts = len(stats.get(ALERTS_STAT) or [])
    return [f"  {'health':<13}{alerts:>7}  alert{'s' if alerts != 1 else ''} ({note})"]


class CrawlProgress:
    """Extension: progress on stderr while crawling, the summary table when done."""

    def __init__(self, crawler: Crawler, progress: bool, summary: bool, stream: TextIO) -> None:
        self.crawler = crawler
        self.show_progress = progress
        self.show_summary = summary
        self.stream = stream
        self.on_terminal = stream.isatty()
        self.failures: Counter[str] = Counter()
        self.started = time.monotonic()
        self.ticker: task.LoopingCall | None = None
        self.shown_progress = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        setting = str(crawler.settings.get("NEWSSCRAPE_PROGRESS", "auto")).lower()
        stream = sys.stderr
        progress = stream.isatty() if setting == "auto" else setting in ("1", "true", "yes", "on")
        summary = crawler.settings.getbool("NEWSSCRAPE_SUMMARY")
        if not progress and not summary:
            raise NotConfigured  # not asked for: off without a warning
        extension = cls(crawler, progress, summary, stream)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.page_failed, signal=page_failed)
        return extension

    def _stats(self) -> dict[str, Any]:
        return dict(self.crawler.stats.get_stats()) if self.crawler.stats is not None else {}

    def page_failed(self, failure: PageFailure) -> None:
        if failure.stage != NOT_ARTICLE:
            self.failures[f"{failure.stage}: {reason_label(failure.reason)}"] += 1

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        if self.show_progress:
            self.ticker = task.LoopingCall(self.tick)
            self.ticker.start(1.0, now=False)

    def progress_line(self) -> str:
        """Pages fetched, articles written, errors, rate."""
        stats = self._stats()
        fetched = int(stats.get(PAGES_FETCHED, stats.get("response_received_count", 0)))
        seconds = max(time.monotonic() - self.started, 1e-6)
        return (
            f"newsscrape: {fetched} pages fetched, {int(stats.get('item_scraped_count', 0))} "
            f"articles, {sum(self.failures.values())} errors, {fetched / seconds:.1f} pages/s"
        )

    def tick(self) -> None:
        line = self.progress_line()
        if self.on_terminal:
            self.stream.write("\r" + line + "\x1b[K")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self.shown_progress = True

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.ticker is not None and self.ticker.running:
            self.ticker.stop()
        if self.show_progress:
            self.tick()
            if self.on_terminal:
                self.stream.write("\n")
        if self.show_summary:
            seconds = time.monotonic() - self.started
            table = summary_table(self._stats(), self.failures, seconds)
            if reason not in ("finished", "shutdown"):
                table += f"\n  {'stopped':<13}{'':>7}  {reason}"
            self.stream.write(table + "\n")
        self.stream.flush()
