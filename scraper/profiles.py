"""Site profiles: one small TOML file per newspaper, usable without writing Python.

    name = "sanjuandailystar"
    title = "The San Juan Daily Star"
    domains = ["sanjuandailystar.com"]
    language = "en"

    [sources]
    start_urls = ["https://www.sanjuandailystar.com/"]
    sitemaps = ["/blog-posts-sitemap.xml"]     # absolute, or a path on the first domain
    feeds = []

    [articles]                                  # regexes searched in the URL's path and query
    allow = ['^/post/[^/]+$']
    deny = []

    [chrome]                                    # CSS, or XPath starting with / or (
    drop = ['[data-hook="recent-posts"]']
    drop_lines = ['Fehler gefunden\\? ?Jetzt melden\\.?']   # this site's own wording, whole lines

    [politeness]                                # overrides for this site, logged at start
    download_delay = 1.0
    concurrency = 2

Bundled profiles live in `scraper/sites/*.toml` (`newsscrape sites` lists them); `--site NAME`
picks one, `--site path/to/file.toml` reads the user's own. Extraction applies the chrome of the
bundled profile whose domains hold the page's host to every page of that site, whatever the
path (`get`, `extract`, crawls, the Python API): one outlet's wording lives there, never in
the generic rules. Every problem is a ProfileError
whose message is one line naming the file, the key and what is wrong.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from scraper.classify import ArticleRules
from scraper.extract.site_chrome import SiteChrome, selector_problem

_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"
)
_LANGUAGE = re.compile(r"^[a-z]{2}$")


class ProfileError(ValueError):
    """A site profile that cannot be used; the message is one line: file, key, problem."""


@dataclass(frozen=True)
class Politeness:
    """A site's own pace: seconds between requests and requests at a time (None: default)."""

    download_delay: float | None = None
    concurrency: int | None = None


@dataclass(frozen=True)
class SiteProfile:
    """One newspaper: where its articles are listed and how its article URLs look."""

    name: str
    domains: tuple[str, ...]
    path: Path
    title: str = ""
    language: str | None = None
    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    allow: tuple[re.Pattern[str], ...] = ()
    deny: tuple[re.Pattern[str], ...] = ()
    drop_selectors: tuple[str, ...] = ()
    # Whole-paragraph regexes (case-insensitive) of this site's own chrome wording.
    drop_lines: tuple[str, ...] = ()
    politeness: Politeness = field(default_factory=Politeness)

    @property
    def chrome(self) -> SiteChrome:
        """What extraction removes from this site's pages."""
        return SiteChrome(self.name, self.drop_selectors, self.drop_lines)

    @property
    def rules(self) -> ArticleRules:
        """The URL rules for the classifier."""
        return ArticleRules(allow=self.allow, deny=self.deny)

    @property
    def sources(self) -> list[str]:
        """Where discovery starts, for listings: sitemaps, feeds, start URLs."""
        return [*self.sitemaps, *self.feeds, *self.start_urls]

    def rebased(self, origin_url: str) -> SiteProfile:
        """The same profile pointed at another origin (a mirror, a local copy): every source
        keeps its path, and the origin's host joins the domains."""
        origin = urlsplit(origin_url)

        def move(url: str) -> str:
            parts = urlsplit(url)
            return urlunsplit((origin.scheme, origin.netloc, parts.path, parts.query, ""))

        host = origin.hostname or ""
        return replace(
            self,
            start_urls=tuple(move(u) for u in self.start_urls) or (origin_url,),
            sitemaps=tuple(move(u) for u in self.sitemaps),
            feeds=tuple(move(u) for u in self.feeds),
            domains=(*self.domains, host) if host and host not in self.domains else self.domains,
        )


# Every key a profile may have: top-level keys and the keys of each table.
_TOP_KEYS = {"name", "title", "domains", "language", "sources", "articles", "chrome", "politeness"}
_TABLE_KEYS = {
    "sources": {"start_urls", "sitemaps", "feeds"},
    "articles": {"allow", "deny"},
    "chrome": {"drop", "drop_lines"},
    "politeness": {"download_delay", "concurrency"},
}


