"""Scheduled re-runs through the real CLI: conditional requests, only new and changed articles
written (changed ones as new versions), politeness with Retry-After, all on loopback."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Generator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from scraper.canonical import canonical_key
from scraper.localsite import LocalSite
from tests.conftest import FAST, jsonl, run_cli
from tests.generated_site import GeneratedSite, build_site

ARTICLES = 25
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
# Loopback: more than two requests at a time is fine (and logged as an override).
QUICK = [*FAST, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "NEWSSCRAPE_WORKERS=0"]


def crawl(
    origin: str, state: Path, output: Path, *extra: str
) -> tuple[list[dict[str, Any]], dict[str, int], str]:
    """One scheduled run: records written, the run's numeric stats, stderr."""
    result = run_cli(
        "crawl", origin + "/", "--state", str(state), "-o", str(output), "-v", *QUICK, *extra
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr[-3000:]
    records = jsonl(output.read_bytes()) if output.exists() else []
    stats = {name: int(value) for name, value in re.findall(r"'([\w/.-]+)': (\d+),?\n", stderr)}
    return records, stats, stderr


def article_path(record: dict[str, Any], origin: str) -> str:
    """The site path of a record's article, e.g. /2026/01/15/story/."""
    return canonical_key(record["canonical_url"]).removeprefix(canonical_key(origin).rstrip("/"))


def paths(records: list[dict[str, Any]], origin: str) -> list[str]:
    return sorted(article_path(r, origin) for r in records)


def modify(site: GeneratedSite, index: int, modified_time: str | None = None) -> str:
    """Change an article's text (and optionally declare when); returns its path."""
    article = site.articles[index]
    page = site.root / article.path.strip("/") / "index.html"
    html = page.read_text(encoding="utf-8")
    html = html.replace(
        "</div><aside>",
        f"<p>Update: the {article.section} desk corrected figure number {index} in this report.</p></div><aside>",
        1,
    )
    if modified_time:
        html = html.replace(
            "</head>",
            f'<meta property="article:modified_time" content="{modified_time}"></head>',
            1,
        )
    page.write_text(html, encoding="utf-8")
    return article.path


def test_three_scheduled_runs(tmp_path: Path) -> None:
    root = tmp_path / "site"
    site = build_site(root, articles=ARTICLES, now=NOW)
    state = tmp_path / "state" / "state.sqlite3"
    with LocalSite(root) as server:
        origin = server.url
        every = sorted(a.path for a in site.articles)

        first, stats, stderr = crawl(origin, state, tmp_path / "run1.jsonl")
        assert paths(first, origin) == every, stderr[-3000:]
        assert stats.get("newsscrape/new") == ARTICLES
        assert "downloader/response_status_count/304" not in stats
        assert {r["crawl_id"] for r in first} == {first[0]["crawl_id"]}
        assert all(r["modified"] is None for r in first)

        second, stats, stderr = crawl(origin, state, tmp_path / "run2.jsonl")
        assert second == [], stderr[-3000:]
        assert stats["downloader/response_status_count/304"] == ARTICLES
        assert stats["newsscrape/unchanged"] == ARTICLES
        assert stats["newsscrape/conditional_requests"] == ARTICLES

        # Five articles change (one says when), three are added; listings list them too.
        site = build_site(root, articles=ARTICLES + 3, now=NOW)
        assert sorted(a.path for a in site.articles[:ARTICLES]) == every  # same old articles
        changed = [modify(site, i) for i in (0, 5, 11, 17)]
        changed.append(modify(site, 22, modified_time="2026-01-15T13:30:00+00:00"))
        added = [a.path for a in site.articles[ARTICLES:]]

        third, stats, stderr = crawl(origin, state, tmp_path / "run3.jsonl")
    assert paths(third, origin) == sorted(changed + added), stderr[-3000:]
    assert stats["downloader/response_status_count/304"] == ARTICLES - 5
    assert stats["newsscrape/unchanged"] == ARTICLES - 5
    assert stats["newsscrape/changed"] == 5 and stats["newsscrape/new"] == 3
    by_path = {article_path(r, origin): r for r in third}
    for path in changed:
        record = by_path[path]
        assert "corrected figure number" in record["text"]
        assert record["modified"], path
    declared = by_path[site.articles[22].path]
    assert declared["modified"].startswith("2026-01-15T13:30")
    assert declared["provenance"]["modified"] != "fetch"
    undeclared = by_path[site.articles[0].path]
    assert undeclared["modified"] == undeclared["fetched_at"]
    assert undeclared["provenance"]["modified"] == "fetch"
    for path in added:
        assert by_path[path]["modified"] is None
    assert {r["crawl_id"] for r in third} != {first[0]["crawl_id"]}  # a new run


# --- Retry-After: a server that is busy at first


class _BusyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, page: bytes) -> None:
        super().__init__(("127.0.0.1", 0), _BusyHandler)
        self.page = page
        self.hits: dict[str, list[float]] = {}
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"


