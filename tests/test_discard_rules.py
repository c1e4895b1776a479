"""The main extractor's discard rules and frame finders, tested in Python, select what
trafilatura's expressions select, and our copy of its main extractor gives what trafilatura's
gives."""

from __future__ import annotations

import copy
from pathlib import Path

import lxml.html
import pytest
import trafilatura.main_extractor
from lxml import etree
from trafilatura.htmlprocessing import convert_tags, tree_cleaning
from trafilatura.settings import TAG_CATALOG, Extractor
from trafilatura.xpaths import (
    BODY_XPATH,
    DISCARD_IMAGE_ELEMENTS,
    OVERALL_DISCARD_XPATH,
    TEASER_DISCARD_XPATH,
)

from scraper.extract import main_extractor
from scraper.extract.cascade import TRAFILATURA_CONFIG
from scraper.extract.content_frames import (
    ARTICLE_CONTENT_CLASS,
    ARTICLE_CONTENT_ID,
    FRAME_FINDERS,
    MAIN_CONTENT_CLASS,
    MAIN_CONTENT_ID,
    STORY_CLASS,
    STORY_ID,
)
from scraper.extract.discard_rules import (
    BOILERPLATE_CLASS,
    BOILERPLATE_FIRST_ID_OR_CLASS,
    BOILERPLATE_ID,
    HIDDEN_CLASS,
    HIDDEN_FIRST_ID_OR_STYLE,
    HIDDEN_ID,
    discard_matches,
)
from scraper.extract.document import load_document
from scraper.extract.markup_prune import prune_tree

_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _expression(xpath: etree.XPath) -> str:
    return " ".join(xpath.path.split())


def test_the_python_tests_are_trafilaturas_expressions_word_for_word() -> None:
    # Any change to trafilatura's expressions (a new test, another element, another pattern)
    # fails here, before it can make the walk select other elements than the expression.
    assert _expression(OVERALL_DISCARD_XPATH[0]) == (
        ".//*[self::div or self::item or self::list or self::p or self::section or self::span]"
        "[ @data-lp-replacement-content or contains(translate(@role, 'N', 'n'), 'nav') or "
        "contains(@data-component, 'MostPopularStories') or "
        f"re:test(@id|@class, '{BOILERPLATE_FIRST_ID_OR_CLASS.pattern}') or "
        f"re:test(@id, '{BOILERPLATE_ID.pattern}') or "
        f"re:test(@class, '{BOILERPLATE_CLASS.pattern}')]"
    )
    assert _expression(OVERALL_DISCARD_XPATH[1]) == (
        ".//*[@class='comments-title' or starts-with(@id|@class, 'reply-') or "
        f"re:test(@id|@style, '{HIDDEN_FIRST_ID_OR_STYLE.pattern}') or "
        "contains(@style, 'display:none') or contains(@style, 'display: none') or "
        f"re:test(@id, '{HIDDEN_ID.pattern}') or "
        f"re:test(@class, '{HIDDEN_CLASS.pattern}') or @aria-hidden='true']"
    )
    assert len(OVERALL_DISCARD_XPATH) == 2
    assert _expression(DISCARD_IMAGE_ELEMENTS[0]) == (
        ".//*[self::div or self::item or self::list or self::p or self::section or self::span]"
        "[ contains(@id, 'caption') or contains(@class, 'caption')]"
    )
    assert _expression(TEASER_DISCARD_XPATH[0]) == (
        ".//*[self::div or self::item or self::list or self::p or self::section or self::span]"
        "[ contains(translate(@id, 'T', 't'), 'teaser') or "
        "contains(translate(@class, 'T', 't'), 'teaser')]"
    )
    assert len(DISCARD_IMAGE_ELEMENTS) == len(TEASER_DISCARD_XPATH) == 1


