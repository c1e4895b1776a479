"""Dates as ISO 8601, keeping the time and UTC offset the page gives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import lxml.html
from lxml import etree

from scraper.extract.elements import (
    FIRST_PARAGRAPH_CHARS,
    OTHER_STORIES,
    BodyText,
    body_texts,
    headline_regions,
    in_headline,
    is_outside_article,
)

_ISO_LIKE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T\s](?P<time>\d{2}:\d{2}(?::\d{2})?)(?P<fraction>[.,]\d+)?\s*"
    r"(?P<offset>Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?",
    re.IGNORECASE,
)
_SLASHED = re.compile(r"\b(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})\b")
_EARLIEST_YEAR = 1990


def _offset(text: str | None) -> str:
    if not text:
        return ""
    text = text.upper()
    if text in ("Z", "UTC", "GMT"):
        return "+00:00"
    digits = text.replace(":", "")
    return f"{digits[:3]}:{digits[3:5]}"


def normalise_date(value: str | None) -> str | None:
    """An ISO 8601 string from a metadata date value, or None when it holds no usable date.

    "2023-09-22T04:17:33.000Z" -> "2023-09-22T04:17:33+00:00"; "2024-04-30" stays a date.
    Fractions of seconds are dropped: no page states a publication time that precisely.
    """
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    match = _ISO_LIKE.search(value)
    if match:
        date = match["date"]
        try:
            datetime.strptime(date, "%Y-%m-%d")
        except ValueError:
            return None
        if int(date[:4]) < _EARLIEST_YEAR:
            return None
        if not match["time"]:
            return date
        clock = match["time"] if len(match["time"]) == 8 else match["time"] + ":00"
        return f"{date}T{clock}{_offset(match['offset'])}"
    slashed = _SLASHED.search(value)
    if slashed:
        try:
            day = datetime(int(slashed["y"]), int(slashed["m"]), int(slashed["d"]))
        except ValueError:
            return None
        return day.strftime("%Y-%m-%d")
    return _parse_rfc2822(value)


def _parse_rfc2822(value: str) -> str | None:
    from email.utils import parsedate_to_datetime

    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.year < _EARLIEST_YEAR:
        return None
    return parsed.isoformat()


def offset_of(value: str | None) -> str | None:
    """The UTC offset ("+01:00") of an ISO value, None for a value without a time or offset."""
    if not value or len(value) < 25 or value[-6] not in "+-":
        return None
    return value[-6:]


def day_of(value: str | None) -> str | None:
    """The calendar day (YYYY-MM-DD) of an ISO value."""
    return value[:10] if value else None


def is_future(value: str, now: datetime | None = None) -> bool:
    """True for dates more than a day ahead: copyright years and event dates, not publication."""
    now = now or datetime.now(UTC)
    try:
        day = datetime.strptime(value[:10], "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return True
    return day > now + timedelta(days=1)


# Dates as pages print them ("Updated Dec 18, 2025", "17.05.2021", "3 janvier 2024"): month
# names are a closed class, listed for the languages the project has met.
_MONTH_NAMES = (
    "january jan januar janvier enero gennaio janeiro januari jänner",
    "february feb februar février fevrier febrero febbraio fevereiro februari",
    "march mar märz maerz mars marzo março maart",
    "april apr avril abril aprile",
    "may mai mayo maggio maio mei",
    "june jun juni juin junio giugno junho",
    "july jul juli juillet julio luglio julho",
    "august aug août aout agosto augustus",
    "september sep sept septembre septiembre settembre setembro",
    "october oct oktober octobre octubre ottobre outubro okt",
    "november nov novembre noviembre novembro",
    "december dec dezember décembre decembre diciembre dicembre dezembro dez",
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_PRINTED_DATES = (
    # "Dec 18, 2025", "December 15th 2025", "Jan. 16, 2026"
    re.compile(
        rf"\b(?P<m>{MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.I
    ),
    # "16 December 2025", "17. Mai 2021", "3 de enero de 2024", "29th August, 2023"
    re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?(?P<m>{MONTH_NAMES})\.?,?\s+(?:de\s+)?{_YEAR}\b",
        re.I,
    ),
    re.compile(rf"\b{_YEAR}-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    # "2025.12.17", "2025/12/17": year first, as East Asian and Hungarian pages and many blog
    # themes print it ("Published: 2025.12.17"); not a version number's "2023.10.1.4".
    re.compile(rf"(?<![\w.]){_YEAR}(?P<sep>[./])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})(?!\.?\d)"),
    # "17.05.2021": day first wherever dots separate the parts.
    re.compile(rf"\b(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.{_YEAR}\b"),
)
# "2/24/2026" is month first and "24/2/2026" day first; "3/10/2023" could be either, and is
# left alone.
_SLASHED_DAY = re.compile(rf"\b(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/{_YEAR}\b")
_WORD = re.compile(r"\w+")
# Every pattern above holds the year (_YEAR): a line without a run of its digits holds no date,
# and most short lines a page prints have none (the year's one search instead of six: a
# dateline walk tests about 70 lines a page).
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
# A dateline is the date with a label or a name beside it ("Last updated: …", "Juliette
# Carreiro - 2024-12-17", "By Jane Doe | Dec 12, 2025"); more words are a sentence about a
# date ("As of July 31, 2025, the FDA has received …"), not the page's own.
_MAX_DATELINE_CHARS = 80
_MAX_DATELINE_WORDS = 5


def day_from_parts(year: str, month: int | str, day: str) -> str | None:
    """YYYY-MM-DD from its parts, None for a day the calendar lacks."""
    try:
        return datetime(int(year), int(month), int(day)).strftime("%Y-%m-%d")
    except ValueError:
        return None


def printed_date(line: str) -> str | None:
    """The day (YYYY-MM-DD) of a dateline as printed on a page, or None when the line is not
    one: "Updated Dec 18, 2025" -> "2025-12-18"; a sentence that mentions a date -> None."""
    if len(line) > _MAX_DATELINE_CHARS or _YEAR_DIGITS.search(line) is None:
        return None
    for pattern in _PRINTED_DATES:
        match = pattern.search(line)
        if match:
            month = match["m"]
            number = _MONTHS.get(month.casefold(), 0) if not month.isdigit() else int(month)
            return _dateline_day(line, match, day_from_parts(match["y"], number, match["d"]))
    match = _SLASHED_DAY.search(line)
    if match:
        first, second = int(match["a"]), int(match["b"])
        if first > 12 >= second:
            return _dateline_day(line, match, day_from_parts(match["y"], second, match["a"]))
        if second > 12 >= first:
            return _dateline_day(line, match, day_from_parts(match["y"], first, match["b"]))
    return None


def _dateline_day(line: str, match: re.Match[str], day: str | None) -> str | None:
    rest = line[: match.start()] + " " + line[match.end() :]
    if day is None or len(_WORD.findall(rest)) > _MAX_DATELINE_WORDS:
        return None
    return day


@dataclass(frozen=True)
class PrintedDates:
    """The datelines a page prints: the one in the article's header (between the headline and
    the first paragraph), and the first anywhere in the article. A day (YYYY-MM-DD), or the
    ISO value of a <time> element's datetime."""

    header: str | None
    first: str | None


