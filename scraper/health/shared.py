"""One health row per site for a distributed crawl, made from every worker's share.

Workers of one crawl (`newsscrape crawl --redis URL`) each see part of it: a worker's own
figures say nothing about the site. So each worker hands in its share when it stops, and the
last worker of the crawl merges the shares into the site's row for the run and checks it.
Keys, on the crawl's Redis server beside its queue (`distributed:`, so `newsscrape seed
--fresh` forgets them with the rest of the crawl):

- `distributed:health:run`: the crawl run's id, set by the first worker to start (SET NX);
- `distributed:health:workers:<run>` (set): the workers still running;
- `distributed:health:shares:<run>` (hash): each stopped worker's figures per site.

Handing in a share, leaving the set and, for the last worker, taking every share is one Lua
script: exactly one worker is the last, and it has every other worker's share. A worker
killed outright never hands in a share nor leaves the set; its run is then never checked
(the rows of its run are not written), and the keys expire after a week.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from scraper.distributed import redis_key
from scraper.health.metrics import RunHealth

RUN_KEY = redis_key("health:run")
EXPIRE_SECONDS = 7 * 24 * 3600

# KEYS: shares, workers, run marker; ARGV: worker, its share (JSON), run id, expiry.
_HAND_IN = """
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('SCARD', KEYS[2]) > 0 then return false end
local shares = redis.call('HVALS', KEYS[1])
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[3]) == ARGV[3] then redis.call('DEL', KEYS[3]) end
return shares
"""


class SharedRun:
    """This worker's place in the crawl run its workers share."""

    def __init__(self, redis_url: str) -> None:
        import redis

        self.server = redis.Redis.from_url(redis_url, socket_connect_timeout=10)
        self.worker = uuid.uuid4().hex
        self.run = ""
        self._hand_in = self.server.register_script(_HAND_IN)

    def _workers(self) -> str:
        return redis_key(f"health:workers:{self.run}")

    def _shares(self) -> str:
        return redis_key(f"health:shares:{self.run}")

    def join(self) -> str:
        """Join the crawl's run (the first worker starts it); its id."""
        self.server.set(RUN_KEY, uuid.uuid4().hex[:16], nx=True)
        run = self.server.get(RUN_KEY)
        self.run = run.decode() if isinstance(run, bytes) else str(run)
        self.server.sadd(self._workers(), self.worker)
        self.server.expire(self._workers(), EXPIRE_SECONDS)
        return self.run

    def hand_in(self, share: dict[str, RunHealth]) -> dict[str, RunHealth] | None:
        """Hand in this worker's figures per site; when it is the last worker of the run,
        the whole run's rows (complete), else None."""
        text = json.dumps({site: row.to_dict() for site, row in share.items()})
        shares: Any = self._hand_in(
            keys=[self._shares(), self._workers(), RUN_KEY],
            args=[self.worker, text, self.run, EXPIRE_SECONDS],
        )
        if not shares:
            return None
        merged: dict[str, RunHealth] = {}
        for data in shares:
            for site, fields in json.loads(data).items():
                row = RunHealth.from_dict(fields)
                merged[site] = merged[site].merged(row) if site in merged else row
        for row in merged.values():
            row.complete = True  # word counts stay for the check; the store drops them
        return merged

    def close(self) -> None:
        self.server.close()
