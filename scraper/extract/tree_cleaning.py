"""trafilatura's tree cleaning (`trafilatura.htmlprocessing.tree_cleaning`, 2.3.1) of a copy of a
tree, found in one walk of the tree instead of one walk per tag, and without copying what it
removes.

trafilatura's function, given a copy of the page, turns MathML into its LaTeX source, renames
figures holding a table and layout tables to divs, strips the tags of MANUALLY_STRIPPED
(keeping their content), removes every element of MANUALLY_CLEANED with its subtree (its tail
joined to the text before it), demotes or removes forms, and prunes empty blocks. Its removal
loop walks the whole tree once per tag (51 walks), and the copy it is given holds the head,
scripts, styles, SVGs and navigation it then throws away.

`cleaned_copy` finds the elements to remove in one walk of the tree, and copies the tree
without them (`tree_copy.copy_with_stand_ins`: a stand-in carrying each outermost one's tail in
its place, removed from the copy where trafilatura's loop would have removed the element;
the figures and tables to demote renamed in the tree for the copy, and back). Which elements go, and the text
their tails join, are trafilatura's:

- the order of removals does not change the result: each removal joins the tail to the text
  just before it, so the text keeps its order whichever of two neighbours goes first, and a
  removal inside a subtree already removed changes nothing in the tree;
- trafilatura's loop for a tag walks the tree while removing from it, and lxml finds the next
  element before the loop removes the current one: where an element to remove holds another
  of its tag, the walk goes on inside the removed element and ends there, so the elements of
  that tag after it stay. A tree where that keeps an element (7 of the 245 trees that 200 dev
  pages give the cascade), and the recall setting (which undoes the removals where no
  paragraph survives them, so needs the tree before them), are cleaned step by step instead,
  in `_clean_in_place`, whose removal loop does what trafilatura's does on every tree.

tests/test_tree_cleaning.py holds both paths to trafilatura's function on every fixture page,
in every setting, and on edge cases.
"""

from __future__ import annotations

from copy import copy, deepcopy

import lxml.html
from lxml.etree import XPath, strip_tags
from trafilatura.htmlprocessing import prune_html
from trafilatura.settings import MANUALLY_CLEANED, MANUALLY_STRIPPED, Extractor
from trafilatura.utils import trim
from trafilatura.xml import delete_element

from scraper.extract.tree_copy import copy_with_stand_ins, remove_stand_ins

# What the image setting keeps of the cleaning list: images often sit in these.
_IMAGE_HOLDERS = ("figure", "picture", "source")
# Removed too when tables are left out.
_TABLE_TAGS = ("table", "td", "th", "tr")

# A formula's LaTeX source, where MathML carries it: an annotation of the TeX encoding (in any
# namespace, for XHTML pages whose MathML keeps its own), else the math element's alttext.
_TEX_ANNOTATION = XPath('.//*[local-name()="annotation"][@encoding="application/x-tex"]')


class _Tags:
    """The tags trafilatura's cleaning strips and removes for these options, read when called
    (MANUALLY_CLEANED and MANUALLY_STRIPPED are public lists a user may change)."""

    def __init__(self, options: Extractor) -> None:
        removed = list(MANUALLY_CLEANED)
        stripped = list(MANUALLY_STRIPPED)
        # forms are judged after the removals, by the share of the text they hold
        self.forms = "form" in removed
        if self.forms:
            removed.remove("form")
        if not options.tables:
            removed.extend(_TABLE_TAGS)
        if options.images:
            removed = [tag for tag in removed if tag not in _IMAGE_HOLDERS]
            stripped.remove("img")
        self.removed = removed
        self.stripped = stripped


def _formula_tail(math: lxml.html.HtmlElement) -> str | None:
    """The tail trafilatura gives a <math> element holding a formula's source: the formula
    between the delimiters of its display, then the element's own tail. None without one."""
    annotation = _TEX_ANNOTATION(math)
    latex = trim((annotation[0].text if annotation else math.get("alttext")) or "")
    if not latex:
        return None
    if math.get("display") == "block":
        return f"\\[{latex}\\]{math.tail or ''}"
    return f"\\({latex}\\){math.tail or ''}"


def _removal_tail(element: lxml.html.HtmlElement) -> str | None:
    """The tail a removed element leaves: a formula's source before a <math> element's own."""
    if element.tag == "math":
        formula = _formula_tail(element)
        if formula is not None:
            return formula
    return element.tail


def _is_demoted(element: lxml.html.HtmlElement) -> bool:
    """True for a figure holding a table and for a layout table (role presentation or none):
    trafilatura keeps them, as divs, when it keeps tables."""
    if element.tag == "figure":
        return element.find(".//table") is not None
    return element.get("role") in ("presentation", "none")


def _settle_forms(tree: lxml.html.HtmlElement) -> None:
    """A form holding over half of the tree's text is a page's layout wrapper (ASP.NET puts a
    whole page in one) and becomes a div; other forms go."""
    forms = list(tree.iter("form"))
    if not forms:
        return
    total = len(tree.text_content())
    for form in forms:
        if total and len(form.text_content()) > total / 2:
            form.tag = "div"
        else:
            delete_element(form)


