"""Records back from any sink: JSON Lines, JSON, CSV (each optionally gzipped), Parquet,
SQLite and PostgreSQL. `stats`, `validate` and the round-trip tests read through here.

`open_records(source)` checks the input up front (a missing file, an unknown format or an
unreachable database raise UnreadableInput with one line saying what is wrong) and then
streams records, each with where it came from (`line 12`, `row 3`, `row id 7`), so a record
that cannot even be parsed is reported in place instead of ending the read.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any, cast

from scraper.redact import mask_passwords
from scraper.sinks import is_database_uri
from scraper.sinks.fields import DATE_TIME_FIELDS, RECORD_FIELDS, TEXT_MAP, from_text_cell

_BY_SUFFIX = {
    ".jsonl": "jsonl",
    ".jl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".db": "sqlite",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
}
_FIELDS = {field.name: field for field in RECORD_FIELDS}
_FORMATS_HINT = (
    "give a .jsonl, .json, .csv or .parquet file, or a sqlite:///… or postgresql://… database"
)


class UnreadableInput(Exception):
    """The input cannot be read at all; the message is one line saying what and why."""


@dataclass
class RecordRow:
    """One record as read back, or the reason it could not be parsed."""

    location: str
    record: dict[str, Any] | None
    error: str | None = None


class RecordReader:
    """An open input: iterate for RecordRows; close (or use `with`) when done."""

    def __init__(
        self, kind: str, rows: Iterator[RecordRow], close: Callable[[], None] = lambda: None
    ) -> None:
        self.kind = kind
        self._rows = rows
        self._close = close

    def __iter__(self) -> Iterator[RecordRow]:
        return self._rows

    def close(self) -> None:
        """Release the file or connection."""
        if isinstance(self._rows, Generator):
            self._rows.close()  # runs the reader's own clean-up (with blocks) first
        self._close()

    def __enter__(self) -> RecordReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_records(source: str) -> RecordReader:
    """Open a dataset written by any sink (`-` reads JSON Lines from standard input)."""
    if is_database_uri(source):
        scheme = source.partition("://")[0].lower()
        return _open_sqlite(source) if scheme == "sqlite" else _open_postgres(source)
    if source == "-":
        return RecordReader("jsonl", _jsonl_rows(sys.stdin.buffer))
    path = Path(source)
    if not path.exists():
        raise UnreadableInput(f"{source}: no such file ({_FORMATS_HINT})")
    if not path.is_file():
        raise UnreadableInput(f"{source}: not a file ({_FORMATS_HINT})")
    try:
        with path.open("rb") as probe:
            head = probe.read(16)
    except OSError as error:
        raise UnreadableInput(f"{source}: cannot read: {error.strerror or error}") from error
    if head.startswith(b"PAR1"):
        return _open_parquet(path)
    if head.startswith(b"SQLite format 3\x00"):
        from scraper.sinks.sqlite import sqlite_uri

        return _open_sqlite(sqlite_uri(path))
    gzipped = head.startswith(b"\x1f\x8b")
    name = path.name.removesuffix(".gz") if gzipped else path.name
    kind = _BY_SUFFIX.get(Path(name).suffix.lower()) or _sniff_text(head, gzipped, path)
    if kind not in ("jsonl", "json", "csv"):
        raise UnreadableInput(f"{source}: not a {kind} file ({_FORMATS_HINT})")
    stream = cast(IO[bytes], gzip.open(path, "rb") if gzipped else path.open("rb"))  # noqa: SIM115
    rows = {"jsonl": _jsonl_rows, "json": _json_rows, "csv": _csv_rows}[kind](stream)
    return RecordReader(kind, _guard_read(source, rows), stream.close)


def _sniff_text(head: bytes, gzipped: bool, path: Path) -> str:
    if gzipped:
        with gzip.open(path, "rb") as inner:
            try:
                head = inner.read(16)
            except (OSError, EOFError) as error:
                raise UnreadableInput(f"{path}: broken gzip file: {error}") from error
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first == b"{":
        return "jsonl"
    if first == b"[":
        return "json"
    raise UnreadableInput(
        f"{path}: cannot tell its format from its name or content ({_FORMATS_HINT})"
    )


def _guard_read(source: str, rows: Iterator[RecordRow]) -> Iterator[RecordRow]:
    # A file that breaks while being read (a cut-short gzip) is unreadable input, not a crash.
    try:
        yield from rows
    except EOFError as error:
        raise UnreadableInput(f"{source}: the file ends early (cut short?): {error}") from error
    except OSError as error:
        raise UnreadableInput(f"{source}: read failed: {error}") from error


def _parsed(location: str, value: Any) -> RecordRow:
    if not isinstance(value, dict):
        return RecordRow(location, None, f"not a JSON object but {type(value).__name__}")
    return RecordRow(location, value)


def _jsonl_rows(stream: IO[bytes]) -> Iterator[RecordRow]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except UnicodeDecodeError as error:
            yield RecordRow(f"line {number}", None, f"not UTF-8 text: {error.reason}")
            continue
        except json.JSONDecodeError as error:
            # The line is known: say only where in it (the decoder's own "line 1" misleads).
            yield RecordRow(
                f"line {number}", None, f"not JSON: {error.msg} at column {error.colno}"
            )
            continue
        yield _parsed(f"line {number}", value)


def _json_rows(stream: IO[bytes]) -> Iterator[RecordRow]:
    # Scrapy's JSON exporter writes one record per line inside one array; decode element by
    # element so each record's line number is known.
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableInput(f"not UTF-8 text: {error}") from error
    decoder = json.JSONDecoder()
    # Feed exports put each record on its own line: name records by line. An array written
    # on one line (another tool's) names them by their position instead.
    by_line = "\n" in text.strip()
    number = 0
    position = _skip(text, 0, " \t\r\n")
    if text[position : position + 1] != "[":
        raise UnreadableInput("a .json dataset is one JSON array of records; this is not one")
    position = _skip(text, position + 1, " \t\r\n")
    while position < len(text) and text[position] != "]":
        number += 1
        where = f"line {text.count(chr(10), 0, position) + 1}" if by_line else f"record {number}"
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            yield RecordRow(where, None, f"not JSON ({error.msg}); reading stops here")
            return
        yield _parsed(where, value)
        position = _skip(text, position, " \t\r\n,")
    if position >= len(text):
        line = text.count("\n") + 1
        yield RecordRow(f"line {line}", None, "the JSON array is not closed (file cut short?)")


def _skip(text: str, position: int, characters: str) -> int:
    while position < len(text) and text[position] in characters:
        position += 1
    return position


def _csv_rows(stream: IO[bytes]) -> Iterator[RecordRow]:
    with io.TextIOWrapper(stream, encoding="utf-8-sig", newline="") as text:
        yield from _csv_records(csv.DictReader(text))


def _csv_records(reader: csv.DictReader[str]) -> Iterator[RecordRow]:
    start = 2  # line 1 is the header
    # Bodies hold newlines, so a record spans lines: name it by its row and its first line.
    for number, row in enumerate(reader, start=1):
        location = f"row {number} (line {start})"
        start = reader.line_num + 1
        record: dict[str, Any] = {}
        try:
            for name, cell in row.items():
                if name is None:  # more cells than header columns
                    raise ValueError(f"{len(cell)} cells beyond the header's columns")
                field = _FIELDS.get(name)
                record[name] = from_text_cell(field, cell or "") if field else cell
        except ValueError as error:  # json.JSONDecodeError and int() included
            yield RecordRow(location, None, f"bad cell: {error}")
            continue
        yield RecordRow(location, record)


def _open_parquet(path: Path) -> RecordReader:
    from scraper.sinks.parquet import MISSING_PYARROW, pyarrow_available

    if not pyarrow_available():
        raise UnreadableInput(f"{path}: {MISSING_PYARROW}")
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        raise UnreadableInput(f"{path}: not a readable Parquet file: {error}") from error
    maps = [name for name in parquet.schema_arrow.names if _kind(name) == TEXT_MAP]
    dates = [name for name in parquet.schema_arrow.names if name in DATE_TIME_FIELDS]

    def rows() -> Iterator[RecordRow]:
        number = 0
        try:
            for batch in parquet.iter_batches(batch_size=1024):
                for record in batch.to_pylist():
                    number += 1
                    for name in maps:  # Arrow maps come back as (key, value) pairs
                        if record[name] is not None:
                            record[name] = dict(record[name])
                    for name in dates:  # timestamps: the record's ISO strings, in UTC
                        if isinstance(record[name], datetime):
                            record[name] = record[name].isoformat()
                    yield RecordRow(f"row {number}", record)
        except (pa.ArrowException, OSError) as error:
            raise UnreadableInput(f"{path}: Parquet read failed: {error}") from error

    return RecordReader("parquet", rows(), parquet.close)


def _kind(name: str) -> str | None:
    field = _FIELDS.get(name)
    return field.kind if field else None


def _open_sqlite(uri: str) -> RecordReader:
    import sqlite3

    from scraper.sinks.sqlite import SqliteRecordWriter, sqlite_path

    try:
        path = sqlite_path(uri)
    except ValueError as error:
        raise UnreadableInput(str(error)) from error
    try:
        writer = SqliteRecordWriter(path, create=False)
        return RecordReader("sqlite", _database_rows(uri, writer), writer.close)
    except (sqlite3.Error, OSError) as error:
        raise UnreadableInput(f"{uri}: cannot read the database: {error}") from error


def _open_postgres(uri: str) -> RecordReader:
    from scraper.sinks.postgres import MISSING_PSYCOPG, PostgresRecordWriter, psycopg_available

    if not psycopg_available():
        raise UnreadableInput(MISSING_PSYCOPG)
    import psycopg

    try:
        writer = PostgresRecordWriter(uri, create=False)
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise UnreadableInput(f"{mask_passwords(uri)}: cannot connect: {reason}") from error
    return RecordReader("postgresql", _database_rows(uri, writer), writer.close)


def _database_rows(uri: str, writer: Any) -> Iterator[RecordRow]:
    try:
        for row_id, record in writer.rows():
            yield RecordRow(f"row id {row_id}", record)
    except Exception as error:
        # sqlite3.Error / psycopg.Error: no articles table, or a column of the wrong type.
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise UnreadableInput(
            f"{mask_passwords(uri)}: not a newsscrape database ({reason})"
        ) from error
