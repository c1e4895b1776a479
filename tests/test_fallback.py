"""trafilatura's readers as fallbacks: their fast paths give the answers the readers give."""

from __future__ import annotations

import re

import pytest
from trafilatura.metadata import extract_author
from trafilatura.xpaths import AUTHOR_XPATHS

from scraper.extract.document import load_document
from scraper.extract.fallback import _AUTHOR_WORDS, address_site_name, has_author_markup


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
