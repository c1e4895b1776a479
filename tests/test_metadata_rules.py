"""Metadata rules on small hand-written pages: headline choice, author credits, dates."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from scraper.extract.article import extract_article
from scraper.extract.authors import (
    clean_author_names,
    natural_case,
    parse_byline,
    parse_signature,
    split_names,
)
from scraper.extract.document import load_document
from scraper.extract.jsonld import jsonld_scripts
from scraper.extract.metadata import PageMetadata, canonical_hrefs, extract_metadata
from scraper.extract.text import clean_description


def _page(head: str = "", body: str = "", jsonld: dict[str, object] | None = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    return f"<html><head>{head}{script}</head><body>{body}</body></html>"


def _metadata(html: str, url: str = "https://news.example.com/a/1") -> PageMetadata:
    return extract_metadata(load_document(html, url))


# Headlines


def test_title_is_h1_that_agrees_with_metadata_without_site_suffix() -> None:
    html = _page(
        '<meta property="og:site_name" content="Example News">'
        '<meta property="og:title" content="Rain returns to the valley | Example News">',
        "<h1>Site menu</h1><article><h1>Rain returns to the valley</h1></article>",
    )
    assert _metadata(html).title == "Rain returns to the valley"


def test_title_suffix_stripped_by_domain_when_no_site_name() -> None:
    html = _page("<title>Rain returns to the valley - news.example.com</title>")
    assert _metadata(html).title == "Rain returns to the valley"


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        # Korean and Japanese sites join the affixes without spaces, with bar-like letters.
        ("예산안 국회 통과-정치ㅣ예시일보", "예산안 국회 통과"),
        ("予算案が成立へ｜例示新聞", "予算案が成立へ"),
        # The section goes only beside the site name, spaced or not.
        ("Rain returns to the valley - Weather - Example News", "Rain returns to the valley"),
        # A section word that is part of the headline stays.
        (
            "Weather - Rain returns to the valley | Example News",
            "Weather - Rain returns to the valley",
        ),
        # Without the site name at the end there is no affix to strip.
        ("Rain returns to the valley - Weather", "Rain returns to the valley - Weather"),
        # A hyphen inside the headline is a word's hyphen, not a bar.
        ("Anti-Weather protest grows", "Anti-Weather protest grows"),
    ],
)
def test_site_and_section_affixes_are_stripped_from_the_title(title: str, headline: str) -> None:
    site = "예시일보" if "일보" in title else "例示新聞" if "新聞" in title else "Example News"
    html = _page(
        f'<meta property="og:site_name" content="{site}">'
        '<meta name="content_category" content="정치"><meta name="content_category" content="Weather">'
        f'<meta property="og:title" content="{title}">'
    )
    assert _metadata(html).title == headline


def test_breadcrumb_seo_h1_loses_to_displayed_header_h2() -> None:
    html = _page(
        '<meta property="og:title" content="Council approves the new bridge">',
        '<nav class="breadcrumb"><h1>Traffic: Council approves bridge after long debate</h1></nav>'
        '<article><header><h2><span class="kicker">Traffic</span>'
        '<span class="headline">Council approves the new bridge</span></h2></header></article>',
        {"@type": "NewsArticle", "headline": "Traffic: Council approves bridge after long debate"},
    )
    assert _metadata(html).title == "Council approves the new bridge"


def test_kicker_part_of_h1_is_not_the_headline() -> None:
    html = _page(
        '<meta property="og:title" content="Storm season: «We were not prepared for this»">',
        '<h1><span class="article-title__overline">Floods in the north</span>'
        '<span aria-hidden="true"> - </span>'
        '<span class="article-title__text">«We were not prepared for this»</span></h1>',
    )
    assert _metadata(html).title == "«We were not prepared for this»"


def test_metadata_without_topic_line_wins_over_h1_with_one() -> None:
    html = _page(
        '<meta property="og:title" content="Mayor resigns after budget vote">',
        "<h1>City hall crisis: Mayor resigns after budget vote</h1>",
    )
    assert _metadata(html).title == "Mayor resigns after budget vote"


def test_several_h1s_pick_the_one_matching_metadata() -> None:
    html = _page(
        '<meta property="og:title" content="Harvest starts early this year">',
        "<h1>Example News</h1><h1>Most read</h1><h1>Harvest starts early this year</h1>",
    )
    assert _metadata(html).title == "Harvest starts early this year"


def test_h1_decides_when_metadata_titles_disagree() -> None:
    html = _page(
        '<meta property="og:title" content="A social headline about heat">'
        '<meta name="twitter:title" content="A search headline about the heat">',
        "<h1>How trams cope with the coming heatwaves</h1>",
    )
    assert _metadata(html).title == "How trams cope with the coming heatwaves"


def test_escaped_jsonld_headline_is_unescaped() -> None:
    html = _page(
        jsonld={"@type": "NewsArticle", "headline": "Coach says &quot;nothing to lose&quot;"}
    )
    assert _metadata(html).title == 'Coach says "nothing to lose"'


# Authors


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["By Jane Doe, John Roe and Ann Poe"], ["Jane Doe", "John Roe", "Ann Poe"]),
        (["By Jane Doe and John Roe"], ["Jane Doe", "John Roe"]),
        (["By TYLER KEPNER / THE ATHLETIC"], ["Tyler Kepner"]),
        (["Jane Doe, Staff Writer"], ["Jane Doe"]),
        (["MND Staff"], ["MND Staff"]),
        (["The Star Staff"], ["The Star Staff"]),
        (["AP"], ["AP"]),
        (["Le Figaro et AFP"], ["Le Figaro et AFP"]),
        (["BR24 Redaktion"], ["BR24 Redaktion"]),
        (["Jane Doe", "(Image: Getty Images)"], ["Jane Doe"]),
        (["https://example.com/authors/jane", "@janedoe"], []),
        # Korean and Japanese roles follow the name.
        (["신현주 기자"], ["신현주"]),
        (["山田太郎記者"], ["山田太郎"]),
        # A wire byline: the name in capitals, the agency after it; a "Text" label before it.
        (["JILL LAWLESS Associated Press"], ["Jill Lawless"]),
        (["Текст Лида Буслаева"], ["Лида Буслаева"]),
    ],
)
def test_clean_author_names(raw: list[str], expected: list[str]) -> None:
    assert clean_author_names(raw, ["Example News"]) == expected


def test_publisher_dropped_unless_asked_for() -> None:
    assert clean_author_names(["Example News"], ["Example News"]) == []
    assert clean_author_names(["Example News"], ["Example News"], keep_publishers=True) == [
        "Example News"
    ]


def test_natural_case_keeps_acronyms() -> None:
    assert natural_case("TYLER KEPNER") == "Tyler Kepner"
    assert natural_case("AFP") == "AFP"
    assert natural_case("Jane Doe") == "Jane Doe"


def test_split_names_keeps_single_names_after_commas() -> None:
    assert split_names("Anna Roe, Sweidah") == ["Anna Roe", "Sweidah"]


def test_parse_byline_rejects_sentences() -> None:
    assert parse_byline("By Frances Robles") == ["Frances Robles"]
    assert parse_byline("By the end of the week the river had risen.") is None


def test_jsonld_person_through_graph_reference() -> None:
    graph = {
        "@graph": [
            {"@type": "NewsArticle", "headline": "Rain", "author": {"@id": "#jane"}},
            {"@type": "Person", "@id": "#jane", "name": "Jane Doe"},
        ]
    }
    assert _metadata(_page(jsonld=graph)).authors == ["Jane Doe"]


def test_jsonld_nested_author_lists_are_flattened() -> None:
    article = {
        "@type": "NewsArticle",
        "author": [{"@type": "Person", "name": "Jane Doe"}, [{"name": "Desk North"}]],
    }
    assert _metadata(_page(jsonld=article)).authors == ["Jane Doe", "Desk North"]


def test_site_name_is_not_author_when_a_byline_exists() -> None:
    html = _page(
        '<meta property="og:site_name" content="The Valley Star">',
        '<article><div class="byline">By <a href="/authors/frances">Frances Robles</a></div></article>',
        {"@type": "NewsArticle", "author": {"@type": "Person", "name": "The Valley Star"}},
    )
    assert _metadata(html).authors == ["Frances Robles"]


_OUTLET_PARAGRAPHS = "".join(
    f"<p>The council voted on Tuesday to rebuild the old bridge, paragraph {n}.</p>"
    for n in range(6)
)


@pytest.mark.parametrize(
    ("credit", "byline", "authors", "source"),
    [
        # The page credits only its outlet: the outlet is all it says of who wrote it.
        ({"@type": "Organization", "name": "The Valley Star"}, "", ["The Valley Star"], "json-ld"),
        ({"@type": "Person", "name": "The Valley Star"}, "", ["The Valley Star"], "json-ld"),
        # A person named anywhere on the page wins: the byline above the text, the credit
        # line closing it.
        (
            {"@type": "Person", "name": "The Valley Star"},
            "<p>By Frances Robles</p>",
            ["Frances Robles"],
            "byline",
        ),
        (
            {"@type": "Organization", "name": "The Valley Star"},
            "<p><strong>Jane Doe</strong></p>",
            ["Jane Doe"],
            "byline",
        ),
        # The site's name alone, never stated as the author, credits nobody.
        (None, "", [], None),
    ],
)
def test_the_outlet_is_the_author_only_when_the_page_credits_it_and_no_person(
    credit: dict[str, str] | None, byline: str, authors: list[str], source: str | None
) -> None:
    article: dict[str, object] = {"@type": "NewsArticle", "headline": "Bridge vote"}
    if credit:
        article["author"] = credit
    byline_first = byline if byline.startswith("<p>By") else ""
    byline_last = byline if not byline_first else ""
    html = _page(
        '<meta property="og:site_name" content="The Valley Star">',
        f"<article><h1>Bridge vote</h1>{byline_first}{_OUTLET_PARAGRAPHS}{byline_last}</article>",
        article,
    )
    record = extract_article(html, "https://valleystar.example/a/1")
    assert record is not None
    assert record.authors == authors
    assert record.provenance.get("authors") == source
    # The metadata stage keeps the outlet apart from the people it names.
    assert _metadata(html).authors == []


def test_first_byline_only_not_teaser_bylines() -> None:
    html = _page(
        body='<article><a rel="author" href="/a/jane">Jane Doe</a></article>'
        '<div><a rel="author" href="/a/jane">Jane Doe</a><a rel="author" href="/a/john">John Roe</a></div>'
    )
    assert _metadata(html).authors == ["Jane Doe"]


def test_comment_authors_are_not_bylines() -> None:
    html = _page(
        body='<article><p>Text</p></article><div class="comments"><span class="author">Kaffeetrinker</span></div>'
    )
    assert _metadata(html).authors == []


def test_section_link_in_author_block_is_not_a_name() -> None:
    html = _page(
        body='<div class="article_author"><a href="/news/category/29/misc">Miscellany</a></div>'
    )
    assert _metadata(html).authors == []


@pytest.mark.parametrize(
    ("author", "expected"),
    [("Nachrichten", []), ("Jane Doe", ["Jane Doe"]), ("Nachrichten Desk", ["Nachrichten Desk"])],
)
def test_an_account_named_after_the_section_is_not_an_author(
    author: str, expected: list[str]
) -> None:
    # WordPress sites file under a user named after the category; a two-word name that
    # happens to be a section stays (a columnist's own category).
    paragraphs = "".join(
        f"<p>The council voted on Tuesday to rebuild the old bridge, paragraph {n}.</p>"
        for n in range(6)
    )
    html = _page(
        f'<meta name="author" content="{author}">'
        '<meta property="article:section" content="Nachrichten">'
        '<meta property="article:section" content="Nachrichten Desk">',
        f"<article><h1>Bridge vote</h1>{paragraphs}</article>",
    )
    record = extract_article(html, "https://news.example.com/a/1")
    assert record is not None
    assert record.authors == expected
    assert ("authors" in record.provenance) == bool(expected)


def test_names_after_a_lone_byline_label_in_an_unmarked_block() -> None:
    # No class says "byline": the label does. Degrees after a name are not people, and a
    # sentence opening with the same word is not a byline.
    html = _page(
        body='<article><ul><li class="information-item">Von: <span class="person-link">'
        '<a href="/bill-mccarthy">Bill McCarthy</a>, </span><span class="person-link">'
        '<a href="/marisha-goldhamer">Marisha Goldhamer</a></span></li></ul>'
        "<p>Von den Teilnehmern kamen viele.</p></article>"
    )
    assert _metadata(html).authors == ["Bill McCarthy", "Marisha Goldhamer"]
    html = _page(
        body='<article><div class="x">Written by <!-- -->Elise Mandl, BSc, APD</div></article>'
    )
    assert _metadata(html).authors == ["Elise Mandl"]
    html = _page(body="<article><p>By</p><p>the end of the day the river had risen.</p></article>")
    assert _metadata(html).authors == []


def test_lowercase_initials_kept_when_the_publisher_is_the_other_credit() -> None:
    html = _page(
        '<meta property="og:site_name" content="Kickoff">',
        '<article><span class="author">amw</span></article>',
        {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Kickoff"}},
    )
    assert _metadata(html).authors == ["amw"]


# Dates and descriptions


def test_structured_date_beats_header_time_and_keeps_offset() -> None:
    html = _page(
        '<meta property="article:published_time" content="2024-04-30T08:15:00+02:00">',
        '<main><article><header><time datetime="2024-05-02T10:00:00Z">2 May</time></header></article></main>',
    )
    assert _metadata(html).published == "2024-04-30T08:15:00+02:00"


def test_article_header_time_when_no_metadata_date() -> None:
    html = _page(
        body='<main><article><header><time datetime="2024-05-02T10:00:00Z">2 May</time></header></article></main>'
    )
    assert _metadata(html).published == "2024-05-02T10:00:00+00:00"


def test_description_unescaped_and_tag_stripped() -> None:
    assert clean_description("&lt;p&gt;Here&amp;#x27;s the plan&lt;/p&gt;") == "Here's the plan"
    html = _page('<meta name="description" content="&lt;p&gt;Here&amp;#x27;s the plan&lt;/p&gt;">')
    assert _metadata(html).description == "Here's the plan"


def test_description_loses_a_leading_byline_of_the_authors() -> None:
    from scraper.extract.article import strip_leading_byline

    assert strip_leading_byline("By Frances Robles American officials met", ["Frances Robles"]) == (
        "American officials met"
    )
    assert strip_leading_byline("By A, B and C The text", ["A", "B", "C"]) == "The text"
    assert strip_leading_byline("By TYLER KEPNER / THE ATHLETIC The first", ["Tyler Kepner"]) == (
        "The first"
    )
    # Not the authors' names: a sentence that happens to start with "By" stays whole.
    assert strip_leading_byline("By the river we sat", ["Jane Doe"]) == "By the river we sat"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Lê Phương", ["Lê Phương"]),
        ("MDR (Engin Haupt, Alisa Sonntag)", ["Engin Haupt", "Alisa Sonntag"]),
        ("Ярослав Кузишин, Антон Зелинский", ["Ярослав Кузишин", "Антон Зелинский"]),
        ("SDA/sep", ["SDA"]),
        ("IN-Redaktion", ["IN-Redaktion"]),
        # Not credit lines: a label, a sentence, a date line, a lower-case phrase.
        ("Fazit", None),
        ("The council met on Tuesday.", None),
        ("Updated 12 March 2024", None),
        ("more on this story", None),
        # A labelled credit: other contributors or the pictures, not the authors' signature.
        ("Contributing: Kristine Phillips", None),
        ("Faktencheck: Marcus Bensmann", None),
        # The authors' marks, then the picture's and the first publication's credits.
        ("ssi, dan; Foto [M]: Shutterstock; Erstveröffentlichung: 4.4.18", ["ssi", "dan"]),
        ("Jane Doe; Photo: Reuters", ["Jane Doe"]),
        # Marks alone are not a signature, nor are credits without a picture's.
        ("ssi, dan", None),
        ("ssi; Quelle: dpa", None),
        ("Fotos: dpa; Quelle: Polizei", None),
        # A sentence before the semicolon is still a sentence.
        ("The council met on Tuesday; Photo: Reuters", None),
    ],
)
def test_closing_credit_lines(line: str, expected: list[str] | None) -> None:
    assert parse_signature(line) == expected


def test_editions_and_accounts_named_after_the_domain_are_the_publisher() -> None:
    publishers = ["MDR", "mdr.de", "mdr", "Ilanga News", "ilanganews.co.za", "ilanganews"]
    raw = ["David Straub", "MDR THÜRINGEN", "Ilanga D", "Mdrisa Okafor"]
    assert clean_author_names(raw, publishers) == ["David Straub", "Mdrisa Okafor"]


def test_a_lower_case_phrase_is_not_a_name() -> None:
    assert clean_author_names(["israel news", "amw"], ["Example News"]) == ["amw"]


def test_an_outlet_credit_keeps_its_own_spelling() -> None:
    html = _page(
        '<meta property="og:site_name" content="BBC NEWS">',
        f"<article><h1>Bridge vote</h1>{_OUTLET_PARAGRAPHS}</article>",
        {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "BBC NEWS"}},
    )
    record = extract_article(html, "https://bbc.example/a/1")
    assert record is not None and record.authors == ["BBC NEWS"]


def test_the_written_by_field_of_a_twitter_card_names_the_author() -> None:
    card = (
        '<meta name="twitter:label1" content="Written by">'
        '<meta name="twitter:data1" content="kirstin boatto">'
        '<meta name="twitter:label2" content="Est. reading time">'
        '<meta name="twitter:data2" content="5 minutes">'
    )
    assert _metadata(_page(card)).authors == ["Kirstin Boatto"]
    # Another field's value is nobody's name, and a CMS's default account names nobody.
    other = '<meta name="twitter:label1" content="Est. reading time"><meta name="twitter:data1" content="5 minutes">'
    assert _metadata(_page(other)).authors == []
    admin = '<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="admin">'
    assert _metadata(_page(admin)).authors == []


# The expressions that jsonld_scripts and canonical_hrefs read in Python, as the metadata
# stage ran them before.
_JSONLD_SCRIPTS = etree.XPath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]')
_CANONICAL_HREFS = etree.XPath(
    "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
)
_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_HEAD_CASES = {
    "type cases": "<script type='application/LD+JSON'>{}</script><script type='Application/"
    "ld+json'>{}</script><script type='application/lD+jSoN'>{}</script><script>{}</script>"
    "<script type='text/json'>{}</script>",
    "rel tokens": "<link rel='Canonical' href='/a'><link rel=' alternate\tcanonical\n' href='/b'>"
    "<link rel='canonical\xa0x' href='/c'><link rel='canonicalx' href='/d'>"
    "<link rel='canonical'><link rel='x canonical' href=''>",
}


@pytest.mark.parametrize(
    "html",
    [p.read_text("utf-8", "replace") for p in sorted(_FIXTURES.rglob("*.html"))]
    + [
        f"<html><head>{head}</head><body><p>x</p>{head}</body></html>"
        for head in _HEAD_CASES.values()
    ],
)
def test_the_head_readers_select_what_the_expressions_select(html: str) -> None:
    tree = load_document(html).tree
    assert jsonld_scripts(tree) == _JSONLD_SCRIPTS(tree)
    assert canonical_hrefs(tree) == _CANONICAL_HREFS(tree)


def test_the_head_cases_show_what_they_are_named_for() -> None:
    def tree(case: str) -> lxml.html.HtmlElement:
        return load_document(f"<html><head>{_HEAD_CASES[case]}</head><body></body></html>").tree

    # LDJSON in any case, other letters as written ("Application" holds no "ld+json" to miss)
    assert len(jsonld_scripts(tree("type cases"))) == 3
    # the token "canonical" between XML spaces, not a no-break space; a link without href
    assert canonical_hrefs(tree("rel tokens")) == ["/b", ""]
