"""What every subcommand shares: output options, Scrapy settings, URL checks, summaries."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

# --format name -> Scrapy feed format; file extensions choose the same way.
FORMATS = {"jsonl": "jsonlines", "json": "json", "csv": "csv", "txt": "txt", "md": "md"}
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".jl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".txt": "txt",
    ".md": "md",
}


class UsageError(Exception):
    """The command line is wrong; the message says what to do instead."""


def setting_pairs(values: list[str]) -> dict[str, str]:
    settings = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-s expects NAME=VALUE, got {value!r}")
        settings[name.strip()] = setting
    return settings


def format_for(path: str | None, requested: str | None) -> str:
    if requested:
        return requested
    if path:
        suffix = Path(path.removesuffix(".gz")).suffix.lower()
        if suffix in EXTENSIONS:
            return EXTENSIONS[suffix]
    return "jsonl"


def feeds_for(outputs: list[str], requested: str | None) -> dict[str, dict[str, Any]]:
    if not outputs:
        return {"stdout:": {"format": FORMATS[format_for(None, requested)]}}
    feeds = {}
    for output in outputs:
        path = Path(output)
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        feeds[str(path.resolve())] = {
            "format": FORMATS[format_for(output, requested)],
            "overwrite": True,
        }
    return feeds


def normalise_url(url: str) -> str:
    """A URL the fetcher accepts: a bare host gets https://; other schemes are refused."""
    from spiders.pages import url_problem

    url = url.strip()
    if "://" not in url and not url.startswith(("javascript:", "data:", "mailto:", "file:")):
        url = "https://" + url
    problem = url_problem(url)
    if problem:
        raise UsageError(f"{url}: {problem}")
    return url


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        action="append",
        default=[],
        metavar="FILE",
        help="write records to FILE (format from its extension); repeatable; default: stdout",
    )
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        help="output format (default: from the -o extension, else jsonl)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="more log output on stderr (-vv for debug)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")


def add_scrapy_settings(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any Scrapy setting, as with `scrapy crawl -s` (repeatable)",
    )


def log_level(args: argparse.Namespace) -> str:
    if args.quiet:
        return "ERROR"
    return ["WARNING", "INFO", "DEBUG"][min(args.verbose, 2)]


def summary(articles: int, failures: list[Any]) -> str:
    """One stderr line: articles written and pages without article, by stage."""
    by_stage: dict[str, int] = {}
    for failure in failures:
        by_stage[failure.stage] = by_stage.get(failure.stage, 0) + 1
    text = f"newsscrape: {articles} article{'s' if articles != 1 else ''}"
    if failures:
        text += (
            f", {len(failures)} without article ("
            + ", ".join(f"{stage} {count}" for stage, count in sorted(by_stage.items()))
            + ")"
        )
    return text


def print_summary(articles: int, failures: list[Any]) -> None:
    """Print the closing summary line on stderr."""
    print(summary(articles, failures), file=sys.stderr)
