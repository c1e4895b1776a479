"""Conditional requests from the crawl state: a re-run asks "changed since?" for every page
whose written version the state knows, and the server may answer 304 Not Modified.

Enabled by NEWSSCRAPE_STATE. Requests carry the state's ETag (If-None-Match) and
Last-Modified (If-Modified-Since) only when the content they describe is the version that
was written, so a page fetched but not written (a killed crawl) is fetched in full again.
Every response's validators are recorded. 304 responses reach the spider (and become
PageItems with status 304) even when a spider does not allow error statuses; the first
pipeline stage (`pipelines.incremental.NotModifiedPipeline`) counts and drops them.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from scraper.state import CrawlState, session_for


class ConditionalRequestMiddleware:
    """Adds If-None-Match / If-Modified-Since from the state; records responses' validators."""

    def __init__(self, crawler: Crawler, store: CrawlState) -> None:
        self.crawler = crawler
        self.store = store
        self.allow_all = crawler.settings.getbool("HTTPERROR_ALLOW_ALL")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        session = session_for(crawler)
        if session is None:
            raise NotConfigured  # not asked for: off without a warning
        return cls(crawler, session.store)

    def process_request(self, request: Request) -> None:
        if request.method != "GET" or b"If-None-Match" in request.headers:
            return
        validators = self.store.validators_for(request.url)
        if validators is None:
            return
        if validators.etag:
            request.headers[b"If-None-Match"] = validators.etag
        if validators.last_modified:
            request.headers[b"If-Modified-Since"] = validators.last_modified
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("newsscrape/conditional_requests")
        if not self.allow_all and not request.meta.get("handle_httpstatus_all"):
            allowed = request.meta.get("handle_httpstatus_list")
            if allowed is None:
                spider = self.crawler.spider
                allowed = getattr(
                    spider, "handle_httpstatus_list", None
                ) or self.crawler.settings.getlist("HTTPERROR_ALLOWED_CODES")
            request.meta["handle_httpstatus_list"] = [*allowed, 304]

    def process_response(self, request: Request, response: Response) -> Response:
        if request.method == "GET" and response.status < 400:
            etag = response.headers.get(b"ETag")
            last_modified = response.headers.get(b"Last-Modified")
            if response.status == 304:
                return response  # the recorded validators still hold
            self.store.record_fetch(
                response.url,
                response.status,
                etag.decode("latin-1") if etag else None,
                last_modified.decode("latin-1") if last_modified else None,
            )
        return response
