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
the generic rules. A profile's shape is `scraper/schema/site-profile.schema.json`; every
problem is a ProfileError whose message is one line naming the file, the key and what is wrong.
"""

from __future__ import annotations

import json
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
from scraper.extract.profile_chrome import SiteChrome, selector_problem


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


@cache
def _profile_validator() -> Any:
    """The validator of `scraper/schema/site-profile.schema.json`; "integer" excludes 1.0,
    which TOML writes only for a float."""
    from jsonschema import Draft202012Validator, validators

    schema = json.loads(
        resources.files("scraper").joinpath("schema/site-profile.schema.json").read_text("utf-8")
    )
    checker = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _, value: isinstance(value, int) and not isinstance(value, bool)
    )
    return validators.extend(Draft202012Validator, type_checker=checker)(schema)


# The order problems are reported in when a profile has several: its keys as a reader meets
# them, and for one key, what the value is before what it says.
_KEY_ORDER = ("", "name", "domains", "language", "title", "sources", "articles", "chrome")
_KEYWORD_ORDER = ("additionalProperties", "required", "type", "minItems", "minLength")
_TYPE_WANTED = {
    "object": "must be a table ([{key}])",
    "string": "must be a non-empty string",
    "array": "must be a list of non-empty strings",
    "number": "must be a number",
    "integer": "must be an integer",
}


def _schema_problem(data: dict[str, Any], raw: dict[str, Any], path: Path) -> ProfileError | None:
    """The first way `data` (`raw` without surrounding spaces) breaks the profile schema, as
    one line naming file, key and problem (the schema's x-missing and x-problem word it), and
    the value as written; None when it holds."""
    errors = list(_profile_validator().iter_errors(data))
    if not errors:
        return None

    def rank(error: Any) -> tuple[int, int, int]:
        top = str(error.absolute_path[0]) if error.absolute_path else ""
        keyword = str(error.validator)
        return (
            _KEY_ORDER.index(top) if top in _KEY_ORDER else len(_KEY_ORDER),
            _KEYWORD_ORDER.index(keyword) if keyword in _KEYWORD_ORDER else len(_KEYWORD_ORDER),
            len(error.absolute_path),
        )

    error = min(errors, key=rank)
    where = [str(part) for part in error.absolute_path if not isinstance(part, int)]
    key, value = ".".join(where), raw
    steps = list(error.absolute_path)
    # An item of a list: the problem is the list's, named by the list's key.
    in_list = bool(steps) and isinstance(steps[-1], int)
    for part in steps[:-1] if in_list else steps:
        value = value[part]
    keyword = error.validator
    if keyword == "additionalProperties":
        allowed = sorted(error.schema["properties"])
        unknown = sorted(set(error.instance) - set(allowed))[0]
        within = f" in [{key}]" if key else ""
        return ProfileError(
            f"{path}: {'.'.join([*where, unknown])}: unknown key "
            f"(allowed{within}: {', '.join(allowed)})"
        )
    if keyword in ("required", "minItems"):
        if keyword == "required":
            missing = next(name for name in error.validator_value if name not in error.instance)
            key, hint = missing, error.schema["properties"][missing].get("x-missing")
        else:
            hint = error.schema.get("x-missing")
        return ProfileError(f"{path}: {key}: missing (required)" + (f": {hint}" if hint else ""))
    if "x-problem" in error.schema:
        problem = error.schema["x-problem"].format(value=error.instance)
    elif keyword == "minimum":
        problem = f"must be at least {error.validator_value}, got {error.instance}"
    else:  # type, minLength: what the value should be
        wanted = "array" if in_list else error.schema.get("type", "string")
        problem = f"{_TYPE_WANTED[wanted].format(key=key)}, got {_type_name(value)}"
    return ProfileError(f"{path}: {key}: {problem}")


def _type_name(value: Any) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    names.update({list: "a list", dict: "a table"})
    return f"{names.get(type(value), type(value).__name__)} ({value!r})"[:80]


def _stripped(value: Any) -> Any:
    """The profile's values without surrounding spaces (a lone space is an empty string)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [_stripped(item) for item in value]
    if isinstance(value, dict):
        return {name: _stripped(item) for name, item in value.items()}
    return value


def _source_urls(values: list[str], label: str, home: str, path: Path) -> tuple[str, ...]:
    urls = []
    for value in values:
        url = urljoin(home, value) if value.startswith("/") else value
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ProfileError(
                f"{path}: {label}: {value!r} is not an http(s) URL or a path starting with /"
            )
        urls.append(url)
    return tuple(urls)


def _patterns(values: list[str], label: str, path: Path) -> tuple[re.Pattern[str], ...]:
    patterns = []
    for value in values:
        try:
            patterns.append(re.compile(value))
        except re.error as error:
            raise ProfileError(
                f"{path}: {label}: bad regular expression {value!r}: {error}"
            ) from error
    return tuple(patterns)


def parse_profile(data: dict[str, Any], path: Path) -> SiteProfile:
    """A SiteProfile from a profile's parsed TOML; raises ProfileError. The shape is the JSON
    Schema's (`scraper/schema/site-profile.schema.json`); what a schema cannot say (a regular
    expression compiles, a selector parses, a source is an http(s) URL) is checked here."""
    raw, data = data, _stripped(data)
    problem = _schema_problem(data, raw, path)
    if problem is not None:
        raise problem
    sources, articles = data.get("sources", {}), data.get("articles", {})
    chrome, politeness = data.get("chrome", {}), data.get("politeness", {})
    for selector in chrome.get("drop", []):
        selector_error = selector_problem(selector)
        if selector_error:
            raise ProfileError(f"{path}: chrome.drop: {selector_error}")
    drop_lines = chrome.get("drop_lines", [])
    _patterns(drop_lines, "chrome.drop_lines", path)
    home = f"https://{data['domains'][0]}/"

    def urls(name: str) -> tuple[str, ...]:
        return _source_urls(sources.get(name, []), f"sources.{name}", home, path)

    return SiteProfile(
        name=data["name"],
        title=data.get("title") or data["name"],
        domains=tuple(domain.lower() for domain in data["domains"]),
        path=path,
        language=data.get("language"),
        start_urls=urls("start_urls") or (home,),
        sitemaps=urls("sitemaps"),
        feeds=urls("feeds"),
        allow=_patterns(articles.get("allow", []), "articles.allow", path),
        deny=_patterns(articles.get("deny", []), "articles.deny", path),
        drop_selectors=tuple(chrome.get("drop", [])),
        drop_lines=tuple(drop_lines),
        politeness=Politeness(
            download_delay=politeness.get("download_delay"),
            concurrency=politeness.get("concurrency"),
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
