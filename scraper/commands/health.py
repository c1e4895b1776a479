"""`newsscrape health --state PATH`: each site's recent crawl runs and open alerts.

Also what `crawl` needs for its health alerts: the `--alerts FILE` option, its settings, and
the end of a crawl (the alerts printed, exit status 4).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from scraper.commands.exit_status import EXIT_HEALTH_ALERTS, EXIT_OK, EXIT_USAGE, UsageError
from scraper.commands.options import whole_number
from scraper.commands.outputs import check_output_writable

NAME = "health"
HELP = "each site's recent crawl runs and open health alerts (table, --html, --json)"
DESCRIPTION = (
    "Read the health history that scheduled crawls keep with their state (--state, as for "
    "`crawl`) and show each site's recent runs: articles seen, written and unchanged, "
    "pages refused as not articles, failures, the share of records with a headline, "
    "authors and a published date, the median word count, the paywalled share and the "
    "article URLs each discovery source gave; then the alerts of each site's latest run. "
    "--html writes the same with trend charts, --json prints it as JSON. Exit status: 0 no "
    "open alert, 4 some site's latest run raised alerts, 2 the state cannot be read."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--state",
        metavar="PATH",
        help="the crawl state: a SQLite file or redis:// URL (default: the NEWSSCRAPE_STATE "
        "variable, else ~/.local/share/newsscrape/state.sqlite3)",
    )
    parser.add_argument(
        "--site", action="append", default=[], metavar="SITE", help="only this site (repeatable)"
    )
    parser.add_argument(
        "--runs",
        type=whole_number("a number of runs"),
        default=10,
        metavar="N",
        help="the latest N runs of each site (default 10)",
    )
    parser.add_argument(
        "--html", metavar="REPORT.html", help="also write an HTML report with trend charts"
    )
    parser.add_argument(
        "--json", action="store_true", help="print JSON instead of the table (for monitoring)"
    )


def state_location(given: str | None) -> str:
    """The state to read: --state, else NEWSSCRAPE_STATE, else the default path."""
    from scraper.state import default_state_path

    location = given or os.environ.get("NEWSSCRAPE_STATE") or str(default_state_path())
    return location if "://" in location else str(Path(location).expanduser())


def run(args: argparse.Namespace) -> int:
    from scraper.health.report import json_report, read_health, render_html, text_report
    from scraper.health.store import HealthStoreError, open_health_store
    from scraper.redact import mask_passwords

    location = state_location(args.state)
    source = mask_passwords(location)
    if args.html:
        check_output_writable(args.html)
    try:
        store = open_health_store(location, read_only=True)
        try:
            health = read_health(store, max(args.runs, 1), args.site or None)
        finally:
            store.close()
    except HealthStoreError as error:
        raise UsageError(f"{mask_passwords(str(error))} (give the crawl's --state)") from error
    if args.json:
        json.dump(json_report(health, source), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text_report(health, source))
    if args.html:
        try:
            Path(args.html).write_text(render_html(health, source), encoding="utf-8")
        except OSError as error:
            print(
                f"newsscrape health: error: cannot write {args.html}: {error.strerror or error}",
                file=sys.stderr,
            )
            return EXIT_USAGE
        print(f"newsscrape: report written to {args.html}", file=sys.stderr)
    return EXIT_HEALTH_ALERTS if any(site.open_alerts for site in health) else EXIT_OK


# --- What `crawl` uses


def add_alerts_option(parser: argparse.ArgumentParser) -> None:
    """`--alerts FILE`: append the run's health alerts as JSON lines."""
    parser.add_argument(
        "--alerts",
        metavar="FILE",
        help="append the run's health alerts to FILE as JSON lines (site, metric, usual, now, "
        "run, time, message); any alert also makes the exit status 4",
    )


def alert_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings `--alerts` asks for (checked writable first); the crawl prints the
    alerts itself, so they are not logged again. Spidermon asked for without its extra is
    a UsageError."""
    from scraper.commands.checks import setting_pairs

    given = setting_pairs(getattr(args, "set", []) or [])
    settings: dict[str, Any] = {}
    if "NEWSSCRAPE_HEALTH_LOG_ALERTS" not in given:
        settings["NEWSSCRAPE_HEALTH_LOG_ALERTS"] = False
    path = getattr(args, "alerts", None)
    if path:
        check_output_writable(path)
        settings["NEWSSCRAPE_ALERTS_FILE"] = str(Path(path).resolve())
    spidermon = given.get("SPIDERMON_ENABLED", "")
    if spidermon.strip().lower() in ("1", "true"):
        import importlib.util

        if importlib.util.find_spec("spidermon") is None:
            raise UsageError(
                "SPIDERMON_ENABLED: the Spidermon monitors need the `spidermon` extra: "
                "pip install 'newsscrape[spidermon]'"
            )
    return settings


def finish_with_alerts(stats: dict[str, Any], status: int) -> int:
    """Print the run's health alerts on stderr (also with -q: they are what the exit status
    reports) and give the exit status: 4 for a run that worked but raised alerts; a failed
    run or output keeps its own status."""
    from scraper.health.collect import ALERTS_STAT

    alerts = stats.get(ALERTS_STAT) or []
    for alert in alerts:
        print(f"newsscrape: health alert: {alert['message']}", file=sys.stderr)
    if alerts and status == EXIT_OK:
        return EXIT_HEALTH_ALERTS
    return status
