"""Scrapy settings for newsscrape (`scrapy.cfg` points here). Override any with `-s NAME=VALUE`."""

import importlib.util
import os

# tldextract (Scrapy's cookie middleware) must use its bundled suffix list: no network at import.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from pipelines.stages import item_pipelines
from scraper.version import __version__

# --- Project
BOT_NAME = "newsscrape"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# Imports only the spider a crawl runs, not every module of spiders/ (scraper/spider_loader.py).
SPIDER_LOADER_CLASS = "scraper.spider_loader.NamedSpiderLoader"

# Passwords in URIs (`-o postgresql://user:pass@…`, `redis://:pass@…`) are masked in every log
# record from the crawl's start (scraper/redact.py).
ADDONS = {"scraper.redact.PasswordMasking": 0}

# --- Politeness: an honest User-Agent (set NEWSSCRAPE_CONTACT to add yours), robots.txt obeyed,
# at most two requests at a time per site, AutoThrottle adapting to the server's latency.
NEWSSCRAPE_CONTACT = os.environ.get("NEWSSCRAPE_CONTACT", "")
USER_AGENT = f"newsscrape/{__version__} (+https://pypi.org/project/newsscrape/" + (
    f"; {NEWSSCRAPE_CONTACT})" if NEWSSCRAPE_CONTACT else ")"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# --- Fetching limits
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10

# --- Faults and safety: failed pages to a JSON Lines file (`--errors FILE`), only http(s)
# fetched (file:, data:, ftp:, s3: handlers off), private networks refused on request
# (`--deny-private-networks`; off for the CLI, whose users point it at their own hosts; turn it
# on for any service that fetches URLs others supply, e.g. in Scrapyd's settings).
NEWSSCRAPE_ERRORS_FILE = ""
NEWSSCRAPE_ERRORS_APPEND = False
NEWSSCRAPE_DENY_PRIVATE_NETWORKS = False
NEWSSCRAPE_ALLOW_NETWORKS: list[str] = []
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {
    "scraper.middlewares.network_policy.NetworkPolicyMiddleware": 50,
    # Scrapy's robots.txt middleware, fixed for the requests that wait on a robots.txt still
    # downloading (scraper/middlewares/robots.py), at its place in the chain.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scraper.middlewares.robots.SharedRobotsTxtMiddleware": 100,
}
SPIDER_MIDDLEWARES: dict[str, int | None] = {}
EXTENSIONS: dict[str, int | None] = {"scraper.sinks.errors_file.ErrorsFile": 500}

# --- Pipelines, one stage each, declared in order in pipelines/stages.py (which `newsscrape
# extract` runs too): not modified -> extract -> learned boilerplate -> validate -> incremental
# -> one per article -> near-duplicates -> --since/--max-articles -> durable JSON Lines, then
# the feed exports. The groups below configure them.
ITEM_PIPELINES = item_pipelines()
# The kinds of page the extract stage writes: crawls keep articles; `get` and `extract` (explicit
# inputs) any page with a main text ("article", "listing", "other"; see `page_kind`).
NEWSSCRAPE_PAGE_KINDS = ["article"]

# --- Site boilerplate (pipelines/learned_boilerplate.py, right after extraction): a paragraph
# of at most NEWSSCRAPE_BOILERPLATE_MAX_CHARS characters found on NEWSSCRAPE_BOILERPLATE_MIN_PAGES
# distinct pages of one site (a newsletter promo, a standard disclaimer) is learned and removed
# from that page on, never when it would take most of an article's words; 0 turns it off. At
# most NEWSSCRAPE_BOILERPLATE_MAX_KEYS paragraphs are remembered per site. Kept in the crawl
# state's SQLite file (NEWSSCRAPE_STATE), so the next run strips them from its first page;
# without a state (or with a Redis one), for the run only (scraper/learned_boilerplate.py).
NEWSSCRAPE_BOILERPLATE_MIN_PAGES = 3
NEWSSCRAPE_BOILERPLATE_MAX_CHARS = 300
NEWSSCRAPE_BOILERPLATE_MAX_KEYS = 5000

# --- Archive and deduplication. NEWSSCRAPE_WARC (`--warc FILE`) archives every request and
# response in a WARC/1.1 file (gzip per record for *.gz; appended to, never overwritten) and
# puts the response record's id on the article record; needs the `warc` extra. Syndicated and
# near-duplicate copies get `duplicate_of` and `cluster_id`; NEWSSCRAPE_DEDUP (`--dedup`) says
# whether they are kept ("keep", the default) or dropped ("drop"). What was seen persists in
# the SQLite file NEWSSCRAPE_DEDUP_STATE (`--dedup-state`); unset, it lives in the crawl
# state's own file (NEWSSCRAPE_STATE, its tables beside the state's), else in JOBDIR, else only
# for the run. A copy is a near-duplicate when that share of the shorter text's 5-word shingles also
# occurs in the earlier copy (scraper/dedup).
NEWSSCRAPE_WARC = ""
NEWSSCRAPE_DEDUP = "keep"
NEWSSCRAPE_DEDUP_STATE = ""
NEWSSCRAPE_NEARDUP_CONTAINMENT = 0.6
# Archive on the downloader side (after the HTTP cache) to see responses as they came.
DOWNLOADER_MIDDLEWARES["scraper.warc.middleware.WarcArchiveMiddleware"] = 950
SPIDER_MIDDLEWARES["scraper.warc.middleware.WarcRecordIdMiddleware"] = 990

# --- Whole newspapers (spiders/newspaper.py): `--since` and `--max-articles` are applied last,
# to what is really written (pipelines/limits.py). Progress on stderr: "auto" when it is a
# terminal, true/false to force; the summary table is turned on by `newsscrape crawl` and the
# `newspaper` spider.
NEWSSCRAPE_PROGRESS = "auto"
NEWSSCRAPE_SUMMARY = False
EXTENSIONS["scraper.middlewares.progress.CrawlProgress"] = 600

# --- Scheduled crawls. NEWSSCRAPE_STATE (`--state`; `newsscrape crawl` defaults to the user's
# data directory): the incremental state (scraper/state/), keyed by canonical URL; empty, every
# run starts from nothing. With it, re-runs send conditional requests and write only new and
# changed articles (pipelines/incremental.py). NEWSSCRAPE_JSONL_OUTPUT: a JSON Lines output that
# a kill leaves whole, every article exactly once (scraper/sinks/durable_jsonl.py). JOBDIR
# (`--jobdir`) pauses and resumes; a killed crawl's queue is discarded
# (scraper/middlewares/jobdir.py).
# Retries back off and honour Retry-After on 429/503, waiting at most NEWSSCRAPE_RETRY_AFTER_MAX
# seconds; request fingerprints ignore tracking parameters; the effective politeness is logged.
NEWSSCRAPE_STATE = ""
NEWSSCRAPE_JSONL_OUTPUT = ""
NEWSSCRAPE_JSONL_FSYNC = True
NEWSSCRAPE_RETRY_AFTER_MAX = 600.0
NEWSSCRAPE_RETRY_BACKOFF_BASE = 1.0
NEWSSCRAPE_RETRY_BACKOFF_MAX = 60.0
REQUEST_FINGERPRINTER_CLASS = "scraper.middlewares.fingerprint.CanonicalRequestFingerprinter"
DOWNLOADER_MIDDLEWARES["scrapy.downloadermiddlewares.retry.RetryMiddleware"] = None
DOWNLOADER_MIDDLEWARES["scraper.middlewares.retry_after.RetryAfterMiddleware"] = 550
DOWNLOADER_MIDDLEWARES["scraper.middlewares.conditional.ConditionalRequestMiddleware"] = 585
# Meta refresh redirects as Scrapy follows them, without decoding every page on the reactor
# thread to look for one (scraper/middlewares/meta_refresh.py); the same place in the order.
DOWNLOADER_MIDDLEWARES["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] = None
DOWNLOADER_MIDDLEWARES["scraper.middlewares.meta_refresh.MetaRefreshOnlyWhenPresent"] = 580
EXTENSIONS["scraper.middlewares.jobdir.JobdirRecovery"] = 100
EXTENSIONS["scraper.middlewares.politeness.PolitenessReport"] = 110

# --- Health of scheduled crawls (scraper/health): each crawl run keeps a row of figures per
# site (articles seen, written, unchanged, not-article pages, failures by kind, field coverage,
# median words, paywalled share, article URLs per discovery source) in NEWSSCRAPE_HEALTH_STORE,
# else in the crawl state (NEWSSCRAPE_STATE: its SQLite file, or Redis beside the shared state),
# else for a distributed crawl on its Redis server; and checks it against the site's last
# NEWSSCRAPE_HEALTH_RUNS complete runs. Alerts go to the log, to the stats (for the summary and
# the Spidermon monitors) and, as JSON lines, to NEWSSCRAPE_ALERTS_FILE (`--alerts FILE`). On
# for the crawl spiders (NEWSSCRAPE_HEALTH in their custom settings). With the `spidermon`
# extra, SPIDERMON_ENABLED runs the checks as Spidermon monitors too, whose failures call the
# Spidermon actions named in NEWSSCRAPE_HEALTH_ACTIONS (email, Slack, Telegram, Sentry, ...).
NEWSSCRAPE_HEALTH = False
NEWSSCRAPE_HEALTH_STORE = ""
NEWSSCRAPE_HEALTH_RUNS = 10
NEWSSCRAPE_ALERTS_FILE = ""
NEWSSCRAPE_HEALTH_LOG_ALERTS = True
NEWSSCRAPE_HEALTH_ACTIONS: list[str] = []
# Below the summary (600) and Spidermon's usual 500: both read what it leaves in the stats.
EXTENSIONS["scraper.health.collect.RunHealthCollector"] = 400
SPIDERMON_ENABLED = False
SPIDERMON_SPIDER_CLOSE_MONITORS = ["scraper.health.monitors.HealthMonitorSuite"]
if importlib.util.find_spec("spidermon") is not None:  # the `spidermon` extra
    EXTENSIONS["spidermon.contrib.scrapy.extensions.Spidermon"] = 500

# --- Output through Scrapy's feed exports; `txt` and `md` are ours, for reading, not datasets.
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORTERS = {
    # Scrapy's JSON Lines, with each record encoded straight from its dict (the same bytes).
    "jsonlines": "scraper.sinks.jsonlines.RecordJsonLinesExporter",
    "jl": "scraper.sinks.jsonlines.RecordJsonLinesExporter",
    "txt": "scraper.sinks.textfile.TextExporter",
    "md": "scraper.sinks.textfile.MarkdownExporter",
    # Dataset sinks (scraper/sinks): typed Parquet, records into a database feed storage, and
    # CSV whose list and dict cells are JSON so they read back as lists and dicts.
    "parquet": "scraper.sinks.parquet.ParquetItemExporter",
    "database": "scraper.sinks.database.DatabaseItemExporter",
    "csv": "scraper.sinks.csvfile.CsvRecordExporter",
}
FEED_EXPORT_FIELDS = None

# --- Dataset sinks: `-o sqlite:///out.db` / `postgresql://…` are feed storages (format
# `database`). Local files and stdout go through guarded storages: a failed write (disk full,
# stdout closed) stops the crawl with one clear line; Parquet is written under a temporary name
# and renamed when complete (a killed crawl leaves no broken file at the target path).
FEED_STORAGES = {
    "": "scraper.sinks.output_guard.GuardedFileFeedStorage",
    "file": "scraper.sinks.output_guard.GuardedFileFeedStorage",
    "stdout": "scraper.sinks.output_guard.GuardedStdoutFeedStorage",
    "sqlite": "scraper.sinks.sqlite.SqliteFeedStorage",
    "postgresql": "scraper.sinks.postgres.PostgresFeedStorage",
    "postgres": "scraper.sinks.postgres.PostgresFeedStorage",
}
NEWSSCRAPE_ATOMIC_FEED_FORMATS = ["parquet"]
# Records per Parquet row group: the most a Parquet feed holds in memory at once.
NEWSSCRAPE_PARQUET_ROW_GROUP_SIZE = 1000

# --- Throughput: extraction in worker processes (`--workers N`; 0 = on the reactor thread), at
# most NEWSSCRAPE_WORKER_QUEUE pages per worker handed over at a time; pages waiting for a
# worker keep their responses counted in SCRAPER_SLOT_MAX_ACTIVE_SIZE, which holds the scheduler.
NEWSSCRAPE_WORKERS = os.cpu_count() or 1
# `--fast`: skip trafilatura's comparison with readability and justext (about a fifth less
# extraction CPU, a little less clean text; records say "(fast)" in `extractor`).
NEWSSCRAPE_FAST_EXTRACTION = False
NEWSSCRAPE_WORKER_QUEUE = 2
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 5_000_000
# That bound counts bytes (5,000 small pages fit); this one counts pages: while more than
# NEWSSCRAPE_WORKER_BACKLOG pages per worker wait for extraction, no new requests go out
# (0: no such limit).
NEWSSCRAPE_WORKER_BACKLOG = 16
# Scrapy starts this many asyncio tasks for every response's callback output (default 100);
# our callbacks yield one page item (and some requests), so 100 tasks a page were ~2 ms of
# reactor CPU for nothing.
CONCURRENT_ITEMS = 8

# --- Engine (the request fingerprinter is REQUEST_FINGERPRINTER_CLASS, under "Scheduled crawls")
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
# A dropped item is logged by its reason and URL, not with its whole HTML or text.
LOG_FORMATTER = "scraper.middlewares.logformatter.ShortDropLogFormatter"
TELNETCONSOLE_ENABLED = False
# Nor Scrapy's remote control (an HTTP server that runs the Python code it is sent, with its
# token in a file under the user's home): on in Scrapy 2.19, a port and a file every crawl.
REMOTE_CONTROL_ENABLED = False
