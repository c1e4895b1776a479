"""Site-learned boilerplate: the table's rules, and real crawls of a small local newspaper
whose every article carries the same promo line that no chrome pattern knows."""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from pipelines.learned_boilerplate import PROVENANCE, BoilerplatePipeline, rules_from_settings
from scraper.extract import extract_article
from scraper.learned_boilerplate import BoilerplateRules, BoilerplateSettingError, SiteBoilerplate
from scraper.localsite import LocalSite
from scraper.record import normalised_words, schema_errors, text_fingerprint
from tests.conftest import FAST, jsonl, run_cli
from tests.generated_site import FIRST, LAST, WORDS

SITE = "paper.example"
# The newspaper's own recurring line: no pattern in scraper/extract/chrome_lines.py matches it.
PROMO = "Gazette Plus members get the crossword and the weekend quiz first, every Friday morning."
# Repeated on every page too, but too long to be a prompt or a label: quoted text stays.
STATEMENT = (
    "The harbor authority said in a statement that the dredging contract, the ferry timetable "
    "and the new fee schedule for the north channel would be reviewed by the full board at its "
    "spring meeting, and that residents could comment in writing until the end of the month or "
    "in person at any of the three public hearings announced for the week before."
)
TOWNS = ["Bayport", "Millbrook", "Eastvale", "Northfield", "Riverside", "Oakdale", "Westport"]


def sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, 8)
    return (
        f"The {words[0]} {words[1]} met {rng.randint(2, 99)} {words[2]} {words[3]} near the "
        f"{words[4]} {words[5]} while {words[6]} {words[7]} waited."
    )


def own_paragraphs(rng: random.Random, count: int = 3) -> list[str]:
    """An article's own paragraphs: two sentences each, well under the length cap."""
    return [" ".join(sentence(rng) for _ in range(2)) for _ in range(count)]


