"""`newsscrape get URL...`: fetch article pages with the Scrapy engine, one record each."""

from __future__ import annotations

import argparse

from scraper.commands.checks import checked, normalise_url
from scraper.commands.exit_status import EXIT_FAILED, EXIT_OK, UsageError
from scraper.commands.options import (
    add_fetch_options,
    add_page_kinds_option,
    explicit_page_kinds,
    fetch_overrides,
    start_workers_early,
)
from scraper.commands.outputs import output_exit_status, print_summary

NAME = "get"
HELP = "fetch article URLs and print their records"
DESCRIPTION = (
    "Fetch pages with the Scrapy engine (robots.txt obeyed, polite delays) and write one "
    "record per page with a main text (its page_kind: article, listing or other; "
    "--articles-only keeps articles). Exit 0 if every URL gave a record, 1 otherwise."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("urls", nargs="*", metavar="URL")
    parser.add_argument("--url-file", metavar="FILE", help="read URLs from FILE, one per line")
    add_fetch_options(parser, state_by_default=False)
    add_page_kinds_option(parser)


def run(args: argparse.Namespace) -> int:
    start_workers_early(args)
    from scraper.middlewares.progress import UNCHANGED
    from scraper.runner import project_settings, run_spider
    from spiders.article import read_url_list

    urls = list(args.urls)
    if args.url_file:
        try:
            urls += read_url_list(args.url_file)
        except OSError as error:
            raise UsageError(f"cannot read --url-file {args.url_file}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise UsageError(
                f"cannot read --url-file {args.url_file}: not UTF-8 text (byte {error.start}); "
                "give a text file with one URL per line"
            ) from error
    if not urls:
        raise UsageError("no URL given: newsscrape get URL [URL...] (or --url-file FILE)")
    urls = [normalise_url(url, quiet=args.quiet) for url in urls]
    overrides = fetch_overrides(args)
    # A URL asked for by name gives its page whatever the page is; `-s` still wins.
    overrides.setdefault("NEWSSCRAPE_PAGE_KINDS", explicit_page_kinds(args))
    outcome = run_spider("article", {"url": " ".join(urls)}, checked(project_settings(overrides)))
    # With --state, an article unchanged since the last run is a success without a record.
    unchanged = int(outcome.stats.get(UNCHANGED, 0))
    print_summary(outcome.articles, outcome.failures, unchanged, quiet=args.quiet)
    nothing = outcome.articles == 0 and unchanged == 0
    status = EXIT_FAILED if outcome.failures or nothing else EXIT_OK
    return output_exit_status(outcome.stats, status)
