"""Site profiles: every bundled profile against its golden pages, validation, `newsscrape sites`.

Golden pages live in fixtures/profiles/<name>/pages.json: the URLs the profile must and must
not take for articles, and saved pages with the record a careful reader expects of them once
the profile's chrome selectors are applied. The San Juan Daily Star's pages are the bundled
newspaper's Wix posts, checked against fixtures/checks.json.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from scraper.classify import classify_url
from scraper.extract import analyse_page, build_record, explain_article, extract_article
from scraper.extract.profile_chrome import compiled
from scraper.localsite import LocalSite
from scraper.profiles import (
    ProfileError,
    SiteProfile,
    bundled_profile_paths,
    bundled_profiles,
    find_profile,
    load_profile,
)
from tests.conftest import CHECKS, FAST, ROOT, SITE, jsonl, run_cli

GOLDEN = ROOT / "fixtures" / "profiles"
PROFILES = {profile.name: profile for profile in bundled_profiles()}


def _golden(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLDEN / name / "pages.json").read_text(encoding="utf-8"))
    return data


def _pages(name: str) -> list[tuple[str, Path, dict[str, Any]]]:
    """(url, saved page, expectations) of one profile's golden pages."""
    golden, origin = _golden(name), "https://" + PROFILES[name].domains[0].join(["www.", ""])
    pages = [(p["url"], GOLDEN / name / p["file"], p) for p in golden.get("pages", [])]
    for path in golden.get("site_pages", []):
        pages.append((origin + path, SITE / (path.lstrip("/") + ".html"), CHECKS[path]))
    return pages


GOLDEN_PAGES = [
    pytest.param(name, url, page, expected, id=f"{name}:{page.name}")
    for name in sorted(PROFILES)
    for url, page, expected in _pages(name)
]


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_every_bundled_profile_has_golden_pages() -> None:
    assert len(PROFILES) >= 5 and "sanjuandailystar" in PROFILES
    for path in bundled_profile_paths():
        assert load_profile(path).name == path.stem, "a profile file is named after its profile"
        assert _pages(path.stem), f"{path.stem} has no golden pages in {GOLDEN / path.stem}"


@pytest.mark.parametrize(("name", "url", "page", "expected"), GOLDEN_PAGES)
def test_profile_golden_page(name: str, url: str, page: Path, expected: dict[str, Any]) -> None:
    profile = PROFILES[name]
    decision = classify_url(url, "link", profile.rules)
    assert decision.is_article, decision.reason
    record = build_record(
        analyse_page(page.read_bytes(), url, "text/html", site_chrome=profile.chrome)
    )
    assert record.title == expected["title"]
    assert record.authors == expected["authors"]
    assert (record.published or "")[:10] == expected["published_day"]
    paragraphs = record.text.split("\n\n")
    assert _norm(paragraphs[0]) == _norm(expected["first_paragraph"])
    assert _norm(paragraphs[-1]) == _norm(expected["last_paragraph"])
    text = _norm(record.text)
    assert [s for s in expected.get("with", []) if _norm(s) not in text] == []
    lines = {_norm(line).casefold() for line in paragraphs}
    leaked = [
        s for s in expected.get("without", []) if _norm(s) in text or _norm(s).casefold() in lines
    ]
    assert leaked == [], f"body keeps chrome {leaked}"


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_profile_url_rules(name: str) -> None:
    rules = PROFILES[name].rules
    urls = _golden(name)["urls"]
    wrong = [u for u in urls["article"] if not classify_url(u, "link", rules).is_article]
    wrong += [u for u in urls["not_article"] if classify_url(u, "link", rules).is_candidate]
    assert wrong == []


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_profile_chrome_selectors_match_its_pages(name: str) -> None:
    """A selector that matches none of a profile's golden pages is dead weight or a typo."""
    trees = [lxml.html.document_fromstring(page.read_bytes()) for _, page, _ in _pages(name)]
    for selector in PROFILES[name].drop_selectors:
        assert any(compiled(selector)(tree) for tree in trees), f"{selector} matches nothing"


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_profile_drop_lines_each_remove_a_line_of_its_pages(name: str) -> None:
    """A line pattern that none of a profile's golden pages shows is dead weight or a typo."""
    patterns = [re.compile(rf"^\s*(?:{p})\s*$", re.IGNORECASE) for p in PROFILES[name].drop_lines]
    removed: list[str] = []
    for url, page, _ in _pages(name):
        explanation = explain_article(page.read_bytes(), url, "text/html")
        assert explanation.record is not None
        lines = [d.subject for d in explanation.decisions if d.rule == f"profile.{name}"]
        assert not [line for line in lines if line in explanation.record.text]
        # A line a generic rule removed first still proves the pattern matches the site's
        # pages: the profile keeps it for the pages where that rule does not reach.
        removed += [d.subject for d in explanation.decisions if d.action == "removed"]
    unused = [p.pattern for p in patterns if not any(p.match(line) for line in removed)]
    assert unused == [], f"drop_lines that remove nothing from {name}'s golden pages"