_NOT_TEXT = ("script", "style", "noscript")
# What XPath's normalize-space() strips (not the no-break space).
_XML_SPACE = " \t\n\r"


def _body_of(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    return tree.find(".//body") if tree.tag != "body" else tree


def texts_of(element: lxml.html.HtmlElement, body: lxml.html.HtmlElement) -> Iterator[BodyText]:
    """The texts BODY_TEXTS selects in `element`'s subtree and its tail (the body has none),
    read lazily: a walk that stops at the header's end need not select every text of the page
    first (about 1 ms a page)."""
    walker = etree.iterwalk(element, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event == "start":
            if node.tag in _NOT_TEXT:
                walker.skip_subtree()
            elif node.text and node.text.strip(_XML_SPACE):
                yield node.text, node, False
        elif node is not body and node.tail and node.tail.strip(_XML_SPACE):
            # (a comment's or instruction's tail is text of its parent, as for elements)
            yield node.tail, node.getparent(), True


def _headline_text_holder(body: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element of the body's first text (`texts_of(body, body)`) that is not a tail and
    sits in an H1: the first element with a text, in document order, of the first H1 that has
    one (outside scripts, styles and noscript)."""
    for h1 in body.iter("h1"):
        if any(a.tag in _NOT_TEXT for a in h1.iterancestors()):
            continue
        walker = etree.iterwalk(h1, events=("start",))
        for _, node in walker:
            if node.tag in _NOT_TEXT:
                walker.skip_subtree()
            elif node.text and node.text.strip(_XML_SPACE):
                return node
    return None


def _texts_from_headline(tree: lxml.html.HtmlElement) -> Iterator[BodyText]:
    """The body's texts (`texts_of(body, body)`) from the headline's first on: what a reader
    of the header alone needs (the walk of the texts above it, menus and banners, cost 0.35 ms
    a page where the header is read)."""
    body = _body_of(tree)
    holder = _headline_text_holder(body) if body is not None else None
    if body is None or holder is None:
        return
    yield from texts_of(holder, body)
    node = holder
    while True:
        for sibling in node.itersiblings():
            if isinstance(sibling.tag, str):
                yield from texts_of(sibling, body)
            elif (
                sibling.tag in (etree.Comment, etree.ProcessingInstruction)
                and sibling.tail
                and sibling.tail.strip(_XML_SPACE)
            ):
                yield sibling.tail, node.getparent(), True
        parent = node.getparent()
        if parent is None or parent is body:
            return
        if parent.tail and parent.tail.strip(_XML_SPACE):
            yield parent.tail, parent.getparent(), True
        node = parent


def _beside_headline(node: lxml.html.HtmlElement) -> frozenset[lxml.html.HtmlElement]:
    """The blocks that follow the headline in the element that holds it: the header's own
    (a newsletter's "newsletter-details-wrapper" with the issue's date under the H1), whatever
    their class names say of the layout or the page, unless they name other stories (a
    "related-posts" block right under the headline is not the header's)."""
    block = node if node.tag == "h1" else next(node.iterancestors("h1"), None)
    if block is None:
        return frozenset()
    # (from the H1's own wrapper: a <div> that holds the H1 alone)
    while (parent := block.getparent()) is not None and len(parent) == 1:
        if (parent.text or "").strip() or parent.tag in ("body", "html"):
            break
        block = parent
    return frozenset(
        sibling
        for sibling in block.itersiblings()
        if not OTHER_STORIES.search(f"{sibling.get('class') or ''} {sibling.get('id') or ''}")
    )


def printed_dates(tree: lxml.html.HtmlElement, *, header_only: bool = False) -> PrintedDates:
    """The page's printed datelines (see PrintedDates), outside footers, asides and teasers.

    One walk over the body's text, stopped once the header is read (`header_only`: without
    looking further for the first dateline); run in full only for pages whose metadata states
    no date.
    """
    first: str | None = None
    in_header = header_read = False
    regions = header_regions = headline_regions(tree)
    if header_only and not regions:
        return PrintedDates(None, None)  # no H1: no header to read
    # A <time> element's datetime is the date it prints, machine-readable: it reads what the
    # text cannot ("10/12/2023 7:38 PM", either order) and wins where they differ.
    stamps = {
        node: stamp
        for node in tree.iter("time")
        if (stamp := normalise_date(node.get("datetime"))) is not None
    }
    # (the header reader starts at the headline: no text above it changes its answer)
    texts = _texts_from_headline(tree) if header_only else body_texts(tree)
    for text, node, is_tail in texts:
        if node is None:
            continue
        if not (in_header or header_read or is_tail) and in_headline(node):
            in_header = True
            header_regions = regions | _beside_headline(node)
            continue
        line = text.strip()
        if len(line) >= FIRST_PARAGRAPH_CHARS:
            header_read, in_header = header_read or in_header, False
            if header_read and (first is not None or header_only):
                break
            continue
        if header_only and not in_header:
            continue  # (the first dateline outside the header is not asked for)
        stamp = stamps.get(node) or stamps.get(node.getparent()) if stamps else None
        day = stamp or printed_date(line)
        if day is None or is_outside_article(
            node, itself=True, article_regions=header_regions if in_header else regions
        ):
            continue
        if in_header:
            return PrintedDates(day, first or day)
        first = first or day
        if header_read:
            break
    return PrintedDates(None, first)
