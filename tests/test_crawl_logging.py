"""What a crawl logs per page: DEBUG records are made only when a handler writes them."""

from __future__ import annotations

import json
import textwrap

import pytest

from scraper.localsite import LocalSite
from tests.conftest import ARTICLE_PATHS, run_python

# Crawls the given URLs with the real engine in a fresh process (logging is per process) and
# counts, with a filter on Scrapy's engine and scraper loggers (a logger's filters see every
# record made there, whatever the handlers keep), the DEBUG records made: "Crawled (200)"
# and "Scraped from", one each a page when they are made at all.
_COUNT_DEBUG_RECORDS = textwrap.dedent(
    """
    import json, logging, sys
    from scraper.runner import project_settings, run_spider

    made = []

    class Count(logging.Filter):
        def filter(self, record):
            if record.levelno == logging.DEBUG:
                made.append(record.name)
            return True

    for name in ("scrapy.core.engine", "scrapy.core.scraper"):
        logging.getLogger(name).addFilter(Count())
    settings = project_settings(json.loads(sys.argv[2]))
    outcome = run_spider("article", {"url": sys.argv[1]}, settings, echo_failures=False)
    scrapy_level = logging.getLogger("scrapy").level
    print(json.dumps([len(made), outcome.stats.get("item_scraped_count", 0), scrapy_level]))
    """
)


@pytest.mark.parametrize(("log_level", "debug_made"), [("INFO", False), ("DEBUG", True)])
def test_debug_records_are_made_only_when_written(
    newspaper: LocalSite, log_level: str, debug_made: bool
) -> None:
    settings = {
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "NEWSSCRAPE_WORKERS": 0,
        "LOG_LEVEL": log_level,
    }
    url = newspaper.url + ARTICLE_PATHS[0]
    made, scraped, scrapy_level = run_python(_COUNT_DEBUG_RECORDS, url, json.dumps(settings))
    assert scraped == 1
    assert (made > 0) is debug_made
    # After the crawl the "scrapy" logger has the level Scrapy gave it (DEBUG) again.
    assert scrapy_level == 10
    if debug_made:
        # The page's own two: it was crawled, and scraped.
        assert made >= 2
