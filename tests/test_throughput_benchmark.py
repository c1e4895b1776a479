"""benchmarks/throughput.py's CPU accounting: every process of a command is counted."""

from __future__ import annotations

from pathlib import Path

from benchmarks.throughput import cpu_breakdown, extract_files
from scraper.localsite import resolve_path
from tests.conftest import ARTICLE_PATHS, SITE


def test_the_workers_server_is_counted_in_the_cpu_a_page(tmp_path: Path) -> None:
    """The workers are forked from a server that imports the extraction modules first: its
    CPU (that preload) is in no worker's figures, so it has a row of its own, in the total."""
    files = [resolve_path(SITE, path) for path in ARTICLE_PATHS[:3]]
    assert None not in files
    result = extract_files([file for file in files if file], tmp_path / "out.jsonl", workers=1)
    assert result.status == 0
    assert result.memory.cpu_of("forkserver"), "the workers' server was not seen"
    split = cpu_breakdown(result, len(files))
    assert split.workers_server_ms > 0
    assert split.total_ms == (
        split.crawl_ms + split.workers_ms + split.server_ms + split.workers_server_ms
    )
