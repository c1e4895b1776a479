"""fold's ASCII path (bytes translated, split on spaces) gives what its general path gives:
NFKC, casefold(), the words of \\w+ joined by one space."""

from __future__ import annotations

import re
import unicodedata

import pytest

from scraper.extract.text import fold
from tests.fixture_texts import fixture_page_texts

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def _folded(text: str) -> str:
    """fold as its general path defines it, for any text."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(re.findall(r"\w+", text.casefold()))


def test_every_ascii_character_and_pair_folds_as_the_general_path_folds_it() -> None:
    characters = [chr(code) for code in range(128)]
    for first in characters:
        assert fold(first) == _folded(first), repr(first)
        for second in characters:
            text = f"{first}{second}x{first}Ab{second}"
            assert fold(text) == _folded(text), repr(text)


@pytest.mark.parametrize(
    "text",
    [
        "  The Council REJECTS plan_B for 2024's budget!  ",
        "tab\there\nnew line\r\nform\x0cfeed\x0bvertical\x1cfile\x1fseparators",
        "--- !! ---",
        "snake_case and CamelCase and ALL_CAPS_42",
    ],
)
def test_ascii_lines_fold_to_their_words_lower_cased(text: str) -> None:
    assert fold(text) == _folded(text)
    assert fold(text) == " ".join(re.findall(r"[a-z0-9_]+", text.lower()))


def test_every_text_of_the_fixture_pages_folds_as_the_general_path_folds_it() -> None:
    folded = ascii_texts = 0
    for text in fixture_page_texts():
        assert fold(text) == _folded(text), repr(text[:80])
        folded += 1
        ascii_texts += text.isascii()
    assert ascii_texts > 1000
    assert folded - ascii_texts > 1000  # the general path too
