"""Deduplication of syndicated copies: quality on the generated set, state across runs, and
`--dedup keep|drop` through the real CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipelines.neardup import NearDupPipeline
from scraper.dedup import DedupState, DuplicateDetector
from scraper.dedup.detector import NEAR_DUPLICATE, SAME_TEXT, SAME_URL
from scraper.dedup.shingles import containment, shingle_hashes, sketch_of, sketch_text
from tests.conftest import jsonl, run_cli
from tests.syndication import Document, generate, score, syndicated_copy

# A fixed seed and a set big enough to hold every kind of change many times over, small
# enough to run in seconds: 60 events give about 400 documents.
EVENTS, SEED = 60, 11


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    return generate(EVENTS, SEED)


def test_the_generated_set_holds_what_it_claims(corpus: list[Document]) -> None:
    kinds = {document.kind for document in corpus}
    assert kinds == {"wire", "copy", "distinct", "distinct-copy", "follow-up", "follow-up-copy"}
    changes = {change for document in corpus for change in document.edits}
    assert changes == {"chrome", "headline", "trim", "note", "repara", "edit", "local"}
    # Distinct articles about one event share its names and numbers with the wire story.
    event = corpus[0].event
    same_event = [document for document in corpus if document.event == event]
    stories = {document.story for document in same_event}
    assert len(stories) >= 2
    wire = next(d for d in corpus if d.event == event and d.kind == "wire")
    distinct = next(d for d in corpus if d.event == event and d.kind == "distinct")
    shared_words = set(wire.text.split()) & set(distinct.text.split())
    assert any(word[:1].isupper() for word in shared_words)  # names, places
    assert any(word.strip("$.,").replace(".", "").isdigit() for word in shared_words)


def test_near_duplicate_precision_and_recall(corpus: list[Document]) -> None:
    verdicts = []
    with DedupState(":memory:") as state:
        detector = DuplicateDetector(state)
        for document in corpus:
            verdict = detector.observe(document.record())
            verdicts.append((verdict.duplicate_of, verdict.cluster_id))
    scores = score(corpus, verdicts)
    assert scores.decisions_right > 200
    assert scores.precision >= 0.98, scores.wrong_examples[:5]
    assert scores.recall >= 0.95, scores.missed_examples[:5]


def test_a_trimmed_copy_is_contained_and_a_same_event_article_is_not(
    corpus: list[Document],
) -> None:
    import random

    follow_up = next(document for document in corpus if document.kind == "follow-up")
    wire = next(d for d in corpus if d.event == follow_up.event and d.kind == "wire")
    other = next(d for d in corpus if d.event == wire.event and d.kind == "distinct")
    rng = random.Random(3)
    paragraphs = wire.text.split("\n\n")
    trimmed = "\n\n".join(paragraphs[: len(paragraphs) // 2])
    copy, _changes = syndicated_copy(rng, trimmed, "paper.example", "2020")
    assert containment(sketch_text(copy), sketch_text(wire.text)) >= 0.8
    assert containment(sketch_text(other.text), sketch_text(wire.text)) < 0.3
    # The wire's own follow-up repeats two of its paragraphs word for word, and is still
    # another story.
    recap = wire.text.split("\n\n")[0]
    assert recap in follow_up.text
    assert 0.05 < containment(sketch_text(follow_up.text), sketch_text(wire.text)) < 0.4


def _record(url: str, text: str) -> dict[str, object]:
    return Document(url, text, "s", "e", "wire").record()


def test_state_persists_across_runs_and_names_the_earliest_copy(
    corpus: list[Document], tmp_path: Path
) -> None:
    wire = next(document for document in corpus if document.kind == "wire")
    copies = [d for d in corpus if d.story == wire.story and d.kind == "copy"]
    state_file = tmp_path / "state" / "dedup.sqlite"

    first_run = NearDupPipeline(str(state_file))
    first_run.open_spider()
    original = first_run.process_item(_record(wire.url, wire.text))
    first_run.close_spider()
    assert original["duplicate_of"] is None

    second_run = NearDupPipeline(str(state_file))
    marked = second_run.process_item(_record(copies[0].url, copies[0].text))
    exact = second_run.process_item(_record("https://mirror.example/same", wire.text))
    again = second_run.process_item(_record(wire.url, wire.text))
    second_run.close_spider()
    assert marked["duplicate_of"] == wire.url
    assert marked["cluster_id"] == original["cluster_id"]
    assert exact["duplicate_of"] == wire.url
    # The first copy seen again (a re-fetch) is not a duplicate of itself.
    assert again["duplicate_of"] is None and again["cluster_id"] == original["cluster_id"]

    with DedupState(state_file) as state:
        detector = DuplicateDetector(state)
        assert detector.observe(_record(copies[-1].url, copies[-1].text)).reason in (
            NEAR_DUPLICATE,
            SAME_TEXT,
        )
        assert detector.observe(_record(wire.url, "changed")).reason == SAME_URL


def test_a_word_for_word_copy_is_stored_with_its_own_texts_sketch(
    corpus: list[Document],
) -> None:
    # The copy reuses the first copy's sketch (same words in other case and spacing); it must
    # be the one its own text gives, or later near-duplicate matches against it would drift.
    wire = next(document for document in corpus if document.kind == "wire")
    retyped = "  ".join(wire.text.upper().split())
    with DedupState() as state:
        detector = DuplicateDetector(state)
        detector.observe(_record(wire.url, wire.text))
        verdict = detector.observe(_record("https://mirror.example/same", retyped))
        stored = state.by_key("https://mirror.example/same")
    assert verdict.reason == SAME_TEXT and verdict.duplicate_of == wire.url
    assert stored is not None and stored.sketch == sketch_text(retyped)


def test_short_texts_are_never_matched_by_text() -> None:
    stub = "Subscribe to continue reading this story. Already a subscriber? Log in."
    with DedupState() as state:
        detector = DuplicateDetector(state)
        first = detector.observe(_record("https://a.example/1", stub))
        second = detector.observe(_record("https://a.example/2", stub))
    assert first.duplicate_of is None and second.duplicate_of is None


def test_drop_mode_drops_copies_and_keeps_first_copies() -> None:
    from scrapy.exceptions import DropItem

    pipeline = NearDupPipeline(mode="drop")
    text = " ".join(f"word{number}" for number in range(200))
    assert pipeline.process_item(_record("https://a.example/1", text))["duplicate_of"] is None
    with pytest.raises(DropItem, match=r"same-text copy of https://a\.example/1"):
        pipeline.process_item(_record("https://b.example/1", text))
    # Saved pages extracted without a URL are still told apart, and dropped, by their text.
    other = " ".join(f"other{number}" for number in range(200))
    unnamed = {**_record("", other), "url": None, "canonical_url": None}
    assert pipeline.process_item(dict(unnamed))["duplicate_of"] is None
    with pytest.raises(DropItem, match="earlier document without URL"):
        pipeline.process_item(dict(unnamed))
    pipeline.close_spider()
    with pytest.raises(ValueError, match="keep or drop"):
        NearDupPipeline(mode="sometimes")


def _page(url: str, title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n\n"))
    return (
        f'<html><head><title>{title}</title><link rel="canonical" href="{url}"></head>'
        "<body><header><nav>Home News Sports</nav>"
        f"</header><article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Copyright The Paper</footer></body></html>"
    )


def test_extract_marks_or_drops_syndicated_copies(corpus: list[Document], tmp_path: Path) -> None:
    wire = next(document for document in corpus if document.kind == "wire")
    copy = next(d for d in corpus if d.story == wire.story and d.kind == "copy")
    other = next(d for d in corpus if d.event == wire.event and d.kind == "distinct")
    files = []
    for name, document in (("wire", wire), ("copy", copy), ("other", other)):
        path = tmp_path / f"{name}.html"
        path.write_text(_page(document.url, f"{name} headline", document.text), encoding="utf-8")
        files.append(str(path))

    kept = run_cli("extract", *files, "--dedup-state", str(tmp_path / "dedup.sqlite"))
    assert kept.returncode == 0, kept.stderr.decode()
    records = jsonl(kept.stdout)
    assert len(records) == 3
    wire_record, copy_record, other_record = records
    assert wire_record["duplicate_of"] is None
    assert wire_record["canonical_url"] == wire.url
    assert copy_record["duplicate_of"] == wire.url
    assert copy_record["cluster_id"] == wire_record["cluster_id"]
    assert other_record["duplicate_of"] is None
    assert other_record["cluster_id"] != wire_record["cluster_id"]

    dropped = run_cli(
        "extract",
        files[1],
        files[2],
        "--dedup",
        "drop",
        "--dedup-state",
        str(tmp_path / "dedup.sqlite"),
    )
    assert dropped.returncode == 0, dropped.stderr.decode()
    assert [r["cluster_id"] for r in jsonl(dropped.stdout)] == [other_record["cluster_id"]]
    assert "copy of https://wire.example/" in dropped.stderr.decode()
    assert "(--dedup drop); skipped" in dropped.stderr.decode()
    assert json.loads(json.dumps(records))  # plain JSON all the way


def test_bad_dedup_option_is_one_line() -> None:
    result = run_cli("extract", "x.html", "--dedup", "sometimes")
    assert result.returncode == 2
    assert b"invalid choice: 'sometimes'" in result.stderr
    assert b"Traceback" not in result.stderr


def test_a_texts_sketch_is_the_bottom_k_of_its_shingle_hashes(corpus: list[Document]) -> None:
    # sketch_text takes a shortcut (digests sorted as bytes); the sketches persist across runs,
    # so it must give exactly the sketch of the hashes, on texts long, short and empty.
    texts = [document.text for document in corpus[:40]] + [
        "",
        "One two.",
        "a b c d e",
        "a b c d e f",
    ]
    for text in texts:
        hashes = shingle_hashes(text)
        assert sketch_text(text) == sketch_of(hashes)
        assert len(hashes) == sketch_text(text).size
    assert shingle_hashes("a b c d e f") == {
        int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") >> 1
        for s in ("a b c d e", "b c d e f")
    }


def test_each_sketch_value_is_posted_once_under_its_document(corpus: list[Document]) -> None:
    # The postings (sketch value -> document) are written in one statement a document; they
    # must be exactly each indexed document's sketch values, under its own id, and a short
    # text's sketch (one shingle) and an empty one post one value and none.
    texts = [document.text for document in corpus[:5]] + ["One two three four.", ""]
    with DedupState() as state:
        for number, text in enumerate(texts):
            state.add_document(
                f"https://example.com/{number}", None, f"print{number}", "c", sketch_text(text)
            )
        ids = dict(state.db.execute("SELECT key, id FROM documents"))
        posted: dict[int, set[int]] = {}
        for value, document in state.db.execute("SELECT value, document FROM sketch_postings"):
            posted.setdefault(document, set()).add(value)
    expected = {
        ids[f"https://example.com/{number}"]: set(sketch_text(text).minima)
        for number, text in enumerate(texts)
        if text
    }
    assert posted == expected
    assert all(len(values) == 128 for values in list(expected.values())[:5])
