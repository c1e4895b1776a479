"""elements.text_content (the element's text serialised) is lxml.html's `text_content()` (the
XPath `string()` of the element) on every element of the fixture pages and on edge cases."""

from __future__ import annotations

import copy

import lxml.html
import pytest
from lxml import etree

from scraper.extract.document import load_document
from scraper.extract.elements import text_content
from scraper.extract.markup_prune import prune_tree
from tests.test_discard_rules import _fixture_pages


def _assert_same_on_every_element(tree: lxml.html.HtmlElement) -> int:
    elements = [tree, *tree.iterdescendants()]
    for element in elements:
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions: no text_content() of their own
        expected = element.text_content()
        found = text_content(element)
        assert type(found) is str
        assert found == expected, (element.tag, expected[:80], found[:80])
    return len(elements)


@pytest.mark.parametrize(("name", "html"), _fixture_pages())
def test_the_text_is_text_content_on_every_element_of_a_fixture_page(name: str, html: str) -> None:
    tree = load_document(html, "https://example.com/").tree
    assert _assert_same_on_every_element(tree) > 10
    # the pruned copy the cascade reads (no comments), as the markup pruning leaves it
    pruned = copy.deepcopy(tree)
    prune_tree(pruned)
    _assert_same_on_every_element(pruned)


# Markup whose text the two must read alike: comments and processing instructions (their text
# left out, their tails kept), tails of the element itself (left out), references, characters
# the markup escapes, scripts' and styles' source, no text at all, text beyond the BMP.
_EDGE_CASES = {
    "comment": "<div>one<!-- no text --> two<p>three<!--x-->four</p>five</div>",
    "processing instruction": "<div>one<?php echo 1; ?>two</div>",
    "tail left out": "<div><p>inside</p>after the paragraph</div>",
    "references": "<p>a &amp; b &lt; c &gt; d &nbsp;e &#x1F600; &eacute; &#233;</p>",
    "script and style": "<div><script>var a = '<b>';</script><style>p{}</style>text</div>",
    "empty": "<div></div><p></p><br>",
    "whitespace": "<div>\n\t <span> </span>\n</div>",
    "non-BMP and RTL": "<p>\U0001d54f \u05e9\u05dc\u05d5\u05dd \u200b soft\u00adhyphen</p>",
    "nested": "<ul><li>a<ul><li>b<a href='#'>c</a>d</li></ul>e</li></ul>",
    "template and noscript": "<div><template><p>t</p></template><noscript>n</noscript></div>",
}


@pytest.mark.parametrize("markup", _EDGE_CASES.values(), ids=list(_EDGE_CASES))
def test_the_text_is_text_content_on_edge_cases(markup: str) -> None:
    tree = lxml.html.document_fromstring(f"<html><body>{markup}</body></html>")
    _assert_same_on_every_element(tree)


def test_the_text_leaves_out_the_tail_and_the_markup() -> None:
    tree = lxml.html.fromstring("<div><p>one <b>two</b> &amp; <!-- c -->three</p>tail</div>")
    paragraph = tree.find("p")
    assert text_content(paragraph) == "one two & three"
    assert text_content(tree) == "one two & threetail"


def test_the_text_of_a_detached_element_and_of_text_set_from_python() -> None:
    tree = lxml.html.fromstring("<div><p>kept</p>tail</div>")
    paragraph = tree.find("p")
    tree.remove(paragraph)
    assert text_content(paragraph) == paragraph.text_content() == "kept"
    paragraph.text = "a < b & c > d\r\n"
    assert text_content(paragraph) == paragraph.text_content()


def test_the_text_of_an_xml_element_is_its_string_value() -> None:
    # CDATA (which the HTML parser never makes) is text to both
    root = etree.fromstring("<a>one<![CDATA[<two>]]><b>three</b><!-- c --></a>")
    assert text_content(root) == etree.XPath("string()")(root) == "one<two>three"
