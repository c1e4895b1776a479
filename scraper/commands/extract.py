"""`newsscrape extract FILE...`: article records from saved pages, offline."""

from __future__ import annotations

import argparse
import asyncio
import gzip
import sys
import zlib
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from scraper.commands.checks import normalise_url
from scraper.commands.exit_status import EXIT_FAILED, EXIT_OK, UsageError
from scraper.commands.options import (
    add_dedup_option,
    add_fast_option,
    add_output_options,
    add_page_kinds_option,
    add_workers_option,
    dedup_settings,
    explicit_page_kinds,
)
from scraper.commands.outputs import FORMATS, check_output_writable, format_for, print_summary
from scraper.items import READ, VALIDATE, PageFailure

NAME = "extract"
HELP = "extract records from saved HTML files (offline)"
DESCRIPTION = (
    "Extract articles from saved pages: .html, .html.gz, or - for standard input; with --warc, "
    "from web archives (.warc.gz). Nothing is fetched. A FILE that does not exist or cannot "
    "be opened is a command-line error, as a missing --url-file is for get: one line, exit 2, "
    "nothing extracted. A FILE that opens but gives no article (empty, not HTML, a broken "
    "gzip or archive, no article text) is named with its stage and reason, and the others are "
    "extracted: exit 1."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="a saved page (.html, .html.gz), - for standard input, or with --warc an archive; "
        "each must exist and be readable (else exit 2 before anything is extracted)",
    )
    parser.add_argument(
        "--url",
        help="the address the page was saved from (one input only); "
        "used to resolve links and name the domain",
    )
    parser.add_argument(
        "--warc",
        action="store_true",
        help="the FILEs are WARC archives (.warc, .warc.gz: from --warc, or Common Crawl's "
        "CC-NEWS): extract every HTML response in them, streaming; other records are counted",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="instead of records, list what each rule removed, chose or rejected on each page "
        "(rule names, the text concerned) and the record's kind and fields",
    )
    add_output_options(parser)
    add_dedup_option(parser)
    add_workers_option(
        parser,
        "extract in N worker processes, the records still in input order (default: one per "
        "CPU core, or this process for one saved page; 0: in this process)",
    )
    add_fast_option(parser)
    add_page_kinds_option(parser)


def check_inputs_readable(names: list[str]) -> None:
    """Refuse, before anything is extracted, an input that does not exist or cannot be
    opened (UsageError, one line): the same rule as for get's --url-file."""
    for name in names:
        if name == "-":
            continue
        path = Path(name)
        try:
            if path.is_dir():
                raise IsADirectoryError(21, "Is a directory")
            with path.open("rb"):
                pass
        except OSError as error:
            reason = error.strerror or str(error)
            raise UsageError(f"cannot read {name}: {reason}; check the path") from error


