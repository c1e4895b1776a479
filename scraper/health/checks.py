"""The health checks: a run's figures against the same site's recent runs.

A scheduled crawl rarely fails loudly. A redesign moves the bylines, the sitemap goes stale,
the articles start arriving as JavaScript shells, and the crawl still exits 0 while the
dataset fills with empty authors or stops growing. Each check compares one figure of this
run with its usual value over the site's last NEWSSCRAPE_HEALTH_RUNS complete runs (default
10) that did not alert on it: for counts, the median run (one odd run in the history moves
nothing); for shares of records, those runs' records pooled. A figure that stays broken keeps
alerting on every run for seven runs (by default), after which it is the site's new normal.

The thresholds are set so that ordinary variation raises nothing: a quiet Sunday, a few
failed fetches, a run that wrote two records, wire copy without bylines, briefs beside long
reads. `tests/test_health_checks.py` holds them to that over eight weeks of generated history
with those patterns, and to the right alert on each kind of breakage.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from scraper.health.metrics import COVERAGE_FIELDS, SOURCES, RunHealth

# Checks start once a site has this many earlier complete runs: with fewer, a median is
# one or two runs, and the first crawl of a site (everything new) is no "usual".
MIN_HISTORY = 3
# Record figures (coverage, words, paywall) are judged only for runs that wrote at least
# this many records: a quiet run is skipped, not judged.
MIN_RECORDS = 5
# ... and every check only when chance would give such a figure less than once in a
# thousand runs: a binomial tail for shares of records, from the site's usual rate taken at
# the cautious end of its 95% interval (a rate read from 40 records is not known to the
# point); a Poisson tail for counts. 2 of 5 new articles without a byline, on a site where
# 88% have one, is 48 points down and happens in 3% of runs: wire copy. 0 of 12 is a
# redesign.
CHANCE = 0.001
# Articles seen (written plus unchanged) under a third of usual. A quiet Sunday with a
# `--since 2d` window still sees about half a weekday's articles; a site whose sitemap and
# links stopped leading anywhere sees a handful.
SEEN_FRACTION = 1 / 3
# A field's coverage down by 30 points or more (100% of records with authors -> 70%).
COVERAGE_DROP = 0.30
# The median word count halved: articles cut to a teaser, or the body no longer found. The
# chance test counts the records under half the usual median; on a news site at most a
# quarter of ordinary articles are that short (article lengths are about log-normal, and a
# quarter holds up to a spread of sigma 1: briefs beside long reads).
WORDS_FRACTION = 0.5
SHORT_SHARE = 0.25
# The paywalled share up by 30 points: the site moved articles behind its paywall.
PAYWALL_RISE = 0.30
# Failures of one kind (and pages refused as not articles) jumping: at least this many more
# than usual, and at least this many times usual. A few failed fetches are ordinary; five
# more of one kind than the median run, three times as many, are not.
JUMP_MIN = 5
JUMP_FACTOR = 3.0


def binomial_tail(k: int, n: int, p: float, upper: bool = False) -> float:
    """P(X <= k) (or with `upper`, P(X >= k)) for X ~ Binomial(n, p), 0 < p < 1."""
    if upper:
        return binomial_tail(n - k, n, 1.0 - p)
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    total = 0.0
    for i in range(k + 1):
        log_pmf = (
            math.lgamma(n + 1)
            - math.lgamma(i + 1)
            - math.lgamma(n - i + 1)
            + i * log_p
            + (n - i) * log_q
        )
        total += math.exp(log_pmf)
    return min(total, 1.0)


def poisson_tail(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean)."""
    if k < 0:
        return 0.0
    if mean <= 0:
        return 1.0
    return min(
        1.0, sum(math.exp(i * math.log(mean) - mean - math.lgamma(i + 1)) for i in range(k + 1))
    )


