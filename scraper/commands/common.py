"""What every subcommand shares: output options, Scrapy settings, URL checks, summaries."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.settings import Settings

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
# An output file could not be written (disk full…) and the crawl was stopped.
EXIT_OUTPUT_FAILED = 3

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


class UsageError(Exception):
    """The command line is wrong; the message says what to do instead."""


def checked(settings: Settings) -> Settings:
    """`settings`, once the values that would stop a crawl after it started are known good;
    else UsageError naming the bad one (one line, exit 2, no traceback)."""
    from pipelines.boilerplate import rules_from_settings
    from pipelines.neardup import NearDupPipeline

    try:
        NearDupPipeline.from_settings(settings)
        rules_from_settings(settings)
    except ValueError as error:
        raise UsageError(f"{error} (check the -s values)") from error
    return settings


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


def normalise_url(url: str) -> str:
    """A URL the fetcher accepts: a bare host gets https://; other schemes are refused."""
    from spiders.pages import url_problem

    url = url.strip()
    if "://" not in url and not url.startswith(("javascript:", "data:", "mailto:", "file:")):
        url = "https://" + url
    problem = url_syntax_problem(url) or url_problem(url)
    if problem:
        raise UsageError(f"{url!r}: {problem}")
    return url


def url_syntax_problem(url: str) -> str | None:
    """What makes `url` unreadable as a URL (spaces, bad port, bad host), or None."""
    import re
    from urllib.parse import urlsplit

    if re.search(r"[\s\x00-\x1f\x7f]", url):
        return "the URL contains spaces or control characters; percent-encode them (%20)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (parsing the port is the check)
    except ValueError as error:
        return f"not a valid URL ({error})"
    host = parts.hostname or ""
    if host and not host.startswith("[") and (".." in host or host.startswith((".", "-"))):
        return f"{host!r} is not a valid host name"
    return None


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


def _worker_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise argparse.ArgumentTypeError(
            f"expects a number of worker processes (0 or more), got {value!r}"
        )
    return count


def add_extraction_options(parser: argparse.ArgumentParser) -> None:
    """`--workers N` (extraction processes, NEWSSCRAPE_WORKERS) and `--fast`; see
    `extraction_settings`."""
    parser.add_argument(
        "--workers",
        type=_worker_count,
        default=None,
        metavar="N",
        help="extract in N worker processes (default: one per CPU core; 0: in the crawl process)",
    )
    add_fast_option(parser)


def add_fast_option(parser: argparse.ArgumentParser) -> None:
    """`--fast`: NEWSSCRAPE_FAST_EXTRACTION."""
    parser.add_argument(
        "--fast",
        action="store_true",
        help="skip trafilatura's comparison with readability and justext: about a fifth "
        "less CPU a page, a little less clean text",
    )


def extraction_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings `--workers` and `--fast` ask for (none when they were not given)."""
    workers = getattr(args, "workers", None)
    settings: dict[str, Any] = {} if workers is None else {"NEWSSCRAPE_WORKERS": workers}
    if getattr(args, "fast", False):
        settings["NEWSSCRAPE_FAST_EXTRACTION"] = True
    return settings


def add_redis_option(parser: argparse.ArgumentParser) -> None:
    """`--redis URL`: share the crawl through a Redis server (scrapy-redis); see scraper.distributed."""
    parser.add_argument(
        "--redis",
        metavar="URL",
        default=None,
        help="join a distributed crawl whose queue is on this Redis server "
        "(redis://host:6379/0); start URLs come from `newsscrape seed`",
    )


def log_level(args: argparse.Namespace) -> str:
    if args.quiet:
        return "ERROR"
    return ["WARNING", "INFO", "DEBUG"][min(args.verbose, 2)]


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

    from scraper.errors_output import reason_kind

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
    from scraper.output_guard import OUTPUT_ERROR_STAT

    return EXIT_OUTPUT_FAILED if stats.get(OUTPUT_ERROR_STAT) else status


def add_failure_options(parser: argparse.ArgumentParser) -> None:
    """`--errors FILE` and `--deny-private-networks`; see `failure_settings`."""
    parser.add_argument(
        "--errors",
        metavar="FILE",
        help="write every page that gave no article to FILE as JSON Lines "
        "(url, stage, reason, kind, status, time)",
    )
    parser.add_argument(
        "--deny-private-networks",
        action="store_true",
        help="refuse to fetch loopback, private and link-local addresses, also after redirects "
        "and DNS resolution (for URLs that others supply)",
    )


def failure_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings `--errors` and `--deny-private-networks` ask for, checked first."""
    from scraper.network_policy import parse_networks

    settings: dict[str, Any] = {}
    errors = getattr(args, "errors", None)
    if errors:
        check_output_writable(errors)
        settings["NEWSSCRAPE_ERRORS_FILE"] = str(Path(errors).resolve())
    if getattr(args, "deny_private_networks", False):
        settings["NEWSSCRAPE_DENY_PRIVATE_NETWORKS"] = True
    allowed = setting_pairs(getattr(args, "set", [])).get("NEWSSCRAPE_ALLOW_NETWORKS")
    if allowed is not None:
        try:
            parse_networks(allowed)
        except ValueError as error:
            raise UsageError(str(error)) from error
    return settings


