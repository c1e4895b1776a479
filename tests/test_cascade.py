"""trafilatura's comparison with readability and justext runs where its main text is in doubt."""

from __future__ import annotations

import copy

import lxml.html

from scraper.extract.body import _bare_extraction, doubts_main_text
from scraper.extract.document import load_document
from scraper.extract.markup_prune import prune_tree

_SENTENCE = (
    "The council met on Tuesday to discuss the new budget for the town's schools and roads. "
)


def _pruned(html: str) -> lxml.html.HtmlElement:
    tree = copy.deepcopy(load_document(html, "https://news.example.com/a/1").tree)
    prune_tree(tree)
    return tree


def _page(paragraphs: int, sidebar: int = 0) -> str:
    body = "".join(f"<p>Point {i}. {_SENTENCE * 3}</p>" for i in range(paragraphs))
    side = "".join(f"<li><a href='/s/{i}'>{_SENTENCE}</a></li>" for i in range(sidebar))
    return f"<html><body><article>{body}</article><aside><ul>{side}</ul></aside></body></html>"


def test_an_article_of_paragraphs_is_not_in_doubt() -> None:
    tree = _pruned(_page(6))
    result = _bare_extraction(tree, None, False, True)
    assert not doubts_main_text(result, tree, None)


def test_a_short_or_one_block_text_is_in_doubt() -> None:
    tree = _pruned(_page(1))
    result = _bare_extraction(tree, None, False, True)
    assert doubts_main_text(result, tree, None)
    assert doubts_main_text({}, tree, None)


def test_a_text_far_from_the_article_body_is_in_doubt() -> None:
    tree = _pruned(_page(6))
    result = _bare_extraction(tree, None, False, True)
    assert doubts_main_text(result, tree, _SENTENCE * 100)
    assert not doubts_main_text(result, tree, result["text"])