def joined(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


# --- The table's rules


def test_a_line_is_learned_on_its_third_page_and_removed_from_then_on() -> None:
    table = SiteBoilerplate()
    rng = random.Random(1)
    outcomes = []
    for page in range(5):
        own = own_paragraphs(rng)
        outcomes.append(table.clean(SITE, [f"url /{page}"], joined([own[0], PROMO, *own[1:]])))
    assert [PROMO in o.text for o in outcomes] == [True, True, False, False, False]
    assert [o.removed for o in outcomes] == [0, 0, 1, 1, 1]
    assert all(o.counted and not o.kept_whole for o in outcomes)
    assert [(line.text, line.pages) for line in table.learned(SITE)] == [(PROMO, 5)]
    # Only the promo went: each page's own paragraphs are whole, in order.
    assert outcomes[4].text.count("\n\n") == 2


def test_folded_variants_are_one_line_and_lines_that_share_words_are_not() -> None:
    table = SiteBoilerplate()
    rng = random.Random(2)
    for page in range(3):
        table.clean(SITE, [f"url /{page}"], joined([*own_paragraphs(rng), PROMO]))
    shouting = PROMO.upper().replace(",", "")
    similar = "Gazette Plus members in Bayport get the weekend quiz first, every Friday morning."
    own = own_paragraphs(rng)
    cleaned = table.clean(SITE, ["url /3"], joined([*own, shouting, similar]))
    assert cleaned.text == joined([*own, similar])


def test_a_page_counts_once_however_often_it_is_seen_or_repeats_the_line() -> None:
    table = SiteBoilerplate()
    rng = random.Random(3)
    body = joined([*own_paragraphs(rng), PROMO, PROMO])
    for _ in range(4):  # one page fetched again and again (scheduled re-runs)
        assert table.clean(SITE, ["url /story", "text f1"], body).text == body
    # The same text under another canonical URL (a print copy) is the same page.
    again = table.clean(SITE, ["url /print/story", "text f1"], body)
    assert (again.counted, again.text) == (False, body)
    assert table.learned(SITE) == []
    second = table.clean(SITE, ["url /two"], joined([*own_paragraphs(rng), PROMO]))
    assert second.counted and PROMO in second.text
    third = table.clean(SITE, ["url /three"], joined([*own_paragraphs(rng), PROMO, PROMO]))
    assert third.removed == 2 and PROMO not in third.text


def test_long_paragraphs_are_never_learned() -> None:
    table = SiteBoilerplate()
    rng = random.Random(4)
    assert len(STATEMENT) > table.rules.max_chars
    for page in range(6):
        cleaned = table.clean(SITE, [f"url /{page}"], joined([*own_paragraphs(rng), STATEMENT]))
        assert STATEMENT in cleaned.text
    assert table.size(SITE) == 6 * 3  # the statement was not even counted


def test_a_page_that_is_mostly_learned_lines_is_kept_whole_and_not_counted() -> None:
    table = SiteBoilerplate()
    rng = random.Random(5)
    for page in range(3):
        table.clean(SITE, [f"url /{page}"], joined([*own_paragraphs(rng), PROMO]))
    stub = joined(["Ferry delayed.", PROMO])
    cleaned = table.clean(SITE, ["url /stub"], stub)
    assert (cleaned.text, cleaned.removed, cleaned.counted, cleaned.kept_whole) == (
        stub,
        0,
        False,
        True,
    )
    assert table.learned(SITE)[0].pages == 3


def test_sites_learn_separately() -> None:
    table = SiteBoilerplate()
    rng = random.Random(6)
    for page in range(3):
        table.clean(SITE, [f"url /{page}"], joined([*own_paragraphs(rng), PROMO]))
    other = joined([*own_paragraphs(rng), PROMO])
    assert table.clean("other.example", ["url /0"], other).text == other
    assert PROMO not in table.clean(SITE.upper(), ["url /3"], other).text


def test_the_table_persists_and_crawls_sharing_a_file_add_up(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    rng = random.Random(7)
    first, second = SiteBoilerplate(path), SiteBoilerplate(path)
    first.clean(SITE, ["url /a"], joined([*own_paragraphs(rng), PROMO]))
    second.clean(SITE, ["url /b"], joined([*own_paragraphs(rng), PROMO]))
    assert PROMO not in first.clean(SITE, ["url /c"], joined([*own_paragraphs(rng), PROMO])).text
    first.close()
    second.close()
    reopened = SiteBoilerplate(path)
    own = own_paragraphs(rng)
    assert reopened.clean(SITE, ["url /next-run"], joined([PROMO, *own])).text == joined(own)
    reopened.close()


def test_memory_is_bounded_and_a_recurring_line_survives_eviction() -> None:
    # 40 paragraphs at most; after an eviction the 32 most frequent, then newest, stay.
    table = SiteBoilerplate(rules=BoilerplateRules(min_pages=3, max_keys=40))
    rng = random.Random(8)
    rare = "Listen to the Harbor Hour podcast with the Gazette's sports desk on Sundays."
    removed = []
    for page in range(60):
        paragraphs = own_paragraphs(rng, 4)
        if page % 5 == 0:
            paragraphs.append(PROMO)  # back within 20 new paragraphs: it stays
        if page % 20 == 0:
            paragraphs.append(rare)  # 80 new paragraphs between: forgotten each time
        removed.append(table.clean(SITE, [f"url /{page}"], joined(paragraphs)).removed)
        assert table.size(SITE) <= 40
    # Learned on its third page (page 10), removed from pages 10, 15, ..., 55.
    assert [page for page, count in enumerate(removed) if count] == list(range(10, 60, 5))
    assert [line.text for line in table.learned(SITE)] == [PROMO]


def test_rules_and_settings_refuse_values_that_make_no_sense() -> None:
    with pytest.raises(BoilerplateSettingError, match="MIN_PAGES must be 0 \\(off\\) or 2"):
        BoilerplateRules(min_pages=1)
    assert rules_from_settings(Settings({"NEWSSCRAPE_BOILERPLATE_MIN_PAGES": "0"})) is None
    assert rules_from_settings(Settings({"NEWSSCRAPE_BOILERPLATE_MIN_PAGES": "5"})) == (
        BoilerplateRules(min_pages=5)
    )
    with pytest.raises(BoilerplateSettingError) as bad:
        rules_from_settings(Settings({"NEWSSCRAPE_BOILERPLATE_MAX_CHARS": "lots"}))
    assert str(bad.value) == (
        "NEWSSCRAPE_BOILERPLATE_MAX_CHARS must be a whole number, not 'lots'; "
        "e.g. -s NEWSSCRAPE_BOILERPLATE_MAX_CHARS=300"
    )
    off = get_crawler(settings_dict={"NEWSSCRAPE_BOILERPLATE_MIN_PAGES": 0})
    with pytest.raises(NotConfigured) as disabled:
        BoilerplatePipeline.from_crawler(off)
    assert disabled.value.args == ()  # off on request: nothing to warn about
    wrong = get_crawler(settings_dict={"NEWSSCRAPE_BOILERPLATE_MIN_PAGES": "three"})
    with pytest.raises(NotConfigured, match="must be a whole number, not 'three'"):
        BoilerplatePipeline.from_crawler(wrong)


# --- The pipeline stage


def record(url: str, text: str) -> dict[str, Any]:
    """A valid article record as pipelines.extract emits it."""
    return {
        "url": url,
        "canonical_url": url,
        "domain": SITE,
        "site_name": "The Paper",
        "title": "A story",
        "description": None,
        "authors": [],
        "published": "2026-01-15",
        "modified": None,
        "language": "en",
        "categories": [],
        "tags": [],
        "image": None,
        "image_caption": None,
        "text": text,
        "word_count": len(normalised_words(text)),
        "fingerprint": text_fingerprint(text),
        "paywalled": False,
        "fetched_at": None,
        "status": 200,
        "source": "url",
        "crawl_id": None,
        "warc_record_id": None,
        "duplicate_of": None,
        "cluster_id": None,
        "extractor": "newsscrape 0.1.0",
        "provenance": {"text": "trafilatura"},
        "schema_version": 1,
    }


def test_the_stage_recomputes_counts_and_fingerprint_and_says_so() -> None:
    stage = BoilerplatePipeline()
    rng = random.Random(9)
    items = [record(f"https://{SITE}/{n}", joined([*own_paragraphs(rng), PROMO])) for n in range(3)]
    failure = object()  # anything that is not a record goes by untouched
    assert stage.process_item(failure) is failure
    out = [stage.process_item(dict(item)) for item in items]
    stage.close_spider()
    assert out[:2] == items[:2]
    last = out[2]
    assert PROMO not in last["text"] and last["text"] == items[2]["text"].rsplit("\n\n", 1)[0]
    assert last["word_count"] == len(normalised_words(last["text"]))
    assert last["fingerprint"] == text_fingerprint(last["text"]) != items[2]["fingerprint"]
    assert last["provenance"] == {"text": "trafilatura", "boilerplate": PROVENANCE}
    assert schema_errors(last) == []


# --- Real crawls of a small local newspaper


@dataclass
class Article:
    path: str
    title: str
    paragraphs: list[str]  # as the reader sees them, the promo included


def article_page(article: Article, published: str) -> str:
    author = f"{FIRST[len(article.title) % len(FIRST)]} {LAST[len(article.path) % len(LAST)]}"
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": published,
        "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "NewsMediaOrganization", "name": "The Bayport Gazette"},
    }
    body = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(article.title)} | The Bayport Gazette</title>"
        f'<link rel="canonical" href="__ORIGIN__{article.path}">'
        '<meta property="og:type" content="article">'
        '<meta property="og:site_name" content="The Bayport Gazette">'
        f'<meta property="article:published_time" content="{published}">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
        '<body><header><a href="/">The Bayport Gazette</a></header><main><article>'
        f'<h1>{html.escape(article.title)}</h1><p class="byline">By {author}</p>'
        f'<time datetime="{published}">{published[:10]}</time>'
        f'<div class="article-body">{body}</div></article></main></body></html>'
    )