def _assert_same_as_the_expressions(tree: lxml.html.HtmlElement, name: str) -> None:
    found = discard_matches(tree)
    assert found.boilerplate == OVERALL_DISCARD_XPATH[0](tree), name
    assert found.hidden == OVERALL_DISCARD_XPATH[1](tree), name
    assert found.captions == DISCARD_IMAGE_ELEMENTS[0](tree), name
    assert found.teasers == TEASER_DISCARD_XPATH[0](tree), name


def _options(focus: str = "balanced", fast: bool = False) -> Extractor:
    return Extractor(
        config=TRAFILATURA_CONFIG,
        output_format="python",
        fast=fast,
        precision=focus == "precision",
        recall=focus == "recall",
        comments=False,
        tables=True,
    )


def _converted(html: str) -> lxml.html.HtmlElement:
    """A page as the main extractor gets it: parsed and pruned as newsscrape does, cleaned and
    converted as trafilatura's sequence does."""
    tree = copy.deepcopy(load_document(html, "https://news.example.com/a/1").tree)
    prune_tree(tree)
    options = _options()
    converted: lxml.html.HtmlElement = convert_tags(tree_cleaning(tree, options), options)
    return converted


def _fixture_pages() -> list[tuple[str, str]]:
    return sorted((p.name, p.read_text("utf-8", "replace")) for p in _FIXTURES.rglob("*.html"))


_SENTENCE = "The council met on Tuesday to discuss the new budget for the town's schools. "


def _synthetic(markup: str) -> str:
    body = "".join(f"<p>Point {i}. {_SENTENCE * 3}</p>" for i in range(4))
    return f"<html><body><article>{body}{markup}</article></body></html>"


# Cases the walk must read as libxml2 and lxml's EXSLT do.
_EDGE_CASES = {
    # re:test(@id|@class, 'cookie') reads the attribute first in the source
    "id before class": "<div id='main' class='cookie-notice'><p>x</p></div>",
    "class before id": "<div class='cookie-notice' id='main'><p>x</p></div>",
    "style before id": "<div style='x' id='hidden-box'><p>x</p></div>",
    "id before style": "<div id='hidden-box' style='x'><p>x</p></div>",
    "reply class before id": "<span class='reply-link' id='r1'>x</span>",
    "reply id after class": "<span class='x' id='reply-1'>x</span>",
    "role Navigation": "<div role='Navigation'><p>x</p></div>",
    "role NAVIGATION": "<div role='NAVIGATION'><p>x</p></div>",
    "nested matches": "<div class='sidebar'><div class='widget'><p class='meta'>x</p></div></div>",
    "any element, hidden": "<a href='/x' aria-hidden='true'>x</a><em style='display: none'>y</em>",
    "comments title": "<h3 class='comments-title'>3 comments</h3>",
    "not a listed element": "<aside class='sidebar'><b class='share-'>x</b></aside>",
    "caption and teaser": "<div class='wp-caption'><p id='TopTeaser'>x</p></div>",
    "teaser upper case": "<div class='TEASER'>x</div><div class='Teaser'>y</div>",
    "empty values": "<div class='' id=''><p style=''>x</p></div>",
    "lp replacement": "<div data-lp-replacement-content='1'>x</div>",
    "most popular": "<div data-component='MostPopularStoriesList'>x</div>",
}


@pytest.mark.parametrize(("name", "html"), _fixture_pages() + list(_EDGE_CASES.items()))
def test_the_walk_selects_what_the_expressions_select(name: str, html: str) -> None:
    if name in _EDGE_CASES:
        html = _synthetic(html)
    tree = _converted(html)
    # the whole page (the recovery's search tree) and each frame the extractor may take
    _assert_same_as_the_expressions(tree, name)
    for expression in BODY_XPATH:
        for frame in expression(tree):
            _assert_same_as_the_expressions(frame, name)


