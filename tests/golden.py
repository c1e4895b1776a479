"""Record the golden article records of the bundled pages: `make golden` (python -m tests.golden).

Each article page of fixtures/checks.json is fetched through the real CLI from the local site
and its record written to fixtures/golden/<path>.json, with the server's origin replaced by
__ORIGIN__ and the fields that change on every run (fetch time, extractor version, crawl run id) left out.
Review the result with `git diff fixtures/golden` before committing: it is the expected output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "fixtures" / "golden"
VOLATILE_FIELDS = ("fetched_at", "extractor", "crawl_id")


def golden_path(page_path: str) -> Path:
    """Where the golden record of a site path is stored."""
    name = page_path.strip("/").replace("/", "__") or "index"
    return GOLDEN / f"{name}.json"


def comparable(record: dict[str, Any], origin: str) -> dict[str, Any]:
    """A record without run-specific values: origin masked, volatile fields dropped."""
    text = json.dumps(
        {k: v for k, v in record.items() if k not in VOLATILE_FIELDS}, ensure_ascii=False
    )
    masked: dict[str, Any] = json.loads(text.replace(origin, "__ORIGIN__"))
    return masked


def main() -> int:
    from scraper.localsite import LocalSite
    from tests.conftest import ARTICLE_PATHS, FAST, SITE, jsonl, run_cli

    GOLDEN.mkdir(parents=True, exist_ok=True)
    with LocalSite(SITE) as site:
        result = run_cli("get", *[site.url + p for p in ARTICLE_PATHS], *FAST)
        records = {
            r["url"].removeprefix(site.url): comparable(r, site.url) for r in jsonl(result.stdout)
        }
    sys.stderr.write(result.stderr.decode("utf-8", "replace"))
    for path in ARTICLE_PATHS:
        if path not in records:
            print(f"golden: no record for {path}; not written", file=sys.stderr)
            continue
        target = golden_path(path)
        target.write_text(
            json.dumps(records[path], ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print(f"golden: wrote {target.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
