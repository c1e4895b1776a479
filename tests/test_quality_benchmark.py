"""benchmarks/quality.py's predictions file: one row per page, whatever the extractor does."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.quality import write_predictions
from scraper import extract_article
from scraper.record import ArticleRecord
from tests.conftest import SITE

ARTICLE = (
    SITE
    / "post"
    / "us-kenyan-and-haitian-officials-meet-on-sidelines-to-discuss-security-mission-to-haiti.html"
)
URL = "https://www.sanjuandailystar.com/post/us-kenyan-and-haitian-officials-meet"


def _extract_or_raise(html: str, url: str | None) -> ArticleRecord | None:
    # A page that makes the extractor fail, as a bug on an unseen page would.
    if "<raise/>" in html:
        raise ValueError("cannot read this page")
    return extract_article(html, url)


def test_a_page_that_raises_is_written_empty_and_reported(tmp_path: Path) -> None:
    pages = {
        "good": ARTICLE.read_text(encoding="utf-8"),
        "raises": "<html><body><raise/><p>text</p></body></html>",
        "menu": "<html><body><nav><a href='/'>Home</a></nav></body></html>",
    }
    gold: dict[str, dict[str, object]] = {"good": {"url": URL}, "raises": {}, "menu": {}}
    out = tmp_path / "predictions.jsonl"

    failed = write_predictions(pages, gold, out, _extract_or_raise)

    rows = {row["id"]: row for row in map(json.loads, out.read_text().splitlines())}
    assert list(rows) == ["good", "raises", "menu"]
    assert failed == ["raises: ValueError: cannot read this page"]
    assert rows["raises"] == {
        "id": "raises",
        "text": "",
        "title": None,
        "authors": [],
        "published": None,
    }
    assert rows["menu"]["text"] == ""  # not an article: written empty, not reported as a failure
    assert "Frances Robles" in rows["good"]["authors"]
    assert rows["good"]["text"] and rows["good"]["title"]
