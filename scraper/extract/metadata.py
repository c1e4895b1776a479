"""Stage 2: the page's own statements about itself: JSON-LD, Open Graph, meta tags, the H1.

Each field keeps the source it came from (`provenance`), so datasets can weigh it. The
headline's choice lives in `headline`, the markup's bylines in `page_authors`; this module
reads every field in order of evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html

from scraper.extract.authors import clean_author_names, is_publisher, is_weak_credit
from scraper.extract.dates import (
    day_from_parts,
    is_future,
    normalise_date,
    offset_of,
    printed_date,
)
from scraper.extract.document import PageDocument
from scraper.extract.elements import is_outside_article
from scraper.extract.headline import (
    choose_title,
    headline_elements,
    title_affix,
    title_candidates,
    visible_h1s,
)
from scraper.extract.jsonld import (
    LISTING_TYPES,
    author_names,
    find_article,
    jsonld_objects,
    text_values,
    types_of,
)
from scraper.extract.page_authors import (
    META_AUTHOR_KEYS,
    author_page_authors,
    byline_block_authors,
    header_name_authors,
    is_url,
    labelled_byline_authors,
    linked_authors,
)
from scraper.extract.text import clean_description, fold, repair_text, squash
from scraper.extract.trace import note

# A day in the page's address: "/2025/12/18/" (WordPress permalinks and most news CMSs).
_ADDRESS_DAY = re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>\d\d)/(?P<d>\d\d)/")
_LANG = re.compile(r"^[a-zA-Z]{2}(?:[-_]|$)")

# Meta names of the publication and modification dates, most common first.
_PUBLISHED_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "published",
    "cxenseparse:recs:publishtime",
)
_MODIFIED_KEYS = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
)
# JSON-LD types of the page itself (not a listing: CollectionPage is in LISTING_TYPES).
_WEBPAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "faqpage", "medicalwebpage"})
_IMAGE_KEYS = ("og:image", "og:image:url", "twitter:image", "twitter:image:src")


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
    # The outlet the page's JSON-LD or meta tags name as the author ("FOCUS online"): the
    # record's author only when nothing on the page names a person (see article._merge_authors).
    credited_outlet: tuple[str, str] | None = None
    # The JSON-LD WebPage's datePublished on a page with no other structured date: the record's
    # date only when the article prints none (see article._fill_printed_date).
    page_object_published: str | None = None
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
        """The page's metadata declares it a list of articles (CollectionPage, ItemList...).

        og:type=website is not enough: many CMSs put it on every page, articles included."""
        return bool(self.page_types & LISTING_TYPES) and not self.is_article_typed


@dataclass
class _PageStatements:
    """What one page states about itself, parsed once and read by each field's reader."""

    tree: lxml.html.HtmlElement
    url: str | None
    meta: dict[str, list[str]]
    objects: list[dict[str, Any]]
    article: dict[str, Any] | None

    def first(self, *keys: str) -> str | None:
        """The first meta tag's value among `keys`."""
        for key in keys:
            if self.meta.get(key):
                return self.meta[key][0]
        return None

    def article_text(self, key: str) -> str | None:
        """A JSON-LD article property as a single string."""
        return _as_str(self.article.get(key)) if self.article is not None else None


