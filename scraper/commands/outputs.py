"""Where a command's records go and what it says at the end: output formats and feeds, the
writability check, the summary line and the exit status for a failed output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from scraper.commands.exit_status import EXIT_OUTPUT_FAILED, UsageError

# --format name -> Scrapy feed format; file extensions choose the same way.
FORMATS = {"jsonl": "jsonlines", "json": "json", "csv": "csv", "txt": "txt", "md": "md"}


FORMATS["parquet"] = "parquet"  # scraper/sinks/parquet.py (the `parquet` extra)


EXTENSIONS = {
    ".jsonl": "jsonl",
    ".jl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".txt": "txt",
    ".md": "md",
    ".parquet": "parquet",
}


def format_for(path: str | None, requested: str | None) -> str:
    """The output format of `path`: `--format` if given, else the file's extension (none:
    JSON Lines). An extension that names no format is a UsageError, not JSON Lines written
    under a misleading name (`-o out.xml`)."""
    if requested:
        return requested
    if path:
        suffix = Path(path.removesuffix(".gz")).suffix.lower()
        if suffix in EXTENSIONS:
            return EXTENSIONS[suffix]
        if suffix:
            known = ", ".join(sorted(EXTENSIONS))
            raise UsageError(
                f"-o {path}: {suffix} is not an output format; give a file name ending in "
                f"{known}, or say which format with --format"
            )
    return "jsonl"


def feeds_for(outputs: list[str], requested: str | None) -> dict[str, dict[str, Any]]:
    if not outputs:
        return {"stdout:": {"format": FORMATS[format_for(None, requested)]}}
    from scraper.sinks import SinkError, check_file_sink, database_feed, is_database_uri

    feeds = {}
    for output in outputs:
        try:
            # sqlite:///… and postgresql://… are database feeds (scraper/sinks), opened once
            # here so that a bad path or an unreachable server is said before the crawl.
            if is_database_uri(output):
                uri, options = database_feed(output)
                feeds[uri] = options
                continue
            check_file_sink(FORMATS[format_for(output, requested)])
        except SinkError as error:
            raise UsageError(str(error)) from error
        path = Path(output)
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        feeds[str(path.resolve())] = {
            "format": FORMATS[format_for(output, requested)],
            "overwrite": True,
        }
    return feeds


def summary(articles: int, failures: list[Any], unchanged: int = 0) -> str:
    """One stderr line: articles written, articles unchanged since the last run (--state),
    and pages without article, by stage."""
    by_stage: dict[str, int] = {}
    for failure in failures:
        by_stage[failure.stage] = by_stage.get(failure.stage, 0) + 1
    text = f"newsscrape: {articles} article{'s' if articles != 1 else ''}"
    if unchanged:
        text += f", {unchanged} unchanged since the last run"
    if failures:
        text += (
            f", {len(failures)} without article ("
            + ", ".join(f"{stage} {count}" for stage, count in sorted(by_stage.items()))
            + ")"
        )
        text += "; by reason: " + failure_reasons(failures)
    return text


def failure_reasons(failures: list[Any]) -> str:
    """Failures counted by kind of reason, most frequent first: "timeout 2, HTTP 404 1"."""
    from collections import Counter

    from scraper.sinks.errors_file import reason_kind

    kinds = Counter(reason_kind(failure.reason) for failure in failures)
    return ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items(), key=_by_count))


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def check_output_writable(path: str) -> None:
    """Refuse, before anything is fetched, an output file that cannot be written.

    Database URIs and `-` (stdout) are left to their own checks. Missing folders are created
    (as the feed exports would). Raises UsageError with one line saying what to do.
    """
    import errno
    import os

    if path in ("", "-") or "://" in path:
        return
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{path} is a folder; give a file name to write to")
    ancestor = next((p for p in target.absolute().parents if p.exists()), None)
    if ancestor is not None and not ancestor.is_dir():
        raise UsageError(f"cannot write {path}: {ancestor} is a file, not a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        existed = target.exists()
        # Append mode: a probe that neither truncates an existing file nor writes to it.
        with open(target, "ab"):
            pass
        if not existed:
            target.unlink()
        if target.is_file() or not existed:
            stats = os.statvfs(target.parent)
            if stats.f_bavail * stats.f_frsize == 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError(
            f"cannot write {path}: {reason}; choose another path, free space or fix permissions"
        ) from error


def output_exit_status(stats: dict[str, Any], status: int) -> int:
    """`status`, unless an output could not be written: then EXIT_OUTPUT_FAILED."""
    from scraper.sinks.output_guard import OUTPUT_ERROR_STAT

    return EXIT_OUTPUT_FAILED if stats.get(OUTPUT_ERROR_STAT) else status


def print_summary(
    articles: int, failures: list[Any], unchanged: int = 0, quiet: bool = False
) -> None:
    """Print the closing summary line on stderr (not with -q: it reports, it is no error)."""
    if not quiet:
        print(summary(articles, failures, unchanged), file=sys.stderr)
