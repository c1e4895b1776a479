"""One article, one address: canonical URLs for state keys, de-duplication and fetching.

News articles travel under many URLs: with campaign parameters (`?utm_source=newsletter`),
click ids (`fbclid`, `gclid`), as AMP copies (`/amp/`, `?amp=1`, `amp.` hosts), with and
without `www.`, over http and https, with `#comments`. Two functions fold them:

- `clean_url(url)`: the same page without tracking parameters and fragment, query sorted.
  Still fetchable as is: scheme, host and path are kept. Used on the request side.
- `canonical_key(url)`: `clean_url` plus AMP undone, `www.` dropped, host lower-cased and
  the scheme folded to https. A key, not an address to fetch.
- `record_key(record)`: the key of an article record, `canonical_key` of its canonical URL:
  what the state, every stage and every sink index articles by.

Page-level canonicalisation (rel=canonical, og:url) happens in extraction; the record's
`canonical_url` is the page's own claim, and `canonical_key(record["canonical_url"])` folds
what is left (an AMP page's rel=canonical already names the canonical article).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that say how a reader arrived, never which page they read. Sources:
# Google Analytics campaign tags, ad click ids (Google, Microsoft, Facebook, Yandex, TikTok),
# Mailchimp and HubSpot newsletters, Instagram shares, and newspapers' own "ref"/"cmpid" tags.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "ttclid",
        "twclid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "hsctatracking",
        "igshid",
        "igsh",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "cmpid",
        "cmp",
        "ocid",
        "ncid",
        "s_cid",
        "sr_share",
        "smid",
        "smtyp",
        "at_medium",
        "at_campaign",
        "_ga",
        "_gl",
        "spm",
    }
)
# Prefixes of whole tracking families: utm_source, utm_medium, … and Piwik/Matomo's pk_*.
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "itm_")

# AMP copies: `?amp`, `?amp=1`, `?outputType=amp`; `/amp/` as a path segment; `.amp` or
# `.amp.html` suffixes (Guardian-style `amp.` host is handled separately).
_AMP_QUERY = {"amp", "outputtype"}
_AMP_SEGMENT = re.compile(r"/amp(?=/|$)", re.IGNORECASE)
_AMP_SUFFIX = re.compile(r"\.amp(\.html?)?$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_parameter(name: str) -> bool:
    """True for query parameters that only track the visit (`utm_source`, `fbclid`, …)."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def clean_url(url: str) -> str:
    """`url` without tracking parameters and fragment, query sorted, encoding normalised.

    The result is still the address of the same page on the same host, safe to fetch."""
    parts = urlsplit(url.strip())
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_parameter(name)
    ]
    rebuilt = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    try:
        return canonicalize_url(rebuilt, keep_blank_values=True)
    except ValueError:  # w3lib refuses e.g. a non-numeric port: keep the URL as written
        return rebuilt


def strip_amp(url: str) -> str:
    """The canonical article's URL for an AMP copy's URL (unchanged for other URLs)."""
    parts = urlsplit(url)
    host = parts.netloc
    if host.lower().startswith("amp."):
        host = host[4:]
    path = _AMP_SUFFIX.sub(lambda m: m.group(1) or "", parts.path)
    path = _AMP_SEGMENT.sub("", path) or "/"
    if parts.path.endswith("/") and not path.endswith("/"):
        path += "/"
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not (name.lower() in _AMP_QUERY and (name.lower() == "amp" or value.lower() == "amp"))
    ]
    return urlunsplit((parts.scheme, host, path, urlencode(query), parts.fragment))


# Each record's key is asked for by three stages in a row (the learned boilerplate, one record
# per article, near-duplicates): 0.22 ms a record computed each time, 0.10 ms with the last
# URLs' keys kept (733 records of the dev pages, fresh URLs, 7 passes, medians).
@functools.lru_cache(maxsize=1024)
def canonical_key(url: str) -> str:
    """The key one article has under all its URLs: tracking, fragment, AMP, `www.`, scheme
    and default port folded. Equal keys mean the same article."""
    parts = urlsplit(strip_amp(clean_url(url)))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:  # "host:abc": keep whatever was written
        port = None
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    if scheme in _DEFAULT_PORTS:
        scheme = "https"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def record_key(record: Mapping[str, Any]) -> str | None:
    """The key of an article record, the one every part of newsscrape identifies it by: the
    crawl state, the de-duplication stage, near-duplicate detection, the learned boilerplate,
    the distributed crawl's claims, every sink that keys rows and the dataset statistics.

    The record's canonical URL (else its fetched URL), folded by `canonical_key`; None for a
    record without any URL (a saved page extracted without --url), which each store keys its
    own way (the databases by the text fingerprint)."""
    url = record.get("canonical_url") or record.get("url")
    return canonical_key(str(url)) if url else None
