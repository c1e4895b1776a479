"""End-to-end throughput and memory, beside the afternoon version measured in the same run.

    python benchmarks/throughput.py                      # every page of ../shared/bench once
    python benchmarks/throughput.py --sets news-dev,wcxb-dev --runs 5 --reactor
    python benchmarks/throughput.py --pages 50000        # memory: light pages, RSS at intervals

Throughput mode serves the distinct real pages under ../shared/bench/<set>/html (read from
there into memory, never copied into the repository; `--sets` picks the sets, `--variants K`
serves each under K URLs) on 127.0.0.1 with keep-alive. Each run measures:

- the baseline: what one would write in an afternoon, Scrapy calling
  `trafilatura.extract(response.text, url=response.url)`, as single-process
  `trafilatura.extract` over the same pages, each decoded beforehand as Scrapy decodes a
  response (w3lib's `html_to_unicode` with the HTTP header: BOM, header, <meta>), so that only
  trafilatura is timed, after an untimed warm-up (its first calls load language data);
- newsscrape's own extraction (`record_from_page`) in one process over the same pages;
- the crawl, end to end to JSON Lines (`newsscrape get --url-file`) with extraction in worker
  processes (`--workers N`, default: the CPUs); with `--reactor`, also on the reactor thread;
- `newsscrape extract` of the same pages saved as files, and `newsscrape extract --warc` of
  an archive of them (made once, by a crawl with `--warc`, before the first run).

The baseline is measured in the middle of each run, between the commands, whose order turns
from run to run, so that the machine's other load meets all of them alike. It prints pages/s
for each (pages given, whatever became a record), then the medians and the ratios against the
baseline: the goal on a 2-core machine is at least 1.6x for the crawl and for both extract
modes. The machine may be shared, so each command also says where its CPU went (psutil; /proc
for the run queue): CPU milliseconds a page in its own process, in the workers, in the workers'
server (the forkserver they are forked from, which imports the extraction modules once) and in
the loopback server (this process), and how the workers spent the wall time: on a CPU, waiting in
the run queue for one (other load on the machine), or idle (not fed). From the CPU a page and
the baseline's, it prints the ceiling on idle cores, and the ceiling if extraction cost what
the baseline costs.

Memory mode (`--pages N`) serves N generated light articles and crawls them once, printing the
crawl's RSS every few seconds: it must stay flat after warm-up and under 400 MB. The
near-duplicate stage's sketches (~5 kB an article) go to a SQLite file, as with `newsscrape
crawl`'s default state; `--dedup-in-memory` keeps them in memory, where they grow with the
run. "RSS" is the crawl process; "tree PSS" adds its extraction workers, with shared pages
split between them.

Both serve their pages over HTTP/1.1 with keep-alive, as news sites do, and crawl with
loopback settings: no AutoThrottle or delay, 16 requests at a time, robots.txt not asked.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil

from scraper.localsite import ServedInBackground

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench"
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
# One host serves every page here; a real crawl spreads over many sites.
ONE_HOST = ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "ROBOTSTXT_OBEY=False"]


# --- Memory and CPU of a process and its children (psutil; the run-queue wait from /proc).


@dataclass
class ProcessCpu:
    """CPU accounting of one process of the crawl, from /proc: its role, CPU seconds (every
    thread), and its main thread's seconds on a CPU and waiting in the run queue for one (time
    the machine's other load took: not the crawl's fault)."""

    role: str
    cpu: float = 0.0
    on_cpu: float = 0.0
    run_queue: float = 0.0


def _process_cpu(process: psutil.Process) -> tuple[float, float, float] | None:
    try:
        times = process.cpu_times()
        # psutil has no reading of the scheduler's run queue: Linux's schedstat has it.
        sched = Path(f"/proc/{process.pid}/schedstat").read_text().split()
    except (psutil.Error, OSError, IndexError):
        return None
    return times.user + times.system, int(sched[0]) / 1e9, int(sched[1]) / 1e9


def _role(process: psutil.Process, crawl_pid: int) -> str:
    if process.pid == crawl_pid:
        return "crawl"
    try:
        command, parent = " ".join(process.cmdline()), process.ppid()
    except psutil.Error:
        return "other"
    # Extraction workers are forked by the pool's forkserver, itself a child of the crawl.
    if "forkserver" in command:
        return "forkserver" if parent == crawl_pid else "worker"
    return "other"


def _rss(process: psutil.Process) -> int:
    """RSS in bytes (0 once the process is gone)."""
    try:
        return int(process.memory_info().rss)
    except psutil.Error:
        return 0


def _pss(process: psutil.Process) -> int:
    """PSS in bytes (0 once the process is gone). Reading it walks the process's page tables
    (/proc/PID/smaps_rollup): ~10 ms a process, against 0.05 ms for RSS."""
    try:
        return int(getattr(process.memory_full_info(), "pss", 0))
    except psutil.Error:
        return 0


@dataclass
class MemorySample:
    """One reading: seconds since start, crawl process RSS, and PSS of it plus its children."""

    seconds: float
    rss_mb: float
    tree_pss_mb: float


@dataclass
class MemorySampler:
    """Samples the memory of `pid` (and descendants) every `interval` seconds in a thread."""

    pid: int
    interval: float = 0.5
    # PSS costs ~10 ms a process to read, CPU taken from the cores the command is measured
    # on (read every 0.5 s it was ~10 ms a page): the tree's PSS is read this often only.
    pss_interval: float = 5.0
    samples: list[MemorySample] = field(default_factory=list)
    # The last CPU reading of every process seen in the crawl's tree, by pid.
    cpu: dict[int, ProcessCpu] = field(default_factory=dict)
    # CPU seconds the sampler's own thread took (this process's CPU is otherwise the server's).
    own_cpu: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def _tree(self) -> list[psutil.Process]:
        try:
            crawl = psutil.Process(self.pid)
            return [crawl, *crawl.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def _run(self) -> None:
        start, start_cpu = time.monotonic(), time.thread_time()
        tree, tree_at = self._tree(), time.monotonic()
        pss, pss_at = 0, float("-inf")
        while not self._stop.is_set():
            # Finding children scans all of /proc: every 2 s is enough once they are there
            # (workers start once), and the sampler must not take the CPU the crawl is
            # measured on; until a child is seen, every reading looks, or a short command's
            # workers' server is never seen.
            if len(tree) < 2 or time.monotonic() - tree_at > 2.0:
                tree, tree_at = self._tree(), time.monotonic()
            rss = _rss(tree[0]) if tree else 0
            if time.monotonic() - pss_at >= self.pss_interval:
                pss, pss_at = sum(_pss(process) for process in tree), time.monotonic()
            self._read_cpu(tree)
            self.own_cpu = time.thread_time() - start_cpu
            if rss:
                self.samples.append(
                    MemorySample(time.monotonic() - start, rss / 2**20, pss / 2**20)
                )
            self._stop.wait(self.interval)

    def _read_cpu(self, tree: list[psutil.Process]) -> None:
        for process in tree:
            reading = _process_cpu(process)
            if reading is None:
                continue
            if process.pid not in self.cpu:
                self.cpu[process.pid] = ProcessCpu(_role(process, self.pid))
            entry = self.cpu[process.pid]
            entry.cpu, entry.on_cpu, entry.run_queue = reading

    def cpu_of(self, role: str) -> list[ProcessCpu]:
        """The CPU readings of the processes with that role (crawl, worker, forkserver)."""
        return [entry for entry in self.cpu.values() if entry.role == role]

    def __enter__(self) -> MemorySampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_rss_mb(self) -> float:
        return max((s.rss_mb for s in self.samples), default=0.0)

    @property
    def peak_tree_mb(self) -> float:
        return max((s.tree_pss_mb for s in self.samples), default=0.0)


# --- Pages and servers.


def load_bench_pages(bench: Path, sets: list[str] | None = None) -> dict[str, bytes]:
    """The benchmark's HTML pages (raw bytes, as a server would send them), by page id; of
    the sets named, or of every set."""
    pages = {}
    folders = [bench / name for name in sets] if sets else sorted(bench.iterdir())
    for path in sorted(p for folder in folders for p in folder.glob("html/*.html.gz")):
        pages[f"{path.parent.parent.name}-{path.name.removesuffix('.html.gz')}"] = gzip.decompress(
            path.read_bytes()
        )
    return pages


def bench_paths(pages: dict[str, bytes], variants: int) -> list[str]:
    """Every page under `variants` paths (distinct URLs, the same HTML)."""
    return [f"/v{variant}/{name}.html" for variant in range(variants) for name in pages]


# Words made of syllables: thousands of them, so that generated pages share few phrases (the
# near-duplicate stage would rightly cluster pages written from a handful of words).
_SYLLABLES = ["ba", "ke", "lo", "mi", "nu", "ra", "si", "to", "ve", "zu", "dor", "pan", "tel"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))


def light_article(number: int) -> bytes:
    """A small article page, different for every number (memory mode serves 50,000 of them)."""
    rng = random.Random(number)
    words = [_word(rng) for _ in range(120)]
    paragraphs = "".join(
        f"<p>{' '.join(words[i : i + 20]).capitalize()} in story {number}.</p>"
        for i in range(0, 120, 20)
    )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Story {number}</title>"
        f"<meta property='og:type' content='article'></head><body><article>"
        f"<h1>The {words[0]} story number {number}</h1>{paragraphs}</article></body></html>"
    ).encode()


class _PageHandler(BaseHTTPRequestHandler):
    # Keep-alive, as real news sites serve: without it every page costs the crawl a new TCP
    # connection, reactor CPU a real crawl does not spend.
    protocol_version = "HTTP/1.1"
    server: _PageServer

    def do_GET(self) -> None:
        body = self.server.page(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", self.server.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class _PageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, page: Callable[[str], bytes | None], content_type: str) -> None:
        super().__init__(("127.0.0.1", 0), _PageHandler)
        self.page = page
        self.content_type = content_type


class PageSite(ServedInBackground):
    """Pages from `page(path)` (None: 404) on 127.0.0.1, HTTP/1.1 with keep-alive."""

    def __init__(
        self, page: Callable[[str], bytes | None], content_type: str = "text/html"
    ) -> None:
        # Plain text/html by default: the bench pages declare their own charsets.
        super().__init__(_PageServer(page, content_type))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


def light_page(path: str) -> bytes | None:
    """`/story/N.html` for any N: `light_article(N)`."""
    name = path.rsplit("/", 1)[-1].removesuffix(".html")
    return light_article(int(name)) if name.isdigit() else None


def bench_page(pages: dict[str, bytes]) -> Callable[[str], bytes | None]:
    """`/vK/NAME.html` for any K: the benchmark page NAME, as its file holds it."""

    def page(path: str) -> bytes | None:
        return pages.get(path.rsplit("/", 1)[-1].removesuffix(".html"))

    return page


# --- Measurements.


@dataclass
class CrawlResult:
    """One crawl: wall seconds, records written, exit status and its memory readings."""

    seconds: float
    records: int
    status: int
    memory: MemorySampler
    # CPU seconds of this benchmark process meanwhile, less the sampler's: the loopback
    # server's threads, CPU the same cores gave to serving the pages.
    server_cpu: float = 0.0

    def rate(self, pages: int) -> float:
        return pages / self.seconds


def crawl(
    url_file: Path,
    out: Path,
    workers: int,
    report_every: float = 0.0,
    pages: int = 0,
    extra: tuple[str, ...] = (),
) -> CrawlResult:
    """`newsscrape get --url-file` in a subprocess, its memory sampled while it runs."""
    command = ["get", "--url-file", str(url_file), *FAST, *ONE_HOST]
    return run_command(command, out, workers, report_every, pages, extra)


def extract_files(files: list[Path], out: Path, workers: int) -> CrawlResult:
    """`newsscrape extract FILE...` of saved pages, in a subprocess."""
    return run_command(["extract", *map(str, files)], out, workers)


def extract_warc(archive: Path, out: Path, workers: int) -> CrawlResult:
    """`newsscrape extract --warc ARCHIVE`, in a subprocess."""
    return run_command(["extract", "--warc", str(archive)], out, workers)


def run_command(
    arguments: list[str],
    out: Path,
    workers: int,
    report_every: float = 0.0,
    pages: int = 0,
    extra: tuple[str, ...] = (),
) -> CrawlResult:
    """A `newsscrape` command writing `out`, in a subprocess, memory sampled while it runs."""
    command = [
        sys.executable,
        "-m",
        "scraper.cli",
        *arguments,
        "-o",
        str(out),
        "--workers",
        str(workers),
        "-q",
        *extra,
    ]
    start, start_cpu = time.monotonic(), time.process_time()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    with MemorySampler(process.pid) as memory:
        next_report = report_every
        while process.poll() is None:
            time.sleep(0.2)
            if report_every and time.monotonic() - start >= next_report:
                next_report += report_every
                done = _count_lines(out)
                last = memory.samples[-1] if memory.samples else MemorySample(0, 0, 0)
                print(
                    f"  {time.monotonic() - start:6.0f} s  {done:6d}/{pages} records  "
                    f"RSS {last.rss_mb:6.1f} MB  tree PSS {last.tree_pss_mb:6.1f} MB",
                    flush=True,
                )
    seconds = time.monotonic() - start
    server_cpu = time.process_time() - start_cpu - memory.own_cpu
    return CrawlResult(seconds, _count_lines(out), process.returncode, memory, server_cpu)


@dataclass
class CpuBreakdown:
    """Where a command's CPU went, per page: its own process (the crawl's reactor thread and
    the pool's feeder threads; for `extract`, reading and the later stages), the extraction
    workers, the loopback server, the workers' server (its preload: the workers are forked
    from it with the modules loaded, so their own CPU leaves that out); and how the workers
    spent the wall time."""

    crawl_ms: float
    workers_ms: float
    busy: float
    run_queue: float
    server_ms: float = 0.0
    workers_server_ms: float = 0.0

    @property
    def idle(self) -> float:
        """Share of the workers' time with nothing to do: what the crawl failed to feed them."""
        return max(0.0, 1.0 - self.busy - self.run_queue)

    @property
    def total_ms(self) -> float:
        """CPU milliseconds a page on the machine's cores, whoever spent them."""
        return self.crawl_ms + self.workers_ms + self.server_ms + self.workers_server_ms

    def line(self) -> str:
        text = f"CPU per page: main process {self.crawl_ms:5.1f} ms"
        if self.workers_ms:
            text += f", workers {self.workers_ms:5.1f} ms"
        if self.workers_server_ms:
            text += f", workers' server {self.workers_server_ms:4.1f} ms"
        if self.server_ms:
            text += f", loopback server {self.server_ms:4.1f} ms"
        if self.workers_ms:
            text += (
                f"; workers on a CPU {self.busy:4.0%}, waiting for a CPU {self.run_queue:4.0%} "
                f"(other load), idle {self.idle:4.0%}"
            )
        return text


