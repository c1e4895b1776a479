"""Each bundled page against what a careful reader expects of it (fixtures/checks.json).

These checks are written by hand from the page, not recorded: they are the quality floor.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from tests.conftest import ARTICLE_PATHS, CHECKS, OTHER_PATHS


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _record(crawled: dict[str, dict[str, Any]], path: str) -> dict[str, Any]:
    assert path in crawled, f"no record for {path}; stderr:\n{crawled['__stderr__']['text']}"
    return crawled[path]


@pytest.mark.parametrize("path", ARTICLE_PATHS)
def test_metadata(crawled: dict[str, dict[str, Any]], path: str) -> None:
    record, check = _record(crawled, path), CHECKS[path]
    assert record["title"] == check["title"]
    assert record["authors"] == check["authors"]
    if "site_name" in check:
        assert record["site_name"] == check["site_name"]
    if check.get("published_day"):
        assert (record["published"] or "")[:10] == check["published_day"]
    if check.get("language"):
        assert record["language"] == check["language"]
    assert record["paywalled"] is bool(check.get("paywalled", False))


@pytest.mark.parametrize("path", ARTICLE_PATHS)
def test_caption_is_not_body(crawled: dict[str, dict[str, Any]], path: str) -> None:
    record, check = _record(crawled, path), CHECKS[path]
    caption = check.get("image_caption")
    if caption:
        assert record["image_caption"] == caption
        assert _norm(caption) not in _norm(record["text"])


@pytest.mark.parametrize("path", ARTICLE_PATHS)
def test_body_bounds(crawled: dict[str, dict[str, Any]], path: str) -> None:
    record, check = _record(crawled, path), CHECKS[path]
    paragraphs = record["text"].split("\n\n")
    if check.get("first_paragraph"):
        assert _norm(paragraphs[0]) == _norm(check["first_paragraph"])
    if check.get("last_paragraph"):
        assert _norm(paragraphs[-1]) == _norm(check["last_paragraph"])
    assert record["text"] == record["text"].strip()
    assert "\n\n\n" not in record["text"]


@pytest.mark.parametrize("path", ARTICLE_PATHS)
def test_with_and_without(crawled: dict[str, dict[str, Any]], path: str) -> None:
    record, check = _record(crawled, path), CHECKS[path]
    text = _norm(record["text"])
    missing = [snippet for snippet in check.get("with", []) if _norm(snippet) not in text]
    assert not missing, f"body lacks {missing}"
    lines = {_norm(line).casefold() for line in record["text"].split("\n\n")}
    leaked = [
        snippet
        for snippet in check.get("without", [])
        if _norm(snippet) in text or _norm(snippet).casefold() in lines
    ]
    assert not leaked, f"body keeps chrome {leaked}"


@pytest.mark.parametrize("path", OTHER_PATHS)
def test_non_articles_give_no_record(crawled: dict[str, dict[str, Any]], path: str) -> None:
    assert path not in crawled
    assert path in crawled["__stderr__"]["text"], "each page without article is named on stderr"
