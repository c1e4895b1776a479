"""Stage 2: the page's own statements about itself: JSON-LD, Open Graph, meta tags, the H1.

Each field keeps the source it came from (`provenance`), so datasets can weigh it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html

from scraper.extract.authors import clean_author_names
from scraper.extract.dates import is_future, normalise_date
from scraper.extract.document import PageDocument
from scraper.extract.jsonld import (
    LISTING_TYPES,
    find_article,
    jsonld_objects,
    text_values,
    types_of,
)

# Separators CMSs put between a headline and the site name in <title> and og:title.
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»/]\s+|\s+::\s+")
_LANG = re.compile(r"^[a-zA-Z]{2}(?:[-_]|$)")


def fold(text: str | None) -> str:
    """Text reduced to lower-case words, for comparing strings from different sources."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text or "").casefold()))


def squash(text: str | None) -> str:
    """Whitespace collapsed; None and blank become ""."""
    return " ".join((text or "").split())


@dataclass
class PageMetadata:
    """What the page says about the article, each field with where it came from."""

    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    image_caption: str | None = None
    article_body: str | None = None
    paywalled: bool = False
    page_types: set[str] = field(default_factory=set)
    headlines: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)

    def set(self, name: str, value: Any, source: str) -> None:
        """Set a field once: the first source that has a value wins."""
        if value in (None, "", []) or getattr(self, name) not in (None, "", []):
            return
        setattr(self, name, value)
        self.provenance[name] = source

    @property
    def is_article_typed(self) -> bool:
        """The page's metadata declares it an article."""
        return bool(self.page_types & {"article", "jsonld-article"})

    @property
    def is_listing_typed(self) -> bool:
        """The page's metadata declares it a list of articles or a site front."""
        return bool(self.page_types & (LISTING_TYPES | {"website"})) and not self.is_article_typed


