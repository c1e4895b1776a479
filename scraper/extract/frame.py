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

from dataclasses import dataclass

import lxml.html

from scraper.extract.elements import text_content
from scraper.extract.text import fold, squash

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


def _line_text(paragraph: str) -> str:
    """A text line as its block reads, without the list marker trafilatura writes."""
    return paragraph[2:] if paragraph.startswith("- ") else paragraph


@dataclass(frozen=True)
class PageBlocks:
    """The page's text blocks in document order, and the first block of each text.

    Texts are compared with whitespace squashed, not folded: as many of trafilatura's lines
    are found (94% of their characters on WCXB) at half the cost.
    """

    order: list[lxml.html.HtmlElement]
    by_text: dict[str, int]

    @classmethod
    def of(cls, tree: lxml.html.HtmlElement) -> PageBlocks:
        """The blocks of `tree`."""
        order = list(tree.iter(_TEXT_BLOCKS))
        by_text: dict[str, int] = {}
        for index, block in enumerate(order):
            by_text.setdefault(squash(text_content(block)), index)
        return cls(order, by_text)

    def index_of(self, paragraph: str) -> int | None:
        """The position of the first block reading `paragraph`, or None."""
        return self.by_text.get(squash(_line_text(paragraph)))


def find_frame(blocks: PageBlocks, paragraphs: list[str]) -> lxml.html.HtmlElement | None:
    """The deepest element holding most of `paragraphs` (see _FRAME_SHARE), or None when
    the paragraphs are not found on the page or only the page's wrapper holds them."""
    total = sum(len(p) for p in paragraphs)
    if not total:
        return None
    # A plain dictionary: a Counter's `+=` on a new key calls its __missing__ in Python, for
    # each ancestor of each paragraph's block (find_frame 0.66 against 0.51 ms a page).
    held: dict[lxml.html.HtmlElement, int] = {}
    found = 0
    seen: set[int] = set()
    for paragraph in paragraphs:
        index = blocks.index_of(paragraph)
        if index is None or index in seen:
            continue
        seen.add(index)
        found += len(paragraph)
        for ancestor in blocks.order[index].iterancestors():
            held[ancestor] = held.get(ancestor, 0) + len(paragraph)
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
    keys = {fold(_line_text(p)) for p in paragraphs}
    missing = 0
    for node in frame.iter(_STRUCTURE):
        if node.tag == "li" and node.find(".//li") is not None:
            continue  # an outer item: its own items are counted
        text = text_content(node)
        key = fold(text)
        if not key or key in keys:
            continue
        linked = sum(len(fold(text_content(a))) for a in node.iter("a"))
        if linked <= _MAX_LINKED_SHARE * len(key):
            missing += 1
    return missing


BEFORE, INSIDE, AFTER = "before", "inside", "after"
# After the frame, in another chunk of the article (see `_chunks_of`): the article's.
NEXT_CHUNK = "next chunk"


def place_in_frame(
    blocks: PageBlocks, frame: lxml.html.HtmlElement, paragraphs: list[str]
) -> list[str]:
    """Where each of `paragraphs` is found on the page: BEFORE `frame`, INSIDE it, in a
    NEXT_CHUNK of the article after it, or AFTER it. A paragraph not found as one block (a
    table row, text trafilatura joined, the headline) is counted inside."""
    first = next(frame.iter(_TEXT_BLOCKS), None)
    first_inside = len(blocks.order) if first is None else blocks.order.index(first)
    chunks = _chunks_of(frame)
    places = []
    for paragraph in paragraphs:
        index = blocks.index_of(paragraph)
        if index is None or _within(blocks.order[index], frame):
            places.append(INSIDE)
        elif index < first_inside:
            places.append(BEFORE)
        elif any(_within(blocks.order[index], chunk) for chunk in chunks):
            places.append(NEXT_CHUNK)
        else:
            places.append(AFTER)
    return places


# How far above the frame its chunks' common wrapper may be.
_CHUNK_LEVELS = 3


def _chunks_of(frame: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The other chunks of the article that `frame` is one of: a CMS that sets a story
    out as a list of fields or sections ("field__item", "article-section") writes each as a
    sibling of the same tag and class, and the chunk holding most of the text is the frame.
    What the other chunks hold is the article's too (its closing section, "Police ask for
    witnesses"), not what follows it."""
    chunks: list[lxml.html.HtmlElement] = []
    node: lxml.html.HtmlElement | None = frame
    for _ in range(_CHUNK_LEVELS + 1):
        if node is None or node.tag in _NOT_A_FRAME:
            break
        chunks.extend(
            sibling
            for sibling in same_class_siblings(node)
            if sibling is not node and _is_section(sibling)
        )
        node = node.getparent()
    return chunks


def same_class_siblings(node: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """`node` and its siblings of the same tag and class, in document order: the chunks of an
    article a CMS writes as a row of like containers. [] for a node without a class or parent."""
    parent = node.getparent()
    marks = node.get("class")
    if parent is None or not marks:
        return []
    return [
        sibling for sibling in parent if sibling.tag == node.tag and sibling.get("class") == marks
    ]


# A section of the article has a heading and its text, or several paragraphs; a chunk of one
# line is a module of the site's own (a series' tag line, "This is the European Perspective
# at BR24.", beside the newsletter prompt in a module of the same class).
_MIN_SECTION_BLOCKS = 2


def _is_section(chunk: lxml.html.HtmlElement) -> bool:
    blocks = (b for b in chunk.iter(_TEXT_BLOCKS) if text_content(b).strip())
    return sum(1 for _, _ in zip(range(_MIN_SECTION_BLOCKS), blocks, strict=False)) >= (
        _MIN_SECTION_BLOCKS
    )


def _within(block: lxml.html.HtmlElement, frame: lxml.html.HtmlElement) -> bool:
    return any(ancestor is frame for ancestor in block.iterancestors())
