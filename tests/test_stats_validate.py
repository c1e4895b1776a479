"""`newsscrape stats` and `newsscrape validate` on every sink, and the HTML report as a real
headless browser renders it (Debian's chromium; .ci/run installs it)."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import tempfile
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html
from scrapy.exporters import JsonItemExporter

from scraper.cli import main
from scraper.commands.extract import open_exporter
from scraper.commands.outputs import format_for
from scraper.sinks import is_database_uri
from scraper.sinks.fields import FIELD_NAMES
from tests.conftest import run_cli
from tests.servers import ServerUnavailable, fresh_postgres_database, shared_postgres

# (site, publication day or None, language, has an image) for each generated record.
SPEC = [
    ("a.example", "2024-05-01", "en", True),
    ("a.example", "2024-05-01", "en", False),
    ("a.example", "2024-05-02", "es", True),
    ("a.example", "2024-05-02", "en", True),
    ("a.example", None, "en", True),
    ("b.example", "2024-05-01", "de", True),
    ("b.example", "2024-05-01", "en", True),
    ("b.example", "2024-05-03", None, False),
    ("c.example", "2024-05-02", "en", True),
    ("c.example", "2024-05-03", "en", True),
]
SINKS = ["d.jsonl", "d.json", "d.csv", "d.parquet", "sqlite", "postgresql"]


@pytest.fixture(scope="module")
def postgres_url() -> str:
    """The test process's PostgreSQL server (tests.servers), started on first use."""
    try:
        return shared_postgres()
    except ServerUnavailable as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="module")
