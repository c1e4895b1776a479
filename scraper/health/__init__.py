"""Health of scheduled crawls: notice the day a site breaks.

A scheduled crawl that keeps exiting 0 while a redesign has moved the bylines, the sitemap has
gone stale or the articles arrive as JavaScript shells fills a dataset with gaps nobody sees.
Each crawl run keeps one row of figures per site with the crawl state and compares it with
the site's own recent runs:

- `metrics`: the figures of a run (`RunHealth`) and their tally while it runs;
- `checks`: the comparisons and their thresholds, each alert naming site, figure, usual
  value and this run's (`Alert`);
- `store`: the history, in the state's SQLite file or in Redis beside a shared state;
- `collect`: the Scrapy extension that counts, saves, checks and reports at the run's end;
- `shared`: one row from the shares of a distributed crawl's workers;
- `report`: `newsscrape health` as a table, JSON and HTML with trend charts;
- `monitors`: the checks as Spidermon monitors (the `spidermon` extra).
"""
