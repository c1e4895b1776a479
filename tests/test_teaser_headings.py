"""Headings inside a link to another story of the site are teaser cards' titles, not the
article's (scraper.extract.teaser_headings); headings that hold a link are the article's."""

from __future__ import annotations

import lxml.html

from scraper.extract.article import explain_article
from scraper.extract.body import _opens_another_page_of_the_site
from scraper.extract.teaser_headings import teaser_heading_keys
from scraper.extract.text import fold

_URL = "https://bayport.example.com/news/2024/03/harbour-dredging"

# A story whose sections link their subjects (a guide on the site, a tide table on another
# site, a place further down the page), followed by a strip of cards that each open another
# story: one link around the card's picture and heading, the date beside it.
_PAGE = """<html><head><title>Harbour dredging to start in May | Bayport Herald</title>
<meta property="og:type" content="article"></head><body>
<header><a href="/"><h1>Bayport Herald</h1></a></header>
<main><div class="story">
<h1>Harbour dredging to start in May</h1>
<p>The harbour commission voted on Tuesday to begin dredging the north channel in May, two months
earlier than planned, after silt left two ferries stranded at low tide last winter.</p>
<p>The work will cost about four million dollars and take eleven weeks, the commission's chair
said, and the ferries will run on a reduced timetable while the dredgers are at work.</p>
<h2><a href="/guides/ferry-timetable">Where to find the reduced ferry timetable</a></h2>
<p>The timetable for the eleven weeks will be posted at both terminals and on the ferry
operator's website from the first of May, the operator said in a statement.</p>
<h2><a href="https://weather.example.org/tides">What the tide tables say about the spring</a></h2>
<p>Spring tides in April are lower than usual this year, which is why the commission wants the
channel cleared before the summer season begins, the harbour master said.</p>
<h2><a href="#reactions">How the fishing fleet reacted to the vote</a></h2>
<p id="reactions">Fishermen welcomed the decision but asked the commission to keep the south
channel open for their boats during the whole of the work, which it promised to do.</p>
<section class="more">
<div class="card"><a href="/news/2024/03/council-harbour-budget"><h3>Council approves the new
harbour budget for next year</h3></a>
<p>12 March 2024</p></div>
<div class="card"><a href="/news/2024/03/ferry-fares"><img src="fares.jpg"><h3>Ferry fares will
rise by five percent in June</h3></a>
<p>10 March 2024</p></div>
</section>
</div></main>
<footer><p>Bayport Herald, 1 Harbour Road</p></footer>
</body></html>"""

_TEASERS = (
    "Council approves the new harbour budget for next year",
    "Ferry fares will rise by five percent in June",
)
_SECTION_HEADINGS = (
    "Where to find the reduced ferry timetable",
    "What the tide tables say about the spring",
    "How the fishing fleet reacted to the vote",
)


def test_teaser_cards_headings_leave_the_text_and_section_headings_stay() -> None:
    explanation = explain_article(_PAGE, _URL)
    assert explanation.record is not None
    lines = explanation.record.text.split("\n\n")
    for teaser in _TEASERS:
        assert teaser not in lines
    for heading in _SECTION_HEADINGS:
        assert heading in lines
    assert any(line.startswith("The harbour commission voted") for line in lines)
    removed = {d.subject for d in explanation.decisions if d.rule == "teaser-heading"}
    assert removed == set(_TEASERS)


def test_only_a_heading_inside_a_link_to_another_page_of_the_site_is_a_teaser() -> None:
    tree = lxml.html.document_fromstring(
        "<html><body>"
        # Inside a link: to another story, to the page itself, to another site.
        "<a href='/news/other'><h3>Council approves the new harbour budget</h3></a>"
        "<a href='#vote'><h3>How the council members voted on the budget</h3></a>"
        f"<a href='{_URL}#map'><h3>A map of the channel that will be dredged</h3></a>"
        "<a href='https://radio.example.net/harbour'><h3>Listen to the harbour master "
        "today</h3></a>"
        # A link inside the heading: a listicle's or a guide's section.
        "<h3><a href='/guides/museum'>The harbour museum and its old ships</a></h3>"
        # Too short for a card's title: a name.
        "<a href='/people/jane-doe'><h4>Jane Doe</h4></a>"
        # The title of a card that opens a story but was not in the text.
        "<a href='/news/elsewhere'><h3>A story that trafilatura left out anyway</h3></a>"
        "</body></html>"
    )
    in_text = [
        "Council approves the new harbour budget",
        "How the council members voted on the budget",
        "A map of the channel that will be dredged",
        "Listen to the harbour master today",
        "The harbour museum and its old ships",
        "Jane Doe",
    ]
    keys = {fold(line) for line in in_text}

    def opens_another_page(href: str) -> bool:
        return _opens_another_page_of_the_site(href, _URL)

    assert teaser_heading_keys(tree, keys, opens_another_page) == {
        fold("Council approves the new harbour budget")
    }
