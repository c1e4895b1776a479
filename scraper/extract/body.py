"""Stage 3: the article body. trafilatura finds the main content; we remove what it keeps
that is not the article (chrome lines, the repeated headline, bylines, captions)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Collection, Container
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from scraper.extract.authors import clean_author_names, parse_byline, parse_signature
from scraper.extract.captions import alt_text_captions, figure_captions
from scraper.extract.cascade import TrafilaturaCascade
from scraper.extract.chrome_lines import (
    chrome_line_rule,
    closing_list_start,
    is_reading_time_line,
)
from scraper.extract.document import PageDocument
from scraper.extract.elements import text_content
from scraper.extract.frame import (
    AFTER,
    BEFORE,
    INSIDE,
    NEXT_CHUNK,
    PageBlocks,
    find_frame,
    missing_structure,
    place_in_frame,
    same_class_siblings,
)
from scraper.extract.markup_prune import prune_tree, visible_chars
from scraper.extract.metadata import PageMetadata
from scraper.extract.payload import MIN_PAYLOAD_CHARS, script_payload_paragraphs
from scraper.extract.teaser_headings import teaser_heading_keys
from scraper.extract.text import fold, squash
from scraper.extract.trace import note, tracing

# Teasers and cross-links are short; a long paragraph of links is a source list or prose.
_MAX_TEASER_CHARS = 300
_LINK_RATIO = 0.7
# Shorter linked lines are product names, sources and labels inside the article.
_MIN_TEASER_WORDS = 4
# A teaser's link sits in its paragraph or list item, at most a wrapper or two further in.
_LINK_BLOCK_DEPTH = 3
# A kicker or site name beside the headline is a few words; shorter headlines match too much.
_MIN_HEADLINE_CHARS = 20
_MAX_HEADLINE_AFFIX = 60
# How many leading paragraphs may hold the headline, dateline and byline.
_HEAD_ZONE = 6


@dataclass
class BodyText:
    """The article's paragraphs and what was learned from the lines taken out of them."""

    paragraphs: list[str]
    source: str
    byline_authors: list[str] = field(default_factory=list)
    # Names from a credit line closing the article ("Lê Phương", "MDR (Engin Haupt)").
    signature_authors: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    # Characters of the extracted paragraphs that were links elsewhere (teasers, related
    # entries) and left the text: a page made of them is a listing, not an article.
    linked_chars: int = 0

    @property
    def text(self) -> str:
        """Paragraphs separated by one blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def chars(self) -> int:
        """Characters of the paragraphs kept."""
        return sum(len(p) for p in self.paragraphs)


def run_trafilatura(
    doc: PageDocument, precision: bool = False, fast: bool = False
) -> dict[str, Any]:
    """trafilatura's text for the page, on a copy of our parsed tree.

    trafilatura's comparison with readability and justext costs about a third of its time and
    changes the text of about one page in twenty, nearly all of them pages where its main
    extractor's text gives a reason to doubt it (see `doubts_main_text`). So the main
    extractor runs alone, and the comparison runs too only on such pages; `fast` never runs
    it (see `extract_body`).
    """
    tree = copy.deepcopy(doc.tree)
    page_chars = prune_tree(tree)
    # The cascade leaves `tree` as pruned, for the doubts; the two runs share its first steps.
    cascade = TrafilaturaCascade(tree, doc.url, precision)
    if not fast and _first_article_is_a_card(tree):
        note("body", "trafilatura-comparison", "chose", "the first <article> is a card")
        return cascade.extract(fast=False)
    result = cascade.extract(fast=True)
    if not fast and doubts_main_text(result, tree, page_chars):
        note("body", "trafilatura-comparison", "chose", "main text in doubt")
        result = cascade.extract(fast=False)
    return result


# trafilatura's main extractor reads the page's first <article> as the article; where that is a
# card above the story (ZDF's live-blog teaser: 407 characters of a 6.6 kB story), its text is
# short and only the comparison finds the story. Such a page gets the comparison at once.
_MAX_CARD_CHARS = 500


def _first_article_is_a_card(tree: lxml.html.HtmlElement) -> bool:
    """True when the page holds several <article> elements and the first is a short card."""
    articles = tree.iter("article")
    first = next(articles, None)
    if first is None or next(articles, None) is None:
        return False
    return len(squash(text_content(first))) < _MAX_CARD_CHARS


# A main text of fewer characters than trafilatura's own minimum (MIN_EXTRACTED_SIZE) is
# compared with justext's; one of at most this many paragraphs is one block of the page, often
# the wrong one (a 9 kB list of links for a 700-character story).
_MIN_MAIN_TEXT_CHARS = 250
_MAX_DOUBTFUL_PARAGRAPHS = 1
# Less of the page's text than this share: readability may well find twice as much. Only in a
# text of fewer than _MAX_SMALL_SHARE_CHARS: a longer text that is a small share of the page is
# a story on a busy page (menus, comments, lists of links): on the 57 dev pages with such a
# text and no other reason for doubt, the comparison changed 2 texts, both for the worse.
_MIN_PAGE_SHARE = 0.1
_MAX_SMALL_SHARE_CHARS = 1000
# Less than this share of the characters of the page's paragraphs of prose (those of at least
# _MIN_PROSE_CHARS): the text left most of them out.
_MIN_PROSE_SHARE = 0.5
_MIN_PROSE_CHARS = 80
# Two tests dropped as not paying (docs/extraction.md, "Cost"): tables outnumbering the text's
# paragraphs (trafilatura's comparison then prefers readability's text, which left out gold
# text on 2 of the 3 dev pages the test alone flagged and changed nothing on the third), and a
# text under half or over twice the JSON-LD articleBody (`extract_body` holds the text against
# articleBody itself; the comparison changed none of the 14 dev pages the test alone flagged).


def doubts_main_text(
    result: dict[str, Any], tree: lxml.html.HtmlElement, page_chars: int | None = None
) -> bool:
    """True when trafilatura's main extractor's text (`result`, of the pruned `tree`) gives a
    reason to compare it with readability's and justext's: too short, too few paragraphs,
    short and little of the page's text, little of the page's prose. `page_chars`: at least
    `tree`'s visible characters (what `prune_tree` returns), when known."""
    text = result.get("text") or ""
    body = result.get("body")
    if len(text) < _MIN_MAIN_TEXT_CHARS or body is None:
        return True
    if len(body.findall(".//p")) <= _MAX_DOUBTFUL_PARAGRAPHS:
        return True
    # A text no smaller a share of `page_chars` than _MIN_PAGE_SHARE is none of the tree's
    # either: the tree's text is measured only below it (0.45 ms a page).
    under_the_bound = page_chars is None or len(text) < _MIN_PAGE_SHARE * page_chars
    if (
        len(text) < _MAX_SMALL_SHARE_CHARS
        and under_the_bound
        and len(text) < _MIN_PAGE_SHARE * visible_chars(tree)
    ):
        return True
    # Most of the page's prose left out: the <article> holding only the lead, the story below.
    prose = (len(squash(text_content(p))) for p in tree.iter("p"))
    return len(text) < _MIN_PROSE_SHARE * sum(n for n in prose if n >= _MIN_PROSE_CHARS)