class _Reader:
    """Reads one profile's values, raising ProfileError naming the file and key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, key: str, problem: str) -> ProfileError:
        return ProfileError(f"{self.path}: {key}: {problem}")

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, f"must be a table ([{key}]), got {_type_name(value)}")
        unknown = sorted(set(value) - _TABLE_KEYS[key])
        if unknown:
            allowed = ", ".join(sorted(_TABLE_KEYS[key]))
            raise self.error(f"{key}.{unknown[0]}", f"unknown key (allowed in [{key}]: {allowed})")
        return value

    def string(self, data: dict[str, Any], key: str, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                raise self.error(key, "missing (required)")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"must be a non-empty string, got {_type_name(value)}")
        return value.strip()

    def strings(self, data: dict[str, Any], key: str, label: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(label, f"must be a list of non-empty strings, got {_type_name(value)}")
        return [v.strip() for v in value]

    def number(self, data: dict[str, Any], key: str, label: str, integer: bool) -> Any:
        value = data.get(key)
        if value is None:
            return None
        wanted = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, wanted):
            kind = "an integer" if integer else "a number"
            raise self.error(label, f"must be {kind}, got {_type_name(value)}")
        if value < (1 if integer else 0):
            raise self.error(label, f"must be at least {1 if integer else 0}, got {value}")
        return value


def _type_name(value: Any) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    names.update({list: "a list", dict: "a table"})
    return f"{names.get(type(value), type(value).__name__)} ({value!r})"[:80]


def _source_urls(reader: _Reader, values: list[str], label: str, home: str) -> tuple[str, ...]:
    urls = []
    for value in values:
        url = urljoin(home, value) if value.startswith("/") else value
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise reader.error(label, f"{value!r} is not an http(s) URL or a path starting with /")
        urls.append(url)
    return tuple(urls)


def _patterns(reader: _Reader, values: list[str], label: str) -> tuple[re.Pattern[str], ...]:
    patterns = []
    for value in values:
        try:
            patterns.append(re.compile(value))
        except re.error as error:
            raise reader.error(label, f"bad regular expression {value!r}: {error}") from error
    return tuple(patterns)


def parse_profile(data: dict[str, Any], path: Path) -> SiteProfile:
    """A SiteProfile from a profile's parsed TOML; raises ProfileError."""
    reader = _Reader(path)
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise reader.error(unknown[0], f"unknown key (allowed: {', '.join(sorted(_TOP_KEYS))})")
    name = reader.string(data, "name", required=True) or ""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        raise reader.error("name", f"{name!r} must be lower case letters, digits, - or _")
    domains = reader.strings(data, "domains", "domains")
    if not domains:
        raise reader.error("domains", "missing (required): the site's host names")
    for domain in domains:
        if not _HOSTNAME.match(domain.lower()):
            raise reader.error("domains", f"{domain!r} is not a host name (no scheme, no path)")
    language = reader.string(data, "language")
    if language is not None and not _LANGUAGE.match(language):
        raise reader.error("language", f"{language!r} is not an ISO 639-1 code such as 'en'")
    sources = reader.table(data, "sources")
    home = f"https://{domains[0]}/"
    articles = reader.table(data, "articles")
    chrome = reader.table(data, "chrome")
    drop = reader.strings(chrome, "drop", "chrome.drop")
    for selector in drop:
        problem = selector_problem(selector)
        if problem:
            raise reader.error("chrome.drop", problem)
    drop_lines = reader.strings(chrome, "drop_lines", "chrome.drop_lines")
    _patterns(reader, drop_lines, "chrome.drop_lines")
    politeness = reader.table(data, "politeness")
    return SiteProfile(
        name=name,
        title=reader.string(data, "title") or name,
        domains=tuple(d.lower() for d in domains),
        path=path,
        language=language,
        start_urls=_source_urls(
            reader,
            reader.strings(sources, "start_urls", "sources.start_urls"),
            "sources.start_urls",
            home,
        )
        or (home,),
        sitemaps=_source_urls(
            reader,
            reader.strings(sources, "sitemaps", "sources.sitemaps"),
            "sources.sitemaps",
            home,
        ),
        feeds=_source_urls(
            reader, reader.strings(sources, "feeds", "sources.feeds"), "sources.feeds", home
        ),
        allow=_patterns(
            reader, reader.strings(articles, "allow", "articles.allow"), "articles.allow"
        ),
        deny=_patterns(reader, reader.strings(articles, "deny", "articles.deny"), "articles.deny"),
        drop_selectors=tuple(drop),
        drop_lines=tuple(drop_lines),
        politeness=Politeness(
            download_delay=reader.number(
                politeness, "download_delay", "politeness.download_delay", integer=False
            ),
            concurrency=reader.number(
                politeness, "concurrency", "politeness.concurrency", integer=True
            ),
        ),
    )


def load_profile(path: str | Path) -> SiteProfile:
    """Read and validate one profile file; raises ProfileError (one line) on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ProfileError(f"{path}: no such profile file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ProfileError(f"{path}: cannot read: {error}") from error
    return _parse_text(text, path)


def _parse_text(text: str, path: Path) -> SiteProfile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{path}: not valid TOML: {error}") from error
    return parse_profile(data, path)


def _bundled_entries() -> list[Traversable]:
    folder = resources.files("scraper") / "sites"
    return sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".toml")),
        key=lambda entry: entry.name,
    )


def bundled_profile_paths() -> list[Path]:
    """The profile files shipped in the package (scraper/sites/*.toml), by name."""
    return [Path(str(entry)) for entry in _bundled_entries()]


def bundled_profiles() -> list[SiteProfile]:
    """Every bundled profile, validated. Read through the package's resources, so that a
    zipped install (a Scrapyd egg) reads them too."""
    return [
        _parse_text(entry.read_text(encoding="utf-8"), Path("scraper/sites") / entry.name)
        for entry in _bundled_entries()
    ]


@cache
def _bundled_by_domain() -> dict[str, SiteProfile]:
    return {domain: profile for profile in bundled_profiles() for domain in profile.domains}


def profile_for_url(url: str | None) -> SiteProfile | None:
    """The bundled profile of the site `url` belongs to (its host or a parent domain is one of
    the profile's domains), or None."""
    host = (urlsplit(url or "").hostname or "").lower()
    by_domain = _bundled_by_domain()
    while host:
        if host in by_domain:
            return by_domain[host]
        host = host.partition(".")[2]
    return None


def find_profile(name_or_path: str) -> SiteProfile:
    """`--site`: a bundled profile's name, or the path of a profile file."""
    looks_like_path = name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path
    if looks_like_path:
        return load_profile(name_or_path)
    for entry in _bundled_entries():
        if entry.name.removesuffix(".toml") == name_or_path:
            return _parse_text(entry.read_text(encoding="utf-8"), Path(str(entry)))
    names = ", ".join(path.stem for path in bundled_profile_paths())
    raise ProfileError(
        f"--site {name_or_path}: no bundled profile of that name (bundled: {names}); "
        "give a path ending in .toml for your own"
    )
