"""Author credits on small hand-written pages and strings: what names a person, what names an
outlet or newsroom, and what names nobody."""

from __future__ import annotations

import pytest

from scraper.extract import explain_article
from scraper.extract.authors import (
    clean_author_names,
    is_interface_credit,
    is_publisher,
    parse_byline,
)
from scraper.extract.document import load_document
from scraper.extract.metadata import extract_metadata


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # The labels author boxes and archive links put before the name.
        ("Post author By Helge Fahrnberger", ["Helge Fahrnberger"]),
        ("View all posts by Craig Randall", ["Craig Randall"]),
        ("Geschrieben von Elisa Marvena", ["Elisa Marvena"]),
        ("Author Isaiah Shelton", ["Isaiah Shelton"]),
        ("Authors: Aniruddha Roy, Jyoti Patel", ["Aniruddha Roy", "Jyoti Patel"]),
        ("Read more about The Upwork Team", ["The Upwork Team"]),
        ("More stories by Jane Doe", ["Jane Doe"]),
        # Names and credits that merely start like a label stay whole.
        ("Authority Magazine", ["Authority Magazine"]),
        ("Morecambe Visitor", ["Morecambe Visitor"]),
    ],
)
def test_labels_before_the_name_are_not_part_of_it(raw: str, expected: list[str]) -> None:
    assert clean_author_names([raw]) == expected


@pytest.mark.parametrize(
    "credit",
    ["Folgen", "Twitter", "Written By", "About the Author", "Pin For Later", "Contacting Us", "1"],
)
def test_interface_words_and_social_networks_credit_nobody(credit: str) -> None:
    assert is_interface_credit(credit)
    assert clean_author_names([credit]) == []


@pytest.mark.parametrize(
    "credit",
    [
        "Jane Doe",
        "Ludwig van Beethoven",
        "Ursula von der Leyen",
        "The Upwork Team",
        "Die Redaktion von Battery News",
        "Office of Communications",
        "auto-motor.at Redaktion",
        "Malcolm X",
        "Su Wei",
        "Per Olsson",
        "Our Editors",
    ],
)
def test_names_and_organisations_are_not_interface_words(credit: str) -> None:
    assert not is_interface_credit(credit)
    assert clean_author_names([credit]) == [credit]


def test_degrees_after_a_name_are_not_more_people() -> None:
    assert clean_author_names(["Dylan Bailey, MS, RD, FAND"]) == ["Dylan Bailey"]
    assert clean_author_names(["Brian Stormont, CFP®"]) == ["Brian Stormont"]
    # An agency set the same way is a credit of its own.
    assert clean_author_names(["Adam Vidler, AP"]) == ["Adam Vidler", "AP"]


def test_the_date_a_byline_runs_into_is_not_part_of_the_name() -> None:
    assert clean_author_names(["Dakota Hebert July 3"]) == ["Dakota Hebert"]
    assert clean_author_names(["Haley Hoekstra • March 4, 2025"]) == ["Haley Hoekstra"]
    # Month names that are names stay.
    assert clean_author_names(["April Ryan", "Jane May"]) == ["April Ryan", "Jane May"]


def test_escaped_names_are_unescaped() -> None:
    assert clean_author_names(["Tom &amp; Jerry Studio"]) == ["Tom & Jerry Studio"]


def test_a_labelled_byline_line_in_the_text() -> None:
    assert parse_byline("Geschrieben von Elisa Marvena") == ["Elisa Marvena"]
    assert parse_byline("Written by the community for the community.") is None


def test_an_interface_credit_is_named_in_the_trace() -> None:
    html = (
        '<html><head><meta name="author" content="Folgen"></head><body><h1>Rain returns</h1>'
        f"<p>{'The rain came back to the valley on Tuesday after weeks of drought. ' * 8}</p>"
        "</body></html>"
    )
    explanation = explain_article(html, "https://news.example.com/a/1")
    assert explanation.record is not None
    assert explanation.record.authors == []
    assert any(
        d.stage == "authors" and d.rule == "interface-credit" and d.subject == "Folgen"
        for d in explanation.decisions
    )


_TEXT = "".join(
    f"<p>The council voted on Tuesday to rebuild the old bridge, paragraph {n}.</p>"
    for n in range(6)
)


def _authors(head: str, body: str, url: str) -> list[str]:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    record = explain_article(html, url).record
    assert record is not None
    return record.authors


def test_a_personal_site_credits_its_owner_whose_name_is_the_site_name() -> None:
    head = '<meta property="og:site_name" content="Melissa K. Norris">'
    body = (
        '<article><h1>Pest control</h1><p>By <a href="/start-here/">'
        f'<span class="entry-author-name">Melissa Norris</span></a></p>{_TEXT}</article>'
    )
    assert _authors(head, body, "https://melissaknorris.example/pest") == ["Melissa Norris"]


