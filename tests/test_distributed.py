"""Distributed crawls on a real redis-server: workers share one crawl, each article once,
and a worker killed mid-crawl loses nothing."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Generator
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from scraper.localsite import LocalSite, ServedInBackground
from tests.conftest import FAST, ROOT, jsonl, run_cli
from tests.servers import ServerUnavailable, redis_server

redis = pytest.importorskip("redis", reason="the `redis` extra is not installed")

PAGES = 2000
# The kill test needs a crawl long enough to kill a worker in the middle, not 2,000 pages.
KILL_TEST_PAGES = 800
PER_SITEMAP = 500
# Workers in tests: extraction in the crawl process (the pool is tested in test_pool.py), a
# short heartbeat so a killed worker's leases expire quickly, and no waiting for new seeds.
WORKER = [
    *FAST,
    "--workers",
    "0",
    "-s",
    "NEWSSCRAPE_REDIS_HEARTBEAT=2",
    "-s",
    "MAX_IDLE_TIME_BEFORE_CLOSE=1",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s",
    "NEWSSCRAPE_STATE=",
]


def article_path(number: int) -> str:
    """A URL path that reads as an article's (a date, then a slug)."""
    return f"/news/2024/05/02/light-story-number-{number}.html"


def _article(number: int) -> str:
    # Text of its own on every page (random words from thousands): pages written from a
    # handful of words would rightly be clustered as near-duplicates of each other.
    rng = random.Random(number)
    syllables = ["ba", "ke", "lo", "mi", "nu", "ra", "si", "to", "ve", "zu", "dor", "pan"]
    text = " ".join(
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))) for _ in range(40)
    )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Story {number}</title>"
        f"<meta property='og:type' content='article'>"
        f"<link rel='canonical' href='__ORIGIN__{article_path(number)}'></head><body><article>"
        f"<h1>Light story number {number}</h1><p>{text.capitalize()} in story {number}.</p>"
        f"<p>A second paragraph of story {number}: {text}.</p></article></body></html>"
    )


def write_light_site(root: Path, pages: int) -> list[str]:
    """`pages` small articles listed by sitemaps of PER_SITEMAP behind robots.txt; their URLs'
    paths."""
    folder = root / article_path(0).lstrip("/").rpartition("/")[0]
    folder.mkdir(parents=True)
    paths = []
    for number in range(pages):
        path = article_path(number)
        (root / path.lstrip("/")).write_text(_article(number), encoding="utf-8")
        paths.append(path)
    sitemaps = []
    for start in range(0, pages, PER_SITEMAP):
        name = f"sitemap-{start // PER_SITEMAP}.xml"
        entries = "".join(
            f"<url><loc>__ORIGIN__{path}</loc></url>" for path in paths[start : start + PER_SITEMAP]
        )
        (root / name).write_text(
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{entries}</urlset>",
            encoding="utf-8",
        )
        sitemaps.append(name)
    index = "".join(f"<sitemap><loc>__ORIGIN__/{name}</loc></sitemap>" for name in sitemaps)
    (root / "sitemap-index.xml").write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{index}</sitemapindex>",
        encoding="utf-8",
    )
    (root / "robots.txt").write_text("User-agent: *\nSitemap: __ORIGIN__/sitemap-index.xml\n")
    return paths


@pytest.fixture(scope="module")
def redis_url() -> Generator[str]:
    try:
        with redis_server() as url:
            yield url
    except ServerUnavailable as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="module")
def light_site(tmp_path_factory: pytest.TempPathFactory) -> Generator[tuple[LocalSite, list[str]]]:
    root = tmp_path_factory.mktemp("light-site")
    paths = write_light_site(root, PAGES)
    with LocalSite(root) as site:
        yield site, paths


@pytest.fixture(scope="module")
def smaller_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Generator[tuple[LocalSite, list[str]]]:
    root = tmp_path_factory.mktemp("smaller-site")
    paths = write_light_site(root, KILL_TEST_PAGES)
    with LocalSite(root) as site:
        yield site, paths


