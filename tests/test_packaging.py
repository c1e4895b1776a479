"""The package as users install it: a wheel that holds the whole project and builds without
warnings, and a base install (no extras) that works, where each missing extra is one line
naming the `pip install` that adds it.

The wheel is built offline (no build isolation: the test environment's setuptools) from a
copy of the project, so the work tree gets no build/ or egg-info. `.ci/plain-install` does the
same with a clean virtualenv and the real package index; here a missing extra is an import
that fails (`sys.modules[name] = None`, Python's own way to make `import name` raise
ImportError), in the real CLI, against the bundled site on loopback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("scraper", "spiders", "pipelines")
SHIPPED_SUFFIXES = (".py", ".json", ".toml")


def _project_files() -> list[str]:
    """Every file of the packages that must be in the wheel (as paths inside it)."""
    return sorted(
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.suffix in SHIPPED_SUFFIXES and "__pycache__" not in path.parts
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The project's wheel, built from a clean copy; and everything the build printed."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "scrapy.cfg"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    dist = tmp_path_factory.mktemp("dist")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-build-isolation",
            "--no-deps",
            "--no-index",
            "--wheel-dir",
            str(dist),
            str(source),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_NO_INPUT": "1"},
        timeout=300,
        check=False,
    )
    output = build.stdout + build.stderr
    assert build.returncode == 0, output[-3000:]
    (built,) = dist.glob("newsscrape-*.whl")
    return built, output


def test_the_wheel_holds_every_module_schema_and_site_profile(wheel: tuple[Path, str]) -> None:
    built, _ = wheel
    with zipfile.ZipFile(built) as archive:
        names = set(archive.namelist())
    missing = [path for path in _project_files() if path not in names]
    assert missing == []
    assert "scraper/commands/get.py" in names and "scraper/sites/npr.toml" in names
    assert not any(name.startswith(("tests/", "fixtures/", "benchmarks/")) for name in names)


def test_the_build_prints_no_warnings(wheel: tuple[Path, str]) -> None:
    _, output = wheel
    backend = [
        line
        for line in output.splitlines()
        # pip's own notes about this machine's package index configuration are not the build's.
        if "warning" in line.lower() and "Location 'file:" not in line
    ]
    assert backend == [], "\n".join(backend[:20])
