"""newsscrape: clean, dataset-ready article records from newspaper websites."""

import os

# tldextract (used by Scrapy's cookie middleware) downloads the public suffix list on first
# use; these machines are offline and crawls must not depend on it, so use its bundled copy.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from scraper.extract import extract_article
from scraper.record import SCHEMA_VERSION, ArticleRecord
from scraper.version import __version__

__all__ = ["SCHEMA_VERSION", "ArticleRecord", "__version__", "extract_article"]