# Headings are left out: live blogs and long reads link their own section headings.
_BLOCK_TAGS = ("p", "li", "dd", "dt", "td", "div", "blockquote")
_BLOCK_TAG_SET = frozenset(_BLOCK_TAGS)


def link_ratios(
    tree: lxml.html.HtmlElement, url: str | None = None, keys: Collection[str] | None = None
) -> dict[str, float]:
    """Share of each short text block's words that sit inside links, keyed by folded text.

    `url` is the page's address: links to its own sections are part of the text, and a link
    to another site is no teaser of this one. `keys`, when given, are the only folded texts
    asked about (the paragraphs' keys): other blocks are not measured, and their ratios are
    left out.
    """
    # Only blocks around a link can be link blocks: start from the links, not from every block.
    blocks = _blocks_around_links(tree)
    ratios: dict[str, float] = {}
    linked_chars: dict[lxml.html.HtmlElement, int] = {}  # an anchor sits in up to 3 blocks
    page = _without_fragment(url) if url else None

    def counted(anchor: lxml.html.HtmlElement) -> int:
        if anchor not in linked_chars:
            text = text_content(anchor)
            href = anchor.get("href") or ""
            # In-page anchors (footnotes, tables of contents, also written with the page's
            # full address), bare URLs and addresses to write or call (mailto:, tel:) are part
            # of the text: none is a link to another page.
            own = (
                href.startswith(("#", "mailto:", "tel:"))
                or ("#" in href and page is not None and _without_fragment(href, url) == page)
                or text.strip().startswith(("http://", "https://", "www."))
            )
            linked_chars[anchor] = 0 if own else len(fold(text))
        return linked_chars[anchor]

    points: dict[lxml.html.HtmlElement, bool] = {}
    # The first word of each key asked about: see _FIRST_WORD.
    first_words = None if keys is None else {key.partition(" ")[0] for key in keys}
    for node in blocks:
        # (a walk of the descendants, not ElementPath's `.//div`: a third of the cost)
        if node.tag == "div" and next(node.iterdescendants("div"), None) is not None:
            continue
        text = text_content(node)
        if len(text) > 2 * _MAX_TEASER_CHARS and len(squash(text)) > _MAX_TEASER_CHARS:
            continue
        if first_words is not None and text.isascii():
            word = _FIRST_WORD.search(text)
            if word is None or word.group().lower() not in first_words:
                continue
        key = fold(text)
        if not key or len(key) > _MAX_TEASER_CHARS or key.count(" ") < _MIN_TEASER_WORDS - 1:
            continue
        if keys is not None and key not in keys:
            continue
        if node.tag == "li" and _in_a_list_of_points(node, counted, points):
            ratios.setdefault(key, 0.0)
            continue
        linked = sum(counted(a) for a in node.iter("a"))
        ratio = linked / len(key)
        # "READ ANOTHER STORY HERE | <linked headline>": a short label, then only a link to
        # another story of the site. A label before a name linked elsewhere is a product or a
        # source ("Best budget pick: Acme Lite", "Where to watch: Netflix").
        labelled = _LABEL_THEN_LINK.match(text) if linked and ratio < _LINK_RATIO else None
        if (
            labelled
            and fold(labelled.group(1))
            and len(labelled.group(1).split()) >= _MIN_TEASER_WORDS
            and not any(_leads_elsewhere(a.get("href") or "", url) for a in node.iter("a"))
        ):
            ratio = max(ratio, linked / len(fold(labelled.group(1))))
        ratios[key] = max(ratios.get(key, 0.0), min(1.0, ratio))
    return ratios


