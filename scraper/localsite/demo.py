"""`make demo`: serve the bundled newspaper on loopback, crawl it, summarise the records.

    python -m scraper.localsite.demo --site fixtures/site --output out/articles.jsonl

No internet is needed: the site is a folder of real-looking newspaper pages served on
127.0.0.1, discovered through its robots.txt and sitemap like any other site.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from scraper.cli import main as cli_main
from scraper.localsite import LocalSite


def _cell(value: Any, width: int) -> str:
    text = ", ".join(value) if isinstance(value, list) else str(value if value is not None else "-")
    return text if len(text) <= width else text[: width - 1] + "…"


def summary_table(records: list[dict[str, Any]]) -> str:
    """A fixed-width table: one row per article, the fields a reader checks first."""
    columns = [
        ("title", 44),
        ("authors", 24),
        ("site_name", 24),
        ("published", 10),
        ("language", 4),
        ("word_count", 6),
    ]
    header = "  ".join(name[:width].ljust(width) for name, width in columns)
    rows = [header, "  ".join("-" * width for _, width in columns)]
    for record in records:
        cells = []
        for name, width in columns:
            value = record.get(name)
            if name == "published" and value:
                value = str(value)[:10]
            cells.append(_cell(value, width).ljust(width))
        rows.append("  ".join(cells))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("fixtures/site"))
    parser.add_argument("--output", type=Path, default=Path("out/articles.jsonl"))
    args = parser.parse_args(argv)
    if not (args.site / "robots.txt").is_file():
        print(f"demo: {args.site} is not a site folder (no robots.txt)", file=sys.stderr)
        return 2
    with LocalSite(args.site) as site:
        print(f"demo: serving {args.site} at {site.url}/ and crawling it", file=sys.stderr)
        # At newsscrape's default politeness, as a crawl of any site runs (a few seconds
        # more than with no delays on loopback, and no override warnings to explain away).
        status = cli_main(
            [
                "crawl",
                site.url + "/",
                "-o",
                str(args.output),
                # The folder's pages link to stories it does not hold: the listed pages only.
                "--depth",
                "0",
                # A demo shows every article each time, not only what changed since the last.
                "--no-state",
            ]
        )
    records = [
        json.loads(line)
        for line in args.output.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    print(summary_table(records))
    print(f"\n{len(records)} articles written to {args.output}")
    return status


if __name__ == "__main__":
    sys.exit(main())
