"""trafilatura's comparison with readability and justext runs where its main text is in doubt."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import trafilatura
from lxml import etree
from trafilatura.baseline import html2txt
from trafilatura.settings import BASIC_CLEAN_XPATH
from trafilatura.xpaths import REMOVE_COMMENTS_AND_LISTS_XPATH

from scraper.extract.body import doubts_main_text
from scraper.extract.cascade import (
    _COMMENTS_CLASS_TEST,
    _COMMENTS_ID_TEST,
    _RAW_PRUNE_CLASS_WORDS,
    _RAW_PRUNE_ID_WORDS,
    BASIC_CLEAN_WITHOUT_COOKIES,
    TRAFILATURA_CONFIG,
    TrafilaturaCascade,
    _has_teasers,
    _page_text,
    _page_text_bound,
)
from scraper.extract.document import load_document
from scraper.extract.markup_prune import prune_tree

_SENTENCE = (
    "The council met on Tuesday to discuss the new budget for the town's schools and roads. "
)


def _bare_extraction(
    tree: lxml.html.HtmlElement, url: str | None, precision: bool, fast: bool
) -> dict[str, Any]:
    """What the cascade stands in for: trafilatura's own `bare_extraction`, with the options
    newsscrape runs it with."""
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        favor_precision=precision,
        fast=fast,
        config=TRAFILATURA_CONFIG,
    )
    if result is None:
        return {}
    data: dict[str, Any] = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    return data


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
    assert not doubts_main_text(result, tree)


def test_a_short_or_one_block_text_is_in_doubt() -> None:
    tree = _pruned(_page(1))
    result = _bare_extraction(tree, None, False, True)
    assert doubts_main_text(result, tree)
    assert doubts_main_text({}, tree)


def test_tables_outnumbering_paragraphs_are_no_doubt_by_themselves() -> None:
    # The comparison would prefer readability's text here, which left out text on the pages
    # the test flagged: it was dropped. One paragraph beside the tables still is a doubt.
    tree = _pruned(_page(6))
    tables = "<table><tr><td>Roads</td><td>12</td></tr></table>" * 3
    text = _bare_extraction(tree, None, False, True)["text"]
    two = {"text": text, "body": lxml.html.fromstring(f"<div><p>a</p><p>b</p>{tables}</div>")}
    one = {"text": text, "body": lxml.html.fromstring(f"<div><p>a</p>{tables}</div>")}
    assert not doubts_main_text(two, tree)
    assert doubts_main_text(one, tree)


# The cascade runs trafilatura's stages itself (scraper.extract.cascade): its text must stay
# bare_extraction's, with and without the comparison, whatever the raw pruning removes.
_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_PRUNED_MARKUP = (
    "<div id='comments'><p>First! {s}</p></div>"
    "<div class='infinite-scroll'><p>Next story. {s}</p></div>"
    "<section class='elementor-share-buttons'><p>Share this. {s}</p></section>"
)


def _pages() -> list[tuple[str, str]]:
    pages = [(p.name, p.read_text("utf-8", "replace")) for p in _FIXTURES.rglob("*.html")]
    pages.append(("paragraphs", _page(6, sidebar=5)))
    pages.append(("one paragraph", _page(1)))
    extra = _PRUNED_MARKUP.format(s=_SENTENCE * 2)
    pages.append(("raw pruning", _page(6).replace("</article>", f"</article>{extra}")))
    return sorted(pages)


@pytest.mark.parametrize(("name", "html"), _pages())
def test_the_cascade_gives_bare_extractions_text(name: str, html: str) -> None:
    tree = _pruned(html)
    before = etree.tostring(tree)
    cascade = TrafilaturaCascade(tree, "https://news.example.com/a/1")
    for fast in (True, False):
        expected = _bare_extraction(tree, "https://news.example.com/a/1", False, fast)
        assert cascade.extract(fast).get("text") == expected.get("text"), name
    assert etree.tostring(tree) == before  # the tree stays as pruned, for the doubts


def test_raw_pruning_copies_the_tree_only_when_it_removes_something() -> None:
    tree = _pruned(_page(6))
    assert TrafilaturaCascade(tree, None).tree is tree
    extra = _PRUNED_MARKUP.format(s=_SENTENCE)
    tree = _pruned(_page(6).replace("</article>", f"</article>{extra}"))
    pruned = TrafilaturaCascade(tree, None).tree
    assert pruned is not tree
    assert "First!" in tree.text_content()
    assert "First!" not in pruned.text_content()
    assert "Next story" not in pruned.text_content()
    assert "Share this" not in pruned.text_content()


@pytest.mark.parametrize(("name", "html"), _pages())
def test_the_page_text_bound_is_never_under_the_page_text(name: str, html: str) -> None:
    tree = _pruned(html)
    assert (_page_text_bound(tree) or 0) >= len(html2txt(tree)), name


# The teaser test searches the class and id values in Python; it must answer as trafilatura's
# own test of the two attributes (TEASER_DISCARD_XPATH's `translate(., 'T', 't')`) does.
_TEASERS_BY_XPATH = etree.XPath(
    "boolean(//@class[contains(translate(., 'T', 't'), 'teaser')] "
    "| //@id[contains(translate(., 'T', 't'), 'teaser')])"
)


@pytest.mark.parametrize(
    "markup",
    [
        "<div class='teaser'>x</div>",
        "<div id='TopTeaser'>x</div>",
        "<div class='TEASER'>x</div>",
        "<div class='tea ser' id='ser'>x</div>",
        "<div data-kind='teaser' class='box'>x</div>",
        "<p>A teaser in the text</p>",
    ],
)
def test_the_teaser_test_answers_as_trafilaturas_expression(markup: str) -> None:
    tree = load_document(f"<html><body>{markup}</body></html>").tree
    assert _has_teasers(tree) == _TEASERS_BY_XPATH(tree)


def _literals(pattern: str) -> list[list[str]]:
    """For each alternative of a regular expression of trafilatura's, the literal runs that
    every match of it holds ("^[Cc]omment(?!ary)|(?:article|post)-comments" -> [["Comment"],
    ["", "-comments"]]): anchors and lookaheads dropped, "[Cc]" read as "C", a group cut out
    (or read as alternatives when it is the whole alternative)."""
    pattern = re.sub(r"\(\?!\w+\)|\^", "", pattern)
    alternatives, depth, start = [], 0, 0
    for index, char in enumerate(pattern + "|"):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            alternatives.append(pattern[start:index])
            start = index + 1
    runs: list[list[str]] = []
    for alternative in alternatives:
        if re.fullmatch(r"\(\?:[^()]*\)", alternative):
            runs.extend(_literals(alternative[3:-1]))
        else:
            parts = re.split(r"\(\?:[^()]*\)", alternative)
            runs.append([re.sub(r"\[(\w)\w\]", r"\1", part) for part in parts])
    return runs


def test_the_comment_tests_are_trafilaturas_and_run_on_the_values_found() -> None:
    # The tests the cascade makes in Python are the ones in the expression it spares...
    path = REMOVE_COMMENTS_AND_LISTS_XPATH[0].path
    assert f"re:test(@id, '{_COMMENTS_ID_TEST.pattern}')" in path
    assert f"re:test(@class, '{_COMMENTS_CLASS_TEST.pattern}')" in path
    # ... and every value they can pass holds a word the first search keeps.
    for runs in _literals(_COMMENTS_ID_TEST.pattern):
        assert any(_RAW_PRUNE_ID_WORDS.search(run) for run in runs), runs
    for runs in _literals(_COMMENTS_CLASS_TEST.pattern):
        assert any(_RAW_PRUNE_CLASS_WORDS.search(run) for run in runs), runs


def test_a_comment_word_outside_a_comment_block_prunes_nothing() -> None:
    commentary = f"<div class='commentary'><p>{_SENTENCE}</p></div>"
    tree = _pruned(_page(6).replace("</article>", f"</article>{commentary}"))
    assert TrafilaturaCascade(tree, None).tree is tree


# The page's text for the recall test is html2txt's, its cookie banners found by their class and
# id values in Python: the same text on every page, banners or none.
_COOKIE_BANNERS = (
    "<div class='CookieBanner'><p>We use cookies. <b>Accept</b></p></div>tail one"
    "<div id='onetrust-consent-sdk'><div class='cookie-notice'><p>Cookies.</p></div></div>"
    "<section class='wrap\ncookie_consent'><p>Manage consent.</p></section>tail two"
    "<aside><p>Elsewhere.</p><div class='cmplz-cookiebanner'>Inside.</div></aside>tail three"
)


@pytest.mark.parametrize(("name", "html"), _pages())
def test_the_page_text_is_html2txts(name: str, html: str) -> None:
    tree = _pruned(html)
    assert _page_text(tree) == html2txt(tree), name
    with_banners = _pruned(html.replace("</body>", f"{_COOKIE_BANNERS}</body>"))
    assert _page_text(with_banners) == html2txt(with_banners), name


def test_the_cookie_banners_go_with_html2txts_cleaning() -> None:
    tree = _pruned(_page(3).replace("</body>", f"{_COOKIE_BANNERS}</body>"))
    text = _page_text(tree)
    assert "tail one" in text and "tail two" in text and "tail three" in text
    for banner in ("We use cookies", "Cookies.", "Manage consent", "Elsewhere", "Inside"):
        assert banner not in text
    # the expression without the banners' test is trafilatura's own, less that test
    assert BASIC_CLEAN_XPATH.path.startswith(BASIC_CLEAN_WITHOUT_COOKIES + "|.//*[re:test(@class")