# An ASCII text folds to its words lower-cased (NFKC changes no ASCII character), so its key
# opens with its first word, lower-cased: a block whose first word opens none of the keys asked
# about is none of them, and is not folded. Of the 130 blocks a page has around links (the first
# 200 pages of wcxb-dev and of trafilatura-dev), 108 are ASCII and 13 of those pass: about
# 0.4 ms a page of folding.
_FIRST_WORD = re.compile(r"\w+")


def _blocks_around_links(tree: lxml.html.HtmlElement) -> dict[lxml.html.HtmlElement, int]:
    """The first _LINK_BLOCK_DEPTH blocks above each link of `tree`, in the order the links
    and then their blocks come, each with its least depth above a link.

    Links sit side by side in the same blocks: the walk up from a link stops at a block already
    reached from a link as near or nearer, whose blocks above were then taken as far up as
    this walk would take them (about a quarter of the walk's time).
    """
    blocks: dict[lxml.html.HtmlElement, int] = {}
    for anchor in tree.iter("a"):
        # Up by getparent(), the tags tested here: `iterancestors(*_BLOCK_TAGS)` builds a
        # matcher of the seven tags for each of the page's ~150 links (0.67 against 0.35 ms a
        # page). tests/test_body_rules.py holds the two walks together.
        depth = 0
        node = anchor.getparent()
        while node is not None:
            if node.tag in _BLOCK_TAG_SET:
                if depth >= _LINK_BLOCK_DEPTH or blocks.get(node, _LINK_BLOCK_DEPTH) <= depth:
                    break
                blocks[node] = depth  # a key set again keeps its place
                depth += 1
            node = node.getparent()
    return blocks


def _ratio_keys(paragraphs: list[str]) -> set[str]:
    """The keys `clean_paragraphs` looks `paragraphs` up by in the link ratios: each one
    folded, also without a "Click To Tweet" button."""
    keys = {fold(p) for p in paragraphs}
    keys.update(fold(_TWEET_BUTTON.sub("", p)) for p in paragraphs if _has_tweet_button(p))
    return keys


