"""Health rows of distributed crawls, on a real redis-server: the workers' shares make one
row per site for the crawl run, kept in Redis beside the shared state and checked by the
crawl's last worker; and the Redis history answers as the SQLite one does."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Generator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scraper.health.metrics import RunHealth
from scraper.health.store import REDIS_PREFIX, SQLiteHealthStore, StoredRun
from scraper.localsite import LocalSite
from tests.conftest import FAST, ROOT, run_cli
from tests.generated_site import build_site
from tests.servers import ServerUnavailable, redis_server

redis = pytest.importorskip("redis", reason="the `redis` extra is not installed")

SITE = "127.0.0.1"
ARTICLES = 20


@pytest.fixture(scope="module")
def redis_url() -> Generator[str]:
    try:
        with redis_server() as url:
            yield url
    except ServerUnavailable as missing:
        pytest.skip(str(missing))


def history_row(number: int, when: datetime) -> RunHealth:
    """A run of a site whose articles all had a headline, authors and a date."""
    return RunHealth(
        site=SITE,
        run=f"earlier-{number}",
        time=when.isoformat(),
        articles_seen=ARTICLES,
        written=ARTICLES,
        records=ARTICLES,
        headline=ARTICLES,
        authors=ARTICLES,
        published=ARTICLES,
    )


def test_the_redis_history_answers_as_the_sqlite_one(redis_url: str, tmp_path: Path) -> None:
    from scraper.health.store import RedisHealthStore

    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [history_row(number, start + timedelta(hours=number)) for number in range(14)]
    rows[5].complete = False  # a paused run's part: kept, never history
    stores = [SQLiteHealthStore(tmp_path / "state.sqlite3"), RedisHealthStore(redis_url, "t:")]
    answers = []
    for store in stores:
        for row in rows:
            store.save(StoredRun(row, [], f"note {row.run}"))
        answers.append(
            (
                store.sites(),
                [(s.row.run, s.note) for s in store.runs(SITE, 5)],
                [r.run for r in store.history(SITE, before="earlier-13", limit=10)],
                store.get(SITE, "earlier-3"),
                store.get(SITE, "never"),
            )
        )
        store.close()
    assert answers[0] == answers[1]
    assert "earlier-5" not in answers[0][2] and len(answers[0][2]) == 10


def drop_bylines(root: Path) -> None:
    # Every copy of an article, its AMP copy included: which copy a worker meets first is a race.
    for page in root.glob("20*/**/index.html"):
        html = page.read_text(encoding="utf-8")
        html = re.sub(r'<p class="byline">.*?</p>', "", html)
        page.write_text(re.sub(r'"author": \{[^}]*\}, ', "", html), encoding="utf-8")


def _worker(redis_url: str, folder: Path, number: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scraper.cli",
            "crawl",
            "--redis",
            redis_url,
            "-o",
            str(folder / f"part-{number}.jsonl"),
            "--alerts",
            str(folder / "alerts.jsonl"),
            *FAST,
            "-s",
            "NEWSSCRAPE_STATE=",
            # Long enough that the second worker has joined before the first runs dry.
            "-s",
            "MAX_IDLE_TIME_BEFORE_CLOSE=3",
            "-s",
            "NEWSSCRAPE_REDIS_HEARTBEAT=2",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def test_workers_make_one_row_and_the_last_one_checks_it(redis_url: str, tmp_path: Path) -> None:
    from scraper.health.store import RedisHealthStore

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    # Three earlier runs of the site, every article with authors; this run's have none.
    store = RedisHealthStore(redis_url)
    start = datetime.now(UTC) - timedelta(days=1)
    for number in range(3):
        store.save(StoredRun(history_row(number, start + timedelta(hours=number))))
    build_site(tmp_path / "site", articles=ARTICLES)
    drop_bylines(tmp_path / "site")
    with LocalSite(tmp_path / "site") as site:
        seeded = run_cli("seed", "--redis", redis_url, "--fresh", site.url + "/")
        assert seeded.returncode == 0, seeded.stderr.decode()
        workers = [_worker(redis_url, tmp_path, number) for number in range(2)]
        results = [(w.communicate(timeout=240)[1].decode(), w.returncode) for w in workers]
        # The only pages that still carry bylines are the ones robots.txt disallows.
        assert not [p for p in site.requested_paths if p.startswith("/private/")]
    statuses = sorted(status for _, status in results)
    assert statuses == [0, 4], results
    # One row for the whole crawl, made of both workers' shares: every record either wrote.
    written = sum(
        len((tmp_path / f"part-{number}.jsonl").read_text().splitlines()) for number in range(2)
    )
    runs = store.runs(SITE, 10)
    assert len(runs) == 4
    row = runs[-1].row
    assert row.complete
    assert (row.articles_seen, row.written, row.records, row.authors) == (
        written,
        written,
        written,
        0,
    )
    assert row.headline == row.published == written and row.median_words
    # The worker that stopped last checked it: the alert, its line, exit status 4.
    (alert,) = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert alert["metric"] == "coverage/authors" and alert["site"] == SITE
    assert alert["run"] == row.run
    last = next(err for err, status in results if status == 4)
    expected = f"{SITE}: records with authors fell to 0% (0 of {written}), usually 100%"
    assert f"newsscrape: health alert: {expected}" in last, results
    assert row.sources["sitemap"] > 0
    store.close()
    # Kept beside the shared state; the run's coordination keys are gone with the run.
    assert client.exists(f"{REDIS_PREFIX}run:{SITE}:{row.run}")
    assert not list(client.scan_iter(match="distributed:health:*"))
    shown = run_cli("health", "--state", redis_url)
    assert shown.returncode == 4, shown.stderr.decode()
    assert f"{SITE}: 4 recent runs, 1 open alert" in shown.stdout.decode()