def test_the_bundled_profile_of_a_page_applies_on_every_path(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Hafen</title></head><body><article><h1>Der Hafen wird saniert</h1>"
        + "".join(
            f"<p>Die Stadt saniert den alten Hafen, Abschnitt {n}. Die Arbeiten dauern zwei "
            "Jahre und kosten viele Millionen Franken, wie der Stadtrat am Dienstag mitteilte.</p>"
            for n in range(1, 5)
        )
        + "<p>Fehler gefunden? Jetzt melden.</p></article></body></html>"
    )
    profile = tmp_path / "paper.toml"
    profile.write_text(
        VALID + "[chrome]\ndrop_lines = ['Fehler gefunden\\? ?Jetzt melden\\.?']\n",
        encoding="utf-8",
    )
    chrome = load_profile(profile).chrome
    record = extract_article(page, "https://www.paper.example/a/1", site_chrome=chrome)
    assert record is not None and "Fehler gefunden" not in record.text
    # Without the profile, the generic rules leave one outlet's wording alone.
    record = extract_article(page, "https://other.example/a/1")
    assert record is not None and "Fehler gefunden? Jetzt melden." in record.text


# --- Validation: one line naming file, key and problem.

VALID = 'name = "paper"\ndomains = ["paper.example"]\n'
BROKEN = [
    ('name = "paper"\n', "domains", "missing"),
    (VALID + 'colour = "blue"\n', "colour", "unknown key"),
    (VALID + "[sources]\nsitemap = []\n", "sources.sitemap", "unknown key"),
    (VALID + "[articles]\nallow = ['^/post/(']\n", "articles.allow", "bad regular expression"),
    (VALID + "[articles]\nallow = '^/post/'\n", "articles.allow", "list of non-empty strings"),
    (VALID + "[chrome]\ndrop = ['div[[[']\n", "chrome.drop", "invalid CSS selector"),
    (VALID + "[chrome]\ndrop = ['//div[@']\n", "chrome.drop", "invalid XPath"),
    (VALID + "[chrome]\ndrop_lines = ['Jetzt (melden']\n", "chrome.drop_lines", "bad regular"),
    (VALID + '[politeness]\ndownload_delay = "fast"\n', "politeness.download_delay", "number"),
    (VALID + "[politeness]\nconcurrency = 0\n", "politeness.concurrency", "at least 1"),
    (VALID + "[politeness]\nconcurrency = 1.5\n", "politeness.concurrency", "integer"),
    (VALID + 'language = "English"\n', "language", "ISO 639-1"),
    (VALID + '[sources]\nfeeds = ["ftp://paper.example/feed"]\n', "sources.feeds", "http(s)"),
    ('name = "Paper Daily"\ndomains = ["paper.example"]\n', "name", "lower case"),
    ('name = "paper"\ndomains = ["https://paper.example/"]\n', "domains", "not a host name"),
    ('name = "paper"\ndomains = ["paper.example"\n', "not valid TOML", ""),
    (VALID + "sources = 3\n", "sources", "must be a table"),
]


