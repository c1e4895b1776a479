"""Scrapy components for scheduled, incremental and polite crawls, each configured by settings
so they work with any spider: conditional requests from the crawl state, retries that honour
Retry-After, a request fingerprint that ignores tracking parameters, JOBDIR crash recovery
and a log of the effective politeness settings."""
