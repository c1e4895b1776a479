"""The incremental crawl state in Redis, for distributed crawls (`scraper.state.CrawlState`).

Several workers on several machines share it the way one crawl shares the SQLite file: every
write is one Redis command or one Lua script (atomic), so two workers recording the same
article cannot both give it a new version. Keys (prefix `newsscrape:state:`):

- `fetch:<url>` (hash): etag, last_modified, status, fetched_at, validated, key, fingerprint;
- `article:<key>` (hash): the fields of `scraper.state.ArticleState`;
- `outputs` (hash): committed size by output path;
- `run:<id>` (hash) and `job:<job>` (the job's unfinished run).

    state = RedisCrawlState("redis://127.0.0.1:6379/0")
"""

from __future__ import annotations

import uuid
from typing import Any

from scraper.canonical import clean_url
from scraper.record import utc_now
from scraper.state.base import ArticleState, CrawlState, StateError, Validators

PREFIX = "newsscrape:state:"

# The version logic of SQLiteCrawlState.record_emission, in one atomic step: the same
# fingerprint recorded again in the same run keeps its version; anything else is a new one.
_RECORD_EMISSION = """
local article = KEYS[1]
local fingerprint, run_id, now, canonical = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local current = redis.call('HMGET', article, 'fingerprint', 'version', 'emitted_run')
if current[1] == fingerprint and current[3] == run_id then
  return tonumber(current[2])
end
local version = (tonumber(current[2]) or 0) + 1
if not current[2] then
  redis.call('HSET', article, 'first_seen', now, 'last_fetched', now)
end
redis.call('HSET', article, 'canonical_url', canonical, 'last_status', 200,
  'fingerprint', fingerprint, 'version', version, 'emitted_at', now, 'emitted_run', run_id)
return version
"""


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def connect_redis(url: str, what: str, error: type[Exception]) -> Any:
    """A connected client for the Redis server at `url` holding `what`, or `error` with one
    line: the `redis` extra missing, a malformed URL or a server that does not answer."""
    try:
        import redis
    except ImportError as missing:
        raise error(
            f"{what} in Redis needs the `redis` extra: pip install 'newsscrape[redis]'"
        ) from missing
    try:
        server = redis.Redis.from_url(url, socket_connect_timeout=10)
        server.ping()
    except (ValueError, redis.RedisError) as failure:
        raise error(
            f"cannot use {what} at {url}: {failure}; give a reachable redis:// URL"
        ) from failure
    return server


class RedisCrawlState:
    """`CrawlState` on a Redis server shared by every worker of a crawl."""

    def __init__(self, url: str, prefix: str = PREFIX) -> None:
        self.prefix = prefix
        self.server = connect_redis(url, "the crawl state", StateError)
        self._record_emission = self.server.register_script(_RECORD_EMISSION)

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    def _fetch_key(self, url: str) -> str:
        return self._key("fetch", clean_url(url))

    # --- Runs

    def begin_run(self, job: str | None) -> str:
        run_id = uuid.uuid4().hex[:16]
        if job is not None:
            # The job's unfinished run if there is one (SET NX: two workers starting together
            # join the same run).
            job_key = self._key("job", job)
            if not self.server.set(job_key, run_id, nx=True):
                existing = _text(self.server.get(job_key))
                if existing:
                    return existing
                self.server.set(job_key, run_id)
        self.server.hset(
            self._key("run", run_id), mapping={"job": job or "", "started_at": utc_now()}
        )
        return run_id

    def finish_run(self, run_id: str) -> None:
        run_key = self._key("run", run_id)
        job = _text(self.server.hget(run_key, "job"))
        with self.server.pipeline() as pipe:
            pipe.hset(run_key, "finished_at", utc_now())
            if job:
                pipe.delete(self._key("job", job))
            pipe.execute()

    # --- Fetches

    def record_fetch(
        self, url: str, status: int, etag: str | None, last_modified: str | None
    ) -> None:
        self.server.hset(
            self._fetch_key(url),
            mapping={
                "etag": etag or "",
                "last_modified": last_modified or "",
                "status": status,
                "fetched_at": utc_now(),
                "validated": 0,
            },
        )

    def validators_for(self, url: str) -> Validators | None:
        etag, last_modified, validated = (
            _text(v)
            for v in self.server.hmget(self._fetch_key(url), "etag", "last_modified", "validated")
        )
        if validated != "1" or not (etag or last_modified):
            return None
        return Validators(etag or None, last_modified or None)

    def key_for_url(self, url: str) -> str | None:
        return _text(self.server.hget(self._fetch_key(url), "key")) or None

    def url_fingerprint(self, url: str) -> str | None:
        return _text(self.server.hget(self._fetch_key(url), "fingerprint")) or None

    def settle(self, url: str, key: str, fingerprint: str) -> None:
        fetch_key = self._fetch_key(url)
        with self.server.pipeline() as pipe:  # MULTI/EXEC
            pipe.hsetnx(fetch_key, "fetched_at", utc_now())
            pipe.hset(fetch_key, mapping={"key": key, "fingerprint": fingerprint, "validated": 1})
            pipe.execute()

    # --- Articles

    def record_unchanged(self, key: str, status: int) -> None:
        article_key = self._key("article", key)
        if self.server.exists(article_key):
            self.server.hset(
                article_key, mapping={"last_fetched": utc_now(), "last_status": status}
            )

    def article(self, key: str) -> ArticleState | None:
        fields = {
            _text(name): _text(value)
            for name, value in self.server.hgetall(self._key("article", key)).items()
        }
        if not fields:
            return None

        def number(name: str) -> int | None:
            value = fields.get(name)
            return int(value) if value else None

        return ArticleState(
            key=key,
            canonical_url=fields.get("canonical_url") or "",
            first_seen=fields.get("first_seen") or "",
            last_fetched=fields.get("last_fetched"),
            last_status=number("last_status"),
            fingerprint=fields.get("fingerprint"),
            version=number("version") or 0,
            emitted_at=fields.get("emitted_at"),
            emitted_run=fields.get("emitted_run"),
        )

    def record_emission(
        self,
        key: str,
        canonical_url: str,
        fingerprint: str,
        run_id: str,
        url: str | None = None,
        output: str | None = None,
        committed_size: int | None = None,
    ) -> int:
        version = int(
            self._record_emission(
                keys=[self._key("article", key)],
                args=[fingerprint, run_id, utc_now(), canonical_url],
            )
        )
        if url:
            self.settle(url, key, fingerprint)
        if output is not None and committed_size is not None:
            self.set_committed_size(output, committed_size)
        return version

    # --- Outputs

    def committed_size(self, output: str) -> int | None:
        value = _text(self.server.hget(self._key("outputs"), output))
        return int(value) if value is not None else None

    def set_committed_size(self, output: str, size: int) -> None:
        self.server.hset(self._key("outputs"), output, size)

    def close(self) -> None:
        self.server.close()


def open_redis_state(url: str) -> CrawlState:
    """The state at a redis:// URL (for `scraper.state.open_state`)."""
    return RedisCrawlState(url)
