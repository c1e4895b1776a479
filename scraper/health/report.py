"""`newsscrape health` output: each site's recent runs and open alerts, as a terminal table,
as JSON for monitoring systems, and as one self-contained HTML page with a small trend chart
per figure (inline SVG and CSS, no script, nothing fetched: it opens offline and can be
mailed, as the dataset report of `newsscrape stats --html` can).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from scraper.health.checks import Alert
from scraper.health.metrics import RunHealth
from scraper.health.store import HealthStore, StoredRun
from scraper.record import utc_now


@dataclass
class SiteHealth:
    """One site's recent runs (oldest first) and the alerts its latest complete run raised."""

    site: str
    runs: list[StoredRun]

    @property
    def latest(self) -> StoredRun | None:
        """The latest complete run (a paused run's partial row is not judged yet)."""
        complete = [stored for stored in self.runs if stored.row.complete]
        return complete[-1] if complete else None

    @property
    def open_alerts(self) -> list[Alert]:
        latest = self.latest
        return list(latest.alerts) if latest is not None else []


def read_health(store: HealthStore, runs: int, sites: list[str] | None = None) -> list[SiteHealth]:
    """The latest `runs` rows of each site (or of `sites`), sites by name."""
    names = sorted(sites) if sites else store.sites()
    return [SiteHealth(site, store.runs(site, runs)) for site in sorted(names)]


# --- Figures, as the table and the charts show them


def _count(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


@dataclass(frozen=True)
class Figure:
    """A charted column: the alert metric it shows, its label, its value in a row."""

    metric: str
    label: str
    value: Callable[[RunHealth], float | None]
    share: bool = False

    def shown(self, row: RunHealth) -> str:
        value = self.value(row)
        return _percent(value) if self.share else _count(value)

    def alerted(self, alerts: list[Alert]) -> bool:
        """Whether one of `alerts` is about this figure."""
        if self.metric == "failures":
            return any(alert.metric.startswith("failures/") for alert in alerts)
        return any(alert.metric == self.metric for alert in alerts)


FIGURES = [
    Figure("articles_seen", "seen", lambda r: r.articles_seen),
    Figure("written", "written", lambda r: r.written),
    Figure("unchanged", "unchanged", lambda r: r.unchanged),
    Figure("not_articles", "not-article", lambda r: r.not_articles),
    Figure("failures", "failed", lambda r: r.failed),
    Figure("coverage/headline", "headline", lambda r: r.share("headline"), share=True),
    Figure("coverage/authors", "authors", lambda r: r.share("authors"), share=True),
    Figure("coverage/published", "published", lambda r: r.share("published"), share=True),
    Figure("median_words", "words", lambda r: r.median_words),
    Figure("paywalled", "paywalled", lambda r: r.share("paywalled"), share=True),
    Figure("sources/sitemap", "sitemap", lambda r: r.sources.get("sitemap", 0)),
    Figure("sources/feed", "feed", lambda r: r.sources.get("feed", 0)),
    Figure("sources/link", "link", lambda r: r.sources.get("link", 0)),
]


def _ended(time: str) -> str:
    return time.replace("T", " ")[:16]


# --- Terminal


def text_report(health: list[SiteHealth], source: str) -> str:
    """Each site's runs as a table, then its open alerts and what its latest run was
    compared with."""
    lines = [f"newsscrape health: {source}"]
    if not health:
        lines.append("  no crawl run has been recorded yet (rows are kept by `newsscrape crawl`)")
    for site in health:
        alerts = site.open_alerts
        lines.append("")
        lines.append(
            f"{site.site}: {len(site.runs)} recent run{'s' if len(site.runs) != 1 else ''}, "
            f"{len(alerts) or 'no'} open alert{'s' if len(alerts) != 1 else ''}"
        )
        header = ["ended (UTC)     ", "run     ", *[f.label for f in FIGURES], "alerts"]
        lines.append("  " + "  ".join(header))
        for stored in site.runs:
            row = stored.row
            cells = [_ended(row.time).ljust(16), row.run[:8].ljust(8)]
            cells += [f.shown(row).rjust(len(f.label)) for f in FIGURES]
            cells.append(str(len(stored.alerts)).rjust(6) if row.complete else "paused")
            lines.append("  " + "  ".join(cells))
        for alert in alerts:
            lines.append(f"  ALERT {alert.message}")
        latest = site.latest
        if latest is not None and latest.note:
            lines.append(f"  latest run: {latest.note}")
    return "\n".join(lines) + "\n"


# --- JSON


def json_report(health: list[SiteHealth], source: str) -> dict[str, Any]:
    """Everything the table shows, as data: per site its runs (figures, alerts, note) and
    its open alerts."""
    return {
        "state": source,
        "generated": utc_now(),
        "open_alerts": sum(len(site.open_alerts) for site in health),
        "sites": [
            {
                "site": site.site,
                "open_alerts": [alert.to_dict() for alert in site.open_alerts],
                "runs": [
                    {
                        **stored.row.to_dict(),
                        "alerts": [alert.to_dict() for alert in stored.alerts],
                        "note": stored.note,
                    }
                    for stored in site.runs
                ],
            }
            for site in health
        ],
    }


# --- HTML

# The dataset report's palette (Okabe-Ito): blue for a run's value, vermilion for an alert.
NORMAL_COLOUR = "#0072B2"
ALERT_COLOUR = "#D55E00"

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; }
.alerts { border-left: 4px solid #D55E00; padding: .3rem 1rem; background: #fbeee6; }
.alerts li { margin: .2rem 0; }
.trends { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr));
          gap: .8rem 1rem; margin: 1rem 0; }