def _meta(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for node in tree.iterfind(".//meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop")
        value = node.get("content")
        if key and value and value.strip():
            found.setdefault(key.strip().lower(), []).append(squash(value))
    return found


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        if meta.get(key):
            return meta[key][0]
    return None


def _visible_h1s(tree: lxml.html.HtmlElement) -> list[str]:
    texts = []
    for h1 in tree.iterfind(".//h1"):
        if h1.xpath("ancestor-or-self::*[@hidden or @aria-hidden='true' or self::noscript]"):
            continue
        text = squash(h1.text_content())
        if 0 < len(text) <= 300:
            texts.append(text)
    return texts


def strip_site_name(title: str, site_names: list[str]) -> str:
    """Remove " | Site Name" style affixes by comparing parts with the known site names."""
    keys = {fold(s) for s in site_names if fold(s)}
    keys |= {k.replace(" ", "") for k in keys}
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2 or not keys:
        return title
    kept = [p for p in parts if fold(p) not in keys and fold(p).replace(" ", "") not in keys]
    if kept and len(kept) < len(parts):
        # Rejoin with the original separators by cutting the affix off the original string.
        first, last = kept[0], kept[-1]
        start, end = title.find(first), title.rfind(last) + len(last)
        if 0 <= start < end:
            return title[start:end].strip()
    return title


def _domain_names(url: str | None) -> list[str]:
    host = urlsplit(url or "").hostname or ""
    host = host.removeprefix("www.")
    if not host:
        return []
    return [host, host.split(".")[0]]


def _choose_title(
    h1s: list[str], candidates: list[tuple[str, str]], site_names: list[str]
) -> tuple[str | None, str | None]:
    """The displayed headline: the H1 that agrees with the metadata, else metadata, cleaned."""
    cleaned = [(strip_site_name(text, site_names), source) for text, source in candidates if text]
    folded = [fold(text) for text, _ in cleaned]
    for h1 in h1s:
        key = fold(h1)
        if key and any(key == f or (len(key) > 20 and (f.startswith(key) or key.startswith(f))) for f in folded if f):
            return h1, "html"
    if len(h1s) == 1 and not cleaned:
        return h1s[0], "html"
    if cleaned:
        return cleaned[0]
    return (h1s[0], "html") if h1s else (None, None)


def extract_metadata(doc: PageDocument) -> PageMetadata:
    """Read every structured statement of the page into one PageMetadata."""
    tree, url = doc.tree, doc.url
    meta = _meta(tree)
    objects = jsonld_objects(tree)
    article = find_article(objects)
    result = PageMetadata()

    for obj in objects:
        types = types_of(obj)
        result.page_types |= types & LISTING_TYPES
    og_type = (_first(meta, "og:type") or "").lower()
    if og_type:
        result.page_types.add("article" if og_type == "article" else og_type)
    if article is not None:
        result.page_types.add("jsonld-article")

    # Site name and publisher: needed first, to reject them as authors and title affixes.
    publisher_names: list[str] = []
    if article is not None:
        publisher_names += text_values(article.get("publisher"), objects)
    for obj in objects:
        if types_of(obj) & {"website", "organization", "newsmediaorganization"}:
            publisher_names += text_values(obj.get("name"), objects)
    result.set("site_name", _first(meta, "og:site_name", "application-name", "al:android:app_name"), "meta")
    result.set("site_name", publisher_names[0] if publisher_names else None, "json-ld")
    result.publishers = [n for n in [result.site_name, *publisher_names] if n] + _domain_names(url)

    # Canonical URL: rel=canonical, then og:url, resolved against the fetched URL.
    canonical = tree.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href")
    for href, source in [(canonical[0] if canonical else None, "html"), (_first(meta, "og:url"), "meta")]:
        if href and href.strip():
            absolute = urljoin(url or "", href.strip())
            if absolute.startswith(("http://", "https://")):
                result.set("canonical_url", absolute, source)
    result.publishers += _domain_names(result.canonical_url)

    h1s = _visible_h1s(tree)
    title_candidates: list[tuple[str, str]] = []
    if article is not None:
        for key in ("headline", "name", "alternativeHeadline"):
            value = article.get(key)
            if isinstance(value, str) and value.strip():
                title_candidates.append((squash(value), "json-ld"))
                break
    for key in ("og:title", "twitter:title", "title", "dc.title", "citation_title", "parsely-title"):
        value = _first(meta, key)
        if value:
            title_candidates.append((value, "meta"))
    title_tag = tree.findtext(".//title")
    if title_tag and title_tag.strip():
        title_candidates.append((squash(title_tag), "html"))
    title, title_source = _choose_title(h1s, title_candidates, result.publishers)
    if title and title_source:
        result.set("title", title, title_source)
    result.headlines = list(dict.fromkeys([t for t in [title, *h1s] if t] + [t for t, _ in title_candidates]))

    if article is not None:
        result.set("description", squash(article.get("description")) if isinstance(article.get("description"), str) else None, "json-ld")
    result.set("description", _first(meta, "og:description", "description", "twitter:description"), "meta")

    # Authors: JSON-LD Person objects, then meta, then rel=author links.
    author_sources: list[tuple[list[str], str]] = []
    if article is not None:
        author_sources.append((text_values(article.get("author"), objects) + text_values(article.get("creator"), objects), "json-ld"))
    author_sources.append((meta.get("author", []) + meta.get("article:author", []) + meta.get("parsely-author", []) + meta.get("sailthru.author", []) + meta.get("dc.creator", []), "meta"))
    author_sources.append(([squash(a.text_content()) for a in tree.xpath("//a[@rel='author'] | //*[@itemprop='author']//*[@itemprop='name'] | //*[@itemprop='author' and not(*)]")], "html"))
    for raw, source in author_sources:
        names = clean_author_names([r for r in raw if not r.startswith(("http://", "https://"))], result.publishers)
        if names:
            result.set("authors", names, source)
            break

    # Dates: the structured publication date beats anything guessed from text.
    date_sources: list[tuple[str | None, str | None, str]] = []
    if article is not None:
        date_sources.append((_as_str(article.get("datePublished")), _as_str(article.get("dateModified")), "json-ld"))
    date_sources.append((
        _first(meta, "article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate", "date", "dc.date", "dc.date.issued", "dcterms.created", "parsely-pub-date", "sailthru.date", "publish-date", "cxenseparse:recs:publishtime"),
        _first(meta, "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified"),
        "meta",
    ))
    time_nodes = tree.xpath("//time[@datetime][@itemprop='datePublished' or contains(@class, 'publish') or contains(@class, 'entry-date')]/@datetime")
    date_sources.append((time_nodes[0] if time_nodes else None, None, "html"))
    for published, modified, source in date_sources:
        published_iso = normalise_date(published)
        if published_iso and not is_future(published_iso):
            result.set("published", published_iso, source)
        result.set("modified", normalise_date(modified), source)

    # Language: <html lang>, then metadata.
    lang_values = [tree.get("lang"), tree.get("xml:lang"), _first(meta, "og:locale", "content-language", "language", "dc.language")]
    if article is not None:
        lang_values.insert(0, _as_str(article.get("inLanguage")))
    for value in lang_values:
        if value and _LANG.match(value.strip()):
            result.set("language", value.strip()[:2].lower(), "html")
            break

    categories: list[str] = []
    tags: list[str] = []
    if article is not None:
        categories += text_values(article.get("articleSection"), objects)
        keywords = article.get("keywords")
        if isinstance(keywords, str):
            tags += [k.strip() for k in keywords.split(",")]
        elif isinstance(keywords, list):
            tags += [k.strip() for k in keywords if isinstance(k, str)]
    categories += meta.get("article:section", [])
    tags += meta.get("article:tag", [])
    if not tags and meta.get("news_keywords"):
        tags += [k.strip() for k in meta["news_keywords"][0].split(",")]
    result.set("categories", _unique(categories), "json-ld" if article and article.get("articleSection") else "meta")
    result.set("tags", _unique(tags), "json-ld" if article and article.get("keywords") else "meta")

    image = _first(meta, "og:image", "og:image:url", "twitter:image", "twitter:image:src")
    if article is not None and not image:
        images = text_values(article.get("image"), objects, key="url")
        image = images[0] if images else None
    if image:
        result.set("image", urljoin(url or "", image), "meta")

    if article is not None:
        body = article.get("articleBody")
        if isinstance(body, str) and body.strip():
            result.article_body = body.strip()
        free = article.get("isAccessibleForFree")
        if free is False or (isinstance(free, str) and free.strip().lower() == "false"):
            result.paywalled = True
            result.provenance["paywalled"] = "json-ld"
    return result


def _as_str(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    return value if isinstance(value, str) else None


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        value = squash(value)
        if value and fold(value) not in seen:
            seen[fold(value)] = value
    return list(seen.values())