def read_input(name: str) -> bytes:
    """A saved page's bytes: `-` is standard input; gzip is recognised by its magic bytes."""
    data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def saved_pages(args: argparse.Namespace, failures: list[PageFailure]) -> Iterator[tuple[str, Any]]:
    """(name, PageItem) for every input page; unreadable inputs go to `failures`."""
    from scraper.items import PageItem

    if args.warc:
        from scraper.warc.reader import pages_from_warcs

        yield from pages_from_warcs(args.files, failures, quiet=args.quiet)
        return
    for name in args.files:
        try:
            body = read_input(name)
        except (OSError, EOFError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
            reason = f"cannot read it: {getattr(error, 'strerror', None) or error}"
            print(f"newsscrape: no article: {name}: {reason} [{READ}]", file=sys.stderr)
            failures.append(PageFailure(name, READ, reason))
            continue
        yield name, PageItem(url=args.url or "", body=body, source="file", fetched_at=None)


def explain_pages(args: argparse.Namespace) -> int:
    """`--explain`: each page's record kind and fields, and every named decision, as text on
    standard output; exit 1 when a page gives no record."""
    from scraper.extract import explain_article

    failures: list[PageFailure] = []
    explained = 0
    out = sys.stdout
    for name, page in saved_pages(args, failures):
        explanation = explain_article(page.body, page.url or None, fast=args.fast)
        record = explanation.record
        if record is None:
            out.write(f"{name}: no record: {explanation.reason}\n")
            failures.append(PageFailure(name, "extract", explanation.reason or ""))
        else:
            explained += 1
            out.write(f"{name}: {record.page_kind}: {record.title!r}\n")
            out.write(f"  authors {record.authors}  published {record.published}  ")
            out.write(f"words {record.word_count}\n")
        for decision in explanation.decisions:
            out.write(f"  {decision}\n")
    out.flush()
    return EXIT_FAILED if failures or not explained else EXIT_OK


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

    from scraper.commands.options import log_level

    if args.warc and args.url:
        raise UsageError("--url is for a saved page; WARC records carry their own addresses")
    if args.warc:
        from scraper.warc import WarcUnavailable, require_warcio

        try:
            require_warcio()
        except WarcUnavailable as error:
            raise UsageError(f"--warc: {error}") from error
    if args.url and len(args.files) > 1:
        raise UsageError("--url names the address of one page; give one FILE with it")
    if args.url:
        args.url = normalise_url(args.url, quiet=args.quiet)
    check_inputs_readable(args.files)
    if args.explain:
        if args.warc:
            raise UsageError("--explain reads saved pages, not archives")
        return explain_pages(args)
    outputs = args.output or ["-"]
    if len(outputs) > 1:
        raise UsageError("extract writes one output; give -o once")
    check_output_writable(outputs[0])
    from scraper.settings import NEWSSCRAPE_WORKERS

    workers = offline_workers(args, NEWSSCRAPE_WORKERS)
    if workers:
        from scraper.pool import EXTRACTION_MODULES, start_forkserver

        # The workers' imports, on another core while this one imports Scrapy and builds the
        # stages (none of which is imported yet).
        start_forkserver(EXTRACTION_MODULES)
    logging.basicConfig(level=log_level(args), format="newsscrape: %(message)s", stream=sys.stderr)
    from scraper.sinks import SinkError, is_database_uri, open_database_exporter

    stream: BinaryIO | None = None
    if is_database_uri(outputs[0]):
        try:
            exporter = open_database_exporter(outputs[0])
        except SinkError as error:
            raise UsageError(str(error)) from error
    else:
        fmt = format_for(None if outputs[0] == "-" else outputs[0], args.format)
        stream = sys.stdout.buffer if outputs[0] == "-" else open(outputs[0], "wb")  # noqa: SIM115
        exporter = open_exporter(fmt, stream)
    try:
        articles, failures = asyncio.run(extract_all(args, exporter, workers))
    finally:
        exporter.finish_exporting()
        if stream is sys.stdout.buffer:
            stream.flush()
        elif stream is not None:
            stream.close()
    print_summary(articles, failures, quiet=args.quiet)
    if args.warc:
        # An archive is a crawl's: its pages that give no article are counted, as a crawl's
        # are; the archives themselves are the inputs, each read to its end or not.
        failures = [failure for failure in failures if failure.stage == READ]
    return EXIT_FAILED if failures or not articles else EXIT_OK


async def extract_all(
    args: argparse.Namespace, exporter: Any, workers: int
) -> tuple[int, list[PageFailure]]:
    """Every input page through the pipeline's offline stages (`pipelines.stages`: extract,
    learned boilerplate, validate, one per article, near-duplicates), as a crawl runs them,
    into `exporter`; how many records were written, and the pages that gave none.

    Extraction runs in `workers` processes (see `offline_workers`), several pages at a time;
    every later stage runs here, one page at a time in input order, so the records, their
    clusters and the learned lines are those of an extraction in this process."""
    import logging

    from scrapy.exceptions import DropItem

    from pipelines.stages import OfflineChain
    from scraper.commands.checks import checked
    from scraper.failures import PageDropped
    from scraper.page_kinds import ARTICLE
    from scraper.runner import project_settings

    # An archive is a crawl's: only its articles, as the crawl wrote them. A saved page given
    # by name gives its record whatever kind of page it is.
    kinds = [ARTICLE] if args.warc else explicit_page_kinds(args)
    overrides = {
        **dedup_settings(args),
        "NEWSSCRAPE_PAGE_KINDS": kinds,
        "NEWSSCRAPE_FAST_EXTRACTION": args.fast,
        "NEWSSCRAPE_WORKERS": workers,
        # The workers take pages as fast as this process reads them; the window below, not
        # the pool, bounds the pages in memory.
        "NEWSSCRAPE_WORKER_QUEUE": PAGES_PER_WORKER,
    }
    chain = OfflineChain(checked(project_settings(overrides)))
    if workers:
        logging.getLogger(__name__).info("extracting in %d worker processes", workers)
    failures: list[PageFailure] = []
    articles = 0
    exporter.start_exporting()
    try:
        pages = saved_pages(args, failures)
        outcomes = extracted_in_order(pages, chain, window=workers * PAGES_PER_WORKER)
        async for name, extracting in outcomes:
            try:
                record = await chain.process(await extracting, start=1)
            except PageDropped as dropped:
                failure = dropped.failure
                # An archive's pages are no inputs of their own (see the exit status): with
                # -q they are only counted, as a crawl's are.
                if not (args.warc and args.quiet and failure.stage != VALIDATE):
                    print(
                        f"newsscrape: no article: {name}: {failure.reason} [{failure.stage}]",
                        file=sys.stderr,
                    )
                failures.append(failure)
                continue
            except DropItem as dropped:  # a copy of an earlier input's article
                print(f"newsscrape: {name}: {dropped}; skipped", file=sys.stderr)
                continue
            exporter.export_item(record)
            articles += 1
    finally:
        chain.close()
    return articles, failures


# Pages handed to extraction ahead of the one whose record is written next, per worker: enough
# that a page ten times slower than most (a 2 MB page) does not leave the other workers idle
# while the output waits for it, few enough that the pages in memory stay a few megabytes.
PAGES_PER_WORKER = 16


def offline_workers(args: argparse.Namespace, default: int) -> int:
    """Extraction processes for `extract`: `--workers`, else NEWSSCRAPE_WORKERS (one per CPU
    core). One saved page is extracted here: starting workers would cost more than it saves."""
    if args.workers is not None:
        return int(args.workers)
    if not args.warc and len(args.files) == 1:
        return 0
    return max(0, default)


async def extracted_in_order(
    pages: Iterator[tuple[str, Any]], chain: Any, window: int
) -> AsyncIterator[tuple[str, Awaitable[Any]]]:
    """(name, the page's extraction) for every page, in input order, the extraction of up to
    `window` pages after it already under way (0: one page at a time, in this process).

    Each page goes through the chain's first stage (extraction) as a task of its own; awaiting
    the task gives the record or raises the stage's PageDropped. Reading stops while `window`
    pages wait: a large archive is streamed, never held."""
    started: deque[tuple[str, asyncio.Task[Any]]] = deque()
    for name, page in pages:
        started.append((name, asyncio.ensure_future(chain.process(page, stop=1))))
        # Give the head out as soon as it is done, so records stream out as they are ready.
        while len(started) > window or (started and started[0][1].done()):
            yield started.popleft()
    while started:
        yield started.popleft()
