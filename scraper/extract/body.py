"""Stage 3: the article body. trafilatura finds the main content; we remove what it keeps
that is not the article (chrome lines, the repeated headline, bylines, captions)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
import trafilatura
from trafilatura.settings import use_config

from scraper.extract.authors import parse_byline
from scraper.extract.chrome import is_chrome_line
from scraper.extract.document import PageDocument
from scraper.extract.metadata import PageMetadata, fold, squash

# trafilatura's own timeout uses SIGALRM, which only works on the main thread; Scrapy and
# worker pools call us elsewhere, and our own limits bound the input instead.
_TRAFILATURA_CONFIG = use_config()
_TRAFILATURA_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")

# Elements that are never article text, whatever the CMS: pruned before trafilatura runs.
_PRUNE_XPATH = [
    "//figcaption",
    "//*[@data-hook='post-footer' or @data-hook='recent-posts' or @data-hook='comments' "
    "or @data-hook='post-header' or @data-hook='like-button' or @data-hook='share-buttons']",
    "//*[@role='dialog' or @aria-modal='true']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' sr-only ') "
    "or contains(concat(' ', normalize-space(@class), ' '), ' visually-hidden ')]",
]
# How many leading paragraphs may hold the headline, dateline and byline.
_HEAD_ZONE = 6


@dataclass
class BodyText:
    """The article's paragraphs and what was learned from the lines taken out of them."""

    paragraphs: list[str]
    source: str
    byline_authors: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    fallback_metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Paragraphs separated by one blank line."""
        return "\n\n".join(self.paragraphs)


def _captions(tree: lxml.html.HtmlElement) -> list[str]:
    """Caption texts of figures, in page order (the first is usually the lead image's)."""
    found = []
    for node in tree.xpath(
        "//figcaption | //*[@data-hook='image-caption'] | //*[contains(@class, 'caption') "
        "and not(self::body) and not(descendant::p[string-length(normalize-space()) > 400])]"
    ):
        text = squash(node.text_content())
        if 0 < len(text) <= 400 and text not in found:
            found.append(text)
    return found


def run_trafilatura(doc: PageDocument, precision: bool = False) -> dict[str, Any]:
    """trafilatura's text and metadata for the page, on a copy of our parsed tree."""
    tree = copy.deepcopy(doc.tree)
    result = trafilatura.bare_extraction(
        tree,
        url=doc.url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=precision,
        prune_xpath=_PRUNE_XPATH,
        config=_TRAFILATURA_CONFIG,
    )
    if result is None:
        return {}
    data: dict[str, Any] = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    return data


def _split_paragraphs(text: str) -> list[str]:
    return [squash(line) for line in re.split(r"\n+", text or "") if squash(line)]


def clean_paragraphs(paragraphs: list[str], meta: PageMetadata, captions: list[str]) -> BodyText:
    """Drop chrome lines, the repeated headline, bylines and captions from the paragraphs."""
    headline_keys = {fold(h) for h in meta.headlines if fold(h)}
    caption_keys = {fold(c) for c in captions if fold(c)}
    kept: list[str] = []
    authors: list[str] = []
    removed_captions: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        key = fold(paragraph)
        near_head = index < _HEAD_ZONE and len(kept) < 3
        if is_chrome_line(paragraph):
            continue
        if key in headline_keys and (near_head or not kept):
            continue
        if key in caption_keys:
            removed_captions.append(paragraph)
            continue
        if near_head or index >= len(paragraphs) - 2:
            names = parse_byline(paragraph)
            if names is not None:
                authors.extend(names)
                continue
        kept.append(paragraph)
    return BodyText(kept, "trafilatura", byline_authors=authors, captions=removed_captions)


def extract_body(doc: PageDocument, meta: PageMetadata) -> BodyText:
    """The article's body paragraphs; JSON-LD articleBody when the HTML holds no body."""
    captions = _captions(doc.tree)
    extracted = run_trafilatura(doc)
    body = clean_paragraphs(_split_paragraphs(extracted.get("text") or ""), meta, captions)
    body.fallback_metadata = extracted
    body.captions = captions
    if meta.article_body:
        structured = clean_paragraphs(_split_paragraphs(meta.article_body), meta, captions)
        # A JS shell or teaser markup gives far less text than the structured body states.
        if sum(len(p) for p in structured.paragraphs) > 2 * sum(len(p) for p in body.paragraphs) + 200:
            structured.source = "json-ld"
            structured.fallback_metadata = extracted
            structured.captions = captions
            structured.byline_authors = body.byline_authors + structured.byline_authors
            return structured
    return body
