"""Shared fixtures: the bundled newspaper served on a free loopback port, and its pages."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from scraper.localsite import LocalSite

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "fixtures" / "site"
CHECKS = json.loads((ROOT / "fixtures" / "checks.json").read_text(encoding="utf-8"))
ARTICLE_PATHS = sorted(path for path, check in CHECKS.items() if check.get("article"))
OTHER_PATHS = sorted(path for path, check in CHECKS.items() if not check.get("article"))
# Loopback needs no politeness delay; every test run says so explicitly. Extraction runs on
# the reactor thread here (a worker pool per CLI run costs a second of start-up); the pool's
# own end-to-end tests are in tests/test_pool.py.
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "NEWSSCRAPE_WORKERS=0"]


@pytest.fixture(scope="session")
def newspaper() -> Generator[LocalSite]:
    """The bundled newspaper site, served on 127.0.0.1 for the whole test session."""
    with LocalSite(SITE) as site:
        yield site


@pytest.fixture
def closed_port() -> Generator[int]:
    """A loopback port that refuses connections for the whole test: bound by this process and
    never listened on, so no other test's server can take it meanwhile."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


def run_cli(
    *args: str, stdin: bytes | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[bytes]:
    """Run the real `newsscrape` command in a subprocess (its own reactor, its own exit code)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "scraper.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=300,
        check=False,
    )


def run_python(script: str, *args: str) -> Any:
    """Run a Python snippet in a fresh process (its own reactor, its own logging) from the
    project's root, and read the JSON on the last line it prints; the snippet must succeed."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def jsonl(data: bytes) -> list[dict[str, Any]]:
    """Records from JSON Lines output."""
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def crawled(newspaper: LocalSite) -> dict[str, dict[str, Any]]:
    """Every fixture page fetched once through `newsscrape get --articles-only` (a crawl's
    rule: other pages give no record), records keyed by path."""
    urls = [newspaper.url + path for path in [*ARTICLE_PATHS, *OTHER_PATHS]]
    result = run_cli("get", *urls, "--articles-only", *FAST)
    records = jsonl(result.stdout)
    by_path = {}
    for record in records:
        by_path[record["url"].removeprefix(newspaper.url)] = record
    by_path["__stderr__"] = {
        "text": result.stderr.decode("utf-8", "replace"),
        "status": result.returncode,
    }
    return by_path


@pytest.fixture(scope="session")
def default_crawl(
    newspaper: LocalSite, tmp_path_factory: pytest.TempPathFactory
) -> subprocess.CompletedProcess[bytes]:
    """`newsscrape crawl` of the bundled newspaper as a newcomer runs it (default depth, its
    dead links and all), without a state; records on stdout."""
    folder = tmp_path_factory.mktemp("default-crawl")
    return run_cli("crawl", newspaper.url + "/", "--no-state", *FAST, cwd=folder)
