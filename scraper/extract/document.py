"""Stage 1: bytes to a parsed page. Decoding follows the browser's order of evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, resolve_encoding

# Browsers treat a declared latin-1 as windows-1252; so must we, or “smart quotes” and € vanish.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


class NotHTMLError(ValueError):
    """The input cannot be an HTML page (binary data, empty body)."""


@dataclass
class PageDocument:
    """A decoded, parsed page and the URL it came from."""

    html: str
    url: str | None
    tree: lxml.html.HtmlElement
    encoding: str


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page's bytes: BOM, then the HTTP charset, then <meta>, then detection.

    Returns (text, encoding name). A UTF-8 declaration on bytes that are not UTF-8 (a common
    CMS misconfiguration) falls back to windows-1252 rather than producing U+FFFD everywhere.
    """
    header = content_type or ""
    encoding, text = html_to_unicode(header, body)
    if "\ufffd" in text and encoding in ("utf-8", "utf8"):
        declared = html_body_declared_encoding(body)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            fallback = resolve_encoding(declared) if declared else None
            if fallback in (None, "utf-8"):
                fallback = "cp1252"
            return body.decode(fallback, errors="replace"), fallback
    return text, encoding


def looks_binary(body: bytes) -> bool:
    """True for PDFs, images and other non-text bodies served as text/html."""
    head = body[:1024]
    if head.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")):
        return True
    return head.count(b"\x00") > 8


def load_document(
    html: str | bytes, url: str | None = None, content_type: str | None = None
) -> PageDocument:
    """Parse a page. Raises NotHTMLError for input that is not an HTML document."""
    if isinstance(html, bytes):
        if looks_binary(html):
            raise NotHTMLError("body is binary data, not HTML")
        text, encoding = decode_html(html, content_type)
    else:
        text, encoding = html, "unicode"
    text = _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1)
    if not text.strip():
        raise NotHTMLError("empty document")
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise NotHTMLError(f"cannot parse HTML: {error}") from error
    return PageDocument(html=text, url=url, tree=tree, encoding=encoding)
