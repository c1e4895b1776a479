"""WARC in and out: archive every response of a crawl, re-extract articles from archives later.

- `scraper.warc.writer`: `WarcFile`, an append-only WARC/1.1 file (one gzip member per record,
  each record pair written whole and flushed, a half-written tail from a killed run cut off
  before appending);
- `scraper.warc.middleware`: the Scrapy side (`NEWSSCRAPE_WARC = "out.warc.gz"`): a downloader
  middleware archiving request and response, a spider middleware stamping the response
  record's id on the PageItem;
- `scraper.warc.reader`: `read_warc_pages`, PageItems from a WARC file (ours, or Common
  Crawl's CC-NEWS), streaming, HTML responses only, everything else skipped and counted.

All of it needs warcio, installed by the optional extra `newsscrape[warc]`.
"""

from __future__ import annotations

from datetime import datetime

from scraper.record import utc_timestamp

INSTALL_HINT = "WARC support needs warcio: pip install 'newsscrape[warc]'"
# The response record's own header for `page_kind` (WARC allows named fields of one's own;
# the WARC- prefix is the standard's): the crawl writes it, `extract --warc` reads it and
# leaves out the pages the crawl fetched only for their links.
PAGE_KIND_HEADER = "Newsscrape-Page-Kind"


class WarcUnavailable(RuntimeError):
    """warcio is not installed; the message says how to install it."""


def require_warcio() -> None:
    """Raise WarcUnavailable (with the install command) when warcio cannot be imported."""
    try:
        import warcio  # noqa: F401
    except ImportError as error:
        raise WarcUnavailable(INSTALL_HINT) from error


def fetched_at_from_warc_date(warc_date: str | None) -> str | None:
    """A WARC-Date (`2024-05-02T10:11:12.123456Z`) as the record's `fetched_at`: UTC, seconds,
    with offset (`2024-05-02T10:11:12+00:00`). None when absent or unreadable."""
    if not warc_date:
        return None
    try:
        moment = datetime.fromisoformat(warc_date.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return utc_timestamp(moment)  # WARC dates are UTC by definition
