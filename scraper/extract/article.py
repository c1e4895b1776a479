"""extract_article: page in, ArticleRecord out (or None, with the reason logged)."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from scraper.extract.authors import clean_author_names, is_weak_credit, parse_byline
from scraper.extract.body import BodyText, extract_body
from scraper.extract.chrome_lines import is_date_line
from scraper.extract.dates import is_future, normalise_date, printed_dates
from scraper.extract.document import PageDocument, load_document
from scraper.extract.errors import ExtractionError, NotAnArticle
from scraper.extract.fallback import TrafilaturaFallback, address_site_name, markup_categories
from scraper.extract.metadata import PageMetadata, extract_metadata
from scraper.extract.profile_chrome import SiteChrome, drop_matching, without_site_lines
from scraper.extract.text import fold, squash
from scraper.extract.trace import Decision, note, traced, tracing
from scraper.page_kinds import ARTICLE, LISTING, OTHER, PAGE_KINDS
from scraper.record import ArticleRecord, normalised_words, words_fingerprint
from scraper.version import EXTRACTOR

logger = logging.getLogger(__name__)

# Below this many words a page without article metadata is a stub, a listing or an error page.
MIN_WORDS_UNTYPED = 60
MIN_WORDS_TYPED = 15
# Below this many words a page without article metadata has no main text to give a record of,
# even when asked for by name (the shortest real pages of the dev sets have 34).
MIN_WORDS_MAIN_TEXT = 25
# Teaser headlines linking elsewhere: a section front has many, an article few.
MAX_TEASERS_UNTYPED = 8


@dataclass(frozen=True)
class PageKind:
    """The kind of a page (one of PAGE_KINDS, or None when it has no main text) and why."""

    name: str | None
    reason: str


@dataclass
class Extraction:
    """The intermediate results, for callers that want more than the record."""

    document: PageDocument
    metadata: PageMetadata
    body: BodyText
    kind: PageKind
    fast: bool = False  # trafilatura's comparison stage skipped (see `extract_body`)


def _count_teasers(doc: PageDocument) -> int:
    return len(doc.tree.xpath("//*[self::h2 or self::h3 or self::h4][.//a[@href]]"))


# Prose: several paragraphs of full sentences, most of the text in long paragraphs.
MIN_PROSE_PARAGRAPHS = 4
MIN_PROSE_PARAGRAPH_CHARS = 200


def _reads_as_prose(body: BodyText) -> bool:
    long = [p for p in body.paragraphs if len(p) >= MIN_PROSE_PARAGRAPH_CHARS]
    total = sum(len(p) for p in body.paragraphs)
    return len(long) >= MIN_PROSE_PARAGRAPHS and sum(len(p) for p in long) >= 0.7 * total


# A page's words are read when its kind is judged and again for its record, most often from
# the same text (NFKC and case folding of the whole text: about 1 ms each time).
@functools.lru_cache(maxsize=2)
def _text_words(text: str) -> tuple[str, ...]:
    return tuple(normalised_words(text))


def classify_page(doc: PageDocument, meta: PageMetadata, body: BodyText) -> PageKind:
    """What the page is, from its metadata and its main text (see PAGE_KINDS)."""
    words = len(_text_words(body.text))
    if words == 0:
        if body.linked_chars:
            return PageKind(None, "the page's text is links to other pages")
        return PageKind(None, "no article text found")
    if meta.is_listing_typed:
        return PageKind(
            LISTING, f"page is typed as a listing ({', '.join(sorted(meta.page_types))})"
        )
    # A tag or author page: teaser headlines, each a link, with a line of excerpt under some.
    if body.linked_chars > body.chars:
        return PageKind(LISTING, "most of the page's text is links to other pages")
    typed = meta.is_article_typed or bool(meta.published and meta.authors)
    if typed:
        if words < MIN_WORDS_TYPED and not meta.paywalled:
            return PageKind(None, f"article text too short ({words} words)")
        return PageKind(ARTICLE, "typed as an article, or dated and signed")
    # A JavaScript shell's "enable JavaScript", a login wall's prompt: no main text at all.
    if words < MIN_WORDS_MAIN_TEXT:
        return PageKind(None, f"too little text and no article metadata ({words} words)")
    if words < MIN_WORDS_UNTYPED:
        return PageKind(OTHER, f"little text and no article metadata ({words} words)")
    # Many CMSs declare og:type=website on their articles too; only without a byline or a
    # date does "website" (or a page full of teaser headlines) mean a front or a listing.
    if meta.published or meta.authors or body.byline_authors:
        return PageKind(ARTICLE, "dated or signed")
    # A press release or a static story page may carry og:type=website and neither byline
    # nor date; what tells it from a front page is its prose, paragraphs of sentences.
    if "website" in meta.page_types and not _reads_as_prose(body):
        return PageKind(OTHER, "page is typed as a website and names no author or date")
    if _count_teasers(doc) > MAX_TEASERS_UNTYPED:
        return PageKind(LISTING, "page lists many teasers and has no article metadata")
    return PageKind(ARTICLE, "prose")


def strip_leading_byline(text: str | None, authors: list[str]) -> str | None:
    """`text` without a leading "By <the authors>": site builders (Wix) make the description
    from the first characters of the post, byline included."""
    if not text or not authors:
        return text
    match = re.match(r"\s*by\s+", text, re.IGNORECASE)
    if not match:
        return text
    rest = text[match.end() :]
    for name in authors:
        if not rest.casefold().startswith(name.casefold()):
            return text
        rest = re.sub(r"^\s*(?:,|&|\band\b)?\s*", "", rest[len(name) :], flags=re.IGNORECASE)
    # "By TYLER KEPNER / THE ATHLETIC The first...": the credited outlet goes with the byline.
    rest = re.sub(r"^/\s*[A-Z][A-Z.'&\- ]*?[A-Z]\s+(?=[A-Z][a-z])", "", rest)
    return rest.strip() or text


def _merge_authors(
    meta: PageMetadata, body: BodyText, fallback: TrafilaturaFallback
) -> tuple[list[str], str | None]:
    """A byline on the page beats metadata that names the publisher or nobody.

    The outlet itself ("FOCUS online", a Wix site's name) is the author only when the page's
    metadata credits it and no source names a person.
    """
    people = [n for n in meta.authors if not is_weak_credit(n, meta.publishers)]
    if body.byline_authors:
        names = clean_author_names(body.byline_authors, meta.publishers) or body.byline_authors
        if not people or not {fold(n) for n in people} & {fold(n) for n in names}:
            return names, "byline"
    # The article's closing credit line ("Lê Phương"), when no other source names a person.
    if not people:
        names = clean_author_names(body.signature_authors, meta.publishers)
        if names:
            return names, "byline"
    if meta.authors:
        return meta.authors, meta.provenance.get("authors")
    # trafilatura reads the same sources as the metadata stage, with looser rules: only when they
    # gave nothing at all (its "Amw" is a kicker.de editor's initials, capitalised).
    credit = fallback.author
    if credit:
        names = clean_author_names(credit.split(";"), meta.publishers)
        if names:
            return names, "trafilatura"
    if meta.credited_outlet:
        outlet, source = meta.credited_outlet
        return [outlet], source
    return [], None


def _fill_printed_date(
    doc: PageDocument, meta: PageMetadata, fallback: TrafilaturaFallback
) -> None:
    """For a page whose metadata states no date: the date printed in the article's header
    (under the headline, before the text), else the first date the article prints, else the
    JSON-LD WebPage's date, else htmldate's guess. Blogs and guides print "Updated Dec 18,
    2025" and state nothing; htmldate reads the URL and markup it knows, and a date in a
    sidebar's links can win."""
    printed = printed_dates(doc.tree)
    if printed.header and not is_future(printed.header):
        note("date", "printed-in-header", "chose", printed.header)
        meta.set("published", printed.header, "html")
        return
    if printed.first and not is_future(printed.first):
        note("date", "printed-first", "chose", printed.first)
        meta.set("published", printed.first, "html")
        return
    if meta.page_object_published:
        note("date", "json-ld-webpage", "chose", meta.page_object_published)
        meta.set("published", meta.page_object_published, "json-ld")
        return
    date = normalise_date(fallback.date)
    if date and not is_future(date):
        note("date", "htmldate", "chose", date)
        meta.set("published", date, "trafilatura")


# A header's date this many days before the metadata's is an earlier first run, not the same
# day seen from another time zone.
_EARLIER_RUN_DAYS = 2


def _prefer_earlier_printed_date(doc: PageDocument, meta: PageMetadata) -> None:
    """The day a story first ran: the date printed under the headline when it is days before
    the one the metadata states. A CMS that moved or republished the page sets a new
    `datePublished` ("2024-08-07" beside a header's "December 30, 2013"); a later printed date
    is an update, and the metadata's stays."""
    header = printed_dates(doc.tree, header_only=True).header
    stated = meta.published or ""
    try:
        days = (date.fromisoformat(stated[:10]) - date.fromisoformat((header or "")[:10])).days
    except ValueError:
        return
    if days >= _EARLIER_RUN_DAYS:
        note("date", "printed-earlier-in-header", "replaced", f"{stated} -> {header}")
        meta.published = header
        meta.provenance["published"] = "html"


def _fill_from_trafilatura(
    doc: PageDocument, meta: PageMetadata, fallback: TrafilaturaFallback
) -> None:
    # Category links ("/category/weather") are read on their own, without the rest of
    # trafilatura's metadata (tags come from meta keywords; its tag links rarely add any).
    # (most pages have no link to a category page nor a section meta tag, and read none)
    if not meta.categories:
        found = [squash(v) for v in markup_categories(doc.tree) if squash(v)]
        meta.set("categories", found, "trafilatura")
    if not meta.published:
        _fill_printed_date(doc, meta, fallback)
    else:
        _prefer_earlier_printed_date(doc, meta)
    # trafilatura's whole metadata reading (htmldate's extensive search, ~190 ms a page) added
    # only site names on the dev sets (176 of 1445 pages, two thirds of them the address's
    # host; else Twitter handles, a Facebook address, title parts), never a title: the title
    # is its title reader's alone, and the site name the page's address.
    if not meta.title:
        meta.set("title", fallback.title, "trafilatura")
    if not meta.site_name:
        meta.set("site_name", address_site_name(meta.canonical_url or doc.url), "url")


def analyse_page(
    html: str | bytes,
    url: str | None = None,
    content_type: str | None = None,
    *,
    site_chrome: SiteChrome | None = None,
    fast: bool = False,
) -> Extraction:
    """Run every extraction stage and return their results (raises NotHTMLError).

    `site_chrome` (a site profile's: elements to drop before any stage reads the page, lines
    of the site's own wording) defaults to the bundled profile of the page's site, if any.
    `fast` trades some text quality for about a fifth less CPU (see `extract_body`).
    """
    document = load_document(html, url, content_type)
    if site_chrome is None:
        site_chrome = bundled_site_chrome(url)
    if site_chrome is not None and site_chrome.selectors:
        drop_matching(document.tree, list(site_chrome.selectors))
    metadata = extract_metadata(document)
    body = extract_body(document, metadata, fast=fast)
    if site_chrome is not None and site_chrome.lines:
        body.paragraphs = without_site_lines(body.paragraphs, site_chrome)
    kind = classify_page(document, metadata, body)
    note("kind", kind.name or "no-record", "chose", kind.reason)
    return Extraction(document, metadata, body, kind, fast)


def bundled_site_chrome(url: str | None) -> SiteChrome | None:
    """The chrome of the bundled profile of `url`'s site, or None."""
    from scraper.profiles import profile_for_url

    profile = profile_for_url(url)
    return profile.chrome if profile is not None else None


# "Jane Doe is a reporter covering ...", "Manuela Conrad ist ZDF-Reporterin für ...": a closing
# note about the author, not the article. Only the last paragraphs, only the named authors.
_BIO_VERB = r"(?:is|was|covers|writes|reports|ist|war|berichtet|schreibt|es|est|è|er)"
_BIO_ZONE = 2
_MAX_BIO_CHARS = 400


def without_author_bio(paragraphs: list[str], authors: list[str]) -> list[str]:
    """`paragraphs` without a closing author biography (see _BIO_VERB)."""
    # The bio may shorten the first name: "Steph Bazzle covers ..." for Stephanie Bazzle.
    names = [
        rf"{re.escape(first[:3])}\w*\s+{re.escape(rest)}"
        for first, _, rest in (a.partition(" ") for a in authors)
        if rest and len(first) >= 3
    ]
    if not names or len(paragraphs) <= _BIO_ZONE:
        return paragraphs
    # Every name of the pattern ends with an author's surname, verbatim: a closing paragraph
    # without one is no bio, and the pattern (compiled for each page's authors, 0.25 ms a
    # page) is not needed.
    surnames = [rest for first, _, rest in (a.partition(" ") for a in authors) if rest]
    if not any(
        len(paragraph) <= _MAX_BIO_CHARS and any(rest in paragraph for rest in surnames)
        for paragraph in paragraphs[-_BIO_ZONE:]
    ):
        return paragraphs
    # "Korrespondent Ulrich Exner ist bei WELT ...", "Der Berliner Imam Abdul Kamouss ist ...":
    # a role, with its article and place, may come first.
    bio = re.compile(rf"(?:[\w-]+\s+){{0,3}}?(?:{'|'.join(names)})\s+{_BIO_VERB}\b")
    kept = paragraphs[:-_BIO_ZONE]
    for paragraph in paragraphs[-_BIO_ZONE:]:
        if len(paragraph) > _MAX_BIO_CHARS or not bio.match(paragraph):
            kept.append(paragraph)
        else:
            note("line", "author-bio", "removed", paragraph)
    return kept


# The standfirst may end with the byline in the same block: "... wieder lebendig. Von Eva
# Kirchner-Rätsch"; or the byline is the names alone on their line ("Fatma Sevinç Çetin" above
# Anadolu's dateline). Only the first paragraphs, and only the record's own authors.
_BYLINE_ZONE = 3
_LAST_SENTENCE = re.compile(r"(?<=[.!?…»“”\"])\s+(?=\S[^.!?…]{2,100}$)")
_NAME_LIST = re.compile(r"\s*(?:[,;&|•·]|\b(?:and|und|et|y|ve|og|en)\b)\s*")


def without_head_byline(paragraphs: list[str], authors: list[str]) -> list[str]:
    """`paragraphs` without a byline of `authors` among the first paragraphs: the names alone
    on a line, or a byline ending the paragraph."""
    keys = {fold(a) for a in authors}
    if not keys:
        return paragraphs
    kept: list[str | None] = list(paragraphs)
    for index, paragraph in enumerate(paragraphs[:_BYLINE_ZONE]):
        # (every part one of the authors: the first part that is not ends the test, instead
        # of folding every part of a long paragraph; 0.16 -> 0.12 ms a page)
        if all(fold(part) in keys for part in _NAME_LIST.split(paragraph)):
            note("line", "head-byline", "removed", paragraph)
            kept[index] = None
            continue
        cuts = list(_LAST_SENTENCE.finditer(paragraph))
        if not cuts:
            continue
        cut = cuts[-1]
        names = parse_byline(paragraph[cut.end() :])
        if names and {fold(n) for n in names} <= keys:
            note("line", "standfirst-byline", "removed", paragraph[cut.end() :])
            kept[index] = paragraph[: cut.start()].rstrip()
    return [p for p in kept if p is not None]


def _note_choices(meta: PageMetadata, authors: list[str], authors_source: str | None) -> None:
    """The fields chosen, with the source each came from, for a trace."""
    note("headline", meta.provenance.get("title", "none"), "chose", meta.title or "")
    note("authors", authors_source or "none", "chose", "; ".join(authors))
    note("date", meta.provenance.get("published", "none"), "chose", meta.published or "")


# The page's own date printed alone above the text ("| Wednesday, 15 July 2009", "Sep 22,
# 2023"): the record's `published`, not a paragraph. Only among the first paragraphs and only
# the page's own day; a date line further down (a changelog, a timeline) is the article's.
_DATELINE_ZONE = 3


def without_head_dateline(paragraphs: list[str], meta: PageMetadata) -> list[str]:
    """`paragraphs` without a line among the first that only states the page's own date."""
    days = [d[:10] for d in (meta.published, meta.modified) if d and len(d) >= 10]
    if not days:
        return paragraphs
    kept: list[str | None] = list(paragraphs)
    for index, paragraph in enumerate(paragraphs[:_DATELINE_ZONE]):
        if is_date_line(paragraph) and any(_states_day(paragraph, day) for day in days):
            note("line", "head-dateline", "removed", paragraph)
            kept[index] = None
    return [p for p in kept if p is not None]


def _states_day(line: str, day: str) -> bool:
    """The line's numbers hold the day of the month of `day` (YYYY-MM-DD), and its year when
    the line states a year."""
    numbers = {n.lstrip("0") for n in re.findall(r"\d+", line)}
    year, _, day_of_month = day.split("-")
    years = {n for n in numbers if len(n) == 4}
    return day_of_month.lstrip("0") in numbers and (not years or year in years)


def build_record(extraction: Extraction) -> ArticleRecord:
    """The record of an analysed page, whatever its kind; raises NotAnArticle when it has no
    main text."""
    doc, meta, body = extraction.document, extraction.metadata, extraction.body
    if extraction.kind.name is None:
        raise NotAnArticle(extraction.kind.reason)
    text = body.text
    fallback = TrafilaturaFallback(doc)
    _fill_from_trafilatura(doc, meta, fallback)
    authors, authors_source = _merge_authors(meta, body, fallback)
    # A one-word "author" that is the page's own section is a newsroom account named after
    # it (WordPress user "Nachrichten" filing under the category Nachrichten), not a person.
    sections = {fold(c) for c in meta.categories}
    authors = [name for name in authors if " " in name.strip() or fold(name) not in sections]
    if not authors:
        authors_source = None
    paragraphs = without_head_byline(body.paragraphs, authors)
    paragraphs = without_author_bio(without_head_dateline(paragraphs, meta), authors)
    if paragraphs != body.paragraphs:
        text = "\n\n".join(paragraphs)
    # The words once, for the count and the fingerprint (NFKC and case folding of the whole
    # text cost about 1 ms a page each time).
    words = list(_text_words(text))
    if tracing():
        _note_choices(meta, authors, authors_source)
    canonical = meta.canonical_url or doc.url
    host = urlsplit(canonical or "").hostname
    caption = body.captions[0] if body.captions else meta.image_caption
    provenance = dict(meta.provenance)
    provenance["text"] = body.source
    if authors_source:
        provenance["authors"] = authors_source
    else:
        provenance.pop("authors", None)
    return ArticleRecord(
        url=doc.url,
        canonical_url=canonical,
        domain=host.removeprefix("www.") if host else None,
        site_name=meta.site_name,
        title=meta.title,
        description=strip_leading_byline(meta.description, authors),
        authors=authors,
        published=meta.published,
        modified=meta.modified,
        language=meta.language,
        categories=meta.categories,
        tags=meta.tags,
        image=meta.image,
        image_caption=caption,
        text=text,
        word_count=len(words),
        fingerprint=words_fingerprint(words),
        paywalled=meta.paywalled,
        page_kind=extraction.kind.name,
        extractor=f"{EXTRACTOR} (fast)" if extraction.fast else EXTRACTOR,
        provenance=provenance,
    )


@dataclass
class Explanation:
    """A page's record (or why it has none) and every decision that made it, in order."""

    record: ArticleRecord | None
    reason: str | None
    decisions: list[Decision]


def explain_article(
    html: str | bytes,
    url: str | None = None,
    content_type: str | None = None,
    *,
    fast: bool = False,
    site_chrome: SiteChrome | None = None,
) -> Explanation:
    """Extract one page as `extract_article` does, and say which rule removed, chose or
    rejected what (`newsscrape extract --explain`)."""
    with traced() as decisions:
        try:
            extraction = analyse_page(html, url, content_type, site_chrome=site_chrome, fast=fast)
            return Explanation(build_record(extraction), None, decisions)
        except ExtractionError as error:
            return Explanation(None, str(error), decisions)


def extract_article(
    html: str | bytes,
    url: str | None = None,
    content_type: str | None = None,
    *,
    fast: bool = False,
    kinds: tuple[str, ...] = PAGE_KINDS,
    raise_on_failure: bool = False,
    site_chrome: SiteChrome | None = None,
) -> ArticleRecord | None:
    """Extract the record of one page, or None (reason logged) when it gives none.

    `html` may be bytes (decoded by BOM, `content_type` charset, <meta>, detection) or text.
    `url` is the page's address, used to resolve links and name the domain. `fast` skips
    trafilatura's comparison stage (see `extract_body`). A page with a main text gives a
    record of its kind (`record.page_kind`: "article", "listing" or "other"); `kinds` keeps
    only those named (`kinds=("article",)` for articles only). With `raise_on_failure`, a page
    that gives no record raises ExtractionError (NotHTMLError, NotAnArticle) with the reason
    instead of returning None. `site_chrome`: a site profile's chrome (default: the bundled
    profile of the page's site, if any).
    """
    try:
        extraction = analyse_page(html, url, content_type, site_chrome=site_chrome, fast=fast)
        if extraction.kind.name is not None and extraction.kind.name not in kinds:
            raise NotAnArticle(f"{extraction.kind.name} page: {extraction.kind.reason}")
        return build_record(extraction)
    except ExtractionError as error:
        if raise_on_failure:
            raise
        logger.info("no record: %s: %s", url or "<input>", error)
        return None
