"""Texts as sets of hashed word shingles, summarised by bottom-k sketches.

A shingle is a run of SHINGLE_WORDS consecutive normalised words (the words the record's
`fingerprint` is computed from), so paragraph breaks, punctuation and case do not matter: a
re-paragraphed copy has the same shingles. Five words are long enough that two different
articles about one event rarely share a shingle outside a quoted sentence, and short enough
that a copy edit (one changed word) spoils only five shingles.

A sketch keeps the SKETCH_SIZE smallest shingle hashes of a text (a bottom-k MinHash: one
hash function, cheap to compute) and the number of distinct shingles. Two sketches estimate
how much of the shorter text's shingles the other holds, without the texts.
"""

from __future__ import annotations

import hashlib
import heapq
from dataclasses import dataclass

from scraper.record import normalised_words

SHINGLE_WORDS = 5
SKETCH_SIZE = 128
# 63 bits (a 64-bit digest shifted right once): hashes stay positive in SQLite's signed
# 64-bit integers.
_HASH_MASK = (1 << 63) - 1


def _shingles(text: str, width: int) -> set[str]:
    words = normalised_words(text)
    if len(words) <= width:
        return {" ".join(words)} if words else set()
    # Each shingle is `width` consecutive words: zip the list with itself shifted.
    return set(map(" ".join, zip(*(words[shift:] for shift in range(width)), strict=False)))


def _shingle_digests(text: str, width: int) -> set[bytes]:
    # blake2b, not hash(): the same value in every process and Python version, since the
    # sketches persist across runs. (It is also faster here than mixing per-word hashes.)
    # Copying one prepared hasher costs less than building one with its digest size each time.
    empty = hashlib.blake2b(digest_size=8)

    def digest(shingle: str) -> bytes:
        hasher = empty.copy()
        hasher.update(shingle.encode("utf-8"))
        return hasher.digest()

    return set(map(digest, _shingles(text, width)))


def _hash_value(digest: bytes) -> int:
    return int.from_bytes(digest, "big") >> 1


def shingle_hashes(text: str, width: int = SHINGLE_WORDS) -> set[int]:
    """The distinct hashed `width`-word shingles of `text` (one shingle if it is shorter)."""
    return set(map(_hash_value, _shingle_digests(text, width)))


@dataclass(frozen=True)
class TextSketch:
    """A text's bottom-k sketch: its `size` (distinct shingles) and smallest hashes."""

    size: int
    minima: tuple[int, ...]

    @property
    def complete_below(self) -> int:
        """Every shingle hash of the text at or below this value is in `minima`."""
        if self.size <= len(self.minima):
            return _HASH_MASK
        return self.minima[-1]


def sketch_of(hashes: set[int], k: int = SKETCH_SIZE) -> TextSketch:
    """The sketch of a set of shingle hashes."""
    return TextSketch(size=len(hashes), minima=tuple(heapq.nsmallest(k, hashes)))


def sketch_text(text: str, k: int = SKETCH_SIZE) -> TextSketch:
    """The sketch of a text: `sketch_of(shingle_hashes(text))`, made for each article on the
    crawl's reactor thread, so made cheaply: big-endian digests sort as their values do, so
    only the k smallest become integers."""
    digests = _shingle_digests(text, SHINGLE_WORDS)
    return TextSketch(size=len(digests), minima=tuple(map(_hash_value, sorted(digests)[:k])))


def containment(a: TextSketch, b: TextSketch) -> float:
    """Estimated share of the smaller text's shingles that the other text also has.

    Below the lower of the two sketches' cut-offs both sketches hold every shingle of their
    text, so the smaller text's hashes there are a uniform sample of its shingles, and each
    can be looked up exactly in the other sketch.
    """
    small, large = (a, b) if a.size <= b.size else (b, a)
    if not small.size:
        return 0.0
    limit = min(small.complete_below, large.complete_below)
    sample = [value for value in small.minima if value <= limit]
    if not sample:
        return 0.0
    in_large = set(large.minima)
    return sum(1 for value in sample if value in in_large) / len(sample)
