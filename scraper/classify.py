"""Is this URL an article? Decided before fetching, so crawls do not fill up on listings.

A news site links far more section, tag, author, video and gallery pages than articles; a
crawl that fetched and extracted all of them would spend most of its budget on pages that
give no record. The classifier decides from what is known before the fetch:

1. the site profile's own rules (deny patterns, then allow patterns), when there is one;
2. membership: an entry of a Google News sitemap is an article (the format allows nothing
   else), and a feed entry is one unless its URL says otherwise;
3. the URL's shape: date paths, long slugs and numeric ids mark articles; /tag/, /author/,
   /section/, /video/, /gallery/, /search, /page/2 and short paths mark the rest.

After the fetch the extraction stage has the last word (page metadata: og:type, JSON-LD
@type, the amount of text) and refuses non-articles with NotAnArticle; the crawl summary
counts both. Each decision carries its reason, which the spider logs per URL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

ARTICLE = "article"
# Not decidable from the URL: fetched and left to the extraction stage.
UNKNOWN = "unknown"
# Kinds of page that are not articles (the rest of the vocabulary of decisions).
SECTION, TAG, AUTHOR, VIDEO, GALLERY = "section", "tag", "author", "video", "gallery"
SEARCH, PAGINATION, HOME, STATIC, FILE = "search", "pagination", "home", "static", "file"
DENIED, NOT_ALLOWED = "denied", "not-allowed"

# Path segments that name a kind of listing page, in several of the languages news sites use.
_SEGMENT_KINDS: dict[str, str] = {
    **dict.fromkeys(
        ["video", "videos", "watch", "tv", "player", "podcast", "podcasts", "audio"], VIDEO
    ),
    **dict.fromkeys(
        ["gallery", "galleries", "photos", "photo", "fotos", "slideshow", "pictures", "bilder"],
        GALLERY,
    ),
    **dict.fromkeys(["tag", "tags", "topic", "topics", "etiqueta", "etiquetas", "themen"], TAG),
    **dict.fromkeys(
        ["author", "authors", "autor", "autores", "byline", "staff", "profile", "people"], AUTHOR
    ),
    **dict.fromkeys(["search", "buscar", "suche", "busqueda"], SEARCH),
    **dict.fromkeys(
        [
            "section",
            "sections",
            "category",
            "categories",
            "categoria",
            "categorias",
            "rubrik",
            "ressort",
        ],
        SECTION,
    ),
}
# Kinds a segment decides even when the rest of the URL looks like an article: a video page
# under a dated path is still a video, an author's slug is long but still not an article.
_STRONG_KINDS = {VIDEO, GALLERY, TAG, AUTHOR, SEARCH}
_STATIC_PAGES = {
    "about",
    "about-us",
    "contact",
    "contact-us",
    "privacy",
    "privacy-policy",
    "terms",
    "terms-of-use",
    "terms-of-service",
    "impressum",
    "datenschutz",
    "subscribe",
    "newsletter",
    "newsletters",
    "login",
    "signin",
    "register",
    "account",
    "advertise",
    "careers",
    "jobs",
    "cookies",
    "sitemap",
}
# Files that are never HTML articles (by extension of the last path segment).
_FILE_EXTENSIONS = {
    "pdf",
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "svg",
    "mp3",
    "mp4",
    "m4a",
    "mov",
    "webm",
    "zip",
    "gz",
    "xml",
    "rss",
    "atom",
    "json",
    "txt",
    "css",
    "js",
    "ics",
    "doc",
    "docx",
    "xls",
    "xlsx",
}
_SEARCH_PARAMS = {"s", "q", "query", "search"}
_PAGE_PARAMS = {"page", "paged", "p", "pg"}
# /2024/05/02/, /2024/5/2/, /2024/may/02/ (The Guardian), /20240502/.
_DATE_PATH = re.compile(
    r"/(19|20)\d{2}/(0?[1-9]|1[0-2]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(/(0?[1-9]|[12]\d|3[01]))?/"
    r"|/(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/",
    re.IGNORECASE,
)
# A date written into the slug: story-2024-05-02, 2024-05-02-story.
_DATE_IN_SLUG = re.compile(r"(^|[-_])(19|20)\d{2}-\d{2}-\d{2}([-_]|$)")
# Article ids: a run of 5+ digits standing alone or ending a slug (-art-48213, ,12345, .123456).
_NUMERIC_ID = re.compile(r"(^|[-_.,])(?:art-?|a-?|id-?)?\d{5,}$|^\d{5,}$", re.IGNORECASE)
_PAGE_SEGMENT = re.compile(r"^(page|seite|pagina|p)$", re.IGNORECASE)
_WORD_SPLIT = re.compile(r"[-_+]+")


@dataclass(frozen=True)
class UrlDecision:
    """What the classifier made of one URL, and why (the reason is shown in the logs)."""

    kind: str
    reason: str

    @property
    def is_article(self) -> bool:
        """Decided to be an article: fetched, emitted, counted against --max-articles."""
        return self.kind == ARTICLE

    @property
    def is_candidate(self) -> bool:
        """Fetched and handed to extraction (articles, and URLs the shape cannot decide)."""
        return self.kind in (ARTICLE, UNKNOWN)


@dataclass(frozen=True)
class ArticleRules:
    """A site's own URL rules: regular expressions searched in the URL's path and query."""

    allow: Sequence[re.Pattern[str]] = field(default_factory=tuple)
    deny: Sequence[re.Pattern[str]] = field(default_factory=tuple)


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _words(segment: str) -> list[str]:
    return [word for word in _WORD_SPLIT.split(segment) if word]


def _is_long_slug(segment: str) -> bool:
    """A headline turned into a path segment: four words or more, or three long ones."""
    words = _words(segment)
    alphabetic = [w for w in words if any(c.isalpha() for c in w)]
    return len(alphabetic) >= 4 or (len(alphabetic) >= 3 and len(segment) >= 24)


def _segments(path: str) -> list[str]:
    segments = [s for s in path.split("/") if s]
    # An AMP twin is classified as the page it copies: /story/amp/, /story.amp.
    if segments and segments[-1].lower() == "amp":
        segments = segments[:-1]
    if segments:
        last = segments[-1]
        for suffix in (".amp.html", ".html", ".htm", ".php", ".aspx", ".amp"):
            if last.lower().endswith(suffix):
                segments[-1] = last[: -len(suffix)]
                break
    return segments


def classify_by_shape(url: str) -> UrlDecision:
    """The decision from the URL alone (no site rules, no membership)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    raw_segments = [s for s in path.split("/") if s]
    if raw_segments and "." in raw_segments[-1]:
        extension = raw_segments[-1].rsplit(".", 1)[1].lower()
        if extension in _FILE_EXTENSIONS:
            return UrlDecision(FILE, f"a .{extension} file, not a page")
    query = {key.lower(): value for key, value in parse_qsl(parts.query)}
    segments = _segments(path)
    lowered = [s.lower() for s in segments]
    if _SEARCH_PARAMS & query.keys():
        return UrlDecision(SEARCH, "search query parameter")
    if any(key in _PAGE_PARAMS and value.isdigit() for key, value in query.items()):
        return UrlDecision(PAGINATION, "page number parameter")
    for index, segment in enumerate(lowered[:-1]):
        if _PAGE_SEGMENT.match(segment) and lowered[index + 1].isdigit():
            return UrlDecision(PAGINATION, f"/{segment}/{lowered[index + 1]} pagination")
    if not segments:
        return UrlDecision(HOME, "home page (empty path)")
    for segment in lowered:
        kind = _SEGMENT_KINDS.get(segment)
        if kind in _STRONG_KINDS:
            return UrlDecision(kind, f"/{segment}/ in path")
    last = segments[-1]
    dated = _DATE_PATH.search("/" + "/".join(lowered) + "/")
    slug_after_date = len(segments) >= 4 or _is_long_slug(last) or _NUMERIC_ID.search(last)
    if dated and slug_after_date and not _SEGMENT_KINDS.get(lowered[-1]):
        return UrlDecision(ARTICLE, "date in path, then a slug")
    if _DATE_IN_SLUG.search(last):
        return UrlDecision(ARTICLE, "date in slug")
    if _NUMERIC_ID.search(last) or any(_NUMERIC_ID.fullmatch(s) for s in segments[:-1]):
        return UrlDecision(ARTICLE, "numeric article id")
    for segment in lowered:
        if _SEGMENT_KINDS.get(segment) == SECTION:
            return UrlDecision(SECTION, f"/{segment}/ in path")
    if _is_long_slug(last):
        return UrlDecision(ARTICLE, f"long slug ({len(_words(last))} words)")
    if len(segments) == 1 and lowered[0] in _STATIC_PAGES:
        return UrlDecision(STATIC, f"/{lowered[0]} is a site page")
    if len(segments) <= 2 and all(len(_words(s)) <= 2 for s in segments):
        return UrlDecision(SECTION, "short path of one or two words")
    return UrlDecision(UNKNOWN, "shape undecided; extraction will tell")


