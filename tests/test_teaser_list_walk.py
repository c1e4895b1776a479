"""The teaser-list rule finds its lists and linked headings by walks of their tags; they are the
elements of the expressions it used before, on every fixture page and on edge cases."""

from __future__ import annotations

import copy

import lxml.html
import pytest
from lxml import etree

from scraper.extract.document import load_document
from scraper.extract.markup_prune import _items_with_headline_link, drop_teaser_lists, prune_tree
from tests.test_discard_rules import _fixture_pages

_HEADLINE_LINKS = etree.XPath("(//h2 | //h3 | //h4 | //h5)[.//a[@href]]")
_LISTS = etree.XPath("//ul | //ol")


def _items_by_the_expression(tree: lxml.html.HtmlElement) -> set[lxml.html.HtmlElement]:
    return {item for heading in _HEADLINE_LINKS(tree) for item in heading.iterancestors("li")}


def _lists_walked(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The lists drop_teaser_lists reads, in its order: it counts each list's items."""
    seen: list[lxml.html.HtmlElement] = []
    original = lxml.html.HtmlElement.__iter__

    def counting(element: lxml.html.HtmlElement):  # type: ignore[no-untyped-def]
        if element.tag in ("ul", "ol"):
            seen.append(element)
        return original(element)

    lxml.html.HtmlElement.__iter__ = counting  # type: ignore[method-assign]
    try:
        drop_teaser_lists(tree, page_chars=10**9)
    finally:
        lxml.html.HtmlElement.__iter__ = original  # type: ignore[method-assign]
    return seen


def _assert_same(tree: lxml.html.HtmlElement) -> None:
    for start in (tree, *tree.iter("body", "ul", "div")):
        # an expression starting with // reads the whole page, whatever element it starts from
        assert _items_with_headline_link(start) == _items_by_the_expression(start)


@pytest.mark.parametrize(("name", "html"), _fixture_pages())
def test_the_linked_headings_walk_finds_the_expression_s_items(name: str, html: str) -> None:
    tree = load_document(html, "https://example.com/").tree
    _assert_same(tree)
    pruned = copy.deepcopy(tree)
    prune_tree(pruned)
    _assert_same(pruned)


@pytest.mark.parametrize(("name", "html"), _fixture_pages())
def test_the_rule_reads_the_expression_s_lists_in_its_order(name: str, html: str) -> None:
    tree = load_document(html, "https://example.com/").tree
    expected = _LISTS(tree)
    assert _lists_walked(tree) == expected


_EDGE_CASES = (
    "<ul><li><h2><a href='/a'>Linked</a></h2></li>"  # linked heading: its item
    "<li><h3><a>No href</a></h3></li>"  # a link without an address: no
    "<li><h4><a href=''>Empty href</a></h4></li>"  # an empty address is an address
    "<li><a href='/b'><h5>Link around</h5></a></li>"  # the link around the heading: no
    "<li><h6><a href='/c'>h6</a></h6></li>"  # not one of the tags
    "<li><h2><span><a href='/d'>Deeper</a></span></h2></li>"
    "<li><ol><li><h3><a href='/e'>Nested item</a></h3></li></ol></li></ul>"
    "<h2><a href='/f'>Outside any list</a></h2>"
    "<div id='aside'><p>No list in here</p></div>"
)


def test_the_linked_headings_walk_on_edge_cases() -> None:
    tree = lxml.html.document_fromstring(f"<html><body>{_EDGE_CASES}</body></html>")
    _assert_same(tree)
    texts = sorted(item.text_content() for item in _items_with_headline_link(tree))
    assert texts == ["Deeper", "Empty href", "Linked", "Nested item", "Nested item"]
    # started from an element without lists, as the expressions did: the whole page's
    aside = tree.get_element_by_id("aside")
    assert _items_with_headline_link(aside) == _items_by_the_expression(tree)
    assert _lists_walked(aside) == _LISTS(tree) != []
