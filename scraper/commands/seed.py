"""`newsscrape seed --redis URL ...`: what a distributed crawl's workers should crawl.

Workers are `newsscrape crawl --redis URL` processes on any number of machines (see
scraper/distributed.py); this command only fills the shared queue and exits.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scraper.commands.checks import checked, checked_setting_pairs, normalise_url
from scraper.commands.exit_status import EXIT_OK, UsageError
from scraper.commands.options import (
    dedup_settings,
    extraction_settings,
    failure_settings,
    log_level,
    state_overrides,
    warc_settings,
)
from scraper.commands.outputs import feeds_for, output_exit_status, print_summary

NAME = "seed"
HELP = "queue start URLs (or a site profile's sources) for a distributed crawl on Redis"
DESCRIPTION = (
    "Push start URLs to the Redis server that `newsscrape crawl --redis URL` workers share. "
    "A home page, sitemap or robots.txt is a site to discover through its sitemaps; any "
    "other URL is one article page. Each URL is crawled once however often it is seeded; "
    "--fresh forgets a previous crawl (its queue, seen URLs and emitted records) first."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("urls", nargs="*", metavar="URL", help="sites or article pages")
    parser.add_argument(
        "--redis",
        required=True,
        metavar="URL",
        help="the crawl's Redis server, redis://host:6379/0",
    )
    parser.add_argument(
        "--site", metavar="NAME|PATH", help="seed a site profile's sitemaps, feeds and start URLs"
    )
    parser.add_argument("--url-file", metavar="FILE", help="read URLs from FILE, one per line")
    parser.add_argument(
        "--as",
        dest="kind",
        choices=["site", "page"],
        default=None,
        help="treat every URL as a site to discover or as one article page (default: by URL)",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="first delete the previous crawl's queue, seen URLs and emitted records",
    )


def connect(redis_url: str) -> Any:
    """A Redis client for `redis_url`, checked with PING; UsageError saying what is wrong."""
    from scraper.distributed import require_redis

    try:
        require_redis()
    except ImportError as error:
        raise UsageError(str(error)) from error
    import redis

    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=10)
        client.ping()
    except ValueError as error:
        raise UsageError(f"--redis {redis_url}: {error}") from error
    except redis.RedisError as error:
        raise UsageError(f"cannot reach Redis at {redis_url}: {error}") from error
    return client


def seed_urls(client: Any, urls: list[str], kind: str | None = None) -> int:
    """Push `urls` to the workers' start list; how many were pushed."""
    from scraper.distributed import redis_key
    from spiders.distributed import seed_message

    if urls:
        client.rpush(redis_key("start_urls"), *[seed_message(url, kind) for url in urls])
    return len(urls)


def forget_crawl(client: Any) -> int:
    """Delete every key of the distributed crawl; how many there were."""
    from scraper.distributed import redis_key

    keys = list(client.scan_iter(match=redis_key("*"), count=1000))
    if keys:
        client.delete(*keys)
    return len(keys)


def profile_urls(name: str) -> list[str]:
    """A site profile's sources: sitemaps, feeds and start URLs."""
    from scraper.profiles import ProfileError, find_profile

    try:
        profile = find_profile(name)
    except ProfileError as error:
        raise UsageError(str(error)) from error
    return profile.sources


def requested_urls(args: argparse.Namespace) -> list[str]:
    """The URLs the command line names (positional, --url-file, --site), checked."""
    from spiders.article import read_url_list

    urls = list(getattr(args, "urls", None) or [])
    if getattr(args, "url", None):
        urls.append(args.url)
    if getattr(args, "url_file", None):
        try:
            urls += read_url_list(args.url_file)
        except OSError as error:
            raise UsageError(f"cannot read --url-file {args.url_file}: {error.strerror}") from error
    if getattr(args, "site", None):
        urls += profile_urls(args.site)
    return [normalise_url(url) for url in urls]


def run(args: argparse.Namespace) -> int:
    urls = requested_urls(args)
    if not urls and not args.fresh:
        raise UsageError("nothing to seed: give URLs, --url-file FILE or --site NAME")
    client = connect(args.redis)
    if args.fresh:
        print(
            f"newsscrape: forgot the previous crawl ({forget_crawl(client)} keys)", file=sys.stderr
        )
    pushed = seed_urls(client, urls, args.kind)
    print(f"newsscrape: seeded {pushed} URL{'s' if pushed != 1 else ''}", file=sys.stderr)
    return EXIT_OK


def worker_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The settings of one worker of a distributed crawl from `crawl --redis`'s options. Each
    option of a single crawl means the same here, except those a worker cannot honour, which
    are refused (UsageError, one line): a state file (each worker would keep its own; a
    redis:// state is shared), --jobdir (the queue is in Redis) and an address given with
    --site (a profile pointed at a mirror: seed the mirror's URLs instead)."""
    from scraper.distributed import distributed_settings

    if args.state and "://" not in args.state:
        raise UsageError(
            "crawl --redis: a distributed crawl's state is shared by its workers; give "
            "--state redis://HOST:PORT/DB (or no --state), not a file"
        )
    if args.jobdir:
        raise UsageError("crawl --redis: the crawl's queue is in Redis; --jobdir does not apply")
    if args.url and args.site:
        raise UsageError(
            "crawl --redis: give the site's address or --site, not both (a worker cannot point "
            "a profile at another origin)"
        )
    overrides: dict[str, Any] = {
        "LOG_LEVEL": log_level(args),
        "FEEDS": feeds_for(args.output, args.format),
        **distributed_settings(args.redis),
    }
    if args.progress is not None:
        overrides["NEWSSCRAPE_PROGRESS"] = args.progress
    overrides.update(checked_setting_pairs(args.set))
    # The crawl command's own options that mean the same for one worker of many.
    for options in (failure_settings, warc_settings, dedup_settings, extraction_settings):
        overrides.update(options(args))
    if args.state:  # a redis:// state, shared; without --state a worker keeps none
        overrides.update(state_overrides(args, overrides["FEEDS"]))
    return overrides


def run_worker(args: argparse.Namespace) -> int:
    """`newsscrape crawl --redis URL [SITE]`: one worker of the distributed crawl on Redis;
    a site or --site given too is seeded first (a repeat of a seed is crawled once)."""
    from pipelines.stages import item_pipelines
    from scraper.commands.health import alert_settings, finish_with_alerts
    from scraper.distributed import OFFSITE_MIDDLEWARES, worker_spider_arguments
    from scraper.runner import project_settings, run_spider

    try:
        spider_args = worker_spider_arguments(args)
    except ValueError as error:
        raise UsageError(str(error)) from error
    overrides = worker_overrides(args)
    client = connect(args.redis)
    seed_urls(client, requested_urls(args))
    client.close()
    overrides.update(alert_settings(args))  # the crawl's last worker checks its health
    settings = project_settings(overrides)
    # The worker's own stage (each article once across the crawl), from the one list of stages.
    pipelines = {**item_pipelines(distributed=True), **settings.getdict("ITEM_PIPELINES")}
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    middlewares.update(OFFSITE_MIDDLEWARES)
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    outcome = run_spider(
        "distributed", spider_args, checked(settings), echo_failures=not args.quiet
    )
    print_summary(outcome.articles, outcome.failures, quiet=args.quiet)
    # One worker of many: whatever it took from the shared queue, dead links included, the
    # run worked when it ran until the queue was empty; the crawl's output is all workers'.
    return finish_with_alerts(outcome.stats, output_exit_status(outcome.stats, EXIT_OK))
