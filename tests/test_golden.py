"""Every bundled article against its recorded golden record, field by field.

Golden files change only through `make golden`, and the diff is read before it is committed.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from scraper.record import ArticleRecord
from tests.conftest import ARTICLE_PATHS
from tests.golden import VOLATILE_FIELDS, comparable, golden_path

FIELDS = [name for name in ArticleRecord.__dataclass_fields__ if name not in VOLATILE_FIELDS]


def test_every_article_has_a_golden_record() -> None:
    missing = [path for path in ARTICLE_PATHS if not golden_path(path).is_file()]
    assert not missing, f"run `make golden` and review the diff; missing: {missing}"


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("path", ARTICLE_PATHS)
def test_field_matches_golden(
    crawled: dict[str, dict[str, Any]], newspaper: Any, path: str, field: str
) -> None:
    expected = json.loads(golden_path(path).read_text(encoding="utf-8"))
    assert path in crawled, crawled["__stderr__"]["text"]
    actual = comparable(crawled[path], newspaper.url)
    assert actual.get(field) == expected.get(field)
