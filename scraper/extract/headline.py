"""The displayed headline: the page's headline elements weighed against its metadata titles.

Site names and sections that <title> and og:title add are cut by comparing each part with the
names the page gives itself, never with a list of sites.
"""

from __future__ import annotations

import html
import re
from typing import Any

import lxml.html

from scraper.extract.elements import is_hidden, marks
from scraper.extract.text import fold, squash
from scraper.extract.trace import note

# Separators CMSs put between a headline and the site name in <title> and og:title.
_SEPARATOR_MARKS = r"|\-–—:·•»/"
_TITLE_SEPARATORS = re.compile(rf"\s+[{_SEPARATOR_MARKS}]\s+|\s+::\s+")
# Metadata that states the title, most deliberate first.
_TITLE_META_KEYS = (
    "og:title",
    "twitter:title",
    "title",
    "dc.title",
    "citation_title",
    "parsely-title",
)


def title_candidates(
    article: dict[str, Any] | None, meta: dict[str, list[str]], title_tag: str
) -> list[tuple[str, str]]:
    """The titles the page states, with their sources: JSON-LD, meta tags, then `title_tag`
    (the <title> text, squashed)."""
    candidates: list[tuple[str, str]] = []
    if article is not None:
        for key in ("headline", "name", "alternativeHeadline"):
            value = article.get(key)
            if isinstance(value, str) and value.strip():
                # JSON-LD strings are often HTML-escaped twice ("&quot;" on kicker.de).
                candidates.append((squash(html.unescape(value)), "json-ld"))
                break
    candidates += [(meta[key][0], "meta") for key in _TITLE_META_KEYS if meta.get(key)]
    if title_tag:
        candidates.append((title_tag, "html"))
    return candidates


# Headline elements inside breadcrumbs, or classed as SEO copies, are hidden duplicates:
# the displayed headline is then an h2 in the article header (Tamedia, n-tv, kicker).
_HIDDEN_COPY = re.compile(r"crumb|seo", re.IGNORECASE)
# Parts of a headline element that are not the headline: the topic line shown above it.
_KICKER = re.compile(
    r"kicker|overline|topline|dachzeile|roofline|eyebrow|supertitle|overtitle|titleheader|title-header",
    re.IGNORECASE,
)
# Parts of a headline element that are the entry's date or byline: a theme that nests its
# "Posted on July 1, 2024 by …" line inside the H1.
_ENTRY_META = re.compile(r"date|time|posted|byline|author", re.IGNORECASE)
# How a topic line ends where the headline follows it.
_OPEN_ENDS = (":", "：")
# A part of a headline element that declares itself the headline proper (when not the kicker).
_HEADLINE_PART = re.compile(r"headline|title", re.IGNORECASE)


def _heading_texts(node: lxml.html.HtmlElement) -> list[str]:
    texts: list[str] = []
    for part in node.iterdescendants():
        part_marks = marks(part) if isinstance(part.tag, str) else ""
        if _HEADLINE_PART.search(part_marks) and not _KICKER.search(part_marks):
            texts.append(squash(part.text_content()))
            break
    parts = [
        squash(child.text_content())
        for child in node
        if isinstance(child.tag, str)
        and not _KICKER.search(marks(child))
        and not _ENTRY_META.search(marks(child))
        and not is_hidden(child)
    ]
    if len(parts) < len(node):
        texts.append(squash(" ".join([node.text or "", *parts])))
    texts.append(squash(node.text_content()))
    # A topic line set in its own element without a space before the headline reads glued
    # to it ("Nationale DemoDer 9. Juli …"): the same text with its parts set apart.
    if len(node):
        spaced = [node.text or ""]
        for child in node:
            if isinstance(child.tag, str):
                spaced.append(child.text_content())
            spaced.append(child.tail or "")
        texts.append(squash(" ".join(spaced)))
    # A reading that ends with a colon is the topic line alone ("Waffenlieferungen an
    # Israel:"), which a metadata title starting with it would otherwise pass as the headline
    # cut short.
    return [t for t in dict.fromkeys(texts) if 0 < len(t) <= 300 and not t.endswith(_OPEN_ENDS)]


