"""`newsscrape crawl URL`: every article of a news site, found by its own listings.

Discovery (spiders/newspaper.py): robots.txt `Sitemap:` lines or /sitemap.xml, sitemap indexes
(gzip too), Google News sitemaps, RSS/Atom feeds linked from the home page, then links from
section pages and articles. A site profile (`--site`) names the sources and URL rules itself.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from scraper.commands.checks import checked, normalise_url
from scraper.commands.exit_status import EXIT_FAILED, EXIT_OK, UsageError
from scraper.commands.health import add_alerts_option, alert_settings, finish_with_alerts
from scraper.commands.options import (
    add_fetch_options,
    add_redis_option,
    fetch_overrides,
    whole_number,
)
from scraper.commands.outputs import output_exit_status, print_summary

if TYPE_CHECKING:
    from scraper.runner import CrawlOutcome

NAME = "crawl"
HELP = "crawl a news site: sitemaps, news sitemaps, feeds and links"
DESCRIPTION = (
    "Discover a site's articles through robots.txt Sitemap: lines and /sitemap.xml (indexes, "
    "gzip and Google News sitemaps too), the RSS/Atom feeds its home page links, and links "
    "from its section pages; extract every article. Section, tag, author, video and gallery "
    "pages are told from articles by their URLs and never written. A site profile (--site) "
    "names a site's sources and article URLs itself. A progress line shows on a terminal; a "
    "summary table ends the crawl (both on stderr). Exit 0 when the run found articles "
    "(dead links and pages that failed on the way are counted, not fatal), 1 when it found "
    "none, 4 when it worked but the site's figures fell far outside its recent runs (health "
    "alerts, kept with the state; see `newsscrape health`)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "url",
        nargs="?",
        help="the site's home page, or a sitemap or feed URL (with --site: an origin to use "
        "instead of the profile's, such as a mirror)",
    )
    parser.add_argument(
        "--site",
        metavar="NAME|PATH",
        help="a bundled site profile (see `newsscrape sites`) or a profile file (.toml)",
    )
    parser.add_argument(
        "--max-articles",
        type=whole_number("a whole number"),
        default=0,
        metavar="N",
        help="stop once N articles are written (0: no limit); other pages do not count",
    )
    parser.add_argument(
        "--since",
        metavar="DATE|DURATION",
        help="only articles published since then: 2024-05-01, 2024-05-01T06:00Z, or 6h, 2d, "
        "1w back from now; listings' dates skip older articles before they are fetched",
    )
    parser.add_argument(
        "--depth",
        type=whole_number("a whole number"),
        default=2,
        metavar="N",
        help="follow links up to N hops from a listed page (default 2; 0: listings only)",
    )
    domain = parser.add_mutually_exclusive_group()
    domain.add_argument(
        "--same-domain",
        dest="same_domain",
        action="store_true",
        default=True,
        help="follow links on the site's own domains only (the default)",
    )
    domain.add_argument(
        "--any-domain",
        dest="same_domain",
        action="store_false",
        help="follow links to other sites too",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress on stderr (default: only when stderr is a terminal)",
    )
    add_fetch_options(parser, state_by_default=True)
    add_redis_option(parser)
    add_alerts_option(parser)


def spider_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The `newspaper` spider's arguments from the command line; UsageError when wrong."""
    from scraper.profiles import ProfileError, find_profile
    from spiders.sources import parse_since

    if not args.url and not args.site:
        raise UsageError("give the site's address (crawl https://paper.example/) or --site NAME")
    spider_args: dict[str, Any] = {
        "max_articles": args.max_articles,
        "depth": args.depth,
        "same_domain": args.same_domain,
    }
    if args.url:
        spider_args["url"] = normalise_url(args.url, quiet=args.quiet)
    if args.site:
        try:
            profile = find_profile(args.site)
        except ProfileError as error:
            raise UsageError(str(error)) from error
        spider_args["site"] = str(profile.path)
    if args.since:
        try:
            spider_args["since"] = parse_since(args.since)
        except ValueError as error:
            raise UsageError(str(error)) from error
    return spider_args


def run(args: argparse.Namespace) -> int:
    from scraper.runner import project_settings, run_spider

    if args.redis:  # one worker of a distributed crawl (scraper/distributed.py)
        from scraper.commands.seed import run_worker

        return run_worker(args)
    spider_args = spider_arguments(args)
    overrides = fetch_overrides(args, site=args.url or args.site)
    overrides.setdefault("NEWSSCRAPE_SUMMARY", not args.quiet)
    overrides.update(alert_settings(args))
    if args.progress is not None:
        overrides.setdefault("NEWSSCRAPE_PROGRESS", args.progress)
    # With -q the pages that failed along the way are left to the summary counts and --errors:
    # they do not fail the run, so they are no errors to print.
    outcome = run_spider(
        "newspaper",
        spider_args,
        checked(project_settings(overrides)),
        echo_failures=not args.quiet,
    )
    print_summary(outcome.articles, outcome.failures, quiet=args.quiet)
    problem = no_article_found(outcome)
    if problem:
        print(
            f"newsscrape crawl: no article found at {args.url or args.site}: {problem}",
            file=sys.stderr,
        )
    status = output_exit_status(outcome.stats, EXIT_FAILED if problem else EXIT_OK)
    return finish_with_alerts(outcome.stats, status)


def no_article_found(outcome: CrawlOutcome) -> str | None:
    """Why the crawl failed as a run, or None when it worked.

    A run works when it found articles: written, unchanged since the last run (--state), or
    left out as older than --since. Dead links, pages that are not articles and pages that
    failed along the way are counted in the summary; they do not fail the run."""
    from scraper.middlewares.progress import PAGES_FETCHED, UNCHANGED

    stats = outcome.stats
    found = outcome.articles + sum(
        int(stats.get(name, 0)) for name in (UNCHANGED, "newsscrape/skipped/since")
    )
    if found:
        return None
    fetched = int(stats.get(PAGES_FETCHED, 0))
    if not fetched:
        first = outcome.failures[0].reason if outcome.failures else "nothing was discovered"
        return f"nothing could be fetched ({first})"
    return f"none of the {fetched} pages fetched was an article"
