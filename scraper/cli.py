"""The `newsscrape` command: one-off scrapes, site crawls and offline extraction.

Records go to stdout (JSON Lines unless told otherwise) or to `-o FILE`; progress, failures
and the summary go to stderr. Exit status (scraper/commands/exit_status.py, README "Exit status"):
0 the run worked, 1 a crawl found no article or an input to get/extract gave none (each
named with its reason), 2 the command line, an input file or an output is unusable, 3 an
output failed during the run, 4 a crawl worked but raised health alerts.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from types import ModuleType
from typing import Any

from scraper.commands import COMMAND_MODULES
from scraper.commands.exit_status import EXIT_USAGE, UsageError
from scraper.redact import MaskedStream, mask_log_records
from scraper.version import __version__

EPILOG = """\
examples:
  newsscrape get https://paper.example/2024/05/02/story/
  newsscrape get URL1 URL2 -o articles.jsonl
  newsscrape get --url-file urls.txt --format md
  newsscrape extract saved-page.html --url https://paper.example/story
  newsscrape extract pages/*.html.gz -o articles.csv
  curl -s URL | newsscrape extract - --url URL
  newsscrape crawl https://paper.example/ --max-articles 50 -o paper.jsonl

Scrapy users: `scrapy crawl article -a url=URL -O out.jsonl` from the project folder.
"""


def _commands() -> dict[str, ModuleType]:
    modules = [importlib.import_module(name) for name in COMMAND_MODULES]
    return {module.NAME: module for module in modules}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="newsscrape",
        description="Turn newspaper pages into clean article records "
        "(headline, authors, dates, body text without page chrome).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newsscrape {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in _commands().items():
        sub = subparsers.add_parser(name, help=module.HELP, description=module.DESCRIPTION)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `newsscrape` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    # A password in any URI given (-o postgresql://user:pass@…, --redis, --state, a page URL)
    # reaches no log line, failure line, summary or error message (scraper/redact.py).
    mask_log_records()
    stderr = sys.stderr
    sys.stderr = MaskedStream(stderr)
    try:
        return _run(args)
    finally:
        sys.stderr = stderr


def _run(args: argparse.Namespace) -> int:
    try:
        status: int = args.run(args)
    except UsageError as error:
        print(f"newsscrape {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:
        from scraper.runner import CrawlNotStarted  # imports Scrapy: only when one ran

        if not isinstance(error, CrawlNotStarted):
            raise
        print(f"newsscrape {args.command}: error: {_not_started(error, args)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("newsscrape: interrupted", file=sys.stderr)
        return 130
    return status


def _not_started(error: Any, args: argparse.Namespace) -> str:
    """The one line for a crawl that could not start, naming the -s values it blames."""
    from scraper.commands.checks import setting_pairs

    pairs = setting_pairs(getattr(args, "set", []) or [])
    text = str(error.error)
    blamed = [f"{name}={value}" for name, value in pairs.items() if value and value in text]
    hint = f"check -s {', '.join(blamed)}" if blamed else "check the -s values"
    return f"the crawl could not start: {error} ({hint})"


if __name__ == "__main__":
    sys.exit(main())
