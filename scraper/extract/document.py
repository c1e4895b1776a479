"""Stage 1: bytes to a parsed page. Decoding follows the browser's order of evidence."""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

import lxml.html
from lxml import etree
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, resolve_encoding

from scraper.extract.errors import NotHTMLError

# lxml.html's parser picks each element's Python class with a Python callback (forms and
# inputs get their own classes), run every time an element is touched from Python: a few
# milliseconds a page here and in trafilatura. Nothing in extraction uses the form classes,
# so every element is a plain HtmlElement, chosen in C.
# (A parser must not be shared between threads: each thread builds its own.)
_PARSERS = threading.local()


def _parser() -> lxml.html.HTMLParser:
    parser: lxml.html.HTMLParser | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = lxml.html.HTMLParser()
        parser.set_element_class_lookup(
            etree.ElementDefaultClassLookup(
                element=lxml.html.HtmlElement,
                comment=lxml.html.HtmlComment,
                pi=lxml.html.HtmlProcessingInstruction,
                entity=lxml.html.HtmlEntity,
            )
        )
        _PARSERS.parser = parser
    return parser


# lxml refuses str input that starts with an encoding declaration.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


@dataclass
class PageDocument:
    """A decoded, parsed page and the URL it came from."""

    url: str | None
    tree: lxml.html.HtmlElement
    encoding: str


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page's bytes: BOM, then the HTTP charset, then <meta>, then the bytes themselves.

    Returns (text, encoding name). Declarations are often wrong, so the bytes get the last word
    where they are unambiguous:
    - "UTF-8" declared on bytes that are not UTF-8 (a CMS misconfiguration): the page's <meta>
      encoding if the bytes decode in it, else windows-1252 for each byte that is not part of a
      valid UTF-8 sequence; so a windows-1252 page comes out right, and so does a UTF-8 page
      with one paragraph pasted from a windows-1252 editor (encoding "utf-8+cp1252").
    - Any other encoding declared on bytes that are valid, non-ASCII UTF-8: UTF-8. Text in a
      legacy encoding is practically never valid UTF-8 by chance (UTF-8 needs every byte
      above 0x7F in a lead-and-continuation pattern), while pages re-saved by other tools
      and archives keep a stale <meta> (GB2312 on UTF-8 bytes gave mojibake in every field).
    """
    encoding, text = html_to_unicode(content_type or "", body)
    encoding = _canonical(encoding)
    if body.startswith(_BOMS):
        return text, encoding  # a BOM is never wrong about its own encoding
    if encoding == "utf-8":
        if "\ufffd" not in text:
            return text, encoding
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return _decode_not_utf8(body)
        return text, encoding  # U+FFFD written in the page itself
    if not encoding.startswith(_WIDE_UNICODE) and not body.isascii():
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    return text, encoding


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# UTF-16 and UTF-32 text holds NUL bytes, which are valid UTF-8 too: the bytes cannot tell.
_WIDE_UNICODE = ("utf-16", "utf-32")


def _canonical(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def _decode_not_utf8(body: bytes) -> tuple[str, str]:
    """Bytes declared UTF-8 that are not: their <meta> encoding, or UTF-8 patched with cp1252."""
    declared = html_body_declared_encoding(body)
    meta_encoding = _canonical(resolve_encoding(declared) or "") if declared else ""
    if meta_encoding and meta_encoding != "utf-8":
        try:
            return body.decode(meta_encoding), meta_encoding
        except (UnicodeDecodeError, LookupError):
            pass
    return body.decode("utf-8", errors=_CP1252_FALLBACK), "utf-8+cp1252"


def _cp1252_for_invalid_bytes(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the bytes UTF-8 rejected, read as windows-1252 instead."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("cp1252", errors="replace"), error.end


_CP1252_FALLBACK = "newsscrape-cp1252-fallback"
codecs.register_error(_CP1252_FALLBACK, _cp1252_for_invalid_bytes)


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
        tree = lxml.html.document_fromstring(text, parser=_parser())
    except (etree.ParserError, ValueError) as error:
        raise NotHTMLError(f"cannot parse HTML: {error}") from error
    _adopt_content_after_root(tree)
    return PageDocument(url=url, tree=tree, encoding=encoding)


def _adopt_content_after_root(tree: lxml.html.HtmlElement) -> None:
    """Markup after a stray `</html>` (a template that closes the document early, then prints
    the article) is parsed by libxml2 into a second root element beside the document's, where
    no XPath from the root reaches it: browsers show it in the body, so it goes there."""
    body = tree.find("body")
    if body is None:
        return
    for stray in list(tree.itersiblings()):
        if isinstance(stray.tag, str) and stray.tag == "html":
            inner = stray.find("body")
            source = inner if inner is not None else stray
            body.extend(list(source))
