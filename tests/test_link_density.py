"""The link-density pruning tested only where links are (scraper.extract.link_density) removes
what trafilatura's `delete_by_link_density` and `link_density_test` remove."""

from __future__ import annotations

import copy
import inspect
import re

import lxml.html
import pytest
import trafilatura.main_extractor
from lxml import etree
from trafilatura.htmlprocessing import delete_by_link_density, link_density_test
from trafilatura.xpaths import BODY_XPATH

from scraper.extract.link_density import (
    ROUND,
    LinkDensity,
    delete_link_dense,
    delete_link_dense_blocks,
    marked_ancestors,
)
from tests.test_discard_rules import _converted, _fixture_pages, _synthetic

_LONG_LINK = "Read the full report on the council's budget for the town's schools this year"


def _links(n: int, text: str = "Story {i}") -> str:
    return "".join(f"<li><a href='/s/{i}'>{text.format(i=i)}</a></li>" for i in range(n))


# Cases for each branch of the test and of the walks, each beside paragraphs of prose.
_EDGE_CASES = {
    "one long link, nothing else": f"<div><a href='/r'>{_LONG_LINK} {_LONG_LINK}</a></div><p>x</p>",
    "one long link in a paragraph": f"<p>See: <a href='/r'>{_LONG_LINK}</a></p><p>x</p>",
    "one short link in a sentence": "<p>Tuesday's vote is <a href='/v'>here</a> and in print.</p>",
    "an image beside the links": f"<div><img src='/a.jpg'><ul>{_links(6)}</ul></div><p>x</p>",
    "short list, last": f"<div><p>Prose before the list.</p><ul>{_links(3)}</ul></div>",
    "short list, not last": f"<ul>{_links(3)}</ul><p>Prose after the list.</p>",
    "empty links": "<div><a href='/a'> </a><a href='/b'></a>Menu</div><p>x</p>",
    "short links, few words": f"<div>Go: <ul>{_links(5, 'p{i}')}</ul></div><p>x</p>",
    "a farm of links": f"<div>{_links(8, 'Latest news story number {i} from the desk')}</div>"
    "<p>Prose after the farm, long enough to be a paragraph of its own.</p>",
    "a listing, one link a paragraph": "<div>"
    + "".join(
        f"<p><a href='/d/{i}'>Document {i}: the annual report of the council for 2025</a></p>"
        for i in range(6)
    )
    + "</div><p>x</p>",
    "a paragraph in an item": "<ul><li><p><a href='/a'>Item link</a></p></li><li>b</li></ul>",
    "backtracking: a short div of children": "<div><span>a</span><span>b</span>"
    "<a href='/x'>More</a><a href='/y'>Less</a></div><p>x</p>",
    "nested links": "<div><a href='/o'>outer <a href='/i'>inner</a></a> tail</div><p>x</p>",
    "non-breaking spaces": "<div>\xa0<a href='/n'>News\xa0\xa0desk</a>\u2003</div><p>x</p>",
    "wrappers": "<div> <div>\n<div><a href='/w'>Wrapped link text</a></div> </div> </div><p>x</p>",
    "a wrapper with a tail": "<div><div><a href='/w'>Wrapped link</a></div> and some words of "
    "its own that make it a longer text than its child's</div><p>x</p>",
    "a wrapper of a comment": "<div><!-- a comment --></div><div><a href='/c'>C</a></div>",
    "one long link, nine tenths exactly": "<div>Before this <a href='/r'>"
    + "reading " * 13
    + "more</a></div><p>x</p>",
    "a catalogue, long links": "<div>"
    + "".join(f"<a href='/c/{i}'>{_LONG_LINK} {_LONG_LINK[:30]} {i}</a> " for i in range(5))
    + "</div><p>x</p>",
    "two links a paragraph": "<div>"
    + "".join(
        f"<p><a href='/d/{i}'>Document {i}: the annual report of the council</a> "
        f"<a href='/e/{i}'>Appendix {i}: the accounts of the council for 2025</a></p>"
        for i in range(3)
    )
    + "</div><p>x</p>",
    "a paragraph in a cell": "<table><tr><td><p><a href='/a'>Cell link</a></p></td><td>b</td>"
    "</tr><tr><th><p><a href='/h'>Head link</a></p></th></tr></table>",
    # Round 1: the div holds four links and 100 characters or more, and stays; the list, mostly
    # links, goes.
    # Round 2: the div is now short and mostly its link, and goes: its text must be measured
    # again after the list's removal.
    "a div short only after round 1": "<div>Go <a href='/g'>to the weekly digest</a> "
    f"<ul>{_links(3, 'Another story headline {i}')}<li>and more!</li></ul></div><p>After.</p>",
}


