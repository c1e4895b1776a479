"""Scrapy users run the project's spiders with `scrapy crawl` from the project folder."""

from __future__ import annotations

import importlib.util
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


def test_the_spider_loader_names_every_project_spider() -> None:
    """The spiders that scraper/spider_loader.py loads alone are those Scrapy's own loader
    finds in spiders/, by the same names."""
    from scrapy.spiderloader import SpiderLoader

    from scraper.runner import project_settings
    from scraper.spider_loader import PROJECT_SPIDERS, NamedSpiderLoader

    settings = project_settings()
    scrapy_loader = SpiderLoader.from_settings(settings)
    ours = NamedSpiderLoader.from_settings(settings)
    assert sorted(PROJECT_SPIDERS) == sorted(scrapy_loader.list()) == sorted(ours.list())
    for name in PROJECT_SPIDERS:
        assert ours.load(name) is scrapy_loader.load(name)


def test_a_get_crawl_imports_only_what_it_runs() -> None:
    """Building `get`'s crawl (the article spider, its extensions, its -s values checked)
    imports neither the other spiders nor the extensions that are off (Spidermon, Scrapy's
    remote control with aiohttp) nor scrapy-redis; turned on, the extensions are there."""
    code = """
import sys
from scrapy.crawler import CrawlerProcess
from scrapy.extension import ExtensionManager
from scraper.commands.checks import checked_setting_pairs
from scraper.runner import project_settings
checked_setting_pairs(["ROBOTSTXT_OBEY=False", "DOWNLOAD_DELAY=0"])
settings = project_settings({"ROBOTSTXT_OBEY": False})
CrawlerProcess(settings).create_crawler("article")
extensions = ExtensionManager._get_mwlist_from_settings(settings)
print(" ".join(extensions))
print(" ".join(name for name in ("spiders.newspaper", "spiders.distributed", "scrapy_redis",
      "spidermon", "aiohttp") if name in sys.modules))
on = project_settings({"SPIDERMON_ENABLED": True, "REMOTE_CONTROL_ENABLED": True})
print(" ".join(ExtensionManager._get_mwlist_from_settings(on)))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, cwd=ROOT, text=True, check=True
    )
    extensions, imported, enabled = done.stdout.splitlines()
    assert "scrapy.extensions.corestats.CoreStats" in extensions.split()
    assert "RemoteControl" not in extensions and "Spidermon" not in extensions
    assert imported == ""
    assert "scrapy.extensions.remote_control.RemoteControl" in enabled.split()
    if importlib.util.find_spec("spidermon") is not None:  # the `spidermon` extra
        assert "spidermon.contrib.scrapy.extensions.Spidermon" in enabled.split()