def cpu_breakdown(result: CrawlResult, pages: int) -> CpuBreakdown:
    """The CPU figures of one command, from the last /proc readings of its processes."""
    crawl_cpu = sum(entry.cpu for entry in result.memory.cpu_of("crawl"))
    workers = result.memory.cpu_of("worker")
    wall = result.seconds * max(1, len(workers))
    return CpuBreakdown(
        crawl_ms=crawl_cpu / pages * 1000,
        workers_ms=sum(entry.cpu for entry in workers) / pages * 1000,
        busy=sum(entry.on_cpu for entry in workers) / wall if workers else 0.0,
        run_queue=sum(entry.run_queue for entry in workers) / wall if workers else 0.0,
        server_ms=result.server_cpu / pages * 1000,
        workers_server_ms=sum(entry.cpu for entry in result.memory.cpu_of("forkserver"))
        / pages
        * 1000,
    )


def _load() -> str:
    try:
        return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "load average unknown"


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for _ in handle)
    except OSError:
        return 0


def decoded_pages(pages: dict[str, bytes], origin: str) -> list[tuple[str, str]]:
    """(text, URL) of every page, decoded as Scrapy decodes a response (`response.text`:
    w3lib's html_to_unicode with the served Content-Type: BOM, header, <meta>). Done before
    the baseline is timed: the afternoon version's decoding is Scrapy's, ~0.5 ms a page, not
    trafilatura's; leaving it out makes the baseline faster, never slower."""
    from w3lib.encoding import html_to_unicode

    return [
        (html_to_unicode("text/html", body)[1], f"{origin}/v0/{name}.html")
        for name, body in pages.items()
    ]


