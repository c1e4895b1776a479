"""Sink throughput and memory: 100,000 generated records written to each sink.

Each sink runs in a fresh subprocess (so one sink's memory never counts against another) that
generates the records as it goes and writes them; it reports wall time and its peak resident
memory (ru_maxrss). The baseline, measured in the same run, is a plain `json.dumps` loop to a
file; every sink is shown beside it as a ratio. The median of --repeat runs is reported.

    python benchmarks/sinks.py                    # 100,000 records, 3 runs per sink
    python benchmarks/sinks.py --records 20000 --repeat 1
    python benchmarks/sinks.py --postgres postgresql://user@127.0.0.1:5432/db

PostgreSQL is measured against --postgres, else against a throwaway local server when the
server binaries are installed (tests/servers.py), else skipped with a note. Parquet and SQLite
must stay under 300 MB peak (exit status 1 if not).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT_MB = 300
LIMITED = ("parquet", "sqlite")
SINKS = ["json.dumps loop", "jsonl", "csv", "parquet", "sqlite", "postgresql"]
WORDS = [
    *[
        "the",
        "minister",
        "said",
        "on",
        "tuesday",
        "that",
        "talks",
        "would",
        "continue",
        "after",
        "officials",
        "from",
        "both",
    ],
    *[
        "countries",
        "met",
        "in",
        "the",
        "capital",
        "to",
        "discuss",
        "security",
        "aid",
        "trade",
        "and",
        "the",
        "election",
    ],
]


def paragraph_pool(size: int = 400, seed: int = 7) -> list[str]:
    """News-like paragraphs (75 words each), made before timing starts."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(75)).capitalize() + "." for _ in range(size)]


def generated_records(count: int, pool: list[str]) -> Iterator[dict[str, Any]]:
    """Valid article records, news-sized (a ~450-word body), varied sites, days and fields;
    cheap to make, so the timing is the sink's."""
    for number in range(count):
        site = f"paper{number % 40}.example"
        day = f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}"
        paragraphs = [pool[(number * 7 + i * 13) % len(pool)] for i in range(6)]
        text = f"Story {number}. " + "\n\n".join(paragraphs)
        yield {
            "url": f"https://{site}/{day}/story-{number}",
            "canonical_url": f"https://{site}/{day}/story-{number}",
            "domain": site,
            "site_name": f"Paper {number % 40}",
            "title": f"Story number {number} about {WORDS[number % len(WORDS)]}",
            "description": paragraphs[0][:160],
            "authors": [f"Reporter {number % 97}"]
            + ([f"Writer {number % 13}"] if number % 3 else []),
            "published": f"{day}T{number % 24:02d}:15:00+00:00",
            "modified": None if number % 4 else f"{day}T23:00:00+00:00",
            "language": ("en", "es", "de", None)[number % 4],
            "categories": ["World"] if number % 2 else [],
            "tags": WORDS[: number % 4],
            "image": f"https://{site}/img/{number}.jpg" if number % 5 else None,
            "image_caption": "A caption." if number % 5 else None,
            "text": text,
            "word_count": 452,
            "fingerprint": hashlib.md5(text.encode()).hexdigest(),  # shape only, not the real hash
            "paywalled": number % 11 == 0,
            "fetched_at": "2024-12-01T10:00:00+00:00",
            "status": 200,
            "source": "sitemap",
            "crawl_id": "bench",
            "warc_record_id": None,
            "duplicate_of": None,
            "cluster_id": None,
            "extractor": "newsscrape 0.1.0",
            "provenance": {"title": "json-ld", "authors": "byline", "text": "trafilatura"},
            "schema_version": 1,
        }


def _write_with_exporter(exporter: Any, records: Iterator[dict[str, Any]]) -> None:
    exporter.start_exporting()
    for record in records:
        exporter.export_item(record)
    exporter.finish_exporting()


