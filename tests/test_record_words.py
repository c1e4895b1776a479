"""normalised_words' path for texts without CJK characters (runs of \\w) gives the words of its
one expression (an ideograph or kana alone, else runs of \\w without them) on every text."""

from __future__ import annotations

import re
import unicodedata

import pytest

from scraper.record import _CJK, normalised_words
from tests.fixture_texts import fixture_page_texts

_ONE_EXPRESSION = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


def _words(text: str) -> list[str]:
    """normalised_words as its one expression defines it, for any text."""
    return _ONE_EXPRESSION.findall(unicodedata.normalize("NFKC", text).casefold())


# The first and last character of each CJK range ("first-last" three characters at a time)
# and the characters just outside them.
_RANGES = [(ord(_CJK[at]), ord(_CJK[at + 2])) for at in range(0, len(_CJK), 3)]
_RANGE_EDGES = [chr(code) for first, last in _RANGES for code in (first - 1, first, last, last + 1)]


def test_the_range_edges_are_read_from_every_range() -> None:
    assert all(_CJK[at + 1] == "-" for at in range(0, len(_CJK), 3))
    assert len(_RANGES) == _CJK.count("-") == 4


@pytest.mark.parametrize("character", _RANGE_EDGES)
def test_each_cjk_range_edge_between_latin_words(character: str) -> None:
    for text in (f"abc{character}def", f"{character}", f"x {character}{character} 42_y"):
        assert normalised_words(text) == _words(text), repr(text)


@pytest.mark.parametrize(
    "text",
    [
        "東京都は2024年に新しい計画を発表した。",
        "ひらがなとカタカナ・テスト",  # the middle dot is in the kana block but no \w
        "Mixed 中文 and English_words 123",
        "caf\u00e9 and cafe\u0301: combined and combining marks",
        "\ufb01nancial \ufb02ow",  # ligatures: NFKC makes them "fi", "fl"
        "\uff21\uff22\uff23 \uff11\uff12",  # full-width letters and digits
        "x\u00b2 \u2460 \u00bd",  # superscript, circled, vulgar fraction
        "Stra\u00dfe \u0130stanbul \u03a3\u039f\u03a6\u039f\u03a3",  # case folding
        "\u2f00\u2f08 \u3300",  # Kangxi radicals and a square word: CJK only after NFKC
        "\u2018quoted\u2019 \u201cwords\u201d \u2014 dashes\u2026 and\u00a0no-break\u00a0space",
        "",
        "  ---  ",
        "\U0001f600 emoji \U00020000 plane two",
    ],
)
def test_texts_give_the_words_of_the_one_expression(text: str) -> None:
    assert normalised_words(text) == _words(text)


def test_cjk_made_by_nfkc_counts_one_word_a_character() -> None:
    # Searched for in the folded text, not the page's: U+2F00 becomes U+4E00.
    assert normalised_words("ab\u2f00\u2f08cd") == ["ab", "\u4e00", "\u4eba", "cd"]


def test_every_text_of_the_fixture_pages_gives_the_words_of_the_one_expression() -> None:
    compared = 0
    for text in fixture_page_texts():
        assert normalised_words(text) == _words(text), repr(text[:80])
        compared += 1
    assert compared > 1000