# Where an H2 is an article header's: below a <header> or an element whose class holds "head"
# in any case of those four letters (XPath's `translate(@class, 'HEAD', 'head')`), and not in
# a nav, footer or aside.
_HEAD_LETTERS = str.maketrans("HEAD", "head")
_NOT_HEADERS = frozenset({"nav", "footer", "aside"})


# What an element and its ancestors make of an H2 below it (see headline_nodes).
_NEITHER, _IN_HEADER, _IN_NAVIGATION = 0, 1, 2


def headline_nodes(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The page's H1s and its article headers' H2s, in document order: `//h1 | //h2[ancestor::
    header or ancestor::*[contains(translate(@class, 'HEAD', 'head'), 'head')]][not(ancestor::
    nav or ancestor::footer or ancestor::aside)]` on `tree`, the page's root element, read in
    Python (0.8 ms a page for the expression, whose translate() makes a string of the class of
    every ancestor of every H2). An element's verdict on what is below it (inside a nav, footer
    or aside; else inside a header; else neither) is its own and its parent's, kept for the
    next H2 below it: the H2s of a page share most of their ancestors (0.41 -> 0.14 ms a page
    against testing every ancestor of every H2)."""
    nodes = []
    verdicts: dict[lxml.html.HtmlElement, int] = {}
    for node in tree.iter("h1", "h2"):
        if node.tag == "h2":
            unread = []
            above = node.getparent()
            while above is not None and above not in verdicts:
                unread.append(above)
                above = above.getparent()
            verdict = verdicts[above] if above is not None else _NEITHER
            for element in reversed(unread):  # from the top down
                if verdict != _IN_NAVIGATION:
                    if element.tag in _NOT_HEADERS:
                        verdict = _IN_NAVIGATION
                    elif verdict == _NEITHER and (
                        element.tag == "header"
                        or "head" in (element.get("class") or "").translate(_HEAD_LETTERS)
                    ):
                        verdict = _IN_HEADER
                verdicts[element] = verdict
            if verdict != _IN_HEADER:
                continue
        nodes.append(node)
    return nodes


def headline_elements(tree: lxml.html.HtmlElement) -> tuple[list[list[str]], int]:
    """Readings of each headline element, most telling first: visible H1s, then h2s of an
    article header, then H1s that are breadcrumb or SEO copies; and how many are H1s."""
    h1s: list[list[str]] = []
    h2s: list[list[str]] = []
    copies: list[list[str]] = []
    for node in headline_nodes(tree):
        texts = [] if is_hidden(node) else _heading_texts(node)
        if not texts:
            continue
        if node.tag != "h1":
            h2s.append(texts)
        elif _HIDDEN_COPY.search(node.get("class") or "") or any(
            a.tag == "nav" or _HIDDEN_COPY.search(marks(a)) for a in node.iterancestors()
        ):
            copies.append(texts)
        else:
            h1s.append(texts)
    return h1s + h2s + copies, len(h1s)


def visible_h1s(tree: lxml.html.HtmlElement) -> list[str]:
    texts = []
    for h1 in tree.iterfind(".//h1"):
        if is_hidden(h1):
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


# Shorter words inside a domain name are common words, not the brand ("news" in "abcnews").
_MIN_BRAND_CHARS = 5


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
    # The brand inside a longer domain name: "… | DianaHR" on getdianahr.com.
    if len(parts) > 1:
        brand = fold(parts[-1]).replace(" ", "")
        if len(brand) >= _MIN_BRAND_CHARS and any(brand in k for k in keys if " " not in k):
            return title[: title.rfind(parts[-1])].rstrip(f" {_SEPARATOR_MARKS}") or title
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


def title_affix(title_tag: str, headline: str | None) -> str | None:
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


# A headline is a line, not a paragraph: an H1 longer than this is a standfirst set large.
_MAX_HEADLINE_WORDS = 25


def _same_topic(shown: str, stated: str) -> bool:
    """The H1 and the metadata title share enough words to be two wordings of one headline
    ("How To Use Gym Equipment (With Confidence!)" and "How To Use Gym Equipment: A
    Beginner's Guide"), not a section label or the site's banner ("M&A Updates")."""
    shown_words, stated_words = set(fold(shown).split()), set(fold(stated).split())
    shared = shown_words & stated_words
    return len(shared) >= 2 and len(shared) >= 0.3 * min(len(shown_words), len(stated_words))


def _is_headline_shaped(text: str, site_keys: set[str]) -> bool:
    words = fold(text).split()
    return 3 <= len(words) <= _MAX_HEADLINE_WORDS and "".join(words) not in site_keys


def choose_title(
    headings: list[list[str]],
    primary: int,
    candidates: list[tuple[str, str]],
    site_names: list[str],
    sections: list[str],
    *,
    news_typed: bool = False,
) -> tuple[str | None, str | None]:
    """The displayed headline: the headline element that agrees best with the metadata.

    Readings of the page's headline elements are matched with the metadata titles; the best
    agreement wins, and among equals the more telling element. When the element carries a
    topic line the metadata leaves out (n-tv, Tamedia), the metadata wording is the headline;
    when the metadata adds the topic (SRF's og:title), the element's wording is.
    `news_typed`: the page's JSON-LD types it as a news article (see below).
    """
    cleaned = [
        (strip_site_name(text, site_names, sections), source) for text, source in candidates if text
    ]
    best: tuple[int, int, str] | None = None
    for rank, readings in enumerate(headings):
        # An H1 may carry the site name as a <title> does ("… – Artlyst").
        unbranded = [strip_site_name(r, site_names) for r in readings]
        for reading in dict.fromkeys(readings + unbranded):
            for title, _ in cleaned:
                level = _agreement(reading, title)
                if level and (best is None or (level, -rank) > best[:2]):
                    shown_longer = len(fold(reading)) > len(fold(title))
                    text = title if level == 2 and shown_longer else reading
                    best = (level, -rank, text)
    if best is not None:
        note("headline", "element-agrees-with-metadata", "chose", best[2])
        return best[2], "html"
    keys = {fold(n).replace(" ", "") for n in site_names}
    # No element agrees with the metadata. When the metadata titles also disagree among
    # themselves (MDR writes a different og:title and JSON-LD headline for search and social),
    # the page's own H1 is the evidence left.
    metadata_agrees = len({fold(title) for title, _ in cleaned}) <= 1
    for readings in [] if metadata_agrees else headings[:primary]:
        if _is_headline_shaped(readings[-1], keys):
            note("headline", "h1-when-metadata-disagrees", "chose", readings[-1])
            return readings[-1], "html"
    # When they agree, a page's only H1 that words the same topic otherwise is the headline
    # as displayed: blogs and guides rewrite the H1 and leave the SEO title ("Guide to filing
    # your taxes in 2025" under an og:title still saying 2024). A news publisher's metadata
    # headline is the desk's own edit, and the news gold follows it there ("Johannesburg has
    # failed…" over the H1's "Joburg has failed…"), so a news article keeps it. Several H1s,
    # or one on another topic, are a banner or section label that the metadata outvotes.
    if cleaned and primary == 1 and not news_typed:
        shown = headings[0][-1]
        if _is_headline_shaped(shown, keys) and _same_topic(shown, cleaned[0][0]):
            note("headline", "single-h1-on-the-metadata-topic", "chose", shown)
            return shown, "html"
    if cleaned:
        note("headline", "metadata-title", "chose", cleaned[0][0])
        return cleaned[0]
    if headings:
        note("headline", "first-headline-element", "chose", headings[0][-1])
        return headings[0][-1], "html"
    return None, None
