"""A hostile web: every fault ends the page, never the crawl, and is written down.

One `newsscrape get` fetches every misbehaving page of tests/hostile.py together with good
pages of the bundled newspaper; the crawl must finish, the good pages come out exactly as in a
clean run, nothing prints a traceback, and each bad page has one line in `--errors` with its
URL, stage and reason. Sitemaps (huge, gzipped, malformed, billion laughs, external entities,
foreign schemes) go through both crawlers: `newsscrape crawl` and Scrapy's SitemapSpider.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.sitemap import Sitemap

from scraper.localsite import LocalSite
from spiders.sources import read_listing
from tests.conftest import ARTICLE_PATHS, FAST, jsonl, run_cli
from tests.hostile import (
    BILLION_LAUGHS,
    CHINESE_SENTENCES,
    CHINESE_TITLE,
    EXTERNAL_ENTITY,
    JAPANESE_SENTENCES,
    JAPANESE_TITLE,
    HostileSite,
)

# Short limits so the slow faults cost seconds, not minutes; the mechanisms are the real ones.
QUICK = [
    *FAST,
    "-s", "DOWNLOAD_TIMEOUT=6",
    "-s", "RETRY_TIMES=1",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "-s", "NEWSSCRAPE_RETRY_AFTER_MAX=0.5",
    "-s", "NEWSSCRAPE_RETRY_BACKOFF_BASE=0.1",
    "-s", "NEWSSCRAPE_RETRY_BACKOFF_MAX=0.2",
]  # fmt: skip

# Bodies over 2 MB are refused in the fault run (the default, 20 MB, is the same mechanism).
SMALL_MAXSIZE = ["-s", "DOWNLOAD_MAXSIZE=2000000"]

# path -> (stage, kind) of its line in the errors output.
FAULTS = {
    "/slow-drip": ("fetch", "timeout"),
    "/stall": ("fetch", "timeout"),
    "/reset": ("fetch", "connection lost"),
    "/redirect-loop": ("fetch", "too many redirects"),
    "/redirect-chain/30": ("fetch", "too many redirects"),
    "/missing": ("fetch", "HTTP 404"),
    "/gone": ("fetch", "HTTP 410"),
    "/rate-limited": ("fetch", "HTTP 429"),
    "/unavailable": ("fetch", "HTTP 503"),
    "/always-500": ("fetch", "HTTP 500"),
    "/login-required": ("fetch", "HTTP 401"),
    "/huge": ("fetch", "too large"),
    "/huge-unannounced": ("fetch", "too large"),
    "/gzip-bomb": ("fetch", "too large"),
    "/pdf-as-html": ("fetch", "not HTML"),
    "/image-as-html": ("fetch", "not HTML"),
    "/empty": ("fetch", "empty page"),
    "/js-shell": ("not-article", "too little text"),
    "/login-wall": ("not-article", "too little text"),
    "/nested": ("not-article", "no article text"),
}
# Pages that still make an article, whatever the server did to them.
RECOVERED = [
    "/news/2024/05/02/good",
    "/burst-500",
    "/redirect-chain/3",
    "/truncated",
    "/charset/cp1252-declared-utf8",
    "/charset/shift-jis-meta-only",
    "/charset/utf8-bom",
    "/charset/utf8-declared-gb2312",
    "/charset/mixed",
]
NEIGHBOURS = ARTICLE_PATHS[:3]
COMPARED_FIELDS = ("title", "authors", "published", "text", "fingerprint", "canonical_url")


@pytest.fixture(scope="module")
def hostile() -> Generator[HostileSite]:
    with HostileSite() as site:
        yield site


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _path(url: str, origin: str) -> str:
    return url.removeprefix(origin)


@pytest.fixture(scope="module")
def hostile_get(
    hostile: HostileSite, newspaper: LocalSite, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """One `get` over every fault, the recoverable pages and three good newspaper pages."""
    folder = tmp_path_factory.mktemp("hostile-get")
    errors, output = folder / "errors.jsonl", folder / "articles.jsonl"
    urls = [hostile.url + path for path in [*FAULTS, *RECOVERED]]
    urls += [newspaper.url + path for path in NEIGHBOURS]
    result = run_cli(
        "get", *urls, *QUICK, *SMALL_MAXSIZE, "--errors", str(errors), "-o", str(output)
    )
    return {
        "status": result.returncode,
        "stderr": result.stderr.decode("utf-8", "replace"),
        "errors": _lines(errors),
        "records": jsonl(output.read_bytes()),
    }


def test_the_crawl_finishes_without_a_traceback(hostile_get: dict[str, Any]) -> None:
    assert hostile_get["status"] == 1, hostile_get["stderr"][-3000:]
    assert "Traceback" not in hostile_get["stderr"]
    summary = hostile_get["stderr"].strip().splitlines()[-1]
    assert summary.startswith(f"newsscrape: {len(RECOVERED) + len(NEIGHBOURS)} articles")
    assert f"{len(FAULTS)} without article" in summary
    assert "by reason:" in summary and "timeout 2" in summary and "too large 3" in summary


def test_every_fault_has_one_line_with_url_stage_and_reason(
    hostile_get: dict[str, Any], hostile: HostileSite
) -> None:
    lines = hostile_get["errors"]
    assert len(lines) == len(FAULTS), [line["url"] for line in lines]
    by_path = {}
    for line in lines:
        assert set(line) == {"url", "stage", "reason", "kind", "status", "time"}
        assert line["reason"]
        datetime.fromisoformat(line["time"])
        path = _path(line["url"], hostile.url)
        # A redirect chain fails at the hop where the limit is reached.
        by_path["/redirect-chain/30" if path.startswith("/redirect-chain/") else path] = line
    assert {path: (line["stage"], line["kind"]) for path, line in by_path.items()} == FAULTS
    assert by_path["/gone"]["status"] == 410
    assert by_path["/unavailable"]["status"] == 503
    assert by_path["/slow-drip"]["status"] is None


def test_retries_are_bounded(hostile_get: dict[str, Any], hostile: HostileSite) -> None:
    # RETRY_TIMES=1: two requests for a page that keeps failing, and a redirect loop stops
    # after REDIRECT_MAX_TIMES (10) hops.
    assert hostile.hits["/always-500"] == 2
    assert hostile.hits["/rate-limited"] == 2
    assert hostile.hits["/redirect-loop"] == 11
    assert hostile.hits["/burst-500"] == 2


def test_recovered_pages_make_correct_articles(
    hostile_get: dict[str, Any], hostile: HostileSite
) -> None:
    records = {_path(r["url"], hostile.url): r for r in hostile_get["records"]}
    expected = {"/redirect-chain/0" if p == "/redirect-chain/3" else p for p in RECOVERED}
    assert expected <= set(records)
    cp1252 = records["/charset/cp1252-declared-utf8"]
    assert cp1252["title"] == "Café owner asks €40,000 for “the roof”"
    assert "“We have waited long enough,” said the owner" in cp1252["text"]
    japanese = records["/charset/shift-jis-meta-only"]
    assert japanese["title"] == JAPANESE_TITLE
    assert JAPANESE_SENTENCES[1] in japanese["text"]
    assert records["/charset/utf8-bom"]["title"] == "Pier café: “a BOM decides”"
    chinese = records["/charset/utf8-declared-gb2312"]
    assert chinese["title"] == CHINESE_TITLE
    assert CHINESE_SENTENCES[1] in chinese["text"]
    mixed = records["/charset/mixed"]
    assert mixed["title"] == "Mixed café encodings"
    assert "The owner’s “final offer” was €40,000, he said." in mixed["text"]
    for record in records.values():
        assert "\ufffd" not in record["text"] and "Ã" not in record["text"], record["url"]
    assert records["/truncated"]["text"].startswith("The harbour authority said on Tuesday")


def test_good_pages_are_unaffected(
    hostile_get: dict[str, Any], newspaper: LocalSite, crawled: dict[str, dict[str, Any]]
) -> None:
    records = {_path(r["url"], newspaper.url): r for r in hostile_get["records"]}
    for path in NEIGHBOURS:
        for field in COMPARED_FIELDS:
            assert records[path][field] == crawled[path][field], (path, field)


# --- Sitemaps and feeds


def test_sitemap_parsers_never_expand_or_fetch_entities() -> None:
    laughs = BILLION_LAUGHS.replace(b"__ORIGIN__", b"http://127.0.0.1:9")
    external = EXTERNAL_ENTITY.replace(b"__ORIGIN__", b"http://127.0.0.1:9")
    for body in (laughs, external):
        locs = [entry["loc"] for entry in Sitemap(body)]
        locs += [page.url for page in read_listing(body, "http://127.0.0.1:9/").pages]
        for loc in locs:
            assert "lollol" not in loc and "root:" not in loc, loc
            assert len(loc) < 200


@pytest.fixture(scope="module")
def hostile_crawl(hostile: HostileSite, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`newsscrape crawl` of the hostile site: robots.txt lists every sitemap and the feed."""
    folder = tmp_path_factory.mktemp("hostile-crawl")
    errors, output = folder / "errors.jsonl", folder / "articles.jsonl"
    start = len(hostile.requests)
    result = run_cli(
        "crawl", hostile.url + "/", "--no-state", *QUICK, "--errors", str(errors),
        "-o", str(output),
    )  # fmt: skip
    return {
        "status": result.returncode,
        "stderr": result.stderr.decode("utf-8", "replace"),
        "errors": _lines(errors),
        "records": jsonl(output.read_bytes()),
        "output": output.read_bytes() + errors.read_bytes(),
        "requests": hostile.requests[start:],
    }


