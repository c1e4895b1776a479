"""Text as the extraction stages compare it: folded to words, whitespace squashed."""

from __future__ import annotations

import functools
import html
import re
import unicodedata

# Soft hyphens and zero-width characters: invisible, but they split words for \w+.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_WORD = re.compile(r"\w+")


# An ASCII text folds to its words lower-cased: NFKC changes no ASCII character, casefold()
# lowers A to Z alone, and among ASCII characters \w matches letters, digits and "_" alone. So
# each other byte is a space, each capital its small letter, and the words split on the spaces:
# 1.5 against 4.4 us a text (the \w+ search was the cost), on three in five texts folded.
_ASCII_WORD_BYTES = (
    bytes(
        byte + 32 if 65 <= byte <= 90 else byte if chr(byte).isalnum() or byte == 95 else 32
        for byte in range(128)
    )
    + b" " * 128
)


# The stages fold the same blocks and paragraphs again and again (a page's ~600 calls fold
# ~220 strings, 2.3 ms of it): the last few pages' foldings are kept.
@functools.lru_cache(maxsize=2048)
def fold(text: str | None) -> str:
    """Text reduced to lower-case words, for comparing strings from different sources."""
    if not text:
        return ""
    if text.isascii():
        return b" ".join(text.encode().translate(_ASCII_WORD_BYTES).split()).decode()
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():  # (called for every block of every page: skip what cannot match)
        text = _INVISIBLE.sub("", text)
    return " ".join(_WORD.findall(text.casefold()))


def squash(text: str | None) -> str:
    """Whitespace collapsed; None and blank become ""."""
    return " ".join((text or "").split())


def clean_description(text: str | None) -> str | None:
    """A description as plain text: CMSs store escaped HTML in meta tags and JSON-LD, often
    escaped twice ("&lt;p&gt;Here&amp;#x27;s" is "<p>Here's"), so unescape until stable,
    then drop the tags."""
    if not text:
        return None
    for _ in range(3):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return squash(_TAG.sub(" ", text)) or None


# UTF-8 read as Latin-1 and encoded again ("Investorâ\x80\x99s" for "Investor’s"): a lead
# byte's character (Â to ô) before a continuation byte's (U+0080 to U+00BF).
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]")


def repair_text(text: str) -> str:
    """Text as the page meant it: UTF-8 that a CMS stored twice-encoded decoded once more,
    and character references it stored escaped ("SQL &#x26; AI") resolved. Text that does
    not decode as UTF-8 from its Latin-1 bytes is left as it is."""
    if "&" in text:
        text = html.unescape(text)
    if not _MOJIBAKE.search(text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text