.trend-label { font-size: 12px; color: #444; } svg text { font: 11px system-ui, sans-serif; }
table { border-collapse: collapse; margin: .5rem 0; font-size: 13px; }
th, td { padding: .15rem .5rem; border-bottom: 1px solid #ddd; text-align: right;
         white-space: nowrap; }
th:nth-child(-n+2), td:nth-child(-n+2) { text-align: left; }
td.alerted { color: #D55E00; font-weight: bold; }
.muted { color: #666; }
"""


def trend_chart(site: SiteHealth, figure: Figure) -> str:
    """A small line chart of one figure over the site's runs; the points of runs where it
    raised an alert in the alert colour."""
    width, height, pad = 160, 44, 6
    points = [
        (index, value, figure.alerted(stored.alerts), stored.row.run)
        for index, stored in enumerate(site.runs)
        if stored.row.complete and (value := figure.value(stored.row)) is not None
    ]
    tallest = max((value for _, value, _, _ in points), default=0.0)
    top = 1.0 if figure.share else max(tallest, 1.0)
    step = (width - 2 * pad) / max(len(site.runs) - 1, 1)

    def xy(index: int, value: float) -> tuple[float, float]:
        return pad + index * step, height - pad - (value / top) * (height - 2 * pad)

    parts = [
        f'<svg class="trend" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'data-site="{escape(site.site)}" data-metric="{escape(figure.metric)}" '
        f'aria-label="{escape(figure.label)} per run">',
        f'<line x1="{pad}" x2="{width - pad}" y1="{height - pad}" y2="{height - pad}" '
        f'stroke="#ccc"/>',
    ]
    if len(points) > 1:
        line = " ".join("{:.1f},{:.1f}".format(*xy(i, v)) for i, v, _, _ in points)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{NORMAL_COLOUR}" stroke-width="1.5"/>'
        )
    for index, value, alerted, run in points:
        x, y = xy(index, value)
        colour = ALERT_COLOUR if alerted else NORMAL_COLOUR
        radius = 4.5 if alerted else 2.5
        parts.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}" '
            f'data-run="{escape(run)}" data-value="{value:g}" data-alert="{int(alerted)}">'
            f"<title>{escape(figure.label)}: {value:g}</title></circle>"
        )
    parts.append("</svg>")
    latest = site.latest
    shown = figure.shown(latest.row) if latest is not None else "-"
    return (
        f'<div class="trend-box"><div class="trend-label">{escape(figure.label)}: '
        f"<strong>{escape(shown)}</strong></div>{''.join(parts)}</div>"
    )


def _runs_table(site: SiteHealth) -> str:
    head = "".join(f"<th>{escape(f.label)}</th>" for f in FIGURES)
    body = []
    for stored in site.runs:
        row = stored.row
        cells = "".join(
            f'<td class="{"alerted" if f.alerted(stored.alerts) else ""}">{escape(f.shown(row))}</td>'
            for f in FIGURES
        )
        state = str(len(stored.alerts)) if row.complete else "paused"
        body.append(
            f'<tr data-run="{escape(row.run)}"><td>{escape(_ended(row.time))}</td>'
            f"<td><code>{escape(row.run[:8])}</code></td>{cells}<td>{state}</td></tr>"
        )
    return (
        f"<table><tr><th>ended (UTC)</th><th>run</th>{head}<th>alerts</th></tr>"
        f"{''.join(body)}</table>"
    )


def _site_section(site: SiteHealth) -> str:
    alerts = site.open_alerts
    if alerts:
        items = "".join(
            f'<li class="alert" data-metric="{escape(a.metric)}">{escape(a.message)}</li>'
            for a in alerts
        )
        open_alerts = f'<ul class="alerts">{items}</ul>'
    else:
        open_alerts = '<p class="muted">No open alerts.</p>'
    latest = site.latest
    note = (
        f'<p class="muted">Latest run: {escape(latest.note)}</p>' if latest and latest.note else ""
    )
    charts = "".join(trend_chart(site, figure) for figure in FIGURES)
    return (
        f'<section class="site" data-site="{escape(site.site)}"><h2>{escape(site.site)}</h2>'
        f'{open_alerts}{note}<div class="trends">{charts}</div>{_runs_table(site)}</section>'
    )


def render_html(health: list[SiteHealth], source: str) -> str:
    """The whole report as one HTML document."""
    generated = utc_now()
    total = sum(len(site.open_alerts) for site in health)
    sections = "".join(_site_section(site) for site in health) or (
        '<p class="muted">No crawl run has been recorded yet.</p>'
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsscrape health: {escape(source)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>Crawl health</h1>
<p><code>{escape(source)}</code>: {len(health)} site{"s" if len(health) != 1 else ""},
<strong id="open-alerts">{total}</strong> open alert{"s" if total != 1 else ""}.
<span class="muted">Generated {generated} by newsscrape.</span></p>
{sections}
</body>
</html>
"""
