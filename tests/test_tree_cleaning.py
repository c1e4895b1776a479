"""Our tree cleaning (scraper.extract.tree_cleaning) gives what trafilatura's `tree_cleaning`
gives a copy of the same tree, in every setting, and leaves the tree as it was."""

from __future__ import annotations

import copy
import itertools

import lxml.html
import pytest
from lxml import etree
from trafilatura.htmlprocessing import tree_cleaning
from trafilatura.settings import Extractor

from scraper.extract.cascade import TRAFILATURA_CONFIG
from scraper.extract.document import load_document
from scraper.extract.markup_prune import prune_tree
from scraper.extract.tree_cleaning import _clean_in_place, _outermost, _Tags, cleaned_copy
from tests.test_discard_rules import _fixture_pages

_SETTINGS = list(
    itertools.product(("balanced", "precision", "recall"), (True, False), (False, True))
)


def _options(
    focus: str, tables: bool = True, images: bool = False, comments: bool = True
) -> Extractor:
    return Extractor(
        config=TRAFILATURA_CONFIG,
        output_format="python",
        precision=focus == "precision",
        recall=focus == "recall",
        comments=comments,
        tables=tables,
        images=images,
    )


def _parsed(html: str) -> lxml.html.HtmlElement:
    return copy.deepcopy(load_document(html, "https://news.example.com/a/1").tree)


def _assert_same_as_trafilatura(tree: lxml.html.HtmlElement, name: str) -> None:
    before = etree.tostring(tree)
    for focus, tables, images in _SETTINGS:
        options = _options(focus, tables, images)
        expected = etree.tostring(tree_cleaning(copy.deepcopy(tree), options))
        setting = f"{name}: {focus}, tables={tables}, images={images}"
        assert etree.tostring(cleaned_copy(tree, options)) == expected, setting
        step_by_step = _clean_in_place(copy.deepcopy(tree), options, _Tags(options))
        assert etree.tostring(step_by_step) == expected, setting
        assert etree.tostring(tree) == before, setting


@pytest.mark.parametrize(("name", "html"), _fixture_pages(), ids=lambda v: str(v)[:40])
def test_every_fixture_page_is_cleaned_as_trafilatura_cleans_it(name: str, html: str) -> None:
    tree = _parsed(html)
    _assert_same_as_trafilatura(tree, f"{name} as parsed")
    prune_tree(tree)
    _assert_same_as_trafilatura(tree, f"{name} as the cascade gets it")


def _page(markup: str) -> str:
    return f"<html><head><title>t</title><script>var a;</script></head><body>{markup}</body></html>"


_PROSE = "<p>The council met on Tuesday to discuss the budget for the town's schools.</p>"