def warm_up(texts: list[tuple[str, str]], pages: dict[str, bytes]) -> None:
    """One untimed call of each extraction on a few pages: the first calls load trafilatura's
    and newsscrape's lazily loaded parts (language data, date patterns), which a long run pays
    once; timing them would slow the baseline and flatter the ratios."""
    import trafilatura

    from pipelines.extract import ExtractPipeline
    from scraper.items import PageItem

    for (text, url), (name, body) in list(zip(texts, pages.items(), strict=True))[:20]:
        trafilatura.extract(text, url=url)
        ExtractPipeline.outcome_of(
            PageItem(f"http://127.0.0.1/{name}.html", 200, body, "text/html")
        )


def plain_trafilatura_rate(texts: list[tuple[str, str]]) -> tuple[float, float]:
    """Pages per second of the afternoon version in one process, `trafilatura.extract(text,
    url=url)` on each page as `response.text` gives it, and its CPU milliseconds a page
    (which the machine's other load changes less than the rate)."""
    import trafilatura

    start, start_cpu = time.perf_counter(), time.process_time()
    for text, url in texts:
        trafilatura.extract(text, url=url)
    cpu_ms = (time.process_time() - start_cpu) / len(texts) * 1000
    return len(texts) / (time.perf_counter() - start), cpu_ms


