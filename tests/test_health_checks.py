"""The health checks over a generated run history, no crawl: eight weeks of one site's runs
every three hours with ordinary variation (nights, a quiet weekend, wire copy without
bylines, briefs beside long reads, a few failed fetches, a feed that lists only the newest
entries, links that now and then find an unlisted article) raise no alert, and each kind of
breakage raises its own alert, naming the site and the figure in words."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scraper.health.checks import (
    CHANCE,
    MIN_HISTORY,
    Alert,
    binomial_tail,
    check_run,
)
from scraper.health.metrics import RunHealth, SiteTally, median
from scraper.health.store import SQLiteHealthStore, StoredRun

SITE = "paper.example"
START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
EVERY = timedelta(hours=3)
WINDOW = 10  # NEWSSCRAPE_HEALTH_RUNS' default


def new_articles(rng: random.Random, when: datetime) -> int:
    """Articles a site publishes in three hours: about 4 an hour by day on weekdays, a
    trickle at night, less on Saturday and a third on Sunday."""
    per_hour = 4.0 if 7 <= when.hour < 22 else 0.5
    per_hour *= {5: 0.6, 6: 0.35}.get(when.weekday(), 1.0)
    expected = per_hour * EVERY.total_seconds() / 3600
    # Poisson, by Knuth's method (expected is small).
    limit, count, product = math.exp(-expected), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def record(rng: random.Random) -> dict[str, object]:
    """One ordinary article: 12% wire copy without a byline, a rare missing date, lengths
    log-normal around 450 words (sigma 0.8: 90-word briefs beside 2,000-word reads), 5%
    behind the paywall."""
    return {
        "title": "A headline",
        "authors": ["A. Reporter"] if rng.random() > 0.12 else [],
        "published": "2026-03-02" if rng.random() > 0.03 else None,
        "word_count": max(20, int(rng.lognormvariate(math.log(450), 0.8))),
        "paywalled": rng.random() < 0.05,
    }


def run_row(
    rng: random.Random,
    number: int,
    when: datetime,
    published: list[int],
    make_record: Callable[[random.Random], dict[str, object]] = record,
) -> RunHealth:
    """One scheduled run (`--since 2d`: it sees the last 48 hours' articles; the earlier
    ones it saw before are unchanged)."""
    tally = SiteTally()
    new = published[-1]
    for index in range(new):
        tally.add_record(f"new-{number}-{index}", make_record(rng))
    seen_before = sum(published[-16:-1])  # 48 hours = 16 runs
    for index in range(seen_before):
        tally.add_unchanged(f"old-{number}-{index}")
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3, 4])):  # a few failed fetches
        tally.add_failure("fetch: HTTP 404")
    if rng.random() < 0.05:  # now and then the server is slow for a moment
        for _ in range(rng.randint(1, 4)):
            tally.add_failure("fetch: timeout")
    for _ in range(rng.choice([0, 0, 0, 1, 2])):  # a listing page among the articles
        tally.add_not_article()
    listed = [f"u{i}" for i in range(seen_before + new)]
    tally.add_listed("sitemap", listed)
    tally.add_listed("feed", listed[-30:])  # the feed lists the 30 newest
    tally.add_listed("link", [f"l{i}" for i in range(rng.choice([0, 0, 1, 2]))])
    return tally.row(SITE, f"run-{number:04d}", (when + timedelta(minutes=7)).isoformat())


def history(seed: int, weeks: int = 8) -> list[RunHealth]:
    rng = random.Random(seed)
    rows, published = [], []
    for number in range(weeks * 7 * 8):
        when = START + number * EVERY
        published.append(new_articles(rng, when))
        rows.append(run_row(rng, number, when, published))
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_eight_weeks_of_ordinary_runs_raise_no_alert(seed: int) -> None:
    rows = history(seed)
    raised = []
    for index, row in enumerate(rows):
        result = check_run(row, rows[max(0, index - WINDOW) : index])
        raised += [f"{row.time}: {alert.message}" for alert in result.alerts]
        if index >= MIN_HISTORY:
            assert result.compared == min(index, WINDOW)
    assert raised == []
    # The history is ordinary in the ways the thresholds must tolerate.
    sundays = [r.written for r in rows if datetime.fromisoformat(r.time).weekday() == 6]
    weekdays = [r.written for r in rows if datetime.fromisoformat(r.time).weekday() < 5]
    assert sum(sundays) / len(sundays) < 0.4 * sum(weekdays) / len(weekdays)
    assert sum(r.records < 5 for r in rows) > len(rows) / 3  # many quiet runs
    assert max(r.failures.get("fetch: HTTP 404", 0) for r in rows) == 4
    assert {r.sources["link"] for r in rows} >= {0, 1, 2}


def _broken_run(
    rows: list[RunHealth], change: Callable[[RunHealth], None], at: int = 300
) -> list[Alert]:
    """The alerts of the run after `rows[at - 1]`, a weekday afternoon's, with a change."""
    rng = random.Random(at)
    row = run_row(rng, at, START + at * EVERY, [12] * 16)
    change(row)
    return check_run(row, rows[at - WINDOW : at]).alerts


def _only(alerts: list[Alert]) -> dict[str, Alert]:
    return {alert.metric: alert for alert in alerts}


def test_bylines_gone() -> None:
    rows = history(7)

    def no_authors(row: RunHealth) -> None:
        row.authors = 0

    alerts = _only(_broken_run(rows, no_authors))
    assert list(alerts) == ["coverage/authors"]
    alert = alerts["coverage/authors"]
    assert alert.now == 0 and 0.8 < alert.usual < 0.95
    assert alert.message.startswith(f"{SITE}: records with authors fell to 0% (0 of 12), usually 8")


