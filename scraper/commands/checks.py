"""What a command refuses before it runs: settings (`-s` values and the values that would stop a
crawl once started) and URLs given on the command line. Each refusal is a UsageError."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scraper.commands.exit_status import UsageError

if TYPE_CHECKING:
    from scrapy.settings import Settings


def checked(settings: Settings) -> Settings:
    """`settings`, once the values that would stop a crawl after it started are known good;
    else UsageError naming the bad one (one line, exit 2, no traceback)."""
    from pipelines.learned_boilerplate import rules_from_settings
    from pipelines.neardup import NearDupPipeline

    try:
        NearDupPipeline.from_settings(settings)
        rules_from_settings(settings)
    except ValueError as error:
        raise UsageError(f"{error} (check the -s values)") from error
    return settings


def checked_setting_pairs(values: list[str]) -> dict[str, str]:
    """The `-s NAME=VALUE` settings, each value checked against the type of its setting's
    default (UsageError naming the first that cannot be read); a name that no Scrapy,
    scrapy-redis or newsscrape setting has is warned about on stderr (a typo changes
    nothing, silently, otherwise)."""
    import difflib
    import sys

    from scraper.runner import project_settings

    pairs = setting_pairs(values)
    defaults = project_settings()
    known = set(defaults.attributes)
    for name, value in pairs.items():
        # Spidermon's settings (its actions' SPIDERMON_SLACK_..., the `spidermon` extra's)
        # are many and versioned with it: any SPIDERMON_ name is taken as one.
        if name not in known and not name.startswith("SPIDERMON_"):
            # Only now: scraper.distributed imports scrapy-redis and the redis client, 0.2 s
            # of a start that most commands' -s values do not need.
            from scraper.distributed import SCRAPY_REDIS_SETTINGS

            known.update(SCRAPY_REDIS_SETTINGS)
        if name not in known and not name.startswith("SPIDERMON_"):
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            print(
                f"newsscrape: warning: -s {name}: no Scrapy or newsscrape setting has this "
                f"name, so it changes nothing{hint}",
                file=sys.stderr,
            )
            continue
        default = defaults.get(name)
        problem = _value_problem(default, value)
        if problem:
            shown = f" (the default is {default!r})" if isinstance(default, int | float) else ""
            raise UsageError(f"-s {name}={value}: {problem}{shown}")
    return pairs


def _value_problem(default: object, value: str) -> str | None:
    """Why `value` cannot stand for a setting whose default is `default`, or None."""
    import json

    from scrapy.settings import BaseSettings

    if isinstance(default, bool):
        if value.strip().lower() not in ("0", "1", "true", "false"):
            return "expects true or false (or 1, 0)"
    elif isinstance(default, int | float):
        try:
            float(value)
        except ValueError:
            return "expects a number"
    elif isinstance(default, dict | BaseSettings) and value.strip():
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            return "expects a JSON object ({...})"
    return None


def setting_pairs(values: list[str]) -> dict[str, str]:
    settings = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-s expects NAME=VALUE, got {value!r}")
        settings[name.strip()] = setting
    return settings


def normalise_url(url: str, quiet: bool = False) -> str:
    """A URL the fetcher accepts: a bare host gets https:// (said on stderr unless `quiet`);
    other schemes are refused."""
    import sys

    from spiders.pages import url_problem

    url = url.strip()
    if "://" not in url and not url.startswith(("javascript:", "data:", "mailto:", "file:")):
        if not quiet:
            print(
                f"newsscrape: {url} has no scheme; taking it as https://{url} "
                "(write http:// for a plain-HTTP server)",
                file=sys.stderr,
            )
        url = "https://" + url
    problem = url_syntax_problem(url) or url_problem(url)
    if problem:
        raise UsageError(f"{url!r}: {problem}")
    return url


def url_syntax_problem(url: str) -> str | None:
    """What makes `url` unreadable as a URL (spaces, bad port, bad host), or None."""
    import re
    from urllib.parse import urlsplit

    if re.search(r"[\s\x00-\x1f\x7f]", url):
        return "the URL contains spaces or control characters; percent-encode them (%20)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (parsing the port is the check)
    except ValueError as error:
        return f"not a valid URL ({error})"
    host = parts.hostname or ""
    if host and not host.startswith("[") and (".." in host or host.startswith((".", "-"))):
        return f"{host!r} is not a valid host name"
    return None
