"""The article-URL classifier: URL shapes, listing membership and a profile's own rules."""

from __future__ import annotations

import re

import pytest

from scraper.classify import ArticleRules, classify_url

SHAPES = [
    # Articles: dates in the path, long slugs, numeric ids, AMP twins.
    ("https://paper.example/2024/05/02/council-approves-harbor-plan/", "article"),
    ("https://paper.example/2024/05/02/council-approves-harbor-plan/amp/", "article"),
    ("https://paper.example/news/2024/5/2/short-story", "article"),
    ("https://paper.example/world/2024/may/02/guardian-style-dated-slug", "article"),
    ("https://paper.example/archive/2009/07/15/denia-fiesta-fireworks.html", "article"),
    ("https://paper.example/2024/05/02/1248812345/npr-style-id-and-slug", "article"),
    (
        "https://paper.example/post/a-season-with-the-pitch-clock-has-changed-how-baseball-feels",
        "article",
    ),
    (
        "https://paper.example/news/local/county-opens-cooling-centers-as-heat-advisory-extends",
        "article",
    ),
    ("https://paper.example/lokales/pirna/neue-radbruecke-soll-fertig-werden-art-48213", "article"),
    ("https://paper.example/news/world-europe-68123456", "article"),
    ("https://paper.example/story/flood-warning-2024-05-02", "article"),
    # Not articles.
    ("https://paper.example/", "home"),
    ("https://paper.example/section/politics/", "section"),
    ("https://paper.example/category/sport", "section"),
    ("https://paper.example/news", "section"),
    ("https://paper.example/news/local", "section"),
    ("https://paper.example/tag/council/", "tag"),
    ("https://paper.example/topics/climate-change-and-the-city-budget", "tag"),
    ("https://paper.example/author/ana-alvarez/", "author"),
    ("https://paper.example/staff/jonas-maria-de-la-fischer-garcia", "author"),
    ("https://paper.example/video/0/", "video"),
    ("https://paper.example/video/2024/05/02/watch-the-ferry-launch-in-full", "video"),
    ("https://paper.example/gallery/1/", "gallery"),
    ("https://paper.example/photos/festival-in-pictures-from-the-old-town", "gallery"),
    ("https://paper.example/search?q=ferry", "search"),
    ("https://paper.example/?s=ferry", "search"),
    ("https://paper.example/section/politics/page/2/", "pagination"),
    ("https://paper.example/politics?page=3", "pagination"),
    ("https://paper.example/about/", "static"),
    ("https://paper.example/files/annual-report-2023-final-version.pdf", "file"),
    ("https://paper.example/feed.xml", "file"),
    ("https://paper.example/x7/qz", "section"),
    ("https://paper.example/news/articles/c4nn0rxyz1po", "unknown"),
]


@pytest.mark.parametrize(("url", "kind"), SHAPES)
def test_url_shapes(url: str, kind: str) -> None:
    decision = classify_url(url)
    assert decision.kind == kind, decision.reason
    assert decision.reason  # every decision says why
    assert decision.is_article == (kind == "article")
    assert decision.is_candidate == (kind in ("article", "unknown"))


def test_news_sitemap_membership_makes_an_article() -> None:
    url = "https://paper.example/news/articles/c4nn0rxyz1po"
    assert classify_url(url, "sitemap").kind == "unknown"
    decision = classify_url(url, "news-sitemap")
    assert decision.kind == "article" and "Google News sitemap" in decision.reason
    # Even a short path: the news sitemap format lists articles only.
    assert classify_url("https://paper.example/ferry", "news-sitemap").is_article
    # But never a file or the home page.
    assert not classify_url("https://paper.example/", "news-sitemap").is_article


def test_feed_membership_promotes_undecided_urls_only() -> None:
    assert classify_url("https://paper.example/ferry-resumes", "feed").kind == "article"
    assert classify_url("https://paper.example/news/articles/c4nn0rxyz1po", "feed").is_article
    # A feed may carry videos and galleries; their shape still tells.
    assert classify_url("https://paper.example/video/ferry-launch", "feed").kind == "video"


def test_profile_rules_come_first() -> None:
    rules = ArticleRules(
        allow=(re.compile(r"^/post/[^/]+$"),), deny=(re.compile(r"^/post/sponsored-"),)
    )
    allowed = classify_url("https://paper.example/post/ferry", "link", rules)
    assert allowed.kind == "article" and "allow pattern" in allowed.reason
    denied = classify_url("https://paper.example/post/sponsored-cruise-deals", "link", rules)
    assert denied.kind == "denied" and not denied.is_candidate
    # With allow patterns, anything else is not an article, whatever its shape.
    other = classify_url("https://paper.example/2024/05/02/council-approves-plan/", "link", rules)
    assert other.kind == "not-allowed" and "article by shape" in other.reason
    # Deny beats a news sitemap too.
    sponsored = "https://paper.example/post/sponsored-x"
    assert classify_url(sponsored, "news-sitemap", rules).kind == "denied"
    # Rules read the path and query, so they hold on any origin (a mirror, a local copy).
    assert classify_url("http://127.0.0.1:8000/post/ferry", "link", rules).is_article