def test_sitemap_and_feed_empty_while_links_still_lead_to_articles() -> None:
    rows = history(7)

    def listings_empty(row: RunHealth) -> None:
        row.sources = {"sitemap": 0, "feed": 0, "link": row.articles_seen}

    alerts = _only(_broken_run(rows, listings_empty))
    assert sorted(alerts) == ["sources/feed", "sources/sitemap"]
    assert alerts["sources/feed"].usual == 30
    assert "its sitemaps listed no article, usually" in alerts["sources/sitemap"].message


def test_articles_turned_into_javascript_shells() -> None:
    rows = history(7)

    def shells(row: RunHealth) -> None:
        row.not_articles, row.written, row.records = 12, 0, 0
        row.headline = row.authors = row.published = row.paywalled = 0
        row.median_words, row.word_counts = None, []

    alerts = _only(_broken_run(rows, shells))
    assert list(alerts) == ["not_articles"]
    assert alerts["not_articles"].now == 12
    assert "pages refused as not articles" in alerts["not_articles"].message


def test_teasers_paywall_site_down_and_a_failure_kind() -> None:
    rows = history(7)

    def teasers(row: RunHealth) -> None:
        row.word_counts = [40 + i for i in range(row.records)]
        row.median_words = median(row.word_counts)

    assert list(_only(_broken_run(rows, teasers))) == ["median_words"]

    def paywall(row: RunHealth) -> None:
        row.paywalled = row.records - 2

    assert list(_only(_broken_run(rows, paywall))) == ["paywalled"]

    def blocked(row: RunHealth) -> None:
        row.failures = {"fetch: HTTP 403": 40}

    assert list(_only(_broken_run(rows, blocked))) == ["failures/fetch: HTTP 403"]

    def down(row: RunHealth) -> None:
        row.articles_seen, row.unchanged = 2, 0
        row.sources = {"sitemap": 2, "feed": 2, "link": 0}

    alerts = _only(_broken_run(rows, down))
    assert list(alerts) == ["articles_seen"]
    assert (
        "articles seen (written or unchanged) fell to 2, usually" in alerts["articles_seen"].message
    )


def test_what_chance_gives_raises_nothing() -> None:
    rows = history(7)

    def quiet_and_unbylined(row: RunHealth) -> None:
        # Two records, neither bylined: 100 points down, but two records say nothing.
        row.records, row.written, row.authors, row.headline, row.published = 2, 2, 0, 2, 2

    assert _broken_run(rows, quiet_and_unbylined) == []

    def wire_heavy(row: RunHealth) -> None:
        # 2 of 5 bylined: 48 points under the usual 88%, which chance gives in 3% of runs.
        row.records, row.written, row.authors, row.headline, row.published = 5, 5, 2, 5, 5
        row.word_counts, row.median_words, row.paywalled = [450] * 5, 450.0, 0

    assert _broken_run(rows, wire_heavy) == []
    assert binomial_tail(2, 5, 0.88) > CHANCE > binomial_tail(0, 12, 0.88)


def test_a_broken_site_keeps_alerting_until_it_is_the_new_normal() -> None:
    rows = history(7)[:300]
    rng = random.Random(11)
    alerted = []
    for number in range(300, 320):
        row = run_row(rng, number, START + number * EVERY, [12] * 16)
        row.authors = 0
        alerts = check_run(row, rows[-WINDOW:]).alerts
        row.alerted = [alert.metric for alert in alerts]  # as the store reads it back
        alerted.append(bool(alerts))
        rows.append(row)
    # Every run while the history still holds MIN_HISTORY runs from before the breakage,
    # then never again: it is the site's usual now.
    assert alerted == [True] * (WINDOW - MIN_HISTORY + 1) + [False] * (
        20 - WINDOW + MIN_HISTORY - 1
    )


def test_first_runs_say_they_have_nothing_to_compare_with() -> None:
    rows = history(7)[:3]
    assert check_run(rows[0], []).note == f"first run of {SITE}: nothing to compare with yet"
    assert check_run(rows[2], rows[:2]).note == (
        f"{SITE} has 2 earlier runs; checks start once it has {MIN_HISTORY}"
    )
    assert check_run(rows[2], rows[:2]).alerts == []


def test_rows_round_trip_through_the_state_file(tmp_path: Path) -> None:
    rows = history(7, weeks=1)
    store = SQLiteHealthStore(tmp_path / "state.sqlite3")
    for row in rows:
        store.save(StoredRun(row, [], "note"))
    assert store.sites() == [SITE]
    latest = store.runs(SITE, 3)
    assert [s.row.run for s in latest] == [r.run for r in rows[-3:]]
    assert latest[-1].row == RunHealth.from_dict(rows[-1].to_dict())
    assert [r.run for r in store.history(SITE, before=rows[-1].run, limit=WINDOW)] == [
        r.run for r in rows[-WINDOW - 1 : -1]
    ]
    store.close()


def test_a_paused_run_and_its_resumed_part_make_one_row() -> None:
    rows = history(7, weeks=1)
    first, rest = rows[40], rows[41]
    whole = first.merged(rest)
    assert whole.written == first.written + rest.written
    assert whole.failures["fetch: HTTP 404"] == first.failures.get(
        "fetch: HTTP 404", 0
    ) + rest.failures.get("fetch: HTTP 404", 0)
    assert whole.median_words == median([*first.word_counts, *rest.word_counts])
    assert whole.sources["sitemap"] == first.sources["sitemap"] + rest.sources["sitemap"]
    # A partial row keeps its word counts in the store, to merge them; a complete one not.
    assert "word_counts" in whole.to_dict() and "word_counts" not in rows[0].to_dict()
