"""What each rule removed, chose or rejected while a page was extracted.

Every stage names its decisions (`note("line", "chrome.share-label", "removed", text)`); a
caller who asks (`traced()`, used by `explain_article` and `newsscrape extract --explain`)
gets them in order, and each is logged at DEBUG. When nobody asks, `note` costs one context
variable lookup, and stages that would spend work describing a decision ask `tracing()` first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

logger = logging.getLogger("scraper.extract")

# How much of a removed block a decision keeps: enough to recognise it.
_SUBJECT_CHARS = 300


@dataclass(frozen=True)
class Decision:
    """One rule's effect on the page.

    `stage`: where it happened ("markup" before trafilatura, "line" on the extracted
    paragraphs, "body", "headline", "authors", "date", "kind"); `rule`: the rule's name;
    `action`: "removed", "chose", "rejected", "added" or "replaced"; `subject`: the text it
    concerned.
    """

    stage: str
    rule: str
    action: str
    subject: str

    def __str__(self) -> str:
        return f"{self.stage:8} {self.action:8} {self.rule}: {self.subject}"


_DECISIONS: ContextVar[list[Decision] | None] = ContextVar("newsscrape_decisions", default=None)


def tracing() -> bool:
    """True when somebody reads the decisions (a trace or DEBUG logging)."""
    return _DECISIONS.get() is not None or logger.isEnabledFor(logging.DEBUG)


def note(stage: str, rule: str, action: str, subject: str) -> None:
    """Record one decision for the current trace (if any) and the DEBUG log."""
    decisions = _DECISIONS.get()
    if decisions is None and not logger.isEnabledFor(logging.DEBUG):
        return
    subject = " ".join(subject.split())
    if len(subject) > _SUBJECT_CHARS:
        subject = subject[: _SUBJECT_CHARS - 1] + "…"
    decision = Decision(stage, rule, action, subject)
    if decisions is not None:
        decisions.append(decision)
    logger.debug("%s", decision)


@contextmanager
def traced() -> Iterator[list[Decision]]:
    """Collect the decisions made inside the block, in order."""
    decisions: list[Decision] = []
    token = _DECISIONS.set(decisions)
    try:
        yield decisions
    finally:
        _DECISIONS.reset(token)
