"""Extraction quality and cost on the shared gold sets, beside plain trafilatura in the same run.

    python benchmarks/quality.py                           # every set in ../shared/bench
    python benchmarks/quality.py ../shared/bench/wcxb-dev  # one set
    python benchmarks/quality.py --gate benchmarks/quality-floor.json --repeat 3

For each data set: writes our predictions as JSONL (`out/quality/predictions-<set>.jsonl`),
scores them and plain trafilatura's with the set's own evaluator (`../shared/bench/evaluate.py`:
body text the public benchmark's way, or trafilatura's snippet method for snippet sets), and
prints both on the whole set and on its two halves:

- the *tune* half and the *check* half are split by site (registered domain), so that no site
  is in both; a rule written from a page of the tune half must also lift the check half, which
  no rule was written from. `--half tune` scores one half only, for work in progress.

Cost: the median CPU milliseconds per page of `extract_article` (metadata included) against
the afternoon version, plain `trafilatura.extract(html, url=url)`, timed page by page back to
back in this process so that machine load hits both alike; the first pass is also the one that
writes the predictions, `--repeat N` adds passes that only time. The data stays where it is;
nothing from it is written into the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import trafilatura

from scraper import extract_article
from scraper.record import ArticleRecord

BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
SETS = ("scrapinghub-dev", "news-dev", "trafilatura-dev", "wcxb-dev")
HALVES = ("tune", "check")

# Second-level labels under which a country's registrations sit ("bbc.co.uk", "abc.net.au").
_SECOND_LEVEL = {"co", "com", "net", "org", "gov", "ac", "edu", "or", "ne", "go", "gob", "nic"}


def site_of(url: str | None) -> str:
    """The registered domain of `url` ("news.bbc.co.uk" -> "bbc.co.uk"), "" without a host."""
    labels = (urlsplit(url or "").hostname or "").removeprefix("www.").split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def half_of(url: str | None) -> str:
    """ "tune" or "check": a fixed split of sites, the same on every machine and run."""
    return HALVES[hashlib.sha256(site_of(url).encode()).digest()[0] % 2]


def load_pages(data: Path) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Gold records and decoded HTML (UTF-8 as the evaluator decodes it), by page id."""
    gold = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    html = {
        pid: gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes()).decode(
            "utf-8", "replace"
        )
        for pid in gold
    }
    return gold, html


def load_evaluator(bench: Path) -> ModuleType:
    """The shared evaluator, imported from where it lies."""
    spec = importlib.util.spec_from_file_location("bench_evaluate", bench / "evaluate.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the evaluator {bench / 'evaluate.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def is_snippet_set(gold: dict[str, dict[str, Any]]) -> bool:
    return any("with" in entry for entry in gold.values())


def write_predictions(
    pages: dict[str, str],
    gold: dict[str, dict[str, Any]],
    out: Path,
    extract: Callable[[str, str | None], ArticleRecord | None],
    timing: dict[str, float] | None = None,
) -> list[str]:
    """Write one prediction row per page to `out`, in the evaluator's format.

    A page whose extraction raises is written empty, which the evaluator scores as a miss, and
    is returned as "id: error": one bug on an unseen page must not cost the run its figures.
    A page that gives no record is written empty too. With `timing`, the CPU seconds of each
    page's extraction and of plain `trafilatura.extract` on it are added to its "ours" and
    "plain" entries.
    """
    failed: list[str] = []
    with out.open("w", encoding="utf-8") as handle:
        for pid, html in pages.items():
            url = str(gold[pid].get("url") or "") or None
            start = time.process_time()
            try:
                record = extract(html, url)
            except Exception as error:
                failed.append(f"{pid}: {type(error).__name__}: {error}")
                record = None
            if timing is not None:
                timing["ours"] += time.process_time() - start
                timing["plain"] += _time_plain(html, url)
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
                    page_kind=record.page_kind,
                )
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return failed


def _time_plain(html: str, url: str | None) -> float:
    """CPU seconds of the afternoon version, `trafilatura.extract(html, url=url)`."""
    start = time.process_time()
    with contextlib.suppress(Exception):
        trafilatura.extract(html, url=url)
    return time.process_time() - start


def time_extraction(
    pages: dict[str, str], gold: dict[str, dict[str, Any]], fast: bool, passes: int
) -> list[tuple[float, float]]:
    """(ours, plain) CPU ms per page for each extra pass; the order alternates between passes
    so that neither extractor always meets a warm cache."""
    results = []
    for repetition in range(passes):
        spent = {"ours": 0.0, "plain": 0.0}
        for pid, html in pages.items():
            url = str(gold[pid].get("url") or "") or None
            if repetition % 2 == 0:
                spent["plain"] += _time_plain(html, url)
            start = time.process_time()
            with contextlib.suppress(Exception):
                extract_article(html, url, fast=fast)
            spent["ours"] += time.process_time() - start
            if repetition % 2 == 1:
                spent["plain"] += _time_plain(html, url)
        results.append((spent["ours"] * 1000 / len(pages), spent["plain"] * 1000 / len(pages)))
    return results


