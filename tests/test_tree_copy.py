"""A copy of a tree without some of its subtrees (scraper.extract.tree_copy) is what a whole
copy is after `trafilatura.xml.delete_element` of the same elements, and the tree is left as
it was."""

from __future__ import annotations

import copy
from collections.abc import Callable

import lxml.html
import pytest
from lxml import etree
from trafilatura.xml import delete_element
from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

from scraper.extract.cascade import _raw_pruned
from scraper.extract.document import load_document
from scraper.extract.markup_prune import prune_tree
from scraper.extract.tree_copy import copy_without, outermost
from tests.test_discard_rules import _fixture_pages


def _removed_from_a_whole_copy(
    tree: lxml.html.HtmlElement, elements: list[lxml.html.HtmlElement]
) -> lxml.html.HtmlElement:
    """The copy as trafilatura's raw pruning made it: each element found in a whole copy by
    its path, then each removed, in the order given."""
    whole = copy.deepcopy(tree)
    source, target = tree.getroottree(), whole.getroottree()
    for node in [target.xpath(source.getpath(e))[0] for e in elements]:
        delete_element(node)
    return whole


# Selections of elements to remove: nested and not, in document order and not.
_SELECTIONS: dict[str, Callable[[lxml.html.HtmlElement], list[lxml.html.HtmlElement]]] = {
    "every div": lambda tree: list(tree.iter("div")),
    "every div, last first": lambda tree: list(tree.iter("div"))[::-1],
    "every element with a class": lambda tree: tree.xpath("//*[@class]"),
    "every third element below the body": lambda tree: tree.xpath("//body//*")[::3],
    "scripts, then lists, then links": lambda tree: (
        tree.xpath("//script") + tree.xpath("//ul|//ol") + tree.xpath("//a")
    ),
    "the body's children": lambda tree: tree.xpath("//body/*"),
    "nothing": lambda tree: [],
}


@pytest.mark.parametrize(("name", "html"), _fixture_pages(), ids=lambda v: str(v)[:40])
def test_a_copy_without_is_a_whole_copy_with_the_elements_removed(name: str, html: str) -> None:
    tree = copy.deepcopy(load_document(html, "https://news.example.com/a/1").tree)
    before = etree.tostring(tree)
    for selection, select in _SELECTIONS.items():
        elements = select(tree)
        expected = etree.tostring(_removed_from_a_whole_copy(tree, elements))
        assert etree.tostring(copy_without(tree, elements)) == expected, (name, selection)
        assert etree.tostring(tree) == before, (name, selection)


@pytest.mark.parametrize(("name", "html"), _fixture_pages(), ids=lambda v: str(v)[:40])
def test_the_raw_pruning_removes_what_trafilaturas_expressions_match(name: str, html: str) -> None:
    tree = copy.deepcopy(load_document(html, "https://news.example.com/a/1").tree)
    prune_tree(tree)
    before = etree.tostring(tree)
    for with_comments in (True, False):
        expressions = list(RAW_TREE_PRUNE_XPATH)
        if not with_comments:
            expressions.extend(REMOVE_COMMENTS_AND_LISTS_XPATH)
        matches = [node for expression in expressions for node in expression(tree)]
        expected = etree.tostring(_removed_from_a_whole_copy(tree, matches))
        assert etree.tostring(_raw_pruned(tree, with_comments)) == expected, name
        assert etree.tostring(tree) == before, name


def test_the_raw_pruning_of_a_comment_thread() -> None:
    """Nested matches, each with a tail, beside the text that stays."""
    thread = "".join(
        f"<li class='comment'>Reply {i}<ul class='children'><li class='comment'>Answer {i}"
        f"</li></ul> after {i}</li>"
        for i in range(3)
    )
    html = (
        "<html><body><article><p>The council met on Tuesday.</p></article>"
        f"<div id='comments'>Comments<ol class='comment-list'>{thread}</ol></div>tail"
        "<div class='elementor-share-buttons'>Share</div><p>After.</p></body></html>"
    )
    tree = copy.deepcopy(load_document(html, "https://news.example.com/a/1").tree)
    matches = [node for expression in RAW_TREE_PRUNE_XPATH for node in expression(tree)]
    matches += [node for expression in REMOVE_COMMENTS_AND_LISTS_XPATH for node in expression(tree)]
    assert len(outermost(matches)) < len(matches)  # one inside another
    pruned = _raw_pruned(tree, with_comments=False)
    assert etree.tostring(pruned) == etree.tostring(_removed_from_a_whole_copy(tree, matches))
    assert b"Reply" not in etree.tostring(pruned)
    assert b"Share" not in etree.tostring(pruned)


def test_outermost_keeps_the_elements_inside_no_other_in_their_order() -> None:
    tree = lxml.html.fromstring(
        "<html><body><div id='a'><div id='b'><p id='c'>x</p></div></div><p id='d'>y</p>"
        "<div id='e'><span id='f'>z</span></div></body></html>"
    )
    by_id = {e.get("id"): e for e in tree.iter() if e.get("id")}
    chosen = [by_id[k] for k in ("f", "c", "d", "a", "c", "e")]
    assert [e.get("id") for e in outermost(chosen)] == ["d", "a", "e"]
    assert outermost([]) == []