def _in_a_list_of_points(
    item: lxml.html.HtmlElement,
    counted: Callable[[lxml.html.HtmlElement], int],
    memo: dict[lxml.html.HtmlElement, bool],
) -> bool:
    """True when `item`'s list also holds items of text: a linked item is then one of the
    points (a product, a source), where a list of links only is a list of other stories."""
    parent = item.getparent()
    if parent is None or parent.tag not in ("ul", "ol"):
        return False
    if parent not in memo:
        memo[parent] = False
        for sibling in parent.iterchildren("li"):
            key = fold(text_content(sibling))
            if key.count(" ") < _MIN_TEASER_WORDS - 1:
                continue
            if sum(counted(a) for a in sibling.iter("a")) < _LINK_RATIO * len(key):
                memo[parent] = True
                break
    return memo[parent]


def _without_fragment(href: str, base: str | None = None) -> str:
    absolute = urljoin(base, href) if base else href
    return urldefrag(absolute)[0].rstrip("/")


def _host(url: str | None) -> str:
    return (urlsplit(url or "").hostname or "").removeprefix("www.")


def _opens_another_page_of_the_site(href: str, url: str | None) -> bool:
    """True when `href` leads to another page of the page's site: not to a place on the page
    itself, not to an address to write or call, not to another site."""
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return False
    if url and _without_fragment(href, url) == _without_fragment(url):
        return False
    return not _leads_elsewhere(href, url)


def _leads_elsewhere(href: str, url: str | None) -> bool:
    """True when `href` is an address on another site than the page's `url` (a subdomain of
    the page's site, or the site of a subdomain, is the same site)."""
    target = _host(urljoin(url, href) if url else href)
    here = _host(url)
    if not target or not here:
        return False
    return not (target == here or target.endswith(f".{here}") or here.endswith(f".{target}"))


_LABEL_THEN_LINK = re.compile(r"\s*[^|:\n]{1,40}[|:]\s*(.+)", re.DOTALL)


def _split_paragraphs(text: str) -> list[str]:
    # Each line's words split once (squashed twice before, for the test and the result).
    lines = (text or "").split("\n")
    return [" ".join(words) for words in (line.split() for line in lines) if words]


def _is_headline_line(key: str, headline_keys: set[str]) -> bool:
    """The headline, or the headline with a kicker before it or a site name after it.

    News sites print "Kicker: Headline" or "Headline | Section" as one heading line, often
    with no space where the kicker's element ends, so the comparison ignores spaces; and the
    metadata title may carry the kicker that the page sets apart.
    """
    if key in headline_keys:
        return True
    bare = key.replace(" ", "")
    for headline in headline_keys:
        core = headline.replace(" ", "")
        short, long = sorted((bare, core), key=len)
        if len(short) < _MIN_HEADLINE_CHARS or len(long) - len(short) > _MAX_HEADLINE_AFFIX:
            continue
        if long.endswith(short) or long.startswith(short):
            return True
    return False


def _is_kicker(paragraph: str) -> bool:
    # Length in characters too: Chinese and Japanese paragraphs have no spaces to count.
    words = paragraph.split()
    return (
        0 < len(words) <= 3
        and len(paragraph) <= 30
        and not paragraph.rstrip().endswith((".", "!", "?", ":", "”", '"', "。"))
    )


def _address_key(text: str) -> str:
    return re.sub(r"^https?://(?:www\.)?", "", text.strip()).rstrip("/")


# A tweetable quote's button, glued to the quote it shares: "... with much less stress.Click
# To Tweet" (the Social Warfare and Better Click To Tweet plugins).
_TWEET_BUTTON = re.compile(r"(?<=[.!?\"”’])\s*click to tweet\s*$", re.IGNORECASE)


def _has_tweet_button(paragraph: str) -> bool:
    # The search tries every place in the paragraph (0.2 ms a page, twice); a paragraph it
    # matches holds "tweet" in its lower case, since IGNORECASE matches no character with "t",
    # "w" or "e" that lowers to another letter (tests/test_body_rules.py).
    return "tweet" in paragraph.lower() and _TWEET_BUTTON.search(paragraph) is not None


_ARROW_LED = re.compile(r"\s*(?:>>|»|→|►|▶|➤|⇒)")
# A place alone, closed by the dateline's point or dash, in the first paragraphs: "Berlin.",
# "Madrid-" where the CMS set the dateline apart from the sentence it opens. A bare place
# name ("Ankara") may be a heading, and stays.
_PLACE_DATELINE = re.compile(r"^[^\W\d_]+(?:[ -][^\W\d_]+)?\s?[.–—-]$")


