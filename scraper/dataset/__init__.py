"""Tools for a dataset already written, whatever sink wrote it: read it back, count it, chart it.

- `readers`: `open_records(source)`, records back from JSON Lines, JSON, CSV (gzipped too),
  Parquet, SQLite and PostgreSQL, each with where it came from (`line 12`, `row id 7`);
- `stats`: `collect(rows)`, counts per site, day and language, missing fields and duplicates;
- `report`: `render_html(stats, source)`, one self-contained HTML page with inline SVG charts.

`newsscrape stats` and `newsscrape validate` are their commands.
"""