def print_summary(articles: int, failures: list[Any], unchanged: int = 0) -> None:
    """Print the closing summary line on stderr."""
    print(summary(articles, failures, unchanged), file=sys.stderr)


def add_warc_option(parser: argparse.ArgumentParser) -> None:
    """`--warc FILE`: archive every request and response (NEWSSCRAPE_WARC); see `warc_settings`."""
    parser.add_argument(
        "--warc",
        metavar="FILE",
        help="archive every request and response in FILE (.warc.gz: WARC/1.1, gzip per record; "
        "appended to); records keep the response's warc_record_id",
    )


def warc_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings `--warc FILE` asks for, checked before anything is fetched."""
    from scraper.warc import WarcUnavailable, require_warcio
    from scraper.warc.writer import looks_like_warc

    path = getattr(args, "warc", None)
    if not path:
        return {}
    if not path.lower().endswith((".warc", ".warc.gz")):
        raise UsageError(f"--warc expects a .warc.gz (or .warc) file name, got {path!r}")
    try:
        require_warcio()
    except WarcUnavailable as error:
        raise UsageError(f"--warc: {error}") from error
    check_output_writable(path)
    target = Path(path)
    if target.is_file() and target.stat().st_size and not looks_like_warc(target):
        raise UsageError(f"--warc {path} exists and is not a WARC file; give a new file name")
    return {"NEWSSCRAPE_WARC": str(target.resolve())}


def add_dedup_option(parser: argparse.ArgumentParser) -> None:
    """`--dedup keep|drop` and `--dedup-state FILE`; see `dedup_settings`."""
    parser.add_argument(
        "--dedup",
        choices=["keep", "drop"],
        help="syndicated and near-duplicate copies: keep them marked with duplicate_of and "
        "cluster_id (default), or drop them",
    )
    parser.add_argument(
        "--dedup-state",
        metavar="FILE",
        help="SQLite file remembering the articles seen, so copies are recognised across runs",
    )


def dedup_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings `--dedup` and `--dedup-state` ask for."""
    settings: dict[str, Any] = {}
    if getattr(args, "dedup", None):
        settings["NEWSSCRAPE_DEDUP"] = args.dedup
    state = getattr(args, "dedup_state", None)
    if state:
        check_output_writable(state)
        settings["NEWSSCRAPE_DEDUP_STATE"] = str(Path(state).resolve())
    return settings


