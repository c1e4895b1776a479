"""Request fingerprints that ignore tracking parameters, so one article linked as
`/story/?utm_source=home` and `/story/` is fetched once.

Chosen over a spider middleware that rewrites request URLs: the fingerprint changes what
counts as "already requested" (the dupefilter, JOBDIR's `requests.seen`, the HTTP cache)
without changing what is fetched, so a site that needs a parameter still gets it. AMP copies
are not folded here: they are distinct documents (and may be the only copy reachable); their
records fold into one article by `canonical_key` in the state and de-duplication stages.

    REQUEST_FINGERPRINTER_CLASS = "scraper.middlewares.fingerprint.CanonicalRequestFingerprinter"
"""

from __future__ import annotations

import weakref

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.request import fingerprint

from scraper.canonical import clean_url


class CanonicalRequestFingerprinter:
    """Scrapy's default fingerprint (method, canonical URL, body) of the request's URL
    without tracking parameters and fragment."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self._cache: weakref.WeakKeyDictionary[Request, bytes] = weakref.WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CanonicalRequestFingerprinter:
        return cls(crawler)

    def fingerprint(self, request: Request) -> bytes:
        """The request's fingerprint, equal for URLs that differ only in tracking."""
        cached = self._cache.get(request)
        if cached is None:
            cleaned = clean_url(request.url)
            target = request if cleaned == request.url else request.replace(url=cleaned)
            cached = self._cache[request] = fingerprint(target)
        return cached