class _BusyHandler(BaseHTTPRequestHandler):
    server: _BusyServer

    def do_GET(self) -> None:
        hits = self.server.hits.setdefault(self.path, [])
        hits.append(time.monotonic())
        if self.path == "/robots.txt":
            self.send_response(404)
            self.end_headers()
            return
        # /busy/<status>/<retry-after>: busy on the first request, then the article.
        _, _, status, retry_after = self.path.split("/", 3)
        if len(hits) == 1:
            self.send_response(int(status))
            self.send_header("Retry-After", retry_after.replace("_", " "))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        # Each busy path is its own article (its own canonical URL).
        page = self.server.page.replace(b"__ORIGIN__", (self.server.origin + self.path).encode())
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def busy_server(tmp_path: Path) -> Generator[_BusyServer]:
    site = build_site(tmp_path / "site", articles=1, now=NOW)
    page = (tmp_path / "site" / site.articles[0].path.strip("/") / "index.html").read_bytes()
    page = page.replace(site.articles[0].path.encode(), b"")
    server = _BusyServer(page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_retry_after_is_honoured_capped_and_logged_with_politeness(
    busy_server: _BusyServer,
) -> None:
    in_two_hours = datetime.fromtimestamp(time.time() + 7200, UTC)
    paths = [
        "/busy/429/2",
        "/busy/503/2",
        "/busy/503/" + in_two_hours.strftime("%a,_%d_%b_%Y_%H:%M:%S_GMT"),
    ]
    result = run_cli(
        "get",
        *[busy_server.origin + path for path in paths],
        "-v",
        *QUICK,
        "-s",
        "NEWSSCRAPE_RETRY_AFTER_MAX=3",
    )
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr[-2000:]
    records = jsonl(result.stdout)
    assert len(records) == 3 and {r["status"] for r in records} == {200}
    for path, status in zip(paths[:2], (429, 503), strict=True):
        first, second = busy_server.hits[path]
        assert second - first >= 1.9  # it asked for 2 s: the contract, not a speed measure
        assert f"{path} answered {status} with Retry-After 2 s: waiting 2.0 s before" in stderr
    first, second = busy_server.hits[paths[2]]
    assert second - first >= 2.9
    assert "waiting 3.0 s (capped by NEWSSCRAPE_RETRY_AFTER_MAX) before retrying" in stderr
    # Politeness: the effective settings at INFO, each override at WARNING with its source.
    assert re.search(r"INFO: politeness: ROBOTSTXT_OBEY=True, USER_AGENT='newsscrape/", stderr)
    overrides = [line for line in stderr.splitlines() if "WARNING: politeness override" in line]
    named = sorted(line.split("override: ")[1].split("=")[0] for line in overrides)
    assert named == [
        "AUTOTHROTTLE_ENABLED",
        "CONCURRENT_REQUESTS_PER_DOMAIN",
        "DOWNLOAD_DELAY",
        "NEWSSCRAPE_RETRY_AFTER_MAX",
    ]
    assert all("set by the command line (-s)" in line for line in overrides)


def test_get_with_state_succeeds_when_nothing_changed(newspaper: LocalSite, tmp_path: Path) -> None:
    # A scheduled `get --state` of the same URLs: the second run writes nothing new, which is
    # the state doing its job, not a failure.
    from tests.conftest import ARTICLE_PATHS

    urls = [newspaper.url + path for path in ARTICLE_PATHS[:2]]
    state = str(tmp_path / "state.db")
    first = run_cli("get", *urls, "--state", state, *QUICK)
    assert first.returncode == 0, first.stderr.decode()[-2000:]
    assert len(jsonl(first.stdout)) == 2
    second = run_cli("get", *urls, "--state", state, *QUICK)
    stderr = second.stderr.decode()
    assert second.returncode == 0, stderr[-2000:]
    assert jsonl(second.stdout) == []
    assert "newsscrape: 0 articles, 2 unchanged since the last run" in stderr
    # Without the state the same URLs are written again.
    assert len(jsonl(run_cli("get", *urls, *QUICK).stdout)) == 2


def test_everything_a_run_keeps_lives_in_or_beside_the_state(
    newspaper: LocalSite, tmp_path: Path
) -> None:
    # `--state st.sqlite3` from a working folder: the run keeps its state there, and nothing
    # else there but what is named after it.
    import sqlite3

    work = tmp_path / "work"
    work.mkdir()
    args = ["crawl", newspaper.url + "/", "--depth", "0", "--state", "st.sqlite3", *QUICK]
    result = run_cli(*args, "-o", "out.jsonl", cwd=work)
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    kept = sorted(path.name for path in work.iterdir() if path.name != "out.jsonl")
    assert kept and all(name.startswith(("st.sqlite3", "st-jobs")) for name in kept), kept
    (site,) = (work / "st-jobs").iterdir()
    assert site.name == newspaper.url.removeprefix("http://").replace(":", "_")
    # The de-duplication stage's memory is in the state file itself, beside the crawl state.
    with sqlite3.connect(work / "st.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert {"articles", "documents", "clusters"} <= tables
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] >= 10
