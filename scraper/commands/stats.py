"""`newsscrape stats FILE|DB`: what a dataset holds, as tables (and an HTML report)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scraper.commands.exit_status import EXIT_OK, EXIT_USAGE

NAME = "stats"
HELP = "counts per site, day and language, missing fields and duplicates of a dataset"
DESCRIPTION = (
    "Read a dataset written by any sink (.jsonl, .json, .csv, .parquet, sqlite:///FILE.db, "
    "postgresql://…) and print counts per site, per day and per language, the rate of "
    "missing values per field and duplicates. --html writes a self-contained report with "
    "charts. Exit status: 0 read, 2 the input cannot be read."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="FILE|DB", help="a dataset file or database URI")
    parser.add_argument(
        "--html", metavar="REPORT.html", help="also write an HTML report with charts to this file"
    )


def run(args: argparse.Namespace) -> int:
    from scraper.dataset.readers import UnreadableInput, open_records
    from scraper.dataset.report import render_html
    from scraper.dataset.stats import collect, text_table
    from scraper.redact import mask_passwords

    try:
        with open_records(args.source) as rows:
            stats = collect(rows)
    except UnreadableInput as error:
        print(f"newsscrape stats: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    # The report names its source: a database URI's password is not part of that name.
    source = mask_passwords(args.source)
    sys.stdout.write(text_table(stats, source))
    if args.html:
        report = Path(args.html)
        try:
            report.parent.mkdir(parents=True, exist_ok=True)
            report.write_text(render_html(stats, source), encoding="utf-8")
        except OSError as error:
            print(
                f"newsscrape stats: error: cannot write {args.html}: {error.strerror or error}",
                file=sys.stderr,
            )
            return EXIT_USAGE
        print(f"newsscrape: report written to {args.html}", file=sys.stderr)
    return EXIT_OK
