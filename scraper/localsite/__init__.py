"""Serve a folder as a website on loopback: the bundled newspaper for the demo and the tests.

Paths map the way CMS URLs look: `/a/b` serves `a/b`, else `a/b.html`, else `a/b/index.html`;
anything else is a 404 with `404.html`. HTML goes out without a charset parameter, so each
page's own <meta> declaration is what decides (as on many real servers). Sitemaps, feeds and
robots.txt and pages may write `__ORIGIN__` for the server's own `http://127.0.0.1:PORT`.
Responses carry ETag and Last-Modified and answer conditional requests with 304, as news
sites' CDNs do, so incremental crawls can be tested against it.

    python -m scraper.localsite fixtures/site --port 8000

`scraper.localsite.demo` (`make demo`) crawls the bundled newspaper served this way.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import mimetypes
import threading
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import unquote, urlsplit

ORIGIN_PLACEHOLDER = b"__ORIGIN__"
_TEMPLATED_SUFFIXES = (".xml", ".txt", ".rss", ".atom", ".html")
_TYPES = {
    ".html": "text/html",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".gz": "application/gzip",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
}


def resolve_path(root: Path, request_path: str) -> Path | None:
    """The file a request path names under `root`, or None (never a file outside `root`)."""
    relative = unquote(urlsplit(request_path).path).lstrip("/")
    base = (root / relative).resolve()
    if root != base and root not in base.parents:
        return None
    for candidate in (base, base.with_name(base.name + ".html"), base / "index.html"):
        if candidate.is_file():
            return candidate
    return None


class _SiteHandler(BaseHTTPRequestHandler):
    server: _SiteServer

    def do_GET(self) -> None:
        self._respond(include_body=True)

    def do_HEAD(self) -> None:
        self._respond(include_body=False)

    def _respond(self, include_body: bool) -> None:
        self.server.requested_paths.append(urlsplit(self.path).path)
        root = self.server.root
        path = resolve_path(root, self.path)
        status = 200
        if path is None:
            status, path = 404, root / "404.html"
        body = path.read_bytes() if path.is_file() else b"Not found"
        if path.suffix in _TEMPLATED_SUFFIXES:
            body = body.replace(ORIGIN_PLACEHOLDER, self.server.origin.encode())
        elif path.name.endswith(".xml.gz") and body[:2] == b"\x1f\x8b":
            # Gzipped sitemaps are templated too: the crawler must see working URLs inside.
            inner = gzip.decompress(body)
            if ORIGIN_PLACEHOLDER in inner:
                body = gzip.compress(
                    inner.replace(ORIGIN_PLACEHOLDER, self.server.origin.encode()), mtime=0
                )
        content_type = (
            _TYPES.get(path.suffix)
            or mimetypes.guess_type(path.name)[0]
            or "application/octet-stream"
        )
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        if status == 200 and self._not_modified(etag, path):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        if path.is_file():
            self.send_header("Last-Modified", formatdate(path.stat().st_mtime, usegmt=True))
        self.end_headers()
        if include_body:
            self.wfile.write(body)

    def _not_modified(self, etag: str, path: Path) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [tag.strip() for tag in if_none_match.split(",")]
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError):
                return False
            return int(path.stat().st_mtime) <= since
        return False

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the crawl reports what matters."""


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, port: int) -> None:
        super().__init__(("127.0.0.1", port), _SiteHandler)
        self.root = root.resolve()
        # Every path asked for, in order: tests check what a crawl did and did not fetch.
        self.requested_paths: list[str] = []
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"


class ServedInBackground:
    """An HTTP server that serves from a daemon thread for the length of a `with` block."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()


class LocalSite(ServedInBackground):
    """A folder served on 127.0.0.1 in a background thread (port 0: a free one)."""

    server: _SiteServer

    def __init__(self, root: str | Path, port: int = 0) -> None:
        super().__init__(_SiteServer(Path(root), port))

    @property
    def requested_paths(self) -> list[str]:
        """Paths requested so far (list.append is atomic, so threads may add while we read)."""
        return self.server.requested_paths

    @property
    def url(self) -> str:
        """The site's origin, e.g. http://127.0.0.1:41234."""
        return self.server.origin


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a folder as a website on 127.0.0.1.")
    parser.add_argument("root", type=Path)
    parser.add_argument("--port", type=int, default=8000, help="0: any free port (printed)")
    args = parser.parse_args()
    server = _SiteServer(args.root, args.port)
    print(f"serving {args.root} at {server.origin}/ (Ctrl-C stops)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