def test_the_walk_reads_the_first_of_two_attributes() -> None:
    # The cases above hold the walk to the expressions; these hold the cases to what they are
    # meant to show, so that a change to either cannot make them pass by selecting nothing.
    tree = _converted(_synthetic(_EDGE_CASES["class before id"] + _EDGE_CASES["id before class"]))
    classes = [element.get("class") for element in discard_matches(tree).boilerplate]
    assert classes == ["cookie-notice"]
    tree = _converted(_synthetic(_EDGE_CASES["role Navigation"]))
    assert len(discard_matches(tree).boilerplate) == 1
    tree = _converted(_synthetic(_EDGE_CASES["nested matches"]))
    assert len(discard_matches(tree).boilerplate) == 3


def _prune_both(
    html: str, potential_tags: set[str], options: Extractor, keep_teasers: bool = False
) -> tuple[bytes, bytes]:
    tree = _converted(html)
    ours = main_extractor.prune_unwanted_sections(
        copy.deepcopy(tree), set(potential_tags), options, keep_teasers
    )
    theirs = trafilatura.main_extractor.prune_unwanted_sections(
        copy.deepcopy(tree), set(potential_tags), options, keep_teasers
    )
    return etree.tostring(ours), etree.tostring(theirs)


_SETTINGS = [
    ("balanced", set(TAG_CATALOG) | {"table"}, False),
    ("balanced", set(TAG_CATALOG) | {"table", "graphic"}, True),
    ("precision", set(TAG_CATALOG), False),
    ("recall", set(TAG_CATALOG) | {"div", "lb"}, False),
]


@pytest.mark.parametrize(("name", "html"), _fixture_pages() + list(_EDGE_CASES.items()))
def test_the_pruning_removes_what_trafilaturas_removes(name: str, html: str) -> None:
    if name in _EDGE_CASES:
        html = _synthetic(html)
    for focus, potential_tags, keep_teasers in _SETTINGS:
        ours, theirs = _prune_both(html, potential_tags, _options(focus), keep_teasers)
        assert ours == theirs, (name, focus)


def test_the_pruning_keeps_everything_when_it_would_remove_most_of_the_text() -> None:
    # trafilatura's guard: when what its first list matches holds over six sevenths of the
    # text, nothing of it goes (a page whose article sits in a "sidebar" layout).
    article = "".join(f"<p>{_SENTENCE * 3}</p>" for _ in range(4))
    html = (
        "<html><body><div id='page'><p>Home</p>"
        f"<div class='layout-with-sidebar'>{article}</div>"
        f"<div class='share-'>{_SENTENCE}</div></div></body></html>"
    )
    options = _options()
    ours, theirs = _prune_both(html, set(TAG_CATALOG), options)
    assert ours == theirs
    assert b"layout-with-sidebar" in ours and b"share-" in ours  # reverted: both stay
    # With less of the text in the matches, they go.
    html = html.replace(article, f"<p>{_SENTENCE}</p>").replace("<p>Home</p>", article)
    ours, theirs = _prune_both(html, set(TAG_CATALOG), options)
    assert ours == theirs
    assert b"layout-with-sidebar" not in ours and b"share-" not in ours


@pytest.mark.parametrize(("name", "html"), _fixture_pages() + list(_EDGE_CASES.items()))
def test_the_main_extractor_gives_trafilaturas_body(name: str, html: str) -> None:
    if name in _EDGE_CASES:
        html = _synthetic(html)
    tree = _converted(html)
    for focus in ("balanced", "precision", "recall"):
        for fast in (True, False):
            options = _options(focus, fast)
            ours = main_extractor.extract_content(copy.deepcopy(tree), options)
            theirs = trafilatura.main_extractor.extract_content(copy.deepcopy(tree), options)
            assert etree.tostring(ours[0]) == etree.tostring(theirs[0]), (name, focus, fast)
            assert ours[1] == theirs[1], (name, focus, fast)


