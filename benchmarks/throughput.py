"""End-to-end throughput and memory, beside the afternoon version measured in the same run.

    python benchmarks/throughput.py                      # every page of ../shared/bench once
    python benchmarks/throughput.py --sets news-dev,wcxb-dev --runs 5
    python benchmarks/throughput.py --pages 50000        # memory: light pages, RSS at intervals

Throughput mode serves the distinct real pages under ../shared/bench/<set>/html (read from
there into memory, never copied into the repository; `--sets` picks the sets, `--variants K`
serves each under K URLs) on 127.0.0.1 with keep-alive. Each run measures, one after the other:

- the baseline: what one would write in an afternoon, Scrapy calling
  `trafilatura.extract(response.text, url=response.url)`, as single-process
  `trafilatura.extract` over the same pages, each decoded as Scrapy decodes a response
  (w3lib's `html_to_unicode` with the HTTP header: BOM, header, <meta>);
- newsscrape's own extraction (`record_from_page`) in one process over the same pages;
- the crawl, end to end to JSON Lines (`newsscrape get --url-file`), with extraction on the
  reactor thread (`--workers 0`) and in worker processes (`--workers N`, default: the CPUs);
- `newsscrape extract` of the same pages saved as files, and `newsscrape extract --warc` of
  an archive of them (made once, by a crawl with `--warc`, before the first run).

It prints pages/s for each, then the medians and the ratios against the baseline: the goal on
a 2-core machine is at least 1.6x for the crawl and for both extract modes. The machine may be
shared, so each crawl also says where its CPU went (psutil; /proc for the run queue): CPU
milliseconds a page in the crawl process and in the workers, and how the workers spent the
wall time: on a CPU, waiting in the run queue for one (other load on the machine), or idle
(not fed by the crawl). From the CPU a page and the baseline's, it prints the ceiling on idle
cores.

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
from dataclasses import dataclass, field
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


def _memory(process: psutil.Process) -> tuple[int, int]:
    """RSS and PSS in bytes (0, 0 once the process is gone)."""
    try:
        memory = process.memory_full_info()
    except psutil.Error:
        return 0, 0
    return memory.rss, getattr(memory, "pss", 0)


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
    samples: list[MemorySample] = field(default_factory=list)
    # The last CPU reading of every process seen in the crawl's tree, by pid.
    cpu: dict[int, ProcessCpu] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def _tree(self) -> list[psutil.Process]:
        try:
            crawl = psutil.Process(self.pid)
            return [crawl, *crawl.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def _run(self) -> None:
        start = time.monotonic()
        tree, tree_at = self._tree(), time.monotonic()
        while not self._stop.is_set():
            # Finding children scans all of /proc: every 2 s is enough (workers start once),
            # and the sampler must not take the CPU the crawl is measured on.
            if time.monotonic() - tree_at > 2.0:
                tree, tree_at = self._tree(), time.monotonic()
            memory = [_memory(process) for process in tree]
            rss = memory[0][0] if memory else 0
            pss = sum(process_pss for _, process_pss in memory)
            self._read_cpu(tree)
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
    start = time.monotonic()
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
    return CrawlResult(seconds, _count_lines(out), process.returncode, memory)


@dataclass
class CpuBreakdown:
    """Where a crawl's CPU went, per page: the crawl process (reactor thread and the pool's
    feeder threads) and the extraction workers; and how the workers spent the wall time."""

    crawl_ms: float
    workers_ms: float
    busy: float
    run_queue: float

    @property
    def idle(self) -> float:
        """Share of the workers' time with nothing to do: what the crawl failed to feed them."""
        return max(0.0, 1.0 - self.busy - self.run_queue)

    def line(self) -> str:
        text = f"CPU per page: crawl process {self.crawl_ms:5.1f} ms"
        if self.workers_ms:
            text += (
                f", workers {self.workers_ms:5.1f} ms; workers on a CPU {self.busy:4.0%}, "
                f"waiting for a CPU {self.run_queue:4.0%} (other load), idle {self.idle:4.0%}"
            )
        return text


