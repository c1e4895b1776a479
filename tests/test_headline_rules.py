"""Headline rules on small hand-written pages: which element or metadata title is the headline,
and the parts of a headline element that are not the headline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from scraper.extract import explain_article
from scraper.extract.document import load_document
from scraper.extract.headline import headline_nodes
from scraper.extract.metadata import extract_metadata


def _title(head: str, body: str, jsonld: dict[str, object] | None = None, url: str = "") -> str:
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    html = f"<html><head>{head}{script}</head><body>{body}</body></html>"
    title = extract_metadata(load_document(html, url or "https://news.example.com/a/1")).title
    assert title is not None
    return title


def test_a_topic_line_glued_to_the_headline_is_set_apart() -> None:
    # The topic line has no class and no space before the headline: the element's text reads
    # "Nationale DemoDer 9. Juli …", which agrees with no metadata title as it stands.
    head = (
        '<meta property="og:title" content="Der 9. Juli wird in Bern laut">'
        '<meta name="twitter:title" content="Nationale Demo in Bern: Tausende erwartet">'
    )
    body = "<h1><span>Nationale Demo</span><span>Der 9. Juli wird in Bern laut</span></h1>"
    assert _title(head, body) == "Der 9. Juli wird in Bern laut"


def test_inline_markup_inside_a_headline_stays_one_headline() -> None:
    head = '<meta property="og:title" content="The real cost of cheap flights">'
    body = "<h1>The <em>real</em> cost of cheap flights</h1>"
    assert _title(head, body) == "The real cost of cheap flights"


def test_a_topic_line_ending_in_a_colon_is_not_the_headline_cut_short() -> None:
    head = (
        '<meta property="og:title" content="Waffenlieferungen an Israel: Bundesregierung '
        'genehmigt Exporte für 20 Millionen Euro">'
    )
    body = (
        '<article><header><h2 class="topic">Waffenlieferungen an Israel:</h2>'
        "<h1>Bundesregierung genehmigt neue Exporte</h1></header></article>"
    )
    assert _title(head, body) == "Bundesregierung genehmigt neue Exporte"


def test_a_headline_with_a_colon_inside_stays_whole() -> None:
    head = '<meta property="og:title" content="Storm season: we were not prepared">'
    body = "<h1>Storm season: we were not prepared</h1>"
    assert _title(head, body) == "Storm season: we were not prepared"


def test_a_single_h1_on_the_metadata_topic_is_the_displayed_headline() -> None:
    # A guide whose H1 was updated and whose SEO title was not.
    head = (
        '<meta property="og:title" content="Guide to filing your taxes in 2024">'
        '<meta name="twitter:title" content="Guide to filing your taxes in 2024">'
    )
    body = "<h1>Guide to filing your taxes in 2025</h1>"
    assert _title(head, body) == "Guide to filing your taxes in 2025"


def test_the_choice_of_the_h1_is_named_in_the_trace() -> None:
    html = (
        '<html><head><meta property="og:title" content="Guide to filing your taxes in 2024">'
        "</head><body><h1>Guide to filing your taxes in 2025</h1>"
        f"<p>{'Taxes are due in April and the forms have changed this year. ' * 12}</p>"
        "</body></html>"
    )
    decisions = explain_article(html, "https://guides.example.com/taxes").decisions
    assert any(
        d.stage == "headline" and d.rule == "single-h1-on-the-metadata-topic" for d in decisions
    )


def test_a_news_article_keeps_its_metadata_headline_over_a_differently_worded_h1() -> None:
    head = '<meta property="og:title" content="Johannesburg has failed its informal traders">'
    body = "<h1>Joburg has failed its informal traders</h1>"
    jsonld = {"@type": "NewsArticle", "headline": "Johannesburg has failed its informal traders"}
    assert _title(head, body, jsonld) == "Johannesburg has failed its informal traders"


def test_an_h1_on_another_topic_or_one_of_several_loses_to_agreeing_metadata() -> None:
    head = '<meta property="og:title" content="Cybersecurity sector update for the fall">'
    assert _title(head, "<h1>M&amp;A Updates</h1>") == "Cybersecurity sector update for the fall"
    several = "<h1>Cybersecurity sector news</h1><h1>Cybersecurity sector jobs</h1>"
    assert _title(head, several) == "Cybersecurity sector update for the fall"


def test_a_paragraph_set_as_h1_is_not_the_headline() -> None:
    head = '<meta property="og:title" content="The best home improvement projects of 2023">'
    body = (
        "<h1>Learn which home improvement projects have the best return, get expert tips on how "
        "to understand and calculate the value of a project, and everything else you need to "
        "know about the potential value of your home renovation project.</h1>"
    )
    assert _title(head, body) == "The best home improvement projects of 2023"


def test_the_entry_date_nested_in_the_h1_is_not_part_of_the_headline() -> None:
    head = '<meta property="og:title" content="Top strategies for security - Example Blog">'
    body = (
        "<h1>Top strategies for security"
        '<span class="date-info-title">Posted on July 1, 2024 by admin</span></h1>'
    )
    assert _title(head, body) == "Top strategies for security"


def test_the_site_name_an_h1_carries_is_cut_as_in_a_title() -> None:
    head = (
        '<meta property="og:site_name" content="Artlyst">'
        '<meta property="og:title" content="Critics’ Choice: Best Exhibitions 2025 – Artlyst">'
    )
    body = "<h1>Critics’ Choice: Best Exhibitions 2025 – Artlyst</h1>"
    assert _title(head, body) == "Critics’ Choice: Best Exhibitions 2025"


def test_a_brand_inside_the_domain_name_is_a_title_affix() -> None:
    head = "<title>Top 5 HR Management Software in 2026 | DianaHR</title>"
    url = "https://www.getdianahr.com/blog/best-hr"
    assert _title(head, "", url=url) == "Top 5 HR Management Software in 2026"
    # A short word of the domain name is a word, not the brand.
    head = "<title>Rain returns to the valley | News</title>"
    url = "https://abcnews.example/a/1"
    assert _title(head, "", url=url) == "Rain returns to the valley | News"


def test_a_title_stored_twice_encoded_or_escaped_is_read_as_meant() -> None:
    # UTF-8 read as Latin-1 and stored again: "Investor’s", its site name after it.
    head = (
        "<title>A DIY Investor\u00e2\u0080\u0099s Guide | Coat\u00e2\u0080\u0099s</title>"
        '<meta property="og:site_name" content="Coat\u00e2\u0080\u0099s">'
    )
    assert _title(head, "<p>Calculators compared.</p>") == "A DIY Investor’s Guide"
    # A character reference escaped twice.
    assert _title("", "<h1>Python, SQL &amp;#x26; AI</h1>") == "Python, SQL & AI"
    # Latin-1 text that is no UTF-8 stays.
    assert _title("<title>Ã la carte</title>", "<p>Menu.</p>") == "Ã la carte"


# The expression headline_nodes reads in Python, as the metadata stage ran it before.
_HEADLINE_NODES = etree.XPath(
    "//h1 | //h2[ancestor::header or ancestor::*[contains(translate(@class, 'HEAD', 'head'), "
    "'head')]][not(ancestor::nav or ancestor::footer or ancestor::aside)]"
)
_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_HEADER_CASES = {
    "in a header": "<header><h2>A</h2></header><h2>B</h2>",
    "class Header, HEAD, masthead": "<div class='Header'><h2>A</h2></div><div class='HEAD'><h2>B</h2>"
    "</div><div class='masthead'><h2>C</h2></div><div class='hEaD'><h2>D</h2></div>",
    "no head in another case": "<div class='HÉAD heaD'><h2>A</h2></div><div class='hed'><h2>B</h2></div>",
    "in a nav, footer or aside": "<header><nav><h2>A</h2></nav><footer><h2>B</h2></footer>"
    "<aside><h2>C</h2></aside></header>",
    "a far ancestor": "<div class='page-head'><section><div><h2>A</h2></div></section></div>",
    "h1s anywhere, in order": "<nav><h1>A</h1></nav><header><h2>B</h2></header><h1>C</h1>",
    # (each element's verdict is kept for the next H2 below it)
    "shared ancestors": "<header><nav><h2>A</h2></nav><h2>B</h2></header><nav><header><h2>C</h2>"
    "</header><h2>D</h2></nav><div class='head'><div><h2>E</h2></div><aside><h2>F</h2></aside>"
    "<h2>G</h2></div><div><h2>H</h2></div>",
}


@pytest.mark.parametrize(
    "html",
    [p.read_text("utf-8", "replace") for p in sorted(_FIXTURES.rglob("*.html"))]
    + [f"<html><body><main>{body}</main></body></html>" for body in _HEADER_CASES.values()],
)
def test_the_headline_nodes_are_the_expressions(html: str) -> None:
    tree = load_document(html).tree
    assert headline_nodes(tree) == _HEADLINE_NODES(tree)


def test_the_header_cases_show_what_they_are_named_for() -> None:
    def texts(case: str) -> list[str]:
        html = f"<html><body><main>{_HEADER_CASES[case]}</main></body></html>"
        return [node.text_content() for node in headline_nodes(load_document(html).tree)]

    assert texts("in a header") == ["A"]
    assert texts("class Header, HEAD, masthead") == ["A", "B", "C", "D"]
    assert texts("no head in another case") == ["A"]  # "heaD" reads "head"
    assert texts("in a nav, footer or aside") == []
    assert texts("a far ancestor") == ["A"]
    assert texts("h1s anywhere, in order") == ["A", "B", "C"]
    assert texts("shared ancestors") == ["B", "E", "G"]