def test_a_company_blog_credits_the_company_when_no_person_is_named() -> None:
    head = '<meta property="og:site_name" content="EcoFlow">'
    body = f'<article><h1>Watts</h1><span class="author-name">EcoFlow</span>{_TEXT}</article>'
    assert _authors(head, body, "https://www.ecoflow.example/blog/watts") == ["EcoFlow"]
    # A person named anywhere wins over the company.
    body = (
        f'<article><h1>Watts</h1><span class="author-name">EcoFlow</span>{_TEXT}'
        "<p>By Jane Doe</p></article>"
    )
    assert _authors(head, body, "https://www.ecoflow.example/blog/watts") == ["Jane Doe"]
    # The site's name in its logo and og:site_name alone credits nobody.
    body = f'<header><a class="logo" href="/">EcoFlow</a></header><article><h1>Watts</h1>{_TEXT}</article>'
    assert _authors(head, body, "https://www.ecoflow.example/blog/watts") == []


def test_layout_flags_on_body_do_not_put_the_byline_outside_the_article() -> None:
    html = (
        '<html><body class="single content-sidebar has-sidebar comments-open">'
        '<article><h1>Pest control</h1><div class="byline">By Jane Doe</div>'
        f"{_TEXT}</article>"
        '<div class="comments"><span class="author">Kaffeetrinker</span></div></body></html>'
    )
    assert extract_metadata(load_document(html, "https://blog.example/p")).authors == ["Jane Doe"]


def _header_authors(header: str) -> list[str]:
    html = (
        '<html><head><meta property="og:site_name" content="Example Blog">'
        '<meta property="article:section" content="Smart Home"></head><body>'
        f"<article><h1>How to plant tomatoes</h1>{header}{_TEXT}</article></body></html>"
    )
    return extract_metadata(load_document(html, "https://blog.example/p")).authors


@pytest.mark.parametrize(
    ("header", "authors"),
    [
        # The dateline beside the name, in one small block.
        ("<div><div>Jack Shepherd</div><div>Dec 4, 2025</div></div>", ["Jack Shepherd"]),
        # A link to the author's own page.
        ('<p><a href="/authors/a-j-neal">A. J. Neal</a></p>', ["A. J. Neal"]),
        # The portrait beside it carries the same name.
        ('<img alt="Julia Gralberg" src="j.jpg"><span>Julia Gralberg</span>', ["Julia Gralberg"]),
        # The same shapes without that evidence: a section label, a tag link, a heading.
        ("<div><div>Smart Home</div><div>Dec 4, 2025</div></div>", []),
        ('<div><a href="/garden-tips/">Garden Tips</a><span>Dec 4, 2025</span></div>', []),
        ("<h2>Key Takeaways</h2>", []),
        ("<div><div>Share Article</div><div>Dec 4, 2025</div></div>", []),
    ],
)
def test_a_name_under_the_headline_with_evidence_is_the_byline(
    header: str, authors: list[str]
) -> None:
    assert _header_authors(header) == authors


def test_a_name_under_the_headline_is_named_in_the_trace() -> None:
    html = (
        "<html><body><article><h1>How to plant tomatoes</h1>"
        f"<div><div>Jack Shepherd</div><div>Dec 4, 2025</div></div>{_TEXT}</article></body></html>"
    )
    decisions = explain_article(html, "https://blog.example/p").decisions
    assert any(d.rule == "name-under-headline" and "Jack Shepherd" in d.subject for d in decisions)


def test_a_source_label_is_not_part_of_the_credit() -> None:
    assert clean_author_names(["Quelle: sid"]) == ["sid"]
    assert clean_author_names(["Source AFP"]) == ["AFP"]


@pytest.mark.parametrize(
    ("credit", "host", "outlet"),
    [
        ("Deutsche Welle", "www.dw.com", True),
        ("Lesotho Times", "lestimes.com", True),
        ("Jane Doe", "www.dw.com", False),
        ("Lesotho Times", "www.dw.com", False),
        # A short last word ends too many domains.
        ("Daily News", "dailynews.example", True),
        ("Dan News", "dnews.example", True),
        ("Dan Sun", "dsun.example", False),
    ],
)
def test_the_outlet_named_in_full_behind_a_short_domain(
    credit: str, host: str, outlet: bool
) -> None:
    label = host.removeprefix("www.").split(".")[0]
    assert is_publisher(credit, [host, label]) == outlet


