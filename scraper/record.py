"""The article record: the one output shape of every path (CLI, Scrapy, Python API).

Field names are a contract with downstream datasets. Changing, removing or retyping a field
bumps SCHEMA_VERSION and the shipped JSON Schema (`scraper/schema/article.schema.json`).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_VERSION = 2
# Records of earlier versions still validate against their own schema (`newsscrape validate`
# of an older dataset). Version 2 added `page_kind`.
_SCHEMA_FILES = {1: "schema/article-v1.schema.json", 2: "schema/article.schema.json"}

# Chinese and Japanese are written without spaces: each ideograph or kana counts as a word,
# or a long Japanese article would count as a handful of "words" and look like a stub.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
# On a text without any of those characters `_WORD` finds exactly the runs of `\w`, which
# Python's engine finds faster than runs of the negated class: one search for a CJK character
# first (0.06 ms on a page's text) and `\w+` (0.53 ms) cost less than `_WORD` (0.80 ms).
_ANY_CJK = re.compile(rf"[{_CJK}]")
_WORD_RUN = re.compile(r"\w+")


def utc_timestamp(moment: datetime) -> str:
    """An instant as every record and table writes a time (`fetched_at`, the state, the
    databases' `stored_at`, the errors file): UTC, ISO 8601, whole seconds, offset "+00:00"
    (`2024-05-02T10:11:12+00:00`). A naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def utc_now() -> str:
    """The current time as `utc_timestamp` writes it."""
    return utc_timestamp(datetime.now(UTC))


def normalised_words(text: str) -> list[str]:
    """Words of `text` after Unicode (NFKC) and case folding: the basis of counts and hashes."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if _ANY_CJK.search(folded) is None:
        return _WORD_RUN.findall(folded)
    return _WORD.findall(folded)


def text_fingerprint(text: str) -> str:
    """A stable hash of the normalised text: equal for texts that differ only in
    whitespace, punctuation or case, so re-fetches of an unchanged article match."""
    return words_fingerprint(normalised_words(text))


def words_fingerprint(words: list[str]) -> str:
    """`text_fingerprint` of the text whose `normalised_words` are `words`."""
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:32]


@dataclass
class ArticleRecord:
    """One article, as written to every sink. See the README for each field's meaning."""

    url: str | None
    canonical_url: str | None
    domain: str | None
    site_name: str | None
    title: str | None
    description: str | None
    authors: list[str]
    published: str | None
    modified: str | None
    language: str | None
    categories: list[str]
    tags: list[str]
    image: str | None
    image_caption: str | None
    text: str
    word_count: int
    fingerprint: str
    paywalled: bool
    # "article", "listing" or "other": crawls keep articles, explicit inputs any kind.
    page_kind: str = "article"
    fetched_at: str | None = None
    status: int | None = None
    source: str | None = None
    crawl_id: str | None = None
    warc_record_id: str | None = None
    duplicate_of: str | None = None
    cluster_id: str | None = None
    extractor: str = ""
    provenance: dict[str, str] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-ready data, fields in schema order."""
        # What `dataclasses.asdict` gives (tests/test_record_dict.py), without its deep copy of
        # every value one by one (0.16 ms a record in the crawl's workers): a record's values
        # are strings, numbers, booleans and None, and lists of strings and a dict of strings,
        # which are copied.
        record: dict[str, Any] = {}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if isinstance(value, list):
                value = list(value)
            elif isinstance(value, dict):
                value = dict(value)
            record[name] = value
        return record


_FIELD_NAMES = tuple(record_field.name for record_field in fields(ArticleRecord))


@cache
def article_schema(version: int = SCHEMA_VERSION) -> dict[str, Any]:
    """The JSON Schema of the record (of an earlier `version`), as shipped in the package."""
    path = _SCHEMA_FILES[version]
    schema: dict[str, Any] = json.loads(
        resources.files("scraper").joinpath(path).read_text("utf-8")
    )
    return schema


def schema_errors(record: dict[str, Any]) -> list[str]:
    """Every way `record` breaks the schema, as readable lines; empty when it is valid.

    A record that states an earlier schema version is checked against that version's schema.
    """
    from jsonschema import Draft202012Validator

    version = record.get("schema_version")
    schema = article_schema(
        version if isinstance(version, int) and version in _SCHEMA_FILES else SCHEMA_VERSION
    )
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(record)'}: {error.message}"
        for error in sorted(validator.iter_errors(record), key=lambda e: list(e.absolute_path))
    ]


def in_own_version(record: dict[str, Any]) -> dict[str, Any]:
    """`record` without the empty fields of later schema versions when it states an earlier
    one: a row written under version 1 in a table that version 2 added a column to."""
    version = record.get("schema_version")
    if version == SCHEMA_VERSION or version not in _SCHEMA_FILES:
        return record
    known = article_schema(version)["properties"]
    return {name: value for name, value in record.items() if name in known or value is not None}
