"""CSV that reads back as the records it was written from.

Scrapy's stock CSV exporter joins lists with commas (an author "Smith, Jr." becomes two) and
writes dicts as Python reprs. Here list and dict cells are JSON, booleans `true`/`false`, null an
empty cell; `scraper.dataset.readers` decodes them by the record's field kinds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from scrapy.exporters import CsvItemExporter


def csv_cell(value: Any) -> Any:
    """One record value as a CSV cell."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return value


class CsvRecordExporter(CsvItemExporter):
    """Registered in FEED_EXPORTERS as `csv`: one row per record, typed cells as above."""

    def serialize_field(self, field: Mapping[str, Any] | Any, name: str, value: Any) -> Any:
        return csv_cell(value)
