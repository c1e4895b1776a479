"""trafilatura's link-density pruning, tested only on the elements that hold a link.

`prune_unwanted_sections` (main_extractor.py) removes the frame's link-heavy divs, lists and
paragraphs in two rounds of three walks (trafilatura/htmlprocessing.py:
`delete_by_link_density` with `link_density_test`). Each walk asks every element of its tag for
its links (`findall(".//ref")`, a walk of the element's whole subtree, so nested divs are walked
once per level), although only an element with a link below it can be removed: the test answers
"keep, not short with links" at once for the others. Here one climb from each link marks the
elements above it, the walks test only those, each link's text is measured once per walk
instead of once per element holding it, an element's text is measured again only after a removal
below it, and the second round is skipped when the first removed nothing (each walk reads only
the tree, so on the same tree it finds the same nothing).

What the test decides, restated (trafilatura 2.3.1):
- no link below, or an image (`graphic`) below: keep.
- one link, whose trimmed text is over 100 characters (10 in precision) and over nine tenths of
  the element's: remove.
- the element's trimmed text under a limit (a paragraph: 30, or 60 when it is its parent's last
  child; anything else: 100, or 300 when last): removed when its links' texts are all empty;
  else "short with links", and removed when their non-empty texts add up to over four fifths
  of its text or, two or more, are over four fifths shorter than 10 characters.
- at or over the limit, five links or more: removed when their texts add up to over nine tenths
  of its text (LINK_FARM_RATIO) but average under 100 characters, and the links are not each
  alone in a paragraph of their own (a listing of documents).
`delete_by_link_density` removes what the test says, plus, when backtracking, the short ones with
links that hold enough children (3; 1 in precision) and under 100 characters (200 in precision);
never a paragraph that is an item's or a cell's content. tests/test_link_density.py holds both
to trafilatura's on every element of the fixture pages and on edge cases.
"""

from __future__ import annotations

import lxml.html
from lxml.etree import _Element
from trafilatura.htmlprocessing import LINK_FARM_RATIO
from trafilatura.xml import delete_element

from scraper.extract.elements import text_content

# the three tags `prune_unwanted_sections` walks twice, and whether a walk backtracks
ROUND = (("div", True), ("list", False), ("p", False))


def marked_ancestors(tree: _Element, tag: str) -> set[_Element]:
    """The elements at or under `tree` with a `tag` element below them (not themselves)."""
    marked: set[_Element] = set()
    for found in tree.iter(tag):
        if found is tree:
            continue
        parent = found.getparent()
        # stop where an earlier climb passed: everything above it up to `tree` is marked
        while parent is not None and parent not in marked:
            marked.add(parent)
            if parent is tree:
                break
            parent = parent.getparent()
    return marked


def trimmed(text: str) -> str:
    """The text with each run of whitespace one space, none at the ends (trafilatura's trim)."""
    return " ".join(text.split())


def _blank(text: str | None) -> bool:
    return not text or text.isspace()


