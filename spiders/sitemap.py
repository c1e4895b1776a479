"""The `sitemap` spider: every page a site's sitemaps list (robots.txt `Sitemap:` lines,
sitemap indexes, gzip), through Scrapy's own SitemapSpider.

    scrapy crawl sitemap -a url=https://paper.example/ -O out.jsonl
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin

from scrapy.http import Response
from scrapy.spiders import SitemapSpider
from twisted.python.failure import Failure

from scraper.items import PageItem
from spiders.pages import page_from_failure, page_from_response


class ArticleSitemapSpider(SitemapSpider):
    """Fetches the pages listed in the sitemaps of the site at `url` (a home page or a sitemap)."""

    name = "sitemap"
    custom_settings: dict[str, Any] = {"HTTPERROR_ALLOW_ALL": True}

    def __init__(self, url: str = "", max_pages: str | int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if url.endswith((".xml", ".xml.gz", "robots.txt")):
            self.sitemap_urls = [url]
        else:
            self.sitemap_urls = [urljoin(url, "/robots.txt")]
        self.max_pages = int(max_pages or 0)
        self.pages_requested = 0

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
        """Stop listing pages once `max_pages` have been requested."""
        for entry in entries:
            if self.max_pages and self.pages_requested >= self.max_pages:
                return
            if not entry.get("loc", "").endswith((".xml", ".xml.gz")):
                self.pages_requested += 1
            yield entry

    def _parse_sitemap(self, response: Response) -> Iterator[Any]:
        for request in super()._parse_sitemap(response):
            yield (
                request.replace(errback=self.failed) if request.callback == self.parse else request
            )

    def parse(self, response: Response) -> Iterator[PageItem]:
        yield page_from_response(response, "sitemap")

    def failed(self, failure: Failure) -> Iterator[PageItem]:
        yield page_from_failure(failure, "sitemap")
