"""Stage: lines a site repeats on many of its pages are learned and removed from its records.

Right after extraction (`pipelines.extract`), each article record teaches the site's table
(`scraper.learned_boilerplate.SiteBoilerplate`, keyed by the record's `domain`) which short paragraphs
it holds, and loses those already seen on NEWSSCRAPE_BOILERPLATE_MIN_PAGES distinct pages of
its site (this page included). A record that lost paragraphs gets a new `text`, `word_count`
and `fingerprint`, and `provenance["boilerplate"] = "site-learned"`. Failures and other items
pass through untouched.

Order within a crawl: a line is learned on the MIN_PAGES-th page of its site that holds it,
so the first MIN_PAGES - 1 such pages of a site's *first* crawl keep it (holding records back
until a site has enough pages would stall a small crawl and reorder the durable output for
the sake of two records). With a crawl state (NEWSSCRAPE_STATE, a SQLite file) the table is
kept in that file, so the next scheduled crawl strips learned lines from its very first page;
without one it lives for the run. A Redis state (distributed crawls) keeps the table in each
worker's memory, for the run only.

A page fetched again with the same content after its site's lines were learned (a server
that answers without ETag or Last-Modified) now has a cleaner text, so the incremental stage
writes it once more as a new version: the cleaner one.

NEWSSCRAPE_BOILERPLATE_MIN_PAGES = 0 turns the stage off. Stats: newsscrape/boilerplate/*.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from scraper.canonical import record_key
from scraper.learned_boilerplate import (
    DEFAULT_MAX_CHARS,
    DEFAULT_MAX_KEYS,
    DEFAULT_MIN_PAGES,
    BoilerplateRules,
    BoilerplateSettingError,
    SiteBoilerplate,
)
from scraper.record import normalised_words, text_fingerprint
from scraper.state import SQLiteCrawlState, session_for

logger = logging.getLogger(__name__)

PROVENANCE = "site-learned"


def _whole_number(settings: BaseSettings, name: str, default: int) -> int:
    value = settings.get(name, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BoilerplateSettingError(
            f"{name} must be a whole number, not {value!r}; e.g. -s {name}={default}"
        ) from None


def rules_from_settings(settings: BaseSettings) -> BoilerplateRules | None:
    """The learning rules the settings ask for; None when NEWSSCRAPE_BOILERPLATE_MIN_PAGES
    is 0 (off). Raises BoilerplateSettingError naming a bad value."""
    min_pages = _whole_number(settings, "NEWSSCRAPE_BOILERPLATE_MIN_PAGES", DEFAULT_MIN_PAGES)
    if min_pages == 0:
        return None
    return BoilerplateRules(
        min_pages=min_pages,
        max_chars=_whole_number(settings, "NEWSSCRAPE_BOILERPLATE_MAX_CHARS", DEFAULT_MAX_CHARS),
        max_keys=_whole_number(settings, "NEWSSCRAPE_BOILERPLATE_MAX_KEYS", DEFAULT_MAX_KEYS),
    )


class BoilerplatePipeline:
    """Learns each site's recurring lines from its records and removes them.

    `table_path` is the SQLite file that keeps what was learned (":memory:": this run only).
    Usable outside a crawl too: `BoilerplatePipeline(path, rules).process_item(record)`.
    """

    def __init__(
        self,
        table_path: str | Path = ":memory:",
        rules: BoilerplateRules | None = None,
        crawler: Crawler | None = None,
    ) -> None:
        self.table_path = str(table_path)
        self.rules = rules or BoilerplateRules()
        self.crawler = crawler
        self.table: SiteBoilerplate | None = None

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> BoilerplatePipeline:
        """The stage outside a crawl (`newsscrape extract`): lines are learned across the pages
        of this run only. NotConfigured when the settings turn it off."""
        rules = rules_from_settings(settings)
        if rules is None:
            raise NotConfigured
        return cls(rules=rules)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoilerplatePipeline:
        try:
            rules = rules_from_settings(crawler.settings)
        except BoilerplateSettingError as error:
            # Scrapy logs this as one line ("Disabled ...: <why>") and the crawl goes on.
            raise NotConfigured(f"{error}; site boilerplate is not removed in this run") from None
        if rules is None:
            raise NotConfigured  # turned off: no warning
        session = session_for(crawler)
        table_path = ":memory:"
        if session is not None and isinstance(session.store, SQLiteCrawlState):
            table_path = str(session.store.path)
        elif session is not None:
            logger.info("site boilerplate is learned for this run only (state is not SQLite)")
        return cls(table_path, rules, crawler)

    def open_spider(self) -> None:
        self.table = SiteBoilerplate(self.table_path, self.rules)

    def close_spider(self) -> None:
        if self.table is not None:
            self.table.close()
            self.table = None

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        text, domain = item.get("text"), item.get("domain")
        if not isinstance(text, str) or not text or not domain:
            return item
        if self.table is None:
            self.open_spider()
        assert self.table is not None
        marks = [f"text {item['fingerprint']}"] if item.get("fingerprint") else []
        key = record_key(item)
        if key:
            marks.append(f"url {key}")
        try:
            cleaning = self.table.clean(str(domain), marks, text)
        except sqlite3.Error as error:
            # The table is an improvement, not the record: write the article as extracted.
            logger.warning(
                "site boilerplate table %s: %s; record kept whole", self.table_path, error
            )
            self._count("newsscrape/boilerplate/table_errors")
            return item
        if cleaning.counted:
            self._count("newsscrape/boilerplate/pages_learned_from")
        if cleaning.kept_whole:
            self._count("newsscrape/boilerplate/kept_whole")
        if cleaning.removed:
            item["text"] = cleaning.text
            item["word_count"] = len(normalised_words(cleaning.text))
            item["fingerprint"] = text_fingerprint(cleaning.text)
            item["provenance"] = {**(item.get("provenance") or {}), "boilerplate": PROVENANCE}
            self._count("newsscrape/boilerplate/records_cleaned")
            self._count("newsscrape/boilerplate/paragraphs_removed", cleaning.removed)
            logger.debug("removed %d site boilerplate paragraphs from %s", cleaning.removed, key)
        return item

    def _count(self, stat: str, count: int = 1) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(stat, count)
