"""The HTML dataset report of `newsscrape stats --html`: one self-contained file.

Inline SVG charts and inline CSS, no script and nothing fetched, so the report opens offline,
can be mailed, and shows the same in every browser: articles per day per site (stacked bars),
field coverage (one bar per record field), then the site, language and duplicate tables.
"""

from __future__ import annotations

from html import escape

from scraper.dataset.stats import DatasetStats
from scraper.record import utc_now
from scraper.sinks.fields import FIELD_NAMES

# Colour-blind-safe palette (Okabe–Ito), then grey for "other sites".
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
OTHER_COLOUR = "#999999"
OTHER_SITES = "other sites"

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; }
.chart { overflow-x: auto; } svg text { font: 12px system-ui, sans-serif; fill: #222; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; }
.swatch { display: inline-block; width: .9em; height: .9em; margin-right: .35em;
          vertical-align: -.1em; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { padding: .2rem .8rem; border-bottom: 1px solid #ddd; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #666; }
"""


def _colours(stats: DatasetStats) -> dict[str, str]:
    """A colour per charted site: the biggest sites get their own, the rest share grey."""
    named = stats.sites[: len(PALETTE)] if len(stats.sites) <= len(PALETTE) else stats.sites[:7]
    colours = {site: PALETTE[i] for i, site in enumerate(named)}
    if len(named) < len(stats.sites):
        colours[OTHER_SITES] = OTHER_COLOUR
    return colours


def _charted_site(site: str, colours: dict[str, str]) -> str:
    return site if site in colours and site != OTHER_SITES else OTHER_SITES


def per_day_chart(stats: DatasetStats) -> str:
    """Stacked bars: one per day, one segment per site, the day's total above it."""
    colours = _colours(stats)
    days = stats.days
    if not days:
        return '<p class="muted">No articles.</p>'
    counts: dict[str, dict[str, int]] = {day: {} for day in days}
    for (day, site), count in stats.by_day_site.items():
        charted = _charted_site(site, colours)
        counts[day][charted] = counts[day].get(charted, 0) + count
    tallest = max(stats.by_day.values())
    bar = max(8, min(40, 900 // len(days)))
    gap = max(2, bar // 4)
    left, top, plot_height, bottom = 48, 24, 260, 90
    width = left + len(days) * (bar + gap) + 20
    height = top + plot_height + bottom
    scale = plot_height / tallest
    label_every = max(1, len(days) // 40)
    parts = [
        f'<svg id="chart-per-day" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Articles per day per site">'
    ]
    for tick in _ticks(tallest):
        y = top + plot_height - tick * scale
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e4e4e4"/>'
            f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    baseline = top + plot_height
    for index, day in enumerate(days):
        x = left + gap + index * (bar + gap)
        y = float(baseline)
        for site in colours:
            count = counts[day].get(site, 0)
            if not count:
                continue
            h = count * scale
            y -= h
            parts.append(
                f'<rect class="bar" x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" '
                f'fill="{colours[site]}" data-day="{escape(day)}" data-site="{escape(site)}" '
                f'data-count="{count}"><title>{escape(site)} · {escape(day)}: {count}</title></rect>'
            )
        total = stats.by_day[day]
        if bar >= 20:  # narrower bars would print their totals over each other
            parts.append(
                f'<text class="total" x="{x + bar / 2:.1f}" y="{y - 4:.1f}" '
                f'text-anchor="middle" data-day="{escape(day)}">{total}</text>'
            )
        if index % label_every == 0:
            parts.append(
                f'<text class="day" x="{x + bar / 2:.1f}" y="{baseline + 12}" text-anchor="end" '
                f'transform="rotate(-45 {x + bar / 2:.1f} {baseline + 12})">{escape(day)}</text>'
            )
    parts.append(
        f'<line x1="{left}" x2="{width - 10}" y1="{baseline}" y2="{baseline}" stroke="#444"/>'
    )
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch" style="background:{colour}"></span>{escape(site)}</li>'
        for site, colour in colours.items()
    )
    return f'<div class="chart">{"".join(parts)}</div><ul class="legend">{legend}</ul>'


def _ticks(tallest: int) -> list[int]:
    step = 1
    for candidate in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 50000):
        step = candidate
        if tallest / candidate <= 6:
            break
    else:
        step = max(1, tallest // 5)
    return list(range(0, tallest + 1, step))


def coverage_chart(stats: DatasetStats) -> str:
    """One horizontal bar per record field: the share of records where it is present."""
    left, row, bar_width = 130, 20, 420
    height = row * len(FIELD_NAMES) + 10
    width = left + bar_width + 70
    parts = [
        f'<svg id="chart-coverage" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Field coverage">'
    ]
    for index, name in enumerate(FIELD_NAMES):
        coverage = 1.0 - stats.missing_rate(name) if stats.records else 0.0
        y = 5 + index * row
        parts.append(
            f'<text class="field" x="{left - 8}" y="{y + 13}" text-anchor="end">{name}</text>'
            f'<rect x="{left}" y="{y + 2}" width="{bar_width}" height="{row - 6}" fill="#eee"/>'
            f'<rect class="coverage" x="{left}" y="{y + 2}" width="{coverage * bar_width:.1f}" '
            f'height="{row - 6}" fill="#009E73" data-field="{name}" '
            f'data-coverage="{coverage:.3f}"><title>{name}: {coverage:.1%} present</title></rect>'
            f'<text class="percent" x="{left + bar_width + 8}" y="{y + 13}">{coverage:.0%}</text>'
        )
    parts.append("</svg>")
    return f'<div class="chart">{"".join(parts)}</div>'


def _table(header: tuple[str, str], rows: list[tuple[str, int]]) -> str:
    body = "".join(f'<tr><td>{escape(k)}</td><td class="n">{v}</td></tr>' for k, v in rows)
    return f"<table><tr><th>{header[0]}</th><th>{header[1]}</th></tr>{body}</table>"


def render_html(stats: DatasetStats, source: str) -> str:
    """The whole report as one HTML document."""
    generated = utc_now()
    languages = sorted(stats.by_language.items(), key=lambda kv: (-kv[1], kv[0]))
    duplicates = [
        ("records marked duplicate_of", stats.marked_duplicates),
        ("story clusters (cluster_id)", len(stats.clusters)),
        ("canonical URLs seen more than once", len(stats.repeated_urls)),
        ("records repeating a canonical URL", stats.repeated_url_records),
    ]
    unparseable = (
        f'<p class="muted">{len(stats.unparseable)} unparseable records '
        f"({escape(', '.join(stats.unparseable[:10]))}).</p>"
        if stats.unparseable
        else ""
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsscrape dataset report: {escape(source)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>Dataset report</h1>
<p><code>{escape(source)}</code>: <strong id="record-count">{stats.records}</strong> records,
{len(stats.by_site)} sites, {len(stats.by_language)} languages.
<span class="muted">Generated {generated} by newsscrape.</span></p>
{unparseable}
<section id="per-day"><h2>Articles per day per site</h2>{per_day_chart(stats)}</section>
<section id="coverage"><h2>Field coverage</h2>{coverage_chart(stats)}</section>
<section id="sites"><h2>Sites</h2>{_table(("site", "articles"), [(s, stats.by_site[s]) for s in stats.sites])}</section>
<section id="languages"><h2>Languages</h2>{_table(("language", "articles"), languages)}</section>
<section id="duplicates"><h2>Duplicates</h2>{_table(("kind", "count"), duplicates)}</section>
</body>
</html>
"""