def wilson_interval(count: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% (Wilson score) interval of a rate seen as `count` of `n`, inside (0, 1)."""
    share = count / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(centre - half, 1e-6), min(centre + half, 1 - 1e-6)


def usual_runs(history: Sequence[RunHealth], metric: str) -> list[RunHealth]:
    """The runs that say what is usual for `metric`: the earlier runs that did not raise an
    alert on it (a breakage is no one's usual while it is news), or none when fewer than
    MIN_HISTORY are left. So a figure that stays broken alerts on every run until the
    history holds fewer than MIN_HISTORY runs from before it (NEWSSCRAPE_HEALTH_RUNS - 3:
    seven runs by default); after that, unchanged, it is the site's new usual."""
    runs = [run for run in history if metric not in run.alerted]
    return runs if len(runs) >= MIN_HISTORY else []


def _usual_rate(history: Sequence[RunHealth], figure: str) -> tuple[float, float, float, int]:
    """Over the earlier runs' records pooled: the share with `figure`, its 95% interval, and
    how many records."""
    records = sum(run.records for run in history)
    count = sum(getattr(run, figure) for run in history)
    if not records:
        return 0.0, 1e-6, 1 - 1e-6, 0
    low, high = wilson_interval(count, records)
    return count / records, low, high, records


@dataclass(frozen=True)
class Alert:
    """One figure of one run far outside the site's recent runs."""

    site: str
    # What was measured: "articles_seen", "coverage/authors", "median_words", "paywalled",
    # "sources/sitemap", "not_articles", "failures/fetch: HTTP 403".
    metric: str
    usual: float
    now: float
    run: str
    time: str
    # The same in words, naming the site: "paper.example: records with authors fell to 0%
    # (0 of 8), usually 100%".
    message: str

    def to_dict(self) -> dict[str, Any]:
        """The alert as one JSON object (the `--alerts FILE` line)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Alert:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})

    @property
    def check(self) -> str:
        """The check that raised it (a CHECKS name)."""
        return self.metric.split("/", 1)[0]


@dataclass
class CheckResult:
    """What the checks made of one run: its alerts, and in words what was compared."""

    alerts: list[Alert] = field(default_factory=list)
    # Earlier complete runs the run was compared with (0: not checked).
    compared: int = 0
    note: str = ""


def _median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def _count(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _alert(row: RunHealth, metric: str, usual: float, now: float, message: str) -> Alert:
    return Alert(
        site=row.site,
        metric=metric,
        usual=round(usual, 3),
        now=round(now, 3),
        run=row.run,
        time=row.time,
        message=f"{row.site}: {message}",
    )


def _jumped(now: float, usual: float) -> bool:
    return now >= usual + JUMP_MIN and now >= usual * JUMP_FACTOR


def check_articles_seen(row: RunHealth, history: Sequence[RunHealth]) -> list[Alert]:
    """Articles seen (written plus unchanged) under a third of usual, and fewer than chance
    gives."""
    earlier = usual_runs(history, "articles_seen")
    usual = _median([run.articles_seen for run in earlier])
    now = row.articles_seen
    if earlier and now < usual * SEEN_FRACTION and poisson_tail(now, usual) < CHANCE:
        return [
            _alert(
                row,
                "articles_seen",
                usual,
                now,
                f"articles seen (written or unchanged) fell to {now}, usually {_count(usual)}",
            )
        ]
    return []


def check_coverage(row: RunHealth, history: Sequence[RunHealth]) -> list[Alert]:
    """The share of records with a headline, authors, a published date: down 30 points
    against the earlier runs' records pooled, and by more than chance."""
    if row.records < MIN_RECORDS:
        return []
    alerts = []
    for figure in COVERAGE_FIELDS:
        usual, low, _, pooled = _usual_rate(usual_runs(history, f"coverage/{figure}"), figure)
        count: int = getattr(row, figure)
        now = count / row.records
        if pooled < MIN_HISTORY * MIN_RECORDS or round(usual - now, 6) < COVERAGE_DROP:
            continue
        if binomial_tail(count, row.records, low) < CHANCE:
            alerts.append(
                _alert(
                    row,
                    f"coverage/{figure}",
                    usual,
                    now,
                    f"records with {_FIGURE_WORDS[figure]} fell to {_percent(now)} "
                    f"({count} of {row.records}), usually {_percent(usual)}",
                )
            )
    return alerts


_FIGURE_WORDS = {"headline": "a headline", "authors": "authors", "published": "a published date"}


def check_median_words(row: RunHealth, history: Sequence[RunHealth]) -> list[Alert]:
    """The records' median word count halved, with more short records than chance gives."""
    earlier = [
        run.median_words
        for run in usual_runs(history, "median_words")
        if run.records >= MIN_RECORDS and run.median_words is not None
    ]
    if row.records < MIN_RECORDS or row.median_words is None or len(earlier) < MIN_HISTORY:
        return []
    usual = _median(earlier)
    if row.median_words >= usual * WORDS_FRACTION:
        return []
    # Rows read back from the store keep no word counts: the median says it alone.
    short = sum(words < usual * WORDS_FRACTION for words in row.word_counts)
    if (
        row.word_counts
        and binomial_tail(short, len(row.word_counts), SHORT_SHARE, upper=True) >= CHANCE
    ):
        return []
    return [
        _alert(
            row,
            "median_words",
            usual,
            row.median_words,
            f"the median article fell to {_count(row.median_words)} words, usually {_count(usual)}",
        )
    ]


def check_paywalled(row: RunHealth, history: Sequence[RunHealth]) -> list[Alert]:
    """The share of records flagged paywalled up 30 points, and by more than chance."""
    usual, _, high, pooled = _usual_rate(usual_runs(history, "paywalled"), "paywalled")
    if row.records < MIN_RECORDS or pooled < MIN_HISTORY * MIN_RECORDS:
        return []
    now = row.paywalled / row.records
    if round(now - usual, 6) < PAYWALL_RISE:
        return []
    if binomial_tail(row.paywalled, row.records, high, upper=True) >= CHANCE:
        return []
    return [
        _alert(
            row,
            "paywalled",
            usual,
            now,
            f"paywalled records rose to {_percent(now)} ({row.paywalled} of "
            f"{row.records}), usually {_percent(usual)}",
        )
    ]


_SOURCE_WORDS = {
    "sitemap": "its sitemaps listed no article",
    "feed": "its feeds listed no article",
    "link": "links led to no article that the sitemaps and feeds did not list",
}


def check_sources(row: RunHealth, history: Sequence[RunHealth]) -> list[Alert]:
    """A discovery source that gave articles in every recent run and now gives none, when
    none by chance is unlikely: a source that usually gives 7 or more (a sitemap, a feed).
    One that gives an article now and then (links to the odd unlisted article) never
    alerts."""
    alerts = []
    for source in SOURCES:
        values = [run.sources.get(source, 0) for run in usual_runs(history, f"sources/{source}")]
        usual = _median(values)
        if (
            values
            and row.sources.get(source, 0) == 0
            and all(values)
            and poisson_tail(0, usual) < CHANCE
        ):
            alerts.append(
                _alert(
                    row,
                    f"sources/{source}",
                    usual,
                    0,
                    f"{_SOURCE_WORDS[source]}, usually {_count(usual)} article URLs",
                )
            )
    return alerts


def check_not_articles(row: RunHealth, history: Sequence[RunHealth]) -> list[Alert]:
    """Pages fetched as articles that extraction refused (JavaScript shells, login walls)
    jumping."""
    earlier = usual_runs(history, "not_articles")
    usual = _median([run.not_articles for run in earlier])
    if earlier and _jumped(row.not_articles, usual):
        return [
            _alert(
                row,
                "not_articles",
                usual,
                row.not_articles,
                f"pages refused as not articles (no article text: JavaScript shells, login "
                f"walls, listings) rose to {row.not_articles}, usually {_count(usual)}",
            )
        ]
    return []


def check_failures(row: RunHealth, history: Sequence[RunHealth]) -> list[Alert]:
    """Failures of one kind jumping."""
    alerts = []
    for label, now in sorted(row.failures.items()):
        earlier = usual_runs(history, f"failures/{label}")
        usual = _median([run.failures.get(label, 0) for run in earlier])
        if earlier and _jumped(now, usual):
            alerts.append(
                _alert(
                    row,
                    f"failures/{label}",
                    usual,
                    now,
                    f"failures ({label}) rose to {now}, usually {_count(usual)}",
                )
            )
    return alerts


Check = Callable[[RunHealth, Sequence[RunHealth]], list[Alert]]

# Every check by name (the Spidermon monitors run one test per name).
CHECKS: dict[str, Check] = {
    "articles_seen": check_articles_seen,
    "coverage": check_coverage,
    "median_words": check_median_words,
    "paywalled": check_paywalled,
    "sources": check_sources,
    "not_articles": check_not_articles,
    "failures": check_failures,
}


def check_run(row: RunHealth, history: Sequence[RunHealth]) -> CheckResult:
    """Every check of `row` against `history` (the site's earlier complete runs, the most
    recent NEWSSCRAPE_HEALTH_RUNS of them)."""
    earlier = [run for run in history if run.complete and run.run != row.run]
    if len(earlier) < MIN_HISTORY:
        if not earlier:
            note = f"first run of {row.site}: nothing to compare with yet"
        else:
            runs = "run" if len(earlier) == 1 else "runs"
            note = (
                f"{row.site} has {len(earlier)} earlier {runs}; checks start once it has "
                f"{MIN_HISTORY}"
            )
        return CheckResult(note=note)
    alerts = [alert for check in CHECKS.values() for alert in check(row, earlier)]
    plural = "alert" if len(alerts) == 1 else "alerts"
    note = f"{row.site} against its last {len(earlier)} runs: {len(alerts) or 'no'} {plural}"
    if row.records < MIN_RECORDS:
        note += (
            f"; {row.records} record{'s' if row.records != 1 else ''} written, too few to "
            f"judge coverage and word counts (at least {MIN_RECORDS})"
        )
    return CheckResult(alerts=alerts, compared=len(earlier), note=note)