def test_a_reporter_beats_the_outlet_named_in_full() -> None:
    jsonld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rain",'
        ' "author": {"@type": "Organization", "name": "Deutsche Welle"}}</script>'
    )
    body = f'<article><h1>Rain</h1><div class="author">By Jane Doe</div>{_TEXT}</article>'
    assert _authors(jsonld, body, "https://www.dw.com/en/rain/a-1") == ["Jane Doe"]


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        # The theme links the byline to the author's page and marks it no other way.
        ('<p class="entry-meta">Posted by <a href="/author/amanda/">Amanda</a></p>', ["Amanda"]),
        (
            '<li><a href="/library/?_author=John%20A.%20Alic">John A. Alic</a></li>',
            ["John A. Alic"],
        ),
        # Links elsewhere, an author archive's interface label, or teasers: nobody.
        ('<p><a href="/category/authors-corner/">Authors Corner</a></p>', []),
        ('<p><a href="/author/amanda/">View all posts</a></p>', []),
        ('<div class="related-posts"><a href="/author/amanda/">Amanda</a></div>', []),
    ],
)
def test_a_link_to_the_author_page_names_the_author(byline: str, authors: list[str]) -> None:
    html = f"<html><body><article><h1>Book beat</h1>{_TEXT}{byline}</article></body></html>"
    assert extract_metadata(load_document(html, "https://books.example/p")).authors == authors


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane Doe for The Guardian", ["Jane Doe"]),
        ("By Glen Owen And Brendan Carlin For The Mail On Sunday", ["Glen Owen", "Brendan Carlin"]),
        ("Anna Roe für die Süddeutsche Zeitung", ["Anna Roe"]),
        # One word before "for" is not a name written for an outlet.
        ("Council for Relationships", []),
        # A capital one-letter word is an initial, not a conjunction.
        ("Jean E Smith", ["Jean E Smith"]),
    ],
)
def test_the_outlet_a_byline_wrote_for_is_not_part_of_the_names(
    raw: str, expected: list[str]
) -> None:
    assert clean_author_names([raw]) == expected


def test_a_byline_line_naming_the_outlet_it_wrote_for() -> None:
    assert parse_byline("By Jane Doe for The Guardian") == ["Jane Doe"]
    assert parse_byline("By the river for the whole summer") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # The job title an author box sets after the name.
        ("Liz Kenny Former McKinsey Consultant", ["Liz Kenny"]),
        ("Meghan Neville Content Marketing Coordinator", ["Meghan Neville"]),
        ("Dana Webb Marketing Director", ["Dana Webb"]),
        # Two elements' texts run together without a space.
        ("Emily WalkerCasey McDevitt", ["Emily Walker"]),
        # The page's kind after a dot.
        ("Ben Applebaum-Bauch ⋅ Review", ["Ben Applebaum-Bauch"]),
    ],
)
def test_what_follows_a_name_in_an_author_box_is_not_part_of_it(
    raw: str, expected: list[str]
) -> None:
    assert clean_author_names([raw]) == expected


@pytest.mark.parametrize(
    "credit",
    [
        "Edith Head",
        "Mark SubbaRao",
        "Team SimplyThrilled",
        "Luxury Travel Expert",
        "Office of Communications",
        "Casey McDevitt",
        "Ian MacKenzie",
        "Ella FitzGerald",
        "DeShawn Jones",
        "August Wilson",
    ],
)
def test_role_words_and_inner_capitals_in_names_stay(credit: str) -> None:
    assert clean_author_names([credit]) == [credit]


@pytest.mark.parametrize(
    "credit",
    [
        "Head of Marketing",
        "October",
        "page.head.extra.author",
        "Wp-Block-Co-Authors-Plus-Coauthors",
    ],
)
def test_a_job_title_a_month_or_a_markup_identifier_names_nobody(credit: str) -> None:
    assert clean_author_names([credit]) == []


def test_a_written_by_line_in_an_unmarked_element() -> None:
    from scraper.extract.page_authors import labelled_byline_authors

    def names(body: str) -> list[str]:
        tree = load_document(f"<html><body>{body}</body></html>", "https://a.example/p").tree
        return labelled_byline_authors(tree, [])

    assert names("<h1>Budgets</h1><h3>Written by Cassidy Horton</h3><p>Text.</p>") == [
        "Cassidy Horton"
    ]
    # Without its verb, a label and a name in one text are a menu's or a caption's words.
    assert names('<h1>Projectors</h1><div class="menu-item">By Event Type</div>') == []
    assert names("<h1>Munich</h1><p>Photos de Bavière</p>") == []


def test_the_name_heading_of_an_author_box_with_a_biography() -> None:
    from scraper.extract.page_authors import byline_block_authors

    bio = "Bence builds audio plugins and writes about user interfaces and their pipelines. " * 3

    def names(box: str) -> list[str]:
        tree = load_document(f"<html><body>{box}</body></html>", "https://a.example/p").tree
        return byline_block_authors(tree, [])

    assert names(f'<div class="blog-author"><h4>Bence Kovács</h4><p>{bio}</p></div>') == [
        "Bence Kovács"
    ]
    # The box's own title is no name, whatever its label leaves.
    assert names(f'<div class="author-wrapper"><h2>Author Spotlight</h2><p>{bio}</p></div>') == []
