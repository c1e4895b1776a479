"""The record's fields as typed columns, derived from ArticleRecord so sinks never drift from it.

Each field has a kind that every typed sink (Parquet, SQLite, PostgreSQL, CSV cells) maps to
its own column type, and back again when reading.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from scraper.record import ArticleRecord

TEXT, INTEGER, BOOLEAN, TEXT_LIST, TEXT_MAP = "text", "integer", "boolean", "text-list", "text-map"

# ArticleRecord's annotations (strings, under `from __future__ import annotations`) -> kind.
_KINDS = {
    "str": (TEXT, False),
    "str | None": (TEXT, True),
    "int": (INTEGER, False),
    "int | None": (INTEGER, True),
    "bool": (BOOLEAN, False),
    "list[str]": (TEXT_LIST, False),
    "dict[str, str]": (TEXT_MAP, False),
}


@dataclass(frozen=True)
class RecordField:
    """One column of the record: its name, kind and whether it may be null."""

    name: str
    kind: str
    nullable: bool


def _record_fields() -> tuple[RecordField, ...]:
    columns = []
    for field in fields(ArticleRecord):
        annotation = field.type if isinstance(field.type, str) else field.type.__name__
        if annotation not in _KINDS:
            # A new record field of a new type must be given a column kind here first.
            raise TypeError(f"ArticleRecord.{field.name}: no column kind for {annotation!r}")
        kind, nullable = _KINDS[annotation]
        columns.append(RecordField(field.name, kind, nullable))
    return tuple(columns)


RECORD_FIELDS = _record_fields()
FIELD_NAMES = tuple(field.name for field in RECORD_FIELDS)
# Text fields holding ISO 8601 dates and date-times (the schema's isoDateTime, and fetched_at).
# Sinks with a timestamp type store them as instants (Parquet: timestamp, UTC); JSON, CSV and
# the databases keep the strings as the record has them.
DATE_TIME_FIELDS = ("published", "modified", "fetched_at")


def utc_instant(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time as an aware UTC datetime: a date alone is its midnight,
    a time without offset is taken as UTC (as the record's own dates are read elsewhere)."""
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def from_text_cell(field: RecordField, cell: str) -> Any:
    """A value back from a text cell (CSV): empty is null, lists and maps are JSON.

    CSV cannot tell an empty string from a missing value; both read back as null (or the
    field's empty value when it cannot be null)."""
    if field.kind == TEXT:
        return cell if cell or not field.nullable else None
    if field.kind == INTEGER:
        return int(cell) if cell else None
    if field.kind == BOOLEAN:
        return cell.strip().lower() in ("true", "1")
    if field.kind == TEXT_LIST:
        if not cell:
            return []
        # Scrapy's stock CSV exporter joins lists with commas; read those too.
        return json.loads(cell) if cell.startswith("[") else cell.split(",")
    if not cell:
        return {}
    value: dict[str, str] = json.loads(cell)
    return value