def read_predictions(path: Path) -> dict[str, dict[str, Any]]:
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows[row["id"]] = row
    return rows


def trafilatura_rows(
    evaluator: ModuleType, data: Path, gold: dict[str, dict[str, Any]], cache: Path | None
) -> dict[str, dict[str, Any]]:
    """Plain trafilatura's predictions, made by the evaluator's own call; from `cache` when
    asked (for work in progress: the figures of record come from the same run)."""
    if cache is not None and cache.exists():
        return read_predictions(cache)
    rows = evaluator.trafilatura_predictions(data, gold)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("w", encoding="utf-8") as handle:
            for pid, row in rows.items():
                handle.write(json.dumps({"id": pid, **row}, ensure_ascii=False) + "\n")
    return dict(rows)


_FIGURES = ("f1", "precision", "recall", "accuracy", "title", "authors", "date")


def score_halves(
    evaluator: ModuleType,
    gold: dict[str, dict[str, Any]],
    predictions: dict[str, dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    """The evaluator's scores on the whole set and on each half."""
    scorer = evaluator.score_snippets if is_snippet_set(gold) else evaluator.score
    parts: dict[str, dict[str, dict[str, Any]]] = {"all": gold}
    for half in HALVES:
        parts[half] = {pid: g for pid, g in gold.items() if half_of(g.get("url")) == half}
    return {name: scorer(part, predictions) for name, part in parts.items() if part}


def _cell(value: Any) -> str:
    return "     -" if value is None else f"{value:6.3f}"


def print_scores(name: str, ours: dict[str, Any], plain: dict[str, Any]) -> None:
    """Rows for both extractors on each part of the set, and our margin over trafilatura."""
    print(f"\n{name}")
    header = "".join(f"{f:>8}" for f in _FIGURES)
    print(f"  {'part':6} {'extractor':12} {'pages':>5} {'empty':>5}{header}")
    for part in ours:
        for label, scores in (("newsscrape", ours[part]), ("trafilatura", plain[part])):
            cells = "".join(f"  {_cell(scores[f])}" for f in _FIGURES)
            print(f"  {part:6} {label:12} {scores['pages']:5d} {scores['empty']:5d}{cells}")
        margins = "".join(
            f"  {_cell(None if ours[part][f] is None else ours[part][f] - plain[part][f])}"
            for f in _FIGURES
        )
        print(f"  {part:6} {'margin':12} {'':5} {'':5}{margins}")


def carry_over(ours: dict[str, Any], plain: dict[str, Any]) -> dict[str, float | None]:
    """For each figure, the check half's margin over trafilatura as a share of the tune
    half's (1.0: the gain carries over whole; None when the tune half has no gain)."""
    shares: dict[str, float | None] = {}
    for figure in _FIGURES:
        if "tune" not in ours or "check" not in ours or ours["tune"][figure] is None:
            continue
        tune = ours["tune"][figure] - plain["tune"][figure]
        check = ours["check"][figure] - plain["check"][figure]
        shares[figure] = check / tune if tune > 0.005 else None
    return shares


def check_gate(floors: dict[str, float], figures: dict[str, float]) -> int:
    """Print each gated figure beside its floor; 1 when any is below (time_ratio: above).

    A floor named "margin_<figure>" bounds our margin over trafilatura on that figure.
    """
    failed = 0
    for metric, bound in floors.items():
        if metric.startswith("_"):
            continue
        value = figures.get(metric)
        ceiling = metric == "time_ratio"
        ok = value is not None and (value <= bound if ceiling else value >= bound)
        failed += not ok
        limit = "at most" if ceiling else "at least"
        shown = "missing" if value is None else f"{value:.3f}"
        print(f"  gate {'ok  ' if ok else 'FAIL'} {metric}: {shown} ({limit} {bound})")
    return 1 if failed else 0


def gate_figures(
    ours: dict[str, Any], plain: dict[str, Any], time_ratio: float | None
) -> dict[str, float]:
    figures = {f: float(v) for f, v in ours["all"].items() if isinstance(v, (int, float))}
    for figure in _FIGURES:
        if ours["all"][figure] is not None and plain["all"][figure] is not None:
            figures[f"margin_{figure}"] = ours["all"][figure] - plain["all"][figure]
    if time_ratio is not None:
        figures["time_ratio"] = time_ratio
    return figures


def run_set(data: Path, args: argparse.Namespace, evaluator: ModuleType) -> int:
    """Predict, time and score one data set; returns the gate's status (0 when ungated)."""
    gold, pages = load_pages(data)
    if args.half != "all":
        gold = {pid: g for pid, g in gold.items() if half_of(g.get("url")) == args.half}
        pages = {pid: pages[pid] for pid in gold}
    out = args.out_dir / f"predictions-{data.name}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)

    timing = {"ours": 0.0, "plain": 0.0}
    failed = write_predictions(
        pages,
        gold,
        out,
        lambda html, url: extract_article(html, url, fast=args.fast),
        timing if args.repeat else None,
    )
    passes = [(timing["ours"] * 1000 / len(pages), timing["plain"] * 1000 / len(pages))]
    passes += time_extraction(pages, gold, args.fast, max(args.repeat - 1, 0))

    cache = args.out_dir / f"trafilatura-{data.name}.jsonl" if args.cached_baseline else None
    plain_rows = trafilatura_rows(evaluator, data, gold, cache)
    ours = score_halves(evaluator, gold, read_predictions(out))
    plain = score_halves(evaluator, gold, plain_rows)
    print_scores(f"{data.name} ({len(gold)} pages)", ours, plain)
    shares = carry_over(ours, plain)
    if shares:
        shown = ", ".join(
            f"{f} {'-' if s is None else f'{s:.0%}'}" for f, s in shares.items() if f in ours["all"]
        )
        print(f"  check half's margin as a share of the tune half's: {shown}")

    time_ratio = None
    if args.repeat:
        ours_ms = statistics.median(p[0] for p in passes)
        plain_ms = statistics.median(p[1] for p in passes)
        time_ratio = ours_ms / plain_ms
        print(
            f"  CPU ms/page (median of {len(passes)}): newsscrape {ours_ms:.1f}  "
            f"trafilatura.extract {plain_ms:.1f}  ratio {time_ratio:.2f}x"
        )
    if failed:
        print(f"  extraction raised on {len(failed)} page(s), scored as empty:", file=sys.stderr)
        for failure in failed:
            print(f"    {failure}", file=sys.stderr)
    if args.per_page:
        write_per_page(args.out_dir / f"per-page-{data.name}.tsv", gold, ours, plain)
    if args.gate is None or args.half != "all":
        return 0
    floors = json.loads(args.gate.read_text()).get(data.name, {})
    return check_gate(floors, gate_figures(ours, plain, time_ratio))


def write_per_page(
    path: Path, gold: dict[str, dict[str, Any]], ours: dict[str, Any], plain: dict[str, Any]
) -> None:
    """Each page's text scores, ours beside trafilatura's, worst difference first."""
    rows = []
    for pid, g in gold.items():
        mine, theirs = ours["all"]["per_page"][pid], plain["all"]["per_page"][pid]
        f1s = [
            0.0 if not p or not r else 2 * p * r / (p + r)
            for p, r, _ in (mine, theirs)
            for p, r in [(p or 0.0, r or 0.0)]
        ]
        rows.append((f1s[0] - f1s[1], pid, half_of(g.get("url")), *mine[:2], *theirs[:2]))
    rows.sort(key=lambda row: row[0])
    with path.open("w", encoding="utf-8") as handle:
        handle.write("delta\tid\thalf\tours_p\tours_r\ttraf_p\ttraf_r\n")
        for row in rows:
            handle.write("\t".join(_tsv(v) for v in row) + "\n")
    print(f"  per-page scores: {path}")


def _tsv(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "data", type=Path, nargs="*", help=f"data directories (default: the sets in {BENCH})"
    )
    parser.add_argument("--out-dir", type=Path, default=Path("out") / "quality")
    parser.add_argument("--per-page", action="store_true", help="write per-page scores (TSV)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="timing passes, median taken (0: no timing)"
    )
    parser.add_argument("--half", choices=("all", *HALVES), default="all")
    parser.add_argument(
        "--cached-baseline",
        action="store_true",
        help="reuse plain trafilatura's predictions from an earlier run (work in progress)",
    )
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
    sets = args.data or [BENCH / name for name in SETS if (BENCH / name).is_dir()]
    if not sets:
        raise SystemExit(f"no data sets found in {BENCH}")
    evaluator = load_evaluator(sets[0].parent)
    status = 0
    for data in sets:
        status |= run_set(data, args, evaluator)
    return status


if __name__ == "__main__":
    sys.exit(main())
