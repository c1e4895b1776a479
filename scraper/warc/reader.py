"""PageItems from WARC files, for re-extracting articles offline.

Reads ours (`--warc`) and Common Crawl's CC-NEWS files alike, streaming: one record in memory
at a time. Only HTTP responses with status 2xx and an HTML media type, of pages the crawl's
URL classifier takes for articles, become pages; every other record (warcinfo, request,
metadata, revisit, images, robots.txt, redirects, the tag and section pages a crawl fetched
for their links, ...) is skipped and counted by reason in the `WarcReadReport`.

A file that ends inside a record (a crawl killed while writing, a download cut short) is
read up to the last complete record; then `WarcReadError` says at which byte the incomplete
record starts. A record is complete when its header block declares a Content-Length and that
many bytes of block follow; anything but blank lines after the last complete record is a
record cut off inside its header. (A gzip member that lost only its 8-byte trailer still holds
its whole record and is read; `append_point`, stricter, cuts it off before appending.)
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from scraper.items import READ, PageFailure, PageItem
from scraper.warc import PAGE_KIND_HEADER, fetched_at_from_warc_date, require_warcio

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Scrapy's DOWNLOAD_MAXSIZE: a page larger than this would not have been fetched either.
MAX_PAGE_BYTES = 20 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
# What closes every record: two CRLFs after its block.
RECORD_END = b"\r\n\r\n"
_CHUNK = 1 << 16


class WarcReadError(Exception):
    """A WARC file could not be read (to the end); the message says where and why, and
    `offset` is the byte where the unreadable record starts."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass
class WarcReadReport:
    """What reading one WARC file found: records, pages given out, and skips by reason."""

    path: str
    records: int = 0
    pages: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    # Bytes from the start of the file up to the end of the last whole record read.
    complete_bytes: int = 0

    def summary(self) -> str:
        """One line for stderr, e.g. `a.warc.gz: 12 records, 3 HTML pages; skipped 9 (...)`."""
        text = f"{self.path}: {self.records} records, {self.pages} HTML pages"
        if self.skipped:
            reasons = ", ".join(
                f"{reason} {count}" for reason, count in sorted(self.skipped.items())
            )
            text += f"; skipped {sum(self.skipped.values())} ({reasons})"
        return text


