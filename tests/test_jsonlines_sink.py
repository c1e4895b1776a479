"""The JSON Lines exporter writes what Scrapy's own writes, byte for byte."""

from __future__ import annotations

import io
import json
from typing import Any

from scrapy.exporters import JsonLinesItemExporter

from scraper import extract_article
from scraper.localsite import resolve_path
from scraper.runner import project_settings
from scraper.sinks.jsonlines import RecordJsonLinesExporter
from tests.conftest import ARTICLE_PATHS, SITE


def _records() -> list[dict[str, Any]]:
    records = []
    for path in ARTICLE_PATHS[:4]:
        page = resolve_path(SITE, path)
        assert page is not None
        record = extract_article(page.read_bytes(), "https://paper.example" + path)
        assert record is not None
        records.append(record.to_dict())
    # Values JSON has no literal for go through Scrapy's encoder in both.
    records.append({"url": "https://paper.example/x", "tags": ("a", "b"), "text": "é\n"})
    return records


def _written(exporter_class: type[JsonLinesItemExporter], **options: Any) -> bytes:
    stream = io.BytesIO()
    exporter = exporter_class(stream, **options)
    exporter.start_exporting()
    for record in _records():
        exporter.export_item(record)
    exporter.finish_exporting()
    return stream.getvalue()


def test_records_are_written_as_scrapys_exporter_writes_them() -> None:
    for options in ({"encoding": "utf-8"}, {}, {"fields_to_export": ["title", "url"]}):
        ours = _written(RecordJsonLinesExporter, **options)
        assert ours == _written(JsonLinesItemExporter, **options)
    assert list(json.loads(ours.splitlines()[0])) == ["title", "url"]


def test_the_crawls_jsonlines_formats_use_it() -> None:
    exporters = project_settings().getdict("FEED_EXPORTERS")
    path = "scraper.sinks.jsonlines.RecordJsonLinesExporter"
    assert exporters["jsonlines"] == exporters["jl"] == path
