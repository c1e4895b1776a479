"""Article HTML that a JavaScript app ships inside a <script> instead of the page markup.

Next.js, Nuxt and similar apps render the article in the browser from a JSON state object
("contentHtml": "<p>…</p>"). When the HTML itself holds no article text, the longest such
HTML string in the page's scripts is the article body.
"""

from __future__ import annotations

import json
import re

import lxml.html
from lxml import etree

from scraper.extract.text import squash

# A JSON string literal (escapes included), long enough to be an article.
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.){400,})"', re.DOTALL)
# Escaped or plain paragraph tags: a script without them cannot hold article HTML.
_PARAGRAPH_TAG = re.compile(r"<p[\s>]|\\u003[cC]p[\s>\\]")
_BLOCKS = etree.XPath(
    "//*[self::p or self::h2 or self::h3 or self::li or self::blockquote]"
    "[not(ancestor::figure or ancestor::figcaption or ancestor::*[contains(@class, 'caption')])]"
    "[not(descendant::p)]"
)
# A body must say more than a teaser does.
MIN_PAYLOAD_CHARS = 400


def _paragraphs(fragment_html: str) -> list[str]:
    try:
        root = lxml.html.fragment_fromstring(fragment_html, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    return [text for node in _BLOCKS(root) if (text := squash(node.text_content()))]


def script_payload_paragraphs(tree: lxml.html.HtmlElement) -> list[str]:
    """Paragraphs of the longest article HTML held in a JSON string in the page's scripts."""
    best: list[str] = []
    best_chars = MIN_PAYLOAD_CHARS - 1
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json":
            continue  # JSON-LD articleBody is read by the metadata stage
        source = script.text or ""
        if len(source) < MIN_PAYLOAD_CHARS or not _PARAGRAPH_TAG.search(source):
            continue
        for match in _JSON_STRING.finditer(source):
            if not _PARAGRAPH_TAG.search(match.group(1)):
                continue
            try:
                value = json.loads(f'"{match.group(1)}"')
            except ValueError:
                continue
            paragraphs = _paragraphs(value)
            chars = sum(len(p) for p in paragraphs)
            if chars > best_chars:
                best, best_chars = paragraphs, chars
    return best