def read_warc_pages(
    path: str | Path,
    report: WarcReadReport | None = None,
    progress: IO[str] | None = None,
    progress_every: float = 5.0,
    max_page_bytes: int = MAX_PAGE_BYTES,
) -> Iterator[PageItem]:
    """PageItems (source "warc") of the HTML responses in the WARC file at `path`.

    Each page keeps the record's target URI, HTTP status and Content-Type, its WARC-Date as
    `fetched_at` and its WARC-Record-ID. Counts go to `report`; a progress line goes to
    `progress` at most every `progress_every` seconds. Raises WarcReadError for a file that
    is not a WARC or ends inside a record (after yielding every page before that point).
    """
    require_warcio()
    report = report if report is not None else WarcReadReport(str(path))
    with open(path, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        meter = _Progress(progress, progress_every, size, report)
        for record, body in _complete_records(stream, report, max_page_bytes):
            meter.tick(stream.tell())
            if body is None:
                continue
            report.pages += 1
            yield page_from_record(record, body)


def page_from_record(record: Any, body: bytes) -> PageItem:
    """The PageItem of one HTTP response record (a warcio ArcWarcRecord) and its content."""
    headers = record.rec_headers
    return PageItem(
        url=headers.get_header("WARC-Target-URI") or "",
        status=_status(record),
        body=body,
        content_type=record.http_headers.get_header("Content-Type"),
        source="warc",
        fetched_at=fetched_at_from_warc_date(headers.get_header("WARC-Date")),
        warc_record_id=headers.get_header("WARC-Record-ID"),
    )


def skip_reason(record: Any) -> str | None:
    """Why a record gives no page (e.g. `request`, `image/jpeg`, `HTTP 301`, `tag page`);
    None for an HTML response worth extracting."""
    if record.rec_type != "response":
        return record.rec_type or "untyped record"
    if record.http_headers is None or not record.http_headers.protocol.upper().startswith("HTTP"):
        return "response without HTTP"
    status = _status(record)
    if status is None or not 200 <= status < 300:
        return f"HTTP {status}"
    content_type = record.http_headers.get_header("Content-Type") or ""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in HTML_TYPES:
        return media_type or "no Content-Type"
    return _set_aside(record)


def _set_aside(record: Any) -> str | None:
    """`<kind> page` when the crawl's URL classifier sets the page aside as no article (a tag,
    section or home page the crawl fetched only for its links), else None.

    An archive from `--warc` says what the crawl decided (PAGE_KIND_HEADER); one from
    elsewhere (CC-NEWS, collected from news feeds) is classified as the crawl classifies feed
    entries: tag, author, video, gallery, search, pagination, home and file URLs are set
    aside, everything else is left to extraction."""
    from scraper.classify import UrlDecision, classify_url

    kind = record.rec_headers.get_header(PAGE_KIND_HEADER)
    if kind:
        decision = UrlDecision(kind, "decided by the crawl")
    else:
        decision = classify_url(record.rec_headers.get_header("WARC-Target-URI") or "", "feed")
    return None if decision.is_candidate else f"{decision.kind} page"


def append_point(stream: BinaryIO) -> tuple[int, bytes]:
    """Where a WARC file can be appended to: how many leading bytes are whole records (its
    size when it is complete, less a half-written last record), and what must be written
    before the next record (the closing blank lines of a plain file, if they were cut)."""
    head = stream.read(2)
    stream.seek(0)
    if head == _GZIP_MAGIC:
        return _complete_gzip_members(stream), b""
    report = WarcReadReport(getattr(stream, "name", "WARC"))
    with contextlib.suppress(WarcReadError):
        for _record in _complete_records(stream, report, max_page_bytes=0):
            pass
    if not report.complete_bytes:
        return 0, b""
    # In a plain file the blank lines that close a record are not part of its length.
    stream.seek(report.complete_bytes)
    if stream.read(len(RECORD_END)) == RECORD_END:
        return report.complete_bytes + len(RECORD_END), b""
    return report.complete_bytes, RECORD_END


def _complete_gzip_members(stream: BinaryIO) -> int:
    """The end of the last gzip member whose trailer (CRC and size) is intact."""
    good = position = 0
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return good
        data = chunk
        while data:
            try:
                decompressor.decompress(data)
            except zlib.error:
                return good
            if decompressor.eof:
                unused = decompressor.unused_data
                position += len(data) - len(unused)
                good = position
                decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
                data = unused
            else:
                position += len(data)
                data = b""


def _complete_records(
    stream: BinaryIO, report: WarcReadReport, max_page_bytes: int
) -> Iterator[tuple[Any, bytes | None]]:
    """Each record with the body of a wanted page (None for skipped ones), checked whole."""
    from warcio.archiveiterator import ArchiveIterator

    iterator = ArchiveIterator(stream)
    records = iter(iterator)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        # warcio fails in many ways on a broken header block (ArchiveLoadFailed, parser
        # errors, even AttributeError on a missing WARC-Target-URI); all mean the same here.
        except Exception as error:
            if report.records and _at_end(stream):
                raise _incomplete(report, report.complete_bytes) from error
            raise _broken(report, report.complete_bytes, error) from error
        report.records += 1
        reason = skip_reason(record)
        body: bytes | None = None
        if reason is None:
            try:
                body = record.content_stream().read(max_page_bytes + 1)
            except (OSError, zlib.error, ValueError):
                reason = "undecodable body"
            else:
                if len(body) > max_page_bytes:
                    reason, body = f"larger than {max_page_bytes} bytes", None
        iterator.read_to_end()
        # A header block cut short may lack Content-Length (which every WARC record has) or
        # end inside its value (warcio then reads length 0); a block cut short leaves part
        # of its Content-Length unread.
        declared = str(record.rec_headers.get_header("Content-Length") or "").strip()
        if not declared.isdigit() or getattr(record.raw_stream, "limit", 0) > 0:
            report.records -= 1
            raise _incomplete(report, iterator.get_record_offset())
        report.complete_bytes = iterator.get_record_offset() + iterator.get_record_length()
        if reason is not None:
            report.skipped[reason] += 1
            body = None
        yield record, body
    _check_tail(stream, report, report.complete_bytes)


def _at_end(stream: BinaryIO) -> bool:
    """Whether the whole file was read: an unreadable last record is a cut-off one."""
    try:
        return stream.tell() >= os.fstat(stream.fileno()).st_size
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


def _check_tail(stream: BinaryIO, report: WarcReadReport, end: int) -> None:
    """Bytes after the last whole record: blank lines are fine, anything else is a record
    cut off before warcio could even read its header."""
    stream.seek(end)
    tail = stream.read(64)
    if tail.strip(b"\r\n"):
        raise _incomplete(report, end)


def _incomplete(report: WarcReadReport, offset: int) -> WarcReadError:
    return WarcReadError(
        f"{report.path}: the file ends inside a record starting at byte {offset} "
        f"(a crawl stopped while writing, or a download cut short); "
        f"the {report.records} records before it were read",
        offset,
    )


def _broken(report: WarcReadReport, offset: int, error: Exception) -> WarcReadError:
    reason = " ".join(str(error).split())[:120]
    if report.records == 0:
        return WarcReadError(f"{report.path}: not a WARC file ({reason})", 0)
    return WarcReadError(
        f"{report.path}: unreadable record at byte {offset} ({reason}); "
        f"the {report.records} records before it were read",
        offset,
    )


def _status(record: Any) -> int | None:
    try:
        return int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None


class _Progress:
    """A progress line on stderr every few seconds: position in the file, records, pages."""

    def __init__(
        self, out: IO[str] | None, every: float, size: int, report: WarcReadReport
    ) -> None:
        self.out = out
        self.every = every
        self.size = size
        self.report = report
        self.last = time.monotonic()

    def tick(self, position: int) -> None:
        if self.out is None or time.monotonic() - self.last < self.every:
            return
        self.last = time.monotonic()
        share = f"{100 * position / self.size:.0f}%" if self.size else "?"
        print(
            f"newsscrape: {self.report.path}: {share} ({position / 1e6:.1f} MB), "
            f"{self.report.records} records, {self.report.pages} HTML pages",
            file=self.out,
            flush=True,
        )


def pages_from_warcs(
    paths: list[str],
    failures: list[PageFailure],
    progress: IO[str] | None = None,
    quiet: bool = False,
) -> Iterator[tuple[str, PageItem]]:
    """(target URI, page) for every HTML response in the WARC files, one file after another.

    Progress lines and a summary per file go to `progress` (standard error by default) unless
    `quiet`. A file that cannot be read, or ends inside a record, is reported there (quiet or
    not) and added to `failures` (stage "read"), after every page before the break was given.
    """
    out = progress if progress is not None else sys.stderr
    for path in paths:
        report = WarcReadReport(path)
        try:
            if path == "-":
                raise WarcReadError(f"{path}: WARC input must be a file, not standard input", 0)
            for page in read_warc_pages(path, report, progress=None if quiet else out):
                yield page.url, page
        except OSError as error:
            reason = f"cannot read {path}: {error.strerror or error}"
            print(f"newsscrape: {reason}", file=out)
            failures.append(PageFailure(path, READ, reason))
            continue
        except WarcReadError as error:
            if not quiet:
                print(f"newsscrape: {report.summary()}", file=out)
            print(f"newsscrape: {error}", file=out)
            failures.append(PageFailure(path, READ, str(error)))
            continue
        if not quiet:
            print(f"newsscrape: {report.summary()}", file=out)
