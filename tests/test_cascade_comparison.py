"""The cascade's comparison with readability and justext (`cascade._compared`) gives what
trafilatura's `compare_extraction` gives, and makes the cleaned tree only where justext reads
it."""

from __future__ import annotations

import copy

import lxml.html
from lxml import etree
from trafilatura.external import compare_extraction
from trafilatura.htmlprocessing import convert_tags
from trafilatura.settings import Extractor

from scraper.extract.cascade import _compared
from scraper.extract.document import load_document
from scraper.extract.main_extractor import extract_content
from scraper.extract.markup_prune import prune_tree
from scraper.extract.tree_cleaning import cleaned_copy
from tests.test_discard_rules import _fixture_pages
from tests.test_tree_cleaning import _options as _cleaning_options

_SENTENCE = "The council met on Tuesday to discuss the new budget for the town's schools. "

# Pages whose text is short or unclean after readability's turn, where justext runs.
_SHORT_PAGES = {
    "one short paragraph": "<html><body><div><p>Short note.</p></div></body></html>",
    "a short text beside a form": "<html><body><article><p>A few words.</p><form><label>Name"
    "</label><input name='n'><button>Send</button></form></article></body></html>",
    "short paragraphs in a list": "<html><body><ul>"
    + "".join(f"<li><p>{_SENTENCE[:30]}</p></li>" for _ in range(4))
    + "</ul></body></html>",
}


def _options(focus: str) -> Extractor:
    return _cleaning_options(focus, comments=False)


class _CountedCleaning:
    """The cleaned tree of `tree`, counting the times it is made."""

    def __init__(self, tree: lxml.html.HtmlElement, options: Extractor) -> None:
        self.tree = tree
        self.options = options
        self.made = 0

    def __call__(self) -> lxml.html.HtmlElement:
        self.made += 1
        return cleaned_copy(self.tree, self.options)


def _pages() -> list[tuple[str, str]]:
    return _fixture_pages() + sorted(_SHORT_PAGES.items())


def test_the_comparison_is_trafilaturas_and_makes_the_cleaned_tree_only_for_justext() -> None:
    compared = cleaned = 0
    for name, html in _pages():
        tree = copy.deepcopy(load_document(html, "https://news.example.com/a/1").tree)
        prune_tree(tree)
        for focus in ("balanced", "precision", "recall"):
            options = _options(focus)
            body, text = extract_content(
                convert_tags(cleaned_copy(tree, options), options), options
            )
            expected_body, expected_text = compare_extraction(
                cleaned_copy(tree, options), copy.deepcopy(tree), copy.deepcopy(body), text, options
            )
            clean = _CountedCleaning(tree, options)
            got_body, got_text = _compared(tree, clean, copy.deepcopy(body), text, options)
            assert got_text == expected_text, (name, focus)
            assert etree.tostring(got_body) == etree.tostring(expected_body), (name, focus)
            compared += 1
            cleaned += clean.made
    # both sides of the lazy cleaned tree are exercised
    assert 0 < cleaned < compared
