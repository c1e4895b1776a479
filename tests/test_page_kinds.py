"""Every page with a main text gives a record that says what kind of page it is; crawls keep
articles. A page made of links gives none, on any path."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from scraper.extract import NotAnArticle, NotHTMLError, extract_article
from scraper.localsite import LocalSite
from scraper.record import SCHEMA_VERSION, schema_errors
from scraper.sinks.sqlite import SqliteRecordWriter
from tests.conftest import FAST, SITE, jsonl, run_cli

PROSE = " ".join(
    f"Sentence {n} of the report explains how the river authority plans the new embankment "
    "and what residents along the lower bank were told at the meeting on Tuesday."
    for n in range(12)
)


def _page(body: str, head: str = "") -> str:
    return f"<html><head><title>Guide</title>{head}</head><body>{body}</body></html>"


def test_a_guide_without_byline_or_date_gives_a_record_of_kind_other() -> None:
    # og:type=website, no author, no date, short paragraphs: no evidence of an article, but a
    # main text that a user who asked for this URL wants.
    lines = "".join(
        f"<p>Step {n}: water the seedlings in the morning, before the sun is high.</p>"
        for n in range(12)
    )
    html = _page(
        f"<main><h1>How to plant tomatoes</h1>{lines}</main>",
        '<meta property="og:type" content="website">',
    )
    record = extract_article(html, "https://garden.example/guides/tomatoes")
    assert record is not None
    assert record.page_kind == "other"
    assert "water the seedlings" in record.text
    assert (
        extract_article(html, "https://garden.example/guides/tomatoes", kinds=("article",)) is None
    )


def test_an_article_is_of_kind_article() -> None:
    html = _page(
        f"<article><h1>Embankment plan approved</h1><p>{PROSE}</p></article>",
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2024-05-02T10:00:00Z">',
    )
    record = extract_article(html, "https://paper.example/2024/05/02/embankment")
    assert record is not None and record.page_kind == "article"
    assert not schema_errors(record.to_dict())


def test_a_section_front_is_a_listing_and_says_so_when_asked_for_articles() -> None:
    html = (SITE / "section" / "news" / "index.html").read_bytes()
    record = extract_article(html, "https://paper.example/section/news")
    assert record is not None and record.page_kind == "listing"
    with pytest.raises(NotAnArticle, match="listing page: page is typed as a listing"):
        extract_article(
            html, "https://paper.example/section/news", kinds=("article",), raise_on_failure=True
        )


def test_a_page_made_of_links_gives_no_record_and_its_reason() -> None:
    # A tag page without any listing metadata: headlines that link to the articles.
    items = "".join(
        f'<li><a href="/2024/05/0{n}/story-{n}/">Council weighs new plan for the harbour '
        f"front, part {n} of the series</a></li>"
        for n in range(1, 10)
    )
    html = _page(f"<main><h1>Harbour</h1><ul>{items}</ul></main>")
    assert extract_article(html, "https://paper.example/tag/harbour/") is None
    with pytest.raises(NotAnArticle, match="links to other pages"):
        extract_article(html, "https://paper.example/tag/harbour/", raise_on_failure=True)


def test_the_reason_for_no_record_is_given_to_api_users_who_ask() -> None:
    with pytest.raises(NotHTMLError, match="binary data"):
        extract_article(b"%PDF-1.7 binary", "https://paper.example/a.pdf", raise_on_failure=True)
    with pytest.raises(NotAnArticle, match="no article text"):
        extract_article(_page("<nav></nav>"), "https://paper.example/", raise_on_failure=True)
    assert extract_article(b"%PDF-1.7 binary", "https://paper.example/a.pdf") is None


def test_records_of_the_earlier_schema_version_still_validate() -> None:
    golden = sorted((Path(__file__).parent.parent / "fixtures" / "golden").glob("post__*.json"))
    record = json.loads(golden[0].read_text(encoding="utf-8"))
    record.update(fetched_at=None, extractor="newsscrape 0.1.0", crawl_id=None)
    assert not schema_errors(record)
    old = {k: v for k, v in record.items() if k != "page_kind"} | {"schema_version": 1}
    assert not schema_errors(old)
    assert any("page_kind" in e for e in schema_errors(old | {"schema_version": SCHEMA_VERSION}))


def test_a_database_made_under_the_earlier_schema_gains_the_new_column(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        # The version 1 tables: every record column but page_kind.
        writer = SqliteRecordWriter(tmp_path / "scratch.db")
        ddl = [s.replace('"page_kind" TEXT NOT NULL, ', "") for s in writer.table_ddl()]
        writer.close()
        for statement in ddl:
            db.execute(statement)
    html = _page(
        f"<article><h1>Embankment plan approved</h1><p>{PROSE}</p></article>",
        '<meta property="og:type" content="article">',
    )
    record = extract_article(html, "https://paper.example/2024/05/02/embankment")
    assert record is not None
    writer = SqliteRecordWriter(path)
    writer.write(record.to_dict())
    rows = [row for _, row in writer.rows()]
    writer.close()
    assert [row["page_kind"] for row in rows] == ["article"]


def test_get_gives_a_named_page_whatever_its_kind_and_crawls_keep_articles(
    newspaper: LocalSite,
) -> None:
    section = newspaper.url + "/section/news"
    result = run_cli("get", section, *FAST)
    assert result.returncode == 0, result.stderr.decode()
    [record] = jsonl(result.stdout)
    assert record["page_kind"] == "listing"
    only = run_cli("get", section, "--articles-only", *FAST)
    assert only.returncode == 1 and jsonl(only.stdout) == []
    assert "page is typed as a listing" in only.stderr.decode()


def test_extract_explain_names_the_rules(tmp_path: Path) -> None:
    page = (
        SITE
        / "post"
        / "us-kenyan-and-haitian-officials-meet-on-sidelines-to-discuss-security-mission-to-haiti.html"
    )
    result = run_cli("extract", "--explain", str(page), "--url", "https://paper.example/post/x")
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert ": article: 'US, Kenyan and Haitian officials meet" in out
    assert "removed  byline: By Frances Robles" in out
    assert "authors  chose    byline: Frances Robles" in out
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    result = run_cli("extract", "--explain", str(empty))
    assert result.returncode == 1
    assert "no record: no article text found" in result.stdout.decode()