def run_worker(sink: str, count: int, folder: Path, postgres: str | None) -> dict[str, float]:
    """Write `count` records to one sink in this process; time and peak memory.
    Imports and the paragraph pool are made before the clock starts."""
    sys.path.insert(0, str(ROOT))
    from scrapy.exporters import JsonLinesItemExporter

    from scraper.sinks.atomic import AtomicFileFeedStorage
    from scraper.sinks.csvfile import CsvRecordExporter
    from scraper.sinks.parquet import ParquetItemExporter
    from scraper.sinks.postgres import PostgresRecordWriter
    from scraper.sinks.sqlite import SqliteRecordWriter

    records = generated_records(count, paragraph_pool())
    start = time.perf_counter()
    if sink == "json.dumps loop":
        with (folder / "baseline.jsonl").open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif sink in ("jsonl", "csv"):
        exporter_class = JsonLinesItemExporter if sink == "jsonl" else CsvRecordExporter
        with (folder / f"out.{sink}").open("wb") as stream:
            _write_with_exporter(exporter_class(stream, encoding="utf-8"), records)
    elif sink == "parquet":
        storage = AtomicFileFeedStorage(
            str(folder / "out.parquet"), feed_options={"format": "parquet"}
        )
        exporter = ParquetItemExporter(storage.open(None))
        _write_with_exporter(exporter, records)
        storage.store(exporter.file)
    elif sink in ("sqlite", "postgresql"):
        writer: Any = (
            SqliteRecordWriter(folder / "out.db")
            if sink == "sqlite"
            else PostgresRecordWriter(str(postgres))
        )
        for record in records:
            writer.write(record)
        writer.close()
    elif sink == "generate only":
        for _ in records:
            pass
    else:
        raise SystemExit(f"unknown sink {sink!r}")
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"seconds": seconds, "peak_mb": peak_mb}


def _measure(sink: str, count: int, postgres: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="newsscrape-bench-") as folder:
        command = [sys.executable, __file__, "--worker", sink, "--records", str(count)]
        command += ["--folder", folder] + (["--postgres", postgres] if postgres else [])
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{sink}: worker failed:\n{done.stderr[-3000:]}")
        result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
        return result


def _fresh_postgres(stack: ExitStack, given: str | None) -> tuple[str | None, str]:
    if given:
        return given, "given"
    sys.path.insert(0, str(ROOT))
    try:
        from tests.servers import ServerUnavailable, postgres_server
    except ImportError:
        return None, "tests/servers.py not found"
    try:
        return stack.enter_context(postgres_server()), "throwaway local server"
    except ServerUnavailable as missing:
        return None, str(missing)


def _reset_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS articles, versions")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per sink (median shown)")
    parser.add_argument("--sinks", default=",".join(SINKS), help="comma-separated subset")
    parser.add_argument("--postgres", help="a PostgreSQL URI to measure against")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_worker(args.worker, args.records, Path(args.folder), args.postgres)))
        return 0

    chosen = [s for s in args.sinks.split(",") if s]
    print(
        f"{args.records:,} generated records per sink, median of {args.repeat} run(s), "
        f"each run in a fresh process; baseline: json.dumps loop to a file (same run)\n"
    )
    results: dict[str, dict[str, float]] = {}
    notes: list[str] = []
    with ExitStack() as stack:
        postgres = None
        if "postgresql" in chosen:
            postgres, how = _fresh_postgres(stack, args.postgres)
            if postgres is None:
                chosen.remove("postgresql")
                notes.append(f"postgresql skipped: {how}")
            else:
                notes.append(f"postgresql: {how}")
        for sink in ["generate only", *chosen]:
            runs = []
            for _ in range(args.repeat):
                if sink == "postgresql" and postgres:
                    _reset_postgres(postgres)
                runs.append(_measure(sink, args.records, postgres))
            results[sink] = {
                "seconds": statistics.median(r["seconds"] for r in runs),
                "peak_mb": statistics.median(r["peak_mb"] for r in runs),
            }
            print(f"  measured {sink}", file=sys.stderr)

    baseline = results.get("json.dumps loop")
    header = f"{'sink':<18}{'records/s':>12}{'× baseline':>12}{'peak MB':>10}{'× baseline':>12}"
    print(header)
    print("-" * len(header))
    failed = False
    for sink, result in results.items():
        rate = args.records / result["seconds"]
        speed = f"{rate / (args.records / baseline['seconds']):.2f}" if baseline else "-"
        memory = f"{result['peak_mb'] / baseline['peak_mb']:.2f}" if baseline else "-"
        flag = ""
        if sink in LIMITED:
            over = result["peak_mb"] >= MEMORY_LIMIT_MB
            failed |= over
            flag = f"  {'OVER' if over else 'under'} {MEMORY_LIMIT_MB} MB"
        print(f"{sink:<18}{rate:>12,.0f}{speed:>12}{result['peak_mb']:>10.0f}{memory:>12}{flag}")
    for note in notes:
        print(f"\n{note}")
    print(
        "\n'generate only' is the cost of making the records, included in every row; "
        "records/s counts generation plus writing."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    sys.exit(main())
