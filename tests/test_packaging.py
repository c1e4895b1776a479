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

from scraper.localsite import LocalSite
from tests.conftest import ARTICLE_PATHS, FAST, ROOT, jsonl

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


# --- A base install: every extra missing


def _without(*modules: str) -> list[str]:
    """A Python command line running the CLI as if `modules` were not installed."""
    blocked = "; ".join(f"sys.modules[{name!r}] = None" for name in modules)
    return [
        sys.executable,
        "-c",
        f"import sys; {blocked}; from scraper.cli import main; sys.exit(main(sys.argv[1:]))",
    ]


EXTRA_MODULES = ("scrapy_redis", "redis", "pyarrow", "psycopg", "warcio", "fastjsonschema")


def _run_without_extras(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_without(*EXTRA_MODULES), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": str(ROOT)},
        timeout=300,
        check=False,
    )


def test_get_and_crawl_work_without_any_extra(newspaper: LocalSite, tmp_path: Path) -> None:
    # Scrapy's spider loader imports every module in spiders/, the Redis one included.
    got = _run_without_extras("get", newspaper.url + ARTICLE_PATHS[0], *FAST, cwd=tmp_path)
    assert got.returncode == 0, got.stderr[-3000:]
    assert len(jsonl(got.stdout.encode())) == 1
    out = tmp_path / "crawl.jsonl"
    crawled = _run_without_extras(
        "crawl", newspaper.url + "/", "--depth", "0", "--no-state", "-o", str(out), *FAST
    )
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    assert len(jsonl(out.read_bytes())) >= 10
    assert "Traceback" not in got.stderr + crawled.stderr


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (["get", "http://127.0.0.1:1/x", "-o", "{tmp}/out.parquet"], "parquet"),
        (["get", "http://127.0.0.1:1/x", "-o", "postgresql://u@127.0.0.1:1/db"], "postgres"),
        (["crawl", "--redis", "redis://127.0.0.1:1/0"], "redis"),
        (["seed", "--redis", "redis://127.0.0.1:1/0", "http://127.0.0.1:1/"], "redis"),
        (["crawl", "http://127.0.0.1:1/", "--state", "redis://127.0.0.1:1/0"], "redis"),
        (["get", "http://127.0.0.1:1/x", "--warc", "{tmp}/out.warc.gz"], "warc"),
        (["extract", "--warc", "{tmp}/in.warc.gz"], "warc"),
        (["stats", "{tmp}/in.parquet"], "parquet"),
    ],
)
def test_a_feature_whose_extra_is_missing_is_one_line_exit_2(
    tmp_path: Path, args: list[str], extra: str
) -> None:
    (tmp_path / "in.warc.gz").write_bytes(b"")
    (tmp_path / "in.parquet").write_bytes(b"PAR1" + b"\0" * 16 + b"PAR1")
    result = _run_without_extras(*(arg.format(tmp=tmp_path) for arg in args), cwd=tmp_path)
    lines = result.stderr.splitlines()
    assert result.returncode == 2, result.stderr[-3000:]
    assert len(lines) == 1, lines
    assert f"pip install 'newsscrape[{extra}]'" in lines[0]


def test_the_settings_import_no_extraction() -> None:
    """`import scraper.settings` (every Scrapy start, every Scrapyd job) loads the settings,
    not trafilatura and the extraction stack; `from scraper import extract_article` still works."""
    probe = (
        "import sys, scraper.settings\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('scraper.extract', 'trafilatura', 'scrapy')))\n"
        "print(heavy)\n"
        "from scraper import extract_article, ArticleRecord, SCHEMA_VERSION\n"
        "print(extract_article.__module__, ArticleRecord.__name__, SCHEMA_VERSION)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    heavy, loaded = result.stdout.splitlines()
    assert heavy == "[]"
    assert loaded.startswith("scraper.extract")
