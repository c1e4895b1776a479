"""trafilatura's readers as fallbacks: their fast paths give the answers the readers give."""

from __future__ import annotations

import re

import pytest
from lxml import etree
from trafilatura.metadata import extract_author, extract_catstags
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS, CATEGORIES_XPATHS

from scraper.extract.document import load_document
from scraper.extract.fallback import (
    _AUTHOR_WORDS,
    _BYLINE_CLASSES,
    _BYLINE_TAGS,
    _CATEGORY_HREF,
    _CATEGORY_ITEM_CLASSES,
    _DISCARD_CLASSES,
    _DISCARD_TAGS,
    _META_BLOCK_CLASS,
    _NAME_TAGS,
    _NAME_VALUES,
    ANY_CLASS,
    ANY_ID,
    BYLINE_CLASS,
    BYLINE_ID,
    DISCARD_CLASS,
    DISCARD_ID,
    NAME_CLASS,
    address_site_name,
    author_candidates,
    author_pruning_pass,
    category_block_kind,
    has_author_markup,
    markup_author,
    markup_categories,
)
from tests.test_discard_rules import _fixture_pages


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://www.example.com/a/1", "example.com"),
        ("http://w3.example.org/", "example.org"),
        ("https://news.example.co.uk/story", "news.example.co.uk"),
        ("https://www3example.com/", "www3example.com"),
        ("https://web.archive.org/web/20200101000000/https://www.paper.example/s", "paper.example"),
        ("http://web.archive.org/web/20200101000000id_/http://paper.example/s", "paper.example"),
        (None, None),
    ],
)
def test_site_name_from_the_address(url: str | None, name: str | None) -> None:
    assert address_site_name(url) == name


def test_the_author_markup_test_covers_every_test_of_trafilaturas_author_reader() -> None:
    # Each literal of AUTHOR_XPATHS (each alternative of its regular expressions, "[Aa]" as
    # "a") holds one of the words; "me" is the <rel> child's text, tested by its element.
    for expression in AUTHOR_XPATHS:
        for literal in re.findall(r"'([^']*)'", expression.path):
            for alternative in literal.split("|"):
                plain = re.sub(r"\[(\w)\w\]", r"\1", alternative).replace("-?", "-")
                assert plain == "me" or any(w in plain for w in _AUTHOR_WORDS), alternative


@pytest.mark.parametrize(
    ("markup", "found"),
    [
        ("<p class='lead'>Text</p>", False),
        ("<a href='/author/jane-doe'>Jane Doe</a>", False),  # an address is no author markup
        ("<span class='author-name'>Jane Doe</span>", True),
        ("<div class='c-byline'>By Jane Doe</div>", True),
        ("<p data-component='ArticleByline'>Jane Doe</p>", True),
        ("<author>Jane Doe</author>", True),
        ("<span id='post-writer'>Jane Doe</span>", True),
        ("<span itemprop='author'>Jane Doe</span>", True),
        ("<span data-testid='BBL'>Jane Doe</span>", True),
        # A word split over two values (joined to be searched at once) is no word.
        ("<span class='a' id='ut'>x</span><span class='hor'>Jane Doe</span>", False),
        ("<span title='author'>Jane Doe</span>", False),  # an attribute it does not read
    ],
)
def test_author_markup(markup: str, found: bool) -> None:
    tree = load_document(f"<html><body><article>{markup}</article></body></html>").tree
    assert has_author_markup(tree) is found
    if not found:
        assert extract_author(tree) is None


# The test as one search of every value the six attributes hold, in document order.
_EVERY_AUTHOR_ATTRIBUTE = etree.XPath(
    "//@class | //@id | //@rel | //@itemprop | //@data-testid | //@data-component"
)


