"""Scrapy users run the project's spiders with `scrapy crawl` from the project folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from scraper.localsite import LocalSite
from tests.conftest import ARTICLE_PATHS, FAST, ROOT, jsonl


def _scrapy(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )


def test_scrapy_crawl_article(newspaper: LocalSite, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = _scrapy(
        "crawl", "article", "-a", f"url={newspaper.url}{ARTICLE_PATHS[0]}", "-O", str(out), *FAST
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    records = jsonl(out.read_bytes())
    assert [r["url"] for r in records] == [newspaper.url + ARTICLE_PATHS[0]]


def test_scrapy_crawl_sitemap_finds_every_article(newspaper: LocalSite, tmp_path: Path) -> None:
    out = tmp_path / "site.jsonl"
    result = _scrapy("crawl", "sitemap", "-a", f"url={newspaper.url}/", "-O", str(out), *FAST)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    paths = {r["url"].removeprefix(newspaper.url) for r in jsonl(out.read_bytes())}
    assert paths == set(ARTICLE_PATHS)


def test_the_stages_are_declared_once() -> None:
    """Scrapy's ITEM_PIPELINES and the offline chain of `newsscrape extract` both come from
    pipelines.stages, in the same order."""
    from pipelines.stages import STAGES, OfflineChain
    from scraper.runner import project_settings

    in_order = sorted(STAGES, key=lambda stage: stage.order)
    pipelines = project_settings().getdict("ITEM_PIPELINES")
    assert sorted(pipelines, key=pipelines.__getitem__) == [
        stage.path for stage in in_order if not stage.distributed
    ]
    chain = OfflineChain(project_settings({"NEWSSCRAPE_WORKERS": 0}))
    try:
        built = [f"{type(stage).__module__}.{type(stage).__name__}" for stage in chain.stages]
    finally:
        chain.close()
    assert built == [stage.path for stage in in_order if stage.offline]
    assert built[0] == "pipelines.extract.ExtractPipeline" and len(built) == 5
