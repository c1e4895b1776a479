"""The `article` spider: fetch the pages it is given, one article each.

scrapy crawl article -a url=https://paper.example/story -O out.jsonl
scrapy crawl article -a urls_file=urls.txt -O out.jsonl
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from scraper.items import PageItem
from spiders.pages import page_from_failure, page_from_response, url_problem


def read_url_list(path: str | Path) -> list[str]:
    """URLs from a text file, one per line; blank lines and # comments skipped."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


class ArticleSpider(scrapy.Spider):
    """Fetches the given URLs (argument `url`, several separated by spaces, or `urls_file`)."""

    name = "article"
    # Every response reaches the pipelines, so a 404 is reported as a failure, not lost.
    custom_settings: dict[str, Any] = {"HTTPERROR_ALLOW_ALL": True}

    def __init__(
        self, url: str = "", urls_file: str = "", source: str = "url", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.urls = url.split() if isinstance(url, str) else list(url)
        if urls_file:
            self.urls += read_url_list(urls_file)
        self.source = source

    async def start(self) -> AsyncIterator[Any]:
        for url in self.urls:
            problem = url_problem(url)
            if problem:
                yield PageItem(url=url, source=self.source, error=problem)
                continue
            yield scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True)

    def parse(self, response: Response) -> Iterator[PageItem]:
        yield page_from_response(response, self.source)

    def failed(self, failure: Failure) -> Iterator[PageItem]:
        yield page_from_failure(failure, self.source)
