"""Stage: a fetched page becomes an article record, or a failure with its reason."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from scraper.extract import NotAnArticle, analyse_page, build_record
from scraper.extract.document import NotHTMLError
from scraper.failures import EXTRACT, FETCH, NOT_ARTICLE, report_failure
from scraper.items import PageFailure, PageItem
from scraper.record import ArticleRecord

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


class PageRejected(Exception):
    """A page gave no article; carries the failure to report."""

    def __init__(self, failure: PageFailure) -> None:
        super().__init__(f"{failure.stage}: {failure.reason}")
        self.failure = failure


def record_from_page(page: PageItem) -> ArticleRecord:
    """The article record of a fetched page; raises PageRejected with the reason otherwise."""

    def reject(stage: str, reason: str) -> PageRejected:
        return PageRejected(PageFailure(page.url, stage, reason, page.status))

    if page.error:
        raise reject(FETCH, page.error)
    if page.status is not None and page.status >= 400:
        raise reject(FETCH, f"HTTP {page.status}")
    media_type = (page.content_type or "").split(";")[0].strip().lower()
    if media_type and media_type not in _HTML_TYPES:
        raise reject(FETCH, f"not an HTML page ({media_type})")
    try:
        record = build_record(analyse_page(page.body, page.url or None, page.content_type))
    except NotHTMLError as error:
        raise reject(FETCH, str(error)) from error
    except NotAnArticle as error:
        raise reject(NOT_ARTICLE, str(error)) from error
    except Exception as error:  # a hostile page must not stop the crawl
        raise reject(EXTRACT, f"{type(error).__name__}: {error}") from error
    record.status = page.status
    record.fetched_at = page.fetched_at
    record.source = page.source
    return record


class ExtractPipeline:
    """Turns PageItems into article records (dicts in schema order)."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        try:
            record = record_from_page(item)
        except PageRejected as rejected:
            report_failure(self.crawler, rejected.failure)
            raise DropItem(str(rejected), log_level="DEBUG") from rejected
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value("newsscrape/articles_extracted")
        return record.to_dict()
