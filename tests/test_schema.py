"""The record schema is the dataset contract: every produced record must satisfy it."""

from __future__ import annotations

from typing import Any

import pytest

from scraper.record import SCHEMA_VERSION, article_schema, schema_errors, text_fingerprint
from tests.conftest import ARTICLE_PATHS


def test_schema_version_matches_record() -> None:
    assert article_schema()["properties"]["schema_version"]["const"] == SCHEMA_VERSION


@pytest.mark.parametrize("path", ARTICLE_PATHS)
def test_crawled_record_is_valid(crawled: dict[str, dict[str, Any]], path: str) -> None:
    assert path in crawled, crawled["__stderr__"]["text"]
    assert schema_errors(crawled[path]) == []


def test_schema_rejects_broken_records(crawled: dict[str, dict[str, Any]]) -> None:
    record = dict(crawled[ARTICLE_PATHS[0]])
    record["authors"] = "Frances Robles"
    record["surprise"] = 1
    record["published"] = "22/09/2023"
    errors = schema_errors(record)
    assert any(e.startswith("authors") for e in errors)
    assert any("surprise" in e for e in errors)
    assert any(e.startswith("published") for e in errors)


def test_fingerprint_ignores_spacing_and_case() -> None:
    assert text_fingerprint("Hello,  World.\n\nSecond") == text_fingerprint("hello world second")
    assert text_fingerprint("Hello world") != text_fingerprint("Hello there world")
