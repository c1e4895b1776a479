"""The line rules' pre-tests (scraper.extract.chrome_lines): a pre-tested rule answers as the
whole alternation of the rules does."""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import lxml.html
import pytest

from scraper.extract import chrome_lines
from scraper.extract.chrome_lines import _CHROME_LINE, _PRETESTED, _folded_line, _is_rule_line
from tests.test_prose_guard import _gold_lines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Lines each pre-tested rule matches (in capitals, after bullets, beside non-ASCII ones), and
# lines near them that no rule matches.
_LINES = [
    "Sign up for our free Morning Briefing newsletter to get the news first.",
    "- SUBSCRIBE TO THE WEEKLY NEWSLETTER for more.",
    "Got a tip? Get in touch with us at tips@paper.example today.",
    "Escríbenos a noticias@paper.example si quieres contarnos algo.",
    "Get Gardening delivered to your door: 12 issues for £12, then subscribe monthly.",
    "Mehr zur Lage lesen Sie in unserem Liveblog:",
    "Mehr zur Lage hören Sie in unserem Podcast:",
    "Jane Doe contributed to this report from Hong Kong.",
    "If you value our journalism, please support us with a donation.",
    "Hat Ihnen dieser Artikel gefallen? Dann unterstützen Sie uns.",
    "Have a tip? Reach us securely on Signal at +1 555 0100.",
    "Hinweise? Melden Sie sich vertraulich über Signal bei unserem Reporter.",
    "Did you know the council met on Tuesday to discuss the newsletter?",
    "The reporters contributed to a fund in Hong Kong last year, the filing says.",
    "She said she had spoken securely with sources before the vote.",
    "Share",
    "(dpa/red)",
    "The council met on Tuesday to discuss the budget.",
    # Non-ASCII lines, in capitals and with the letters IGNORECASE matches beside their own
    # ("ſ" for "s", "İ" and "ı" for "i"): each is read by the pre-tests on the folded line.
    "SIGN UP to the Weekly Ledger NEWSLETTER – it’s free.",
    "Sign up for our free Morning Briefing NEWſLETTER to get the news first.",
    "Jane Doe contrİbuted to this report from Hong Kong.",
    "Jane Doe contrıbuted to this report.",
    "GEFÄLLT IHNEN UNSERE ARBEIT? Dann unterstützen Sie uns.",
    "ÉCRIVEZ-NOUS à redaction@paper.example pour nous signaler une erreur.",
    "Mehr zur Lage HÖREN Sie in unserem Podcast:",
    "If you value our journalism, please support us – thank you.",
    "Have a tip? Reach us ſecurely on Signal at +1 555 0100.",
    "Le conseil s’est réuni mardi pour discuter du budget.",
]


def test_rules_that_start_anywhere_have_pre_tests() -> None:
    assert "newsletter.sign-up-sentence" in _PRETESTED
    assert "appeal.donation" in _PRETESTED
    assert all(words for words in _PRETESTED.values())


@pytest.mark.parametrize("line", _LINES)
def test_a_pre_tested_rule_answers_as_the_alternation(line: str) -> None:
    assert _is_rule_line(line) == bool(_CHROME_LINE.match(line))


def test_the_pre_tests_answer_as_the_alternation_on_the_module_s_own_examples() -> None:
    # Every string literal of the rules' module and of the body rules' tests, as a line.
    sources = [Path(chrome_lines.__file__), Path(__file__).parent / "test_body_rules.py"]
    lines = {
        node.value
        for source in sources
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    for line in lines:
        assert _is_rule_line(line) == bool(_CHROME_LINE.match(line)), line


def test_the_lines_above_hold_a_match_of_each_kind() -> None:
    # The cases above are worth something only if the alternation matches them: ASCII and not,
    # with a letter that only IGNORECASE reads as its ASCII one.
    matched = [line for line in _LINES if _CHROME_LINE.match(line)]
    assert any(line.isascii() for line in matched)
    assert any(not line.isascii() for line in matched)
    assert all(any(c in line for line in matched) for c in "İıſÄÖÉ")


def _fixture_lines() -> list[str]:
    """Every line of every fixture page's text and of every golden record's text."""
    lines: set[str] = set()
    for page in FIXTURES.rglob("*.html"):
        text = lxml.html.fromstring(page.read_bytes()).text_content()
        lines.update(line.strip() for line in text.splitlines() if line.strip())
    for record in FIXTURES.joinpath("golden").glob("*.json"):
        text = json.loads(record.read_text(encoding="utf-8")).get("text") or ""
        lines.update(line.strip() for line in text.splitlines() if line.strip())
    return sorted(lines)


def test_the_pre_tests_answer_as_the_alternation_on_the_fixture_pages_and_the_gold() -> None:
    lines = _fixture_lines() + [line for _, _, line in _gold_lines()]
    assert len(lines) > 500
    for line in lines:
        assert _is_rule_line(line) == bool(_CHROME_LINE.match(line)), line


# Every character there is, but the surrogates.
_EVERY_CHARACTER = "".join(
    chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF
)


def test_a_line_is_folded_one_character_for_one() -> None:
    # So a word matched in a line sits at the same place in the folded line.
    assert len(_folded_line(_EVERY_CHARACTER)) == len(_EVERY_CHARACTER)


def test_every_character_ignorecase_matches_with_a_words_letter_folds_as_the_letter() -> None:
    letters = {c for words in _PRETESTED.values() for word in words for c in word}
    assert letters >= set("newsletr")
    for letter in sorted(letters):
        matched = re.findall(re.escape(letter), _EVERY_CHARACTER, re.IGNORECASE)
        assert {_folded_line(c) for c in matched} == {letter}, letter
        # ... after a letter too: str.lower() lowers "Σ" by its neighbours.
        assert {_folded_line(f"A{c}")[1:] for c in matched} == {letter}, letter