def cleaned_copy(tree: lxml.html.HtmlElement, options: Extractor) -> lxml.html.HtmlElement:
    """What `trafilatura.htmlprocessing.tree_cleaning(copy(tree), options)` returns. `tree`, a
    document's root, is left as it is."""
    if tree.getparent() is not None:
        raise ValueError("cleaned_copy takes a document's root")
    tags = _Tags(options)
    # a tag both stripped and removed is stripped first: none of it is left to remove
    removed = set(tags.removed).difference(tags.stripped)
    if options.focus == "recall" or "math" not in removed:
        return _clean_in_place(copy(tree), options, tags)
    walked = removed | {"math", "form"}
    demotable = ("figure", "table") if options.tables else ()
    walked.update(demotable)
    doomed = []
    demoted = []
    has_forms = False
    for element in tree.iter(*walked):
        tag = element.tag
        if tag in demotable and _is_demoted(element):
            demoted.append((element, tag))
        elif tag in removed:
            if element is not tree:
                doomed.append(element)
        elif tag == "form":
            has_forms = True
    # renamed in `tree` for the copy, and back
    for element, _ in demoted:
        element.tag = "div"
    try:
        outermost = _outermost(tree, doomed, tags.removed)
        cleaned = None
        if outermost is not None:
            cleaned = copy_with_stand_ins(tree, ((e, _removal_tail(e)) for e in outermost))
    finally:
        for element, tag in demoted:
            element.tag = tag
    if cleaned is None:
        return _clean_in_place(copy(tree), options, tags)
    strip_tags(cleaned, tags.stripped)
    remove_stand_ins(cleaned)
    if tags.forms and has_forms:
        _settle_forms(cleaned)
    return prune_html(cleaned, options.focus)


def _outermost(
    tree: lxml.html.HtmlElement, doomed: list[lxml.html.HtmlElement], order: list[str]
) -> list[lxml.html.HtmlElement] | None:
    """The elements of `doomed` (elements of the tags of `order` below the root, in document
    order) inside none of the others, or None where trafilatura's loops (one a tag, in the
    order of `order`) would keep one of those.

    A loop stops after an element holding another of its tag (see the module's doc), and the
    elements of its tag after that one stay: unless an earlier loop has taken the holder out
    of the tree, or no element of the tag outside every other one to remove comes after it.
    """
    # each element met: the nearest element of `doomed` among it and its ancestors, or None
    nearest: dict[lxml.html.HtmlElement, lxml.html.HtmlElement | None] = {tree: None}
    outermost = []
    inner = []
    for element in doomed:
        chain = []
        ancestor = element.getparent()
        while ancestor not in nearest:
            chain.append(ancestor)
            ancestor = ancestor.getparent()
        holder = nearest[ancestor]
        for link in chain:
            nearest[link] = holder
        nearest[element] = element
        if holder is None:
            outermost.append(element)
        else:
            inner.append((element, holder))
    for element, holder in inner:
        tag = element.tag
        while holder is not None and holder.tag != tag:
            holder = nearest[holder.getparent()]
        if holder is not None and _keeps_some(holder, tag, nearest, doomed, outermost, order):
            return None
    return outermost


def _keeps_some(
    holder: lxml.html.HtmlElement,
    tag: str,
    nearest: dict[lxml.html.HtmlElement, lxml.html.HtmlElement | None],
    doomed: list[lxml.html.HtmlElement],
    outermost: list[lxml.html.HtmlElement],
    order: list[str],
) -> bool:
    """True where `tag`'s loop, stopping after `holder` (which holds another of its tag),
    keeps an element that no other loop removes."""
    loop = order.index(tag)
    above = nearest[holder.getparent()]
    while above is not None:
        if order.index(above.tag) < loop:
            return False  # out of the tree before the loop runs
        above = nearest[above.getparent()]
    after = set(doomed[doomed.index(holder) + 1 :])
    return any(e.tag == tag and e in after for e in outermost)


def _all_paragraphs_removed(tree: lxml.html.HtmlElement, removed: list[str]) -> bool:
    """True where `tree` holds paragraphs and the removal of `removed` may take them all: none
    is outside every element of those tags."""
    if tree.find(".//p") is None:
        return False
    if "p" in removed:
        return True
    return all(next(p.iterancestors(*removed), tree) is not tree for p in tree.iter("p"))


def _remove_all(tree: lxml.html.HtmlElement, tag: str) -> None:
    """trafilatura's removal of the elements of one tag, in document order. Its walk of the
    tree has found the next element before it removes the current one: after an element holding
    another of its tag it goes on inside the removed subtree, and ends there."""
    for element in list(tree.iter(tag)):
        if element is tree:
            continue
        holds_another = next(element.iterdescendants(tag), None) is not None
        delete_element(element)
        if holds_another:
            break


def _clean_in_place(
    tree: lxml.html.HtmlElement, options: Extractor, tags: _Tags
) -> lxml.html.HtmlElement:
    """trafilatura's cleaning step by step, on `tree` itself: one removal walk per tag."""
    for math in tree.iter("math"):
        tail = _formula_tail(math)
        if tail is not None:
            math.tail = tail
    if options.tables:
        for element in tree.iter("figure", "table"):
            if _is_demoted(element):
                element.tag = "div"
    strip_tags(tree, tags.stripped)
    # recall: the removals are undone where they leave no paragraph
    backup = None
    if options.focus == "recall" and _all_paragraphs_removed(tree, tags.removed):
        backup = deepcopy(tree)
    for tag in tags.removed:
        _remove_all(tree, tag)
    if backup is not None and tree.find(".//p") is None:
        tree = backup
    if tags.forms:
        _settle_forms(tree)
    return prune_html(tree, options.focus)
