"""The metadata readers' shortcuts: each gives the answers of the plain reading it spares."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree

from scraper.extract.authors import strip_byline_prefix
from scraper.extract.dates import _texts_from_headline, printed_dates, texts_of
from scraper.extract.document import load_document
from scraper.extract.elements import body_texts, in_headline
from scraper.extract.fallback import markup_categories
from scraper.extract.metadata import header_time_elements, published_time
from scraper.extract.page_authors import (
    _SHORT_TEXT_STRINGS,
    _SHORT_TEXTS,
    _WRITTEN_BY,
    is_byline_label,
    labelled_byline_authors,
    labelled_element_names,
)
from tests.test_discard_rules import _fixture_pages


def _pages_with(cases: dict[str, str]) -> list[tuple[str, str]]:
    """The fixture pages, and each case's markup as a page's body."""
    return _fixture_pages() + [
        (name, f"<html><body>{markup}</body></html>") for name, markup in cases.items()
    ]


# Labelled bylines and what is not one: a label alone before its names, a label with its verb,
# the same in a tail, in a script, hidden, in a footer, and labels without a verb.
_BYLINE_CASES = {
    "label alone": "<h1>Budget</h1><li>Von: <a>Bill McCarthy</a>, <a>Marisha Goldhamer</a></li>",
    "label with its verb": "<h1>Budgets</h1><h3>Written by Cassidy Horton</h3><p>Text.</p>",
    "label in a tail": "<h1>Budget</h1><p><i></i> By <a>Jane Doe</a></p>",
    "label in a script": "<h1>Budget</h1><script>By </script><p>Jane Doe</p>",
    "hidden label": "<h1>Budget</h1><p hidden>By <a>Jane Doe</a></p><p>By <a>Joe Roe</a></p>",
    "label in a footer": "<footer><p>Written by Web Team</p></footer><p>Autor: <b>Ann Lee</b></p>",
    "no verb": '<h1>Projectors</h1><div class="menu-item">By Event Type</div>',
    "no verb, caption": "<h1>Munich</h1><p>Photos de Bavière</p>",
    "blank texts only": "<div>  </div><p>\n</p>",
    "a long text": f"<p>Written by {'Jane Doe and ' * 6}Joe Roe</p>",
    "credentials": "<p>Written by Elise Mandl, BSc, APD</p>",
}


# The reader as it was before its labels were looked for in plain strings: every short text
# node, blank or not, tested in turn.
_EVERY_SHORT_TEXT = etree.XPath("//text()[string-length(normalize-space()) < 60]")


def _labelled_byline_authors_in_full(tree: lxml.html.HtmlElement) -> list[str]:
    seen: set[lxml.html.HtmlElement] = set()
    for text in _EVERY_SHORT_TEXT(tree):
        rest, labelled = strip_byline_prefix(str(text).strip() + " ")
        if not labelled or (rest.strip() and not _WRITTEN_BY.match(str(text).strip())):
            continue
        names = labelled_element_names(text, seen, [])
        if names is not None:
            return names
    return []


@pytest.mark.parametrize(("name", "html"), _pages_with(_BYLINE_CASES))
def test_the_labelled_byline_is_the_one_every_short_text_gives(name: str, html: str) -> None:
    tree = load_document(html, "https://news.example.com/a/1").tree
    strings = _SHORT_TEXT_STRINGS(tree)
    assert strings == [str(text) for text in _SHORT_TEXTS(tree)]
    # No text the reader skips as blank is a label.
    assert [s for s in strings if is_byline_label(s)] == [
        str(t)
        for t in _EVERY_SHORT_TEXT(tree)
        if strip_byline_prefix(str(t).strip() + " ")[1]
        and (
            not strip_byline_prefix(str(t).strip() + " ")[0].strip()
            or _WRITTEN_BY.match(str(t).strip())
        )
    ]
    assert labelled_byline_authors(tree, []) == _labelled_byline_authors_in_full(tree), name


@pytest.mark.parametrize(
    ("case", "authors"),
    [
        ("label alone", ["Bill McCarthy", "Marisha Goldhamer"]),
        ("label with its verb", ["Cassidy Horton"]),
        ("label in a tail", ["Jane Doe"]),
        ("label in a script", []),
        ("hidden label", ["Joe Roe"]),
        ("label in a footer", ["Ann Lee"]),
        ("no verb", []),
        ("blank texts only", []),
        ("credentials", ["Elise Mandl"]),
    ],
)
def test_the_byline_cases_show_what_they_are_named_for(case: str, authors: list[str]) -> None:
    tree = load_document(f"<html><body>{_BYLINE_CASES[case]}</body></html>", None).tree
    assert labelled_byline_authors(tree, []) == authors


# Headlines among what a walk of the texts must read as the whole walk does: comments,
# instructions and tails around and inside the H1, an H1 in a script's or a noscript's place,
# nested and empty H1s, an H1 deep in a wrapper with text after every level.
_HEADLINE_CASES = {
    "plain": "<nav>Home</nav><h1>Title</h1><p>By Jane Doe</p><p>May 2, 2024</p>",
    "comment in the headline": "<h1><!-- kicker --><span>Title</span></h1><p>May 2, 2024</p>",
    "instruction before": "<?php x ?>tail<h1>Title</h1>after<p>May 2, 2024</p>",
    "tails inside": "<h1><i></i>kicker<b>Title</b> more</h1> after <p>May 2, 2024</p>",
    "empty first headline": "<h1> </h1><div><h1>Title</h1></div><p>May 2, 2024</p>",
    "headline in noscript": "<noscript><h1>Old</h1></noscript><h1>Title</h1><p>May 2</p>",
    "script in the headline": "<h1><script>var a</script>Title</h1><p>May 2, 2024</p>",
    "script alone in a headline": "<h1><span><script>a</script></span>kicker</h1><h1>Title</h1>",
    "noscript in a headline": "<h1><noscript><b>Old</b></noscript>kicker</h1><h1>Title</h1>",
    "nested headlines": "<h1><h1>Inner</h1>Outer</h1><p>May 2, 2024</p>",
    "deep": "<div><section><header><h1>T</h1><!-- c -->c-tail</header>h-tail<p>May 2, 2024</p>"
    "</section>s-tail<div>More</div></div>d-tail<footer>May 3, 2024</footer>",
    "no headline": "<p>May 2, 2024</p>",
    "blank headline": "<h1><span> </span></h1><p>May 2, 2024</p>",
}


@pytest.mark.parametrize(("name", "html"), _pages_with(_HEADLINE_CASES))
def test_the_header_walk_is_the_body_walk_from_the_headline_on(name: str, html: str) -> None:
    tree = load_document(html, "https://news.example.com/a/1").tree
    body = tree.find(".//body")
    every = list(texts_of(body, body)) if body is not None else []
    start = next(
        (place for place, (_, node, tail) in enumerate(every) if not tail and in_headline(node)),
        len(every),
    )
    assert list(_texts_from_headline(tree)) == every[start:], name


def test_the_body_walk_reads_the_texts_body_texts_selects() -> None:
    for name, html in _pages_with(_HEADLINE_CASES):
        tree = load_document(html, "https://news.example.com/a/1").tree
        body = tree.find(".//body")
        walked = (
            [(str(t), n, tail) for t, n, tail in texts_of(body, body)] if body is not None else []
        )
        assert walked == [(str(t), n, tail) for t, n, tail in body_texts(tree)], name


@pytest.mark.parametrize(
    ("case", "header"),
    [
        ("plain", "2024-05-02"),
        ("comment in the headline", "2024-05-02"),
        ("tails inside", "2024-05-02"),
        ("empty first headline", "2024-05-02"),
        ("deep", "2024-05-02"),
        ("no headline", None),
    ],
)
def test_the_header_cases_show_their_dates(case: str, header: str | None) -> None:
    tree = load_document(f"<html><body>{_HEADLINE_CASES[case]}</body></html>", None).tree
    assert printed_dates(tree, header_only=True).header == header


# <time> elements as the date readers must see them: marked by itemprop or class, with an empty
# or no datetime, in headers inside and outside an article or a main element, in nested ones.
_TIME_CASES = {
    "itemprop": "<p><time datetime='2024-05-01'>x</time><time itemprop='datePublished' "
    "datetime='2024-05-02'>May 2</time></p>",
    "class": "<time class='entry-date' datetime=''>x</time><time class='published'>y</time>",
    "publish in a class": "<time class='post-publish-date' datetime='2024-05-06'>x</time>",
    "header in an article": "<article><header><time datetime='2024-05-02'>x</time></header>"
    "<time datetime='2024-05-03'>y</time></article>",
    "header in main": "<main><div><header><p><time datetime='2024-05-02'>x</time></p></header>"
    "</div></main><header><time datetime='2024-05-04'>z</time></header>",
    "article in a header": "<header><article><time datetime='2024-05-02'>x</time></article></header>",
    "nested headers": "<article><header><div><header><time datetime='2024-05-02'>x</time>"
    "</header></div></header></article><header><time datetime='2024-05-05'>w</time></header>",
    "header above the article": "<header><main><header><time>x</time></header></main></header>",
}
_PUBLISHED_TIME = etree.XPath(
    "//time[@datetime][@itemprop='datePublished' or contains(@class, 'publish')"
    " or contains(@class, 'entry-date')]/@datetime"
)
_HEADER_TIMES = etree.XPath(
    "//article//header//time[@datetime] | //header[ancestor::main]//time[@datetime]"
)


@pytest.mark.parametrize(("name", "html"), _pages_with(_TIME_CASES))
def test_the_time_readers_select_what_the_expressions_select(name: str, html: str) -> None:
    tree = load_document(html, "https://news.example.com/a/1").tree
    stamps = _PUBLISHED_TIME(tree)
    assert published_time(tree) == (stamps[0] if stamps else None)
    assert header_time_elements(tree) == _HEADER_TIMES(tree)


@pytest.mark.parametrize(
    ("case", "published", "in_headers"),
    [
        ("itemprop", "2024-05-02", []),
        ("class", "", []),
        ("publish in a class", "2024-05-06", []),
        ("header in an article", None, ["2024-05-02"]),
        ("header in main", None, ["2024-05-02"]),
        ("article in a header", None, []),
        ("nested headers", None, ["2024-05-02"]),
        ("header above the article", None, []),
    ],
)
def test_the_time_cases_show_what_they_are_named_for(
    case: str, published: str | None, in_headers: list[str]
) -> None:
    tree = load_document(f"<html><body>{_TIME_CASES[case]}</body></html>", None).tree
    assert published_time(tree) == published
    assert [node.get("datetime") for node in header_time_elements(tree)] == in_headers


# Pages with and without what trafilatura's category reader reads: the record asks it on every
# page that states no category, and it must read nothing where neither is.
_CATEGORY_CASES = {
    "category link": "<body><div class='meta'><a href='https://x.org/category/a/'>A</a></div></body>",
    "category link in no block": "<body><a href='https://x.org/category/a/'>A</a></body>",
    "section meta": "<head><meta property='article:section' content='Sport'></head><body></body>",
    "subject meta": "<head><meta name='dc.subject' content='Sport'></head><body></body>",
    "section meta without content": "<head><meta property='article:section'></head><body></body>",
    "section meta in the body": "<body><meta property='article:section' content='Sport'></body>",
    "categories link": "<body><p class='postmeta'><a href='/categories/b/'>B</a></p></body>",
    "link without the word": "<body><div class='meta'><a href='/kategorie/x/'>K</a><a>-</a></div></body>",
}
_CATEGORY_SOURCES = etree.XPath(
    "boolean(//a[contains(@href, '/categor')] "
    "| //head//meta[@property = 'article:section' or contains(@name, 'subject')][@content])"
)


@pytest.mark.parametrize(
    ("name", "html"),
    _fixture_pages() + [(n, f"<html>{m}</html>") for n, m in _CATEGORY_CASES.items()],
)
def test_a_page_without_category_sources_reads_no_category(name: str, html: str) -> None:
    tree = load_document(html, "https://news.example.com/a/1").tree
    if not _CATEGORY_SOURCES(tree):
        assert markup_categories(tree) == [], name


@pytest.mark.parametrize(
    ("case", "found"),
    [
        ("category link", ["A"]),
        ("category link in no block", []),
        ("section meta", ["Sport"]),
        ("subject meta", ["Sport"]),
        ("section meta without content", []),
        ("section meta in the body", []),
        ("categories link", ["B"]),
        ("link without the word", []),
    ],
)
def test_the_category_cases_show_what_they_are_named_for(case: str, found: list[str]) -> None:
    tree = load_document(f"<html>{_CATEGORY_CASES[case]}</html>", None).tree
    assert markup_categories(tree) == found
    assert _CATEGORY_SOURCES(tree) is bool(found or case == "category link in no block")
