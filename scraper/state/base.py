"""The crawl state's interface (`CrawlState`) and the values it answers with; the backends
(`scraper.state.sqlite`, `scraper.state.redis`) implement it and import nothing else of the state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class StateError(Exception):
    """The state store cannot be used; the message says what to do."""


@dataclass(frozen=True)
class Validators:
    """What a conditional request sends: the server's ETag and Last-Modified."""

    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class ArticleState:
    """What the state knows of one article (by canonical key)."""

    key: str
    canonical_url: str
    first_seen: str
    last_fetched: str | None
    last_status: int | None
    fingerprint: str | None
    version: int
    emitted_at: str | None
    emitted_run: str | None


class CrawlState(Protocol):
    """The incremental state's interface; every method that writes is one transaction."""

    def begin_run(self, job: str | None) -> str:
        """The crawl run for `job`: the unfinished one (a resumed crawl) or a new one."""

    def finish_run(self, run_id: str) -> None:
        """Mark a run finished: the next start of its job begins a new run."""

    def record_fetch(
        self, url: str, status: int, etag: str | None, last_modified: str | None
    ) -> None:
        """A response arrived for `url`; its validators describe content not yet settled."""

    def validators_for(self, url: str) -> Validators | None:
        """Validators for a conditional request to `url`, only when its latest response's
        content was settled (written, or judged unchanged)."""

    def key_for_url(self, url: str) -> str | None:
        """The article key a fetched URL gave last time, if any."""

    def url_fingerprint(self, url: str) -> str | None:
        """The content fingerprint `url` gave when it was last settled."""

    def settle(self, url: str, key: str, fingerprint: str) -> None:
        """`url`'s latest content (article `key`, this fingerprint) needs nothing more."""

    def record_unchanged(self, key: str, status: int) -> None:
        """The article was fetched again and had not changed."""

    def article(self, key: str) -> ArticleState | None:
        """The article's state, or None if it was never seen."""

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
        """The article's version with `fingerprint` was written (to `output`, which is now
        `committed_size` bytes long); returns its version number. Idempotent."""

    def committed_size(self, output: str) -> int | None:
        """Bytes of `output` known to hold whole, recorded articles (None: never written)."""

    def set_committed_size(self, output: str, size: int) -> None:
        """Record `output`'s committed size after recovering it."""

    def close(self) -> None:
        """Release the store."""
