"""Pause, resume and survive SIGKILL with Scrapy's JOBDIR.

Scrapy's JOBDIR keeps the request queue and the seen-requests list so that a crawl stopped
cleanly (Ctrl-C or SIGTERM once: Scrapy finishes the requests in flight and saves the queue)
resumes where it stopped. Two cases it does not cover, handled here:

- Killed (SIGKILL, power loss): the queue's index is only written on a clean stop and
  `requests.seen` is written through a buffer, so after a kill both are unreliable: pages
  marked seen may never have been processed, and resuming from them would lose articles.
  A marker file says a crawl is running; if it is still there at start, the previous crawl
  was killed: the queue and seen list are discarded and discovery starts again. Nothing is
  written twice: the crawl state (`scraper.state`) remembers every article written and the
  resumed run is the same crawl run, and conditional requests make the re-visit cheap.
- Finished: a finished crawl's `requests.seen` would make the next scheduled run with the
  same JOBDIR skip every page. After any stop but a pause, the queue and seen list are cleared.

Two crawls never share a JOBDIR: the marker holds the running crawl's process id, and a
second crawl started meanwhile (an overlapping cron run) stops with one clear line instead of
taking the first one's queue for a killed crawl's.

Enabled when JOBDIR is set (`newsscrape crawl` sets one per site in the state directory).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)

RUNNING_MARKER = "newsscrape-running"
# Scrapy's own files in a JOBDIR (scheduler queue, dupefilter); spider.state is kept.
QUEUE_FILES = ("requests.queue", "requests.seen")


class JobdirInUse(Exception):
    """Another live crawl holds the JOBDIR; the message says what to do."""


def running_crawl(jobdir: Path) -> int | None:
    """The process id of the live crawl holding `jobdir`, or None (free, or its crawl died)."""
    try:
        pid = int((jobdir / RUNNING_MARKER).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    if pid == os.getpid():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid  # alive, another user's
    # After a reboot the number may belong to an unrelated process: only a crawler counts.
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        try:
            command = cmdline.read_bytes()
        except OSError:
            return pid
        return pid if b"scrap" in command or b"newsscrape" in command else None
    return pid


def check_jobdir_free(jobdir: Path) -> None:
    """Raise JobdirInUse if a live crawl holds `jobdir`."""
    pid = running_crawl(jobdir)
    if pid is not None:
        raise JobdirInUse(
            f"another crawl (process {pid}) is using the job directory {jobdir}; "
            "wait for it to finish, or give this one another --jobdir"
        )


def clear_queue(jobdir: Path) -> None:
    """Remove the scheduler's queue and the seen-requests list from a JOBDIR."""
    for name in QUEUE_FILES:
        path = jobdir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


class JobdirRecovery:
    """Makes a JOBDIR safe to reuse: after a kill, after a finished crawl, and on pause."""

    def __init__(self, jobdir: Path) -> None:
        self.jobdir = jobdir
        self.marker = jobdir / RUNNING_MARKER
        # Runs when the crawler builds its extensions: before the scheduler opens the JOBDIR.
        jobdir.mkdir(parents=True, exist_ok=True)
        check_jobdir_free(jobdir)
        if self.marker.exists():
            logger.warning(
                "JOBDIR %s: the previous crawl was killed before it could save its queue; "
                "discovering again (articles already written are skipped by the crawl state)",
                jobdir,
            )
            clear_queue(jobdir)
        elif (jobdir / "requests.queue").exists():
            logger.warning("JOBDIR %s: resuming the paused crawl", jobdir)
        self.marker.write_text(f"{os.getpid()}\n", encoding="ascii")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobdirRecovery:
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured  # not asked for: off without a warning
        extension = cls(Path(jobdir))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, reason: str) -> None:
        # The scheduler has saved (or dropped) its queue by now; spider_closed comes after.
        if reason == "shutdown":
            logger.warning(
                "crawl paused; its queue is in %s: run the same command to resume", self.jobdir
            )
        else:
            clear_queue(self.jobdir)
        self.marker.unlink(missing_ok=True)