@pytest.mark.parametrize(
    ("name", "html"),
    [
        *_fixture_pages(),
        ("rel", "<html><body><a rel='author'>Jane Doe</a></body></html>"),
        ("rel element", "<html><body><div><rel>me</rel></div></body></html>"),
        ("a word in the last attribute only", "<html><body><p data-component='x-Byl'>J</p>"),
        ("a word split over two classes", "<html><body><p class='ut'>J</p><p class='hor'>D</p>"),
        ("no word", "<html><body><p class='lead' id='a' rel='b'>Text</p></body></html>"),
    ],
)
def test_the_author_markup_test_is_one_search_of_every_value(name: str, html: str) -> None:
    tree = load_document(html, "https://news.example.com/a/1").tree
    values = "\n".join(_EVERY_AUTHOR_ATTRIBUTE(tree))
    every = any(word in values for word in _AUTHOR_WORDS) or bool(tree.xpath("//author | //rel"))
    assert has_author_markup(tree) is every, name


# trafilatura's author reader without its copy of the page (markup_author): the same elements as
# its expressions, and the same answer as extract_author.


def _expression(xpath: etree.XPath) -> str:
    return " ".join(xpath.path.split())


def test_the_python_tests_are_trafilaturas_author_expressions_word_for_word() -> None:
    # Any change to trafilatura's expressions (another test, element or pattern) fails here,
    # before it can make the Python tests select other elements than the expressions.
    name_tests = " or ".join(
        [f"@{name}='{value}'" for name, value in _NAME_VALUES[:4]]
        + ["rel='me'"]
        + [f"@{name}='{value}'" for name, value in _NAME_VALUES[4:]]
    )
    assert _expression(AUTHOR_XPATHS[0]) == (
        "//*[self::a or self::address or self::div or self::link or self::p or self::span or "
        f"self::strong][ {name_tests} or re:test(@class, '{NAME_CLASS.pattern}')]|//author"
    )
    assert {"a", "address", "div", "link", "p", "span", "strong"} == _NAME_TAGS
    assert _expression(AUTHOR_XPATHS[1]) == (
        "//*[self::a or self::div or self::h3 or self::h4 or self::p or self::span][ "
        "@class='byline' or @class='username' or @class='byl' or @class='BBL' or "
        f"contains(@itemprop, 'author') or re:test(@id, '{BYLINE_ID.pattern}') or "
        f"re:test(@class, '{BYLINE_CLASS.pattern}')]"
    )
    assert {"a", "div", "h3", "h4", "p", "span"} == _BYLINE_TAGS
    assert {"byline", "username", "byl", "BBL"} == _BYLINE_CLASSES
    assert _expression(AUTHOR_XPATHS[2]) == (
        "//*[ contains(@data-component, 'Byline') or contains(@itemprop, 'author') or "
        f"re:test(@id, '{ANY_ID.pattern}') or re:test(@class, '{ANY_CLASS.pattern}')]"
    )
    assert len(AUTHOR_XPATHS) == 3
    assert _expression(AUTHOR_DISCARD_XPATHS[0]) == (
        ".//*[self::a or self::div or self::section or self::span][ @id='comments' or "
        "@class='comments' or @class='title' or @class='date' or "
        f"re:test(@id, '{DISCARD_ID.pattern}') or re:test(@class, '{DISCARD_CLASS.pattern}') or "
        "contains(@data-component, 'Figure')]"
    )
    assert {"a", "div", "section", "span"} == _DISCARD_TAGS
    assert {"comments", "title", "date"} == _DISCARD_CLASSES
    assert _expression(AUTHOR_DISCARD_XPATHS[1]) == "//time|//figure"
    assert len(AUTHOR_DISCARD_XPATHS) == 2