def _item_text(paragraph: str) -> str:
    """A paragraph without the marker trafilatura writes before a list item: a byline may be
    an item of the article's meta list ("- Von: Jane Doe", "- 3 Minuten Lesezeit")."""
    return paragraph[2:] if paragraph.startswith("- ") else paragraph


def _is_place_dateline(paragraph: str) -> bool:
    return paragraph[:1].isupper() and bool(_PLACE_DATELINE.match(paragraph))


@dataclass(frozen=True)
class _LineContext:
    """What a paragraph is compared with: the page's headlines, captions, description."""

    headline_keys: set[str]
    caption_keys: set[str]
    description_key: str | None
    own_address: str | None
    publishers: list[str]
    # Headings inside a link to another story of the site: a teaser card's title.
    teaser_heading_keys: Collection[str] = ()


def _removal_rule(
    paragraph: str,
    index: int,
    count: int,
    kept: list[str],
    ratios: dict[str, float],
    context: _LineContext,
) -> str | None:
    """The name of the rule that takes `paragraph` (the `index`-th of `count`, after the
    paragraphs `kept` so far) out of the text, or None when it stays."""
    key = fold(paragraph)
    near_head = index < _HEAD_ZONE and len(kept) < 3
    chrome = chrome_line_rule(paragraph)
    if chrome is not None:
        return f"chrome.{chrome}"
    # (The address's key is a part of the paragraph: where the page's is not, they differ.)
    own = context.own_address
    if own is not None and own in paragraph and _address_key(paragraph) == own:
        return "own-address"
    # A paragraph that is all link text is a teaser or "related" entry, not prose; so is
    # one led by an arrow (">> Hier finden Sie außerdem <link>").
    ratio = ratios.get(key, 0.0)
    if ratio >= _LINK_RATIO or (ratio > 0 and _ARROW_LED.match(paragraph)):
        return "link-block"
    if key in context.teaser_heading_keys:
        return "teaser-heading"
    if (near_head or not kept) and _is_headline_line(key, context.headline_keys):
        return "headline"
    if key in context.caption_keys:
        return "caption"
    if near_head and _is_place_dateline(paragraph):
        return "place-dateline"
    # The theme's estimate of the reading time, above the text with the byline and date.
    if near_head and is_reading_time_line(_item_text(paragraph)):
        return "reading-time"
    if (near_head or index >= count - 2) and parse_byline(_item_text(paragraph)) is not None:
        return "byline"
    # A name alone before the first paragraph, which the page's description repeats, is
    # the byline: the CMS made the description from the first block ("MTHOBISI SITHOLE"
    # where the page's own author is a newsroom account).
    if (
        not kept
        and key == context.description_key
        and clean_author_names(parse_signature(paragraph) or [], context.publishers)
    ):
        return "description-byline"
    # Before the first paragraph, a bare one-to-three-word label ("NEWS", "Politics") is
    # the section kicker above the headline, not the article's first heading.
    if not kept and _is_kicker(paragraph):
        return "kicker"
    return None


def _byline_names(paragraph: str, rule: str, meta: PageMetadata) -> list[str]:
    """The names of a paragraph that `_removal_rule` read as a byline."""
    if rule == "byline":
        return parse_byline(_item_text(paragraph)) or []
    return clean_author_names(parse_signature(paragraph) or [], meta.publishers)


