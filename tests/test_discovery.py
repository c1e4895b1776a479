"""Whole-newspaper crawls of the generated local newspaper: discovery, limits, summary.

One full crawl (300 articles, sitemaps + news sitemap + feed + links) runs once per session
and many tests read its output; smaller crawls check --since, --max-articles with a profile,
and feeds-only discovery. Everything is served on 127.0.0.1.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Generator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from pipelines.extract import record_from_page
from scraper.items import PageItem
from scraper.localsite import LocalSite
from scraper.record import schema_errors
from spiders.sources import parse_date, parse_since, read_listing
from tests.conftest import FAST, ROOT, jsonl, run_cli
from tests.generated_site import GeneratedSite, build_site

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
# Small crawls extract in the crawl process: starting worker processes would cost more than
# the extraction (the full crawl uses the default pool).
IN_PROCESS = ("--workers", "0")


@dataclass
class Crawl:
    """One `newsscrape crawl` run: its records, stderr and summary rows."""

    records: list[dict[str, Any]]
    stderr: str
    status: int
    origin: str

    @property
    def paths(self) -> list[str]:
        """Canonical paths of the records, in output order."""
        return [urlsplit(r["canonical_url"]).path for r in self.records]

    def summary(self, row: str) -> int:
        """A figure of the summary table ("articles", "fetched", …)."""
        match = re.search(rf"^  {re.escape(row)}\s+(\d+)", self.stderr, re.MULTILINE)
        assert match, f"no summary row {row!r} in stderr:\n{self.stderr[-3000:]}"
        return int(match.group(1))

    def breakdown(self, row: str) -> dict[str, int]:
        """The (name count, …) details beside a summary row."""
        match = re.search(rf"^  {re.escape(row)}\s+\d+\s+\((.*)\)$", self.stderr, re.MULTILINE)
        if not match:
            return {}
        pairs = (part.rsplit(" ", 1) for part in match.group(1).split(", "))
        return {name: int(count) for name, count in pairs}


def crawl(site: LocalSite, out: Path, *args: str, url: str | None = None) -> Crawl:
    # --no-state: each test crawl starts from nothing (the incremental state is tested apart).
    target = url if url is not None else site.url + "/"
    result = run_cli("crawl", target, "-o", str(out), "--no-state", *args, *FAST)
    records = jsonl(out.read_bytes()) if out.exists() else []
    return Crawl(records, result.stderr.decode("utf-8", "replace"), result.returncode, site.url)


@pytest.fixture(scope="session")
def gazette(tmp_path_factory: pytest.TempPathFactory) -> Generator[tuple[GeneratedSite, LocalSite]]:
    """The generated 300-article newspaper, served for the session."""
    root = tmp_path_factory.mktemp("gazette")
    generated = build_site(root, articles=300, now=NOW)
    with LocalSite(root) as site:
        yield generated, site


@pytest.fixture(scope="session")
def full_crawl(
    gazette: tuple[GeneratedSite, LocalSite], tmp_path_factory: pytest.TempPathFactory
) -> Crawl:
    """The whole site, found from its home page alone, with progress forced on."""
    _, site = gazette
    out = tmp_path_factory.mktemp("full") / "gazette.jsonl"
    return crawl(site, out, "--progress")


def test_every_article_exactly_once(
    full_crawl: Crawl, gazette: tuple[GeneratedSite, LocalSite]
) -> None:
    generated, _ = gazette
    assert full_crawl.status == 0, full_crawl.stderr[-3000:]
    assert sorted(full_crawl.paths) == sorted(generated.article_paths)
    assert len(full_crawl.records) == len(set(full_crawl.paths)) == 300


def test_link_only_articles_are_found(
    full_crawl: Crawl, gazette: tuple[GeneratedSite, LocalSite]
) -> None:
    generated, _ = gazette
    link_only = {a.path for i, a in enumerate(generated.articles) if not a.in_sitemap and i >= 30}
    assert len(link_only) == 11  # the twelfth is one of the 30 newest, listed in the feed
    assert link_only <= set(full_crawl.paths)
    sources = {urlsplit(r["canonical_url"]).path: r["source"] for r in full_crawl.records}
    assert {sources[p] for p in link_only} == {"link"}


def test_nothing_disallowed_is_fetched(
    full_crawl: Crawl, gazette: tuple[GeneratedSite, LocalSite]
) -> None:
    generated, site = gazette
    assert generated.disallowed_paths, "the generated site links a disallowed section"
    assert not [p for p in site.requested_paths if p.startswith("/private/")]
    assert not [p for p in full_crawl.paths if p.startswith("/private/")]
    # Pagination and both feed kinds were reached from the home page alone; every later
    # page of a section is listed by the sections sitemap, however deep its links were met.
    later_pages = {p for p in generated.non_article_paths if "/page/" in p}
    assert later_pages and later_pages <= set(site.requested_paths)
    assert "/atom.xml" in site.requested_paths and "/feed.xml" in site.requested_paths


def test_no_non_article_is_written(
    full_crawl: Crawl, gazette: tuple[GeneratedSite, LocalSite]
) -> None:
    generated, _ = gazette
    assert not set(full_crawl.paths) & set(generated.non_article_paths)
    # Listing pages were fetched for their links but never reached extraction.
    assert full_crawl.breakdown("not articles").get("fetched for links", 0) > 0
    assert full_crawl.breakdown("not articles").get("refused by extraction", 0) == 0


def test_sources_are_told_apart(full_crawl: Crawl) -> None:
    sources = {r["source"] for r in full_crawl.records}
    assert sources <= {"sitemap", "news-sitemap", "feed", "link"}
    assert {"sitemap", "news-sitemap", "link"} <= sources
    # URLs are counted under the source that found them first (listings race each other).
    discovered = full_crawl.breakdown("discovered")
    assert set(discovered) <= {"sitemap", "news-sitemap", "feed", "link", "url"}
    assert sum(discovered.values()) == full_crawl.summary("discovered")
    assert discovered["link"] >= 12 and discovered["url"] == 1


def test_summary_table(full_crawl: Crawl) -> None:
    assert full_crawl.summary("articles") == 300
    assert full_crawl.summary("failed") == 0
    assert full_crawl.summary("unchanged") == 0
    # Every page fetched is an article or a listing fetched for its links.
    links_only = full_crawl.breakdown("not articles")["fetched for links"]
    assert full_crawl.summary("fetched") == 300 + links_only
    classified = full_crawl.breakdown("classified")
    for kind in ("article", "section", "tag", "author", "video", "gallery", "home"):
        assert classified.get(kind, 0) > 0, classified
    assert "newsscrape: 300 articles" in full_crawl.stderr


def test_progress_lines(full_crawl: Crawl) -> None:
    lines = re.findall(
        r"^newsscrape: (\d+) pages fetched, (\d+) articles, (\d+) errors, [\d.]+ pages/s$",
        full_crawl.stderr,
        re.MULTILINE,
    )
    assert lines, full_crawl.stderr[-2000:]
    fetched, articles, errors = (int(n) for n in lines[-1])
    assert (articles, errors) == (300, 0)
    assert fetched == full_crawl.summary("fetched")


def test_since_skips_old_articles_before_fetching(
    gazette: tuple[GeneratedSite, LocalSite], tmp_path: Path
) -> None:
    generated, site = gazette
    since = NOW - timedelta(hours=75)
    result = crawl(
        site,
        tmp_path / "since.jsonl",
        "--since",
        since.isoformat(),
        "--depth",
        "0",
        "-vv",
        *IN_PROCESS,
    )
    assert result.status == 0, result.stderr[-3000:]
    # Listed in a sitemap or in the feed (the feed has the 30 newest), and recent enough.
    listed = [a for i, a in enumerate(generated.articles) if a.in_sitemap or i < 30]
    expected = {a.path for a in listed if a.published >= since}
    assert 10 <= len(expected) <= 14
    assert set(result.paths) == expected, result.stderr[-3000:]
    # Listing dates decided: only the home page and the recent articles were fetched.
    assert result.summary("fetched") == len(expected) + 1
    assert result.breakdown("skipped")["since"] >= 288 - len(expected)
    # The classifier's decision on each URL is in the debug log, with its reason.
    assert re.search(r"classified \S+/author/[a-z-]+/ as author: /author/ in path", result.stderr)
    assert re.search(r"classified \S+/20\d\d/\d\d/\d\d/[a-z0-9-]+/ as article: ", result.stderr)


def test_max_articles_with_a_profile(
    gazette: tuple[GeneratedSite, LocalSite], tmp_path: Path
) -> None:
    generated, site = gazette
    profile = tmp_path / "gazette.toml"
    profile.write_text(
        'name = "gazette"\ndomains = ["gazette.invalid"]\n'
        '[sources]\nsitemaps = ["/news-sitemap.xml"]\n'
        "[articles]\nallow = ['^/\\d{4}/\\d{2}/\\d{2}/[^/]+/$']\n"
        "[politeness]\ndownload_delay = 3.0\nconcurrency = 4\n",
        encoding="utf-8",
    )
    result = crawl(
        site,
        tmp_path / "max.jsonl",
        "--site",
        str(profile),
        "--max-articles",
        "7",
        "--depth",
        "0",
        *IN_PROCESS,
    )
    assert result.status == 0, result.stderr[-3000:]
    assert len(result.records) == 7
    news_listed = {a.path for a in generated.articles if a.in_sitemap}
    assert set(result.paths) <= news_listed
    assert {r["source"] for r in result.records} == {"news-sitemap"}
    assert "max_articles" in result.stderr
    # Candidates are released as records settle: about N pages are fetched, not all 50.
    assert result.summary("fetched") <= 7 + 1 + 4
    # Politeness from the profile is applied and said; the run's own -s wins, and says so.
    assert "site profile gazette sets CONCURRENT_REQUESTS_PER_DOMAIN=4" in result.stderr
    assert "site profile gazette asks DOWNLOAD_DELAY=3.0; this run's DOWNLOAD_DELAY=0 wins" in (
        result.stderr
    )


def test_feeds_only_site(gazette: tuple[GeneratedSite, LocalSite], tmp_path: Path) -> None:
    generated, _ = gazette
    root = tmp_path / "feeds-only"
    shutil.copytree(generated.root, root)
    for sitemap in [*root.glob("*sitemap*.xml"), *root.glob("*.xml.gz")]:
        sitemap.unlink()
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    with LocalSite(root) as site:
        result = crawl(site, tmp_path / "feeds.jsonl", "--depth", "0", *IN_PROCESS)
    assert result.status == 0, result.stderr[-3000:]
    in_feed = [a.path for a in generated.articles[:30]]
    assert sorted(result.paths) == sorted(in_feed)
    assert {r["source"] for r in result.records} == {"feed"}
    assert result.breakdown("discovered") == {"feed": 30, "url": 1}


def test_bad_since_is_one_line_exit_2(newspaper: LocalSite) -> None:
    result = run_cli("crawl", newspaper.url + "/", "--since", "yesterday")
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "--since 'yesterday'" in lines[0] and "2d" in lines[0]


# --- In-process: listings and hints


def test_since_forms() -> None:
    now = datetime(2024, 5, 10, 12, tzinfo=UTC)
    assert parse_since("2d", now) == datetime(2024, 5, 8, 12, tzinfo=UTC)
    assert parse_since("6h", now) == datetime(2024, 5, 10, 6, tzinfo=UTC)
    assert parse_since("1w", now) == datetime(2024, 5, 3, 12, tzinfo=UTC)
    assert parse_since("2024-05-01", now) == datetime(2024, 5, 1, tzinfo=UTC)
    assert parse_since("2024-05-01T06:00+02:00", now) == datetime(2024, 5, 1, 4, tzinfo=UTC)
    with pytest.raises(ValueError, match="duration"):
        parse_since("last week", now)


def test_news_sitemap_metadata_is_read() -> None:
    body = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        b"<loc>https://paper.example/2024/05/02/story/</loc><lastmod>2024-05-03</lastmod>"
        b"<news:news><news:publication><news:name>Paper</news:name></news:publication>"
        b"<news:publication_date>2024-05-02T09:30:00+02:00</news:publication_date>"
        b"<news:title>Council &amp; mayor agree</news:title></news:news></url></urlset>"
    )
    listing = read_listing(body, "https://paper.example/news-sitemap.xml")
    assert listing.kind == "urlset"
    (page,) = listing.pages
    assert page.news and page.title == "Council & mayor agree"
    assert page.published == parse_date("2024-05-02T07:30:00Z")
    assert page.date == page.published  # publication beats lastmod for --since
    assert page.hints() == {
        "published": "2024-05-02T09:30:00+02:00",
        "title": "Council & mayor agree",
    }


def test_feeds_rss_and_atom() -> None:
    rss = (
        b"<rss version='2.0'><channel><item><title>A</title><link>/a-story-here</link>"
        b"<pubDate>Thu, 02 May 2024 09:30:00 +0000</pubDate></item></channel></rss>"
    )
    atom = (
        b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>B</title>"
        b"<link rel='alternate' href='https://paper.example/b'/><updated>2024-05-02T09:30:00Z</updated>"
        b"</entry></feed>"
    )
    (a,) = read_listing(rss, "https://paper.example/feed.xml").pages
    (b,) = read_listing(atom, "https://paper.example/atom.xml").pages
    assert (a.url, a.title, a.published) == (
        "https://paper.example/a-story-here",
        "A",
        parse_date("2024-05-02T09:30:00Z"),
    )
    assert (b.url, b.title) == ("https://paper.example/b", "B")


def test_hostile_sitemap_expands_nothing() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        b'<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://paper.example/&c;&x;</loc></url></urlset>"
    )
    pages = read_listing(body, "https://paper.example/sitemap.xml").pages
    assert all("aaaaaaaaaa" not in p.url and "root:" not in p.url for p in pages)


@pytest.mark.parametrize(
    "path", ["/news/a-story-without-metadata-at-all/", "/2024/05/02/a-story-dated-by-its-url/"]
)
def test_hints_fill_what_the_page_lacks(path: str) -> None:
    words = " ".join(f"word{n}" for n in range(120))
    html = f"<html><body><article><p>{words}.</p><p>{words}.</p></article></body></html>"
    page = PageItem(
        url="https://paper.example" + path,
        status=200,
        body=html.encode(),
        content_type="text/html",
        source="news-sitemap",
        hints={"published": "2024-05-02T09:30:00+02:00", "title": "Council agrees"},
    )
    record = record_from_page(page)
    assert record.published == "2024-05-02T09:30:00+02:00"
    assert record.provenance["published"] == "sitemap"
    assert (record.title, record.provenance["title"]) == ("Council agrees", "sitemap")
    # The record with listing provenance must still pass the schema the crawl validates with.
    assert schema_errors(record.to_dict()) == []


def test_hints_never_override_the_page() -> None:
    page = PageItem(
        url="https://paper.example/2024/05/02/story-with-its-own-date/",
        status=200,
        body=(
            ROOT
            / "fixtures/site/post/san-juan-airport-adds-three-new-routes-for-winter-season.html"
        ).read_bytes(),
        content_type="text/html",
        source="feed",
        hints={"published": "1999-01-01T00:00:00+00:00", "title": "Feed title"},
    )
    record = record_from_page(page)
    assert record.title == "San Juan airport adds three new routes for winter season"
    assert record.published is not None and record.published.startswith("2023-09-20")


def test_only_http_links_on_the_site_are_followed() -> None:
    from scrapy.http import HtmlResponse, Request
    from scrapy.utils.test import get_crawler

    from scraper.classify import classify_url
    from spiders.newspaper import NewspaperSpider

    crawler = get_crawler(NewspaperSpider)
    spider = NewspaperSpider.from_crawler(crawler, url="https://paper.example/")
    links = [
        "javascript:void(0)",
        "mailto:desk@paper.example",
        "data:text/html,<p>x</p>",
        "file:///etc/passwd",
        "ftp://paper.example/archive/2024-05-02-story.txt",
        "https://other.example/2024/05/02/a-story-somewhere-else/",
        "/2024/05/02/a-story-on-this-site/",
        "/2024/05/02/a-story-on-this-site/?utm_source=home#comments",
        "//www.paper.example/section/politics/",
        "/tag/ferry/",
        "/files/annual-report.pdf",
    ]
    body = "".join(f'<a href="{link}">x</a>' for link in links)
    body += '<a rel="nofollow" href="/2024/05/02/a-nofollow-story-link/">x</a>'
    url = "https://paper.example/"
    request = Request(
        url,
        meta={
            "newsscrape_source": "url",
            "newsscrape_depth": 0,
            "newsscrape_hints": {},
            "newsscrape_decision": classify_url(url, "url"),
        },
    )
    response = HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), request=request)
    followed = sorted(r.url for r in spider.parse_page(response) if isinstance(r, Request))
    assert followed == [
        "https://paper.example/2024/05/02/a-story-on-this-site/",
        "https://paper.example/tag/ferry/",
        "https://www.paper.example/section/politics/",
    ]


def test_a_listing_met_too_deep_is_fetched_when_a_sitemap_lists_it() -> None:
    # Listings race each other: the link to page 2 of a section may be met two hops down
    # before the sections sitemap lists the same page at depth 0.
    from scrapy.utils.test import get_crawler

    from spiders.newspaper import DEFAULT_DEPTH, NewspaperSpider

    crawler = get_crawler(NewspaperSpider)
    spider = NewspaperSpider.from_crawler(crawler, url="https://paper.example/")
    page_two = "https://paper.example/section/politics/page/2/"
    assert spider._page_request(page_two, "link", DEFAULT_DEPTH, {}) is None
    assert spider._page_request(page_two, "link", DEFAULT_DEPTH, {}) is None
    request = spider._page_request(page_two, "sitemap", 0, {})
    assert request is not None and request.url == page_two
    assert spider._page_request(page_two, "sitemap", 0, {}) is None  # once only
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    assert stats["newsscrape/discovered"] == 1
    assert stats["newsscrape/classified/pagination"] == 1
    assert stats.get("newsscrape/skipped/not-article", 0) == 0


def test_summary_figures_from_stats() -> None:
    from collections import Counter

    from scraper.middlewares.progress import summary_table

    stats = {
        "newsscrape/discovered": 20,
        "newsscrape/discovered/sitemap": 15,
        "newsscrape/discovered/link": 5,
        "newsscrape/pages_fetched": 12,
        "newsscrape/links_only_fetched": 2,
        "newsscrape/failed/not-article": 1,
        "newsscrape/skipped/since": 6,
        "newsscrape/unchanged": 4,
        "item_scraped_count": 3,
    }
    table = summary_table(stats, Counter({"fetch: HTTP 404": 2}), 4.0)
    rows = {line.split()[0]: line for line in table.splitlines()[1:]}
    assert rows["discovered"].split()[1:] == ["20", "(sitemap", "15,", "link", "5)"]
    assert "3.0/s" in rows["fetched"]
    assert rows["unchanged"].split()[1] == "4"
    assert rows["failed"].endswith("2  (fetch: HTTP 404 2)")
    assert "refused by extraction 1" in rows["not"] and "fetched for links 2" in rows["not"]


def test_listed_articles_are_discovered_as_listed(
    default_crawl: subprocess.CompletedProcess[bytes],
) -> None:
    # robots.txt names the sitemap, which lists every article: the sitemap is read before
    # the home page's links, so the articles are discovered, and labelled, as listed there.
    records = jsonl(default_crawl.stdout)
    assert default_crawl.returncode == 0, default_crawl.stderr.decode()[-3000:]
    assert records and {record["source"] for record in records} == {"sitemap"}
    discovered = next(
        line for line in default_crawl.stderr.decode().splitlines() if "discovered" in line
    )
    assert "sitemap 16" in discovered, discovered