_LONG = "Jane Doe " * 14  # 126 characters: over the reader's limit
# Cases where the pruned copy's text, the order of candidates or the skipping of removed ones
# decides the answer.
_AUTHOR_CASES = {
    "a date inside, no space": "<p class='author'>By<time>Jan 1</time>Jane Doe</p>",
    "a date span inside": "<span class='byline'>Jane Doe <span class='date'>Jan 1</span>and Joe Roe</span>",
    "two removals side by side": "<div class='author'>Jane<span class='date'>x</span>Do<span class='date'>y</span>e</div>",
    "nested removals": "<div class='byline'>Jane<div class='sidebar'>x<time>t</time>y</div>Doe<figure>f</figure>!</div>",
    "a figure component inside": "<div class='byline'>Jane Doe<div data-component='FigureCaption'>Photo</div> writes</div>",
    "inside a sidebar": "<div class='sidebar'><span class='author'>Side Bar</span></div><p class='byline'>John Roe</p>",
    "inside a figure": "<figure><span class='author'>Fig Ure</span></figure><span class='writer'>Joe Roe</span>",
    "inside comments": "<div id='comment-list'><span class='author'>Com Menter</span></div><span class='author'>Jane Doe</span>",
    "a comments candidate": "<div class='comments author'>Com Menter</div><h4 id='post-author'>Jane Doe</h4>",
    "a date candidate": "<time class='author'>Jan 1</time><span class='screenname'>jdoe</span>",
    "too short first": "<span class='author'>JD</span><span class='author'>Jane Doe</span>",
    "too long first": f"<a rel='author'>{_LONG}</a><div class='byline'>Jane Doe</div>",
    "a tail after": "<span class='author'>Jane Doe</span><time>x</time>, Editor",
    "a link as author": "<span class='author'>https://example.com/jane</span><p class='byline'>Jane Doe</p>",
    "rel me": "<a href='/jane'><rel>me</rel> Jane Doe</a>",
    "author element": "<author>Jane Doe</author>",
    "itemprop author name": "<span itemprop='author name'>Jane Doe</span>",
    "data-testid": "<div data-testid='AuthorCard'>Jane Doe</div>",
    "id Author, any element": "<section id='Author'>Jane Doe</section>",
    "data-component Byline": "<div data-component='ArticleByline'>By Jane Doe</div>",
    "byl class exact": "<h3 class='byl'>Jane Doe</h3><h3 class='byline-x'>Joe Roe</h3>",
}


def _author_pages() -> list[tuple[str, str]]:
    return _fixture_pages() + [
        (
            name,
            f"<html class='author-page'><body><article><p>Text.</p>{markup}</article></body></html>",
        )
        for name, markup in _AUTHOR_CASES.items()
    ]


@pytest.mark.parametrize(("name", "html"), _author_pages())
def test_the_author_walk_selects_what_the_expressions_select(name: str, html: str) -> None:
    tree = load_document(html, "https://news.example.com/a/1").tree
    assert list(author_candidates(tree)) == [expression(tree) for expression in AUTHOR_XPATHS]
    for rank, expression in enumerate(AUTHOR_DISCARD_XPATHS):
        passes = [e for e in tree.iter() if author_pruning_pass(e, tree) == rank]
        assert passes == expression(tree), (name, rank)


@pytest.mark.parametrize(("name", "html"), _author_pages())
def test_the_author_is_trafilaturas(name: str, html: str) -> None:
    tree = load_document(html, "https://news.example.com/a/1").tree
    before = etree.tostring(tree)
    assert markup_author(tree) == extract_author(tree), name
    assert etree.tostring(tree) == before  # the page is left as it is


