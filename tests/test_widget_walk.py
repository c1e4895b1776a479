"""The widget rule finds its candidates by one walk of the page's elements; they are the
elements of the expression it used before, and the class and id values the walk keeps are the
page's, on every fixture page and on edge cases."""

from __future__ import annotations

import copy

import lxml.html
import pytest
from lxml import etree

from scraper.extract.document import load_document
from scraper.extract.elements import CLASS_VALUES, ID_VALUES
from scraper.extract.markup_prune import _widget_candidates, drop_widgets, prune_tree
from tests.test_discard_rules import _fixture_pages

_WIDGET_EXPRESSION = etree.XPath(
    "//@class[contains(., 'ewsletter') or contains(., 'uthor') or contains(., 'nfobox') "
    "or contains(., 'act-box') or contains(., 'actbox')]/.. "
    "| //@id[contains(., 'ewsletter') or contains(., 'uthor')]/.. "
    "| //@role[. = 'complementary']/.. | //@data-testid[contains(., 'nfo')]/.."
)


def _assert_same(tree: lxml.html.HtmlElement) -> None:
    # an expression starting with // reads the whole page, whatever element it starts from
    expected = _WIDGET_EXPRESSION(tree)
    for start in (tree, *tree.iter("body", "div", "p")):
        values: dict[str, str] = {}
        assert _widget_candidates(start, values) == expected
        assert values == {"class": "\n".join(CLASS_VALUES(tree)), "id": "\n".join(ID_VALUES(tree))}


@pytest.mark.parametrize(("name", "html"), _fixture_pages())
def test_the_widget_walk_finds_the_expression_s_elements(name: str, html: str) -> None:
    tree = load_document(html, "https://example.com/").tree
    _assert_same(tree)
    pruned = copy.deepcopy(tree)
    prune_tree(pruned)
    _assert_same(pruned)


_EDGE_CASES = (
    "<div class='newsletter-signup'>a</div>"  # class words, each
    "<div class='Newsletter'>b</div>"
    "<div class='author-box'>c</div>"
    "<div class='infobox'>d</div>"
    "<div class='fact-box'>e</div>"
    "<div class='factbox'>f</div>"
    "<div class='NFOBOX FACT-BOX AUTHOR'>g</div>"  # the words are matched as written
    "<section id='newsletter'>h</section>"  # id words, each
    "<section id='author'>i</section>"
    "<section id='infobox'>j</section>"  # not an id word
    "<aside role='complementary'>k</aside>"
    "<aside role='complementary note'>l</aside>"  # the role is matched whole
    "<aside role='Complementary'>m</aside>"
    "<div data-testid='article-info'>n</div>"
    "<div data-testid='INFO'>o</div>"
    "<div data-test-id='info'>p</div>"  # not the attribute
    "<div xml:class='author'>q</div>"
    "<div class=''>r</div><div id=''>s</div>"  # empty values are values
    "<div class='x' id='y'><p class='author-bio' id='newsletter'>t</p></div>"
    "<p>u<!-- a comment --><?pi x?></p>"
)


def test_the_widget_walk_on_edge_cases() -> None:
    tree = lxml.html.document_fromstring(f"<html class='page'><body>{_EDGE_CASES}</body></html>")
    _assert_same(tree)
    found = [node.text_content() for node in _widget_candidates(tree, {})]
    assert found == ["a", "b", "c", "d", "e", "f", "h", "i", "k", "n", "t"]


def test_the_widget_walk_reads_the_page_element_too() -> None:
    tree = lxml.html.document_fromstring(
        "<html class='newsletter' id='author' role='complementary'><body><p>x</p></body></html>"
    )
    _assert_same(tree)
    assert _widget_candidates(tree, {}) == [tree]


def test_the_values_are_the_page_s_before_the_widgets_go() -> None:
    tree = lxml.html.document_fromstring(
        "<html><body><p class='lead'>Text</p>"
        "<div class='newsletter-box' id='signup'>Sign up</div></body></html>"
    )
    values: dict[str, str] = {}
    drop_widgets(tree, values)
    assert "Sign up" not in tree.text_content()
    assert values == {"class": "lead\nnewsletter-box", "id": "signup"}
