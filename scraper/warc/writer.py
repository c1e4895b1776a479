"""An append-only WARC/1.1 file that a killed crawl cannot corrupt beyond its last record.

Each request/response pair is serialised in memory (one gzip member per record, the layout
web archives and Common Crawl use) and handed to the operating system in one `write` on a
descriptor opened with O_APPEND, with no buffer of ours in between. A kill therefore loses at
most the pair being written, and leaves at most one incomplete record at the end of the file.
Readers (`scraper.warc.reader`) report such a tail and keep every record before it; opening
the file again for appending cuts the tail off first, so later runs append cleanly.
"""

from __future__ import annotations

import io
import logging
import os
import socket
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from scraper.version import __version__
from scraper.warc import PAGE_KIND_HEADER, require_warcio

logger = logging.getLogger(__name__)

# WARC readers (warcio among them) expect an HTTP/1.x status line; HTTP/2 responses are
# archived with one and their real protocol in WARC-Protocol.
_HTTP1 = ("HTTP/1.0", "HTTP/1.1")
# Scrapy hands over bodies already de-chunked; a reader that saw `Transfer-Encoding: chunked`
# would try to de-chunk them again. Common Crawl keeps such headers under this prefix.
_RENAMED_HEADERS = {"transfer-encoding": "X-Crawler-Transfer-Encoding"}


@dataclass
class HttpExchange:
    """One fetch as it went over the wire: what was asked and what came back."""

    url: str
    status: int
    reason: str = ""
    protocol: str = "HTTP/1.1"
    method: str = "GET"
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    request_body: bytes = b""
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_body: bytes = b""
    ip_address: str | None = None
    # What the crawl's URL classifier made of the page before fetching it (scraper.classify:
    # article, unknown, tag, section, ...), when it classified it; see PAGE_KIND_HEADER.
    page_kind: str | None = None


@dataclass
class ArchivedResponse:
    """Where a response went: its record's WARC-Record-ID and WARC-Date."""

    record_id: str
    warc_date: str


def uses_gzip(path: str | Path) -> bool:
    """Records are gzipped one member each when the file name ends in .gz."""
    return str(path).lower().endswith(".gz")


class WarcFileError(RuntimeError):
    """The WARC file cannot be appended to; the message says why and what to do."""


def looks_like_warc(path: Path) -> bool:
    """Whether a file starts like a WARC (plain or gzipped): appending to anything else, and
    cutting its "incomplete tail", would destroy someone's data."""
    with path.open("rb") as stream:
        head = stream.read(4096)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def _lock(fd: int, path: Path) -> None:
    """An exclusive lock for the life of the descriptor: two crawls appending to one file
    would be safe record by record, but the tail repair of one could cut the other's record."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, appends stay whole-record
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as error:
        raise WarcFileError(
            f"{path} is being written by another process; give each crawl its own WARC file"
        ) from error


class WarcFile:
    """Appends WARC/1.1 records to `path` (gzip per record for *.gz), safely against kills.

    Use as a context manager, or call `open()` and `close()`. `write_exchange` returns the
    response record's WARC-Record-ID (which the article record keeps) and WARC-Date.
    """

    def __init__(self, path: str | Path, info: dict[str, str] | None = None) -> None:
        require_warcio()
        self.path = Path(path)
        self.gzip = uses_gzip(self.path)
        self.info = info or {}
        self.records_written = 0
        self._fd: int | None = None

    def open(self) -> WarcFile:
        """Open for appending (cutting off a half-written tail first) and write a warcinfo.

        Raises WarcFileError when the file is not a WARC, or another process is appending."""
        from scraper.warc.reader import append_point

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            _lock(fd, self.path)
            size = os.fstat(fd).st_size
            if size and not looks_like_warc(self.path):
                raise WarcFileError(
                    f"{self.path} exists and is not a WARC file; give a new or a WARC file name"
                )
            if size:
                with self.path.open("rb") as existing:
                    keep, closing = append_point(existing)
                if keep < size:
                    logger.warning(
                        "%s: cut off an incomplete last record (%d bytes from byte %d), "
                        "left by a run that was stopped while writing",
                        self.path,
                        size - keep,
                        keep,
                    )
                    os.ftruncate(fd, keep)
                if closing:  # the cut went through the blank lines closing the last record
                    os.write(fd, closing)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._append(self._warcinfo())
        return self

    def __enter__(self) -> WarcFile:
        return self.open()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Flush and close; the file is complete after every write anyway."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def write_exchange(self, exchange: HttpExchange) -> ArchivedResponse:
        """Append the response and request records of one fetch; the response record's id
        and date."""
        from warcio.statusandheaders import StatusAndHeaders

        writer, buffer = self._record_writer()
        protocol = exchange.protocol if exchange.protocol in _HTTP1 else "HTTP/1.1"
        warc_headers: dict[str, str] = {}
        if exchange.ip_address:
            warc_headers["WARC-IP-Address"] = exchange.ip_address
        if exchange.protocol not in _HTTP1 and exchange.protocol:
            warc_headers["WARC-Protocol"] = exchange.protocol.lower()
        response_http = StatusAndHeaders(
            f"{exchange.status} {exchange.reason}".strip(),
            [(_RENAMED_HEADERS.get(k.lower(), k), v) for k, v in exchange.response_headers],
            protocol=protocol,
        )
        response_headers = dict(warc_headers)
        if exchange.page_kind:
            response_headers[PAGE_KIND_HEADER] = exchange.page_kind
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.response_body),
            length=len(exchange.response_body),
            http_headers=response_http,
            warc_headers_dict=response_headers,
        )
        request_http = StatusAndHeaders(
            f"{exchange.method} {_request_target(exchange.url)} {protocol}",
            _with_host(exchange.url, exchange.request_headers),
            is_http_request=True,
        )
        request = writer.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(exchange.request_body),
            length=len(exchange.request_body),
            http_headers=request_http,
            warc_headers_dict=dict(warc_headers),
        )
        writer.write_request_response_pair(request, response)
        self._append(buffer.getvalue())
        self.records_written += 2
        return ArchivedResponse(
            record_id=response.rec_headers.get_header("WARC-Record-ID"),
            warc_date=response.rec_headers.get_header("WARC-Date"),
        )

    def _record_writer(self) -> tuple[Any, io.BytesIO]:
        from warcio.warcwriter import WARCWriter

        buffer = io.BytesIO()
        return WARCWriter(buffer, gzip=self.gzip, warc_version="1.1"), buffer

    def _warcinfo(self) -> bytes:
        writer, buffer = self._record_writer()
        fields = {
            "software": f"newsscrape/{__version__}",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "hostname": socket.gethostname(),
            **self.info,
        }
        writer.write_record(writer.create_warcinfo_record(self.path.name, fields))
        return buffer.getvalue()

    def _append(self, data: bytes) -> None:
        if self._fd is None:
            raise ValueError(f"{self.path} is not open for writing")
        view = memoryview(data)
        while view:  # os.write may write less than asked (signals, pipes); finish the record
            written = os.write(self._fd, view)
            view = view[written:]


def _request_target(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _with_host(url: str, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Request headers as sent: the HTTP client adds Host itself, so Scrapy never holds it."""
    from urllib.parse import urlsplit

    if any(name.lower() == "host" for name, _ in headers):
        return headers
    return [("Host", urlsplit(url).netloc), *headers]
