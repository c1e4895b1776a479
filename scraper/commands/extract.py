"""`newsscrape extract FILE...`: article records from saved pages, offline."""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path
from typing import Any, BinaryIO

from scraper.commands.common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    FORMATS,
    UsageError,
    add_output_options,
    format_for,
    normalise_url,
    print_summary,
)
from scraper.items import PageFailure

NAME = "extract"
HELP = "extract records from saved HTML files (offline)"
DESCRIPTION = "Extract articles from saved pages: .html, .html.gz, or - for standard input. Nothing is fetched."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument(
        "--url",
        help="the address the page was saved from (one input only); "
        "used to resolve links and name the domain",
    )
    add_output_options(parser)


def read_input(name: str) -> bytes:
    """A saved page's bytes: `-` is standard input; gzip is recognised by its magic bytes."""
    data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def open_exporter(fmt: str, stream: BinaryIO) -> Any:
    """The same Scrapy item exporter the feed exports would use for `fmt`."""
    from scrapy.utils.misc import load_object

    from scraper.runner import project_settings

    settings = project_settings()
    exporters = {**settings.getdict("FEED_EXPORTERS_BASE"), **settings.getdict("FEED_EXPORTERS")}
    exporter_class = load_object(exporters[FORMATS[fmt]])
    return exporter_class(stream, encoding=settings.get("FEED_EXPORT_ENCODING"))


def run(args: argparse.Namespace) -> int:
    import logging

    from scrapy.exceptions import DropItem

    from pipelines.dedup import CanonicalDedupPipeline
    from pipelines.extract import PageRejected, record_from_page
    from scraper.commands.common import log_level
    from scraper.items import PageItem
    from scraper.record import schema_errors

    if args.url and len(args.files) > 1:
        raise UsageError("--url names the address of one page; give one FILE with it")
    if args.url:
        normalise_url(args.url)
    outputs = args.output or ["-"]
    if len(outputs) > 1:
        raise UsageError("extract writes one output; give -o once")
    logging.basicConfig(level=log_level(args), format="newsscrape: %(message)s", stream=sys.stderr)
    fmt = format_for(None if outputs[0] == "-" else outputs[0], args.format)
    stream: BinaryIO = sys.stdout.buffer if outputs[0] == "-" else open(outputs[0], "wb")  # noqa: SIM115
    exporter = open_exporter(fmt, stream)
    dedup = CanonicalDedupPipeline()
    failures: list[PageFailure] = []
    articles = 0
    exporter.start_exporting()
    try:
        for name in args.files:
            try:
                body = read_input(name)
            except (OSError, EOFError, gzip.BadGzipFile) as error:
                reason = getattr(error, "strerror", None) or str(error)
                print(f"newsscrape: cannot read {name}: {reason}", file=sys.stderr)
                failures.append(PageFailure(name, "read", reason))
                continue
            page = PageItem(url=args.url or "", body=body, source="file", fetched_at=None)
            try:
                data = record_from_page(page).to_dict()
            except PageRejected as rejected:
                print(f"newsscrape: no article: {name}: {rejected.failure.reason}", file=sys.stderr)
                failures.append(rejected.failure)
                continue
            errors = schema_errors(data)
            if errors:
                print(
                    f"newsscrape: invalid record from {name}: {'; '.join(errors)}", file=sys.stderr
                )
                failures.append(PageFailure(name, "validate", "; ".join(errors)))
                continue
            try:
                dedup.process_item(data)
            except DropItem:
                print(
                    f"newsscrape: {name}: same canonical URL as an earlier input; skipped",
                    file=sys.stderr,
                )
                continue
            exporter.export_item(data)
            articles += 1
    finally:
        exporter.finish_exporting()
        if stream is sys.stdout.buffer:
            stream.flush()
        else:
            stream.close()
    print_summary(articles, failures)
    return EXIT_SOME_FAILED if failures or not articles else EXIT_OK