def _pages() -> list[tuple[str, str]]:
    return _fixture_pages() + [(name, _synthetic(html)) for name, html in _EDGE_CASES.items()]


def _frames(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The whole page (the recovery's search tree) and every frame the extractor may take."""
    return [tree] + [frame for expression in BODY_XPATH for frame in expression(tree)]


@pytest.mark.parametrize(("name", "html"), _pages())
def test_the_test_answers_as_trafilaturas_on_every_element(name: str, html: str) -> None:
    tree = _converted(html)
    for frame in _frames(tree):
        for favor_precision in (False, True):
            test = LinkDensity(
                marked_ancestors(frame, "ref"), marked_ancestors(frame, "graphic"), favor_precision
            )
            for element in frame.iter(etree.Element):
                remove, short_with_links, _ = test(element)
                expected = link_density_test(element, favor_precision)
                assert (remove, short_with_links) == expected, (name, element.tag, favor_precision)


def _delete_both(
    tree: lxml.html.HtmlElement, tag: str, backtracking: bool, favor_precision: bool
) -> tuple[bytes, bytes]:
    ours, theirs = copy.deepcopy(tree), copy.deepcopy(tree)
    delete_link_dense(ours, tag, favor_precision, backtracking)
    delete_by_link_density(theirs, tag, backtracking=backtracking, favor_precision=favor_precision)
    return etree.tostring(ours), etree.tostring(theirs)


@pytest.mark.parametrize(("name", "html"), _pages())
def test_each_walk_removes_what_trafilaturas_removes(name: str, html: str) -> None:
    tree = _converted(html)
    for frame in _frames(tree):
        for tag in ("div", "list", "p", "head", "quote", "item"):
            for backtracking in (False, True):
                for favor_precision in (False, True):
                    ours, theirs = _delete_both(frame, tag, backtracking, favor_precision)
                    assert ours == theirs, (name, tag, backtracking, favor_precision)


def _rounds_theirs(tree: lxml.html.HtmlElement, favor_precision: bool) -> None:
    for _ in range(2):
        for tag, backtracking in ROUND:
            delete_by_link_density(
                tree, tag, backtracking=backtracking, favor_precision=favor_precision
            )


@pytest.mark.parametrize(("name", "html"), _pages())
def test_the_two_rounds_remove_what_trafilaturas_remove(name: str, html: str) -> None:
    tree = _converted(html)
    for frame in _frames(tree):
        for favor_precision in (False, True):
            ours, theirs = copy.deepcopy(frame), copy.deepcopy(frame)
            delete_link_dense_blocks(ours, favor_precision)
            _rounds_theirs(theirs, favor_precision)
            assert etree.tostring(ours) == etree.tostring(theirs), (name, favor_precision)


def test_trafilaturas_rounds_are_div_list_p() -> None:
    # prune_unwanted_sections' loop, which delete_link_dense_blocks restates
    source = inspect.getsource(trafilatura.main_extractor.prune_unwanted_sections)
    loop = source[source.index("for _ in range(2)") : source.index("# tables")]
    calls = [(tag, backtracking == "True") for tag, backtracking in _calls(loop)]
    assert tuple(calls) == ROUND


def _calls(source: str) -> list[tuple[str, str]]:
    return re.findall(r'delete_by_link_density\(\s*tree, "(\w+)", backtracking=(\w+)', source)


def _kept(html: str, favor_precision: bool = False) -> bytes:
    tree = _converted(_synthetic(html))
    delete_link_dense_blocks(tree, favor_precision)
    return etree.tostring(tree)


def test_the_cases_show_what_they_are_meant_to() -> None:
    # The cases above hold the walks to trafilatura's; these hold the cases to what they are
    # meant to show, so that neither can pass by removing nothing.
    assert b"weekly digest" not in _kept(_EDGE_CASES["a div short only after round 1"])
    assert b"After." in _kept(_EDGE_CASES["a div short only after round 1"])
    assert b"number 3" not in _kept(_EDGE_CASES["a farm of links"])
    assert b"Document 3" in _kept(_EDGE_CASES["a listing, one link a paragraph"])
    assert b"Story 1" not in _kept(_EDGE_CASES["short list, not last"])
    assert _LONG_LINK.encode() not in _kept(_EDGE_CASES["one long link, nothing else"])
    assert b"Wrapped link text" not in _kept(_EDGE_CASES["wrappers"])
    # the inner div goes; the outer, measured with the words after it, stays
    kept = _kept(_EDGE_CASES["a wrapper with a tail"])
    assert b"Wrapped link" not in kept and b"and some words" in kept
    assert b"reading more" in _kept(_EDGE_CASES["one long link, nine tenths exactly"])
    assert _LONG_LINK.encode() in _kept(_EDGE_CASES["a catalogue, long links"])
    assert b"Appendix 1" not in _kept(_EDGE_CASES["two links a paragraph"])
    # the paragraphs' walk alone: the one in an item stays (the list's walk decides), the same
    # paragraph outside one goes
    for markup, stays in (
        (_EDGE_CASES["a paragraph in an item"], True),
        ("<div><p><a href='/a'>Item link</a></p>b</div>", False),
    ):
        tree = _converted(_synthetic(markup))
        assert delete_link_dense(tree, "p", False) == (0 if stays else 1)
        assert (b"Item link" in etree.tostring(tree)) is stays


def test_the_second_round_needs_the_first_rounds_removals() -> None:
    # Without measuring again after a removal the div of this case would stay: its first
    # round's text is 100 characters or more.
    tree = _converted(_synthetic(_EDGE_CASES["a div short only after round 1"]))
    once = copy.deepcopy(tree)
    for tag, backtracking in ROUND:
        delete_link_dense(once, tag, False, backtracking)
    assert b"weekly digest" in etree.tostring(once)
    assert b"weekly digest" not in _kept(_EDGE_CASES["a div short only after round 1"])


def _held_to_trafilatura(frame: lxml.html.HtmlElement) -> bytes:
    """What our two rounds keep of `frame`, once the test on each of its nodes and the rounds
    themselves are held to trafilatura's (balanced setting)."""
    for element in frame.iter():
        test = LinkDensity(
            marked_ancestors(frame, "ref"), marked_ancestors(frame, "graphic"), False
        )
        assert test(element)[:2] == link_density_test(element, False)
    ours, theirs = copy.deepcopy(frame), copy.deepcopy(frame)
    delete_link_dense_blocks(ours, False)
    _rounds_theirs(theirs, False)
    assert etree.tostring(ours) == etree.tostring(theirs)
    return etree.tostring(ours)


def test_an_image_keeps_its_container() -> None:
    # The converted tree of the fixtures has no images (the cascade asks for none); a frame of
    # trafilatura's converted markup with one, and the same without it.
    links = "".join(f"<ref target='/s/{i}'>Story {i}</ref>" for i in range(6))
    with_image = f"<div><div><graphic src='/a.jpg'/>{links}</div><p>Prose.</p></div>"
    without = with_image.replace("<graphic src='/a.jpg'/>", "")
    kept = [
        b"Story 1" in _held_to_trafilatura(lxml.html.fragment_fromstring(markup))
        for markup in (with_image, without)
    ]
    assert kept == [True, False]


def test_a_link_holding_only_a_comment_has_no_text() -> None:
    # XPath's string() of a comment is its content; of an element, its text nodes only.
    markup = (
        "<div><p>Some words here and there <ref target='/a'>x</ref> "
        "<ref target='/b'><!-- a comment long enough to count as text --></ref></p><p>y</p></div>"
    )
    assert b"Some words" in _held_to_trafilatura(lxml.html.fragment_fromstring(markup))
