"""The Scrapy components, each configured by settings so they work with any spider.

Downloader middlewares: conditional requests from the crawl state (`conditional`), retries that
honour Retry-After (`retry_after`), the private-network policy (`network_policy`). Extensions:
JOBDIR crash recovery (`jobdir`), the log of the effective politeness settings (`politeness`),
progress and the closing summary (`progress`). And the request fingerprint that ignores
tracking parameters (`fingerprint`) and the short log line of a dropped item (`logformatter`).
"""