def _worker(redis_url: str, output: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scraper.cli",
            "crawl",
            "--redis",
            redis_url,
            "-o",
            str(output),
            *WORKER,
            *extra,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def _finish(worker: subprocess.Popen[bytes]) -> str:
    _, stderr = worker.communicate(timeout=240)
    return stderr.decode("utf-8", "replace")


def _emitted(client: Any) -> list[dict[str, Any]]:
    return [json.loads(raw) for raw in client.lrange("distributed:items", 0, -1)]


def _fresh_seed(redis_url: str, site: LocalSite) -> None:
    result = run_cli("seed", "--redis", redis_url, "--fresh", site.url + "/")
    assert result.returncode == 0, result.stderr.decode()
    assert "seeded 1 URL" in result.stderr.decode()


def test_two_workers_emit_every_article_exactly_once(
    redis_url: str, light_site: tuple[LocalSite, list[str]], tmp_path: Path
) -> None:
    site, paths = light_site
    _fresh_seed(redis_url, site)
    outputs = [tmp_path / "worker-1.jsonl", tmp_path / "worker-2.jsonl"]
    # While the first worker reads the seed's home page and sitemaps nothing is queued or
    # leased yet, so the other sees an idle crawl: on a loaded machine 1 s of that (WORKER's
    # idle limit) was enough for it to leave before the work arrived.
    patient = ("-s", "MAX_IDLE_TIME_BEFORE_CLOSE=10")
    workers = [_worker(redis_url, output, *patient) for output in outputs]
    logs = [_finish(worker) for worker in workers]
    assert [w.returncode for w in workers] == [0, 0], logs
    per_worker = [jsonl(output.read_bytes()) for output in outputs]
    # Both took part, and together they wrote every article once.
    assert all(len(records) > 100 for records in per_worker), [len(r) for r in per_worker]
    urls = [r["url"] for records in per_worker for r in records]
    expected = sorted(site.url + path for path in paths)
    assert sorted(urls) == expected
    client = redis.Redis.from_url(redis_url)
    assert sorted(r["url"] for r in _emitted(client)) == expected
    assert client.hlen("distributed:lease_owners") == 0
    # Seeding the finished site again changes nothing: its URLs were all seen.
    run_cli("seed", "--redis", redis_url, site.url + "/")
    again = tmp_path / "again.jsonl"
    assert _finish(_worker(redis_url, again)) is not None
    assert jsonl(again.read_bytes()) == []
    assert client.llen("distributed:items") == PAGES


def test_a_killed_worker_loses_nothing(
    redis_url: str, smaller_site: tuple[LocalSite, list[str]], tmp_path: Path
) -> None:
    site, paths = smaller_site
    _fresh_seed(redis_url, site)
    client = redis.Redis.from_url(redis_url)
    doomed = _worker(redis_url, tmp_path / "doomed.jsonl")
    survivor = _worker(redis_url, tmp_path / "survivor.jsonl")
    # Kill one worker mid-crawl: once the crawl is under way and it holds leases.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        owners = {owner for owner in client.hvals("distributed:lease_owners")}
        if client.llen("distributed:items") >= KILL_TEST_PAGES // 4 and len(owners) == 2:
            break
        time.sleep(0.05)
    leases_of_doomed = [
        owner
        for owner in client.hvals("distributed:lease_owners")
        if f":{doomed.pid}:".encode() in owner
    ]
    doomed.send_signal(signal.SIGKILL)
    doomed.communicate(timeout=60)
    assert leases_of_doomed, "the killed worker held no leases: it was not killed mid-crawl"
    log = _finish(survivor)
    assert survivor.returncode == 0, log
    emitted = _emitted(client)
    assert client.llen("distributed:items") == KILL_TEST_PAGES
    assert sorted(r["url"] for r in emitted) == sorted(site.url + path for path in paths)
    assert client.hlen("distributed:lease_owners") == 0


def _state_answers(state: Any) -> list[Any]:
    """One sequence of calls; every answer the state gives along the way."""
    url, key = "http://paper.example/a?utm_source=x", "paper.example/a"
    answers: list[Any] = []
    run = state.begin_run("job-1")
    answers.append(state.begin_run("job-1") == run)  # an unfinished job's run is resumed
    state.record_fetch(url, 200, '"e1"', "Mon, 01 Jan 2024 00:00:00 GMT")
    answers.append(state.validators_for(url))  # not settled yet: no validators
    answers.append(state.record_emission(key, "http://paper.example/a", "f1", run, url=url))
    answers.append(state.record_emission(key, "http://paper.example/a", "f1", run, url=url))
    answers.append(state.validators_for(url))
    answers.append((state.key_for_url(url), state.url_fingerprint(url)))
    article = state.article(key)
    answers.append((article.version, article.fingerprint, article.emitted_run == run))
    state.finish_run(run)
    second = state.begin_run("job-1")
    answers.append(second != run)
    answers.append(state.record_emission(key, "http://paper.example/a", "f2", second))
    state.record_unchanged(key, 304)
    answers.append(state.article(key).last_status)
    answers.append(state.article("never-seen"))
    answers.append(state.committed_size("out.jsonl"))
    state.set_committed_size("out.jsonl", 1234)
    answers.append(state.committed_size("out.jsonl"))
    return answers


def test_redis_state_answers_as_the_sqlite_state_does(redis_url: str, tmp_path: Path) -> None:
    from scraper.state import SQLiteCrawlState
    from scraper.state.redis import RedisCrawlState

    sqlite = SQLiteCrawlState(tmp_path / "state.sqlite3")
    shared = RedisCrawlState(redis_url, prefix="test-state:")
    try:
        expected = _state_answers(sqlite)
        assert expected[2:4] == [1, 1]  # the same emission recorded twice is one version
        assert _state_answers(shared) == expected
    finally:
        sqlite.close()
        shared.close()


def test_redis_state_workers_racing_give_one_version(redis_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from scraper.state.redis import RedisCrawlState

    states = [RedisCrawlState(redis_url, prefix="race:") for _ in range(4)]
    run = states[0].begin_run("race")
    with ThreadPoolExecutor(4) as pool:
        versions = list(
            pool.map(lambda s: s.record_emission("k", "http://p.example/k", "f", run), states * 25)
        )
    assert set(versions) == {1}
    for state in states:
        state.close()


def test_seed_without_a_reachable_redis_is_one_line() -> None:
    result = run_cli("seed", "--redis", "redis://127.0.0.1:9/0", "http://127.0.0.1:9/")
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.count("\n") == 1 and "cannot reach Redis at redis://127.0.0.1:9/0" in stderr


# --- The crawl's limits and offsite filter, shared by every worker.

NEW_PAGES, OLD_PAGES = 12, 8


def _dated_article_path(number: int, day: str) -> str:
    return f"/news/{day.replace('-', '/')}/dated-story-number-{number}.html"


@pytest.fixture(scope="module")
def dated_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Generator[tuple[LocalSite, list[str], list[str]]]:
    """NEW_PAGES articles of 2024-06-03 and OLD_PAGES of 2023-01-02, dated by their sitemap."""
    root = tmp_path_factory.mktemp("dated-site")
    new: list[str] = []
    old: list[str] = []
    for number in range(NEW_PAGES + OLD_PAGES):
        day = "2024-06-03" if number < NEW_PAGES else "2023-01-02"
        path = _dated_article_path(number, day)
        (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        page = _article(number).replace(article_path(number), path)
        (root / path.lstrip("/")).write_text(page, encoding="utf-8")
        (new if number < NEW_PAGES else old).append(path)
    entries = "".join(
        f"<url><loc>__ORIGIN__{path}</loc><lastmod>{path[6:16].replace('/', '-')}</lastmod></url>"
        for path in new + old
    )
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</urlset>",
        encoding="utf-8",
    )
    (root / "robots.txt").write_text("User-agent: *\nSitemap: __ORIGIN__/sitemap.xml\n")
    with LocalSite(root) as site:
        yield site, new, old


def test_since_reaches_every_worker(
    redis_url: str, dated_site: tuple[LocalSite, list[str], list[str]], tmp_path: Path
) -> None:
    site, new, old = dated_site
    _fresh_seed(redis_url, site)
    requested_before = len(site.requested_paths)
    outputs = [tmp_path / "worker-1.jsonl", tmp_path / "worker-2.jsonl"]
    workers = [_worker(redis_url, output, "--since", "2024-01-01") for output in outputs]
    logs = [_finish(worker) for worker in workers]
    assert [w.returncode for w in workers] == [0, 0], logs
    urls = sorted(r["url"] for output in outputs for r in jsonl(output.read_bytes()))
    assert urls == sorted(site.url + path for path in new)
    # The sitemap dated the old articles: no worker fetched them.
    assert not set(old) & set(site.requested_paths[requested_before:])


def test_max_articles_counts_the_whole_crawl(
    redis_url: str, dated_site: tuple[LocalSite, list[str], list[str]], tmp_path: Path
) -> None:
    site, new, old = dated_site
    _fresh_seed(redis_url, site)
    outputs = [tmp_path / "worker-1.jsonl", tmp_path / "worker-2.jsonl"]
    workers = [_worker(redis_url, output, "--max-articles", "5") for output in outputs]
    logs = [_finish(worker) for worker in workers]
    assert [w.returncode for w in workers] == [0, 0], logs
    written = [r["url"] for output in outputs for r in jsonl(output.read_bytes())]
    client = redis.Redis.from_url(redis_url)
    # Five for the crawl, not five per worker; each once.
    assert len(written) == len(set(written)) == 5, logs
    assert client.llen("distributed:items") == 5
    assert set(written) <= {site.url + path for path in new + old}


def test_offsite_filter_knows_every_seeded_site(redis_url: str) -> None:
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from scraper.distributed import SharedSitesOffsiteMiddleware
    from spiders.distributed import DistributedSpider

    client = redis.Redis.from_url(redis_url)
    client.delete("distributed:sites")
    crawler = get_crawler(DistributedSpider, {"REDIS_URL": redis_url})
    spider = DistributedSpider.from_crawler(crawler)
    crawler.spider = spider
    offsite = SharedSitesOffsiteMiddleware.from_crawler(crawler)
    offsite.spider_opened(spider)
    # Before any seed nothing is filtered (the worker knows no site yet).
    assert offsite.should_follow(Request("http://anywhere.example/"), spider)
    spider.make_request_from_data(b'{"url": "http://paper-a.example/", "kind": "site"}')
    # Another worker took paper-b's seed: this worker learns it from Redis when asked.
    client.sadd("distributed:sites", "paper-b.example")
    assert offsite.should_follow(Request("http://www.paper-a.example/story"), spider)
    assert offsite.should_follow(Request("http://paper-b.example/story"), spider)
    # A redirect off every seeded site is filtered, as in the newspaper spider.
    assert not offsite.should_follow(Request("http://elsewhere.example/story"), spider)
    assert spider.allowed_domains == ["paper-a.example", "paper-b.example"]


def test_a_worker_with_a_bad_since_is_one_line() -> None:
    # Checked before Redis is asked for anything (nothing listens on port 9).
    result = run_cli("crawl", "--redis", "redis://127.0.0.1:9/0", "--since", "yesterday")
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.count("\n") <= 1 and "--since 'yesterday'" in stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize(
    ("option", "said"),
    [
        (["--state", "state.sqlite3"], "give --state redis://HOST:PORT/DB"),
        (["--jobdir", "jobs"], "--jobdir does not apply"),
        (["https://paper.example/", "--site", "sanjuandailystar"], "not both"),
    ],
)
def test_a_worker_refuses_what_it_cannot_honour_in_one_line(
    option: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from scraper.cli import main

    # Refused before Redis is asked for anything (nothing listens on port 9).
    assert main(["crawl", "--redis", "redis://127.0.0.1:9/0", *option]) == 2
    stderr = capsys.readouterr().err
    assert stderr.count("\n") == 1 and said in stderr, stderr


def test_a_worker_honours_the_profile_and_the_progress_option() -> None:
    from scraper.cli import build_parser
    from scraper.commands.seed import profile_urls, worker_overrides
    from scraper.distributed import worker_spider_arguments
    from scraper.profiles import find_profile
    from spiders.distributed import DistributedSpider

    args = build_parser().parse_args(
        ["crawl", "--redis", "redis://127.0.0.1:9/0", "--site", "sanjuandailystar", "--progress"]
    )
    assert worker_overrides(args)["NEWSSCRAPE_PROGRESS"] is True
    profile = find_profile("sanjuandailystar")
    assert set(profile_urls("sanjuandailystar")) >= {*profile.sitemaps, *profile.feeds}
    spider = DistributedSpider(**worker_spider_arguments(args))
    assert spider.profile == profile  # its URL rules, chrome, language and pace
    assert "sanjuandailystar.com" in spider.site_hosts
    assert spider.allowed_domains == ["sanjuandailystar.com"]


SLOW_SITES = 3
SLOW_SECONDS = 1.0
SLOW_ARTICLES = 2


class _SlowSite(BaseHTTPRequestHandler):
    """A small site (robots.txt, a front page, SLOW_ARTICLES articles) answering every request
    after SLOW_SECONDS."""

    def do_GET(self) -> None:
        time.sleep(SLOW_SECONDS)
        origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
        elif path == "/":
            links = "".join(
                f"<li><a href='{article_path(n)}'>Light story number {n}</a></li>"
                for n in range(SLOW_ARTICLES)
            )
            body, kind = f"<html><body><ul>{links}</ul></body></html>".encode(), "text/html"
        elif path in {article_path(n) for n in range(SLOW_ARTICLES)}:
            number = int(path.rsplit("-", 1)[1].removesuffix(".html"))
            body, kind = _article(number).replace("__ORIGIN__", origin).encode(), "text/html"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_sites_a_killed_worker_took_from_the_seeds_are_still_crawled(
    redis_url: str, tmp_path: Path
) -> None:
    """Workers take seeds in batches, and a site's seed becomes two requests (robots.txt and
    its front page). What a worker took must be in the shared queue at once, not held in its
    memory until its downloader has room: killed while downloading, it would lose those
    sites."""
    with ExitStack() as stack:
        sites = [
            stack.enter_context(
                ServedInBackground(ThreadingHTTPServer(("127.0.0.1", 0), _SlowSite))
            )
            for _ in range(SLOW_SITES)
        ]
        origins = [f"http://127.0.0.1:{site.server.server_address[1]}" for site in sites]
        result = run_cli("seed", "--redis", redis_url, "--fresh", *[o + "/" for o in origins])
        assert result.returncode == 0, result.stderr.decode()
        client = redis.Redis.from_url(redis_url)
        # Two downloads at a time: seeds are taken two at a time (scrapy-redis's batch is
        # CONCURRENT_REQUESTS), and the first site's two requests fill the downloader.
        doomed = _worker(redis_url, tmp_path / "doomed.jsonl", "-s", "CONCURRENT_REQUESTS=2")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not client.hlen("distributed:lease_owners"):
            time.sleep(0.02)
        leased = client.hlen("distributed:lease_owners")
        time.sleep(SLOW_SECONDS / 4)  # the first downloads in flight, none finished
        doomed.send_signal(signal.SIGKILL)
        doomed.communicate(timeout=60)
        assert leased, "the worker never started downloading"
        assert client.llen("distributed:start_urls") < SLOW_SITES, "no seed was taken"
        # A second worker, once the first one's leases expire, crawls every seeded site.
        survivor = _worker(redis_url, tmp_path / "survivor.jsonl")
        log = _finish(survivor)
        assert survivor.returncode == 0, log
        expected = [o + article_path(n) for o in origins for n in range(SLOW_ARTICLES)]
        assert sorted(r["url"] for r in _emitted(client)) == sorted(expected)
