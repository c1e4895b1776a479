"""Scrapy's spider loader, importing only the spider a crawl runs.

Scrapy's own loader imports every module of SPIDER_MODULES when a crawl starts, to find the
spider by name: for `newsscrape get` (the `article` spider) that was also the newspaper
spider with the site profiles, and the distributed spider with scrapy-redis and the redis
client, about 0.3 s of the crawl process's start on an idle core. The spiders named below
are imported alone; any other name, the list of every spider and a request's spiders go
through Scrapy's loader, which imports them all as before.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Self

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.misc import load_object

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.settings import BaseSettings

# The project's spiders (SPIDER_MODULES = ["spiders"]), by name. tests/test_scrapy.py checks
# this against what Scrapy's loader finds in spiders/.
PROJECT_SPIDERS = {
    "article": "spiders.article.ArticleSpider",
    "newspaper": "spiders.newspaper.NewspaperSpider",
    "sitemap": "spiders.sitemap.ArticleSitemapSpider",
    "distributed": "spiders.distributed.DistributedSpider",
}
PROJECT_SPIDER_MODULES = ["spiders"]


class NamedSpiderLoader:
    """Loads a project spider by its module path; everything else through Scrapy's loader."""

    def __init__(self, settings: BaseSettings) -> None:
        self.settings = settings
        self._every: SpiderLoader | None = None
        # With spider modules of the user's own, a name may mean one of theirs.
        self._named = settings.getlist("SPIDER_MODULES") == PROJECT_SPIDER_MODULES

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        return cls(settings)

    def _scrapy_loader(self) -> SpiderLoader:
        if self._every is None:
            self._every = SpiderLoader.from_settings(self.settings)
        return self._every

    def load(self, spider_name: str) -> type[Spider]:
        """The spider class of that name; KeyError if there is none."""
        if self._named and spider_name in PROJECT_SPIDERS:
            spider: type[Spider] = load_object(PROJECT_SPIDERS[spider_name])
            return spider
        return self._scrapy_loader().load(spider_name)

    def list(self) -> list[str]:
        """The names of every spider of the project."""
        return self._scrapy_loader().list()

    # builtins.list: `list` is the method above, in this class's body.
    def find_by_request(self, request: Request) -> builtins.list[str]:
        """The names of the spiders that can handle `request`."""
        return self._scrapy_loader().find_by_request(request)