def our_extraction_rate(pages: dict[str, bytes]) -> tuple[float, float]:
    """Pages per second of newsscrape's own extraction (`record_from_page`), one process, and
    its CPU milliseconds a page."""
    from pipelines.extract import ExtractPipeline
    from scraper.items import PageItem

    start, start_cpu = time.perf_counter(), time.process_time()
    for name, body in pages.items():
        page = PageItem(f"http://127.0.0.1/{name}.html", 200, body, "text/html")
        ExtractPipeline.outcome_of(page)
    cpu_ms = (time.process_time() - start_cpu) / len(pages) * 1000
    return len(pages) / (time.perf_counter() - start), cpu_ms


def _median_cpu(runs: list[CpuBreakdown]) -> CpuBreakdown:
    return CpuBreakdown(
        **{
            measure.name: statistics.median(getattr(c, measure.name) for c in runs)
            for measure in fields(CpuBreakdown)
        }
    )


# What each row measures, in the order printed; the goal rows are the commands.
LABELS = {
    "plain": "baseline: trafilatura.extract(response.text), 1 process",
    "ours": "newsscrape extraction (record_from_page), 1 process",
    "reactor": "newsscrape get, extraction on the reactor (--workers 0)",
    "pool": "newsscrape get, {workers} extraction workers",
    "fast": "newsscrape get, {workers} workers, --fast",
    "files": "newsscrape extract FILE..., {workers} workers",
    "warc": "newsscrape extract --warc, {workers} workers",
}
GOAL_ROWS = ("pool", "files", "warc")
GOAL = 1.6


