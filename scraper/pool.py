"""A pool of worker processes for CPU-bound work (extraction), awaited from the reactor.

Extraction costs 10-25 ms of CPU a page; on Scrapy's reactor thread it uses one core and
stalls downloads while it parses. `WorkerPool` runs it in `concurrent.futures` worker
processes instead:

- warm workers: a forkserver imports the modules named in `preload` once (trafilatura, lxml);
  each worker is forked from it already loaded;
- bounded: at most `max_pending` calls are submitted at a time; callers wait on a semaphore,
  so a caller's inputs stay with the caller (and Scrapy's scraper slot keeps counting their
  responses, which stops the scheduler from handing out more requests);
- a worker that dies (segfault, out of memory, killed) breaks the executor: the pool starts a
  new one and retries the affected calls once each, one at a time, so that only the call that
  keeps killing workers fails, with `WorkerCrashed`;
- workers ignore Ctrl-C (the crawl's own shutdown finishes their calls, then closes the pool)
  and exit on their own if the crawl process disappears.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

Result = TypeVar("Result")

# How often a worker checks that the process that started it is still there.
_ORPHAN_CHECK_SECONDS = 1.0

# What the extraction workers import before their first page: the extract stage and the
# extraction stack it calls (trafilatura, lxml), which the stage itself imports only when it
# first extracts, so that the crawl process does not (pipelines/extract.py builds its pool
# with them).
EXTRACTION_MODULES = ("pipelines.extract", "scraper.extract.article")


class WorkerCrashed(Exception):
    """A call killed its worker process twice (the second time alone)."""


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    # A killed process stays a zombie until its own parent reaps it.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _watch_crawl_process(crawl_pid: int) -> None:
    # A SIGKILLed crawl cannot shut its pool down, and the forkserver does not exit while its
    # workers live (they hold its "alive" pipe): each worker watches the crawl process itself.
    while not _process_gone(crawl_pid):
        time.sleep(_ORPHAN_CHECK_SECONDS)
    os._exit(0)


def _start_worker(preload: Sequence[str], crawl_pid: int) -> None:
    """Worker initializer: leave Ctrl-C to the crawl process, load the modules, watch the crawl."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for module in preload:
        __import__(module)
    threading.Thread(target=_watch_crawl_process, args=(crawl_pid,), daemon=True).start()


def _ready() -> int:
    return os.getpid()


def _forkserver_context(preload: Sequence[str]) -> multiprocessing.context.BaseContext | None:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    return context


def start_forkserver(preload: Sequence[str]) -> None:
    """Start, now, the forkserver that a `WorkerPool(preload=...)` forks its workers from: it
    imports `preload` in its own process (1 to 2 s for trafilatura and lxml) while this one
    goes on building the crawl, instead of while the first pages wait for workers. Returns at
    once; a pool started later uses this server (without forkserver: nothing to do)."""
    if _forkserver_context(preload) is None:
        return
    from multiprocessing import forkserver

    forkserver.ensure_running()


class WorkerPool:
    """Runs picklable functions in `workers` processes; `await pool.call(function, arg)`."""

    def __init__(self, workers: int, max_pending: int, preload: Sequence[str] = ()) -> None:
        if workers < 1:
            raise ValueError(f"a worker pool needs at least one worker, not {workers}")
        self.workers = workers
        self.max_pending = max(max_pending, workers)
        self.preload = tuple(preload)
        self.restarts = 0
        self.peak_pending = 0
        self._pending = 0
        self._executor: ProcessPoolExecutor | None = None
        self._generation = 0
        # Created on first use, inside the running event loop.
        self._slots: asyncio.Semaphore | None = None
        self._retry_lock: asyncio.Lock | None = None
        self._starting: Future[None] | None = None
        self._closed = False

    def _context(self) -> multiprocessing.context.BaseContext:
        # forkserver: workers start from a clean, single-threaded process (the crawl process has
        # threads and an event loop, which fork would copy), with the heavy imports done once.
        context = _forkserver_context(self.preload)
        return context if context is not None else multiprocessing.get_context("spawn")

    def start(self) -> None:
        """Start the worker processes now (otherwise the first call starts them)."""
        if self._closed:
            raise RuntimeError("the worker pool is closed")
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=self._context(),
                initializer=_start_worker,
                initargs=(self.preload, os.getpid()),
            )
            self._generation += 1
            # Start every worker now, not on the first pages.
            for _ in range(self.workers):
                self._executor.submit(_ready)

    def start_in_background(self) -> None:
        """Start the workers from a thread: starting the forkserver blocks while it imports."""
        if self._starting is not None:
            return
        starting: Future[None] = Future()
        self._starting = starting

        def start() -> None:
            try:
                self.start()
            except BaseException as error:
                starting.set_exception(error)
            else:
                starting.set_result(None)

        threading.Thread(target=start, name="worker-pool-start", daemon=True).start()

    def _restart(self, generation: int) -> None:
        if generation != self._generation or self._closed:
            return  # another caller already replaced this executor
        broken, self._executor = self._executor, None
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)
        self.restarts += 1
        self.start()

    def _submit(self, function: Callable[..., Result], args: tuple[Any, ...]) -> Future[Result]:
        self.start()
        assert self._executor is not None
        return self._executor.submit(function, *args)

    async def _attempt(self, function: Callable[..., Result], args: tuple[Any, ...]) -> Result:
        generation = self._generation if self._executor is not None else self._generation + 1
        try:
            return await asyncio.wrap_future(self._submit(function, args))
        except BrokenProcessPool:
            self._restart(generation)
            raise

    async def call(self, function: Callable[..., Result], *args: Any) -> Result:
        """`function(*args)` in a worker process; exceptions it raises are raised here."""
        if self._slots is None or self._retry_lock is None:
            self._slots = asyncio.Semaphore(self.max_pending)
            self._retry_lock = asyncio.Lock()
        if self._starting is not None:
            await asyncio.wrap_future(self._starting)
        async with self._slots:
            self._pending += 1
            self.peak_pending = max(self.peak_pending, self._pending)
            try:
                try:
                    return await self._attempt(function, args)
                except BrokenProcessPool:
                    pass
                # Every call in flight fails when one worker dies; retried alone, only the
                # call that kills its worker fails again.
                async with self._retry_lock:
                    try:
                        return await self._attempt(function, args)
                    except BrokenProcessPool as error:
                        raise WorkerCrashed("the extraction worker process died") from error
            finally:
                self._pending -= 1

    def close(self, wait: bool = True) -> None:
        """Stop the workers; calls not yet started are cancelled."""
        self._closed = True
        if self._starting is not None:
            self._starting.exception()  # wait for a start still in progress
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=True)