def records(crawled: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Ten valid records with known sites, days, languages and gaps, from a real fixture one."""
    base = next(r for r in crawled.values() if r.get("fingerprint") and r.get("image"))
    made = []
    for number, (site, day, language, image) in enumerate(SPEC):
        made.append(
            dict(
                base,
                canonical_url=f"https://{site}/story/{number}",
                url=f"https://{site}/story/{number}",
                domain=site,
                published=f"{day}T09:30:00+02:00" if day else None,
                language=language,
                image=base["image"] if image else None,
                duplicate_of=None,
                cluster_id=None,
            )
        )
    made[-1]["duplicate_of"] = made[-2]["canonical_url"]
    made[-1]["cluster_id"] = made[-2]["cluster_id"] = "story-1"
    return made


def write_dataset(records: list[dict[str, Any]], target: str) -> None:
    """Write records the way the sinks do: their exporter, or their database writer."""
    if is_database_uri(target):
        from scraper.sinks.postgres import PostgresRecordWriter
        from scraper.sinks.sqlite import SqliteRecordWriter, sqlite_path

        writer: Any = (
            SqliteRecordWriter(sqlite_path(target))
            if target.startswith("sqlite")
            else PostgresRecordWriter(target)
        )
        for record in records:
            writer.write(record)
        writer.close()
        return
    with open(target, "wb") as stream:
        # JSON as the feed exports write it (FEED_EXPORT_INDENT=0: one record per line).
        exporter = (
            JsonItemExporter(stream, indent=0)
            if target.endswith(".json")
            else open_exporter(format_for(target, None), stream)
        )
        exporter.start_exporting()
        for record in records:
            exporter.export_item(record)
        exporter.finish_exporting()


@pytest.fixture(scope="module")
def datasets(
    records: list[dict[str, Any]], postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("datasets")
    targets = {name: str(folder / name) for name in SINKS if "." in name}
    targets["sqlite"] = f"sqlite:///{folder / 'd.db'}"
    targets["postgresql"] = fresh_postgres_database(postgres_url, "stats_test")
    for target in targets.values():
        write_dataset(records, target)
    return targets


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _table(output: str, title: str) -> dict[str, list[str]]:
    """Rows of one titled table of `stats` output: first cell -> the other cells."""
    lines = output.split("\n" + title + "\n", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    rows = {}
    for line in lines:
        cells = line.split()
        # Names may hold spaces ("(no date)", "records marked duplicate_of"); numbers do not.
        numbers = [c for c in cells if c.replace(".", "").rstrip("%").isdigit()]
        rows[" ".join(cells[: len(cells) - len(numbers)])] = numbers
    return rows


@pytest.mark.parametrize("sink", SINKS)
def test_stats_counts_the_same_on_every_sink(
    capsys: pytest.CaptureFixture[str], datasets: dict[str, str], sink: str
) -> None:
    status, out, err = _run(capsys, "stats", datasets[sink])
    assert status == 0, err
    assert "  records      10\n" in out
    assert _table(out, "per site") == {"a.example": ["5"], "b.example": ["3"], "c.example": ["2"]}
    assert _table(out, "per day") == {
        "2024-05-01": ["4"],
        "2024-05-02": ["3"],
        "2024-05-03": ["2"],
        "(no date)": ["1"],
    }
    assert _table(out, "per language") == {
        "en": ["7"],
        "de": ["1"],
        "es": ["1"],
        "(unknown)": ["1"],
    }
    missing = _table(out, "missing fields")
    assert list(missing) == list(FIELD_NAMES)
    assert missing["image"] == ["2", "20.0%"] and missing["published"] == ["1", "10.0%"]
    assert missing["text"] == ["0", "0.0%"] and missing["duplicate_of"] == ["9", "90.0%"]
    duplicates = _table(out, "duplicates")
    assert duplicates["records marked duplicate_of"] == ["1"]
    assert duplicates["story clusters (cluster_id)"] == ["1"]
    assert duplicates["canonical URLs seen more than once"] == ["0"]


def test_stats_counts_repeated_canonical_urls(
    capsys: pytest.CaptureFixture[str], records: list[dict[str, Any]], tmp_path: Path
) -> None:
    target = tmp_path / "repeats.jsonl"
    write_dataset([*records, records[0], records[0], records[3]], str(target))
    status, out, _ = _run(capsys, "stats", str(target))
    assert status == 0
    duplicates = _table(out, "duplicates")
    assert duplicates["canonical URLs seen more than once"] == ["2"]
    assert duplicates["records repeating a canonical URL"] == ["3"]


@pytest.mark.parametrize("sink", SINKS)
def test_validate_passes_valid_datasets(
    capsys: pytest.CaptureFixture[str], datasets: dict[str, str], sink: str
) -> None:
    status, out, err = _run(capsys, "validate", datasets[sink])
    assert (status, out) == (0, "")
    assert "10 records checked, 10 valid, 0 invalid" in err


def _broken(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    bad = [dict(r) for r in records[:4]]
    bad[1]["language"] = "english"  # not ISO 639-1
    bad[3]["fingerprint"] = "not-hex"
    return bad


@pytest.mark.parametrize(
    ("sink", "locations"),
    [
        ("bad.jsonl", ["line 2", "line 4"]),
        ("bad.json", ["line 3", "line 5"]),  # line 1 is the array's "["
        ("bad.csv", ["row 2 (line ", "row 4 (line "]),  # bodies span lines
        ("bad.parquet", ["row 2", "row 4"]),
        ("sqlite", ["row id 2", "row id 4"]),
    ],
)
def test_validate_names_each_invalid_record(
    capsys: pytest.CaptureFixture[str],
    records: list[dict[str, Any]],
    tmp_path: Path,
    sink: str,
    locations: list[str],
) -> None:
    target = f"sqlite:///{tmp_path / 'bad.db'}" if sink == "sqlite" else str(tmp_path / sink)
    write_dataset(_broken(records), target)
    status, out, err = _run(capsys, "validate", target)
    assert status == 1
    lines = out.splitlines()
    named = [line.removeprefix(target + ": ").split(":")[0] for line in lines]
    assert len(named) == len(locations)
    assert [name[: len(want)] for name, want in zip(named, locations, strict=True)] == locations
    assert "language: 'english' does not match" in lines[0]
    assert "fingerprint: 'not-hex' does not match" in lines[1]
    assert "4 records checked, 2 valid, 2 invalid" in err


def test_validate_reports_unparseable_lines_in_place(
    records: list[dict[str, Any]], tmp_path: Path
) -> None:
    target = tmp_path / "cut.jsonl"
    lines = [json.dumps(r) for r in records[:3]]
    target.write_text(lines[0] + "\n[1, 2]\n" + lines[1] + "\n" + lines[2][:40] + "\n")
    result = run_cli("validate", str(target))  # the real command, in its own process
    out = result.stdout.decode()
    assert result.returncode == 1
    assert f"{target}: line 2: not a JSON object but list" in out
    assert f"{target}: line 4: not JSON" in out
    assert len(out.splitlines()) == 2  # lines 1 and 3 are valid records


def test_unreadable_inputs_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import sqlite3

    (tmp_path / "junk.parquet").write_bytes(b"PAR1 this is not parquet")
    (tmp_path / "cut.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    (tmp_path / "notes.txt").write_text("hello")
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.close()
    for source, expected in [
        (str(tmp_path / "missing.jsonl"), "no such file"),
        (str(tmp_path), "not a file"),
        (str(tmp_path / "junk.parquet"), "not a readable Parquet file"),
        (str(tmp_path / "cut.jsonl.gz"), "ends early"),
        (str(tmp_path / "notes.txt"), "cannot tell its format"),
        (f"sqlite:///{tmp_path / 'other.db'}", "not a newsscrape database"),
        (f"sqlite:///{tmp_path / 'absent.db'}", "cannot read the database"),
    ]:
        for command in ("validate", "stats"):
            status, _, err = _run(capsys, command, source)
            assert status == 2, (command, source, err)
            assert err.count("\n") == 1 and expected in err, (command, source, err)


# --- The HTML report in a real browser


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no headless browser: apt-get install chromium")


def _browser(*args: str) -> subprocess.CompletedProcess[bytes]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", f"--user-data-dir={profile}", *args],
            capture_output=True, timeout=120, check=False,
        )  # fmt: skip


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Rows of RGB(A) pixels of an 8-bit PNG (what Chromium's screenshots are)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        if data[position + 4 : position + 8] == b"IDAT":
            chunks.append(data[position + 8 : position + 8 + length])
        position += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                nearest = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + nearest) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, channels, rows


def test_html_report_renders_its_charts_in_a_browser(
    capsys: pytest.CaptureFixture[str], datasets: dict[str, str], tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    status, _, err = _run(capsys, "stats", datasets["d.parquet"], "--html", str(report))
    assert status == 0, err
    page = report.read_text(encoding="utf-8")
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    # One browser run: the DOM after parsing and layout, and a screenshot of the page.
    shot = tmp_path / "report.png"
    dumped = _browser(
        "--window-size=1000,1000", f"--screenshot={shot}", "--dump-dom", report.as_uri()
    )
    assert dumped.returncode == 0, dumped.stderr.decode()[-2000:]
    dom = lxml_html.fromstring(dumped.stdout)
    bars = dom.xpath('//svg[@id="chart-per-day"]//rect[@class="bar"]')
    per_day_site = Counter()
    for bar in bars:
        per_day_site[bar.get("data-day"), bar.get("data-site")] += int(bar.get("data-count"))
        assert float(bar.get("height")) > 0
    assert per_day_site == Counter(
        {
            ("2024-05-01", "a.example"): 2,
            ("2024-05-01", "b.example"): 2,
            ("2024-05-02", "a.example"): 2,
            ("2024-05-02", "c.example"): 1,
            ("2024-05-03", "b.example"): 1,
            ("2024-05-03", "c.example"): 1,
            ("(no date)", "a.example"): 1,
        }
    )
    totals = {t.get("data-day"): t.text for t in dom.xpath('//text[@class="total"]')}
    assert totals == {"2024-05-01": "4", "2024-05-02": "3", "2024-05-03": "2", "(no date)": "1"}
    coverage = {
        r.get("data-field"): r.get("data-coverage")
        for r in dom.xpath('//svg[@id="chart-coverage"]//rect[@class="coverage"]')
    }
    assert list(coverage) == list(FIELD_NAMES)
    assert coverage["image"] == "0.800" and coverage["text"] == "1.000"
    assert coverage["warc_record_id"] == "0.000"
    # Rendered, not only parsed: the screenshot shows the bars in the first site's colour and
    # the coverage bars in theirs.
    assert shot.is_file(), dumped.stderr.decode()[-2000:]
    width, channels, rows = _png_pixels(shot.read_bytes())
    colours = Counter(row[x : x + 3] for row in rows for x in range(0, width * channels, channels))
    assert colours[bytes.fromhex("0072B2")] > 500  # a.example's bars (first colour)
    assert colours[bytes.fromhex("009E73")] > 5000  # field coverage bars


def test_stats_html_into_an_unwritable_place_is_one_line(
    capsys: pytest.CaptureFixture[str], datasets: dict[str, str], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    status, out, err = _run(capsys, "stats", datasets["d.jsonl"], "--html", str(blocker / "r.html"))
    assert status == 2 and "per site" in out
    assert err.count("\n") == 1 and "cannot write" in err
