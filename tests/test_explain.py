"""Every removal and choice has a name that a trace prints (`explain_article`)."""

from __future__ import annotations

import logging

import pytest

from scraper.extract import explain_article, extract_article
from scraper.extract.chrome_lines import LINE_RULES, chrome_line_rule
from tests.conftest import SITE

SAN_JUAN = (
    SITE
    / "post"
    / "us-kenyan-and-haitian-officials-meet-on-sidelines-to-discuss-security-mission-to-haiti.html"
)
URL = "https://www.sanjuandailystar.com/post/us-kenyan-and-haitian-officials-meet"


def test_the_wix_page_names_each_removal_and_choice() -> None:
    explanation = explain_article(SAN_JUAN.read_bytes(), URL)
    assert explanation.record is not None and explanation.reason is None
    rules = {(d.stage, d.action, d.rule) for d in explanation.decisions}
    removed = {d.subject: d.rule for d in explanation.decisions if d.action == "removed"}
    # The naive dump's chrome, each removed by a named rule: the Wix post header as markup,
    # the footer by the site's own profile (applied to the site's pages on every path), the
    # byline as a line (its names became the authors).
    assert removed["Writer's pictureThe San Juan Daily StarSep 22, 20232 min read"] == (
        "never-text.wix-widget"
    )
    assert removed["Caribbean84 views0 commentsPost not marked as liked"] == (
        'profile-chrome [data-hook="post-footer"]'
    )
    assert removed["By Frances Robles"] == "byline"
    assert all(subject.strip() for subject in removed)
    assert ("kind", "chose", "article") in rules
    assert ("authors", "chose", "byline") in rules
    headline = next(d for d in explanation.decisions if d.stage == "headline")
    assert headline.subject == explanation.record.title
    # The record is the one extract_article gives.
    assert explanation.record == extract_article(SAN_JUAN.read_bytes(), URL)


def test_a_page_without_a_record_says_why() -> None:
    explanation = explain_article(b"<html><body><nav>Home</nav></body></html>", URL)
    assert explanation.record is None
    assert explanation.reason == "no article text found"


def test_decisions_are_logged_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="scraper.extract"):
        extract_article(SAN_JUAN.read_bytes(), URL)
    assert any("removed  byline: By Frances Robles" in r.getMessage() for r in caplog.records)


def test_every_line_rule_has_a_unique_name_and_names_its_matches() -> None:
    names = [rule.name for rule in LINE_RULES]
    assert len(names) == len(set(names))
    assert chrome_line_rule("Share") == "share.button-label"
    assert chrome_line_rule("(dpa/red)") == "credits.desk-letters"
    assert chrome_line_rule("The council met on Tuesday to discuss the budget.") is None
