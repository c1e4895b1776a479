"""The `sitemap` spider: the pages a site's sitemaps and feeds list, without following links.

    scrapy crawl sitemap -a url=https://paper.example/ -O out.jsonl

The `newspaper` spider with `depth=0`, kept under its old name for existing commands.
"""

from __future__ import annotations

from typing import Any

from spiders.newspaper import NewspaperSpider


class ArticleSitemapSpider(NewspaperSpider):
    """Fetches the articles the sitemaps (and feeds) of the site at `url` list."""

    name = "sitemap"

    def __init__(self, url: str = "", max_pages: str | int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("depth", 0)
        kwargs.setdefault("max_articles", max_pages)
        super().__init__(url=url, **kwargs)