def write_site(root: Path, count: int, seed: int, start: int = 0) -> list[Article]:
    """Articles number `start`… with the promo mid-text, a long statement repeated on each,
    and a paragraph of their own that shares most of the promo's words; the sitemap lists
    every article written so far."""
    rng = random.Random(seed)
    articles = []
    for number in range(start, start + count):
        town = TOWNS[number % len(TOWNS)]
        own = own_paragraphs(rng, 4)
        similar = (
            f"Gazette Plus members in {town} asked for the crossword and the weekend quiz "
            f"to move to Friday morning, number {number}."
        )
        article = Article(
            path=f"/2026/01/{10 + number:02d}/{town.lower()}-harbor-story-{number}/",
            title=f"{town} harbor story number {number}",
            paragraphs=[own[0], own[1], PROMO, similar, STATEMENT, own[2], own[3]],
        )
        page = root / article.path.strip("/") / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(article_page(article, f"2026-01-{10 + number:02d}T08:00:00+00:00"))
        articles.append(article)
    listed = sorted(p.parent.relative_to(root) for p in root.glob("2026/**/index.html"))
    urls = "".join(f"<url><loc>__ORIGIN__/{path}/</loc></url>" for path in listed)
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )
    (root / "index.html").write_text("<html><body><h1>The Bayport Gazette</h1></body></html>")
    return articles


def crawl(origin: str, output: Path, *options: str) -> tuple[list[dict[str, Any]], str]:
    result = run_cli("crawl", origin + "/", "-o", str(output), *FAST, *options)
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr[-3000:]
    assert result.returncode == 0, stderr[-3000:]
    return (jsonl(output.read_bytes()) if output.exists() else []), stderr


def by_title(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["title"]: r for r in records}


