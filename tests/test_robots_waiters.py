"""robots.txt holds for every request that waits for it: many URLs of one site asked for at
once, while its robots.txt is still on its way, are all checked against it (Scrapy 2.19's own
middleware let the third and later ones through; scraper/middlewares/robots.py)."""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scraper.localsite import ServedInBackground
from tests.conftest import FAST, run_cli

ROBOTS_SECONDS = 0.5
PRIVATE = [f"/private/briefing-{number}/" for number in range(6)]
PUBLIC = "/news/open-letter/"


class _SlowRobotsSite(BaseHTTPRequestHandler):
    """robots.txt (after ROBOTS_SECONDS) disallowing /private/; any other path is a short
    article. Every path asked for is kept on the server."""

    server: ThreadingHTTPServer

    def do_GET(self) -> None:
        self.server.requested_paths.append(self.path)  # type: ignore[attr-defined]
        if self.path == "/robots.txt":
            time.sleep(ROBOTS_SECONDS)
            body, kind = b"User-agent: *\nDisallow: /private/\n", "text/plain"
        else:
            paragraphs = "".join(
                f"<p>Paragraph {n} of the council's letter on the harbour works, which the "
                "mayor answered on Tuesday after a long evening session.</p>"
                for n in range(6)
            )
            body = (
                "<html><head><title>Letter</title><meta property='og:type' content='article'>"
                f"</head><body><article><h1>The council's letter</h1>{paragraphs}</article>"
                "</body></html>"
            ).encode()
            kind = "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_every_request_waiting_for_robots_txt_obeys_it() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowRobotsSite)
    server.requested_paths = []  # type: ignore[attr-defined]
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    with ServedInBackground(server):
        # All start at once: each reaches the robots.txt middleware before robots.txt is back.
        result = run_cli("get", *[origin + path for path in [*PRIVATE, PUBLIC]], *FAST)
    requested = server.requested_paths  # type: ignore[attr-defined]
    assert requested.count("/robots.txt") == 1
    assert not [path for path in requested if path.startswith("/private/")], requested
    assert PUBLIC in requested
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["url"] for r in records] == [origin + PUBLIC], result.stderr.decode()[-2000:]
    stderr = result.stderr.decode()
    assert all(origin + path in stderr for path in PRIVATE), stderr[-2000:]
    assert "forbidden by robots.txt" in stderr