# Each beside a paragraph of prose. The first four are pairs of one tag, one inside the other,
# where trafilatura's loop for the tag stops after the outer one.
_EDGE_CASES = {
    "a pair of one tag, another after": "<aside><aside>a</aside>b</aside>t1"
    + _PROSE
    + "<aside>kept by the stopped loop</aside>t2",
    "a pair of one tag, none after": _PROSE + "<aside>a<aside>b</aside>c</aside>t",
    "a pair inside an element of an earlier loop": "<aside><nav><nav>n</nav></nav></aside>"
    + _PROSE
    + "<nav>later</nav>",
    "a pair inside an element of a later loop": "<nav><aside><aside>a</aside></aside></nav>"
    + _PROSE
    + "<aside>later</aside>",
    "a pair, the next one inside another element": "<aside><aside>a</aside></aside>"
    + _PROSE
    + "<footer><aside>in the footer</aside>f</footer>",
    "sources in a picture": "<picture><source srcset='a'><source srcset='b'></picture>" + _PROSE,
    "sources alone": "<source src='a'><source src='b'>" + _PROSE + "<source src='c'>",
    "neighbours with tails": "<div>a<script>s</script>b<style>x</style>c<nav>n</nav>d</div>"
    + _PROSE,
    "first child with a tail": "<p><script>s</script>after the script</p>" + _PROSE,
    "after a stripped element": "<p><font>a</font><script>s</script>t<small>u</small></p>" + _PROSE,
    "inside a stripped element": "<p><font>a<button>b</button>t</font>u</p>" + _PROSE,
    "formulas": "<p>Let <math alttext='x^2'><mi>x</mi></math> be. And "
    "<math display='block'><semantics><mi>y</mi><annotation encoding='application/x-tex'>"
    " y_1 </annotation></semantics></math> then <math><mi>z</mi></math> end.</p>"
    + _PROSE
    + "<aside><math alttext='w'></math>gone</aside>",
    "tables in figures and layout tables": "<figure><table><tr><td>a</td></tr></table>"
    "<figcaption>c</figcaption></figure><figure><img src='i.jpg'>x</figure>"
    "<table role='presentation'><tr><td>b</td></tr></table><table role='none'><tr><td>d"
    "</td></tr></table><table><tr><th>e</th></tr></table>"
    + _PROSE
    + "<aside><figure><table><tr><td>f</td></tr></table></figure></aside>",
    "a form wrapping the page": "<form id='aspnetForm'>"
    + _PROSE * 3
    + "<form><input name='q'></form></form>",
    "a form with two fifths of the text": "<form>" + _PROSE * 2 + "</form>" + _PROSE * 3,
    "small forms": _PROSE + "<form><label>Search</label><input name='q'>s</form>t"
    "<aside><form>f</form></aside>",
    "every paragraph inside an element to remove": "<aside>" + _PROSE + "</aside><div>x</div>",
    "a paragraph outside": "<aside>" + _PROSE + "</aside>" + _PROSE,
    "empty blocks": "<div><span></span>tail<p></p><b>  </b><div><em></em></div></div>" + _PROSE,
}


@pytest.mark.parametrize("name", _EDGE_CASES)
def test_edge_cases_are_cleaned_as_trafilatura_cleans_them(name: str) -> None:
    _assert_same_as_trafilatura(_parsed(_page(_EDGE_CASES[name])), name)


def test_trafilatura_keeps_what_follows_a_pair_of_one_tag() -> None:
    """The case the step-by-step cleaning exists for: trafilatura's loop stops after the outer
    aside, and the later one stays."""
    tree = _parsed(_page(_EDGE_CASES["a pair of one tag, another after"]))
    cleaned = etree.tostring(tree_cleaning(copy.deepcopy(tree), _options("balanced")))
    assert b"kept by the stopped loop" in cleaned
    assert etree.tostring(cleaned_copy(tree, _options("balanced"))) == cleaned


@pytest.mark.parametrize(
    ("name", "one_walk"),
    [
        ("a pair of one tag, another after", False),
        ("a pair inside an element of a later loop", False),
        ("a pair of one tag, none after", True),
        ("a pair inside an element of an earlier loop", True),
        ("a pair, the next one inside another element", True),
        ("sources in a picture", True),
        ("sources alone", True),  # parsed one inside the other, the paragraph too
        ("neighbours with tails", True),
    ],
)
def test_the_one_walk_serves_the_trees_where_no_loop_stops_early(name: str, one_walk: bool) -> None:
    tree = _parsed(_page(_EDGE_CASES[name]))
    tags = _Tags(_options("balanced"))
    doomed = [e for e in tree.iter(*tags.removed) if e is not tree]
    outermost = _outermost(tree, doomed, tags.removed)
    assert (outermost is not None) is one_walk
    if outermost is not None:
        assert all(not any(a in doomed for a in e.iterancestors()) for e in outermost)
        assert all(e in outermost or any(a in outermost for a in e.iterancestors()) for e in doomed)


def test_a_tree_below_a_root_is_refused() -> None:
    tree = _parsed(_page(_PROSE))
    body = tree.find("body")
    assert body is not None
    with pytest.raises(ValueError, match="root"):
        cleaned_copy(body, _options("balanced"))