def throughput(args: argparse.Namespace) -> int:
    if not args.bench.is_dir():
        print(f"throughput: no benchmark pages at {args.bench} (give --bench DIR)", file=sys.stderr)
        return 2
    pages = load_bench_pages(args.bench, args.sets.split(",") if args.sets else None)
    if not pages:
        print(f"throughput: no <set>/html/*.html.gz pages under {args.bench}", file=sys.stderr)
        return 2
    workers = args.workers or os.cpu_count() or 1
    rows: dict[str, list[float]] = {kind: [] for kind in LABELS}
    cpu: dict[str, list[CpuBreakdown]] = {kind: [] for kind in LABELS}
    plain_cpu: list[float] = []
    ours_cpu: list[float] = []
    memory: dict[str, list[float]] = {"pool": [], "pool-tree": []}
    with tempfile.TemporaryDirectory(prefix="newsscrape-throughput-") as temp:
        root = Path(temp)
        paths = bench_paths(pages, args.variants)
        total = len(paths)
        saved = root / "saved"
        saved.mkdir()
        files = []
        for name, body in pages.items():
            files.append(saved / f"{name}.html")
            files[-1].write_bytes(body)
        with PageSite(bench_page(pages)) as site:
            url_file = root / "urls.txt"
            url_file.write_text("".join(site.url + p + "\n" for p in paths), encoding="utf-8")
            print(
                f"{len(pages)} distinct pages x {args.variants} URLs = {total} pages on "
                f"{site.url}; {args.runs} runs, {workers} workers, {os.cpu_count()} CPUs; {_load()}"
            )
            texts = decoded_pages(pages, site.url)
            warm_up(texts, pages)
            archive = root / "crawl.warc.gz"
            made = crawl(url_file, root / "archived.jsonl", workers, extra=("--warc", str(archive)))
            print(f"archive for extract --warc: {made.records} records, {made.seconds:.0f} s")

            def command(kind: str, run: int) -> CrawlResult:
                out = root / f"{kind}-{run}.jsonl"
                if kind == "reactor":
                    return crawl(url_file, out, 0)
                if kind == "fast":
                    return crawl(url_file, out, workers, extra=("--fast",))
                if kind == "files":
                    return extract_files(files, out, workers)
                if kind == "warc":
                    return extract_warc(archive, out, workers)
                return crawl(url_file, out, workers)

            commands = ["pool", "files", "warc"]
            commands += ["reactor"] if args.reactor else []
            commands += ["fast"] if args.fast else []
            for run in range(1, args.runs + 1):
                # The baseline is measured between the commands of each run, so that the
                # machine's other load meets both alike; the commands' order turns each run.
                shift = (run - 1) % len(commands)
                order = commands[shift:] + commands[:shift]
                half = len(order) // 2
                results: dict[str, CrawlResult] = {}
                for kind in order[:half]:
                    results[kind] = command(kind, run)
                plain_rate, plain_ms = plain_trafilatura_rate(texts)
                rows["plain"].append(plain_rate)
                plain_cpu.append(plain_ms)
                ours_rate, ours_ms = our_extraction_rate(pages)
                rows["ours"].append(ours_rate)
                ours_cpu.append(ours_ms)
                for kind in order[half:]:
                    results[kind] = command(kind, run)
                line = (
                    f"run {run}: baseline {plain_rate:6.1f} pages/s ({plain_ms:.0f} ms CPU a page)"
                    f" | record_from_page {ours_rate:6.1f} ({ours_ms:.0f} ms)"
                )
                for kind in commands:
                    result = results[kind]
                    rows[kind].append(result.rate(total))
                    cpu[kind].append(cpu_breakdown(result, total))
                    line += f" | {kind} {rows[kind][-1]:6.1f} ({result.records} records)"
                    if result.status not in (0, 1):
                        line += f" EXIT {result.status}"
                memory["pool"].append(results["pool"].memory.peak_rss_mb)
                memory["pool-tree"].append(results["pool"].memory.peak_tree_mb)
                print(line, flush=True)
                for kind in commands:
                    print(f"  {kind:7} {cpu[kind][-1].line()}")
                print(f"  {_load()}", flush=True)
    return report(args, rows, cpu, plain_cpu, ours_cpu, memory, workers)


