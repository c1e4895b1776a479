"""The page's visible characters that `prune_tree` returns bound the pruned tree's, and the doubt
test reads the tree's own only where the bound does not answer, with the same answers."""

from __future__ import annotations

import copy

import lxml.html
import pytest

from scraper.extract.body import _MAX_SMALL_SHARE_CHARS, doubts_main_text
from scraper.extract.cascade import TrafilaturaCascade
from scraper.extract.document import load_document
from scraper.extract.markup_prune import prune_tree, visible_chars
from tests.test_discard_rules import _fixture_pages

_URL = "https://news.example.com/a/1"
_SENTENCE = "The council met on Tuesday to discuss the new budget for the town's schools. "


@pytest.mark.parametrize(("name", "html"), _fixture_pages())
def test_the_bound_holds_and_the_doubt_test_answers_alike(name: str, html: str) -> None:
    tree = copy.deepcopy(load_document(html, _URL).tree)
    bound = prune_tree(tree)
    cascade = TrafilaturaCascade(tree, _URL)
    for fast in (True, False):
        result = cascade.extract(fast=fast)
        # the cascade reads the pruned tree and leaves it as it is
        assert visible_chars(tree) <= bound
        assert doubts_main_text(result, tree, bound) == doubts_main_text(result, tree)


def test_the_bound_is_the_page_s_characters_where_nothing_goes() -> None:
    html = "<html><body><article>" + f"<p>{_SENTENCE}</p>" * 4 + "</article></body></html>"
    tree = load_document(html, _URL).tree
    assert prune_tree(tree) == visible_chars(tree) == 4 * len(_SENTENCE)


def test_the_bound_counts_what_the_teaser_lists_and_never_text_rules_remove() -> None:
    cards = "".join(
        f"<li><h3><a href='/s/{i}'>Story {i} of the day</a></h3></li>" for i in range(4)
    )
    html = (
        "<html><body><article>"
        + f"<p>{_SENTENCE}</p>" * 6
        + f"</article><ul class='latest'>{cards}</ul>"
        + "<div class='screen-reader-text'>Skip to the content of this page</div></body></html>"
    )
    tree = load_document(html, _URL).tree
    before = visible_chars(tree)
    bound = prune_tree(tree)
    assert bound == before > visible_chars(tree)


def _result(chars: int) -> dict[str, object]:
    """A main extractor's result of `chars` characters in three paragraphs."""
    body = lxml.html.fromstring("<div><p>a</p><p>b</p><p>c</p></div>")
    return {"text": "x" * chars, "body": body}


def test_a_text_under_a_tenth_of_the_page_is_in_doubt_with_the_bound_too() -> None:
    html = "<html><body>" + f"<div>{_SENTENCE * 10}</div>" * 6 + "</body></html>"
    tree = load_document(html, _URL).tree
    page = visible_chars(tree)
    assert page == 60 * len(_SENTENCE)
    short, enough = _result(page // 10 - 1), _result(page // 10 + 300)
    # the bound the pruning gives, and one far above the page's characters
    for bound in (page, 100 * page, None):
        assert doubts_main_text(short, tree, bound)
        assert not doubts_main_text(enough, tree, bound)
    # a bound under the page's characters would answer wrongly: it is never one
    assert not doubts_main_text(short, tree, page // 2)


def test_a_text_of_a_thousand_characters_is_not_in_doubt_for_its_share_alone() -> None:
    # A story of several paragraphs on a busy page is a small share of it: the comparison
    # rarely changes such a text, and not for the better. A shorter one is still in doubt.
    html = "<html><body>" + f"<div>{_SENTENCE * 10}</div>" * 30 + "</body></html>"
    tree = load_document(html, _URL).tree
    page = visible_chars(tree)
    assert page > 10 * _MAX_SMALL_SHARE_CHARS
    for bound in (page, None):
        assert doubts_main_text(_result(_MAX_SMALL_SHARE_CHARS - 1), tree, bound)
        assert not doubts_main_text(_result(_MAX_SMALL_SHARE_CHARS), tree, bound)
