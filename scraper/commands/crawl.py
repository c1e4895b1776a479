"""`newsscrape crawl URL`: every article a site's sitemaps list."""

from __future__ import annotations

import argparse
from typing import Any

from scraper.commands.common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    add_output_options,
    add_scrapy_settings,
    feeds_for,
    log_level,
    normalise_url,
    print_summary,
    setting_pairs,
)

NAME = "crawl"
HELP = "crawl a site's sitemaps for articles"
DESCRIPTION = (
    "Discover pages through robots.txt Sitemap: lines and sitemaps (indexes and gzip too) "
    "and extract every article. Pages that are not articles are skipped and counted."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help="the site's home page, or a sitemap URL")
    parser.add_argument(
        "--max-articles",
        type=int,
        default=0,
        metavar="N",
        help="stop after N pages have been requested (0: no limit)",
    )
    add_output_options(parser)
    add_scrapy_settings(parser)


def run(args: argparse.Namespace) -> int:
    from scraper.failures import NOT_ARTICLE
    from scraper.runner import project_settings, run_spider

    url = normalise_url(args.url)
    overrides: dict[str, Any] = {
        "LOG_LEVEL": log_level(args),
        "FEEDS": feeds_for(args.output, args.format),
    }
    overrides.update(setting_pairs(args.set))
    outcome = run_spider(
        "sitemap", {"url": url, "max_pages": args.max_articles}, project_settings(overrides)
    )
    print_summary(outcome.articles, outcome.failures)
    # Pages that are not articles are expected in a crawl; real failures are not.
    failed = [f for f in outcome.failures if f.stage != NOT_ARTICLE]
    return EXIT_SOME_FAILED if failed else EXIT_OK