def report(
    args: argparse.Namespace,
    rows: dict[str, list[float]],
    cpu: dict[str, list[CpuBreakdown]],
    plain_cpu: list[float],
    ours_cpu: list[float],
    memory: dict[str, list[float]],
    workers: int,
) -> int:
    """The medians beside the baseline, the CPU split, and what the cores allow."""
    medians = {kind: statistics.median(rows[kind]) for kind in LABELS if rows[kind]}
    plain = medians["plain"]
    plain_ms, ours_ms = statistics.median(plain_cpu), statistics.median(ours_cpu)
    print(f"\nmedians of {args.runs} runs (other load on the machine makes single runs noisy):")
    for kind, rate in medians.items():
        label = LABELS[kind].format(workers=workers)
        goal = f"   (goal >= {GOAL}x)" if kind in GOAL_ROWS else ""
        print(f"  {label:58} {rate:7.1f} pages/s   {rate / plain:.2f}x{goal}")
    print(
        f"  get's peak RSS {statistics.median(memory['pool']):.0f} MB "
        f"(+ workers: {statistics.median(memory['pool-tree']):.0f} MB PSS)"
    )
    print(
        f"  CPU a page, 1 process: baseline {plain_ms:.1f} ms, newsscrape's extraction "
        f"{ours_ms:.1f} ms ({ours_ms / plain_ms:.2f}x)"
    )
    # On N busy cores a command goes no faster than the CPU it needs per page allows; its
    # own process and the server are what it needs beyond extraction.
    cores = os.cpu_count() or 1
    for kind in GOAL_ROWS:
        if not cpu[kind]:
            continue
        split = _median_cpu(cpu[kind])
        # The workers' server only imports (its preload): CPU around extraction, not in it.
        overhead = split.crawl_ms + split.server_ms + split.workers_server_ms
        print(f"  {kind:7} {split.line()}")
        print(
            f"          ceiling on {cores} idle cores: {cores * plain_ms / split.total_ms:.2f}x; "
            f"with extraction at 1.0x the baseline's CPU: "
            f"{cores * plain_ms / (split.workers_ms * plain_ms / ours_ms + overhead):.2f}x "
            f"(beyond extraction {overhead / plain_ms:.2f} of a baseline page)"
        )
    return 0


