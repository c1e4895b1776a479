"""A hostile web server for the tests: one path per way a real server goes wrong.

It listens on a loopback address (127.0.0.1 by default, any 127.x.y.z works on Linux) on a
free port, in a background thread, and misbehaves on purpose: slow drips, stalls, connections
reset mid-body, redirect loops, 4xx/5xx with Retry-After, bodies over the size limit, a gzip
bomb, binary files served as text/html, pages in the wrong charset, truncated and absurdly
nested HTML, a JavaScript shell, a login wall, and sitemaps that are huge, gzipped, malformed,
or that try XML entity expansion ("billion laughs") and external entities.

    with HostileSite() as site:
        site.url + "/reset"          # a connection reset after 512 of 10,000 bytes

Every loop in here is bounded in time and count, so a test that forgets the server cannot
keep a thread busy for long.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import random
import socket
import struct
import time
import zlib
from collections import Counter
from collections.abc import Callable
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from scraper.localsite import ServedInBackground

# Bodies the article pages share; non-ASCII on purpose so a wrong decoding shows.
SENTENCES = [
    "The harbour authority said on Tuesday that the café on the north pier would reopen in spring.",
    "“We have waited long enough,” said the owner, who asked for €40,000 to repair the roof.",
    "Engineers found that the storm had loosened the pilings under the terrace and the kitchen.",
    "The council’s budget committee will vote on the grant at its meeting next month.",
    "Fishermen who use the pier every morning said the closure had cost them customers and time.",
    "A spokesperson for the port confirmed that the works would not affect the ferry timetable.",
]
JAPANESE_TITLE = "港の喫茶店が春に再開へ"
JAPANESE_SENTENCES = [
    "港湾局は火曜日、北桟橋の喫茶店が春に再開すると発表した。",
    "店主は「長い間待っていました」と話し、屋根の修理費として四万ユーロを求めている。",
    "技術者によると、嵐で桟橋の杭が緩んでいたという。",
    "市議会の予算委員会は来月の会合で補助金について採決する予定だ。",
]
CHINESE_TITLE = "港口咖啡馆将于春季重新开业"
CHINESE_SENTENCES = [
    "港务局星期二宣布，北码头的咖啡馆将于春季重新开业。",
    "店主说他们已经等了很久，并要求四万欧元修理屋顶。",
    "工程师表示，暴风雨使码头的木桩松动。",
    "市议会预算委员会将在下个月的会议上就补助金进行表决。",
]
# Long enough (and typed with JSON-LD) that the extractor accepts it as an article.
PARAGRAPHS = [" ".join(SENTENCES[i:] + SENTENCES[:i]) for i in range(4)]

# How long a dripping or stalled response goes on at most, whoever is listening.
MAX_STALL_SECONDS = 15.0


def article_html(
    title: str,
    paragraphs: list[str] | None = None,
    charset: str | None = "utf-8",
    author: str = "Maria Lopez",
) -> str:
    """A small news article page: JSON-LD NewsArticle, byline, date and paragraphs."""
    paragraphs = PARAGRAPHS if paragraphs is None else paragraphs
    meta = f'<meta charset="{charset}">' if charset else ""
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": "2024-05-02T09:30:00+02:00",
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": "The Harbour Gazette"},
        },
        ensure_ascii=False,
    )
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head>{meta}<title>{title} | The Harbour Gazette</title>'
        f'<script type="application/ld+json">{ld}</script></head><body>'
        f'<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>'
        f'<main><article><h1>{title}</h1><p class="byline">By {author}</p>'
        f'<time datetime="2024-05-02T09:30:00+02:00">2 May 2024</time>{body}</article></main>'
        f"<footer>© The Harbour Gazette</footer></body></html>"
    )


def gzip_bomb(expanded_bytes: int) -> bytes:
    """A gzip stream of `expanded_bytes` zeros: about a thousandth of that on the wire."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(expanded_bytes >> 20)]
    parts.append(compressor.flush())
    return b"".join(parts)


@cache
def _gzip_bomb_100mb() -> bytes:
    return gzip_bomb(100 << 20)


def urlset(locs: list[str]) -> bytes:
    """A sitemap <urlset> listing `locs`."""
    entries = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    ).encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>__ORIGIN__/laughs/&lol9;</loc></url>
