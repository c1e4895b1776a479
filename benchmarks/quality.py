"""Extraction quality and speed on a gold data set, beside plain trafilatura in the same run.

    python benchmarks/quality.py ../shared/bench/news-dev [--out out/preds.jsonl] [--per-page]

Writes our predictions as JSONL, scores them with the data set's evaluator
(`../shared/bench/evaluate.py --baseline`, which scores plain trafilatura in the same run), and
prints the median CPU milliseconds per page of `extract_article` and of plain
`trafilatura.bare_extraction(with_metadata=True)` over the same decoded HTML, timed page by
page back to back, with their ratio.
The data stays where it is; nothing from it is written into the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from scraper import extract_article
from scraper.record import ArticleRecord


def load_pages(data: Path) -> tuple[dict[str, dict[str, object]], dict[str, str]]:
    """Gold records and decoded HTML (UTF-8 as the evaluator decodes it), by page id."""
    gold = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    html = {
        pid: gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes()).decode(
            "utf-8", "replace"
        )
        for pid in gold
    }
    return gold, html


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="data directory (ground-truth.json, html/)")
    parser.add_argument("--out", type=Path, default=None, help="predictions file to write")
    parser.add_argument("--per-page", action="store_true", help="pass --per-page to the evaluator")
    parser.add_argument("--repeat", type=int, default=3, help="timing repetitions (median taken)")
    parser.add_argument(
        "--fast", action="store_true", help="score `--fast` extraction (no comparison stage)"
    )
    parser.add_argument(
        "--gate",
        type=Path,
        default=None,
        help="JSON floors {data set: {metric: minimum}}; exit 1 when a figure falls below one",
    )
    args = parser.parse_args()

    gold, pages = load_pages(args.data)
    out = args.out or Path("out") / f"predictions-{args.data.name}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)

    ours_ms: list[float] = []
    plain_ms: list[float] = []
    failed = write_predictions(
        pages, gold, out, lambda html, url: extract_article(html, url, fast=args.fast)
    )

    # CPU time of this process, page by page with both extractors back to back: the machine
    # may be shared, and wall time would charge either side with whatever else ran meanwhile
    # (on one busy day, wall-time ratios of the same code spread from 0.99x to 1.72x). The
    # order alternates between passes so that neither always meets a warm cache.
    # A page that raised above is timed as far as it gets, for both extractors alike.
    def ours_on(pid: str, html: str) -> None:
        with contextlib.suppress(Exception):
            extract_article(html, str(gold[pid].get("url") or "") or None, fast=args.fast)

    def plain_on(pid: str, html: str) -> None:
        with contextlib.suppress(Exception):
            trafilatura.bare_extraction(
                html, url=str(gold[pid].get("url") or "") or None, with_metadata=True
            )

    for repetition in range(args.repeat):
        spent = {ours_on: 0.0, plain_on: 0.0}
        order = [ours_on, plain_on] if repetition % 2 == 0 else [plain_on, ours_on]
        for pid, html in pages.items():
            for extractor in order:
                start = time.process_time()
                extractor(pid, html)
                spent[extractor] += time.process_time() - start
        ours_ms.append(spent[ours_on] * 1000 / len(pages))
        plain_ms.append(spent[plain_on] * 1000 / len(pages))

    evaluator = args.data.parent / "evaluate.py"
    command = [sys.executable, str(evaluator), str(args.data), str(out), "--baseline"]
    if args.per_page:
        command.append("--per-page")
    subprocess.run(command, check=True)
    ours, plain = statistics.median(ours_ms), statistics.median(plain_ms)
    print(
        f"\nCPU ms/page (median of {args.repeat}): newsscrape {ours:.1f}  trafilatura {plain:.1f}  "
        f"ratio {ours / plain:.2f}x"
    )
    if failed:
        print(f"extraction raised on {len(failed)} page(s), scored as empty:", file=sys.stderr)
        for failure in failed:
            print(f"  {failure}", file=sys.stderr)
    if args.gate is None:
        return 0
    figures = score_predictions(evaluator, args.data, out)
    figures["time_ratio"] = ours / plain
    return check_gate(json.loads(args.gate.read_text()).get(args.data.name, {}), figures)


def write_predictions(
    pages: dict[str, str],
    gold: dict[str, dict[str, object]],
    out: Path,
    extract: Callable[[str, str | None], ArticleRecord | None],
) -> list[str]:
    """Write one prediction row per page to `out`, in the evaluator's format.

    A page whose extraction raises is written empty, which the evaluator scores as a miss, and
    is returned as "id: error": one bug on an unseen page must not cost the run its figures.
    A page that is not an article (None) is written empty too.
    """
    failed: list[str] = []
    with out.open("w", encoding="utf-8") as handle:
        for pid, html in pages.items():
            url = str(gold[pid].get("url") or "") or None
            try:
                record = extract(html, url)
            except Exception as error:
                failed.append(f"{pid}: {type(error).__name__}: {error}")
                record = None
            row: dict[str, object] = {
                "id": pid,
                "text": "",
                "title": None,
                "authors": [],
                "published": None,
            }
            if record is not None:
                row.update(
                    text=record.text,
                    title=record.title,
                    authors=record.authors,
                    published=record.published,
                )
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return failed


def score_predictions(evaluator: Path, data: Path, predictions: Path) -> dict[str, float]:
    """The evaluator's own scores for our predictions (its score() function, imported)."""
    spec = importlib.util.spec_from_file_location("bench_evaluate", evaluator)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the evaluator {evaluator}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    gold = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    preds = {}
    for line in predictions.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        preds[entry["id"]] = entry
    scores = module.score(gold, preds)
    return {k: float(v) for k, v in scores.items() if isinstance(v, (int, float))}


def check_gate(floors: dict[str, float], figures: dict[str, float]) -> int:
    """Print each gated figure beside its floor; 1 when any is below (time_ratio: above)."""
    failed = 0
    for metric, bound in floors.items():
        value = figures.get(metric)
        ceiling = metric == "time_ratio"
        ok = value is not None and (value <= bound if ceiling else value >= bound)
        failed += not ok
        limit = "at most" if ceiling else "at least"
        shown = "missing" if value is None else f"{value:.3f}"
        print(f"gate {'ok  ' if ok else 'FAIL'} {metric}: {shown} ({limit} {bound})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