def clean_paragraphs(
    paragraphs: list[str],
    meta: PageMetadata,
    captions: list[str],
    ratios: dict[str, float] | None = None,
    heading_keys: Container[str] | None = None,
    teaser_heading_keys: Collection[str] = (),
) -> BodyText:
    """Drop chrome lines, the repeated headline, bylines, captions and link blocks
    (`teaser_heading_keys`: the folded headings of teaser cards, see
    scraper.extract.teaser_headings)."""
    ratios = ratios or {}
    headline_keys = {fold(h) for h in meta.headlines if fold(h)}
    context = _LineContext(
        headline_keys=headline_keys,
        caption_keys={fold(c) for c in captions if fold(c)},
        description_key=fold(meta.description or "") or None,
        # The page's own address printed on it (a print view's or share box's): not the article.
        own_address=_address_key(meta.canonical_url) if meta.canonical_url else None,
        publishers=meta.publishers,
        teaser_heading_keys=teaser_heading_keys,
    )
    kept: list[str] = []
    authors: list[str] = []
    removed_captions: list[str] = []
    linked_chars = 0
    list_start = closing_list_start(paragraphs)
    if list_start is not None:
        for paragraph in paragraphs[list_start:]:
            note("line", "closing-list", "removed", paragraph)
        paragraphs = paragraphs[:list_start]
    for index, paragraph in enumerate(paragraphs):
        if _has_tweet_button(paragraph):
            note("line", "tweet-button", "removed", "Click To Tweet")
            paragraph = _TWEET_BUTTON.sub("", paragraph)
        rule = _removal_rule(paragraph, index, len(paragraphs), kept, ratios, context)
        if rule is None:
            kept.append(paragraph)
            continue
        note("line", rule, "removed", paragraph)
        if rule in ("link-block", "teaser-heading"):
            linked_chars += len(paragraph)
        elif rule == "caption":
            removed_captions.append(paragraph)
        elif rule in ("byline", "description-byline"):
            authors.extend(_byline_names(paragraph, rule, meta))
    signature = _take_signature(
        kept, headline_keys, heading_keys if heading_keys is not None else (), ratios
    )
    return BodyText(
        kept,
        "trafilatura",
        byline_authors=authors,
        signature_authors=signature,
        captions=removed_captions,
        linked_chars=linked_chars,
    )


# The credit line is the last paragraph, or the one before a closing prompt.
_SIGNATURE_ZONE = 2


def _take_signature(
    kept: list[str],
    headline_keys: set[str],
    heading_keys: Container[str],
    ratios: dict[str, float],
) -> list[str]:
    """Remove the closing credit line from `kept` and return its names (or [])."""
    for index in range(len(kept) - 1, max(len(kept) - 1 - _SIGNATURE_ZONE, 0), -1):
        names = parse_signature(kept[index])
        if not names:
            continue
        key = fold(kept[index])
        # A section heading or a link ("Related Topics") reads like a name too.
        if key in headline_keys or key in heading_keys or ratios.get(key, 0.0) > 0.5:
            continue
        # A blog post signed off like a letter ("Euer HansEhrlich", "Deine Mady"): its
        # closing words, in the writer's voice, stay in the text; the name is the author.
        sign_off = _SIGN_OFF.match(kept[index])
        if sign_off:
            note("line", "sign-off", "chose", kept[index])
            # One name alone is a name after a greeting ("Deine Mady").
            writer = kept[index][sign_off.end() :].strip()
            return parse_signature(writer) or [writer]
        note("line", "closing-credit", "removed", kept[index])
        del kept[index]
        return names
    return []


# The greetings a letter-style post closes with, before the writer's name (German, English,
# French, Spanish): a news credit line never greets.
_SIGN_OFF = re.compile(
    r"(?:euer|eure|dein|deine|yours|cheers|xoxo|liebe grüße|viele grüße|herzliche grüße|"
    r"gruß|grüße|bisous|amitiés|saludos|un abrazo|besos)\b[,!]?\s+(?=\S)",
    re.IGNORECASE,
)


# Long articles split into chunks around ads: sibling containers with the same class. The
# extractor may keep one chunk; the others are read in document order.
_CHUNK_LEVELS = 6
_MIN_CHUNK_CHARS = 200
_MIN_CHUNK_PARAGRAPH_CHARS = 100
_CHUNK_BLOCKS = etree.XPath(
    ".//*[self::p or self::h2 or self::h3 or self::blockquote or self::li][not(descendant::p)]"
    "[not(ancestor::figure or ancestor::figcaption or ancestor::aside)]"
)


def _chunk_paragraphs(chunk: lxml.html.HtmlElement) -> list[str]:
    texts = []
    for node in _CHUNK_BLOCKS(chunk):
        text = squash(text_content(node))
        linked = sum(len(squash(text_content(a))) for a in node.iter("a"))
        if not text or linked >= 0.5 * len(text):  # a "more stories" entry is all link
            continue
        parent = node.getparent()
        if (
            node.tag == "li"
            and parent is not None
            and all(i.find(".//a") is not None for i in parent)
        ):
            continue  # every item of its list links elsewhere: a list of stories
        texts.append(text)
    return texts


