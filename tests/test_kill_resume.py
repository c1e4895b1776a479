"""SIGKILL at random points, then resume with the same state and output: in the end every
article is in the output exactly once and no line is partial (the real CLI, real processes).

Kills land at random moments: most after a random number of further articles were written
(while the crawl writes, where a torn line or an unrecorded article would show), some after a
random delay (during start-up and discovery). Each killed crawl is resumed with the same
--state and -o; after five kills a chain runs to completion, its output is checked, and a new
chain starts with a new state and output.
Set KILL_SEED to replay a sequence.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from scraper.canonical import canonical_key
from scraper.localsite import LocalSite
from tests.conftest import ROOT
from tests.generated_site import build_site

KILLS = 20
KILLS_PER_CHAIN = 5
CHAIN_ARTICLES = 24
BIG_SITE_ARTICLES = 300
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
QUICK = [
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s",
    "NEWSSCRAPE_WORKERS=0",
]
RUN_TIMEOUT = 180


@dataclass
class Chain:
    """One crawl killed and resumed until it completes: its state, output and history."""

    folder: Path
    runs: int = 0
    kills: list[str] = field(default_factory=list)

    @property
    def output(self) -> Path:
        return self.folder / "articles.jsonl"

    @property
    def state(self) -> Path:
        return self.folder / "state" / "state.sqlite3"


def written(output: Path) -> int:
    """Complete lines in the output so far."""
    try:
        return output.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def run_crawl(origin: str, chain: Chain, rng: random.Random | None, total: int) -> bool:
    """Start the crawl; kill it at a random point if `rng` is given. True if it completed."""
    chain.runs += 1
    log = (chain.folder / f"run{chain.runs}.log").open("wb")
    command = [
        sys.executable,
        "-m",
        "scraper.cli",
        "crawl",
        origin + "/",
        "--state",
        str(chain.state),
    ]
    command += ["-o", str(chain.output), *QUICK]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        if rng is not None:
            if rng.random() < 0.25:
                plan = f"after {rng.uniform(0.2, 4.0):.2f} s"
                wake = time.monotonic() + float(plan.split()[1])
                while time.monotonic() < wake and process.poll() is None:
                    time.sleep(0.005)
            else:
                start = written(chain.output)
                target = start + rng.randrange(0, max(1, total - start))
                jitter = rng.uniform(0, 0.05)
                plan = f"after line {target} (+{jitter * 1000:.0f} ms)"
                while written(chain.output) < target and process.poll() is None:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.002)
                time.sleep(jitter)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()
                chain.kills.append(plan)
                return False
        process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()
    report = (chain.folder / f"run{chain.runs}.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in report, report[-3000:]
    assert process.returncode in (0, 1), report[-3000:]
    return True


def check_exactly_once(chain: Chain, origin: str, expected: list[str], seed: int) -> None:
    """Every article exactly once, every line whole JSON."""
    data = chain.output.read_bytes()
    where = f"seed {seed}, kills {chain.kills}, folder {chain.folder}"
    assert data.endswith(b"\n"), f"partial last line ({where})"
    records = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    prefix = canonical_key(origin).rstrip("/")
    counts = Counter(canonical_key(r["canonical_url"]).removeprefix(prefix) for r in records)
    repeated = sorted(path for path, n in counts.items() if n > 1)
    assert not repeated, f"written twice: {repeated} ({where})"
    assert sorted(counts) == sorted(expected), (
        f"missing {sorted(set(expected) - set(counts))} ({where})"
    )


def test_sigkill_trials_lose_and_repeat_nothing(tmp_path: Path) -> None:
    seed = int(os.environ.get("KILL_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    site = build_site(tmp_path / "site", articles=CHAIN_ARTICLES, now=NOW)
    expected = sorted(a.path for a in site.articles)
    kills, chains = 0, []
    with LocalSite(site.root) as server:
        while kills < KILLS:
            chain = Chain(tmp_path / f"chain{len(chains)}")
            chain.folder.mkdir()
            chains.append(chain)
            # Kill and resume until the crawl completes or the chain's kills are used up.
            completed = False
            while len(chain.kills) < KILLS_PER_CHAIN and kills < KILLS and not completed:
                completed = run_crawl(server.url, chain, rng, CHAIN_ARTICLES)
                kills += not completed
            while not completed:
                completed = run_crawl(server.url, chain, None, CHAIN_ARTICLES)
            check_exactly_once(chain, server.url, expected, seed)
    assert sum(len(c.kills) for c in chains) == KILLS
    logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("chain*/run*.log"))
    # The resumed runs saw the killed crawl's JOBDIR and started discovery again.
    assert "the previous crawl was killed before it could save its queue" in logs


def test_sigkill_during_a_300_article_crawl(tmp_path: Path) -> None:
    seed = int(os.environ.get("KILL_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    site = build_site(tmp_path / "site", articles=BIG_SITE_ARTICLES, now=NOW)
    chain = Chain(tmp_path / "chain")
    chain.folder.mkdir()
    with LocalSite(site.root) as server:
        # One kill while it writes (a kill before the first line: once more), then resume.
        completed = False
        while not completed and not written(chain.output):
            completed = run_crawl(server.url, chain, rng, BIG_SITE_ARTICLES)
        while not completed:
            completed = run_crawl(server.url, chain, None, BIG_SITE_ARTICLES)
        assert chain.kills, "the crawl finished before it could be killed"
        check_exactly_once(chain, server.url, sorted(a.path for a in site.articles), seed)
