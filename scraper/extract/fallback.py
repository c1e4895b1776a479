"""trafilatura's own metadata readers, asked only for what our stages did not find.

Its full metadata pass costs about a quarter of a page's extraction time; most pages need
none of it, and a page without an author or a date needs only that one reader.
"""

from __future__ import annotations

import copy
from functools import cached_property
from typing import Any

from htmldate import find_date
from trafilatura.metadata import extract_author, extract_metadata
from trafilatura.settings import set_date_params

from scraper.extract.document import PageDocument


class TrafilaturaFallback:
    """Lazy, cached readings of one page by trafilatura (on copies of our tree)."""

    def __init__(self, doc: PageDocument) -> None:
        self.doc = doc

    @cached_property
    def author(self) -> str | None:
        """Names from the page's author elements, ";"-separated (extract_author copies)."""
        return extract_author(self.doc.tree)

    @cached_property
    def date(self) -> str | None:
        """The publication date htmldate finds (original date; its quick search: the extensive
        one costs ~100 ms a page and found no more dates on the dev sets)."""
        params = set_date_params(False)
        found = find_date(copy.deepcopy(self.doc.tree), url=self.doc.url, **params)
        return found if isinstance(found, str) else None

    @cached_property
    def metadata(self) -> dict[str, Any]:
        """trafilatura's whole metadata reading: title, sitename, description, language..."""
        document = extract_metadata(copy.deepcopy(self.doc.tree), self.doc.url)
        data: dict[str, Any] = document.as_dict() if hasattr(document, "as_dict") else {}
        return data