def _is_prose_chunk(chunk: lxml.html.HtmlElement, paragraphs: list[str]) -> bool:
    """Paragraphs of prose, not a form (comments), a credits line or a teaser."""
    if chunk.find(".//form") is not None or chunk.find(".//textarea") is not None:
        return False
    long = [p for p in paragraphs if len(p) >= _MIN_CHUNK_PARAGRAPH_CHARS]
    chars = sum(len(p) for p in paragraphs)
    return len(long) >= 2 and chars >= _MIN_CHUNK_CHARS and 2 * len(long) >= len(paragraphs)


def merge_sibling_chunks(tree: lxml.html.HtmlElement, paragraphs: list[str]) -> list[str]:
    """`paragraphs` with the text of the article's other chunks (see _CHUNK_LEVELS) added."""
    keys = {fold(p) for p in paragraphs}
    first = next((p for p in tree.iter("p") if fold(text_content(p)) in keys), None)
    if first is None:
        return paragraphs
    for depth, node in enumerate(first.iterancestors()):
        parent = node.getparent()
        if depth >= _CHUNK_LEVELS or parent is None or node.tag in ("body", "article", "main"):
            break
        chunks = same_class_siblings(node)
        if len(chunks) < 2:
            continue
        merged: list[str] = []
        added = 0
        for chunk in chunks:
            if chunk is node:
                merged.extend(paragraphs)
                continue
            texts = [t for t in _chunk_paragraphs(chunk) if fold(t) not in keys]
            if _is_prose_chunk(chunk, texts):
                merged.extend(texts)
                added += len(texts)
                for text in texts:
                    note("body", "sibling-chunk", "added", text)
        return merged if added else paragraphs
    return paragraphs


# A frame whose text lacks this many of its headings and list items was read as loose
# paragraphs (see scraper.extract.frame).
_MIN_MISSING_STRUCTURE = 2
# The share of the paragraphs' characters that reading the frame again may lose.
_MAX_REREAD_LOSS = 0.2


def _read_as_loose_paragraphs(body: etree._Element | None) -> bool:
    """True when trafilatura's output holds no heading and no list: what it gives when it
    found no frame and gathered paragraphs from anywhere on the page."""
    return body is None or next(body.iter("head", "list"), None) is None


def read_frame(
    doc: PageDocument, paragraphs: list[str], body: etree._Element | None = None
) -> list[str]:
    """`paragraphs` as the article's frame holds them (see scraper.extract.frame).

    What comes after the frame is the page's, not the article's: a call to action, the
    company's addresses, teasers of other posts (WCXB: 3,986 shingles of chrome against 671
    of text; trafilatura's corpus: 10 "without" snippets against none). What comes before
    it (a standfirst, a heading above the body's wrapper) stays. And when trafilatura
    gathered loose paragraphs (its output, `body`, has no heading and no list) and left at
    least _MIN_MISSING_STRUCTURE of the frame's headings and list items out, the frame is
    read again, alone on a page as the <article> trafilatura looks for first.
    """
    blocks = PageBlocks.of(doc.tree)
    frame = find_frame(blocks, paragraphs)
    if frame is None:
        return paragraphs
    places = place_in_frame(blocks, frame, paragraphs)
    for paragraph, place in zip(paragraphs, places, strict=True):
        if place == AFTER:
            note("body", "after-frame", "removed", paragraph)
    if (
        _read_as_loose_paragraphs(body)
        and missing_structure(frame, paragraphs) >= _MIN_MISSING_STRUCTURE
    ):
        before = [p for p, place in zip(paragraphs, places, strict=True) if place == BEFORE]
        inside = [p for p, place in zip(paragraphs, places, strict=True) if place == INSIDE]
        chunks = [p for p, place in zip(paragraphs, places, strict=True) if place == NEXT_CHUNK]
        reread = _reread(doc, frame, inside)
        if reread is not inside:
            return before + reread + chunks
    return [p for p, place in zip(paragraphs, places, strict=True) if place != AFTER]


