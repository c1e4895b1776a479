"""Dataset sinks end to end: the fixture crawl written to every sink at once and read back,
Parquet row groups and atomicity, database upserts, versions and concurrent writers.

Real parts only: the real CLI and Scrapy engine against the bundled newspaper on loopback, a
real PostgreSQL server started for the session (tests.servers), real files and databases.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from scraper.canonical import canonical_key, record_key
from scraper.dataset.readers import open_records
from scraper.localsite import LocalSite, ServedInBackground
from scraper.record import ArticleRecord, schema_errors, text_fingerprint
from scraper.sinks.atomic import AtomicFileFeedStorage
from scraper.sinks.fields import DATE_TIME_FIELDS, RECORD_FIELDS, utc_instant
from scraper.sinks.parquet import ParquetItemExporter
from scraper.state import SQLiteCrawlState
from tests.conftest import ARTICLE_PATHS, FAST, ROOT, jsonl, run_cli
from tests.servers import ServerUnavailable, fresh_postgres_database, shared_postgres

ROW_GROUP_SIZE = 4
FILE_SINKS = ("records.jsonl", "records.json", "records.csv", "records.parquet")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The test process's PostgreSQL server (tests.servers), started on first use."""
    try:
        return shared_postgres()
    except ServerUnavailable as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="module")
