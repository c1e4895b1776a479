"""What spiders hand to the pipelines: a fetched page, not yet understood."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scraper.record import utc_now

if TYPE_CHECKING:
    from scraper.extract.profile_chrome import SiteChrome


@dataclass
class PageItem:
    """One fetched page (or a failed fetch, with `error` set) on its way to extraction.

    `url` is the final URL fetched; empty for a saved page whose address is unknown.
    """

    url: str
    status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    source: str = "url"
    requested_url: str | None = None
    fetched_at: str | None = field(default_factory=utc_now)
    error: str | None = None
    # WARC-Record-ID of the archived response (with --warc / NEWSSCRAPE_WARC, or read from a WARC).
    warc_record_id: str | None = None
    # What the listing said before the fetch (news sitemap, feed, site profile): `published`,
    # `title`, `language`; extraction uses them only to fill fields the page itself lacks.
    hints: dict[str, str] = field(default_factory=dict)
    # The chrome of the site profile the crawl was given (`--site`): selectors to drop before
    # extraction, lines of the site's own wording. None: the bundled profile of the page's
    # site, if there is one.
    site_chrome: SiteChrome | None = None


# A failure's stage, in pipeline order. `read` is fetch's counterpart for saved pages and
# archives (`newsscrape extract`): the input's content could not be read as a page. Named here,
# with no Scrapy import, so that the extraction workers need none.
FETCH, READ, EXTRACT, NOT_ARTICLE, VALIDATE = "fetch", "read", "extract", "not-article", "validate"


@dataclass
class PageFailure:
    """A page that gave no article, with the stage that stopped it and why."""

    url: str
    stage: str
    reason: str
    status: int | None = None
