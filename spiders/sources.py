"""What a site lists about itself: sitemaps (indexes, gzip, Google News) and RSS/Atom feeds.

Parsed with lxml configured never to expand entities, never to touch the network and never
to build huge trees, so a hostile sitemap (billion laughs, external entities) yields nothing
rather than hanging the crawl or leaking files. Dates are kept: `lastmod`,
`news:publication_date` and a feed's `pubDate`/`published` let `--since` skip old articles
before fetching them, and `news:title` fills a record whose page has no headline.
"""

from __future__ import annotations

import gzip
import io
import re
import struct
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from lxml import etree

SITEMAP_INDEX, URLSET, RSS, ATOM = "sitemapindex", "urlset", "rss", "atom"
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK_SIZE = 64 * 1024
_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


@dataclass
class ListedPage:
    """One URL a sitemap or feed lists, with what the listing says about it."""

    url: str
    lastmod: datetime | None = None
    published: datetime | None = None
    title: str | None = None
    # Listed in a Google News sitemap (`news:news`): an article by the format's own rules.
    news: bool = False

    @property
    def date(self) -> datetime | None:
        """The date that decides --since: publication if known, else last modification."""
        return self.published or self.lastmod

    def hints(self) -> dict[str, str]:
        """What the listing knows, for fields the page itself may lack."""
        hints = {}
        if self.published:
            hints["published"] = self.published.isoformat()
        if self.title:
            hints["title"] = self.title
        return hints


@dataclass
class Listing:
    """A parsed sitemap or feed: its kind, the pages it lists and the sitemaps it points to."""

    kind: str
    pages: list[ListedPage] = field(default_factory=list)
    sitemaps: list[ListedPage] = field(default_factory=list)


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """`--since`: an ISO date or date-time (`2024-05-01`, `2024-05-01T06:00+02:00`) or a
    duration back from now (`30m`, `6h`, `2d`, `1w`). Raises ValueError saying what is accepted."""
    now = now or datetime.now(UTC)
    match = _DURATION.match(text)
    if match:
        amount, unit = int(match.group(1)), _UNITS[match.group(2).lower()]
        return now - timedelta(**{unit: amount})
    parsed = parse_date(text.strip())
    if parsed is None:
        raise ValueError(
            f"--since {text!r}: give a date (2024-05-01), a date-time (2024-05-01T06:00Z) "
            "or a duration back from now (6h, 2d, 1w)"
        )
    return parsed


def parse_date(text: str | None) -> datetime | None:
    """A listing's date (ISO 8601 or RFC 822) as an aware datetime; None if unreadable.
    A date without a zone is taken as UTC."""
    if not text:
        return None
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def maybe_gunzip(body: bytes, max_size: int) -> bytes | None:
    """A sitemap's bytes, decompressed when gzipped; None when over `max_size` (0: no limit)
    once decompressed, or corrupt. A stream cut short or with a bad checksum gives what was
    decompressed before the damage, as browsers (and Scrapy's own gunzip) do."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    stream = gzip.GzipFile(fileobj=io.BytesIO(body))
    out = io.BytesIO()
    while True:
        try:
            # In chunks: a gzip bomb is stopped at max_size, not inflated whole first.
            chunk = stream.read1(_CHUNK_SIZE)
        except (OSError, EOFError, zlib.error, struct.error):
            return out.getvalue() if out.tell() else None
        if not chunk:
            return out.getvalue()
        if max_size and out.tell() + len(chunk) > max_size:
            return None
        out.write(chunk)


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child(element: etree._Element, *names: str) -> etree._Element | None:
    for child in element:
        if _local(child.tag) in names:
            return child
    return None


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    try:
        text = " ".join("".join(element.itertext()).split())
    except UnicodeDecodeError:  # a lone surrogate (&#xD800;) in hostile XML: skip the entry
        return None
    return text or None


def _absolute(base_url: str, link: str) -> str | None:
    """`link` resolved against `base_url`, or None when it is not a usable URL (one bad
    entry, such as an unbalanced "[" in a host, must not cost the whole listing)."""
    try:
        return urljoin(base_url, link)
    except ValueError:
        return None


def _sitemap_entries(root: etree._Element, base_url: str) -> list[ListedPage]:
    entries = []
    for entry in root:
        loc = _text(_child(entry, "loc"))
        if not loc:
            continue
        url = _absolute(base_url, loc)
        if url is None:
            continue
        page = ListedPage(url=url, lastmod=parse_date(_text(_child(entry, "lastmod"))))
        news = _child(entry, "news")
        if news is not None:
            page.news = True
            page.published = parse_date(_text(_child(news, "publication_date")))
            page.title = _text(_child(news, "title"))
        entries.append(page)
    return entries


def _rss_items(root: etree._Element, base_url: str) -> list[ListedPage]:
    # RSS 2.0 nests items in <channel>; RSS 1.0 (RDF) puts them beside it.
    channel = _child(root, "channel")
    containers = [root] if channel is None else [channel, root]
    items = [el for c in containers for el in c if _local(el.tag) == "item"]
    pages = []
    for item in items:
        link = _text(_child(item, "link"))
        if not link:
            guid = _child(item, "guid")
            if guid is None or guid.get("isPermaLink", "true") == "false":
                continue
            link = _text(guid)
        url = _absolute(base_url, link) if link else None
        if url:
            date_text = _text(_child(item, "pubdate")) or _text(_child(item, "date"))
            pages.append(
                ListedPage(
                    url=url,
                    published=parse_date(date_text),
                    title=_text(_child(item, "title")),
                )
            )
    return pages


def _atom_entries(root: etree._Element, base_url: str) -> list[ListedPage]:
    pages = []
    for entry in root:
        if _local(entry.tag) != "entry":
            continue
        links = [el for el in entry if _local(el.tag) == "link" and el.get("href")]
        chosen = [el for el in links if el.get("rel", "alternate") == "alternate"] or links
        url = _absolute(base_url, chosen[0].get("href", "")) if chosen else None
        if not url:
            continue
        published = _text(_child(entry, "published")) or _text(_child(entry, "updated"))
        pages.append(
            ListedPage(
                url=url,
                published=parse_date(published),
                title=_text(_child(entry, "title")),
            )
        )
    return pages


def read_listing(body: bytes, base_url: str) -> Listing:
    """Parse a sitemap, sitemap index, RSS or Atom document. Anything else gives a Listing
    whose kind names its root element (or "unreadable"), with nothing in it."""
    try:
        root = etree.fromstring(body, parser=_parser())
    except etree.XMLSyntaxError:
        return Listing(kind="unreadable")
    if root is None:
        return Listing(kind="unreadable")
    kind = _local(root.tag)
    if kind == URLSET:
        return Listing(kind=URLSET, pages=_sitemap_entries(root, base_url))
    if kind == SITEMAP_INDEX:
        return Listing(kind=SITEMAP_INDEX, sitemaps=_sitemap_entries(root, base_url))
    if kind in ("rss", "rdf"):
        return Listing(kind=RSS, pages=_rss_items(root, base_url))
    if kind == "feed":
        return Listing(kind=ATOM, pages=_atom_entries(root, base_url))
    return Listing(kind=kind or "unreadable")
