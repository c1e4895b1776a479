"""Politeness is on by default and never changed silently.

At the start of every crawl the effective politeness settings are logged at INFO; any that
differs from newsscrape's default (set with -s, a site profile or a spider) is logged at
WARNING with where it came from, so an impolite run always says so.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import Settings

logger = logging.getLogger(__name__)

POLITENESS_SETTINGS = (
    "ROBOTSTXT_OBEY",
    "USER_AGENT",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "AUTOTHROTTLE_TARGET_CONCURRENCY",
    "AUTOTHROTTLE_MAX_DELAY",
    "RETRY_ENABLED",
    "RETRY_TIMES",
    "NEWSSCRAPE_RETRY_AFTER_MAX",
)


def politeness_defaults() -> Settings:
    """newsscrape's own politeness settings, as the project settings module sets them."""
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    return settings


class PolitenessReport:
    """Logs the effective politeness settings when the spider opens."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PolitenessReport:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self) -> None:
        settings = self.crawler.settings
        defaults = politeness_defaults()
        effective = ", ".join(f"{name}={settings.get(name)!r}" for name in POLITENESS_SETTINGS)
        logger.info("politeness: %s", effective)
        for name in POLITENESS_SETTINGS:
            value, default = settings.get(name), defaults.get(name)
            if str(value) != str(default):
                logger.warning(
                    "politeness override: %s=%r (newsscrape's default %r), set by %s",
                    name,
                    value,
                    default,
                    _source(settings.getpriority(name)),
                )


def _source(priority: int | None) -> str:
    names = {
        10: "the command",
        15: "an add-on",
        20: "the project settings",
        30: "the spider or site profile",
        40: "the command line (-s)",
    }
    return names.get(priority or 0, f"priority {priority}")
