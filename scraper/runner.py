"""Run a newsscrape spider with the real Scrapy engine and report what happened."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.python.failure import Failure

from scraper.failures import page_failed
from scraper.items import PageFailure
from scraper.pool import EXTRACTION_MODULES, start_forkserver


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """newsscrape's Scrapy settings (as `scrapy crawl` sees them), with command-line overrides."""
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    if overrides:
        settings.update(overrides, priority="cmdline")
    _leave_out_disabled_extensions(settings)
    return settings


# Extensions that Scrapy would import only to be told, by their setting, that they are off:
# Scrapy loads every class in EXTENSIONS before asking it. Spidermon's pulls in jsonschema and
# its monitors, Scrapy's remote control aiohttp: together about 0.4 s of every command's start
# on an idle core. Left out of the lists when their setting is off, they behave as before.
_OPTIONAL_EXTENSIONS = {
    "spidermon.contrib.scrapy.extensions.Spidermon": ("EXTENSIONS", "SPIDERMON_ENABLED"),
    "scrapy.extensions.remote_control.RemoteControl": ("EXTENSIONS_BASE", "REMOTE_CONTROL_ENABLED"),
}


def _leave_out_disabled_extensions(settings: Settings) -> None:
    for path, (listing, enabled) in _OPTIONAL_EXTENSIONS.items():
        extensions = settings.getdict(listing)
        if path in extensions and not settings.getbool(enabled):
            del extensions[path]
            settings.set(listing, extensions, priority=settings.getpriority(listing) or 0)


@dataclass
class CrawlOutcome:
    """What a crawl produced: its stats and every failed page with its reason."""

    stats: dict[str, Any]
    failures: list[PageFailure] = field(default_factory=list)

    @property
    def articles(self) -> int:
        """Records written to the feeds."""
        return int(self.stats.get("item_scraped_count", 0))


class _FailureCollector:
    """Keeps failures and prints each as it happens (signals hold only weak references)."""

    def __init__(self, echo: bool) -> None:
        self.failures: list[PageFailure] = []
        self.echo = echo

    def __call__(self, failure: PageFailure) -> None:
        self.failures.append(failure)
        if self.echo:
            print(
                f"newsscrape: no article: {failure.url}: {failure.reason} [{failure.stage}]",
                file=sys.stderr,
            )


class _NoTracebacks(logging.Filter):
    """Log lines without tracebacks: a failed fetch is a fact about the page, not a crash.
    Every failure is still reported with its reason; -vv (DEBUG) shows tracebacks again."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def _hide_tracebacks() -> None:
    for handler in logging.root.handlers:
        if not any(isinstance(f, _NoTracebacks) for f in handler.filters):
            handler.addFilter(_NoTracebacks())


def _make_only_written_records() -> None:
    # Scrapy's root handler writes LOG_LEVEL and up but leaves the root logger at NOTSET, and
    # its DEFAULT_LOGGING sets its own "scrapy" logger to DEBUG, which every scrapy.* logger
    # inherits instead of the root's level: so every DEBUG record was still made and thrown
    # away by the handlers, two a page ("Crawled (200)" and "Scraped from" with the whole
    # record), each formatted for password masking (scraper/redact.py): 0.16 ms a page of the
    # crawl process's CPU, measured alone. Below every handler's level (the root's and any of
    # the "scrapy" logger's own) no record is made at all; -v -v (LOG_LEVEL DEBUG) makes them.
    scrapy_logger = logging.getLogger("scrapy")
    levels = [handler.level for handler in (*logging.root.handlers, *scrapy_logger.handlers)]
    if not levels or min(levels) <= logging.DEBUG:
        return
    for logger in (logging.root, scrapy_logger):
        if logger.level < min(levels):
            logger.setLevel(min(levels))


class _ReportedByNewsscrape(logging.Filter):
    """Scrapy's ERROR lines for a download given up ("Gave up retrying <GET ...>: [<twisted
    ...Failure ...>]") and for a robots.txt that could not be fetched say again, as a raw
    exception repr, what newsscrape reports itself: each page's failure with its reason, and
    a missing robots.txt as no restriction. They go to INFO (-v shows them), so that -q is
    quiet and every failure is said once."""

    MESSAGES = {
        "scrapy.downloadermiddlewares.retry": "Gave up retrying",
        "scrapy.downloadermiddlewares.robotstxt": "Error downloading",
    }

    def filter(self, record: logging.LogRecord) -> bool:
        start = self.MESSAGES.get(record.name)
        if start and record.levelno > logging.INFO and str(record.msg).startswith(start):
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def _demote_reported_errors() -> None:
    # A logger's own filter runs before its handlers check their levels.
    for name in _ReportedByNewsscrape.MESSAGES:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _ReportedByNewsscrape) for f in logger.filters):
            logger.addFilter(_ReportedByNewsscrape())


def run_spider(
    spider: str, spider_args: dict[str, Any], settings: Settings, echo_failures: bool = True
) -> CrawlOutcome:
    """Crawl with the named spider until it finishes; blocks (runs the reactor once)."""
    if settings.getint("NEWSSCRAPE_WORKERS") > 0:
        # The extraction workers' imports, on the other core while the engine is built.
        start_forkserver(EXTRACTION_MODULES)
    process = CrawlerProcess(settings)
    _demote_reported_errors()
    crawler = process.create_crawler(spider)
    if settings.get("LOG_LEVEL") != "DEBUG":
        # Scrapy installs its root log handler when the crawl starts; filter it then.
        crawler.signals.connect(_hide_tracebacks, signal=signals.engine_started)
    crawler.signals.connect(_make_only_written_records, signal=signals.engine_started)
    # Scrapy set these when the process was made; the crawl raises them (above), then they
    # are put back for whatever this process does next.
    levels = {logger: logger.level for logger in (logging.root, logging.getLogger("scrapy"))}
    collector = _FailureCollector(echo_failures)
    crawler.signals.connect(collector, signal=page_failed)
    not_started: list[Failure] = []
    started = process.crawl(crawler, **spider_args)
    # A component that cannot use a setting's value (`-s CONCURRENT_REQUESTS=2.5`, read with
    # getint) raises while the engine is built: that is the run's answer, not a Twisted
    # "Unhandled error in Deferred" traceback.
    started.addErrback(not_started.append)
    try:
        process.start()
    finally:
        for logger, level in levels.items():
            logger.setLevel(level)
    if not_started and not_started[0].value is not None:
        raise CrawlNotStarted(not_started[0].value)
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    return CrawlOutcome(stats=dict(stats), failures=collector.failures)


class CrawlNotStarted(Exception):
    """The crawl ended before fetching anything: a setting's value that Scrapy or one of the
    components could not use, as a rule. `error` is what was raised."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.error = error