@pytest.mark.parametrize(
    ("case", "author"),
    [
        # the pruned copy's text: removed elements' text goes, their tails join what is before
        ("a date inside, no space", "ByJane Doe"),
        ("a date span inside", "Jane Doe; Joe Roe"),  # (trafilatura splits the names)
        ("two removals side by side", "JaneDoe"),
        ("nested removals", "JaneDoe"),
        ("a figure component inside", "Jane Doe writes"),
        # what is removed, or inside what is removed, is no candidate
        ("inside a sidebar", "John Roe"),
        ("inside a figure", "Joe Roe"),
        ("inside comments", "Jane Doe"),
        ("a comments candidate", "Jane Doe"),
        ("a date candidate", "Jdoe"),
        # the first text of 3 to 119 characters, expression by expression
        ("too short first", "Jane Doe"),
        ("too long first", "Jane Doe"),
        ("a tail after", "Jane Doe"),
        ("a link as author", None),
        ("rel me", "Me Jane Doe"),
        ("byl class exact", "Jane Doe"),
    ],
)
def test_the_author_cases_show_what_they_are_named_for(case: str, author: str | None) -> None:
    # The cases above hold markup_author to extract_author; these hold the cases to what they
    # are meant to show, so that neither can pass them by reading something else.
    html = f"<html><body><article><p>Text.</p>{_AUTHOR_CASES[case]}</article></body></html>"
    assert markup_author(load_document(html).tree) == author


# trafilatura's category reader without its six walks of the page (markup_categories): the
# same names as extract_catstags("category").


def test_the_block_tests_are_trafilaturas_category_expressions_word_for_word() -> None:
    # Any change to trafilatura's expressions fails here, before it can make the Python tests
    # select other blocks than the expressions.
    assert [_expression(xpath) for xpath in CATEGORIES_XPATHS] == [
        f"//div[ re:test(@class, '{_META_BLOCK_CLASS.pattern}') or starts-with(@id, 'postpath')]"
        "//a[@href]",
        "//p[starts-with(@class, 'postmeta') or starts-with(@class, 'entry-categories') or "
        "@class='postinfo' or @id='filedunder']//a[@href]",
        "//footer[starts-with(@class, 'entry-meta') or starts-with(@class, 'entry-footer')]"
        "//a[@href]",
        "//*[self::li or self::span][@class='post-category' or @class='postcategory' or "
        "@class='entry-category' or contains(@class, 'cat-links')]//a[@href]",
        "//header[@class='entry-header']//a[@href]",
        "//div[@class='row' or @class='tags']//a[@href]",
    ]
    assert {"post-category", "postcategory", "entry-category"} == _CATEGORY_ITEM_CLASSES
    # extract_catstags' filter of the links, for "category"
    assert _CATEGORY_HREF.pattern == "/" + "category".rstrip("y") + "(?:y|ies|s)?/"


def _link(name: str, href: str = "/category/news/") -> str:
    return f"<a href='{href}'>{name}</a>"


_SECTION = "<meta property='article:section' content='Section Meta'>"
# Cases where the block's test, the order of the expressions or the fallback to the head's
# section decides the answer.
_CATEGORY_CASES = {
    "post-meta div": f"<div class='post-meta'>{_link('World')}</div>",
    "postinfo div, any suffix": f"<div class='postinfo-line'>{_link('World')}</div>",
    "meta prefix": f"<div class='metadata'>{_link('World')}</div><div class='xmeta'>{_link('No')}</div>",
    "postpath id": f"<div id='postpath-2'>{_link('World')}</div>",
    "postmeta p": f"<p class='postmeta big'>{_link('World')}</p>",
    "entry-categories p": f"<p class='entry-categories'>{_link('World')}</p>",
    "postinfo p, exact": f"<p class='postinfo x'>{_link('No')}</p><p class='postinfo'>{_link('World')}</p>",
    "filedunder p": f"<p id='filedunder'>{_link('World')}</p>",
    "entry-footer footer": f"<footer class='entry-footer'>{_link('World')}</footer>",
    "post-category li": f"<ul><li class='post-category'>{_link('World')}</li></ul>",
    "cat-links span": f"<span class='x cat-links'>{_link('World')}</span>",
    "entry-header header": f"<header class='entry-header'>{_link('World')}</header>",
    "row div": f"<div class='row'>{_link('World')}</div>",
    "tags div": f"<div class='tags'>{_link('World')}</div>",
    "the first expression wins": f"<div class='tags'>{_link('Late')}</div><div class='entry-meta'>{_link('World')}</div>",
    "both kinds on one block": f"<div id='postpath' class='row'>{_link('World')}</div><div class='row'>{_link('Late')}</div>",
    "nested blocks, one link": f"<div class='meta'><div class='post-meta'>{_link('World')}</div></div>",
    "an empty link ends the search": f"{_SECTION}<div class='meta'>{_link('')}</div>",
    "no block: the section": f"{_SECTION}<div class='story'>{_link('World')}</div>",
    "other addresses": f"<div class='meta'>{_link('Tag', '/tag/x/')}{_link('Cat', '/categorization/')}{_link('World', '/categories/w/')}</div>",
    "names once, in order": f"<div class='meta'>{_link('World')}{_link('Europe')}{_link('World')}</div>",
    "a subject meta": "<meta name='dc.subject' content='Politics'>",
    "class case": f"<div class='Post-Meta'>{_link('No')}</div>",
    "entry-header, exact": f"<header class='entry-header big'>{_link('No')}</header><div class='row'>{_link('World')}</div>",
    "a block above the link's parent": f"<div class='entry-meta'><span><em>{_link('World')}</em></span></div>",
}


