"""The item pipeline's stages, in order: the one list that Scrapy's ITEM_PIPELINES
(`scraper/settings.py`) and the offline chain of `newsscrape extract` are built from.

A page item enters at the top; from `extract` on, items are article records (dicts in schema
order). Each stage passes an item on, changes it, or drops it (DropItem; a page that gave no
article is a `scraper.failures.PageDropped`, which carries the failure). A stage that its
settings turn off raises NotConfigured when it is built and is left out, in a crawl as here.

To add a stage: write it in `pipelines/` (with `from_crawler`, and `from_settings` if it also
runs offline), then give it a line below; its `order` places it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


@dataclass(frozen=True)
class Stage:
    """One pipeline stage: its place in the order, its class, and what it does."""

    order: int
    path: str
    does: str
    # Also run by `newsscrape extract` on saved pages and archives, built by
    # `from_settings(settings)`: the stages that need no crawl (no state, no spider).
    offline: bool = False
    # Only in the workers of a distributed crawl (`newsscrape crawl --redis`).
    distributed: bool = False


STAGES = (
    Stage(
        50,
        "pipelines.incremental.NotModifiedPipeline",
        "with a crawl state: a page answered 304 Not Modified is an unchanged article",
    ),
    Stage(
        100,
        "pipelines.extract.ExtractPipeline",
        "page -> article record, or a failure with its stage and reason",
        offline=True,
    ),
    Stage(
        150,
        "pipelines.learned_boilerplate.BoilerplatePipeline",
        "lines the site repeats on many of its pages are learned and removed",
        offline=True,
    ),
    Stage(
        200,
        "pipelines.validate.ValidatePipeline",
        "the record must satisfy the JSON Schema",
        offline=True,
    ),
    Stage(
        250,
        "pipelines.incremental.IncrementalPipeline",
        "with a crawl state: only new and changed articles go on",
    ),
    Stage(
        300,
        "pipelines.dedup.CanonicalDedupPipeline",
        "one record per article key in a run",
        offline=True,
    ),
    Stage(
        350,
        "pipelines.neardup.NearDupPipeline",
        "syndicated and near-duplicate copies are marked, or dropped",
        offline=True,
    ),
    Stage(
        900,
        "pipelines.limits.CrawlLimitsPipeline",
        "--since and --max-articles, applied to what is really written",
    ),
    Stage(
        950,
        "pipelines.emit_once.EmitOncePipeline",
        "each article once across every worker of the crawl",
        distributed=True,
    ),
    Stage(
        990,
        "scraper.sinks.durable_jsonl.DurableJsonlPipeline",
        "the JSON Lines output a kill leaves whole (NEWSSCRAPE_JSONL_OUTPUT)",
    ),
)


def item_pipelines(distributed: bool = False) -> dict[str, int]:
    """Scrapy's ITEM_PIPELINES: every stage (a distributed crawl's worker: its own too)."""
    return {stage.path: stage.order for stage in STAGES if distributed or not stage.distributed}


class OfflineChain:
    """The offline stages outside a crawl (`newsscrape extract`): the same classes in the same
    order as a crawl runs them, each built by its `from_settings(settings)`."""

    def __init__(self, settings: BaseSettings) -> None:
        from scrapy.exceptions import NotConfigured
        from scrapy.utils.misc import load_object

        self.stages: list[Any] = []
        for stage in sorted(STAGES, key=lambda stage: stage.order):
            if not stage.offline:
                continue
            try:
                self.stages.append(load_object(stage.path).from_settings(settings))
            except NotConfigured:
                continue
        for built in self.stages:
            if hasattr(built, "open_spider"):
                built.open_spider()

    async def process(self, item: Any, start: int = 0, stop: int | None = None) -> Any:
        """`item` through every stage (or those from `start` to before `stop`, to run the
        first, extraction, for many pages at once and the rest one page at a time, in order);
        raises DropItem where a stage drops it."""
        import inspect

        for stage in self.stages[start:stop]:
            item = stage.process_item(item)
            if inspect.isawaitable(item):
                item = await item
        return item

    def close(self) -> None:
        """Close every stage (their stores: the near-duplicate state, the learned lines)."""
        for stage in self.stages:
            if hasattr(stage, "close_spider"):
                stage.close_spider()
