"""Passwords written into URIs never leave the process in text: not in a log line, a summary,
an error line or an errors-output record.

A password reaches newsscrape inside URIs given to it (`-o postgresql://user:pass@db/news`,
`--redis redis://:pass@queue:6379/0`, `--state redis://…`, even a page URL with credentials),
and from there into messages that Scrapy, the database clients and newsscrape itself write.
Rather than trusting every message to leave it out, the places where text leaves are masked:

- `mask_passwords(text)`: `scheme://user:secret@host` becomes `scheme://user:***@host`;
- `mask_log_records()`: every log record made from then on is masked (a log record factory,
  so every handler, a LOG_FILE included, sees only masked text);
- `MaskedStream`: a text stream whose writes are masked (the CLI's standard error);
- the errors output (`scraper.sinks.errors_file`) masks each record it writes.
"""

from __future__ import annotations

import logging
import re
from typing import IO, Any

# `scheme://[user]:password@`: what lies between the first colon after `//` and the `@` (a
# password holds no `/`, `@` or space unencoded, RFC 3986), is the password.
_URI_PASSWORD = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)[^@/\s]+@")
# The same credentials without their scheme, as an error quotes a URL's network location
# ("invalid hostname: user:secret@127.0.0.1").
_NETLOC_PASSWORD = re.compile(r"(?<![\w.+-])(?!mailto:)([\w.%+-]+:)[^@/\s'\"<>]+@(?=[\w\[])")
MASK = "***"


def mask_passwords(text: str) -> str:
    """`text` with the password of every URI (or network location) in it replaced by `***`."""
    if "@" not in text:
        return text
    text = _URI_PASSWORD.sub(rf"\g<1>{MASK}@", text)
    return _NETLOC_PASSWORD.sub(rf"\g<1>{MASK}@", text)


def mask_log_records() -> None:
    """Mask every log record made from now on, message and traceback (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "masks_passwords", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        _mask_record(record)
        return record

    factory.masks_passwords = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def _mask_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # arguments that do not fit: logging reports it itself
        return
    masked = mask_passwords(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and record.exc_info[1] is not None:
        text = logging.Formatter().formatException(record.exc_info)
        # A formatter uses the cached text instead of formatting the traceback again.
        record.exc_text = mask_passwords(text)


class MaskedStream:
    """A text stream that masks passwords in everything written to it; the rest (isatty,
    fileno, encoding, ...) is the wrapped stream's."""

    def __init__(self, stream: IO[str]) -> None:
        self.wrapped = stream

    def write(self, text: str) -> int:
        self.wrapped.write(mask_passwords(text))
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


class PasswordMasking:
    """A Scrapy add-on (ADDONS in scraper/settings.py) that masks every log record of a crawl
    from its start, for Scrapy and Scrapyd users as for the CLI."""

    @classmethod
    def update_pre_crawler_settings(cls, settings: Any) -> None:
        mask_log_records()  # as early as Scrapy lets an add-on act

    def update_settings(self, settings: Any) -> None:
        mask_log_records()
