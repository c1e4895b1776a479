"""Dates as ISO 8601, keeping the time and UTC offset the page gives."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

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
