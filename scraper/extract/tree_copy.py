"""Copies of a tree without some of its subtrees, made without copying those.

The cascade copies a whole tree where a stage would remove subtrees from it and the tree itself
must stay as it is (the raw pruning, the cleaning). Copying the subtrees only to remove them is
most of such a copy's cost where they are the head, scripts, styles, SVGs or a comment thread;
finding the removed elements in the copy again (by their path) cost more than the copy.

Here each outermost subtree to remove is put aside, with an empty stand-in in its place that
carries its tail; the tree is copied, each subtree put back in its place (with its own tail:
lxml moves an element's tail with it), and the stand-ins are removed from the copy, their tails
joined to the text before them as `trafilatura.xml.delete_element` joins a removed element's.
The order of such removals does not change the result: each joins a tail to the text just
before it, so the text keeps its order whichever of two neighbours goes first, and a removal
inside a subtree already removed changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import copy

import lxml.html
from lxml.etree import Element
from trafilatura.xml import delete_element

# The HTML parser makes no namespaced element, so no element of a page has this tag.
_STAND_IN = "{urn:newsscrape:tree-copy}removed"


def outermost(elements: Iterable[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """The elements of `elements` inside none of the others, in their order, each once."""
    # each element met: whether it or one of its ancestors is among `elements`
    inside = dict.fromkeys(elements, True)
    found = []
    for element in list(inside):
        chain = []
        node = element.getparent()
        while node is not None and node not in inside:
            chain.append(node)
            node = node.getparent()
        within = node is not None and inside[node]
        for link in chain:
            inside[link] = within
        if not within:
            found.append(element)
    return found


def copy_with_stand_ins(
    tree: lxml.html.HtmlElement,
    removed: Iterable[tuple[lxml.html.HtmlElement, str | None]],
) -> lxml.html.HtmlElement:
    """A copy of `tree` with an empty stand-in for each element of `removed` (elements inside
    none of the others, each with the tail its stand-in carries). `tree` is left as it was."""
    stand_ins = []
    try:
        for element, tail in removed:
            stand_in = Element(_STAND_IN)
            stand_in.tail = tail
            parent = element.getparent()
            parent.replace(element, stand_in)
            stand_ins.append((stand_in, element))
        return copy(tree)
    finally:
        for stand_in, element in stand_ins:
            stand_in.getparent().replace(stand_in, element)


def remove_stand_ins(tree: lxml.html.HtmlElement) -> None:
    """Remove the stand-ins of `tree`, each one's tail joined to the text before it."""
    for stand_in in list(tree.iter(_STAND_IN)):
        delete_element(stand_in)


def copy_without(
    tree: lxml.html.HtmlElement, elements: Iterable[lxml.html.HtmlElement]
) -> lxml.html.HtmlElement:
    """What a copy of `tree` is after `delete_element` of each of `elements` (elements of
    `tree`, in any order): the copy without their subtrees, their tails kept. `tree`, which
    must hold them, is left as it was."""
    # delete_element leaves the root, which has no parent to remove it from
    below_the_root = [e for e in elements if e.getparent() is not None]
    pruned = copy_with_stand_ins(tree, ((e, e.tail) for e in outermost(below_the_root)))
    remove_stand_ins(pruned)
    return pruned
