"""Publication dates on small hand-written pages: structured dates first, then the date the
article prints under its headline."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.extract import explain_article
from scraper.extract.dates import (
    _PRINTED_DATES,
    _SLASHED_DAY,
    _YEAR,
    _YEAR_DIGITS,
    PrintedDates,
    printed_date,
    printed_dates,
)
from scraper.extract.document import load_document

_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_TEXT = (
    "<p>" + "The council met on Tuesday and agreed on the budget for the coming year. " * 6 + "</p>"
)


def _published(head: str, body: str, url: str = "https://blog.example.com/post") -> str | None:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    record = explain_article(html, url).record
    assert record is not None
    return record.published


_DATELINES = [
    ("Updated Dec 18, 2025 · 12 min read", "2025-12-18"),
    ("December 15th 2025", "2025-12-15"),
    ("17. Mai 2021", "2021-05-17"),
    ("3 de enero de 2024", "2024-01-03"),
    ("17.05.2021", "2021-05-17"),
    ("Juliette Carreiro - 2024-12-17", "2024-12-17"),
    ("2/24/2026", "2026-02-24"),
    ("24/2/2026", "2026-02-24"),
    # Year first, dotted or slashed, as many themes and East Asian pages print it.
    ("Essay - Published: 2025.12.17 |", "2025-12-17"),
    ("2025/12/17", "2025-12-17"),
    # A version number is not a day.
    ("Version 2023.10.1.4", None),
    ("v2023.10.12", None),
    ("2025.13.01", None),
    # Either order reads as a day: left alone.
    ("3/10/2023", None),
    # A sentence about a date is not the page's dateline.
    ("As of July 31, 2025, the agency has received many reports from the public", None),
    ("Statistics for the week ending Oct 17, 2025 were released by the agency today", None),
    ("Feb 30, 2024", None),
    ("May 2024", None),
]


@pytest.mark.parametrize(("line", "day"), _DATELINES)
def test_printed_datelines(line: str, day: str | None) -> None:
    assert printed_date(line) == day


def test_the_date_printed_under_the_headline_when_the_metadata_states_none() -> None:
    body = (
        "<nav>Archive: Jan 1, 2020</nav><aside><p>Popular: Mar 3, 2021</p></aside>"
        "<h1>How to plant tomatoes</h1><div>Updated Nov 21, 2018</div>"
        f"{_TEXT}<p>Footnote, Dec 10, 2025</p>"
    )
    assert _published("", body) == "2018-11-21"


def test_a_structured_date_beats_the_printed_one() -> None:
    head = '<meta property="article:published_time" content="2018-11-02T10:00:00+01:00">'
    body = f"<h1>How to plant tomatoes</h1><div>Updated Nov 21, 2018</div>{_TEXT}"
    assert _published(head, body) == "2018-11-02T10:00:00+01:00"


def test_the_printed_header_date_is_named_in_the_trace() -> None:
    html = f"<html><body><h1>How to plant tomatoes</h1><p>Nov 21, 2018</p>{_TEXT}</body></html>"
    decisions = explain_article(html, "https://blog.example.com/post").decisions
    assert any(d.stage == "date" and d.rule == "printed-in-header" for d in decisions)


def test_without_a_header_date_the_first_printed_date_of_the_article() -> None:
    body = f"<h1>How to plant tomatoes</h1>{_TEXT}<p>Posted on 16 December 2025</p>"
    assert _published("", body) == "2025-12-16"
    # It beats a guess from the links of a sidebar (htmldate reads "/2019/03/01/" there).
    sidebar = (
        '<div class="sidebar-widget"><a href="/2019/03/01/older">Older post</a> '
        "<span>2019-03-01</span></div>"
    )
    assert _published("", body + sidebar) == "2025-12-16"


def test_a_date_in_a_sentence_is_not_a_dateline() -> None:
    body = (
        "<h1>How to plant tomatoes</h1>"
        "<p>We planted the first row on March 3, 2021, after the last frost had passed.</p>"
        f"{_TEXT}"
    )
    assert _published("", body) is None


def test_footers_asides_and_teasers_print_no_dateline_of_the_article() -> None:
    html = (
        "<html><body><h1>How to plant tomatoes</h1>"
        '<div class="related-posts"><span>Mar 3, 2021</span></div>'
        f"{_TEXT}<footer>Jan 1, 2024</footer></body></html>"
    )
    assert printed_dates(load_document(html, "https://blog.example.com/post").tree) == (
        PrintedDates(None, None)
    )


def test_a_layout_class_around_the_headline_is_not_a_sidebar() -> None:
    # Utility classes name the sidebar's width on the article's own column; a newsletter
    # site's issue sits in its "newsletter" section. Both hold the headline.
    for wrapper in (
        '<div class="max-w-full mr-[--sidebar-width]">',
        '<section class="newsletter">',
    ):
        body = (
            f"{wrapper}<h1>How to plant tomatoes</h1><span>Published on Oct 21, 2025</span>"
            f"{_TEXT}</{wrapper[1:].split()[0]}>"
            '<div class="sidebar"><span>Published on Mar 11, 2026</span></div>'
        )
        tree = load_document(f"<html><body>{body}</body></html>", "https://a.example/p").tree
        assert printed_dates(tree).header == "2025-10-21"


def test_a_block_beside_the_headline_is_the_header_whatever_its_class() -> None:
    # A newsletter's issue prints its date in a "newsletter-details-wrapper" that follows the
    # H1's own wrapper: the header's, not a signup box beside the article.
    body = (
        '<div class="col"><div class="title"><h1>How to plant tomatoes</h1></div>'
        '<div class="newsletter-details-wrapper"><p>November 2, 2022</p></div>'
        f"{_TEXT}</div>"
        '<div class="teasers"><p>December 18, 2025</p></div>'
    )
    tree = load_document(f"<html><body>{body}</body></html>", "https://a.example/p").tree
    assert printed_dates(tree) == PrintedDates("2022-11-02", "2022-11-02")


def test_a_sidebar_beside_the_headlines_column_stays_outside() -> None:
    # The H1 shares its column with a byline: the sidebar beside the column is not the header's.
    body = (
        '<div class="page"><div class="column"><h1>How to plant tomatoes</h1>'
        "<span>By Jane Doe</span></div>"
        '<div class="sidebar"><span>Mar 11, 2026</span></div>'
        f"{_TEXT}</div>"
    )
    tree = load_document(f"<html><body>{body}</body></html>", "https://a.example/p").tree
    assert printed_dates(tree, header_only=True).header is None


def test_a_time_element_gives_its_datetime_over_its_text() -> None:
    # "10/12/2023" reads either way; the datetime says which.
    body = (
        '<h1>How to plant tomatoes</h1><small><time datetime="2023-10-12T19:38:01Z">'
        f"10/12/2023 7:38 PM</time></small>{_TEXT}"
    )
    assert _published("", body) == "2023-10-12T19:38:01+00:00"


def test_a_worded_date_in_a_meta_tag() -> None:
    head = '<meta name="published" content="July 17, 2025">'
    assert _published(head, f"<h1>How to plant tomatoes</h1>{_TEXT}") == "2025-07-17"
    # A sentence in the tag is no date.
    head = '<meta name="published" content="Published by the council after the long meeting on July 17, 2025">'
    assert _published(head, f"<h1>How to plant tomatoes</h1>{_TEXT}") is None


def test_the_webpage_date_when_the_article_prints_none() -> None:
    graph = (
        '<script type="application/ld+json">{"@graph": [{"@type": "WebPage", '
        '"datePublished": "2024-03-17T19:47:39+00:00"}]}</script>'
    )
    body = f"<h1>How to plant tomatoes</h1>{_TEXT}"
    assert _published(graph, body) == "2024-03-17T19:47:39+00:00"
    # A date the article prints wins over the site builder's.
    printed = f"<h1>How to plant tomatoes</h1><div>Nov 21, 2018</div>{_TEXT}"
    assert _published(graph, printed) == "2018-11-21"


def test_a_utc_time_gives_the_day_of_the_address() -> None:
    head = '<meta property="article:published_time" content="2025-12-19T02:41:41+00:00">'
    body = f"<h1>How to plant tomatoes</h1>{_TEXT}"
    url = "https://blog.example.com/2025/12/18/tomatoes/"
    assert _published(head, body, url) == "2025-12-18"
    # No time zone is 20 hours behind UTC: the address's day is another day's.
    late = '<meta property="article:published_time" content="2025-12-19T22:02:58+00:00">'
    assert _published(late, body, url) == "2025-12-19T22:02:58+00:00"
    # A time with its own offset is the page's local time already.
    local = '<meta property="article:published_time" content="2025-12-19T02:41:41+01:00">'
    assert _published(local, body, url) == "2025-12-19T02:41:41+01:00"


def test_a_header_date_days_before_the_metadata_is_the_first_run() -> None:
    # A blog moved to a new site: its metadata states the day of the move.
    head = '<meta property="article:published_time" content="2024-08-07T12:01:51+00:00">'
    body = f"<h1>Lessons from a failed startup</h1><div>December 30, 2013</div>{_TEXT}"
    assert _published(head, body) == "2013-12-30"
    decisions = explain_article(f"<html><head>{head}</head><body>{body}</body></html>").decisions
    assert any(d.rule == "printed-earlier-in-header" for d in decisions)
    # A later printed date is an update, and a day earlier another time zone's day.
    for printed in ("Updated August 20, 2024", "August 6, 2024"):
        body = f"<h1>Lessons from a failed startup</h1><div>{printed}</div>{_TEXT}"
        assert _published(head, body) == "2024-08-07T12:01:51+00:00"


def test_every_dateline_pattern_holds_the_year_that_the_pre_test_looks_for() -> None:
    # printed_date answers None at once for a line without the year's digits (_YEAR_DIGITS):
    # right only while each pattern needs the year. A pattern without it fails here.
    for pattern in (*_PRINTED_DATES, _SLASHED_DAY):
        assert _YEAR in pattern.pattern
    assert _YEAR_DIGITS.pattern == _YEAR.removeprefix("(?P<y>").removesuffix(")")


def _pattern_day(line: str) -> bool:
    return any(p.search(line) for p in (*_PRINTED_DATES, _SLASHED_DAY))


def test_the_year_pre_test_passes_every_line_a_pattern_matches() -> None:
    lines = [line for line, _ in _DATELINES] + [
        "Posted 20٢٥-12-01",  # digits of another script are \d to both
        "Mai 2021",
        "17.05.1999",
        "12/3/2030 at noon",
    ]
    for path in sorted(_FIXTURES.rglob("*.html")):
        tree = load_document(path.read_text("utf-8", "replace")).tree
        lines += [" ".join(t.split()) for t in tree.itertext() if 0 < len(t.strip()) <= 80]
    matched = [line for line in lines if _pattern_day(line)]
    assert len(matched) > 20  # the lines include datelines, not only text
    assert all(_YEAR_DIGITS.search(line) for line in matched)
