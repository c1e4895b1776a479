"""A password written into a URI never reaches a log line, a summary or an error record: the
real log of real runs (standard error, a LOG_FILE and the --errors output) is searched for it.
The database case, with a real PostgreSQL server, is in test_sinks.py."""

from __future__ import annotations

import json
from pathlib import Path

from scraper.localsite import LocalSite
from scraper.redact import mask_passwords
from tests.conftest import FAST, run_cli

SECRET = "s3cret-Pw"


def test_a_password_in_a_page_url_is_masked_in_the_log_and_the_errors(
    newspaper: LocalSite, tmp_path: Path
) -> None:
    host = newspaper.url.removeprefix("http://")
    page = f"http://reader:{SECRET}@{host}/2024/05/02/members-only-story"
    log_file, errors = tmp_path / "crawl.log", tmp_path / "errors.jsonl"
    result = run_cli(
        "get", page, "-vv", "--errors", str(errors), "-s", f"LOG_FILE={log_file}", *FAST,
    )  # fmt: skip
    assert result.returncode == 1
    stderr = result.stderr.decode()
    failure = json.loads(errors.read_text().splitlines()[0])
    assert failure["url"] == f"http://reader:***@{host}/2024/05/02/members-only-story"
    log = log_file.read_text()
    assert "reader:***@" in stderr + log
    for text in (stderr, log, errors.read_text()):
        assert SECRET not in text


def test_a_password_in_a_redis_uri_is_masked_in_the_error(tmp_path: Path, closed_port: int) -> None:
    closed = f"redis://:{SECRET}@127.0.0.1:{closed_port}/0"
    for args in (
        ["crawl", "--redis", closed],
        ["seed", "--redis", closed, "https://paper.example/"],
        ["crawl", "https://paper.example/", "--state", closed],
    ):
        result = run_cli(*args, cwd=tmp_path)
        stderr = result.stderr.decode()
        assert result.returncode == 2, stderr
        assert SECRET not in stderr and ":***@127.0.0.1" in stderr, stderr


def test_what_is_masked() -> None:
    assert mask_passwords("postgresql://u:p@db/news") == "postgresql://u:***@db/news"
    assert mask_passwords("redis://:p@q:6379/0 and http://a:b@c/") == (
        "redis://:***@q:6379/0 and http://a:***@c/"
    )
    assert mask_passwords("invalid hostname: u:p@127.0.0.1") == "invalid hostname: u:***@127.0.0.1"
    for untouched in ("postgresql://u@db/news", "mailto:ana@paper.example", "10:30 at 9@", "x"):
        assert mask_passwords(untouched) == untouched