def _meta(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for node in tree.iterfind(".//meta"):
        # http-equiv too: old pages state Content-Language only there.
        key = (
            node.get("property")
            or node.get("name")
            or node.get("itemprop")
            or node.get("http-equiv")
        )
        value = node.get("content")
        if key and value and value.strip():
            found.setdefault(key.strip().lower(), []).append(squash(value))
    return found


def _domain_names(url: str | None) -> list[str]:
    host = urlsplit(url or "").hostname or ""
    host = host.removeprefix("www.")
    if not host:
        return []
    return [host, host.split(".")[0]]


def extract_metadata(doc: PageDocument) -> PageMetadata:
    """Read every structured statement of the page into one PageMetadata."""
    objects = jsonld_objects(doc.tree)
    page = _PageStatements(doc.tree, doc.url, _meta(doc.tree), objects, find_article(objects))
    result = PageMetadata()
    _read_page_types(page, result)
    # Site name and publisher first: they are rejected as authors and title affixes.
    _read_site(page, result)
    categories = _categories(page)
    _read_title(page, result, categories)
    if page.article is not None:
        result.set("description", clean_description(page.article_text("description")), "json-ld")
    result.set(
        "description",
        clean_description(page.first("og:description", "description", "twitter:description")),
        "meta",
    )
    _read_authors(page, result)
    _read_dates(page, result)
    _read_language(page, result)
    result.set(
        "categories",
        _unique(categories),
        "json-ld" if page.article and page.article.get("articleSection") else "meta",
    )
    result.set(
        "tags",
        _unique(_tags(page)),
        "json-ld" if page.article and page.article.get("keywords") else "meta",
    )
    _read_image_and_body(page, result)
    return result


def _read_page_types(page: _PageStatements, result: PageMetadata) -> None:
    for obj in page.objects:
        result.page_types |= types_of(obj) & LISTING_TYPES
    og_type = (page.first("og:type") or "").lower()
    if og_type:
        result.page_types.add("article" if og_type == "article" else og_type)
    if page.article is not None:
        result.page_types.add("jsonld-article")


# What XPath's normalize-space() treats as space (not the no-break space).
_XML_SPACES = re.compile("[ \t\n\r]+")


def canonical_hrefs(tree: lxml.html.HtmlElement) -> list[str]:
    """The addresses of the page's rel=canonical links, in document order: `//link[contains(
    concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href` on `tree`, the page's root
    element, read from lxml's walk of the links (a third of the expression's 0.38 ms a page)."""
    return [
        href
        for link in tree.iter("link")
        if "canonical" in _XML_SPACES.split(link.get("rel") or "")
        and (href := link.get("href")) is not None
    ]


def _read_site(page: _PageStatements, result: PageMetadata) -> None:
    """Site name, the names the publisher goes by, and the canonical URL."""
    publisher_names: list[str] = []
    if page.article is not None:
        publisher_names += text_values(page.article.get("publisher"), page.objects)
    for obj in page.objects:
        if types_of(obj) & {"website", "organization", "newsmediaorganization"}:
            publisher_names += text_values(obj.get("name"), page.objects)
    site_name = page.first("og:site_name", "application-name", "al:android:app_name")
    result.set("site_name", repair_text(site_name) if site_name else None, "meta")
    result.set("site_name", publisher_names[0] if publisher_names else None, "json-ld")
    result.publishers = [n for n in [result.site_name, *publisher_names] if n] + _domain_names(
        page.url
    )

    # Canonical URL: rel=canonical, then og:url, resolved against the fetched URL.
    canonical = canonical_hrefs(page.tree)
    for href, source in [
        (canonical[0] if canonical else None, "html"),
        (page.first("og:url"), "meta"),
    ]:
        if href and href.strip():
            absolute = urljoin(page.url or "", href.strip())
            if absolute.startswith(("http://", "https://")):
                result.set("canonical_url", absolute, source)
    result.publishers += _domain_names(result.canonical_url)


def _categories(page: _PageStatements) -> list[str]:
    categories = (
        text_values(page.article.get("articleSection"), page.objects)
        if page.article is not None
        else []
    )
    return categories + page.meta.get("article:section", [])


def _read_title(page: _PageStatements, result: PageMetadata, categories: list[str]) -> None:
    title_tag = repair_text(squash(page.tree.findtext(".//title")))
    # Titles and names as the page meant them (see repair_text); not every meta value, since
    # unescaping an address would read its "&copy=1" as "©=1".
    meta = {
        key: [repair_text(v) for v in values] if "title" in key or "name" in key else values
        for key, values in page.meta.items()
    }
    candidates = title_candidates(page.article, meta, title_tag)
    headings, primary = headline_elements(page.tree)
    # The page's sections: its categories, and affixes a <title> may carry beside the site
    # name (with `content_category`, which some CMSs use instead of article:section).
    sections = categories + page.meta.get("content_category", [])
    news_typed = page.article is not None and any(
        t.endswith("newsarticle") for t in types_of(page.article)
    )
    title, title_source = choose_title(
        headings, primary, candidates, result.publishers, sections, news_typed=news_typed
    )
    if title and title_source:
        result.set("title", repair_text(title), title_source)
    result.set("site_name", title_affix(title_tag, title), "html")
    result.headlines = list(
        dict.fromkeys(
            [t for t in [title, *visible_h1s(page.tree)] if t] + [t for t, _ in candidates]
        )
    )


def _read_authors(page: _PageStatements, result: PageMetadata) -> None:
    """Authors, in order of evidence; the first source naming a person wins.

    A weak credit (initials) is kept only when no source names anyone else. The outlet itself
    is not among them: it goes to `credited_outlet`, which stands in only when no source on the
    page names a person (a Wix site's name in JSON-LD `author` is the builder's default, and
    the byline in the first paragraph is the real one).
    """

    def names_of(raw: list[str]) -> list[str]:
        return clean_author_names(
            [r for r in raw if not is_url(r)], result.publishers, keep_publishers=True
        )

    structured = author_names(page.article, page.objects) if page.article is not None else []
    first = names_of(structured)
    people = [n for n in first if not is_publisher(n, result.publishers)]
    if people and any(not is_weak_credit(n, result.publishers) for n in first):
        # JSON-LD names a person: it wins, and the outlet credit below stands in only for
        # pages whose sources name nobody, so the markup's bylines need not be read (~3 ms).
        result.set("authors", people, "json-ld")
        return
    markup_sources: list[tuple[list[str], str]] = [
        (linked_authors(page.tree), "html"),
        (byline_block_authors(page.tree, result.publishers), "html"),
        ([v for key in META_AUTHOR_KEYS for v in page.meta.get(key, [])], "meta"),
        (_written_by_card_authors(page), "meta"),
    ]
    cleaned = [(first, "json-ld"), *((names_of(raw), source) for raw, source in markup_sources)]
    for names, source in cleaned:
        real = [n for n in names if not is_weak_credit(n, result.publishers)]
        if real:
            result.set(
                "authors", [n for n in names if not is_publisher(n, result.publishers)], source
            )
            break
    for names, source in cleaned:
        result.set("authors", [n for n in names if not is_publisher(n, result.publishers)], source)
    if not result.authors:
        result.set("authors", labelled_byline_authors(page.tree, result.publishers), "html")
    if not result.authors:
        sections = _categories(page) + _tags(page)
        result.set("authors", header_name_authors(page.tree, result.publishers, sections), "html")
    if not result.authors:
        result.set("authors", author_page_authors(page.tree, result.publishers), "html")
    # The outlet the page states as the author, in order of evidence: its metadata, then the
    # byline on the page (a personal site whose author box names the site's owner, "Melissa
    # Norris" on melissaknorris.com; a company blog's "EcoFlow").
    outlet = next(
        (
            (name, source)
            for names, source in sorted(cleaned, key=lambda c: c[1] == "html")
            for name in names
            if is_publisher(name, result.publishers)
        ),
        None,
    )
    if outlet is not None:
        name, source = outlet
        # Cleaning set ALL-CAPS names in natural case; an outlet keeps the credit's own
        # spelling ("BBC NEWS", not "Bbc News").
        key = fold(name)
        spelled = next(
            (
                " ".join(r.split())
                for raw in [structured, *(raw for raw, _ in markup_sources)]
                for r in raw
                if fold(r) == key
            ),
            name,
        )
        result.credited_outlet = (spelled, source)


# The labels of the "Written by" field of a Twitter card (Yoast SEO sets `twitter:label1`
# "Written by" and the author's display name in `twitter:data1`), in the languages met.
_WRITTEN_BY_LABELS = frozenset(
    {"written by", "verfasst von", "geschrieben von", "escrito por", "écrit par", "scritto da"}
)
_TWITTER_CARD_FIELDS = 4


def _written_by_card_authors(page: _PageStatements) -> list[str]:
    """The name a Twitter card's "Written by" field gives. A display name typed in lower case
    ("kirstin boatto") is still the labelled author's, so it is set in title case."""
    for number in range(1, _TWITTER_CARD_FIELDS + 1):
        label = page.first(f"twitter:label{number}")
        value = page.first(f"twitter:data{number}")
        if label and value and label.strip().casefold() in _WRITTEN_BY_LABELS:
            return [value.title() if value.islower() and " " in value.strip() else value]
    return []


def published_time(tree: lxml.html.HtmlElement) -> str | None:
    """The datetime of the first <time> marked as the publication's: the first of `//time[
    @datetime][@itemprop='datePublished' or contains(@class, 'publish') or contains(@class,
    'entry-date')]/@datetime` on `tree`, the page's root element, read from lxml's walk of the
    <time> elements (a fifth of the expression's cost)."""
    for node in tree.iter("time"):
        stamp = node.get("datetime")
        marks = node.get("class") or ""
        if stamp is not None and (
            node.get("itemprop") == "datePublished" or "publish" in marks or "entry-date" in marks
        ):
            return stamp
    return None


def header_time_elements(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The <time> elements with a datetime in a header inside an article or a main element:
    `//article//header//time[@datetime] | //header[ancestor::main]//time[@datetime]` on `tree`,
    the page's root element, read from lxml's walk of the <time> elements."""
    found = []
    for node in tree.iter("time"):
        if node.get("datetime") is None:
            continue
        # One walk up: the nearest header, then an article or a main above it (one above any
        # header is above the nearest).
        above = node.iterancestors()
        if any(a.tag == "header" for a in above) and any(
            a.tag in ("article", "main") for a in above
        ):
            found.append(node)
    return found


def _read_dates(page: _PageStatements, result: PageMetadata) -> None:
    """The structured publication date beats anything guessed from text."""
    tree = page.tree
    date_sources: list[tuple[str | None, str | None, str]] = []
    if page.article is not None:
        date_sources.append(
            (page.article_text("datePublished"), page.article_text("dateModified"), "json-ld")
        )
    published_meta = page.first(*_PUBLISHED_KEYS)
    # A meta tag's date in words (`<meta name="published" content="July 17, 2025">`) is read
    # as a printed dateline. JSON-LD's are not: on the dev sets its worded dates ("Jun 24,
    # 2025") were a site builder's template values, wrong on 4 pages of 4.
    if published_meta and not normalise_date(published_meta):
        published_meta = printed_date(published_meta) or published_meta
    date_sources.append((published_meta, page.first(*_MODIFIED_KEYS), "meta"))
    # Both readings below look for a <time>: a page without one is spared their walks.
    has_time = next(tree.iter("time"), None) is not None
    date_sources.append((published_time(tree) if has_time else None, None, "html"))
    # Else the first <time> of the article's header: the dateline beside the byline.
    header_times = [
        node.get("datetime")
        for node in (header_time_elements(tree) if has_time else [])
        if not is_outside_article(node)
    ]
    date_sources.append((header_times[0] if header_times else None, None, "html"))
    for published, modified, source in date_sources:
        published_iso = normalise_date(published)
        if published_iso and not is_future(published_iso):
            result.set("published", published_iso, source)
        result.set("modified", normalise_date(modified), source)
    if offset_of(result.published) == "+00:00":
        _read_local_day(page, result)
    # The page object's date (a WebPage in JSON-LD beside no article): a site builder's, often
    # the day the page was made or last saved; weaker than a date the article prints.
    webpage = next((o for o in page.objects if types_of(o) & _WEBPAGE_TYPES), None)
    if webpage is not None and not result.published:
        stated = normalise_date(_as_str(webpage.get("datePublished")))
        if stated and not is_future(stated):
            result.page_object_published = stated


def _read_local_day(page: _PageStatements, result: PageMetadata) -> None:
    """A publication time stated in UTC, given as the day the page's address states.

    A story published at 21:41 in New York carries "02:41+00:00" the next day in its metadata,
    while its address holds the day its readers saw ("/2025/12/18/"). When the address's day
    is the instant's day in some time zone, the record keeps that day (without a time: the
    offset is unknown).

    Tried and dropped: giving the instant in the offset that the page's other timestamps
    state (its update time, its comments'). WCXB's gold follows the UTC day on as many pages
    as the local day, and a winter offset misreads a summer time.
    """
    published = result.published or ""
    address = _ADDRESS_DAY.search(urlsplit(page.url or "").path)
    day = day_from_parts(address["y"], address["m"], address["d"]) if address else None
    if day and day != published[:10] and _is_local_day(day, published):
        note("date", "address-local-day", "replaced", f"{published} -> {day}")
        result.published = day


def _is_local_day(day: str, instant: str) -> bool:
    """The day is the instant's local day in some time zone (UTC-12 to UTC+14)."""
    moment = datetime.fromisoformat(instant)
    return any(
        (moment + timedelta(hours=hours)).date().isoformat() == day for hours in (-12, 0, 14)
    )


def _read_language(page: _PageStatements, result: PageMetadata) -> None:
    """<html lang>, then metadata."""
    lang_values = [
        page.tree.get("lang"),
        page.tree.get("xml:lang"),
        page.first("og:locale", "content-language", "language", "dc.language"),
    ]
    if page.article is not None:
        lang_values.insert(0, page.article_text("inLanguage"))
    for value in lang_values:
        if value and _LANG.match(value.strip()):
            result.set("language", value.strip()[:2].lower(), "html")
            break


def _tags(page: _PageStatements) -> list[str]:
    tags: list[str] = []
    if page.article is not None:
        keywords = page.article.get("keywords")
        if isinstance(keywords, str):
            tags += [k.strip() for k in keywords.split(",")]
        elif isinstance(keywords, list):
            tags += [k.strip() for k in keywords if isinstance(k, str)]
    tags += page.meta.get("article:tag", [])
    meta_keywords = page.first("news_keywords", "keywords")
    if not tags and meta_keywords:
        tags += [k.strip() for k in meta_keywords.split(",") if k.strip()]
    return tags


def _read_image_and_body(page: _PageStatements, result: PageMetadata) -> None:
    image = page.first(*_IMAGE_KEYS)
    if page.article is not None and not image:
        images = text_values(page.article.get("image"), page.objects, key="url")
        image = images[0] if images else None
    if image:
        result.set("image", urljoin(page.url or "", image), "meta")
    if page.article is not None:
        body = page.article.get("articleBody")
        if isinstance(body, str) and body.strip():
            result.article_body = body.strip()
        free = page.article.get("isAccessibleForFree")
        if free is False or (isinstance(free, str) and free.strip().lower() == "false"):
            result.paywalled = True
            result.provenance["paywalled"] = "json-ld"


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