def _category_page(markup: str) -> str:
    # (a <meta> of the case goes in the head)
    head = "".join(re.findall("<meta[^>]*>", markup))
    body = re.sub("<meta[^>]*>", "", markup)
    return f"<html><head>{head}</head><body><article><p>Text.</p>{body}</article></body></html>"


def _category_pages() -> list[tuple[str, str]]:
    cases = [(name, _category_page(markup)) for name, markup in _CATEGORY_CASES.items()]
    return _fixture_pages() + cases


@pytest.mark.parametrize(("name", "html"), _category_pages())
def test_the_categories_are_trafilaturas(name: str, html: str) -> None:
    tree = load_document(html, "https://news.example.com/a/1").tree
    assert markup_categories(tree) == extract_catstags("category", tree), name


@pytest.mark.parametrize(("name", "html"), _category_pages())
def test_a_links_first_block_kind_is_the_first_expression_that_selects_it(
    name: str, html: str
) -> None:
    tree = load_document(html, "https://news.example.com/a/1").tree
    selected = [set(expression(tree)) for expression in CATEGORIES_XPATHS]
    for link in tree.iter("a"):
        if link.get("href") is None:
            continue
        kinds = [
            kind
            for block in link.iterancestors()
            if (kind := category_block_kind(block)) is not None
        ]
        first = next((kind for kind, links in enumerate(selected) if link in links), None)
        assert (min(kinds) if kinds else None) == first, (name, link.get("href"))


@pytest.mark.parametrize(
    ("case", "categories"),
    [
        ("post-meta div", ["World"]),
        ("postinfo div, any suffix", ["World"]),
        ("meta prefix", ["World"]),
        ("postpath id", ["World"]),
        ("postmeta p", ["World"]),
        ("entry-categories p", ["World"]),
        ("postinfo p, exact", ["World"]),
        ("filedunder p", ["World"]),
        ("entry-footer footer", ["World"]),
        ("post-category li", ["World"]),
        ("cat-links span", ["World"]),
        ("entry-header header", ["World"]),
        ("row div", ["World"]),
        ("tags div", ["World"]),
        ("the first expression wins", ["World"]),
        ("both kinds on one block", ["World"]),
        ("nested blocks, one link", ["World"]),
        ("an empty link ends the search", []),
        ("no block: the section", ["Section Meta"]),
        ("other addresses", ["World"]),
        ("names once, in order", ["World", "Europe"]),
        ("a subject meta", ["Politics"]),
        ("class case", []),
        ("entry-header, exact", ["World"]),
        ("a block above the link's parent", ["World"]),
    ],
)
def test_the_category_cases_show_what_they_are_named_for(case: str, categories: list[str]) -> None:
    assert (
        markup_categories(load_document(_category_page(_CATEGORY_CASES[case])).tree) == categories
    )
