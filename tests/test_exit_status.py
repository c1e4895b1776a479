"""What each command's exit status means (README, "Exit status"), on the bundled newspaper.

A crawl exits 0 when the run worked, whatever dead links it met on the way; 1 when the run
itself found no article; get and extract exit 1 when an input they were given gave none.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from scraper.commands.exit_status import EXIT_FAILED, EXIT_OK, EXIT_OUTPUT_FAILED, EXIT_USAGE
from scraper.localsite import LocalSite
from tests.conftest import ARTICLE_PATHS, FAST, jsonl, run_cli


def test_the_statuses_are_stable() -> None:
    # Scripts, cron and systemd units read these; 4 is kept for health alerts (to come).
    assert (EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_OUTPUT_FAILED) == (0, 1, 2, 3)


def test_a_crawl_that_meets_dead_links_exits_zero(
    default_crawl: subprocess.CompletedProcess[bytes],
) -> None:
    # The bundled site links to 30 pages it does not hold, as any real newspaper does.
    stderr = default_crawl.stderr.decode()
    assert default_crawl.returncode == EXIT_OK, stderr[-3000:]
    assert len(jsonl(default_crawl.stdout)) == len(ARTICLE_PATHS)
    assert "HTTP 404" in stderr  # counted and named all the same
    assert "failed            30" in stderr


def test_a_crawl_of_a_site_that_cannot_be_reached_exits_one(
    tmp_path: Path, closed_port: int
) -> None:
    url = f"http://127.0.0.1:{closed_port}/"
    result = run_cli("crawl", url, "--no-state", "-s", "RETRY_TIMES=0", *FAST, cwd=tmp_path)
    stderr = result.stderr.decode()
    assert result.returncode == EXIT_FAILED, stderr[-3000:]
    assert f"newsscrape crawl: no article found at {url}" in stderr


def test_a_crawl_that_finds_nothing_new_since_the_date_exits_zero(
    newspaper: LocalSite, tmp_path: Path
) -> None:
    # Every listed article is older than --since: the run worked, there was nothing new.
    result = run_cli(
        "crawl", newspaper.url + "/", "--no-state", "--depth", "0", "--since", "2099-01-01",
        *FAST, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == EXIT_OK, result.stderr.decode()[-3000:]
    assert jsonl(result.stdout) == []


def test_get_exits_one_when_a_url_it_was_given_gives_no_article(newspaper: LocalSite) -> None:
    result = run_cli("get", newspaper.url + ARTICLE_PATHS[0], newspaper.url + "/gone", *FAST)
    assert result.returncode == EXIT_FAILED
    assert "/gone: HTTP 404 [fetch]" in result.stderr.decode()
