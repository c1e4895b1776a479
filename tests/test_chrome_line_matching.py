"""The line rules' pre-tests (scraper.extract.chrome_lines): a pre-tested rule answers as the
whole alternation of the rules does."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scraper.extract import chrome_lines
from scraper.extract.chrome_lines import _CHROME_LINE, _PRETESTED, _is_rule_line

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
