"""newsscrape: clean, dataset-ready article records from newspaper websites.

    from scraper import extract_article

The package face is lazy: `extract_article` (and with it trafilatura and the whole extraction
stack) is imported when first used, so `import scraper.settings` (every Scrapy start, every
Scrapyd job, every extraction worker's settings) costs only the settings themselves.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

from scraper.version import __version__

# tldextract (used by Scrapy's cookie middleware) downloads the public suffix list on first
# use; these machines are offline and crawls must not depend on it, so use its bundled copy.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

if TYPE_CHECKING:
    from scraper.extract import extract_article
    from scraper.record import SCHEMA_VERSION, ArticleRecord

__all__ = ["SCHEMA_VERSION", "ArticleRecord", "__version__", "extract_article"]

# Public name -> the module that defines it, imported on first access.
_LAZY = {
    "extract_article": "scraper.extract",
    "ArticleRecord": "scraper.record",
    "SCHEMA_VERSION": "scraper.record",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'scraper' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
