"""The record drops a byline of its own authors among the first paragraphs: the names alone on
a line, or a byline ending the standfirst."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.extract.article import (
    _BYLINE_ZONE,
    _LAST_SENTENCE,
    _NAME_LIST,
    analyse_page,
    without_head_byline,
)
from scraper.extract.authors import parse_byline
from scraper.extract.text import fold

_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_TEXT = "The council met on Tuesday to discuss the new budget for the town's schools."


def _every_part_folded(paragraphs: list[str], authors: list[str]) -> list[str]:
    """without_head_byline as it read before its first-part-that-is-not test: every part of a
    paragraph folded, the set of them compared with the authors'."""
    keys = {fold(a) for a in authors}
    if not keys:
        return paragraphs
    kept: list[str | None] = list(paragraphs)
    for index, paragraph in enumerate(paragraphs[:_BYLINE_ZONE]):
        if {fold(part) for part in _NAME_LIST.split(paragraph)} <= keys:
            kept[index] = None
            continue
        cuts = list(_LAST_SENTENCE.finditer(paragraph))
        if not cuts:
            continue
        cut = cuts[-1]
        names = parse_byline(paragraph[cut.end() :])
        if names and {fold(n) for n in names} <= keys:
            kept[index] = paragraph[: cut.start()].rstrip()
    return [p for p in kept if p is not None]


_AUTHORS = ["Jane Doe", "Joe Roe"]
_CASES = {
    "names alone": (["Jane Doe, Joe Roe", _TEXT], [_TEXT]),
    "names in another order": (["JOE ROE & jane doe", _TEXT], [_TEXT]),
    "one name alone": (["Jane Doe", _TEXT], [_TEXT]),
    "a name that is not an author": (["Jane Doe, Someone Else", _TEXT], None),
    "an author first in a sentence": (["Jane Doe, the council's treasurer, spoke.", _TEXT], None),
    "after the zone": ([_TEXT, _TEXT, _TEXT, "Jane Doe"], None),
    "the standfirst's byline": ([f"{_TEXT} By Jane Doe and Joe Roe", _TEXT], [_TEXT, _TEXT]),
    "a standfirst naming another": ([f"{_TEXT} By Someone Else", _TEXT], None),
}


@pytest.mark.parametrize("case", _CASES)
def test_the_head_byline_cases(case: str) -> None:
    paragraphs, expected = _CASES[case]
    kept = without_head_byline(paragraphs, _AUTHORS)
    assert kept == (paragraphs if expected is None else expected)
    assert kept == _every_part_folded(paragraphs, _AUTHORS)


def test_every_fixture_page_keeps_what_folding_every_part_keeps() -> None:
    compared = 0
    for page in sorted(_FIXTURES.rglob("*.html")):
        extraction = analyse_page(page.read_text("utf-8", "replace"), "https://news.example.com/a")
        paragraphs = extraction.body.paragraphs
        for authors in (
            extraction.metadata.authors,
            _AUTHORS,
            [paragraphs[0]] if paragraphs else [],
        ):
            assert without_head_byline(paragraphs, authors) == _every_part_folded(
                paragraphs, authors
            )
            compared += 1
    assert compared > 30
