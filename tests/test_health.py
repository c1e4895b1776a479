"""Scheduled crawls that notice when a site breaks, through the real CLI on loopback.

A generated newspaper is crawled on a schedule: five runs, new articles each time, one of
them with a few failed fetches and one quiet (few new articles). None raises an alert. Then,
from a copy of that site and its state, one more run each: (a) the new articles lose their
bylines and author metadata, (b) the sitemaps and feeds stop listing anything while the home
page still links the articles, (c) the new articles turn into JavaScript shells. Each raises
its own alert in the summary, in `--alerts FILE` and in the exit status (4); the first also
through a Spidermon action. `newsscrape health` then shows the runs and the alert as a
table, as JSON and as HTML with trend charts, checked in headless Chromium.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from scraper.cli import main
from scraper.commands.exit_status import EXIT_HEALTH_ALERTS, EXIT_OK
from scraper.localsite import LocalSite
from tests.conftest import FAST, run_cli
from tests.generated_site import GeneratedSite, build_site

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
FIRST = 30  # articles at the first run
NEW = 8  # new articles at a usual run
QUICK = [*FAST, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
SITE = "127.0.0.1"  # the site's name in the health rows: its host


@dataclass
class Run:
    status: int
    stderr: str


def crawl(origin: str, folder: Path, *extra: str) -> Run:
    """One scheduled run against the state and outputs in `folder`."""
    result = run_cli(
        "crawl",
        origin + "/",
        "--state",
        str(folder / "state.sqlite3"),
        "-o",
        str(folder / "paper.jsonl"),
        "--alerts",
        str(folder / "alerts.jsonl"),
        *QUICK,
        *extra,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    # Spidermon reports a failed monitor the unittest way, with its traceback.
    ours = re.sub(r"\[Spidermon\].*?(?=newsscrape crawl summary)", "", stderr, flags=re.DOTALL)
    assert "Traceback" not in ours, stderr[-3000:]
    return Run(result.returncode, stderr)


def publish(folder: Path, articles: int) -> GeneratedSite:
    """The site as it stands with `articles` articles (the newest first in its listings are
    the first generated; more articles add older ones, which are new to the crawl)."""
    return build_site(folder / "site", articles=articles, now=NOW)


def article_file(site: GeneratedSite, index: int) -> Path:
    return site.root / site.articles[index].path.strip("/") / "index.html"


def health_line(stderr: str) -> str:
    """The summary table's health row."""
    found = re.search(r"^  health .*$", stderr, re.MULTILINE)
    assert found, stderr[-3000:]
    return found.group(0)


@dataclass
class Schedule:
    """The folder holding the site and its state, the port it was served on (the state
    knows its articles by URL, port included), and the runs."""

    folder: Path
    port: int
    runs: list[Run]


@pytest.fixture(scope="module")
def schedule(tmp_path_factory: pytest.TempPathFactory) -> Schedule:
    """Five scheduled runs of a site that behaves."""
    folder = tmp_path_factory.mktemp("schedule")
    runs: list[Run] = []
    total = FIRST
    site = publish(folder, total)
    with LocalSite(site.root) as server:
        port = int(server.url.rsplit(":", 1)[1])
        runs.append(crawl(server.url, folder))  # 1: the first run, 30 articles
        for _ in range(2):  # 2, 3: eight new articles each
            total += NEW
            publish(folder, total)
            runs.append(crawl(server.url, folder))
        # 4: eight new articles, three of which fail to fetch (HTTP 404 for this run).
        total += NEW
        site = publish(folder, total)
        for index in range(total - 3, total):
            article_file(site, index).unlink()
        runs.append(crawl(server.url, folder))
        # 5: a quiet run: one new article (and the three that failed come back).
        total += 1
        publish(folder, total)
        runs.append(crawl(server.url, folder))
    return Schedule(folder, port, runs)