def test_crawl_through_hostile_sitemaps(
    hostile_crawl: dict[str, Any], hostile: HostileSite
) -> None:
    assert "Traceback" not in hostile_crawl["stderr"], hostile_crawl["stderr"][-3000:]
    paths = {_path(r["url"], hostile.url) for r in hostile_crawl["records"]}
    # The readable sitemaps' pages all arrive, whatever their neighbours in robots.txt did.
    assert {f"/news/2024/05/02/from-sitemap-{i}" for i in range(3)} <= paths
    assert {"/news/2024/05/02/gzipped-0", "/news/2024/05/02/gzipped-1"} <= paths
    assert "/news/2024/05/02/from-scheme-sitemap" in paths
    # A sitemap entry with no usable scheme loses none of the entries after it.
    assert {"/news/2024/05/02/before-bad-entry", "/news/2024/05/02/after-bad-entry"} <= paths
    failed = {_path(line["url"], hostile.url) for line in hostile_crawl["errors"]}
    assert {"/sitemap-missing.xml", "/sitemap-not-xml.xml"} <= failed


def test_hostile_sitemaps_neither_hang_nor_leak(hostile_crawl: dict[str, Any]) -> None:
    for target in hostile_crawl["requests"]:
        assert "lollol" not in target and "root:" not in target and len(target) < 300, target
    assert b"root:x:0" not in hostile_crawl["output"]
    assert "root:x:0" not in hostile_crawl["stderr"]
    # Foreign schemes in a sitemap are never fetched (nothing reads /etc/passwd or ftp).
    assert not any(
        r.get("url", "").startswith(("file:", "ftp:", "data:")) for r in hostile_crawl["records"]
    )


def test_a_50000_url_sitemap_with_max_articles(hostile: HostileSite, tmp_path: Path) -> None:
    start = len(hostile.requests)
    result = run_cli(
        "crawl", hostile.url + "/sitemap-huge.xml", "--max-articles", "5", "--no-state",
        *FAST, "-o", str(tmp_path / "huge.jsonl"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    fetched = [t for t in hostile.requests[start:] if t.startswith("/news/2024/05/02/huge-")]
    # The listing is read whole, but once five candidates are in flight the other URLs are
    # parked, not scheduled: five pages fetched (a few more only if some gave no article).
    assert 5 <= len(fetched) <= 10, len(fetched)
    assert len(jsonl((tmp_path / "huge.jsonl").read_bytes())) == 5
    # The summary counts the others as skipped for --max-articles (and links found on the way).
    assert re.search(r"skipped +\d+ +\(max-articles (4999\d|500\d\d)\)", result.stderr.decode())
