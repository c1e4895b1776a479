"""Stage 2: the page's own statements about itself: JSON-LD, Open Graph, meta tags, the H1.

Each field keeps the source it came from (`provenance`), so datasets can weigh it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from scraper.extract.authors import (
    clean_author_names,
    is_publisher,
    is_weak_credit,
    parse_byline,
    strip_byline_prefix,
)
from scraper.extract.dates import is_future, normalise_date
from scraper.extract.document import PageDocument
from scraper.extract.jsonld import (
    LISTING_TYPES,
    author_names,
    find_article,
    jsonld_objects,
    text_values,
    types_of,
)

# Separators CMSs put between a headline and the site name in <title> and og:title.
_SEPARATOR_MARKS = r"|\-–—:·•»/"
_TITLE_SEPARATORS = re.compile(rf"\s+[{_SEPARATOR_MARKS}]\s+|\s+::\s+")
# Soft hyphens and zero-width characters: invisible, but they split words for \w+.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_LANG = re.compile(r"^[a-zA-Z]{2}(?:[-_]|$)")


_WORD = re.compile(r"\w+")


def fold(text: str | None) -> str:
    """Text reduced to lower-case words, for comparing strings from different sources."""
    if not text:
        return ""
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
        """The page's metadata declares it a list of articles (CollectionPage, ItemList...).

        og:type=website is not enough: many CMSs put it on every page, articles included."""
        return bool(self.page_types & LISTING_TYPES) and not self.is_article_typed


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


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        if meta.get(key):
            return meta[key][0]
    return None


# Headline elements inside breadcrumbs, or classed as SEO copies, are hidden duplicates:
# the displayed headline is then an h2 in the article header (Tamedia, n-tv, kicker).
_HIDDEN_COPY = re.compile(r"crumb|seo", re.IGNORECASE)
# Parts of a headline element that are not the headline: the topic line shown above it.
_KICKER = re.compile(
    r"kicker|overline|topline|dachzeile|roofline|eyebrow|supertitle|overtitle|titleheader|title-header",
    re.IGNORECASE,
)
# A part of a headline element that declares itself the headline proper (when not the kicker).
_HEADLINE_PART = re.compile(r"headline|title", re.IGNORECASE)


def _marks(node: lxml.html.HtmlElement) -> str:
    """The class, id and data-* values of an element: where CMSs say what a part is."""
    values = [node.get("class") or "", node.get("id") or ""]
    values += [v for k, v in node.attrib.items() if k.startswith("data-")]
    return " ".join(values)


def _hidden(node: lxml.html.HtmlElement) -> bool:
    return bool(node.xpath("ancestor-or-self::*[@hidden or @aria-hidden='true' or self::noscript]"))


def _heading_texts(node: lxml.html.HtmlElement) -> list[str]:
    texts: list[str] = []
    for part in node.iterdescendants():
        marks = _marks(part) if isinstance(part.tag, str) else ""
        if _HEADLINE_PART.search(marks) and not _KICKER.search(marks):
            texts.append(squash(part.text_content()))
            break
    parts = [
        squash(child.text_content())
        for child in node
        if isinstance(child.tag, str) and not _KICKER.search(_marks(child)) and not _hidden(child)
    ]
    if len(parts) < len(node):
        texts.append(squash(" ".join([node.text or "", *parts])))
    texts.append(squash(node.text_content()))
    return [t for t in dict.fromkeys(texts) if 0 < len(t) <= 300]


def _headings(tree: lxml.html.HtmlElement) -> tuple[list[list[str]], int]:
    """Readings of each headline element, most telling first: visible H1s, then h2s of an
    article header, then H1s that are breadcrumb or SEO copies; and how many are H1s."""
    h1s: list[list[str]] = []
    h2s: list[list[str]] = []
    copies: list[list[str]] = []
    header_h2 = (
        "//h2[ancestor::header or ancestor::*[contains(translate(@class, 'HEAD', 'head'), 'head')]]"
        "[not(ancestor::nav or ancestor::footer or ancestor::aside)]"
    )
    for node in tree.xpath(f"//h1 | {header_h2}"):
        texts = [] if _hidden(node) else _heading_texts(node)
        if not texts:
            continue
        if node.tag != "h1":
            h2s.append(texts)
        elif _HIDDEN_COPY.search(node.get("class") or "") or any(
            a.tag == "nav" or _HIDDEN_COPY.search(_marks(a)) for a in node.iterancestors()
        ):
            copies.append(texts)
        else:
            h1s.append(texts)
    return h1s + h2s + copies, len(h1s)


def _visible_h1s(tree: lxml.html.HtmlElement) -> list[str]:
    texts = []
    for h1 in tree.iterfind(".//h1"):
        if _hidden(h1):
            continue
        text = squash(h1.text_content())
        if 0 < len(text) <= 300:
            texts.append(text)
    return texts


# Bar-like marks that end a headline without spaces around them ("…커졌다-정치ㅣ한국일보",
# "…崩壊へ｜日刊ゲンダイDIGITAL"). A bare hyphen is not one: it joins words.
_BAR_MARKS = "|｜ㅣ丨│"
_TIGHT_BARS = re.compile(f"[{_BAR_MARKS}]")
# The last affix of a title, spaced or not, once the site name is gone: "… - News", "…-정치".
_LAST_AFFIX = re.compile(
    rf"\s*[{_SEPARATOR_MARKS}{_BAR_MARKS}]\s*([^{_SEPARATOR_MARKS}{_BAR_MARKS}]{{1,40}})$"
)


def _is_site_name(text: str, keys: set[str]) -> bool:
    key = fold(text)
    return key in keys or key.replace(" ", "") in keys


def _without_site_affix(title: str, keys: set[str]) -> str:
    parts = _TITLE_SEPARATORS.split(title)
    kept = [p for p in parts if not _is_site_name(p, keys)]
    if len(parts) > 1 and kept and len(kept) < len(parts):
        # Rejoin with the original separators by cutting the affix off the original string.
        first, last = kept[0], kept[-1]
        start, end = title.find(first), title.rfind(last) + len(last)
        if 0 <= start < end:
            return title[start:end].strip()
    bars = list(_TIGHT_BARS.finditer(title))
    if bars:
        cut = bars[-1]
        head, tail = title[: cut.start()].strip(), title[cut.end() :]
        if head and _is_site_name(tail, keys):
            return head
    return title


def strip_site_name(
    title: str, site_names: list[str], sections: list[str] | tuple[str, ...] = ()
) -> str:
    """Remove " | Site Name" style affixes by comparing parts with the known site names.

    Once the site name is gone, a section named in the page's metadata that is left at the
    end ("… - News - SRF", "…-정치ㅣ한국일보") is an affix of the same kind and goes too.
    """
    keys = {fold(s) for s in site_names if fold(s)}
    keys |= {k.replace(" ", "") for k in keys}
    if not keys:
        return title
    stripped = _without_site_affix(title, keys)
    if stripped == title:
        return title
    section_keys = {fold(s) for s in sections if fold(s)}
    last = _LAST_AFFIX.search(stripped)
    if last and last.start() > 0 and fold(last.group(1)) in section_keys:
        return stripped[: last.start()].strip()
    return stripped


def _title_affix(title_tag: str, headline: str | None) -> str | None:
    """The site name a <title> adds to the headline: "The Costa Weekly - Dénia's fiesta…"."""
    parts = _TITLE_SEPARATORS.split(title_tag)
    if not headline or len(parts) != 2:
        return None
    key = fold(headline)
    if fold(parts[0]) == key:
        return parts[1].strip() or None
    if fold(parts[1]) == key:
        return parts[0].strip() or None
    return None


def _domain_names(url: str | None) -> list[str]:
    host = urlsplit(url or "").hostname or ""
    host = host.removeprefix("www.")
    if not host:
        return []
    return [host, host.split(".")[0]]


def _agreement(reading: str, title: str) -> int:
    """How well a headline element's reading agrees with a metadata title: 3 the same words,
    2 one is the other with a topic line in front, 1 one is the other cut short, 0 not at all."""
    shown, stated = fold(reading), fold(title)
    if not shown or not stated:
        return 0
    if shown == stated:
        return 3
    shorter = min(shown, stated, key=len)
    if len(shorter.split()) >= 3 and (shown.endswith(" " + stated) or stated.endswith(" " + shown)):
        return 2
    if len(shorter) > 20 and (shown.startswith(stated) or stated.startswith(shown)):
        return 1
    return 0


def _choose_title(
    headings: list[list[str]],
    primary: int,
    candidates: list[tuple[str, str]],
    site_names: list[str],
    sections: list[str],
) -> tuple[str | None, str | None]:
    """The displayed headline: the headline element that agrees best with the metadata.

    Readings of the page's headline elements are matched with the metadata titles; the best
    agreement wins, and among equals the more telling element. When the element carries a
    topic line the metadata leaves out (n-tv, Tamedia), the metadata wording is the headline;
    when the metadata adds the topic (SRF's og:title), the element's wording is.
    """
    cleaned = [
        (strip_site_name(text, site_names, sections), source) for text, source in candidates if text
    ]
    best: tuple[int, int, str] | None = None
    for rank, readings in enumerate(headings):
        for reading in readings:
            for title, _ in cleaned:
                level = _agreement(reading, title)
                if level and (best is None or (level, -rank) > best[:2]):
                    shown_longer = len(fold(reading)) > len(fold(title))
                    text = title if level == 2 and shown_longer else reading
                    best = (level, -rank, text)
    if best is not None:
        return best[2], "html"
    # No element agrees with the metadata. When the metadata titles also disagree among
    # themselves (MDR writes a different og:title and JSON-LD headline for search and social),
    # the page's own H1 is the evidence left; when they agree, they outvote an H1 that is a
    # teaser line or a section label.
    keys = {fold(n).replace(" ", "") for n in site_names}
    metadata_agrees = len({fold(title) for title, _ in cleaned}) <= 1
    for readings in [] if metadata_agrees else headings[:primary]:
        shown = readings[-1]
        if len(fold(shown).split()) >= 3 and fold(shown).replace(" ", "") not in keys:
            return shown, "html"
    if cleaned:
        return cleaned[0]
    return (headings[0][-1], "html") if headings else (None, None)


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
    result.set(
        "site_name", _first(meta, "og:site_name", "application-name", "al:android:app_name"), "meta"
    )
    result.set("site_name", publisher_names[0] if publisher_names else None, "json-ld")
    result.publishers = [n for n in [result.site_name, *publisher_names] if n] + _domain_names(url)

    # Canonical URL: rel=canonical, then og:url, resolved against the fetched URL.
    canonical = tree.xpath(
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
    )
    for href, source in [
        (canonical[0] if canonical else None, "html"),
        (_first(meta, "og:url"), "meta"),
    ]:
        if href and href.strip():
            absolute = urljoin(url or "", href.strip())
            if absolute.startswith(("http://", "https://")):
                result.set("canonical_url", absolute, source)
    result.publishers += _domain_names(result.canonical_url)

    h1s = _visible_h1s(tree)
    headings, primary = _headings(tree)
    title_candidates: list[tuple[str, str]] = []
    if article is not None:
        for key in ("headline", "name", "alternativeHeadline"):
            value = article.get(key)
            if isinstance(value, str) and value.strip():
                # JSON-LD strings are often HTML-escaped twice ("&quot;" on kicker.de).
                title_candidates.append((squash(html.unescape(value)), "json-ld"))
                break
    for key in (
        "og:title",
        "twitter:title",
        "title",
        "dc.title",
        "citation_title",
        "parsely-title",
    ):
        value = _first(meta, key)
        if value:
            title_candidates.append((value, "meta"))
    title_tag = tree.findtext(".//title")
    if title_tag and title_tag.strip():
        title_candidates.append((squash(title_tag), "html"))
    # The page's sections: its categories, and affixes a <title> may carry beside the site
    # name (with `content_category`, which some CMSs use instead of article:section).
    categories = text_values(article.get("articleSection"), objects) if article is not None else []
    categories += meta.get("article:section", [])
    sections = categories + meta.get("content_category", [])
    title, title_source = _choose_title(
        headings, primary, title_candidates, result.publishers, sections
    )
    if title and title_source:
        result.set("title", title, title_source)
    result.set("site_name", _title_affix(squash(title_tag), title), "html")
    result.headlines = list(
        dict.fromkeys([t for t in [title, *h1s] if t] + [t for t, _ in title_candidates])
    )

    if article is not None:
        result.set("description", clean_description(_as_str(article.get("description"))), "json-ld")
    result.set(
        "description",
        clean_description(_first(meta, "og:description", "description", "twitter:description")),
        "meta",
    )

    # Authors, in order of evidence; the first source naming a person wins. A weak credit
    # (initials) is kept only when no source names anyone else. The outlet itself is never an
    # author (the record's contract), although some gold sets list it: a Wix site's name in
    # JSON-LD `author` is the builder's default, not a credit.
    author_sources: list[tuple[list[str], str]] = [
        (author_names(article, objects) if article is not None else [], "json-ld"),
        (_linked_authors(tree), "html"),
        (_byline_block_authors(tree, result.publishers), "html"),
        ([v for key in _META_AUTHOR_KEYS for v in meta.get(key, [])], "meta"),
    ]
    cleaned = [
        (
            clean_author_names(
                [r for r in raw if not _is_url(r)], result.publishers, keep_publishers=True
            ),
            source,
        )
        for raw, source in author_sources
    ]
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
        result.set("authors", _labelled_byline_authors(tree, result.publishers), "html")

    # Dates: the structured publication date beats anything guessed from text.
    date_sources: list[tuple[str | None, str | None, str]] = []
    if article is not None:
        date_sources.append(
            (_as_str(article.get("datePublished")), _as_str(article.get("dateModified")), "json-ld")
        )
    date_sources.append(
        (
            _first(
                meta,
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
                "cxenseparse:recs:publishtime",
            ),
            _first(
                meta,
                "article:modified_time",
                "og:updated_time",
                "datemodified",
                "dcterms.modified",
                "last-modified",
            ),
            "meta",
        )
    )
    time_nodes = tree.xpath(
        "//time[@datetime][@itemprop='datePublished' or contains(@class, 'publish') or contains(@class, 'entry-date')]/@datetime"
    )
    date_sources.append((time_nodes[0] if time_nodes else None, None, "html"))
    # Else the first <time> of the article's header: the dateline beside the byline.
    header_times = [
        node.get("datetime")
        for node in tree.xpath(
            "//article//header//time[@datetime] | //header[ancestor::main]//time[@datetime]"
        )
        if not _outside_article(node)
    ]
    date_sources.append((header_times[0] if header_times else None, None, "html"))
    for published, modified, source in date_sources:
        published_iso = normalise_date(published)
        if published_iso and not is_future(published_iso):
            result.set("published", published_iso, source)
        result.set("modified", normalise_date(modified), source)

    # Language: <html lang>, then metadata.
    lang_values = [
        tree.get("lang"),
        tree.get("xml:lang"),
        _first(meta, "og:locale", "content-language", "language", "dc.language"),
    ]
    if article is not None:
        lang_values.insert(0, _as_str(article.get("inLanguage")))
    for value in lang_values:
        if value and _LANG.match(value.strip()):
            result.set("language", value.strip()[:2].lower(), "html")
            break

    tags: list[str] = []
    if article is not None:
        keywords = article.get("keywords")
        if isinstance(keywords, str):
            tags += [k.strip() for k in keywords.split(",")]
        elif isinstance(keywords, list):
            tags += [k.strip() for k in keywords if isinstance(k, str)]
    tags += meta.get("article:tag", [])
    keywords = _first(meta, "news_keywords", "keywords")
    if not tags and keywords:
        tags += [k.strip() for k in keywords.split(",") if k.strip()]
    result.set(
        "categories",
        _unique(categories),
        "json-ld" if article and article.get("articleSection") else "meta",
    )
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


# Meta names that carry the byline; "articleauthor" is common on Turkish news CMSs.
_META_AUTHOR_KEYS = (
    "author",
    "article:author",
    "articleauthor",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
)
# Where a page's own byline sits: classes and ids naming it. Selecting on the attribute
# axis and checking case in Python is several times faster than translate() on every element.
_BYLINE_BLOCKS = etree.XPath(
    "//@class[contains(., 'uthor') or contains(., 'UTHOR') or contains(., 'yline') or contains(., 'YLINE')]/.."
    " | //@id[contains(., 'uthor') or contains(., 'UTHOR') or contains(., 'yline') or contains(., 'YLINE')]/.."
)
_BYLINE_MARK = re.compile(r"byline|author", re.IGNORECASE)
_AUTHOR_LINKS = etree.XPath("//@rel[contains(., 'author')]/.. | //@itemprop[. = 'author']/..")
# Links in a byline block that lead to a section, not to an author page (LBCI's category).
_SECTION_LINK = re.compile(
    r"/(?:categor|tags?/|topics?/|section|rubri|ressort|thema)", re.IGNORECASE
)
_NOT_THE_ARTICLE = re.compile(
    r"comment|related|teaser|recirc|recommend|footer|sidebar|newsletter", re.IGNORECASE
)


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "//", "www."))


def _until_repeat(names: list[str]) -> list[str]:
    """Names up to the first one seen again: the article's byline is the first on the page,
    and a later repeat starts the next byline (a teaser list, or the mobile copy)."""
    seen: list[str] = []
    for name in names:
        if fold(name) in {fold(n) for n in seen}:
            break
        seen.append(name)
    return seen


def _linked_authors(tree: lxml.html.HtmlElement) -> list[str]:
    """rel=author links and itemprop=author names, the article's own byline first."""
    texts: list[str] = []
    for node in _AUTHOR_LINKS(tree):
        if node.get("itemprop") == "author":
            named = node.xpath(".//*[@itemprop='name']")
            if len(node):
                node = named[0] if named else None
        elif node.tag != "a" or "author" not in (node.get("rel") or "").split():
            continue
        if node is not None and not _outside_article(node):
            texts.append(squash(node.get("content") or node.text_content()))
    return _until_repeat([t for t in texts if t])


def _outside_article(node: lxml.html.HtmlElement) -> bool:
    return any(
        a.tag in ("footer", "aside", "nav")
        or _NOT_THE_ARTICLE.search((a.get("class") or "") + " " + (a.get("id") or ""))
        for a in node.iterancestors()
    )


def _byline_block_authors(tree: lxml.html.HtmlElement, publishers: list[str]) -> list[str]:
    """Names in the first visible byline block: its links when it has them (the author
    pages), else its text ("By A and B")."""
    for node in _BYLINE_BLOCKS(tree):
        if node.tag in ("script", "style", "meta", "link", "img", "body", "html"):
            continue
        if not _BYLINE_MARK.search(_marks(node)) or _hidden(node) or _outside_article(node):
            continue
        text = squash(" ".join(node.xpath(".//text()[not(ancestor::script or ancestor::style)]")))
        if not text or len(text) > 150:
            continue
        anchors = list(node.iterfind(".//a"))
        links = [
            squash(a.text_content())
            for a in anchors
            if not _SECTION_LINK.search(a.get("href") or "")
        ]
        links = [t for t in links if t and not _is_url(t)]
        if anchors and not links:
            continue
        names = clean_author_names(links or [text], publishers, keep_publishers=True)
        if names:
            return names
    return []


# Short text nodes: where a byline label stands alone ("Von:"), its names in the elements
# after it.
_SHORT_TEXTS = etree.XPath("//text()[string-length(normalize-space()) < 12]")
# "Elise Mandl, BSc, APD": degrees and acronyms after the name are not people.
_CREDENTIAL = re.compile(r"[A-Za-z]{1,4}\.?")


def _labelled_byline_authors(tree: lxml.html.HtmlElement, publishers: list[str]) -> list[str]:
    """Names after a lone byline label in an element no class marks as a byline:
    `<li>Von: <a>Bill McCarthy</a>, <a>Marisha Goldhamer</a></li>`. Only looked for when no
    other source names anyone (it walks every short text node)."""
    seen: set[lxml.html.HtmlElement] = set()
    for text in _SHORT_TEXTS(tree):
        rest, labelled = strip_byline_prefix(str(text).strip() + " ")
        if not labelled or rest.strip():
            continue
        node = text.getparent()
        if node is not None and text.is_tail:
            node = node.getparent()
        if node is None or node in seen or node.tag in ("script", "style", "body", "html"):
            continue
        seen.add(node)
        if _hidden(node) or _outside_article(node):
            continue
        names = parse_byline(squash(node.text_content()))
        if names:
            cleaned = clean_author_names(names, publishers)
            return [n for n in cleaned if not _CREDENTIAL.fullmatch(n)]
    return []


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
