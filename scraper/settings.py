"""Scrapy settings for newsscrape (`scrapy.cfg` points here). Override any with `-s NAME=VALUE`."""

import os

# tldextract (Scrapy's cookie middleware) must use its bundled suffix list: no network at import.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from scraper.version import __version__

# --- Project
BOT_NAME = "newsscrape"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- Politeness: an honest User-Agent (set NEWSSCRAPE_CONTACT to add yours), robots.txt obeyed,
# at most two requests at a time per site, AutoThrottle adapting to the server's latency.
NEWSSCRAPE_CONTACT = os.environ.get("NEWSSCRAPE_CONTACT", "")
USER_AGENT = f"newsscrape/{__version__} (+https://pypi.org/project/newsscrape/" + (
    f"; {NEWSSCRAPE_CONTACT})" if NEWSSCRAPE_CONTACT else ")"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# --- Fetching limits
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10

# --- Pipelines, one stage each: extract -> validate -> drop duplicates -> feed exports.
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedup.CanonicalDedupPipeline": 300,
}

# --- Output through Scrapy's feed exports; `txt` and `md` are ours, for reading, not datasets.
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORTERS = {
    "txt": "scraper.exporters.TextExporter",
    "md": "scraper.exporters.MarkdownExporter",
}
FEED_EXPORT_FIELDS = None

# --- Engine
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