def classify_url(url: str, source: str = "link", rules: ArticleRules | None = None) -> UrlDecision:
    """Decide whether `url` is an article before fetching it.

    `source` is how it was found: `url`, `sitemap`, `news-sitemap`, `feed` or `link`.
    `rules` are a site profile's allow/deny patterns; when the profile has allow patterns,
    a URL matching none of them is not an article.
    """
    if rules is not None:
        target = _path_and_query(url)
        for pattern in rules.deny:
            if pattern.search(target):
                return UrlDecision(DENIED, f"profile deny pattern {pattern.pattern!r}")
        for pattern in rules.allow:
            if pattern.search(target):
                return UrlDecision(ARTICLE, f"profile allow pattern {pattern.pattern!r}")
    shape = classify_by_shape(url)
    if source == "news-sitemap" and shape.kind not in (FILE, HOME):
        return UrlDecision(ARTICLE, "listed in a Google News sitemap")
    if rules is not None and rules.allow:
        return UrlDecision(NOT_ALLOWED, f"matches no profile allow pattern ({shape.kind} by shape)")
    if source == "feed" and shape.kind in (UNKNOWN, SECTION, STATIC):
        return UrlDecision(ARTICLE, f"listed in a feed ({shape.reason})")
    if source == "url" and shape.kind == UNKNOWN:
        return UrlDecision(ARTICLE, "given on the command line")
    return shape
