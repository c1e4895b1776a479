"""The article's frame: the element of the page that holds its main text.

trafilatura finds the frame by its markup (an <article>, a class such as "entry-content"). On a
page whose markup names none, it gathers "wild" paragraphs from anywhere on the page and keeps
only paragraph-like blocks: the headings and lists of a guide, a recipe or a review go missing
(on a ninth of WCXB's article pages; their recall was 0.78 against 0.95 elsewhere). And where
its frame is wider than the article, it keeps what follows the article inside it: a call to
action, the company's addresses, teasers of other posts. The paragraphs it found say where the
article is: the deepest element holding most of them (`find_frame`). `missing_structure` says
what of the frame the text lacks, `place_in_frame` where each paragraph lies relative to it.
"""

from __future__ import annotations

from collections import Counter

import lxml.html

from scraper.extract.text import fold

# The frame holds at least this share of the extracted text's characters. Lower, and a frame
# with a stray paragraph outside (a standfirst above the body's wrapper) is still found;
# higher, and one outlier pulls the frame up to the page's wrapper.
_FRAME_SHARE = 0.7
# Blocks the extracted paragraphs are matched with.
_TEXT_BLOCKS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "dd")
# The page's own wrappers are no frame: reading them is reading the page.
_NOT_A_FRAME = ("html", "body")
# Headings and list items that a frame's text leaves out: a heading or list item whose text is
# mostly a link is navigation or a related entry, and is left out on purpose.
_STRUCTURE = ("h2", "h3", "h4", "h5", "h6", "li")
_MAX_LINKED_SHARE = 0.5


def _line_key(paragraph: str) -> str:
    """A text line's key, without the list marker trafilatura writes before an item."""
    return fold(paragraph[2:] if paragraph.startswith("- ") else paragraph)


def find_frame(tree: lxml.html.HtmlElement, paragraphs: list[str]) -> lxml.html.HtmlElement | None:
    """The deepest element holding most of `paragraphs` (see _FRAME_SHARE), or None when
    the paragraphs are not found on the page or only the page's wrapper holds them."""
    weights = {_line_key(p): len(p) for p in paragraphs}
    total = sum(weights.values())
    if not total:
        return None
    held: Counter[lxml.html.HtmlElement] = Counter()
    found = 0
    for block in tree.iter(_TEXT_BLOCKS):
        weight = weights.pop(fold(block.text_content()), 0)
        if not weight:
            continue
        found += weight
        for ancestor in block.iterancestors():
            held[ancestor] += weight
    if found < _FRAME_SHARE * total:
        return None
    deepest: lxml.html.HtmlElement | None = None
    depth = -1
    for node, chars in held.items():
        if chars < _FRAME_SHARE * total:
            continue
        node_depth = sum(1 for _ in node.iterancestors())
        if node_depth > depth:
            deepest, depth = node, node_depth
    if deepest is None or deepest.tag in _NOT_A_FRAME:
        return None
    return deepest


def missing_structure(frame: lxml.html.HtmlElement, paragraphs: list[str]) -> int:
    """How many of the frame's headings and list items of text (not links) are not among
    `paragraphs`."""
    keys = {_line_key(p) for p in paragraphs}
    missing = 0
    for node in frame.iter(_STRUCTURE):
        if node.tag == "li" and node.find(".//li") is not None:
            continue  # an outer item: its own items are counted
        text = node.text_content()
        key = fold(text)
        if not key or key in keys:
            continue
        linked = sum(len(fold(a.text_content())) for a in node.iter("a"))
        if linked <= _MAX_LINKED_SHARE * len(key):
            missing += 1
    return missing


BEFORE, INSIDE, AFTER = "before", "inside", "after"


def place_in_frame(
    tree: lxml.html.HtmlElement, frame: lxml.html.HtmlElement, paragraphs: list[str]
) -> list[str]:
    """Where each of `paragraphs` is found on the page: BEFORE `frame`, INSIDE it or AFTER
    it. A paragraph not found as one block (a table row, text trafilatura joined, the
    headline) is counted inside."""
    position = {node: index for index, node in enumerate(tree.iter())}
    inside = set(frame.iter())
    blocks: dict[str, lxml.html.HtmlElement] = {}
    for block in tree.iter(_TEXT_BLOCKS):
        blocks.setdefault(fold(block.text_content()), block)
    places = []
    for paragraph in paragraphs:
        block = blocks.get(_line_key(paragraph))
        if block is None or block in inside:
            places.append(INSIDE)
        else:
            places.append(BEFORE if position[block] < position[frame] else AFTER)
    return places