</urlset>
"""

# An external entity pointing at a local file: a parser that resolves it would put the file's
# contents into a <loc>, and the crawler would then request (and log) them.
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>__ORIGIN__/leak?data=&secret;</loc></url>
</urlset>
"""

BROKEN_RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>The Harbour Gazette</title>
<item><title>Caf\xe9 & pier</title><link>__ORIGIN__/news/2024/05/02/rss-one</link>
<item><title>Unclosed <b>markup</title><link>__ORIGIN__/news/2024/05/02/rss-two
</channel>"""

# Markup cut off mid-tag, as a dropped connection with a wrong Content-Length leaves it.
TRUNCATED_ARTICLE = article_html("A page cut off in the middle")[:-420]

JS_SHELL = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>The Harbour Gazette</title>'
    '<script src="/static/app.3f9a.js" defer></script></head><body>'
    "<noscript>You need to enable JavaScript to run this app.</noscript>"
    '<div id="root"></div></body></html>'
)

LOGIN_WALL = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign in | The Harbour Gazette</title>'
    "</head><body><main><h1>Sign in to continue reading</h1>"
    '<form method="post" action="/login"><label>Email <input name="email"></label>'
    '<label>Password <input type="password" name="password"></label>'
    "<button>Sign in</button></form><p>Not a subscriber? Subscribe now.</p></main></body></html>"
)

Handler = Callable[["_HostileHandler"], None]


class _HostileHandler(BaseHTTPRequestHandler):
    server: _HostileServer
    # HTTP/1.0: one response per connection, so a reset or a drip affects only its own request.
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.query = parse_qs(parts.query)
        path = parts.path
        self.server.hits[path] += 1
        self.server.requests.append(self.path)
        handler = ROUTES.get(path)
        if handler is None:
            prefix = next((p for p in PREFIX_ROUTES if path.startswith(p)), None)
            handler = PREFIX_ROUTES[prefix] if prefix else _not_found
        # The client giving up on a drip or a bomb is the point, not an error.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler(self)

    def send_body(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def origin_bytes(self, body: bytes) -> bytes:
        return body.replace(b"__ORIGIN__", self.server.origin.encode())

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read the crawl's own report."""


# --- Pages that work: the neighbours whose records must come out untouched.


def _article(h: _HostileHandler) -> None:
    name = h.path.rsplit("/", 1)[-1].split("?")[0] or "index"
    title = f"Harbour café to reopen: {name.replace('-', ' ')}"
    page = article_html(title, distinct_paragraphs(name))
    h.send_body(200, page.encode(), "text/html; charset=utf-8")


# The words of SENTENCES (about 80), for text that reads like the others but differs.
_VOCABULARY = sorted({word.strip(".,“”").lower() for line in SENTENCES for word in line.split()})


def distinct_paragraphs(name: str) -> list[str]:
    """Four paragraphs of plausible words, different for every `name`: so that the crawl's
    duplicate detection keeps each test article (identical bodies would be one story)."""
    rng = random.Random(name)
    return [
        " ".join(rng.choice(_VOCABULARY) for _ in range(45)).capitalize() + "." for _ in range(4)
    ]


def _robots(h: _HostileHandler) -> None:
    lines = ["User-agent: *", "Disallow: /private/", ""]
    lines += [f"Sitemap: {h.server.origin}{path}" for path in SITEMAP_PATHS]
    h.send_body(200, "\n".join(lines).encode(), "text/plain")


def _not_found(h: _HostileHandler) -> None:
    h.send_body(404, b"<html><body><h1>Not found</h1></body></html>")


# --- Slow, stalled and broken connections.


def _slow_drip(h: _HostileHandler) -> None:
    """Headers at once, then one byte every 0.2 s: each read succeeds, the page never ends."""
    body = article_html("A page that drips").encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    deadline = time.monotonic() + MAX_STALL_SECONDS
    for byte in body:
        if time.monotonic() > deadline:
            break
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        time.sleep(0.2)


