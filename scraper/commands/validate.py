"""`newsscrape validate FILE|DB`: every record of a dataset against the record's JSON Schema."""

from __future__ import annotations

import argparse
import sys

from scraper.commands.exit_status import EXIT_FAILED, EXIT_OK, EXIT_USAGE

NAME = "validate"
HELP = "check every record of a dataset against the JSON Schema"
DESCRIPTION = (
    "Check every record of a dataset (.jsonl, .json, .csv, .parquet, sqlite:///FILE.db, "
    "postgresql://…) against the shipped JSON Schema; each invalid record is named by its line "
    "(row, or row id in a database) with every way it breaks the schema. "
    "Exit status: 0 all valid, 1 some invalid, 2 the input cannot be read."
)
# Errors printed per invalid record; the rest are counted.
ERRORS_SHOWN = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="FILE|DB", help="a dataset file or database URI")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print only the summary line, not each failure"
    )


def run(args: argparse.Namespace) -> int:
    from scraper.dataset.readers import UnreadableInput, open_records
    from scraper.record import schema_errors
    from scraper.redact import mask_passwords

    checked = invalid = 0
    try:
        with open_records(args.source) as rows:
            for row in rows:
                checked += 1
                errors = [row.error] if row.record is None else schema_errors(row.record)
                if not errors:
                    continue
                invalid += 1
                if not args.quiet:
                    more = len(errors) - ERRORS_SHOWN
                    shown = "; ".join(str(e) for e in errors[:ERRORS_SHOWN])
                    extra = f" (and {more} more)" if more > 0 else ""
                    print(f"{mask_passwords(args.source)}: {row.location}: {shown}{extra}")
    except UnreadableInput as error:
        print(f"newsscrape validate: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"newsscrape: {checked} record{'s' if checked != 1 else ''} checked, "
        f"{checked - invalid} valid, {invalid} invalid",
        file=sys.stderr,
    )
    return EXIT_FAILED if invalid else EXIT_OK
