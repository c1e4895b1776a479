"""Feed exporters for reading articles rather than loading them: plain text and Markdown.

Registered in FEED_EXPORTERS as formats `txt` and `md`; datasets should use jsonlines.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exporters import BaseItemExporter


def _byline(record: dict[str, Any]) -> str:
    parts = []
    if record.get("authors"):
        parts.append("By " + ", ".join(record["authors"]))
    if record.get("published"):
        parts.append(str(record["published"]))
    if record.get("site_name") or record.get("domain"):
        parts.append(str(record.get("site_name") or record.get("domain")))
    return " · ".join(parts)


class TextExporter(BaseItemExporter):
    """Headline, byline line, URL, then the body; articles separated by a rule."""

    def __init__(self, file: Any, **kwargs: Any) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.first = True

    def render(self, record: dict[str, Any]) -> str:
        lines = [
            record.get("title") or "(untitled)",
            _byline(record),
            record.get("canonical_url") or record.get("url") or "",
        ]
        return "\n".join(line for line in lines if line) + "\n\n" + record.get("text", "") + "\n"

    def export_item(self, item: Any) -> None:
        record = ItemAdapter(item).asdict()
        separator = "" if self.first else "\n" + "=" * 72 + "\n\n"
        self.first = False
        self.file.write((separator + self.render(record)).encode(self.encoding or "utf-8"))


class MarkdownExporter(TextExporter):
    """One Markdown section per article: `#` headline, italic byline, link, body."""

    def render(self, record: dict[str, Any]) -> str:
        link = record.get("canonical_url") or record.get("url") or ""
        head = f"# {record.get('title') or '(untitled)'}\n\n"
        byline = _byline(record)
        if byline:
            head += f"*{byline}*\n\n"
        if link:
            head += f"<{link}>\n\n"
        return head + record.get("text", "") + "\n"
