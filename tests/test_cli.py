"""The `newsscrape` command end to end: real engine, real loopback server, real files."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

from scraper.localsite import LocalSite
from scraper.record import schema_errors
from tests.conftest import ARTICLE_PATHS, CHECKS, FAST, OTHER_PATHS, SITE, jsonl, run_cli

WIX_PATH = next(
    p for p in ARTICLE_PATHS if "frances robles" in " ".join(CHECKS[p]["authors"]).lower()
)


def _site_file(path: str) -> Path:
    for candidate in (
        SITE / path.lstrip("/"),
        SITE / (path.lstrip("/") + ".html"),
        SITE / path.lstrip("/") / "index.html",
    ):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(path)


def test_the_example_article(crawled: dict[str, dict[str, Any]]) -> None:
    record = crawled[WIX_PATH]
    assert record["authors"] == ["Frances Robles"]
    assert record["site_name"] == "The San Juan Daily Star"
    assert record["text"].startswith("American, Kenyan and Haitian delegations are meeting")
    assert record["text"].endswith("did not immediately respond to a request for comment Tuesday.")
    for chrome in (
        "top of page",
        "bottom of page",
        "Writer's picture",
        "84 views",
        "comments",
        "By Frances Robles",
    ):
        assert chrome not in record["text"]
    assert (
        record["title"]
        == "US, Kenyan and Haitian officials meet on sidelines to discuss security mission to Haiti"
    )
    assert record["status"] == 200 and record["source"] == "url"
    assert record["extractor"].startswith("newsscrape ")


def test_get_exit_status_names_each_failure(newspaper: LocalSite) -> None:
    good = newspaper.url + WIX_PATH
    missing = newspaper.url + "/no/such/page"
    result = run_cli("get", good, missing, *FAST)
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert len(jsonl(result.stdout)) == 1
    assert "/no/such/page" in stderr and "HTTP 404" in stderr
    assert "Traceback" not in stderr


def test_get_all_good_exits_zero_and_writes_file(newspaper: LocalSite, tmp_path: Path) -> None:
    out = tmp_path / "nested" / "articles.jsonl"
    result = run_cli(
        "get",
        newspaper.url + ARTICLE_PATHS[0],
        newspaper.url + ARTICLE_PATHS[1],
        "-o",
        str(out),
        *FAST,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b""
    records = jsonl(out.read_bytes())
    assert len(records) == 2 and all(schema_errors(r) == [] for r in records)


def test_get_formats(newspaper: LocalSite, tmp_path: Path) -> None:
    url = newspaper.url + WIX_PATH
    as_json = run_cli("get", url, "--format", "json", *FAST)
    assert json.loads(as_json.stdout)[0]["authors"] == ["Frances Robles"]
    csv_file = tmp_path / "a.csv"
    run_cli("get", url, "-o", str(csv_file), *FAST)
    rows = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8"))))
    assert rows[0]["site_name"] == "The San Juan Daily Star"
    as_md = run_cli("get", url, "--format", "md", *FAST).stdout.decode()
    assert as_md.startswith("# US, Kenyan and Haitian officials")
    assert "*By Frances Robles" in as_md
    as_txt = run_cli("get", url, "--format", "txt", *FAST).stdout.decode()
    assert as_txt.splitlines()[0].startswith("US, Kenyan and Haitian officials")


def test_scrapy_settings_pass_through(newspaper: LocalSite) -> None:
    # A setting that changes behaviour visibly: a tiny size limit makes the fetch fail.
    result = run_cli("get", newspaper.url + WIX_PATH, "-s", "DOWNLOAD_MAXSIZE=100", *FAST)
    assert result.returncode == 1
    assert jsonl(result.stdout) == []


def test_fast_extraction_reaches_the_workers_and_is_named_on_the_records(
    newspaper: LocalSite,
) -> None:
    fetched = run_cli("get", newspaper.url + WIX_PATH, "--fast", "--workers", "1", *FAST)
    assert fetched.returncode == 0, fetched.stderr.decode()
    [record] = jsonl(fetched.stdout)
    assert record["extractor"].endswith(" (fast)")
    assert record["authors"] == ["Frances Robles"]
    saved = _site_file(WIX_PATH)
    assert jsonl(run_cli("extract", str(saved), "--fast").stdout)[0]["extractor"].endswith(
        " (fast)"
    )
    assert "(fast)" not in jsonl(run_cli("extract", str(saved)).stdout)[0]["extractor"]


def test_usage_errors_exit_two() -> None:
    for args in (
        ["get"],
        ["get", "ftp://example.org/x"],
        ["get", "javascript:alert(1)"],
        ["get", "http://x", "-s", "NOVALUE"],
        ["nonsense"],
        [],
    ):
        result = run_cli(*args)
        assert result.returncode == 2, args
        assert b"Traceback" not in result.stderr


def test_extract_files_gzip_and_stdin(tmp_path: Path) -> None:
    page = _site_file(WIX_PATH).read_bytes()
    gz = tmp_path / "page.html.gz"
    gz.write_bytes(gzip.compress(page))
    result = run_cli("extract", str(gz), "--url", "https://www.sanjuandailystar.com" + WIX_PATH)
    assert result.returncode == 0, result.stderr.decode()
    record = jsonl(result.stdout)[0]
    assert record["authors"] == ["Frances Robles"]
    assert record["source"] == "file" and record["status"] is None
    from_stdin = jsonl(run_cli("extract", "-", stdin=page).stdout)[0]
    assert from_stdin["text"] == record["text"]
    assert from_stdin["url"] is None


def test_extract_reports_unreadable_and_non_articles(tmp_path: Path) -> None:
    # Inputs that open but give no article are named with their stage; the rest extracted.
    not_article = _site_file(OTHER_PATHS[0])
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    pdf = tmp_path / "saved.html"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00not deflate data")
    result = run_cli(
        "extract",
        "--articles-only",
        str(empty),
        str(pdf),
        str(broken),
        str(not_article),
        str(_site_file(WIX_PATH)),
    )
    stderr = result.stderr.decode()
    assert result.returncode == 1
    lines = stderr.splitlines()
    for bad in (empty, pdf, broken):
        # Read, not fetched: the stage names what went wrong with a local file.
        (line,) = [line for line in lines if f": {bad}: " in line]
        assert line.startswith(f"newsscrape: no article: {bad}: ") and line.endswith(" [read]")
    assert f"{not_article.name}" in stderr and "[not-article]" in stderr
    assert "(not-article 1, read 3)" in stderr
    assert len(jsonl(result.stdout)) == 1
    assert "Traceback" not in stderr


def test_an_extract_input_that_cannot_be_opened_is_a_command_line_error(tmp_path: Path) -> None:
    # The same rule as get's --url-file: a name that opens nothing is exit 2, nothing done.
    missing = tmp_path / "missing.html"
    for args in (
        [str(missing), str(_site_file(WIX_PATH))],
        [str(tmp_path)],
        ["--warc", str(missing)],
    ):
        result = run_cli("extract", *args, "-o", str(tmp_path / "out.jsonl"))
        lines = result.stderr.decode().splitlines()
        assert result.returncode == 2, lines
        assert len(lines) == 1 and lines[0].startswith("newsscrape extract: error: cannot read ")
        assert not (tmp_path / "out.jsonl").exists()
    assert "exit 2" in run_cli("extract", "--help").stdout.decode()


def test_help_teaches() -> None:
    text = run_cli("--help").stdout.decode() + run_cli("get", "--help").stdout.decode()
    for word in ("get", "extract", "--format", "-s NAME=VALUE", "examples"):
        assert word in text


def test_a_dropped_item_is_logged_by_reason_and_url_not_whole(newspaper: LocalSite) -> None:
    # The same article under a tracking parameter: fetched twice, the second copy dropped as
    # a duplicate at INFO (-v). Scrapy would log the whole record, text and all, after it.
    url = newspaper.url + ARTICLE_PATHS[0]
    result = run_cli("get", url, url + "?utm_source=newsletter", "-v", *FAST)
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr[-3000:]
    records = jsonl(result.stdout)
    assert len(records) == 1
    dropped = [line for line in stderr.splitlines() if "Dropped: duplicate of" in line]
    assert len(dropped) == 1 and "(http://127.0.0.1:" in dropped[0]
    first_paragraph = records[0]["text"].split("\n\n")[0]
    assert first_paragraph[:60] not in stderr


def test_a_url_without_scheme_says_what_was_assumed(newspaper: LocalSite) -> None:
    # The bundled site speaks plain HTTP: https:// to it fails its TLS handshake.
    bare = newspaper.url.removeprefix("http://") + WIX_PATH
    result = run_cli("get", bare, *FAST, "-s", "RETRY_TIMES=0")
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert (
        f"newsscrape: {bare} has no scheme; taking it as https://{bare} "
        "(write http:// for a plain-HTTP server)"
    ) in stderr.splitlines()
    # The TLS failure is one line like any other fetch failure, no Failure reprs anywhere.
    assert (
        f"newsscrape: no article: https://{bare}: TLS error: wrong version number "
        "(the server may speak plain HTTP: try http://) [fetch]"
    ) in stderr.splitlines()
    assert "by reason: TLS error 1" in stderr
    for raw in ("twisted.python.failure", "OpenSSL.SSL.Error", "Traceback"):
        assert raw not in stderr


def test_quiet_prints_only_what_fails_the_run(
    newspaper: LocalSite, tmp_path: Path, closed_port: int
) -> None:
    refused = f"http://127.0.0.1:{closed_port}/story"
    result = run_cli("get", refused, "-q", *FAST, "-s", "RETRY_TIMES=0")
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"newsscrape: no article: {refused}: "), lines
    # A crawl whose dead links do not fail it has nothing to say with -q.
    out = tmp_path / "out.jsonl"
    crawl = run_cli("crawl", newspaper.url + "/", "-q", "--no-state", "-o", str(out), *FAST)
    assert crawl.returncode == 0
    assert crawl.stderr.decode() == ""
    assert len(jsonl(out.read_bytes())) == len(ARTICLE_PATHS)


def test_the_demo_runs_at_the_default_politeness_without_warnings(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = tmp_path / "articles.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "scraper.localsite.demo", "--site", str(SITE), "--output", str(out)],
        capture_output=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr[-3000:]
    assert "WARNING" not in stderr and "politeness override" not in stderr, stderr
    assert len(jsonl(out.read_bytes())) == len(ARTICLE_PATHS)


def test_extract_in_workers_writes_the_same_records_in_the_same_order(tmp_path: Path) -> None:
    # Every fixture page, articles and others, with inputs that fail among them: the records
    # and each page's failure come out as one process would write them, in input order.
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    pdf = tmp_path / "saved.html"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    pages = [str(_site_file(path)) for path in [*ARTICLE_PATHS, *OTHER_PATHS]]
    inputs = [*pages[:3], str(empty), *pages[3:7], str(pdf), *pages[7:]]
    one = run_cli("extract", *inputs, "--workers", "0", "-v")
    two = run_cli("extract", *inputs, "--workers", "2", "-v")
    assert one.returncode == two.returncode == 1, two.stderr.decode()[-2000:]
    records = jsonl(two.stdout)
    assert len(records) >= len(ARTICLE_PATHS)
    assert two.stdout == one.stdout
    assert "extracting in 2 worker processes" in two.stderr.decode()
    assert "worker processes" not in one.stderr.decode()

    def failures(result: Any) -> list[str]:
        return [line for line in result.stderr.decode().splitlines() if "no article:" in line]

    assert failures(two) == failures(one)
    assert any(str(empty) in line for line in failures(two))
    assert any(str(pdf) in line for line in failures(two))
    summary = one.stderr.decode().splitlines()[-1]
    assert summary.startswith("newsscrape: ") and summary in two.stderr.decode()
