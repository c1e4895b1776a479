"""Option groups the subcommands share, and the Scrapy settings each group gives."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scraper.commands.checks import checked_setting_pairs, setting_pairs
from scraper.commands.exit_status import UsageError
from scraper.commands.outputs import FORMATS, check_output_writable, feeds_for


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
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="only what fails the run on stderr: the inputs that gave no record (get, extract), "
        "why a crawl found no article, errors; no progress, summary or dead links",
    )


def add_scrapy_settings(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any Scrapy setting, as with `scrapy crawl -s` (repeatable)",
    )


def whole_number(what: str) -> Callable[[str], int]:
    """An argparse `type`: a whole number, 0 or more; its error names `what` it expects."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = -1
        if number < 0:
            raise argparse.ArgumentTypeError(f"expects {what} (0 or more), got {value!r}")
        return number

    return parse


def add_extraction_options(parser: argparse.ArgumentParser) -> None:
    """`--workers N` (extraction processes, NEWSSCRAPE_WORKERS) and `--fast`; see
    `extraction_settings`."""
    add_workers_option(
        parser,
        "extract in N worker processes (default: one per CPU core; 0: in the crawl process)",
    )
    add_fast_option(parser)


def add_workers_option(parser: argparse.ArgumentParser, help: str) -> None:
    """`--workers N`: extraction processes (NEWSSCRAPE_WORKERS), None when not given."""
    parser.add_argument(
        "--workers",
        type=whole_number("a number of worker processes"),
        default=None,
        metavar="N",
        help=help,
    )


def start_workers_early(args: argparse.Namespace) -> None:
    """Start the extraction workers' server now, before this process imports Scrapy (0.6 s),
    so that the two start on two cores instead of one after the other; unless `--workers 0`
    (or, without --workers, `-s NEWSSCRAPE_WORKERS=0`). Only the moment changes: a command
    with workers starts the server anyway when it builds its pool."""
    from scraper.pool import EXTRACTION_MODULES, start_forkserver

    workers = getattr(args, "workers", None)
    if workers is None:
        workers = setting_pairs(getattr(args, "set", None) or []).get("NEWSSCRAPE_WORKERS")
    try:
        if workers is not None and int(workers) <= 0:
            return
    except ValueError:
        return  # a bad value is refused with the other -s values
    start_forkserver(EXTRACTION_MODULES)


def add_fast_option(parser: argparse.ArgumentParser) -> None:
    """`--fast`: NEWSSCRAPE_FAST_EXTRACTION."""
    parser.add_argument(
        "--fast",
        action="store_true",
        help="skip trafilatura's comparison with readability and justext: about a fifth "
        "less CPU a page, a little less clean text",
    )


def add_page_kinds_option(parser: argparse.ArgumentParser) -> None:
    """`--articles-only`: an explicit input gives a record of any page with a main text unless
    asked to keep articles only, as a crawl does."""
    parser.add_argument(
        "--articles-only",
        action="store_true",
        help="write only pages that are articles (a crawl's rule); without it, every page with a "
        "main text gives a record, its page_kind saying article, listing or other",
    )


def explicit_page_kinds(args: argparse.Namespace) -> list[str]:
    """The page kinds an explicit input (`get`, `extract`) writes."""
    from scraper.page_kinds import ARTICLE, PAGE_KINDS

    return [ARTICLE] if args.articles_only else list(PAGE_KINDS)


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
    from scraper.middlewares.network_policy import parse_networks

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
    written by scraper/sinks/durable_jsonl instead (appended to, whole lines, every article once
    across kills), and FEEDS without it is returned too. `site` names the crawl's JOBDIR."""
    import os

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
            jobdir = str(jobs_folder(Path(location)) / site_slug(site))
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


def jobs_folder(state: Path) -> Path:
    """Where crawls keep their queues by default: beside the state and named after it
    (`st.sqlite3` -> `st-jobs/`), so that a run leaves nothing else in the state's folder."""
    return state.with_name(f"{state.stem}-jobs")


def site_slug(site: str) -> str:
    """A site (URL or profile) as a folder name: `https://paper.example/` -> `paper.example`."""
    import re

    return re.sub(r"[^A-Za-z0-9.-]+", "_", site.split("://", 1)[-1]).strip("_") or "site"


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
    overrides.update(checked_setting_pairs(args.set))
    overrides.update(failure_settings(args))
    overrides.update(warc_settings(args))
    overrides.update(dedup_settings(args))
    overrides.update(extraction_settings(args))
    overrides.update(state_overrides(args, overrides["FEEDS"], site=site))
    return overrides