def fixture_crawl(
    newspaper: LocalSite, postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Every fixture article fetched once and written to every sink in the same run."""
    folder = tmp_path_factory.mktemp("sinks")
    sinks = {name: str(folder / name) for name in FILE_SINKS}
    sinks["sqlite"] = f"sqlite:///{folder / 'records.db'}"
    sinks["postgresql"] = fresh_postgres_database(postgres_url, "fixture_crawl")
    outputs = [arg for target in sinks.values() for arg in ("-o", target)]
    urls = [newspaper.url + path for path in ARTICLE_PATHS]
    result = run_cli(
        "get", *urls, *outputs, "-s", f"NEWSSCRAPE_PARQUET_ROW_GROUP_SIZE={ROW_GROUP_SIZE}", *FAST
    )
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    return sinks


def _dates_in_utc(record: dict[str, Any]) -> dict[str, Any]:
    """`record` with its dates as a Parquet file gives them back: the same instants, in UTC."""
    dates = {name: utc_instant(record[name]) for name in DATE_TIME_FIELDS}
    return {**record, **{name: d.isoformat() if d else None for name, d in dates.items()}}


def _records(source: str) -> dict[str, dict[str, Any]]:
    with open_records(source) as rows:
        read = list(rows)
    assert all(row.error is None for row in read), [row.error for row in read if row.error]
    return {str(row.record["canonical_url"]): row.record for row in read if row.record}


@pytest.mark.parametrize(
    "sink", ["records.json", "records.csv", "records.parquet", "sqlite", "postgresql"]
)
def test_every_sink_round_trips_the_fixture_crawl(fixture_crawl: dict[str, str], sink: str) -> None:
    expected = _records(fixture_crawl["records.jsonl"])
    assert len(expected) >= len(ARTICLE_PATHS) - 2  # a few fixture pages share a canonical URL
    got = _records(fixture_crawl[sink])
    assert got.keys() == expected.keys()
    if sink.endswith(".parquet"):
        # Parquet keeps the dates as instants (timestamp, UTC): the same moments, said in UTC.
        expected = {key: _dates_in_utc(record) for key, record in expected.items()}
    for key, record in expected.items():
        assert got[key] == record, key
        for name, value in record.items():
            # Equal is not enough: 1 == True and [] == [] hide type drift; check the type too.
            assert type(got[key][name]) is type(value), (key, name, got[key][name])
        assert schema_errors(got[key]) == []
    assert any(record["image"] is None or record["language"] is None for record in got.values())
    assert all(isinstance(record["provenance"], dict) for record in got.values())


def test_parquet_is_typed_and_written_in_row_groups(fixture_crawl: dict[str, str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(fixture_crawl["records.parquet"])
    schema = parquet.schema_arrow
    assert schema.names == [field.name for field in RECORD_FIELDS]
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("word_count").type == pa.int64()
    assert schema.field("status").type == pa.int64() and schema.field("status").nullable
    assert schema.field("paywalled").type == pa.bool_()
    assert schema.field("provenance").type == pa.map_(pa.string(), pa.string())
    assert not schema.field("text").nullable
    for name in DATE_TIME_FIELDS:
        assert schema.field(name).type == pa.timestamp("us", tz="UTC"), name
    rows = parquet.metadata.num_rows
    assert parquet.num_row_groups == math.ceil(rows / ROW_GROUP_SIZE) > 1
    leftovers = list(Path(fixture_crawl["records.parquet"]).parent.glob(".*.part"))
    assert leftovers == []


def test_parquet_dates_are_timestamps_that_readers_take_as_instants(
    fixture_crawl: dict[str, str],
) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(fixture_crawl["records.parquet"])
    from_json = {r["canonical_url"]: r for r in _records(fixture_crawl["records.jsonl"]).values()}
    rows = {row["canonical_url"]: row for row in table.to_pylist()}
    dated = 0
    for key, row in rows.items():
        for name in DATE_TIME_FIELDS:
            value, text = row[name], from_json[key][name]
            assert value == utc_instant(text), (key, name)  # aware datetimes, compared as moments
            if value is not None:
                assert value.utcoffset() == timedelta(0)
                dated += 1
    assert dated >= len(rows)  # every record has fetched_at, most a published date
    # The date-only published of the 2009 archive page is its midnight, UTC.
    assert any(row["published"] == datetime(2009, 7, 15, tzinfo=UTC) for row in rows.values())
    # newsscrape's own readers: stats and validate read the Parquet file as before.
    for command in ("stats", "validate"):
        result = run_cli(command, fixture_crawl["records.parquet"])
        assert result.returncode == 0, result.stderr.decode()
    stats = run_cli("stats", fixture_crawl["records.parquet"]).stdout.decode()
    assert "2024-09-12" in stats and "(no date)" not in stats.split("per day")[1].split("\n\n")[0]


def test_csv_cells_keep_lists_whole(fixture_crawl: dict[str, str]) -> None:
    import csv

    with open(fixture_crawl["records.csv"], encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with_authors = [row for row in rows if row["authors"] != "[]"]
    assert with_authors and all(json.loads(row["authors"]) for row in with_authors)
    assert {row["paywalled"] for row in rows} <= {"true", "false"}


_KILLED_WRITER = """
import os, signal, sys
from scraper.sinks.atomic import AtomicFileFeedStorage
from scraper.sinks.parquet import ParquetItemExporter
records = [__import__("json").loads(line) for line in open(sys.argv[2], encoding="utf-8")]
storage = AtomicFileFeedStorage(sys.argv[1], feed_options={"format": "parquet"})
exporter = ParquetItemExporter(storage.open(None), row_group_size=2)
exporter.start_exporting()
for record in records * 3:
    exporter.export_item(record)
sys.stdout.write("row groups written: %d\\n" % exporter.row_groups)
sys.stdout.flush()
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_killed_parquet_writer_leaves_no_partial_file(
    fixture_crawl: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "out.parquet"
    source = fixture_crawl["records.jsonl"]
    command = [sys.executable, "-c", textwrap.dedent(_KILLED_WRITER), str(target), source]
    killed = subprocess.run(command, capture_output=True, cwd=ROOT, check=False)
    assert killed.returncode == -signal.SIGKILL
    assert b"row groups written: " in killed.stdout and b"written: 0" not in killed.stdout
    assert not target.exists()
    partial = list(tmp_path.glob(".out.parquet.*.part"))
    assert len(partial) == 1 and partial[0].stat().st_size > 0  # it was writing, elsewhere
    records = jsonl(Path(source).read_bytes())
    storage = AtomicFileFeedStorage(str(target), feed_options={"format": "parquet"})
    exporter = ParquetItemExporter(storage.open(None), row_group_size=2)
    exporter.start_exporting()
    for record in records:
        exporter.export_item(record)
    assert not target.exists()  # still writing: nothing at the target path yet
    exporter.finish_exporting()
    storage.store(exporter.file)
    assert _records_list(str(target)) == [_dates_in_utc(record) for record in records]
    assert list(tmp_path.glob(".out.parquet.*.part")) == partial  # only the killed one's


def _records_list(source: str) -> list[dict[str, Any]]:
    with open_records(source) as rows:
        return [row.record for row in rows if row.record is not None]


def _changed(record: dict[str, Any], text: str) -> dict[str, Any]:
    changed = dict(record, text=text, fingerprint=text_fingerprint(text))
    changed["word_count"] = len(text.split())
    return changed


def _writer(uri: str) -> Any:
    from scraper.sinks.postgres import PostgresRecordWriter
    from scraper.sinks.sqlite import SqliteRecordWriter, sqlite_path

    if uri.startswith("sqlite:"):
        return SqliteRecordWriter(sqlite_path(uri))
    return PostgresRecordWriter(uri)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_upsert_keeps_earlier_versions_of_changed_articles(
    fixture_crawl: dict[str, str], postgres_url: str, tmp_path: Path, database: str
) -> None:
    records = jsonl(Path(fixture_crawl["records.jsonl"]).read_bytes())
    uri = (
        f"sqlite:///{tmp_path / 'v.db'}"
        if database == "sqlite"
        else fresh_postgres_database(postgres_url, "versions_test")
    )
    writer = _writer(uri)
    try:
        assert [writer.write(r) for r in records] == ["inserted"] * len(records)
        assert writer.write(records[0]) == "unchanged"
        assert writer.write(_changed(records[0], "A corrected story.")) == "changed"
        assert writer.write(_changed(records[0], "A second correction.")) == "changed"
        versions = list(writer.rows("versions"))
    finally:
        writer.close()
    current = _records_list(uri)
    assert len(current) == len(records)
    assert current[0]["text"] == "A second correction." and current[1] == records[1]
    assert [v["text"] for _, v in versions] == [records[0]["text"], "A corrected story."]
    assert all(v["canonical_url"] == records[0]["canonical_url"] for _, v in versions)


_CONCURRENT_WRITER = """
import json, random, sys, time
from pathlib import Path
from tests.test_sinks import _changed, _writer
uri, name, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
base = json.loads(sys.argv[4])
records = [
    _changed(dict(base, canonical_url=f"https://wire.example/story/{i}"), f"Story {i} as told by {name}.")
    for i in range(int(sys.argv[5]))
]
random.Random(name).shuffle(records)
writer = _writer(uri)
(go.parent / f"ready-{name}").touch()
while not go.exists():
    time.sleep(0.005)
outcomes = [writer.write(record) for record in records]
writer.close()
print(json.dumps({o: outcomes.count(o) for o in set(outcomes)}))
"""


def _race(uri: str, base: dict[str, Any], stories: int) -> list[dict[str, int]]:
    """Two writer processes storing the same stories, different texts, at the same moment."""
    go = Path(tempfile.mkdtemp()) / "go"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    script = textwrap.dedent(_CONCURRENT_WRITER)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", script, uri, name, str(go), json.dumps(base), str(stories)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in ("agency-a", "agency-b")
    ]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not all(
        (go.parent / f"ready-{name}").exists() for name in ("agency-a", "agency-b")
    ):
        time.sleep(0.05)
    go.touch()
    outputs = [writer.communicate(timeout=120) for writer in writers]
    for writer, (_, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err.decode()[-2000:]
    return [json.loads(out) for out, _ in outputs]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_concurrent_writers_store_each_article_once(
    fixture_crawl: dict[str, str], postgres_url: str, tmp_path: Path, database: str
) -> None:
    stories = 150
    base = jsonl(Path(fixture_crawl["records.jsonl"]).read_bytes())[0]
    uri = (
        f"sqlite:///{tmp_path / 'c.db'}"
        if database == "sqlite"
        else fresh_postgres_database(postgres_url, "concurrent_test")
    )
    _writer(uri).close()  # the tables exist before the race; the race is over the rows
    outcomes = _race(uri, base, stories)
    # Every story was inserted by exactly one writer and changed by the other.
    assert sum(o.get("inserted", 0) for o in outcomes) == stories
    assert sum(o.get("changed", 0) for o in outcomes) == stories
    current = _records_list(uri)
    assert len(current) == len({r["canonical_url"] for r in current}) == stories
    writer = _writer(uri)
    try:
        versions = list(writer.rows("versions"))
    finally:
        writer.close()
    assert len(versions) == stories
    for record in current:
        (old,) = [v for _, v in versions if v["canonical_url"] == record["canonical_url"]]
        tellers = {old["text"].split(" as told by ")[1], record["text"].split(" as told by ")[1]}
        assert tellers == {"agency-a.", "agency-b."}


def test_unusable_database_outputs_are_one_line_errors(
    newspaper: LocalSite, tmp_path: Path, closed_port: int
) -> None:
    from scraper.commands.exit_status import UsageError
    from scraper.commands.outputs import feeds_for

    closed = f"postgresql://postgres:secret@127.0.0.1:{closed_port}/nothing"
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    for output in (closed, f"sqlite:///{not_a_dir}/inside.db", "sqlite:///"):
        with pytest.raises(UsageError) as refused:
            feeds_for([output], None)
        assert "\n" not in str(refused.value) and "secret" not in str(refused.value)
    # The same refusal through the real command: one line, exit 2, nothing crawled.
    result = run_cli("get", newspaper.url + ARTICLE_PATHS[0], "-o", closed, *FAST)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert stderr.count("\n") == 1 and "cannot connect" in stderr and "Traceback" not in stderr


def test_scrapy_users_write_databases_through_feeds(
    newspaper: LocalSite, fixture_crawl: dict[str, str], tmp_path: Path
) -> None:
    # Into the database the fixture crawl filled: a second crawl upserts, it does not duplicate.
    sqlite_uri = fixture_crawl["sqlite"]
    before = _records(sqlite_uri)
    parquet = tmp_path / "scrapy.parquet"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "article", "-a",
         f"url={newspaper.url}{ARTICLE_PATHS[0]}", "-o", f"{sqlite_uri}:database",
         "-o", str(parquet), *FAST],
        capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert "Stored database feed (1 items)" in result.stderr.decode()
    after = _records(sqlite_uri)
    (written,) = _records_list(str(parquet))
    assert after.keys() == before.keys() and written["canonical_url"] in after
    assert _dates_in_utc(after[written["canonical_url"]]) == written
    with sqlite3.connect(sqlite_uri.removeprefix("sqlite:///")) as connection:
        assert connection.execute("SELECT count(*) FROM versions").fetchone() == (0,)


def test_a_database_password_is_never_logged(
    newspaper: LocalSite, postgres_url: str, tmp_path: Path
) -> None:
    # The test server trusts loopback, so any password connects; none may reach the log.
    database = fresh_postgres_database(postgres_url, "password_in_log")
    with_password = database.replace("postgres@", "postgres:s3cret-pw@", 1)
    assert "s3cret-pw" in with_password
    result = run_cli("get", newspaper.url + ARTICLE_PATHS[0], "-o", with_password, "-v", *FAST)
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr[-3000:]
    assert "Stored database feed (1 items)" in stderr
    assert "s3cret-pw" not in stderr
    assert "postgres:***@" in stderr
    # Reading it back: the report names the database, not its password.
    for command in ("stats", "validate"):
        read = run_cli(command, with_password)
        assert read.returncode == 0, read.stderr.decode()
        assert "s3cret-pw" not in (read.stdout + read.stderr).decode()
    assert "postgres:***@" in run_cli("stats", with_password).stdout.decode()


# --- One article, one key: the same article under its variant URLs is one row in every sink.

_PARAGRAPHS = [
    "The harbour authority approved the new ferry terminal on Tuesday after a two-year review "
    "that drew more than four hundred public comments from residents and businesses.",
    "Construction is to start in the autumn and the terminal should open in 2026, the "
    "authority said, with room for two ferries at once and a covered waiting hall.",
    "Fishermen who use the old pier said they welcomed the plan but asked for a separate "
    "landing so that their catch is not held up by passenger traffic in the summer.",
]
_CORRECTION = "Correction: an earlier version of this article gave the wrong opening year."
# What each copy of the article names as its canonical URL: one article, five spellings
# (tracking parameters, www., http, AMP copies, a fragment and the default port).
_CANONICAL_CLAIMS = [
    "https://paper.example/2024/05/02/ferry-terminal/",
    "http://www.paper.example/2024/05/02/ferry-terminal/?utm_source=newsletter&utm_medium=email",
    "https://amp.paper.example/2024/05/02/ferry-terminal/",
    "https://paper.example/2024/05/02/ferry-terminal/amp/",
    "HTTP://WWW.PAPER.EXAMPLE:80/2024/05/02/ferry-terminal/#comments",
]


class _VariantsHandler(BaseHTTPRequestHandler):
    """`/copy-K/2024/05/02/ferry-terminal/`: the article, naming claim K as its canonical URL."""

    server: _VariantsServer

    def do_GET(self) -> None:
        parts = self.path.strip("/").split("/")
        if not parts[0].startswith("copy-"):
            self.send_error(404)
            return
        claim = _CANONICAL_CLAIMS[int(parts[0].removeprefix("copy-"))]
        paragraphs = [*_PARAGRAPHS, *([_CORRECTION] if self.server.corrected else [])]
        body = (
            '<html lang="en"><head><title>Ferry terminal approved</title>'
            f'<link rel="canonical" href="{html.escape(claim)}">'
            '<meta name="author" content="Ana Alvarez">'
            '<meta property="article:published_time" content="2024-05-02T09:30:00+02:00">'
            "</head><body><article><h1>Ferry terminal approved</h1>"
            + "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
            + "</article></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _VariantsServer(ThreadingHTTPServer):
    daemon_threads = True
    corrected = False


def _rows(source: str) -> list[dict[str, Any]]:
    with open_records(source) as rows:
        return [row.record for row in rows if row.record is not None]


def test_one_article_under_its_variant_urls_is_one_row_everywhere(
    postgres_url: str, tmp_path: Path
) -> None:
    """Every stage (state, de-duplication, near-duplicates) and every sink key the article by
    `record_key`: a first run meeting all five copies writes one row; a re-run meeting a copy
    that names another spelling, with a corrected text, is a new version of the same row."""
    sinks = {
        "jsonl": str(tmp_path / "out.jsonl"),  # with --state: the durable, appended output
        "csv": str(tmp_path / "out.csv"),
        "parquet": str(tmp_path / "out.parquet"),
        "sqlite": f"sqlite:///{tmp_path / 'out.db'}",
        "postgresql": fresh_postgres_database(postgres_url, "article_key"),
    }
    remembered = [
        *("--state", str(tmp_path / "state.sqlite3")),
        *("--dedup-state", str(tmp_path / "seen.sqlite3")),
    ]
    outputs = [arg for target in sinks.values() for arg in ("-o", target)]
    server = _VariantsServer(("127.0.0.1", 0), _VariantsHandler)
    with ServedInBackground(server):
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        urls = [f"{origin}/copy-{k}/2024/05/02/ferry-terminal/" for k in range(5)]
        first = run_cli("get", *urls, *remembered, *outputs, *FAST)
        assert first.returncode == 0, first.stderr.decode()[-3000:]
        rows = {name: _rows(target) for name, target in sinks.items()}
        assert {name: len(found) for name, found in rows.items()} == dict.fromkeys(sinks, 1)
        (written,) = rows["jsonl"]
        key = record_key(written)
        assert key == "https://paper.example/2024/05/02/ferry-terminal/"

        # The re-run meets a copy naming another spelling of the canonical URL.
        other = next(
            k for k, claim in enumerate(_CANONICAL_CLAIMS) if claim != written["canonical_url"]
        )
        server.corrected = True
        second = run_cli("get", urls[other], *remembered, *outputs, *FAST)
    assert second.returncode == 0, second.stderr.decode()[-3000:]
    rows = {name: _rows(target) for name, target in sinks.items()}
    # The JSON Lines output keeps every version written; the others hold the article once.
    assert [record_key(r) for r in rows.pop("jsonl")] == [key, key]
    for name, found in rows.items():
        assert [(record_key(r), _CORRECTION in r["text"]) for r in found] == [(key, True)], name
        # A new version of the same article, not a near-duplicate copy of its first version.
        assert found[0]["duplicate_of"] is None and found[0]["cluster_id"] == written["cluster_id"]
    with sqlite3.connect(tmp_path / "out.db") as database:
        assert database.execute("SELECT COUNT(*) FROM versions").fetchone() == (1,)
        (stored_at,) = database.execute("SELECT stored_at FROM articles").fetchone()
    state = SQLiteCrawlState(tmp_path / "state.sqlite3")
    article = state.article(key)
    state.close()
    assert article is not None and article.version == 2
    # One time-stamp format in every record and table.
    for moment in (written["fetched_at"], stored_at, article.first_seen, article.emitted_at):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", str(moment)), moment


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_table_keyed_by_raw_urls_is_re_keyed_once(
    database: str, postgres_url: str, tmp_path: Path
) -> None:
    """A table written when rows were keyed by the canonical URL as the page gave it: opening
    it for writing gives every row its article key; two rows of one article become one row,
    the one stored last, and the other goes to `versions`."""
    uri = (
        f"sqlite:///{tmp_path / 'old.db'}"
        if database == "sqlite"
        else fresh_postgres_database(postgres_url, "re_key")
    )
    spellings = _CANONICAL_CLAIMS[1], _CANONICAL_CLAIMS[2]
    old = _writer(uri)
    for number, spelling in enumerate(spellings):
        record = _minimal_record(spelling, f"Version {number} of the ferry story.")
        old.write(record)
        # As an earlier release keyed it: the canonical URL as given.
        mark = old.placeholder
        old.begin()
        old.execute(
            f'UPDATE articles SET "key" = {mark} WHERE canonical_url = {mark}', (spelling, spelling)
        )
        old.commit()
    old.begin()
    old.execute("DELETE FROM newsscrape_meta")
    old.commit()
    old.close()

    reopened = _writer(uri)
    rows = reopened.execute('SELECT "key", canonical_url FROM articles').fetchall()
    versions = reopened.execute('SELECT "key", canonical_url FROM versions').fetchall()
    reopened.close()
    key = canonical_key(_CANONICAL_CLAIMS[0])
    assert [tuple(row) for row in rows] == [(key, spellings[1])]
    assert [tuple(row) for row in versions] == [(key, spellings[0])]


def _minimal_record(canonical_url: str, text: str) -> dict[str, Any]:
    return ArticleRecord(
        url=canonical_url,
        canonical_url=canonical_url,
        domain="paper.example",
        site_name=None,
        title="Ferry terminal approved",
        description=None,
        authors=[],
        published=None,
        modified=None,
        language="en",
        categories=[],
        tags=[],
        image=None,
        image_caption=None,
        text=text,
        word_count=len(text.split()),
        fingerprint=text_fingerprint(text),
        paywalled=False,
    ).to_dict()
