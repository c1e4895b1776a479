"""The errors output: every page that gave no article, one JSON line each, as it happens.

`--errors FILE` (setting NEWSSCRAPE_ERRORS_FILE) writes lines like

    {"url": "https://paper.example/x", "stage": "fetch", "reason": "HTTP 404", "kind": "HTTP 404",
     "status": 404, "time": "2024-05-02T09:30:00+00:00"}

`stage` is where the page stopped (fetch, not-article, extract, validate, sitemap), `reason` the
full explanation, `kind` a short label for counting (the summary line groups by it). Each line
is written with one unbuffered write, so a crawl killed at any instant leaves only whole lines.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import IO, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from scraper.failures import page_failed
from scraper.items import PageFailure
from scraper.record import utc_now
from scraper.redact import mask_passwords

# Substrings of a reason -> its kind, first match wins. The reasons come from Scrapy's
# exceptions (spiders/pages.py names them) and from the extraction stages.
_KINDS = [
    ("TLS error", "TLS error"),
    ("TimeoutError", "timeout"),
    ("took longer than", "timeout"),
    ("DataLoss", "connection lost"),
    ("ConnectionDone", "connection lost"),
    ("ConnectionLost", "connection lost"),
    ("ResponseFailed", "connection lost"),
    ("ResponseNeverReceived", "connection lost"),
    ("ConnectionRefused", "connection refused"),
    ("DNSLookupError", "DNS lookup failed"),
    ("DOWNLOAD_MAXSIZE", "too large"),
    ("download max size", "too large"),
    ("DownloadCancelled", "too large"),
    ("max redirections", "too many redirects"),
    ("private network", "private network refused"),
    ("unsupported URL scheme", "unsupported URL scheme"),
    ("robots.txt", "forbidden by robots.txt"),
    ("binary data", "not HTML"),
    ("not an HTML page", "not HTML"),
    ("empty document", "empty page"),
    ("not a sitemap", "not a sitemap"),
    ("no article text", "no article text"),
    ("too little text", "too little text"),
    ("too short", "too little text"),
    ("listing", "listing page"),
    ("teasers", "listing page"),
]
_HTTP_STATUS = re.compile(r"^HTTP \d{3}")


def reason_kind(reason: str) -> str:
    """A short, countable label for a failure reason: "timeout", "HTTP 404", "not HTML"…"""
    status = _HTTP_STATUS.match(reason)
    if status:
        return status.group(0)
    for needle, kind in _KINDS:
        if needle in reason:
            return kind
    # Unknown: the exception name or the reason's first clause, without specifics.
    head = re.split(r"[:(]", reason, maxsplit=1)[0].strip()
    return head[:40] or "unknown"


def failure_line(failure: PageFailure, time: str | None = None) -> dict[str, Any]:
    """The errors-output record of one failure (passwords in URIs masked)."""
    return {
        "url": mask_passwords(failure.url),
        "stage": failure.stage,
        "reason": mask_passwords(failure.reason),
        "kind": reason_kind(failure.reason),
        "status": failure.status,
        "time": time or utc_now(),
    }


class ErrorsFile:
    """Extension: writes every `page_failed` failure to NEWSSCRAPE_ERRORS_FILE as JSON Lines."""

    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.path = Path(path)
        self.stream: IO[bytes] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ErrorsFile:
        path = crawler.settings.get("NEWSSCRAPE_ERRORS_FILE")
        if not path:
            raise NotConfigured  # no message: Scrapy would log one warning per crawl
        extension = cls(crawler, str(path))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.page_failed, signal=page_failed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        append = self.crawler.settings.getbool("NEWSSCRAPE_ERRORS_APPEND")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Unbuffered: each line is one write() call, whole or absent after a kill.
        self.stream = open(self.path, "ab" if append else "wb", buffering=0)  # noqa: SIM115

    def page_failed(self, failure: PageFailure) -> None:
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value(f"newsscrape/failed_kind/{reason_kind(failure.reason)}")
        if self.stream is None:
            return
        line = json.dumps(failure_line(failure), ensure_ascii=False) + "\n"
        self.stream.write(line.encode("utf-8"))

    def spider_closed(self, spider: Spider) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