def _stall(h: _HostileHandler) -> None:
    """Headers, then silence: a read timeout."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "5000")
    h.end_headers()
    h.wfile.flush()
    time.sleep(MAX_STALL_SECONDS)


def _reset(h: _HostileHandler) -> None:
    """512 of a promised 10,000 bytes, then a TCP RST (SO_LINGER 0) instead of a close."""
    body = article_html("A page reset mid-body").encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", "10000")
    h.end_headers()
    h.wfile.write(body[:512])
    h.wfile.flush()
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()


# --- Redirects.


def _redirect_loop(h: _HostileHandler) -> None:
    h.send_body(302, b"", headers={"Location": "/redirect-loop"})


def _redirect_chain(h: _HostileHandler) -> None:
    """/redirect-chain/N redirects to N-1; /redirect-chain/0 is an article."""
    steps = int(h.path.rsplit("/", 1)[-1] or 0)
    if steps <= 0:
        _article(h)
    else:
        h.send_body(301, b"", headers={"Location": f"/redirect-chain/{steps - 1}"})


def _redirect_to(h: _HostileHandler) -> None:
    """/redirect-to?url=U: a 302 to any URL (for the private-network tests)."""
    h.send_body(302, b"", headers={"Location": h.query.get("url", ["/"])[0]})


# --- Status codes.


def _gone(h: _HostileHandler) -> None:
    h.send_body(410, b"<html><body><h1>Gone</h1></body></html>")


def _rate_limited(h: _HostileHandler) -> None:
    h.send_body(429, b"<html><body>Too many requests</body></html>", headers={"Retry-After": "1"})


def _unavailable(h: _HostileHandler) -> None:
    h.send_body(503, b"<html><body>Maintenance</body></html>", headers={"Retry-After": "120"})


def _burst_500(h: _HostileHandler) -> None:
    """A 500, then the article: a retry recovers it."""
    if h.server.hits[h.path] <= 1:
        h.send_body(500, b"<html><body>Internal Server Error</body></html>")
    else:
        _article(h)


def _always_500(h: _HostileHandler) -> None:
    h.send_body(500, b"<html><body>Internal Server Error</body></html>")


# --- Bodies that are too big, compressed into bombs, or not HTML at all.


def _huge(h: _HostileHandler) -> None:
    """A body announced and sent at 30 MB: over the default DOWNLOAD_MAXSIZE (20 MB)."""
    size = 30 << 20
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(size))
    h.end_headers()
    chunk = b"<p>" + b"x" * 65530 + b"</p>"
    for _ in range(size // len(chunk)):
        h.wfile.write(chunk)


def _huge_unannounced(h: _HostileHandler) -> None:
    """No Content-Length: the client only learns the size by counting (stops after 30 MB)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    chunk = b"<p>" + b"y" * 65530 + b"</p>"
    for _ in range((30 << 20) // len(chunk)):
        h.wfile.write(chunk)


def _gzip_bomb(h: _HostileHandler) -> None:
    """About 100 KB on the wire, 100 MB once decompressed."""
    h.send_body(
        200, _gzip_bomb_100mb(), "text/html; charset=utf-8", headers={"Content-Encoding": "gzip"}
    )


def _pdf(h: _HostileHandler) -> None:
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\n" + bytes(range(256)) * 8
    h.send_body(200, body, "text/html")


def _image(h: _HostileHandler) -> None:
    body = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    h.send_body(200, body, "text/html; charset=utf-8")


def _empty(h: _HostileHandler) -> None:
    h.send_body(200, b"", "text/html")


# --- Charsets: the bytes say one thing, the headers another.


def _cp1252_declared_utf8(h: _HostileHandler) -> None:
    body = article_html("Café owner asks €40,000 for “the roof”", charset="utf-8")
    h.send_body(200, body.encode("cp1252"), "text/html; charset=utf-8")


def _shift_jis_meta_only(h: _HostileHandler) -> None:
    # Spaces between sentences: the record's word count splits on them (CJK has none).
    # Each paragraph different: the extractor drops repeated ones.
    sentences = JAPANESE_SENTENCES
    paragraphs = [" ".join(sentences[i:] + sentences[:i]) + f" ({i + 1})" for i in range(4)]
    body = article_html(JAPANESE_TITLE, paragraphs, charset="shift_jis", author="山田 太郎")
    body = body.replace('lang="en"', 'lang="ja"').replace("©", "(c)")
    h.send_body(200, body.encode("shift_jis"), "text/html")


def _utf8_declared_gb2312(h: _HostileHandler) -> None:
    # Re-saved by a tool that converted the bytes to UTF-8 and kept the old <meta>.
    sentences = CHINESE_SENTENCES
    paragraphs = [" ".join(sentences[i:] + sentences[:i]) + f" ({i + 1})" for i in range(4)]
    body = article_html(CHINESE_TITLE, paragraphs, charset="gb2312", author="王 小明")
    body = body.replace('lang="en"', 'lang="zh"').replace("©", "(c)")
    h.send_body(200, body.encode("utf-8"), "text/html")


def _utf8_bom(h: _HostileHandler) -> None:
    # The BOM wins over a (wrong) meta declaration, as in every browser.
    body = article_html("Pier café: “a BOM decides”", charset="windows-1252")
    h.send_body(200, b"\xef\xbb\xbf" + body.encode("utf-8"), "text/html")


def _mixed(h: _HostileHandler) -> None:
    """UTF-8, except one paragraph pasted from a windows-1252 editor."""
    html = article_html("Mixed café encodings", [*PARAGRAPHS[:3], "@@PASTED@@"], charset="utf-8")
    before, after = html.split("@@PASTED@@")
    pasted = "The owner’s “final offer” was €40,000, he said.".encode("cp1252")
    h.send_body(200, before.encode() + pasted + after.encode(), "text/html; charset=utf-8")


# --- Markup that is broken, absurd, empty of content, or a wall.


def _truncated(h: _HostileHandler) -> None:
    h.send_body(200, TRUNCATED_ARTICLE.encode(), "text/html; charset=utf-8")


def _nested(h: _HostileHandler) -> None:
    """100,000 nested <div>s around one paragraph."""
    depth = 100_000
    body = (
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * depth
        + f"<p>{PARAGRAPHS[0]}</p>"
        + "</div>" * depth
        + "</body></html>"
    )
    h.send_body(200, body.encode(), "text/html; charset=utf-8")


def _js_shell(h: _HostileHandler) -> None:
    h.send_body(200, JS_SHELL.encode(), "text/html; charset=utf-8")


def _login_wall(h: _HostileHandler) -> None:
    h.send_body(200, LOGIN_WALL.encode(), "text/html; charset=utf-8")


def _login_required(h: _HostileHandler) -> None:
    h.send_body(401, LOGIN_WALL.encode(), headers={"WWW-Authenticate": 'Basic realm="news"'})


# --- Sitemaps and feeds.


def _sitemap_ok(h: _HostileHandler) -> None:
    locs = [f"{h.server.origin}/news/2024/05/02/from-sitemap-{i}" for i in range(3)]
    h.send_body(200, urlset(locs), "application/xml")


def _sitemap_huge(h: _HostileHandler) -> None:
    """50,000 URLs, the most a sitemap may list."""
    locs = [f"{h.server.origin}/news/2024/05/02/huge-{i}" for i in range(50_000)]
    h.send_body(200, urlset(locs), "application/xml")


def _sitemap_gzip(h: _HostileHandler) -> None:
    locs = [f"{h.server.origin}/news/2024/05/02/gzipped-{i}" for i in range(2)]
    h.send_body(200, gzip.compress(urlset(locs)), "application/gzip")


def _sitemap_malformed(h: _HostileHandler) -> None:
    h.send_body(200, b"<?xml version='1.0'?><urlset><url><loc>", "application/xml")


def _sitemap_not_xml(h: _HostileHandler) -> None:
    h.send_body(200, b"<html><body>Oops, a CMS error page</body></html>", "text/html")


def _sitemap_laughs(h: _HostileHandler) -> None:
    h.send_body(200, h.origin_bytes(BILLION_LAUGHS), "application/xml")


def _sitemap_external(h: _HostileHandler) -> None:
    h.send_body(200, h.origin_bytes(EXTERNAL_ENTITY), "application/xml")


def _sitemap_schemes(h: _HostileHandler) -> None:
    """Links a crawler must never follow: only http and https are fetched."""
    locs = [
        f"{h.server.origin}/news/2024/05/02/from-scheme-sitemap",
        "file:///etc/passwd",
        "ftp://127.0.0.1/pub/story.html",
        "data:text/html,%3Cp%3Ehi%3C/p%3E",
        "javascript:alert(1)",
    ]
    h.send_body(200, urlset(locs), "application/xml")


def _sitemap_bad_entry(h: _HostileHandler) -> None:
    """A URL with no scheme in the middle of a sitemap: the entries after it still count."""
    locs = [
        f"{h.server.origin}/news/2024/05/02/before-bad-entry",
        "javascript:alert(1)",
        f"{h.server.origin}/news/2024/05/02/after-bad-entry",
    ]
    h.send_body(200, urlset(locs), "application/xml")


def _feed_broken(h: _HostileHandler) -> None:
    h.send_body(200, h.origin_bytes(BROKEN_RSS), "application/rss+xml")


ROUTES: dict[str, Handler] = {
    "/robots.txt": _robots,
    "/slow-drip": _slow_drip,
    "/stall": _stall,
    "/reset": _reset,
    "/redirect-loop": _redirect_loop,
    "/redirect-to": _redirect_to,
    "/gone": _gone,
    "/missing": _not_found,
    "/rate-limited": _rate_limited,
    "/unavailable": _unavailable,
    "/burst-500": _burst_500,
    "/always-500": _always_500,
    "/huge": _huge,
    "/huge-unannounced": _huge_unannounced,
    "/gzip-bomb": _gzip_bomb,
    "/pdf-as-html": _pdf,
    "/image-as-html": _image,
    "/empty": _empty,
    "/charset/cp1252-declared-utf8": _cp1252_declared_utf8,
    "/charset/shift-jis-meta-only": _shift_jis_meta_only,
    "/charset/utf8-bom": _utf8_bom,
    "/charset/utf8-declared-gb2312": _utf8_declared_gb2312,
    "/charset/mixed": _mixed,
    "/truncated": _truncated,
    "/nested": _nested,
    "/js-shell": _js_shell,
    "/login-wall": _login_wall,
    "/login-required": _login_required,
    "/sitemap.xml": _sitemap_ok,
    "/sitemap-huge.xml": _sitemap_huge,
    "/sitemap-gzip.xml.gz": _sitemap_gzip,
    "/sitemap-malformed.xml": _sitemap_malformed,
    "/sitemap-not-xml.xml": _sitemap_not_xml,
    "/sitemap-laughs.xml": _sitemap_laughs,
    "/sitemap-external.xml": _sitemap_external,
    "/sitemap-schemes.xml": _sitemap_schemes,
    "/sitemap-bad-entry.xml": _sitemap_bad_entry,
    "/feed.rss": _feed_broken,
}
PREFIX_ROUTES: dict[str, Handler] = {
    "/news/2024/05/02/": _article,
    "/redirect-chain/": _redirect_chain,
}
# What robots.txt announces, in this order.
# (Not the 50,000-URL sitemap: crawled on its own, it would take any --max-articles budget.)
SITEMAP_PATHS = [
    "/sitemap.xml",
    "/sitemap-gzip.xml.gz",
    "/sitemap-malformed.xml",
    "/sitemap-not-xml.xml",
    "/sitemap-laughs.xml",
    "/sitemap-external.xml",
    "/sitemap-schemes.xml",
    "/sitemap-bad-entry.xml",
    "/sitemap-missing.xml",
    "/feed.rss",
]


class _HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int) -> None:
        super().__init__((host, port), _HostileHandler)
        self.origin = f"http://{host}:{self.server_address[1]}"
        self.hits: Counter[str] = Counter()
        self.requests: list[str] = []


class HostileSite(ServedInBackground):
    """The hostile server on `host` (a loopback address) and a free port, in a thread."""

    server: _HostileServer

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(_HostileServer(host, port))
        _gzip_bomb_100mb()  # built now (seconds of CPU), not while a client waits for it

    @property
    def url(self) -> str:
        """The origin, e.g. http://127.0.0.1:41234."""
        return self.server.origin

    @property
    def hits(self) -> Counter[str]:
        """Requests received so far, by path."""
        return self.server.hits

    @property
    def requests(self) -> list[str]:
        """Every request line's target (path and query), in arrival order."""
        return self.server.requests