def test_extraction_alone_keeps_the_promo(tmp_path: Path) -> None:
    # Else the crawls below would prove nothing: the promo must survive generic extraction.
    (article,) = write_site(tmp_path, 1, seed=11)
    page = (tmp_path / article.path.strip("/") / "index.html").read_text()
    extracted = extract_article(
        page.replace("__ORIGIN__", "http://127.0.0.1"), url="http://127.0.0.1" + article.path
    )
    assert extracted is not None
    assert extracted.text == joined(article.paragraphs)


def test_crawls_learn_the_promo_and_the_next_run_strips_it_from_its_first_page(
    tmp_path: Path,
) -> None:
    root, state = tmp_path / "site", tmp_path / "state.sqlite3"
    first_articles = write_site(root, 6, seed=12)
    with LocalSite(root) as server:
        first, stderr = crawl(server.url, tmp_path / "run1.jsonl", "--state", str(state))
        assert sorted(by_title(first)) == sorted(a.title for a in first_articles), stderr[-3000:]
        # Learned on the third page of the site: the first two keep it, no other does.
        assert sum(PROMO in r["text"] for r in first) == 2
        for article in first_articles:
            written = by_title(first)[article.title]
            expected = [p for p in article.paragraphs if p != PROMO or PROMO in written["text"]]
            # Paragraphs that merely share the promo's words, and the long repeated
            # statement, are kept: only the promo goes.
            assert written["text"] == joined(expected)
            assert written["word_count"] == len(normalised_words(written["text"]))
            assert written["fingerprint"] == text_fingerprint(written["text"])
            cleaned = PROMO not in written["text"]
            assert (written["provenance"].get("boilerplate") == PROVENANCE) is cleaned

        # The next scheduled run: three new articles; the old ones are unchanged (304).
        new_articles = write_site(root, 3, seed=13, start=6)
        second, stderr = crawl(server.url, tmp_path / "run2.jsonl", "--state", str(state))
        assert sorted(by_title(second)) == sorted(a.title for a in new_articles), stderr[-3000:]
        for article in new_articles:
            written = by_title(second)[article.title]
            assert written["text"] == joined([p for p in article.paragraphs if p != PROMO])
            assert written["provenance"]["boilerplate"] == PROVENANCE

        # Turned off, every article keeps it: the stage, not extraction, removed it.
        off, stderr = crawl(
            server.url,
            tmp_path / "off.jsonl",
            "--no-state",
            "-s",
            "NEWSSCRAPE_BOILERPLATE_MIN_PAGES=0",
        )
    assert len(off) == 9 and all(PROMO in r["text"] for r in off), stderr[-3000:]
    assert all("boilerplate" not in r["provenance"] for r in off)


def test_a_bad_setting_is_refused_before_the_crawl_starts(tmp_path: Path) -> None:
    root = tmp_path / "site"
    write_site(root, 3, seed=14)
    output = tmp_path / "out.jsonl"
    with LocalSite(root) as server:
        result = run_cli(
            "crawl",
            server.url + "/",
            "-o",
            str(output),
            *FAST,
            "--no-state",
            "-s",
            "NEWSSCRAPE_BOILERPLATE_MIN_PAGES=several",
        )
        requested = list(server.requested_paths)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, stderr[-3000:]
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr[-3000:]
    assert "-s NEWSSCRAPE_BOILERPLATE_MIN_PAGES=several: expects a number" in lines[0]
    assert requested == []  # nothing fetched
    assert not output.exists() or output.read_bytes() == b""


def test_extract_learns_a_sites_lines_across_the_given_files(tmp_path: Path) -> None:
    """`newsscrape extract` runs the same stage over saved pages: from the third page of one
    site that carries it, the site's promo line is gone."""
    promo = "Get the Harbour Ledger's morning bulletin in your inbox every weekday at six."
    files = []
    for n in range(4):
        body = "".join(
            f"<p>Story {n} paragraph {k}: the harbour board met again on Tuesday to discuss "
            f"the dredging of berth {k} and the cost of the work for the town.</p>"
            for k in range(6)
        )
        page = tmp_path / f"story-{n}.html"
        page.write_text(
            f"<html><head><title>Story {n}</title>"
            f"<link rel='canonical' href='https://ledger.example/news/story-{n}'>"
            '<meta property="og:type" content="article">'
            f"</head><body><article><h1>Story {n}</h1>{body}<p>{promo}</p></article>"
            "</body></html>",
            encoding="utf-8",
        )
        files.append(str(page))
    result = run_cli("extract", *files, "-o", str(tmp_path / "out.jsonl"))
    assert result.returncode == 0, result.stderr.decode()
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [promo in r["text"] for r in records] == [True, True, False, False]
    assert all(f"Story {n} paragraph 5" in r["text"] for n, r in enumerate(records))