def test_a_site_that_behaves_raises_no_alert(schedule: Schedule) -> None:
    folder, runs = schedule.folder, schedule.runs
    for run in runs:
        assert run.status == EXIT_OK, run.stderr[-3000:]
        assert "health alert" not in run.stderr
    assert not (folder / "alerts.jsonl").exists()
    assert health_line(runs[0].stderr).endswith(
        f"0  alerts (first run of {SITE}: nothing to compare with yet)"
    )
    assert "has 1 earlier run; checks start once it has 3" in health_line(runs[1].stderr)
    assert f"{SITE} against its last 3 runs: no alerts" in health_line(runs[3].stderr)
    assert "failed             3  (fetch: HTTP 404 3)" in runs[3].stderr
    quiet = health_line(runs[4].stderr)
    assert f"{SITE} against its last 4 runs: no alerts" in quiet
    assert "4 records written, too few to judge coverage and word counts" in quiet


def _json_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def broken_run(
    schedule: Schedule,
    tmp_path: Path,
    breakage: Callable[[GeneratedSite], None],
    *extra: str,
) -> tuple[Path, Run]:
    """The next scheduled run after the healthy five, on a copy of the site and state,
    after eight new articles were published and `breakage` applied."""
    folder = tmp_path / "copy"
    shutil.copytree(schedule.folder, folder)
    site = publish(folder, FIRST + 3 * NEW + 1 + NEW)
    breakage(site)
    with LocalSite(site.root, port=schedule.port) as server:
        run = crawl(server.url, folder, *extra)
    return folder, run


def new_articles(site: GeneratedSite) -> list[Path]:
    return [
        article_file(site, index) for index in range(len(site.articles) - NEW, len(site.articles))
    ]


def drop_bylines(site: GeneratedSite) -> None:
    """(a) A redesign: the new articles have no byline and no author in their metadata."""
    # The AMP copies too: a crawl may meet an article's AMP copy before the article.
    amp_copies = [page.parent / "amp" / "index.html" for page in new_articles(site)]
    for page in [*new_articles(site), *amp_copies]:
        html = page.read_text(encoding="utf-8")
        html = re.sub(r'<p class="byline">.*?</p>', "", html)
        html = re.sub(r'"author": \{[^}]*\}, ', "", html)
        assert 'rel="author"' not in html and '"author"' not in html
        page.write_text(html, encoding="utf-8")


def empty_listings(site: GeneratedSite) -> None:
    """(b) The sitemaps and feeds list nothing; the home page and sections still link."""
    empty = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
    )
    (site.root / "sitemap-articles-1.xml.gz").write_bytes(gzip.compress(empty.encode()))
    for name in ("sitemap-articles-2.xml", "news-sitemap.xml"):
        (site.root / name).write_text(empty, encoding="utf-8")
    (site.root / "feed.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Gazette'
        "</title><link>__ORIGIN__/</link></channel></rss>",
        encoding="utf-8",
    )
    (site.root / "atom.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Gazette</title></feed>",
        encoding="utf-8",
    )


def javascript_shells(site: GeneratedSite) -> None:
    """(c) The new articles arrive as JavaScript shells: an empty root and a bundle."""
    for page in new_articles(site):
        page.write_text(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<title>The Generated Gazette</title><script src="/static/app.3f9a.js" defer>'
            '</script></head><body><div id="root"></div><noscript>You need to enable '
            "JavaScript to run this app.</noscript></body></html>",
            encoding="utf-8",
        )


def assert_alerted(
    folder: Path, run: Run, metrics: dict[str, tuple[float, float]]
) -> list[dict[str, Any]]:
    """The run raised exactly these alerts ({metric: (usual, now)}): exit status 4, each in
    the summary and on stderr, and as JSON lines in --alerts FILE."""
    assert run.status == EXIT_HEALTH_ALERTS, run.stderr[-3000:]
    lines = _json_lines(folder / "alerts.jsonl")
    assert {line["metric"]: (line["usual"], line["now"]) for line in lines} == metrics
    assert len(lines) == len(metrics)
    runs = {line["run"] for line in lines}
    assert len(runs) == 1
    for line in lines:
        assert set(line) == {"site", "metric", "usual", "now", "run", "time", "message"}
        assert line["site"] == SITE and line["message"].startswith(f"{SITE}: ")
        assert f"newsscrape: health alert: {line['message']}\n" in run.stderr
        assert datetime.fromisoformat(line["time"]).tzinfo is not None
    alerts = "alert" if len(metrics) == 1 else "alerts"
    assert f"{len(metrics)}  {alerts} ({SITE} against its last 5 runs: {len(metrics)} {alerts}" in (
        health_line(run.stderr)
    )
    return lines