class LinkDensity:
    """The link-density test for the elements of one tree, as removals change it: each
    element's trimmed text measured once until a removal below it (`forget_above`).
    `link_holders` and `image_holders` may hold more elements than now hold one (elements that
    held one before a removal); they may not miss one."""

    def __init__(
        self,
        link_holders: set[_Element],
        image_holders: set[_Element],
        favor_precision: bool,
    ) -> None:
        self.link_holders = link_holders
        self.image_holders = image_holders
        self.favor_precision = favor_precision
        self.lengths: dict[_Element, int] = {}

    def text_length(self, element: lxml.html.HtmlElement) -> int:
        """The length of the element's text, trimmed."""
        length = self.lengths.get(element)
        if length is not None:
            return length
        # A wrapper (one child element, nothing but whitespace around it) has its child's
        # trimmed text: measure the innermost of a chain of wrappers, once for the chain.
        chain = [element]
        while len(element) == 1:
            child = element[0]
            if not isinstance(child.tag, str) or not _blank(element.text) or not _blank(child.tail):
                break
            element = child
            length = self.lengths.get(element)
            if length is not None:
                break
            chain.append(element)
        if length is None:
            length = len(trimmed(text_content(element)))
        for wrapper in chain:
            self.lengths[wrapper] = length
        return length

    def forget_above(self, element: _Element) -> None:
        """Before `element` is removed: its removal shortens the text of every element above
        it (its tail stays with its parent), and of no other."""
        for ancestor in element.iterancestors():
            self.lengths.pop(ancestor, None)

    def __call__(self, element: lxml.html.HtmlElement) -> tuple[bool, bool, int]:
        """(remove, short with links, length of the trimmed text; 0 where not measured)."""
        if element not in self.link_holders:
            return False, False, 0
        links = element.findall(".//ref")
        if not links:
            return False, False, 0
        if element in self.image_holders and element.find(".//graphic") is not None:
            return False, False, 0
        length = self.text_length(element)
        if len(links) == 1:
            link_length = self.text_length(links[0])
            if link_length > (10 if self.favor_precision else 100) and link_length > length * 0.9:
                return True, False, length
        last = element.getnext() is None
        limit = (60 if last else 30) if element.tag == "p" else (300 if last else 100)
        if length >= limit and len(links) <= 4:
            return False, False, length
        lengths = [n for n in map(self.text_length, links) if n]
        total = sum(lengths)
        if length < limit:
            if not lengths:
                return True, False, length
            short = sum(n < 10 for n in lengths)
            dense = total > length * 0.8 or (len(lengths) > 1 and short / len(lengths) > 0.8)
            return dense, True, length
        farm = (
            total > length * LINK_FARM_RATIO
            and total < 100 * len(lengths)
            and not _each_alone_in_a_paragraph(links)
        )
        return farm, False, length


def _each_alone_in_a_paragraph(links: list[lxml.html.HtmlElement]) -> bool:
    """Whether every link's parent is a paragraph holding no other link (a listing of
    documents, one per paragraph, rather than a farm of links run together)."""
    for link in links:
        parent = link.getparent()
        if parent is None or parent.tag != "p":
            return False
        if len(parent.findall(".//ref")) > 1:
            return False
    return True


def link_dense_elements(
    tree: lxml.html.HtmlElement,
    tag: str,
    test: LinkDensity,
    backtracking: bool = False,
) -> list[lxml.html.HtmlElement]:
    """The `tag` elements at or under `tree` that `delete_by_link_density` removes, in document
    order."""
    favor_precision = test.favor_precision
    min_children = 1 if favor_precision else 3
    max_length = 200 if favor_precision else 100
    holders = test.link_holders
    dense = []
    for element in tree.iter(tag):
        if element not in holders:
            continue
        remove, short_with_links, length = test(element)
        if remove or (
            backtracking
            and short_with_links
            and len(element) >= min_children
            and length < max_length
        ):
            # a paragraph holding an item's or a cell's content stays: the list's or the
            # table's own density decides
            parent = element.getparent()
            if tag == "p" and parent is not None and parent.tag in ("item", "td", "th"):
                continue
            dense.append(element)
    return dense


def delete_link_dense(
    tree: lxml.html.HtmlElement,
    tag: str,
    favor_precision: bool,
    backtracking: bool = False,
    test: LinkDensity | None = None,
) -> int:
    """`delete_by_link_density(tree, tag, backtracking, favor_precision)`; how many went.
    `test`: one kept from an earlier walk of the same tree, with its measures."""
    if test is None:
        test = LinkDensity(
            marked_ancestors(tree, "ref"), marked_ancestors(tree, "graphic"), favor_precision
        )
    dense = link_dense_elements(tree, tag, test, backtracking)
    for element in dense:
        test.forget_above(element)
        delete_element(element)
    return len(dense)


def delete_link_dense_blocks(tree: lxml.html.HtmlElement, favor_precision: bool) -> None:
    """`prune_unwanted_sections`' two rounds of `delete_by_link_density` over divs
    (backtracking), lists and paragraphs."""
    # Removals only take elements away, so what holds a link or an image after one held it
    # before: the marks of the whole tree serve every walk, and so do the measures of the
    # elements with nothing removed below them.
    link_holders = marked_ancestors(tree, "ref")
    if not link_holders:
        return
    test = LinkDensity(link_holders, marked_ancestors(tree, "graphic"), favor_precision)
    for _ in range(2):
        removed = 0
        for tag, backtracking in ROUND:
            removed += delete_link_dense(tree, tag, favor_precision, backtracking, test)
        if not removed:
            break
