"""WARC out (`--warc FILE` on a crawl) and in (`extract --warc`), against the bundled newspaper
served on loopback, a generated CC-NEWS-like archive, and archives cut off mid-record."""

from __future__ import annotations

import argparse
import gzip
import io
import zlib
from pathlib import Path
from typing import Any

import pytest

# warcio comes with the `warc` extra, which `make test` installs (through `all`).
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.commands.exit_status import UsageError
from scraper.commands.options import warc_settings
from scraper.localsite import LocalSite
from scraper.warc.reader import WarcReadError, WarcReadReport, read_warc_pages
from scraper.warc.writer import HttpExchange, WarcFile, WarcFileError
from tests.conftest import FAST, SITE, jsonl, run_cli
from tests.generated_site import build_site

# Fields a re-extraction from the archive may change, and to what: the discovery source
# becomes "warc", and crawl_id null (an offline extraction is no crawl run). Everything else,
# fetched_at (the archived WARC-Date, to the second) and warc_record_id included, must come
# back identical.
REEXTRACTION_CHANGES = {"source", "crawl_id"}


@pytest.fixture(scope="module")
def archived_crawl(newspaper: LocalSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled newspaper crawled once with --warc, as a newcomer crawls it (default depth:
    its tag and section pages are fetched for their links too): the folder with records and
    archive."""
    folder = tmp_path_factory.mktemp("archived")
    result = run_cli(
        "crawl",
        newspaper.url + "/",
        "--no-state",
        "--warc",
        str(folder / "crawl.warc.gz"),
        "-o",
        str(folder / "crawl.jsonl"),
        *FAST,
    )
    assert result.returncode == 0, result.stderr.decode()
    return folder


def _records(path: Path) -> dict[str, dict[str, Any]]:
    return {record["url"]: record for record in jsonl(path.read_bytes())}


def test_a_crawl_written_with_warc_re_extracts_to_the_same_records(
    archived_crawl: Path,
) -> None:
    crawled = _records(archived_crawl / "crawl.jsonl")
    result = run_cli(
        "extract",
        "--warc",
        str(archived_crawl / "crawl.warc.gz"),
        "-o",
        str(archived_crawl / "again.jsonl"),
    )
    assert result.returncode == 0, result.stderr.decode()
    again = _records(archived_crawl / "again.jsonl")
    assert len(crawled) >= 10
    assert again.keys() == crawled.keys()
    for url, record in crawled.items():
        changed = {field for field in record if record[field] != again[url][field]}
        assert changed <= REEXTRACTION_CHANGES, (url, changed)
        assert again[url]["source"] == "warc"
        assert again[url]["crawl_id"] is None
        assert record["warc_record_id"].startswith("<urn:uuid:")
        assert record["fetched_at"].endswith("+00:00")
    stderr = result.stderr.decode()
    assert "crawl.warc.gz:" in stderr and "HTML pages; skipped" in stderr
    assert "request " in stderr and "warcinfo 1" in stderr
    # The pages the crawl fetched only for their links are set aside as it set them aside.
    assert "tag page 1" in stderr and "home page 1" in stderr and "section page" in stderr


def test_an_archive_extracted_in_workers_gives_the_same_records_in_the_same_order(
    archived_crawl: Path,
) -> None:
    archive = str(archived_crawl / "crawl.warc.gz")
    one = run_cli("extract", "--warc", archive, "--workers", "0")
    two = run_cli("extract", "--warc", archive, "--workers", "2", "-v")
    assert one.returncode == two.returncode == 0, two.stderr.decode()[-2000:]
    assert len(jsonl(two.stdout)) >= 10
    assert two.stdout == one.stdout
    assert "extracting in 2 worker processes" in two.stderr.decode()


def test_a_page_the_crawl_set_aside_is_not_written_on_re_extraction(tmp_path: Path) -> None:
    # A small newspaper whose tag page is nothing but links to articles, with their teasers:
    # enough text that extraction alone takes it. The crawl's URL classifier set it aside
    # (/tag/ in its path, fetched only for its links), so re-extraction sets it aside too.
    root = tmp_path / "site"
    site = build_site(root, articles=20, seed=3)
    teasers = "".join(
        f'<p><a href="{a.path}">{a.title}. {" ".join(a.paragraphs[:2])}</a></p>'
        for a in site.articles[:8]
    )
    tag = root / "tag" / "harbor" / "index.html"
    tag.parent.mkdir(parents=True, exist_ok=True)
    tag.write_text(
        "<!doctype html><html lang='en'><head><title>Tag: harbor</title></head><body>"
        f"<main><h1>Harbor</h1>{teasers}</main></body></html>",
        encoding="utf-8",
    )
    home = root / "index.html"
    home.write_text(
        home.read_text(encoding="utf-8").replace(
            "</body>", '<a href="/tag/harbor/">Harbor</a></body>'
        ),
        encoding="utf-8",
    )
    archive, written = tmp_path / "crawl.warc.gz", tmp_path / "crawl.jsonl"
    with LocalSite(root) as server:
        crawl = run_cli(
            "crawl", server.url + "/", "--no-state", "--warc", str(archive), "-o", str(written),
            *FAST,
        )  # fmt: skip
        assert crawl.returncode == 0, crawl.stderr.decode()[-3000:]
        assert "/tag/harbor/" in server.requested_paths  # fetched, for its links
    again = run_cli("extract", "--warc", str(archive))
    assert again.returncode == 0, again.stderr.decode()[-3000:]
    crawled = {record["url"] for record in jsonl(written.read_bytes())}
    assert len(crawled) == 20
    assert {record["url"] for record in jsonl(again.stdout)} == crawled
    assert "tag page" in again.stderr.decode()


def test_the_archive_is_warc_1_1_with_request_and_response_per_fetch(
    archived_crawl: Path,
) -> None:
    path = archived_crawl / "crawl.warc.gz"
    crawled = _records(archived_crawl / "crawl.jsonl")
    records: dict[str, Any] = {}
    kinds: list[str] = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            headers = record.rec_headers
            assert headers.protocol == "WARC/1.1"
            kinds.append(record.rec_type)
            records[headers.get_header("WARC-Record-ID")] = (
                record.rec_type,
                headers.get_header("WARC-Target-URI"),
                headers.get_header("WARC-Concurrent-To"),
            )
    assert kinds[0] == "warcinfo"
    assert kinds.count("request") == kinds.count("response") > len(crawled)
    # One gzip member per record, so any record can be read from its offset alone.
    assert _gzip_members(path.read_bytes()) == len(kinds)
    responses = {rid for rid, (kind, _, _) in records.items() if kind == "response"}
    assert {to for kind, _, to in records.values() if kind == "request"} == responses
    for record in crawled.values():
        kind, target, _ = records[record["warc_record_id"]]
        assert (kind, target) == ("response", record["url"])


def _gzip_members(data: bytes) -> int:
    members = 0
    while data:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        decompressor.decompress(data)
        assert decompressor.eof
        data = decompressor.unused_data
        members += 1
    return members


def _fixture_page(path: str) -> bytes:
    return (SITE / f"{path}.html").read_bytes()


def _cc_news_like(path: Path) -> None:
    """A CC-NEWS-like archive: WARC/1.0, gzip per record, warcinfo, request/response/metadata
    triples, an image, a revisit, a redirect, a DNS record and a gzip-encoded page."""
    writer = WARCWriter(path.open("wb"), gzip=True, warc_version="1.0")
    writer.write_record(
        writer.create_warcinfo_record(
            path.name, {"software": "CC-NEWS crawler", "isPartOf": "CC-NEWS"}
        )
    )

    def exchange(url: str, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        response = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict={
                "WARC-Date": "2024-05-02T10:11:12Z",
                "WARC-IP-Address": "127.0.0.1",
                "WARC-Identified-Payload-Type": headers[0][1].split(";")[0],
            },
        )
        request = writer.create_warc_record(
            url,
            "request",
            http_headers=StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "paper.example")], is_http_request=True
            ),
        )
        writer.write_request_response_pair(request, response)
        metadata = b"fetchTimeMs: 120\r\n"
        writer.write_record(
            writer.create_warc_record(
                url,
                "metadata",
                payload=io.BytesIO(metadata),
                length=len(metadata),
                warc_content_type="application/warc-fields",
            )
        )

    airport = _fixture_page("post/san-juan-airport-adds-three-new-routes-for-winter-season")
    exchange(
        "https://www.sanjuandailystar.example/post/airport-routes",
        "200 OK",
        [("Content-Type", "text/html; charset=utf-8"), ("X-Crawler-Content-Length", "999")],
        airport,
    )
    council = _fixture_page("news/2024/05/20/council-approves-late-night-bus-service")
    exchange(
        "https://metro.example/news/council-bus-service",
        "200 OK",
        [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        gzip.compress(council),
    )
    exchange(
        "https://metro.example/lead.jpg",
        "200 OK",
        [("Content-Type", "image/jpeg")],
        b"\xff\xd8\xff",
    )
    exchange(
        "https://metro.example/old",
        "301 Moved Permanently",
        [("Content-Type", "text/html"), ("Location", "https://metro.example/new")],
        b"<html><body>Moved</body></html>",
    )
    revisit = writer.create_revisit_record(
        "https://metro.example/news/council-bus-service",
        digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        refers_to_uri="https://metro.example/news/council-bus-service",
        refers_to_date="2024-05-01T10:11:12Z",
    )
    writer.write_record(revisit)
    dns = b"20240502101112\nmetro.example.\t300\tIN\tA\t127.0.0.1\n"
    writer.write_record(
        writer.create_warc_record(
            "dns:metro.example",
            "response",
            payload=io.BytesIO(dns),
            length=len(dns),
            warc_content_type="text/dns",
        )
    )
    writer.out.close()


def test_a_cc_news_like_archive_gives_its_html_pages_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "CC-NEWS-20240502101112-00001.warc.gz"
    _cc_news_like(archive)
    result = run_cli("extract", "--warc", str(archive))
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    records = {record["url"]: record for record in jsonl(result.stdout)}
    assert set(records) == {
        "https://www.sanjuandailystar.example/post/airport-routes",
        "https://metro.example/news/council-bus-service",
    }
    airport = records["https://www.sanjuandailystar.example/post/airport-routes"]
    assert airport["title"] == "San Juan airport adds three new routes for winter season"
    assert airport["source"] == "warc"
    assert airport["status"] == 200
    assert airport["fetched_at"] == "2024-05-02T10:11:12+00:00"
    assert airport["warc_record_id"].startswith("<urn:uuid:")
    council = records["https://metro.example/news/council-bus-service"]
    assert council["title"] == "Council approves late-night bus service on four routes"
    # 1 warcinfo + 4 x (request, response, metadata) + revisit + dns = 15 records, 2 pages.
    assert (
        f"{archive}: 15 records, 2 HTML pages; skipped 13 (HTTP 301 1, image/jpeg 1, "
        "metadata 4, request 4, response without HTTP 1, revisit 1, warcinfo 1)"
    ) in stderr


def test_an_archive_cut_off_mid_record_is_read_up_to_the_cut(tmp_path: Path) -> None:
    archive = tmp_path / "cc.warc.gz"
    _cc_news_like(archive)
    data = archive.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 300])  # inside the last (dns) record
    result = run_cli("extract", "--warc", str(cut))
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert len(jsonl(result.stdout)) == 2  # both pages came before the cut
    assert "the file ends inside a record starting at byte" in stderr
    assert "Traceback" not in stderr

    # Cut inside a page's response: the page is not extracted from half its HTML.
    report = WarcReadReport(str(cut))
    start = _offset_of_record(data, 1)  # after the warcinfo: the first page's response
    (tmp_path / "early.warc.gz").write_bytes(data[: start + 200])
    with pytest.raises(WarcReadError) as raised:
        list(read_warc_pages(tmp_path / "early.warc.gz", report))
    assert raised.value.offset == start
    assert report.pages == 0


def _offset_of_record(data: bytes, index: int) -> int:
    offset = 0
    for _ in range(index):
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        decompressor.decompress(data[offset:])
        offset = len(data) - len(decompressor.unused_data)
    return offset


def _exchange(number: int) -> HttpExchange:
    return HttpExchange(
        url=f"https://paper.example/{number}",
        status=200,
        reason="OK",
        request_headers=[("User-Agent", "newsscrape")],
        response_headers=[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
        response_body=b"<html><body><p>page %d</p></body></html>" % number,
    )


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_appending_after_a_killed_run_cuts_the_half_written_record(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"out{suffix}"
    with WarcFile(path) as archive:
        first = archive.write_exchange(_exchange(1))
    complete = path.read_bytes()
    with WarcFile(path) as archive:
        archive.write_exchange(_exchange(2))
    # A kill in the middle of writing the second run's records leaves part of them.
    path.write_bytes(path.read_bytes()[: len(complete) + 150])
    with pytest.raises(WarcReadError):
        list(read_warc_pages(path))
    with WarcFile(path) as archive:
        third = archive.write_exchange(_exchange(3))
    pages = list(read_warc_pages(path))
    assert [page.url for page in pages] == ["https://paper.example/1", "https://paper.example/3"]
    assert [page.warc_record_id for page in pages] == [first.record_id, third.record_id]
    # Bodies come back as sent: the de-chunked body is not de-chunked again.
    assert pages[1].body == _exchange(3).response_body


def test_a_warc_file_is_never_appended_to_something_else(tmp_path: Path) -> None:
    precious = tmp_path / "notes.warc.gz"
    precious.write_bytes(gzip.compress(b"my notes, not a WARC"))
    with pytest.raises(WarcFileError, match="not a WARC file"):
        WarcFile(precious).open()
    assert gzip.decompress(precious.read_bytes()) == b"my notes, not a WARC"


def test_bad_warc_input_is_one_line(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body>not an archive</body></html>", encoding="utf-8")
    result = run_cli("extract", "--warc", str(page))
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert f"{page}: not a WARC file" in stderr
    assert "Traceback" not in stderr
    # An archive that does not exist is a command-line error, as any extract input is.
    missing = run_cli("extract", "--warc", str(page), str(tmp_path / "missing.warc.gz"))
    assert missing.returncode == 2
    assert missing.stderr.decode().splitlines() == [
        f"newsscrape extract: error: cannot read {tmp_path / 'missing.warc.gz'}: "
        "No such file or directory; check the path"
    ]

    wrong_name = run_cli("get", "https://paper.example/", "--warc", str(tmp_path / "out.jsonl"))
    assert wrong_name.returncode == 2
    assert b"--warc expects a .warc.gz (or .warc) file name" in wrong_name.stderr

    not_warc = tmp_path / "old.warc.gz"
    not_warc.write_bytes(gzip.compress(b"something else"))
    with pytest.raises(UsageError, match="exists and is not a WARC file; give a new file name"):
        warc_settings(argparse.Namespace(warc=str(not_warc)))
    assert warc_settings(argparse.Namespace(warc=None)) == {}
    assert warc_settings(argparse.Namespace(warc=str(tmp_path / "new.warc.gz"))) == {
        "NEWSSCRAPE_WARC": str(tmp_path / "new.warc.gz")
    }


def test_reading_shows_progress_on_the_stream_it_is_given(tmp_path: Path) -> None:
    archive = tmp_path / "cc.warc.gz"
    _cc_news_like(archive)
    progress = io.StringIO()
    report = WarcReadReport("cc.warc.gz")
    pages = list(read_warc_pages(archive, report, progress=progress, progress_every=0))
    lines = progress.getvalue().splitlines()
    assert len(pages) == report.pages == 2
    assert len(lines) == report.records == 15
    assert lines[-1].startswith("newsscrape: cc.warc.gz: 100% (")
    assert lines[-1].endswith("15 records, 2 HTML pages")


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_a_kill_at_any_byte_leaves_an_archive_that_reads_and_appends_cleanly(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"out{suffix}"
    with WarcFile(path) as archive:
        archive.write_exchange(_exchange(1))
    first_run = path.read_bytes()
    with WarcFile(path) as archive:
        archive.write_exchange(_exchange(2))
    both_runs = path.read_bytes()
    for cut in range(len(first_run), len(both_runs) + 1, 5):
        path.write_bytes(both_runs[:cut])
        try:  # a reader gets every whole record before the cut, or a clean end
            read = [page.url for page in read_warc_pages(path)]
        except WarcReadError as error:
            assert "ends inside a record" in str(error)
        else:
            assert read[0] == "https://paper.example/1"
        with WarcFile(path) as archive:  # the next run cuts any half record and appends
            archive.write_exchange(_exchange(3))
        urls = [page.url for page in read_warc_pages(path)]
        assert urls[0] == "https://paper.example/1", cut
        assert urls[-1] == "https://paper.example/3", cut