@dataclass
class BrokenRun:
    folder: Path
    run: Run
    spidermon: Path | None  # what the Spidermon action recorded (with the `spidermon` extra)


@pytest.fixture(scope="module")
def bylines_gone(schedule: Schedule, tmp_path_factory: pytest.TempPathFactory) -> BrokenRun:
    """(a), with Spidermon's monitors on and an action recording what they report."""
    folder = tmp_path_factory.mktemp("bylines")
    record = folder / "spidermon.jsonl"
    try:
        import spidermon  # noqa: F401
    except ImportError:
        return BrokenRun(*broken_run(schedule, folder, drop_bylines), None)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NEWSSCRAPE_TEST_SPIDERMON_RECORD", str(record))
        spidermon_on = [
            "-s",
            "SPIDERMON_ENABLED=true",
            "-s",
            "NEWSSCRAPE_HEALTH_ACTIONS=tests.health_spidermon.RecordFailedMonitors",
        ]
        return BrokenRun(*broken_run(schedule, folder, drop_bylines, *spidermon_on), record)


def test_bylines_gone(bylines_gone: BrokenRun) -> None:
    (line,) = assert_alerted(
        bylines_gone.folder, bylines_gone.run, {"coverage/authors": (1.0, 0.0)}
    )
    assert line["message"] == f"{SITE}: records with authors fell to 0% (0 of 8), usually 100%"
    if bylines_gone.spidermon is None:
        pytest.skip("the `spidermon` extra is not installed: its monitors were not run")
    # The same alert reaches Spidermon's actions: its "field coverage" monitor failed.
    (failed,) = _json_lines(bylines_gone.spidermon)
    assert failed["monitor"] == "newsscrape health/field coverage"
    assert line["message"] in failed["reason"]


def test_sitemap_and_feed_empty_while_the_home_page_links_articles(
    schedule: Schedule, tmp_path: Path
) -> None:
    folder, run = broken_run(schedule, tmp_path, empty_listings)
    # The sitemaps listed every article but one in 25 (tests/generated_site.py), the feeds
    # the 30 newest, at each of the five runs; the usual is the median run.
    totals = [FIRST, FIRST + NEW, FIRST + 2 * NEW, FIRST + 3 * NEW, FIRST + 3 * NEW + 1]
    listed = sorted(sum(index % 25 != 7 for index in range(total)) for total in totals)
    lines = assert_alerted(
        folder, run, {"sources/sitemap": (listed[2], 0), "sources/feed": (30, 0)}
    )
    # The articles are still found, by links; only the listings broke.
    assert "articles           8  written" in run.stderr
    assert any(
        "its feeds listed no article, usually 30 article URLs" in line["message"] for line in lines
    )


def test_articles_turned_into_javascript_shells(schedule: Schedule, tmp_path: Path) -> None:
    folder, run = broken_run(schedule, tmp_path, javascript_shells)
    (line,) = assert_alerted(folder, run, {"not_articles": (0, NEW)})
    assert "pages refused as not articles" in line["message"]
    assert "articles           0  written" in run.stderr


# --- newsscrape health, on the state those runs left


@pytest.fixture(scope="module")
def broken_state(bylines_gone: BrokenRun) -> Path:
    """The schedule's state after one more run in which the bylines were gone."""
    return bylines_gone.folder / "state.sqlite3"