def cpu_breakdown(result: CrawlResult, pages: int) -> CpuBreakdown:
    """The CPU figures of one crawl, from the last /proc readings of its processes."""
    crawl_cpu = sum(entry.cpu for entry in result.memory.cpu_of("crawl"))
    workers = result.memory.cpu_of("worker")
    wall = result.seconds * max(1, len(workers))
    return CpuBreakdown(
        crawl_ms=crawl_cpu / pages * 1000,
        workers_ms=sum(entry.cpu for entry in workers) / pages * 1000,
        busy=sum(entry.on_cpu for entry in workers) / wall if workers else 0.0,
        run_queue=sum(entry.run_queue for entry in workers) / wall if workers else 0.0,
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


def plain_trafilatura_rate(pages: dict[str, bytes], origin: str) -> tuple[float, float]:
    """Pages per second of the afternoon version in one process, `trafilatura.extract(text,
    url=url)` on each page decoded as Scrapy decodes the response (`response.text`: w3lib's
    html_to_unicode with the served Content-Type), and its CPU milliseconds a page (which the
    machine's other load changes less than the rate)."""
    import trafilatura
    from w3lib.encoding import html_to_unicode

    start, start_cpu = time.perf_counter(), time.process_time()
    for name, body in pages.items():
        text = html_to_unicode("text/html", body)[1]
        trafilatura.extract(text, url=f"{origin}/v0/{name}.html")
    cpu_ms = (time.process_time() - start_cpu) / len(pages) * 1000
    return len(pages) / (time.perf_counter() - start), cpu_ms


def our_extraction_rate(pages: dict[str, bytes]) -> float:
    """Pages per second of newsscrape's own extraction (`record_from_page`), one process."""
    from pipelines.extract import ExtractPipeline
    from scraper.items import PageItem

    start = time.perf_counter()
    for name, body in pages.items():
        page = PageItem(f"http://127.0.0.1/{name}.html", 200, body, "text/html")
        ExtractPipeline.outcome_of(page)
    return len(pages) / (time.perf_counter() - start)


def _median_cpu(runs: list[CpuBreakdown]) -> CpuBreakdown:
    return CpuBreakdown(
        *(
            statistics.median(getattr(c, name) for c in runs)
            for name in ("crawl_ms", "workers_ms", "busy", "run_queue")
        )
    )


def throughput(args: argparse.Namespace) -> int:
    if not args.bench.is_dir():
        print(f"throughput: no benchmark pages at {args.bench} (give --bench DIR)", file=sys.stderr)
        return 2
    pages = load_bench_pages(args.bench, args.sets.split(",") if args.sets else None)
    if not pages:
        print(f"throughput: no <set>/html/*.html.gz pages under {args.bench}", file=sys.stderr)
        return 2
    workers = args.workers or os.cpu_count() or 1
    kinds = ("plain", "ours", "reactor", "pool", "fast", "files", "warc")
    rows: dict[str, list[float]] = {kind: [] for kind in kinds}
    memory: dict[str, list[float]] = {"reactor": [], "pool": [], "pool-tree": []}
    cpu: dict[str, list[CpuBreakdown]] = {"reactor": [], "pool": [], "fast": []}
    plain_cpu: list[float] = []
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
            archive = root / "crawl.warc.gz"
            made = crawl(url_file, root / "archived.jsonl", workers, extra=("--warc", str(archive)))
            print(f"archive for extract --warc: {made.records} records, {made.seconds:.0f} s")
            for run in range(1, args.runs + 1):
                plain_rate, plain_ms = plain_trafilatura_rate(pages, site.url)
                rows["plain"].append(plain_rate)
                plain_cpu.append(plain_ms)
                rows["ours"].append(our_extraction_rate(pages))
                reactor = crawl(url_file, root / f"reactor-{run}.jsonl", 0)
                pool = crawl(url_file, root / f"pool-{run}.jsonl", workers)
                rows["reactor"].append(reactor.rate(total))
                rows["pool"].append(pool.rate(total))
                memory["reactor"].append(reactor.memory.peak_rss_mb)
                memory["pool"].append(pool.memory.peak_rss_mb)
                memory["pool-tree"].append(pool.memory.peak_tree_mb)
                cpu["reactor"].append(cpu_breakdown(reactor, total))
                cpu["pool"].append(cpu_breakdown(pool, total))
                from_files = extract_files(files, root / f"files-{run}.jsonl", workers)
                from_warc = extract_warc(archive, root / f"warc-{run}.jsonl", workers)
                rows["files"].append(from_files.rate(len(files)))
                rows["warc"].append(from_warc.rate(made.records))
                print(
                    f"run {run}: baseline {rows['plain'][-1]:6.1f} pages/s | "
                    f"record_from_page {rows['ours'][-1]:6.1f} | "
                    f"crawl --workers 0 {rows['reactor'][-1]:6.1f} ({reactor.records} records) | "
                    f"crawl --workers {workers} {rows['pool'][-1]:6.1f} ({pool.records} records, "
                    f"peak RSS {pool.memory.peak_rss_mb:.0f} MB, "
                    f"with workers {pool.memory.peak_tree_mb:.0f} MB PSS) | "
                    f"extract {rows['files'][-1]:6.1f} ({from_files.records} records) | "
                    f"extract --warc {rows['warc'][-1]:6.1f} ({from_warc.records} records)",
                    flush=True,
                )
                print(f"  --workers 0: {cpu['reactor'][-1].line()}")
                print(f"  --workers {workers}: {cpu['pool'][-1].line()}; {_load()}", flush=True)
                if args.fast:
                    fast = crawl(url_file, root / f"fast-{run}.jsonl", workers, extra=("--fast",))
                    rows["fast"].append(fast.rate(total))
                    cpu["fast"].append(cpu_breakdown(fast, total))
                    print(
                        f"  --workers {workers} --fast: {rows['fast'][-1]:6.1f} pages/s "
                        f"({fast.records} records); {cpu['fast'][-1].line()}",
                        flush=True,
                    )
    medians = {kind: statistics.median(rows[kind]) for kind in kinds if rows[kind]}
    plain = medians["plain"]
    print(f"\nmedians of {args.runs} runs (other load on the machine makes single runs noisy):")
    labels = {
        "plain": "baseline: trafilatura.extract(response.text), 1 process",
        "ours": "newsscrape extraction, 1 process",
        "reactor": "crawl, extraction on the reactor",
        "pool": f"crawl, {workers} extraction workers",
        "fast": f"crawl, {workers} workers, --fast",
        "files": f"extract of saved files, {workers} workers",
        "warc": f"extract --warc, {workers} workers",
    }
    for kind, rate in medians.items():
        goal = "   (goal >= 1.6x)" if kind in ("pool", "files", "warc") else ""
        print(f"  {labels[kind]:55} {rate:7.1f} pages/s   {rate / plain:.2f}x{goal}")
    print(
        f"  crawl peak RSS {statistics.median(memory['pool']):.0f} MB "
        f"(+ workers: {statistics.median(memory['pool-tree']):.0f} MB PSS); with extraction on "
        f"the reactor {statistics.median(memory['reactor']):.0f} MB"
    )
    print(
        f"  {workers} workers vs the same extraction in 1 process: "
        f"{medians['pool'] / medians['ours']:.2f}x; vs the crawl with extraction on the "
        f"reactor: {medians['pool'] / medians['reactor']:.2f}x"
    )
    median_pool = _median_cpu(cpu["pool"])
    reactor_ms = statistics.median(c.crawl_ms for c in cpu["reactor"])
    print(f"  --workers 0: CPU per page: crawl process {reactor_ms:5.1f} ms")
    print(f"  --workers {workers}: {median_pool.line()}")
    if cpu["fast"]:
        print(f"  --workers {workers} --fast: {_median_cpu(cpu['fast']).line()}")
    # On N cores the crawl can go no faster than the CPU it needs per page allows.
    cores = os.cpu_count() or 1
    needed = median_pool.crawl_ms + median_pool.workers_ms
    plain_ms = statistics.median(plain_cpu)
    print(
        f"  CPU-bound ceiling on {cores} idle cores: {needed:.0f} ms of CPU a page against "
        f"{plain_ms:.0f} ms for the baseline: {cores * plain_ms / needed:.2f}x"
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