# BODY_XPATH's frames, found in Python (scraper.extract.content_frames).
_FRAME_CASES = {
    "nested frames": "<div class='x'><div class='post'>A</div></div><div class='post-content'>B</div>",
    "a later frame deeper": "<section class='story-body'>A</section><div><div id='primary'>B</div></div>",
    "fulltext any case": "<div class='FullText'>A</div>",
    "main content": "<div class='Main-Content'>A</div><div id='content'>B</div>",
    "page content": "<div class='Page-Content'>A</div>",
    "role and ids": "<div role='article'>A</div><main id='story'>B</main>",
    "itemprop": "<span itemprop='articleBody'>A</span><div itemprop='articleBody'>B</div>",
}


@pytest.mark.parametrize(("name", "html"), _fixture_pages() + list(_FRAME_CASES.items()))
def test_the_frame_finders_find_what_body_xpath_selects_first(name: str, html: str) -> None:
    if name in _FRAME_CASES:
        html = _synthetic(html)
    tree = _converted(html)
    assert len(FRAME_FINDERS) == len(BODY_XPATH)
    for index, (find_frame, expression) in enumerate(zip(FRAME_FINDERS, BODY_XPATH, strict=True)):
        assert find_frame(tree) is next(iter(expression(tree)), None), (name, index)
        # and under every frame, as the recovery and later expressions search what is left
        for frame in tree.iter("article", "div", "main", "section"):
            assert find_frame(frame) is next(iter(expression(frame)), None), (name, index)


def test_the_frame_patterns_are_body_xpaths() -> None:
    paths = [_expression(expression) for expression in BODY_XPATH]
    assert f"re:test(@id, '{ARTICLE_CONTENT_ID.pattern}')" in paths[0]
    assert f"re:test(@class, '{ARTICLE_CONTENT_CLASS.pattern}')" in paths[0]
    assert paths[0].startswith(
        ".//*[self::article or self::div or self::main or self::section][ @class='post' or "
        "@class='entry' or @itemprop='articleBody' or @id='articleContent' or re:test(@id, "
    )
    assert f"re:test(@id, '{STORY_ID.pattern}') or re:test(@class, 'fulltext', 'i') or " in paths[2]
    assert f"re:test(@class, '{STORY_CLASS.pattern}')" in paths[2]
    assert paths[2].startswith(
        "(.//*[self::article or self::div or self::main or self::section][ @role='article' or "
        "@id='article' or @id='story' or @class='postarea' or @class='art-postcontent' or "
        "@class='text' or @class='cell' or @class='story' or re:test(@id, "
    )
    assert paths[3] == (
        "(.//*[self::article or self::div or self::main or self::section][ @id='content' or "
        f"@class='content' or re:test(@id, '{MAIN_CONTENT_ID.pattern}') or "
        f"re:test(@class, '{MAIN_CONTENT_CLASS.pattern}') or "
        "contains(translate(@id, 'CM','cm'), 'main-content') or "
        "contains(translate(@class, 'CM','cm'), 'main-content') or "
        "contains(translate(@class, 'CP','cp'), 'page-content') ])[1]"
    )
    for path in paths[0], paths[2]:
        assert path.count("re:test(") == (2 if path is paths[0] else 3)


@pytest.mark.parametrize(("name", "html"), _fixture_pages() + list(_EDGE_CASES.items()))
def test_the_main_pass_reads_its_frames_as_the_expressions_do(name: str, html: str) -> None:
    # _extract's paragraph texts (plain strings) and its frame's elements (lxml's walk) are
    # those of trafilatura's `xpath("//p//text()")` and `xpath(".//*")`: on the converted tree
    # and its frames, and on the parsed page, whose comments neither selects.
    if name in _EDGE_CASES:
        html = _synthetic(html)
    tree = _converted(html)
    parsed = load_document(html).tree
    for element in list(parsed.iter("div", "p"))[:20]:
        element.insert(0, etree.Comment("a comment"))
    frames = [tree, parsed, *parsed.iter("div", "article")]
    frames += [frame for expression in BODY_XPATH for frame in expression(tree)]
    for frame in frames:
        assert main_extractor._PARAGRAPH_TEXTS(frame) == frame.xpath("//p//text()"), name
        assert main_extractor._frame_elements(frame) == frame.xpath(".//*"), name
