"""`newsscrape sites`: the bundled site profiles (name, domains, sources)."""

from __future__ import annotations

import argparse
import sys

from scraper.commands.exit_status import EXIT_OK, UsageError

NAME = "sites"
HELP = "list the bundled site profiles"
DESCRIPTION = (
    "List the site profiles shipped with newsscrape: name (for `crawl --site NAME`), "
    "newspaper, domains and the sitemaps and feeds it reads. `--check FILE` validates a "
    "profile of your own."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check",
        metavar="FILE",
        action="append",
        default=[],
        help="validate a profile file instead (repeatable); exit 2 on the first problem",
    )


def run(args: argparse.Namespace) -> int:
    from scraper.profiles import ProfileError, bundled_profiles, load_profile

    try:
        if args.check:
            for path in args.check:
                profile = load_profile(path)
                print(f"{path}: ok ({profile.name}: {', '.join(profile.domains)})")
            return EXIT_OK
        profiles = bundled_profiles()
    except ProfileError as error:
        raise UsageError(str(error)) from error
    for profile in profiles:
        print(f"{profile.name}  {profile.title}")
        print(f"  domains:  {', '.join(profile.domains)}")
        for label, urls in (("sitemaps", profile.sitemaps), ("feeds", profile.feeds)):
            if urls:
                print(f"  {label + ':':<9} {' '.join(urls)}")
        if profile.allow:
            print(f"  articles: {' '.join(p.pattern for p in profile.allow)}")
    print(f"{len(profiles)} profiles; use one with `newsscrape crawl --site NAME`", file=sys.stderr)
    return EXIT_OK
