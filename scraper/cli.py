"""The `newsscrape` command: one-off scrapes and offline extraction.

Records go to stdout (JSON Lines unless told otherwise) or to `-o FILE`; progress, failures
and the summary go to stderr. Exit status: 0 every input gave an article, 1 some did not
(each named with its reason), 2 the command line itself was wrong.
"""

from __future__ import annotations

import argparse
import gzip
import logging
import sys
from pathlib import Path
from typing import Any, BinaryIO

from scraper.version import __version__

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


class UsageError(Exception):
    """The command line is wrong; the message says what to do instead."""


def _setting_pairs(values: list[str]) -> dict[str, str]:
    settings = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-s expects NAME=VALUE, got {value!r}")
        settings[name.strip()] = setting
    return settings


def _format_for(path: str | None, requested: str | None) -> str:
    if requested:
        return requested
    if path:
        suffix = Path(path.removesuffix(".gz")).suffix.lower()
        if suffix in EXTENSIONS:
            return EXTENSIONS[suffix]
    return "jsonl"


def _feeds(outputs: list[str], requested: str | None) -> dict[str, dict[str, Any]]:
    if not outputs:
        return {"stdout:": {"format": FORMATS[_format_for(None, requested)]}}
    feeds = {}
    for output in outputs:
        path = Path(output)
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        feeds[str(path.resolve())] = {
            "format": FORMATS[_format_for(output, requested)],
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


def _add_common(parser: argparse.ArgumentParser) -> None:
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


def _add_scrapy_settings(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any Scrapy setting, as with `scrapy crawl -s` (repeatable)",
    )


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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    get = commands.add_parser(
        "get",
        help="fetch article URLs and print their records",
        description="Fetch pages with the Scrapy engine (robots.txt obeyed, "
        "polite delays) and write one record per article.",
    )
    get.add_argument("urls", nargs="*", metavar="URL")
    get.add_argument("--url-file", metavar="FILE", help="read URLs from FILE, one per line")
    _add_common(get)
    _add_scrapy_settings(get)

    extract = commands.add_parser(
        "extract",
        help="extract records from saved HTML files (offline)",
        description="Extract articles from saved pages: .html, .html.gz, "
        "or - for standard input. Nothing is fetched.",
    )
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.add_argument(
        "--url",
        help="the address the page was saved from (one input only); "
        "used to resolve links and name the domain",
    )
    _add_common(extract)

    crawl = commands.add_parser(
        "crawl",
        help="crawl a site's sitemaps for articles",
        description="Discover pages through robots.txt Sitemap: lines and "
        "sitemaps (indexes and gzip too) and extract every article.",
    )
    crawl.add_argument("url", help="the site's home page, or a sitemap URL")
    crawl.add_argument(
        "--max-articles",
        type=int,
        default=0,
        metavar="N",
        help="stop after N pages have been requested (0: no limit)",
    )
    _add_common(crawl)
    _add_scrapy_settings(crawl)
    return parser


def _log_level(args: argparse.Namespace) -> str:
    if args.quiet:
        return "ERROR"
    return ["WARNING", "INFO", "DEBUG"][min(args.verbose, 2)]


def _summary(articles: int, failures: list[Any], pages: int | None = None) -> str:
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


def command_get(args: argparse.Namespace) -> int:
    from scraper.runner import project_settings, run_spider
    from spiders.article import read_url_list

    urls = list(args.urls)
    if args.url_file:
        try:
            urls += read_url_list(args.url_file)
        except OSError as error:
            raise UsageError(f"cannot read --url-file {args.url_file}: {error.strerror}") from error
    if not urls:
        raise UsageError("no URL given: newsscrape get URL [URL...] (or --url-file FILE)")
    urls = [normalise_url(url) for url in urls]
    overrides: dict[str, Any] = {
        "LOG_LEVEL": _log_level(args),
        "FEEDS": _feeds(args.output, args.format),
    }
    overrides.update(_setting_pairs(args.set))
    outcome = run_spider("article", {"url": " ".join(urls)}, project_settings(overrides))
    print(_summary(outcome.articles, outcome.failures), file=sys.stderr)
    return EXIT_SOME_FAILED if outcome.failures or outcome.articles == 0 else EXIT_OK


def command_crawl(args: argparse.Namespace) -> int:
    from scraper.failures import NOT_ARTICLE
    from scraper.runner import project_settings, run_spider

    url = normalise_url(args.url)
    overrides: dict[str, Any] = {
        "LOG_LEVEL": _log_level(args),
        "FEEDS": _feeds(args.output, args.format),
    }
    overrides.update(_setting_pairs(args.set))
    outcome = run_spider(
        "sitemap",
        {"url": url, "max_pages": args.max_articles},
        project_settings(overrides),
        echo_failures=args.verbose > 0,
    )
    print(_summary(outcome.articles, outcome.failures), file=sys.stderr)
    # Pages that are not articles are expected in a crawl; real failures are not.
    failed = [f for f in outcome.failures if f.stage != NOT_ARTICLE]
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _read_input(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    data = Path(name).read_bytes()
    if name.endswith(".gz") or data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def _open_exporter(fmt: str, stream: BinaryIO) -> Any:
    from scrapy.utils.misc import load_object

    from scraper.runner import project_settings

    settings = project_settings()
    exporters = {**settings.getdict("FEED_EXPORTERS_BASE"), **settings.getdict("FEED_EXPORTERS")}
    exporter_class = load_object(exporters[FORMATS[fmt]])
    return exporter_class(stream, encoding=settings.get("FEED_EXPORT_ENCODING"))


def command_extract(args: argparse.Namespace) -> int:
    from pipelines.dedup import CanonicalDedupPipeline
    from pipelines.extract import PageRejected, record_from_page
    from scraper.items import PageItem
    from scraper.record import schema_errors

    if args.url and len(args.files) > 1:
        raise UsageError("--url names the address of one page; give one FILE with it")
    if args.url:
        normalise_url(args.url)
    logging.basicConfig(level=_log_level(args), format="newsscrape: %(message)s", stream=sys.stderr)
    outputs = args.output or ["-"]
    if len(outputs) > 1:
        raise UsageError("extract writes one output; give -o once")
    fmt = _format_for(None if outputs[0] == "-" else outputs[0], args.format)
    stream: BinaryIO = sys.stdout.buffer if outputs[0] == "-" else open(outputs[0], "wb")  # noqa: SIM115
    exporter = _open_exporter(fmt, stream)
    dedup = CanonicalDedupPipeline()
    failures: list[Any] = []
    articles = 0
    exporter.start_exporting()
    try:
        for name in args.files:
            try:
                body = _read_input(name)
            except (OSError, EOFError, gzip.BadGzipFile) as error:
                reason = getattr(error, "strerror", None) or str(error)
                print(f"newsscrape: cannot read {name}: {reason}", file=sys.stderr)
                failures.append(_failure(name, "read", reason))
                continue
            page = PageItem(url=args.url or "", body=body, source="file", fetched_at=None)
            try:
                record = record_from_page(page)
            except PageRejected as rejected:
                print(f"newsscrape: no article: {name}: {rejected.failure.reason}", file=sys.stderr)
                failures.append(rejected.failure)
                continue
            data = record.to_dict()
            errors = schema_errors(data)
            if errors:
                print(
                    f"newsscrape: invalid record from {name}: {'; '.join(errors)}", file=sys.stderr
                )
                failures.append(_failure(name, "validate", "; ".join(errors)))
                continue
            try:
                dedup.process_item(data)
            except Exception:
                continue
            exporter.export_item(data)
            articles += 1
    finally:
        exporter.finish_exporting()
        if stream is not sys.stdout.buffer:
            stream.close()
        else:
            stream.flush()
    print(_summary(articles, failures), file=sys.stderr)
    return EXIT_SOME_FAILED if failures or not articles else EXIT_OK


def _failure(name: str, stage: str, reason: str) -> Any:
    from scraper.items import PageFailure

    return PageFailure(name, stage, reason)


COMMANDS = {"get": command_get, "extract": command_extract, "crawl": command_crawl}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `newsscrape` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(f"newsscrape {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("newsscrape: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