@pytest.mark.parametrize(("text", "key", "problem"), BROKEN)
def test_validation_errors_are_one_clear_line(
    tmp_path: Path, text: str, key: str, problem: str
) -> None:
    path = tmp_path / "paper.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as raised:
        load_profile(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {key}") and problem in message, message


def test_a_valid_profile_and_its_defaults(tmp_path: Path) -> None:
    path = tmp_path / "paper.toml"
    path.write_text(VALID + '[sources]\nsitemaps = ["/news-sitemap.xml"]\n', encoding="utf-8")
    profile = find_profile(str(path))
    assert profile.start_urls == ("https://paper.example/",)
    assert profile.sitemaps == ("https://paper.example/news-sitemap.xml",)
    moved = profile.rebased("http://127.0.0.1:8000/")
    assert moved.sitemaps == ("http://127.0.0.1:8000/news-sitemap.xml",)
    assert "127.0.0.1" in moved.domains
    with pytest.raises(ProfileError, match="no bundled profile of that name"):
        find_profile("no-such-paper")


def test_cli_refuses_a_broken_profile(tmp_path: Path) -> None:
    path = tmp_path / "paper.toml"
    path.write_text(VALID + "[articles]\ndeny = ['(unclosed']\n", encoding="utf-8")
    result = run_cli("crawl", "--site", str(path))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert lines == [
        f"newsscrape crawl: error: {path}: articles.deny: bad regular expression "
        "'(unclosed': missing ), unterminated subpattern at position 0"
    ]
    checked = run_cli("sites", "--check", str(path))
    assert checked.returncode == 2 and len(checked.stderr.decode().strip().splitlines()) == 1


def test_sites_lists_bundled_profiles() -> None:
    result = run_cli("sites")
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    for profile in PROFILES.values():
        assert profile.name in out and profile.title in out
        assert ", ".join(profile.domains) in out
    assert "https://www.sanjuandailystar.com/blog-posts-sitemap.xml" in out
    assert "https://feeds.bbci.co.uk/news/rss.xml" in out


def test_crawl_with_the_san_juan_profile_on_a_local_copy(tmp_path: Path) -> None:
    """The bundled profile pointed at a copy of the bundled newspaper: its Wix blog sitemap
    and feed list the posts and a section page; only /post/ pages are articles."""
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    posts = _golden("sanjuandailystar")["site_pages"]
    listed = [
        *posts,
        "/blog",
        "/tribune/post/ferry-service-between-st-thomas-and-st-john-resumes-after-three-week-suspension",
    ]
    (root / "blog-posts-sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>__ORIGIN__{p}</loc></url>" for p in listed)
        + "</urlset>\n",
        encoding="utf-8",
    )
    (root / "blog-feed.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Star</title>'
        f"<item><title>Post</title><link>__ORIGIN__{posts[0]}</link></item></channel></rss>",
        encoding="utf-8",
    )
    out = tmp_path / "star.jsonl"
    with LocalSite(root) as site:
        result = run_cli(
            "crawl",
            site.url + "/",
            "--site",
            "sanjuandailystar",
            "--depth",
            "0",
            "--no-state",
            "--workers",
            "0",
            "-o",
            str(out),
            *FAST,
        )
        origin = site.url
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr[-3000:]
    records = jsonl(out.read_bytes())
    assert sorted(r["url"].removeprefix(origin) for r in records) == sorted(posts)
    assert "site profile sanjuandailystar sets CONCURRENT_REQUESTS_PER_DOMAIN=2" in stderr
    assert "asks DOWNLOAD_DELAY=1.0; this run's DOWNLOAD_DELAY=0 wins" in stderr
    by_url = {r["url"].removeprefix(origin): r for r in records}
    assert by_url[posts[0]]["source"] in ("sitemap", "feed")


def test_profiles_are_frozen_values() -> None:
    profile: SiteProfile = PROFILES["sanjuandailystar"]
    with pytest.raises(AttributeError):
        profile.name = "other"  # type: ignore[misc]
