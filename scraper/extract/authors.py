"""Bylines to person names: split lists, drop roles and prefixes, reject the publisher."""

from __future__ import annotations

import re
import unicodedata

# "By", "Written by", and the same word in the languages the project has seen.
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:written|reported|words|text|story|photos?|edited)\s+)?"
    r"(?:by|von|por|par|di|door|av|af|de|da|przez|от|автор[ы]?:?)\s*[:\-–]?\s+",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|\||&|\band\b|\bund\b|\by\b|\bet\b|\be\b|\bog\b|\ben\b|\bi\b)\s*")
# "Jane Doe, Staff Writer" / "Jane Doe - Senior Correspondent": the role is not the name.
_ROLE_WORDS = re.compile(
    r"\b(?:staff|senior|chief|correspondent|reporter|writer|editor|columnist|contributor|"
    r"journalist|photographer|analyst|producer|redakteur(?:in)?|korrespondent(?:in)?|"
    r"redactor[a]?|corresponsal|periodista|rédacteur|journaliste|envoyée?\s+spéciale?)\b",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(r"https?://|www\.|@|\d{2,}|^\W+$")
_UPDATED = re.compile(r"\b(?:updated|published|posted|last\s+modified)\b", re.IGNORECASE)


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def natural_case(name: str) -> str:
    """ALL-CAPS bylines in natural case: "TYLER KEPNER" -> "Tyler Kepner", "O'NEIL" -> "O'Neil"."""
    letters = [c for c in name if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return name

    def word(w: str) -> str:
        parts = re.split(r"(['’\-])", w.lower())
        return "".join(p[:1].upper() + p[1:] if p not in "'’-" else p for p in parts)

    return " ".join(word(w) for w in name.split())


def strip_byline_prefix(text: str) -> tuple[str, bool]:
    """Remove a leading "By" (in several languages). Returns (rest, had_prefix)."""
    match = _BY_PREFIX.match(text)
    if match:
        return text[match.end() :], True
    return text, False


def split_names(text: str) -> list[str]:
    """Split "A, B and C" into names; a part after " / " (an agency or outlet) is dropped."""
    text = re.split(r"\s+[/|]\s+|\s+[-–—]\s+", text, maxsplit=1)[0]
    return [part.strip(" .,:;-–—\t") for part in _SPLIT.split(text) if part and part.strip()]


def is_plausible_name(name: str) -> bool:
    """A person or credit name: short, no URLs, not a date line, not a sentence."""
    words = name.split()
    return (
        0 < len(words) <= 6
        and len(name) <= 60
        and not _NOT_A_NAME.search(name)
        and not _UPDATED.search(name)
        and not name.endswith((".", "?", "!"))
    )


def clean_author_names(raw: list[str], publishers: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Clean candidate author strings into names, never a publisher posing as author."""
    publisher_keys = {_fold(p) for p in publishers if p and _fold(p)}
    publisher_keys |= {k.replace(" ", "") for k in publisher_keys}
    names: list[str] = []
    seen: set[str] = set()
    for item in raw:
        item, _ = strip_byline_prefix(" ".join(item.split()))
        for part in split_names(item):
            part = _ROLE_WORDS.split(part)[0].strip(" ,-–—") if _ROLE_WORDS.search(part) else part
            if not part or not is_plausible_name(part):
                continue
            key = _fold(part)
            if not key or key in seen:
                continue
            if key in publisher_keys or key.replace(" ", "") in publisher_keys:
                continue
            seen.add(key)
            names.append(natural_case(part))
    return names


def parse_byline(line: str) -> list[str] | None:
    """Names from a text line that is a byline ("By A, B and C"), or None if it is not one."""
    line = " ".join(line.split())
    if not line or len(line) > 120:
        return None
    rest, had_prefix = strip_byline_prefix(line)
    if not had_prefix or not rest:
        return None
    parts = split_names(rest)
    if not parts or not all(is_plausible_name(p) for p in parts):
        return None
    # A byline's names are capitalised words; a sentence starting with "By" is not a byline.
    for part in parts:
        words = [w for w in part.split() if w[:1].isalpha()]
        lower_words = [w for w in words if w[:1].islower() and w not in {"de", "van", "von", "da", "del", "la", "le", "bin", "al"}]
        if not words or len(lower_words) > 0:
            return None
    return [natural_case(p) for p in parts]