def memory_mode(args: argparse.Namespace) -> int:
    workers = args.workers or os.cpu_count() or 1
    with (
        tempfile.TemporaryDirectory(prefix="newsscrape-memory-") as temp,
        PageSite(light_page, "text/html; charset=utf-8") as site,
    ):
        root = Path(temp)
        url_file = root / "urls.txt"
        with url_file.open("w", encoding="utf-8") as handle:
            for number in range(args.pages):
                handle.write(f"{site.url}/story/{number}.html\n")
        print(
            f"{args.pages} light pages on {site.url}, {workers} workers; RSS every {args.every:g} s"
        )
        # The near-duplicate stage keeps ~5 kB per article (sketches) for the whole run: in a
        # file, as `newsscrape crawl` keeps it beside its state, unless --dedup-in-memory.
        extra = (
            ()
            if args.dedup_in_memory
            else ("-s", f"NEWSSCRAPE_DEDUP_STATE={root / 'dedup.sqlite3'}")
        )
        result = crawl(
            root / "urls.txt", root / "out.jsonl", workers, args.every, args.pages, extra
        )
    samples = result.memory.samples
    warm = [s for s in samples if s.seconds >= result.seconds * 0.2]
    print(
        f"\n{result.records} records in {result.seconds:.0f} s "
        f"({args.pages / result.seconds:.0f} pages/s), exit status {result.status}"
    )
    if warm:
        first, last = warm[0], warm[-1]
        print(
            f"after warm-up (first 20% of the run): RSS {first.rss_mb:.0f} -> {last.rss_mb:.0f} MB, "
            f"peak {max(s.rss_mb for s in warm):.0f} MB; tree PSS peak "
            f"{max(s.tree_pss_mb for s in warm):.0f} MB; limit 400 MB"
        )
    return 0 if result.memory.peak_rss_mb < 400 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bench", type=Path, default=BENCH, help="benchmark data (default: %(default)s)"
    )
    parser.add_argument(
        "--sets",
        default="",
        help="comma-separated bench sets to serve (default: every set under --bench)",
    )
    parser.add_argument(
        "--variants", type=int, default=1, help="URLs per bench page (default: 1, distinct pages)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs; medians are reported (default: 3)"
    )
    parser.add_argument("--workers", type=int, default=0, help="extraction workers (default: CPUs)")
    parser.add_argument("--pages", type=int, default=0, help="memory mode: crawl N light pages")
    parser.add_argument(
        "--fast",
        action="store_true",
        help="also crawl with --fast extraction (no trafilatura comparison stage) in each run",
    )
    parser.add_argument(
        "--reactor",
        action="store_true",
        help="also crawl with extraction on the reactor thread (--workers 0) in each run",
    )
    parser.add_argument(
        "--every", type=float, default=10.0, help="memory mode: seconds between readings"
    )
    parser.add_argument(
        "--dedup-in-memory",
        action="store_true",
        help="memory mode: keep the near-duplicate state in memory (as `get` does without --state)",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    return memory_mode(args) if args.pages else throughput(args)


if __name__ == "__main__":
    sys.exit(main())