def _reread(doc: PageDocument, frame: lxml.html.HtmlElement, paragraphs: list[str]) -> list[str]:
    """The text of `frame` read alone (see `read_frame`), or `paragraphs` (the text found in
    it) when that reading loses them."""
    page = lxml.html.fromstring("<html><body></body></html>")
    article = copy.deepcopy(frame)
    article.tag = "article"
    article.tail = None
    page[-1].append(article)
    prune_tree(page)
    # trafilatura's main extractor alone, as `bare_extraction(fast=True)` runs it, through the
    # cascade, which spares bare_extraction's copies and its raw pruning's regular expressions
    # on every element (23.5 -> 19.2 ms a reread; tests/test_cascade.py holds the two together).
    text = TrafilaturaCascade(page, doc.url).extract(fast=True).get("text")
    reread = _split_paragraphs(text or "")
    # The frame read again must keep the paragraphs found in it: when it does not, the
    # reading found another frame inside it (a sidebar's "entry-content"), not the article.
    kept = {fold(p) for p in reread}
    lost = sum(len(p) for p in paragraphs if fold(p) not in kept)
    if lost > _MAX_REREAD_LOSS * sum(len(p) for p in paragraphs):
        return paragraphs
    if tracing():
        found = {fold(p) for p in paragraphs}
        for paragraph in reread:
            if fold(paragraph) not in found:
                note("body", "frame-reread", "added", paragraph)
        for paragraph in paragraphs:
            if fold(paragraph) not in kept:
                note("body", "frame-reread", "removed", paragraph)
    return reread


class _HeadingKeys:
    """The folded texts of a page's headings, read when first asked about: only a closing line
    that reads as names is (see `_take_signature`), on few pages, and folding the headings of
    every page (24 a page) cost 0.45 ms."""

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        self._tree = tree
        self._keys: set[str] | None = None

    def __contains__(self, key: object) -> bool:
        if self._keys is None:
            headings = self._tree.iter("h1", "h2", "h3", "h4", "h5", "h6")
            self._keys = {fold(text_content(heading)) for heading in headings}
        return key in self._keys


def extract_body(doc: PageDocument, meta: PageMetadata, fast: bool = False) -> BodyText:
    """The article's body paragraphs; JSON-LD articleBody when the HTML holds no body.

    `fast` skips trafilatura's comparison of its main extractor with readability and justext,
    about a fifth of extraction's CPU; on most pages the text is the same, but where the
    main extractor goes wrong nothing catches it (see the README's quality section).
    """
    captions = figure_captions(doc.tree)
    extracted = run_trafilatura(doc, fast=fast)
    paragraphs = read_frame(
        doc, _split_paragraphs(extracted.get("text") or ""), extracted.get("body")
    )
    paragraphs = merge_sibling_chunks(doc.tree, paragraphs)
    # Only the paragraphs' link ratios are ever asked for (most blocks around links are menus
    # and teasers trafilatura left out): measure those alone.
    ratio_keys = _ratio_keys(paragraphs)
    ratios = link_ratios(doc.tree, doc.url, keys=ratio_keys)
    # Only headings whose text is one of the paragraphs can be a kept teaser's title.
    teasers = teaser_heading_keys(
        doc.tree, ratio_keys, lambda href: _opens_another_page_of_the_site(href, doc.url)
    )
    body = clean_paragraphs(
        paragraphs,
        meta,
        captions + alt_text_captions(doc.tree),
        ratios,
        _HeadingKeys(doc.tree),
        teasers,
    )
    body.captions = captions
    if meta.article_body:
        structured = clean_paragraphs(_split_paragraphs(meta.article_body), meta, captions)
        # A JS shell or teaser markup gives far less text than the structured body states;
        # and when trafilatura itself fell back to articleBody it flattened the paragraphs.
        same_words = fold(body.text) == fold(structured.text) and len(structured.paragraphs) > len(
            body.paragraphs
        )
        if same_words or (
            sum(len(p) for p in structured.paragraphs)
            > 2 * sum(len(p) for p in body.paragraphs) + 200
        ):
            return _instead_of(body, structured, "json-ld")
    if sum(len(p) for p in body.paragraphs) < MIN_PAYLOAD_CHARS:
        # No article in the markup: an app page may carry it in its scripts' state.
        payload = clean_paragraphs(script_payload_paragraphs(doc.tree), meta, captions)
        if sum(len(p) for p in payload.paragraphs) >= MIN_PAYLOAD_CHARS:
            return _instead_of(body, payload, "heuristic")
    return body


def _instead_of(body: BodyText, alternative: BodyText, source: str) -> BodyText:
    """`alternative` as the article's body, keeping what the markup's body found around the
    text: the page's captions and the byline read above it."""
    alternative.source = source
    note("body", f"{source}-body", "replaced", alternative.text)
    alternative.captions = body.captions
    alternative.byline_authors = body.byline_authors + alternative.byline_authors
    return alternative
