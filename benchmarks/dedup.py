"""Near-duplicate detection on generated syndicated copies and same-event articles.

    python benchmarks/dedup.py [--stories 250] [--seed 5] [--state FILE] [--examples]

Generates the test set of tests/syndication.py (wire stories, their syndicated copies, and
distinct articles about the same events, shuffled), runs every document through
`DuplicateDetector` in that order, and prints precision and recall of its decisions (was a
document marked as a copy of the right story?) and of the clusters it built (pairs), beside
two baselines scored on the same documents in the same run: exact text fingerprint only,
and near-duplicate by Jaccard similarity of the whole texts instead of containment. Speed:
documents per second, and the median milliseconds per document beside the median for the exact
fingerprint alone (normalising and hashing the text), measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scraper.dedup import DedupState, DuplicateDetector
from scraper.dedup.detector import MIN_CONTAINMENT
from scraper.dedup.shingles import TextSketch, sketch_text
from scraper.record import text_fingerprint
from scraper.state.dedup import CANDIDATES
from tests.syndication import Document, Scores, generate, score


def run_detector(
    documents: list[Document], state_file: str, min_containment: float
) -> tuple[list[tuple[str | None, str]], list[float]]:
    """Verdicts (duplicate_of, cluster_id) in order, and seconds per document."""
    verdicts: list[tuple[str | None, str]] = []
    timings: list[float] = []
    with DedupState(state_file) as state:
        detector = DuplicateDetector(state, min_containment=min_containment)
        for document in documents:
            record = document.record()
            start = time.perf_counter()
            verdict = detector.observe(record)
            timings.append(time.perf_counter() - start)
            verdicts.append((verdict.duplicate_of, verdict.cluster_id))
    return verdicts, timings


def run_exact_only(documents: list[Document]) -> tuple[list[tuple[str | None, str]], list[float]]:
    """Baseline: a copy only when the normalised text is identical (the record's fingerprint,
    computed here and timed per document: the least any text deduplication must do)."""
    first: dict[str, str] = {}
    verdicts: list[tuple[str | None, str]] = []
    timings: list[float] = []
    for document in documents:
        start = time.perf_counter()
        fingerprint = text_fingerprint(document.text)
        earlier = first.setdefault(fingerprint, document.url)
        timings.append(time.perf_counter() - start)
        verdicts.append((earlier if earlier != document.url else None, fingerprint))
    return verdicts, timings


def run_jaccard(documents: list[Document], threshold: float) -> list[tuple[str | None, str]]:
    """Baseline: the usual MinHash-LSH setting, Jaccard similarity of whole texts, over the
    same candidates (the documents sharing most sketch values), so only the measure differs."""
    sketches: list[TextSketch] = []
    firsts: list[str] = []
    postings: dict[int, list[int]] = {}
    verdicts: list[tuple[str | None, str]] = []
    for index, document in enumerate(documents):
        sketch = sketch_text(document.text)
        shared = Counter(other for value in sketch.minima for other in postings.get(value, ()))
        best, best_similarity = None, threshold
        for other, _count in shared.most_common(CANDIDATES):
            similarity = _jaccard(sketch, sketches[other])
            if similarity >= best_similarity:
                best, best_similarity = firsts[other], similarity
        sketches.append(sketch)
        firsts.append(best or document.url)
        for value in sketch.minima:
            postings.setdefault(value, []).append(index)
        verdicts.append((best, firsts[-1]))
    return verdicts


def _jaccard(a: TextSketch, b: TextSketch) -> float:
    k = min(len(a.minima), len(b.minima))
    if not k:
        return 0.0
    union = sorted(set(a.minima) | set(b.minima))[:k]
    in_a, in_b = set(a.minima), set(b.minima)
    return sum(1 for value in union if value in in_a and value in in_b) / k


def report(name: str, scores: Scores) -> None:
    print(
        f"{name:<34} precision {scores.precision:.4f}  recall {scores.recall:.4f}  "
        f"(right {scores.decisions_right}, wrong {scores.decisions_wrong}, "
        f"missed {scores.missed})  pairs P {scores.pair_precision:.4f} R {scores.pair_recall:.4f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=250)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--state", default=":memory:", help="SQLite state file (default: memory)")
    parser.add_argument("--containment", type=float, default=MIN_CONTAINMENT)
    parser.add_argument("--examples", action="store_true", help="print wrong and missed cases")
    args = parser.parse_args()

    documents = generate(args.stories, args.seed)
    kinds: dict[str, int] = {}
    for document in documents:
        kinds[document.kind] = kinds.get(document.kind, 0) + 1
    print(
        f"{len(documents)} documents from {args.stories} events: "
        + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    )
    started = time.perf_counter()
    verdicts, timings = run_detector(documents, args.state, args.containment)
    elapsed = time.perf_counter() - started
    ours = score(documents, verdicts)
    report(f"newsscrape (containment >= {args.containment})", ours)
    exact, exact_timings = run_exact_only(documents)
    report("baseline: exact fingerprint", score(documents, exact))
    for threshold in (0.5, 0.3):
        report(
            f"baseline: Jaccard >= {threshold}",
            score(documents, run_jaccard(documents, threshold)),
        )
    ours_ms = 1000 * statistics.median(timings)
    exact_ms = 1000 * statistics.median(exact_timings)
    print(
        f"speed: {len(documents) / elapsed:.0f} documents/s; median per document "
        f"{ours_ms:.2f} ms, exact fingerprint alone {exact_ms:.2f} ms "
        f"(ratio {ours_ms / exact_ms:.1f}x, same run)"
    )
    if args.examples:
        by_url = {document.url: document for document in documents}
        for url, duplicate_of in ours.wrong_examples:
            print(f"WRONG {url} ({by_url[url].kind}) -> {duplicate_of}")
        for url in ours.missed_examples:
            print(f"MISSED {url} ({by_url[url].kind}, {by_url[url].edits})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