def health(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`newsscrape health ARGS` in this process (it runs no crawl): status, stdout, stderr."""
    status = main(["health", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_health_shows_the_runs_and_the_alert(
    broken_state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = health(capsys, "--state", str(broken_state))
    assert status == EXIT_HEALTH_ALERTS, err
    assert f"{SITE}: 6 recent runs, 1 open alert" in out
    rows = [line for line in out.splitlines() if re.match(r"  \d{4}-\d\d-\d\d ", line)]
    assert len(rows) == 6
    # seen, written and unchanged of each run; the failed fetches of the fourth.
    figures = [line.split()[3:6] for line in rows]
    assert figures == [
        ["30", "30", "0"],
        ["38", "8", "30"],
        ["46", "8", "38"],
        ["51", "5", "46"],
        ["55", "4", "51"],
        ["63", "8", "55"],
    ]
    assert rows[3].split()[7] == "3"  # failed
    assert rows[-1].split()[9] == "0%"  # authors
    assert f"  ALERT {SITE}: records with authors fell to 0% (0 of 8), usually 100%" in out
    assert f"latest run: {SITE} against its last 5 runs: 1 alert" in out


def test_health_json(broken_state: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = health(capsys, "--state", str(broken_state), "--json")
    assert status == EXIT_HEALTH_ALERTS, err
    report = json.loads(out)
    assert report["open_alerts"] == 1
    (site,) = report["sites"]
    assert site["site"] == SITE
    assert [alert["metric"] for alert in site["open_alerts"]] == ["coverage/authors"]
    runs = site["runs"]
    assert [run["written"] for run in runs] == [30, 8, 8, 5, 4, 8]
    assert runs[3]["failures"] == {"fetch: HTTP 404": 3}
    assert runs[0]["note"] == f"first run of {SITE}: nothing to compare with yet"
    assert all(run["headline"] == run["records"] == run["published"] for run in runs)
    assert [run["authors"] for run in runs] == [30, 8, 8, 5, 4, 0]
    assert all(run["sources"]["sitemap"] > 0 and run["sources"]["feed"] == 30 for run in runs)


def test_health_html_in_a_browser(
    broken_state: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_stats_validate import _browser, _png_pixels

    report = tmp_path / "health.html"
    status, _, err = health(capsys, "--state", str(broken_state), "--html", str(report))
    assert status == EXIT_HEALTH_ALERTS, err
    page = report.read_text(encoding="utf-8")
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    shot = tmp_path / "health.png"
    dumped = _browser(
        "--window-size=1100,1400", f"--screenshot={shot}", "--dump-dom", report.as_uri()
    )
    assert dumped.returncode == 0, dumped.stderr.decode()[-2000:]
    dom = lxml_html.fromstring(dumped.stdout)
    assert dom.xpath('string(//*[@id="open-alerts"])') == "1"
    (alert,) = dom.xpath('//li[@class="alert"]')
    assert alert.get("data-metric") == "coverage/authors"
    charts = dom.xpath(f'//svg[@class="trend"][@data-site="{SITE}"]')
    assert len(charts) == 13
    by_metric = {chart.get("data-metric"): chart for chart in charts}
    authors = by_metric["coverage/authors"].xpath('.//circle[@class="point"]')
    assert [c.get("data-value") for c in authors] == ["1", "1", "1", "1", "1", "0"]
    assert [c.get("data-alert") for c in authors] == ["0"] * 5 + ["1"]
    seen = by_metric["articles_seen"].xpath('.//circle[@class="point"]')
    assert [c.get("data-value") for c in seen] == ["30", "38", "46", "51", "55", "63"]
    assert all(c.get("data-alert") == "0" for c in seen)
    assert len(dom.xpath("//table//tr[@data-run]")) == 6
    # Rendered: the screenshot shows the trend lines and the alerted point in their colours.
    width, channels, rows = _png_pixels(shot.read_bytes())
    colours = Counter(row[x : x + 3] for row in rows for x in range(0, width * channels, channels))
    assert colours[bytes.fromhex("0072B2")] > 300  # trend lines and points
    assert colours[bytes.fromhex("D55E00")] > 20  # the alerted point (and the alert's border)


def test_health_of_a_missing_state_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = health(capsys, "--state", str(tmp_path / "none.sqlite3"))
    assert status == 2 and err.count("\n") == 1 and "no crawl state at" in err
    assert not (tmp_path / "none.sqlite3").exists()
