"""Captions of the page's images: removed from the body, kept as the record's captions."""

from __future__ import annotations

import copy

import lxml.html
from lxml import etree

from scraper.extract.elements import text_content
from scraper.extract.text import squash

# Longer than this, a "caption" is a paragraph of the article.
_MAX_CAPTION_CHARS = 400


# On the attribute axis: half the time of testing every element's class.
_CAPTION_NODES = etree.XPath(
    "//figcaption | //@data-hook[. = 'image-caption']/.. "
    "| //@class[contains(., 'caption')]/parent::*[not(self::body)]"
    f"[not(descendant::p[string-length(normalize-space()) > {_MAX_CAPTION_CHARS}])]"
)


def figure_captions(tree: lxml.html.HtmlElement) -> list[str]:
    """Caption texts of figures, in page order (the first is usually the lead image's)."""
    found = []
    for node in _CAPTION_NODES(tree):
        text = _caption_text(node)
        if 0 < len(text) <= _MAX_CAPTION_CHARS and text not in found:
            found.append(text)
    return found


# An image's alt text repeated beside it, in the image's own small container, is its caption
# in all but markup (<div><img alt="X"><span class="small">X</span></div>). The same words in
# a paragraph are the article (Daily Mail writes its sentences into alt texts), and one- and
# two-word alts ("Photo") are labels.
_MIN_ALT_WORDS = 3
_MAX_CAPTION_CONTAINER = 12  # elements: a figure-sized block, not a whole article
# A paragraph or heading with the alt's words is text the image illustrates (a recipe's name).
_PROSE_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6")


def alt_text_captions(tree: lxml.html.HtmlElement) -> list[str]:
    """Alt texts an image's own small container repeats: captions in all but markup."""
    found: list[str] = []
    for image in tree.iter("img"):
        alt = squash(image.get("alt") or "")
        if len(alt.split()) < _MIN_ALT_WORDS or len(alt) > _MAX_CAPTION_CHARS or alt in found:
            continue
        container = image.getparent()
        for _ in range(2):  # the image's parent, or the link or wrapper around it
            if container is None:
                break
            nodes = [n for n in container.iter() if isinstance(n.tag, str) and n is not image]
            if len(nodes) > _MAX_CAPTION_CONTAINER:
                break
            if any(
                n.tag not in _PROSE_TAGS
                and squash(text_content(n)) == alt
                and not any(d.tag in _PROSE_TAGS for d in n.iterdescendants())
                for n in nodes
            ):
                found.append(alt)
                break
            container = container.getparent()
    return found


# Parts of a caption that credit the photo rather than describe it ("Gazette file photo",
# "Visualisierung: Stadt Pirna"): the caption field holds the description only. Compiled once:
# `node.xpath(text)` compiled it for every caption (0.2 ms a page).
_CREDIT_PARTS = etree.XPath(
    ".//*[contains(@class, 'credit') or contains(@class, 'copyright') or "
    "contains(@class, 'photographer') or contains(@class, 'source') or contains(@class, 'byline')]"
)


def _caption_text(node: lxml.html.HtmlElement) -> str:
    credits = _CREDIT_PARTS(node)
    if not credits:
        return squash(text_content(node))
    node = copy.deepcopy(node)
    for credit in _CREDIT_PARTS(node):
        credit.drop_tree()
    return squash(text_content(node))