def add_state_options(parser: argparse.ArgumentParser, by_default: bool) -> None:
    """`--state PATH` (and `--no-state` where the state is on by default) and `--jobdir DIR`:
    incremental re-runs, pause and resume; see `state_overrides`."""
    default = "the NEWSSCRAPE_STATE variable, else ~/.local/share/newsscrape/state.sqlite3"
    parser.add_argument(
        "--state",
        metavar="PATH",
        help="the crawl state (SQLite): re-runs send conditional requests and write only new "
        "and changed articles" + (f" (default: {default})" if by_default else ""),
    )
    if by_default:
        parser.add_argument(
            "--no-state",
            action="store_true",
            help="no crawl state: write every article found, remember nothing",
        )
    parser.add_argument(
        "--jobdir",
        metavar="DIR",
        help="keep the crawl's queue in DIR: Ctrl-C pauses, the same command resumes"
        + (" (default: one per site beside the state)" if by_default else ""),
    )
    parser.set_defaults(state_by_default=by_default)


def state_overrides(
    args: argparse.Namespace, feeds: dict[str, dict[str, Any]], site: str | None = None
) -> dict[str, Any]:
    """NEWSSCRAPE_STATE, JOBDIR and the durable JSON Lines output the options ask for.

    `feeds` is the FEEDS setting built from -o; with a state, its first JSON Lines file is
    written by scraper/durable_jsonl instead (appended to, whole lines, every article once
    across kills), and FEEDS without it is returned too. `site` names the crawl's JOBDIR."""
    import os
    import re

    from scraper.state import StateError, default_state_path, open_state

    settings: dict[str, Any] = {}
    location = getattr(args, "state", None)
    if not location and getattr(args, "state_by_default", False) and not args.no_state:
        location = os.environ.get("NEWSSCRAPE_STATE") or str(default_state_path())
    jobdir = getattr(args, "jobdir", None)
    if location:
        if "://" not in location:
            location = str(Path(location).expanduser().resolve())
        try:
            open_state(location).close()
        except StateError as error:
            raise UsageError(str(error)) from error
        settings["NEWSSCRAPE_STATE"] = location
        if not jobdir and site and "://" not in location:
            slug = re.sub(r"[^A-Za-z0-9.-]+", "_", site.split("://", 1)[-1]).strip("_")
            jobdir = str(Path(location).parent / "jobs" / (slug or "site"))
        for uri, options in feeds.items():
            # Plain .jsonl files only: compressed or remote feeds stay with the feed exports.
            if (
                options.get("format") == "jsonlines"
                and Path(uri).is_absolute()
                and not (uri.endswith(".gz") or options.get("postprocessing"))
            ):
                settings["NEWSSCRAPE_JSONL_OUTPUT"] = uri
                settings["FEEDS"] = {k: v for k, v in feeds.items() if k != uri}
                break
    if jobdir:
        from scraper.middlewares.jobdir import JobdirInUse, check_jobdir_free

        settings["JOBDIR"] = str(Path(jobdir).expanduser().resolve())
        try:
            check_jobdir_free(Path(settings["JOBDIR"]))
        except JobdirInUse as error:
            raise UsageError(str(error)) from error
    return settings


def add_fetch_options(parser: argparse.ArgumentParser, state_by_default: bool) -> None:
    """The options every fetching command (get, crawl) shares: outputs, Scrapy settings,
    failure reporting, WARC, deduplication, crawl state and extraction workers."""
    add_output_options(parser)
    add_scrapy_settings(parser)
    add_failure_options(parser)
    add_warc_option(parser)
    add_dedup_option(parser)
    add_state_options(parser, by_default=state_by_default)
    add_extraction_options(parser)


def fetch_overrides(args: argparse.Namespace, site: str | None = None) -> dict[str, Any]:
    """Scrapy settings from the shared fetching options, after checking every output can be
    written (UsageError otherwise). `-s` settings win over the options' defaults."""
    for output in args.output:
        check_output_writable(output)
    overrides: dict[str, Any] = {
        "LOG_LEVEL": log_level(args),
        "FEEDS": feeds_for(args.output, args.format),
    }
    overrides.update(setting_pairs(args.set))
    overrides.update(failure_settings(args))
    overrides.update(warc_settings(args))
    overrides.update(dedup_settings(args))
    overrides.update(extraction_settings(args))
    overrides.update(state_overrides(args, overrides["FEEDS"], site=site))
    return overrides
