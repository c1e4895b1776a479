"""Every text of the fixture pages, for tests that hold a shortcut to the code it replaces."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html

_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture_page_texts() -> Iterator[str]:
    """Each element's whole text, own text and tail, of every fixture page (empty ones left out):
    short and long, ASCII and not, in the languages the fixtures hold."""
    for page in sorted(_FIXTURES.rglob("*.html")):
        tree = lxml.html.document_fromstring(page.read_text("utf-8", "replace"))
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for text in (element.text_content(), element.text, element.tail):
                if text:
                    yield text
