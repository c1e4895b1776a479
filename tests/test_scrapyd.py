"""Scheduled crawls through a real Scrapyd: deploy the project as an egg, schedule the
`newspaper` spider over its HTTP API three times with one crawl state, check the records.

Scrapyd (the `scrapyd` package, in the `test` extra) runs on a free loopback port with its
config, eggs, logs and databases in a temporary folder. The egg is built the way
`scrapyd-deploy` builds it: a setup.py naming the `scrapy` settings entry point.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from scraper.canonical import canonical_key
from scraper.localsite import LocalSite
from tests.conftest import ROOT, jsonl
from tests.generated_site import build_site
from tests.servers import PortTaken, start_on_free_port

ARTICLES = 12
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
PROJECT = "newsscrape"
SETUP_PY = """\
from setuptools import find_namespace_packages, setup

setup(
    name="newsscrape",
    version={version!r},
    packages=find_namespace_packages(include={include!r}),
    package_data={package_data!r},
    entry_points={{"scrapy": ["settings = scraper.settings"]}},
    zip_safe=False,
)
"""


def build_egg(workdir: Path) -> Path:
    """The project as a Scrapy egg (what `scrapyd-deploy` uploads)."""
    source = workdir / "source"
    for package in ("scraper", "spiders", "pipelines"):
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # The same packages and data as the wheel (pyproject.toml's find and package-data).
    setuptools_config = project["tool"]["setuptools"]
    include = setuptools_config["packages"]["find"]["include"]
    # pyproject.toml says "*" for every package where setup.py says "".
    package_data = {
        ("" if name == "*" else name): patterns
        for name, patterns in setuptools_config.get("package-data", {}).items()
    }
    version = project["project"]["version"]
    (source / "setup.py").write_text(
        SETUP_PY.format(version=version, include=include, package_data=package_data)
    )
    subprocess.run(
        [sys.executable, "setup.py", "-q", "bdist_egg", "--dist-dir", str(workdir / "dist")],
        cwd=source,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    (egg,) = (workdir / "dist").glob("*.egg")
    return egg


def api(
    base: str,
    endpoint: str,
    data: dict[str, Any] | list[tuple[str, str]] | None = None,
    files: bytes | None = None,
) -> dict[str, Any]:
    """Call a Scrapyd JSON endpoint (GET, form POST, or multipart POST with an egg)."""
    url = f"{base}/{endpoint}"
    if files is not None:
        boundary = "----newsscrape-test"
        parts = []
        for name, value in (data or {}).items() if isinstance(data, dict) else data or []:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="project.egg"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + files
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        request = urllib.request.Request(
            url, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
    elif data is not None:
        request = urllib.request.Request(url, urllib.parse.urlencode(data).encode())
    else:
        request = urllib.request.Request(url)
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, Any] = json.loads(response.read())
    assert answer.get("status") == "ok", answer
    return answer


@dataclass
class Scrapyd:
    """A running Scrapyd: its API's base URL and its folder (config, eggs, logs)."""

    base: str
    home: Path

    def job_log(self, job: str) -> str:
        """The crawl log Scrapyd kept for a job (empty if none)."""
        logs = list((self.home / "logs").rglob(f"{job}.log"))
        return logs[0].read_text(encoding="utf-8", errors="replace") if logs else ""


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Generator[Scrapyd]:
    """A real Scrapyd on a free loopback port (Scrapyd cannot listen on port 0: see
    tests.servers.start_on_free_port)."""
    if shutil.which("scrapyd", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("scrapyd is not installed: pip install -e '.[test]'")
    home = tmp_path_factory.mktemp("scrapyd")
    # daemonstatus.json names the node: an answer naming this one is this Scrapyd's.
    node = f"newsscrape-test-{uuid.uuid4().hex[:8]}"

    def start(port: int) -> tuple[subprocess.Popen[bytes], str]:
        (home / "scrapyd.conf").write_text(
            "[scrapyd]\n"
            f"bind_address = 127.0.0.1\nhttp_port = {port}\nnode_name = {node}\n"
            f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
            "items_dir =\njobs_dir =\npoll_interval = 0.2\nmax_proc = 2\n"
        )
        with (home / "scrapyd.log").open("wb") as log:
            env = {**os.environ, "PYTHONWARNINGS": "ignore"}
            process = subprocess.Popen(
                [str(Path(sys.executable).parent / "scrapyd")],
                cwd=home,
                stdout=log,
                stderr=log,
                env=env,
            )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                answer: dict[str, Any] | None = api(base, "daemonstatus.json")
            except Exception:  # not listening yet (or not a Scrapyd: see below)
                answer = None
            if answer is not None and answer.get("node_name") == node:
                return process, base
            if answer is not None or process.poll() is not None:
                # Another Scrapyd answers, or ours exited: the port was taken before ours bound it.
                process.terminate()
                process.wait(timeout=30)
                text = (home / "scrapyd.log").read_text(errors="replace")
                if answer is not None or "Address already in use" in text:
                    raise PortTaken(f"port {port} is another server's")
                raise AssertionError(text[-3000:])
            if time.monotonic() > deadline:
                raise AssertionError((home / "scrapyd.log").read_text()[-3000:])
            time.sleep(0.1)

    process, base = start_on_free_port(start)
    try:
        yield Scrapyd(base, home)
    finally:
        process.terminate()
        process.wait(timeout=30)


def run_job(
    scrapyd: Scrapyd, origin: str, work: Path, name: str
) -> tuple[list[dict[str, Any]], str]:
    """Schedule one crawl through schedule.json, wait for it in listjobs.json."""
    output = work / f"{name}.jsonl"
    settings = {
        "NEWSSCRAPE_STATE": str(work / "state.sqlite3"),
        "NEWSSCRAPE_JSONL_OUTPUT": str(output),
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
        "NEWSSCRAPE_WORKERS": "0",
    }
    form = [("project", PROJECT), ("spider", "newspaper"), ("url", origin + "/")]
    form += [("setting", f"{key}={value}") for key, value in settings.items()]
    base = scrapyd.base
    job = api(base, "schedule.json", form)["jobid"]
    deadline = time.monotonic() + 120
    while True:
        jobs = api(base, f"listjobs.json?project={PROJECT}")
        if any(j["id"] == job for j in jobs["finished"]):
            break
        assert time.monotonic() < deadline, jobs
        time.sleep(0.2)
    records = jsonl(output.read_bytes()) if output.exists() else []
    log = scrapyd.job_log(job)
    assert "Traceback" not in log and "Spider closed (finished)" in log, log[-3000:]
    return records, log


def test_deploy_and_schedule_three_runs(scrapyd: Scrapyd, tmp_path: Path) -> None:
    egg = build_egg(tmp_path / "build")
    answer = api(
        scrapyd.base, "addversion.json", {"project": PROJECT, "version": "1"}, egg.read_bytes()
    )
    assert answer["spiders"] >= 2
    spiders = api(scrapyd.base, f"listspiders.json?project={PROJECT}")["spiders"]
    assert "newspaper" in spiders and "article" in spiders

    root = tmp_path / "site"
    site = build_site(root, articles=ARTICLES, now=NOW)
    work = tmp_path / "work"
    work.mkdir()
    with LocalSite(root) as server:
        prefix = canonical_key(server.url).rstrip("/")

        def paths(records: list[dict[str, Any]]) -> list[str]:
            return sorted(canonical_key(r["canonical_url"]).removeprefix(prefix) for r in records)

        first, log = run_job(scrapyd, server.url, work, "run1")
        assert paths(first) == sorted(a.path for a in site.articles), log[-3000:]
        second, log = run_job(scrapyd, server.url, work, "run2")
        assert second == []
        assert f"'newsscrape/unchanged': {ARTICLES}" in log
        assert f"'downloader/response_status_count/304': {ARTICLES}" in log
        site = build_site(root, articles=ARTICLES + 2, now=NOW)
        page = root / site.articles[3].path.strip("/") / "index.html"
        page.write_text(
            page.read_text(encoding="utf-8").replace(
                "</div><aside>", "<p>Correction appended.</p></div><aside>", 1
            ),
            encoding="utf-8",
        )
        third, log = run_job(scrapyd, server.url, work, "run3")
    expected = sorted([site.articles[3].path, *(a.path for a in site.articles[ARTICLES:])])
    assert paths(third) == expected, log[-3000:]
    changed = next(r for r in third if "Correction appended." in r["text"])
    assert changed["modified"] == changed["fetched_at"]
