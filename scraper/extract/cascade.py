"""trafilatura's cascade of extractors, run on the tree we parsed and pruned, each shared step
done once.

`trafilatura.bare_extraction` copies the tree it is given, prunes the raw copy, cleans and
converts a second copy and keeps a third for its comparison with readability and justext, and
for a short text renders the whole page's text to decide on a recall retry. Called twice on a
page whose main text is in doubt (the main extractor alone, then the comparison; see
`scraper.extract.body.run_trafilatura`), it did all of that twice. `TrafilaturaCascade` runs
the same stages, in trafilatura's order (`trafilatura.core.trafilatura_sequence`, 2.x), from
trafilatura's own functions, with comments left out and Python output as `bare_extraction`
gives them, and:

- copies the tree only when its raw pruning removes something (our tree is already a copy,
  and `body.doubts_main_text` reads it as we pruned it);
- keeps no copy of the cleaned tree for a comparison that the main extractor's run does not
  make, and makes it for the comparison only where justext reads it;
- cleans the tree without copying what the cleaning removes (`tree_cleaning.cleaned_copy`);
- prunes the raw tree, tests for a forum thread and measures the page's text once for both
  runs.

The result is the same as `bare_extraction`'s (tests/test_cascade.py holds the two together).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from copy import copy
from typing import Any

import lxml.html
from lxml.etree import XPath, strip_tags, tostring
from trafilatura.baseline import _BLOCK_ELEMS, _spaced_text, baseline
from trafilatura.core import (
    ESCALATION_ACCEPT_RATIO,
    ESCALATION_JUSTEXT_RATIO,
    ESCALATION_MAX_LENGTH,
    ESCALATION_PAGE_SHARE,
    _forum_thread_page,
)
from trafilatura.external import (
    JUSTEXT_OVERRIDE_RATIO,
    SANITIZED_XPATH,
    _prefer_readability,
    justext_rescue,
    sanitize_tree,
    try_readability,
)
from trafilatura.htmlprocessing import convert_tags, prune_unwanted_nodes
from trafilatura.settings import _COOKIE_CONSENT_RE, Extractor, use_config
from trafilatura.utils import trim
from trafilatura.xml import delete_element, xmltotxt
from trafilatura.xpaths import (
    _COMMENTS_CLASS,
    _COMMENTS_ID,
    OVERALL_DISCARD_XPATH,
    RAW_TREE_PRUNE_XPATH,
    REMOVE_COMMENTS_AND_LISTS_XPATH,
    REMOVE_COMMENTS_XPATH,
)

from scraper.extract.elements import CLASS_VALUES, ID_VALUES
from scraper.extract.main_extractor import extract_content
from scraper.extract.tree_cleaning import cleaned_copy
from scraper.extract.tree_copy import copy_without

# trafilatura's own timeout uses SIGALRM, which only works on the main thread; Scrapy and
# worker pools call us elsewhere, and our own limits bound the input instead.
TRAFILATURA_CONFIG = use_config()
TRAFILATURA_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")


# What trafilatura's raw-tree pruning (RAW_TREE_PRUNE_XPATH, then REMOVE_COMMENTS_AND_LISTS_XPATH
# when comments are left out) can match: an element whose class or id holds one of these words
# (its regular expressions are case-sensitive: "[Cc]omment", "infinite-?scroll",
# "mvp-post-add-", "disqus_thread", "elementor-share-buttons"). Its expressions test every
# element of the page, through Python for each regular expression (about 6.7 ms a page); one
# walk of the class and id values finds none of the words on half of the dev pages, and says
# which expressions to evaluate on the others. The values are fetched as plain strings and
# searched in Python: an XPath contains() casts the attribute to a new string for each word it
# tests (1.3 ms a page for the nine words, against 0.9).
_RAW_PRUNE_CLASS_WORDS = re.compile("omment|infinite|mvp-post-add|elementor-share-buttons")
_RAW_PRUNE_ID_WORDS = re.compile("omment|comol|disqus_thread|infinite|mvp-post-add")
_INFINITE_SCROLL_WORDS = ("infinite", "mvp-post-add")
_SHARE_BUTTONS_WORDS = ("elementor-share-buttons",)


def _raw_prune_words(tree: lxml.html.HtmlElement) -> tuple[list[str], list[str]]:
    """The class values and the id values of `tree` that hold a word of trafilatura's raw
    pruning."""
    return (
        [value for value in CLASS_VALUES(tree) if _RAW_PRUNE_CLASS_WORDS.search(value)],
        [value for value in ID_VALUES(tree) if _RAW_PRUNE_ID_WORDS.search(value)],
    )


# The comment blocks' own tests (REMOVE_COMMENTS_AND_LISTS_XPATH: `re:test(@id, '^(?:...)')`,
# `re:test(@class, ...)`, which search the value as Python does): an element matches only if
# its id or its class passes one. Every value that can pass holds a comment word, so these run
# on the few values found above; on a sixth of the pages with a comment word ("no-comments",
# "commentary") none passes, and the expression (about 4 ms a page) is spared.
_COMMENTS_ID_TEST = re.compile(f"^(?:{_COMMENTS_ID}|disqus_thread|dsq-comments)")
_COMMENTS_CLASS_TEST = re.compile(_COMMENTS_CLASS)


def _raw_pruned(tree: lxml.html.HtmlElement, with_comments: bool) -> lxml.html.HtmlElement:
    """`tree` as trafilatura's sequence prunes it before it cleans it: follow-up articles of an
    infinite scroll, share buttons, comments (unless `with_comments`). A copy when anything is
    pruned, else `tree` itself."""
    class_words, id_words = _raw_prune_words(tree)
    words = class_words + id_words
    if not words:
        return tree
    infinite_scroll, share_buttons = RAW_TREE_PRUNE_XPATH
    expressions = []
    if any(w in value for value in words for w in _INFINITE_SCROLL_WORDS):
        expressions.append(infinite_scroll)
    if any(w in value for value in words for w in _SHARE_BUTTONS_WORDS):
        expressions.append(share_buttons)
    if not with_comments and (
        any(_COMMENTS_CLASS_TEST.search(value) for value in class_words)
        or any(_COMMENTS_ID_TEST.search(value) for value in id_words)
    ):
        expressions.extend(REMOVE_COMMENTS_AND_LISTS_XPATH)
    # Matched on `tree` at once, removed in order from its copy: the first expression (the
    # infinite scroll's, which also tests what an element holds) runs first anyway, and the
    # others test only the element itself, so no removal before them can add a match (a match
    # inside an element removed goes with it).
    matches = [node for expression in expressions for node in expression(tree)]
    if not matches:
        return tree
    # trafilatura removes each match from its copy of the tree: the same copy, without
    # copying the matches and finding each in the copy again by its path
    return copy_without(tree, matches)


def _page_text_bound(tree: lxml.html.HtmlElement) -> int | None:
    """At least `len(html2txt(tree))`, or None where the page has no <body>.

    html2txt removes elements from the body (scripts and styles among them; a removed element's
    tail stays), puts a space before the text and the tail of each block element, and joins
    the words with single spaces. So its characters are at most the body's characters that are
    not whitespace, less those of its scripts and styles; and its words, each of at least one
    such character, at most the body's words and two more for each block element.
    """
    body = tree.find(".//body")
    if body is None:
        return None
    words = body.text_content().split()
    hidden = sum(len("".join((node.text or "").split())) for node in body.iter("script", "style"))
    chars = len("".join(words)) - hidden
    spaces = len(words) + 2 * sum(1 for _ in body.iter(*_BLOCK_ELEMS))
    return chars + min(chars, spaces)


# html2txt cleans the page's body before it reads its text (BASIC_CLEAN_XPATH), and the last
# test of that expression matches every element's class and id against a cookie banner's
# words through Python: 12.4 of html2txt's 18 ms (medians) on the 124 dev pages whose text it
# measures. The class and id values are searched for the words in Python instead (one string:
# the words hold no line break), and the elements that hold a value found (none on 102 of the
# 124 pages) are fetched by that value; the rest of the expression runs as it is.
_COOKIE_CONSENT_WORDS = re.compile(_COOKIE_CONSENT_RE, re.IGNORECASE)
BASIC_CLEAN_WITHOUT_COOKIES = (
    ".//aside|.//div[contains(@class|@id, 'footer')]|.//fencedframe|.//footer|.//script"
    "|.//style|.//svg|.//template"
)
_BASIC_CLEAN_WITHOUT_COOKIES_XPATH = XPath(BASIC_CLEAN_WITHOUT_COOKIES)
_WITH_CLASS_OR_ID = XPath(".//*[@class = $value or @id = $value]")


def _page_text(tree: lxml.html.HtmlElement) -> str:
    """`html2txt(tree)`: the page's text with asides, footers, scripts, styles and cookie
    banners left out, spaced at each block."""
    values = CLASS_VALUES(tree) + ID_VALUES(tree)
    cookie_values: set[str] = set()
    if _COOKIE_CONSENT_WORDS.search("\n".join(values)):
        cookie_values = {value for value in values if _COOKIE_CONSENT_WORDS.search(value)}
    tree = copy(tree)  # html2txt's steps change the tree they read
    body = tree.find(".//body")
    if body is None:
        body = tree
    removed = _BASIC_CLEAN_WITHOUT_COOKIES_XPATH(body)
    removed += [node for value in cookie_values for node in _WITH_CLASS_OR_ID(body, value=value)]
    # (A removal inside one already removed, or of one already removed, changes nothing left.)
    for element in removed:
        delete_element(element)
    return _spaced_text(body)


# The blocks that trafilatura's main extractor removes only when it runs with the comparison
# (TEASER_DISCARD_XPATH: a div, list, paragraph, section or span whose class or id holds
# "teaser" or "Teaser"), found by their class or id alone: a superset. Searched in Python, as
# the raw pruning's words are (translate() and contains() on each value: 1.0 ms a page).
_TEASER_WORD = re.compile("[Tt]easer")


def _has_teasers(tree: lxml.html.HtmlElement) -> bool:
    # (The word holds no line break, so it matches no two joined values.)
    values = "\n".join(CLASS_VALUES(tree) + ID_VALUES(tree))
    return _TEASER_WORD.search(values) is not None


def _compared(
    tree: lxml.html.HtmlElement,
    cleaned: Callable[[], lxml.html.HtmlElement],
    body: Any,
    text: str,
    options: Extractor,
) -> tuple[Any, str]:
    """trafilatura's comparison with readability and justext
    (`trafilatura.external.compare_extraction(cleaned(), copy(tree), body, text, options)`),
    the cleaned tree made only where justext reads it.

    trafilatura's function takes the cleaned tree, a copy made before the main extractor
    changes it, and reads it only where its text is unclean or short after readability's turn
    (justext's rescue); on most pages in doubt it is neither, and the copy went unread.
    """
    if options.focus == "recall" and len(text) > options.min_extracted_size * 10:
        return body, text
    raw = copy(tree)  # readability changes the tree it reads
    if options.focus == "precision":
        raw = prune_unwanted_nodes(raw, OVERALL_DISCARD_XPATH)
    algo_body = try_readability(raw)
    algo_text = trim(tostring(algo_body, method="text", encoding="utf-8").decode("utf-8"))
    use_readability = _prefer_readability(
        body, algo_body, algo_text, len(text), len(algo_text), options
    )
    if use_readability:
        body, text = algo_body, algo_text
    unclean = bool(body.xpath(SANITIZED_XPATH))
    if unclean or len(text) < options.min_extracted_size:
        j_body, j_text = justext_rescue(cleaned(), options)
        if unclean:
            # justext may be shorter (boilerplate dropped), within a ratio, and must not lose
            # the images of an image page
            accept = len(text) <= JUSTEXT_OVERRIDE_RATIO * len(j_text) and (
                len(j_text) > len(text) or not options.images or body.find(".//graphic") is None
            )
        else:
            accept = len(text) < len(j_text)
        if j_text and accept:
            body, text = j_body, j_text
            use_readability = False
    if use_readability:
        body, text = sanitize_tree(body, options)
    return body, text


def _recall_retry(
    tree: lxml.html.HtmlElement, options: Extractor, url: str | None
) -> tuple[Any, str]:
    """trafilatura.core._recall_retry (cleaning, conversion, main extractor, comparison unless
    `fast`) with our main extractor: trafilatura's own would run its discard expressions."""
    converted = convert_tags(cleaned_copy(tree, options), options, url)
    body, text = extract_content(converted, options)
    if not options.fast:
        body, text = _compared(tree, lambda: cleaned_copy(tree, options), body, text, options)
    return body, text


class TrafilaturaCascade:
    """trafilatura's extraction of one pruned tree, with or without its comparison stage.

    `tree` is left as it is. `precision`: trafilatura's favor_precision.
    """

    def __init__(
        self, tree: lxml.html.HtmlElement, url: str | None, precision: bool = False
    ) -> None:
        self.url = url
        self.precision = precision
        self.is_forum = _forum_thread_page(tree)
        self.tree = _raw_pruned(tree, with_comments=not precision and self.is_forum)
        self._page_text_chars: int | None = None
        self._text_bound: int | None = None
        # The main extractor's body and text, from the run without the comparison.
        self._main: tuple[Any, str] | None = None

    def options(self, fast: bool, url: str | None = None) -> Extractor:
        """The options `bare_extraction` builds for our call."""
        return Extractor(
            config=TRAFILATURA_CONFIG,
            output_format="python",
            fast=fast,
            precision=self.precision,
            comments=False,
            tables=True,
            url=url,
        )

    def page_text_chars(self) -> int:
        """Length of the page's whole text, trafilatura's measure for its recall retry."""
        if self._page_text_chars is None:
            self._page_text_chars = len(_page_text(self.tree))
        return self._page_text_chars

    def covers_little(self, chars: int) -> bool:
        """True when a text of `chars` characters is under ESCALATION_PAGE_SHARE of the page's
        text (trafilatura's test for its recall retry).

        The page's text (`_page_text`, html2txt's: a copy of the tree, cleaned, spaced at each
        block) costs about 11 ms (median); on two thirds of the pages that reach the test, a
        bound of it read from the tree as it is (0.2 to 1.5 ms) already answers no.
        """
        if self._page_text_chars is None:
            if self._text_bound is None:
                self._text_bound = _page_text_bound(self.tree)
            if self._text_bound is not None and chars >= ESCALATION_PAGE_SHARE * self._text_bound:
                return False
        return chars < ESCALATION_PAGE_SHARE * self.page_text_chars()

    def extract(self, fast: bool) -> dict[str, Any]:
        """{"text": ..., "body": ...} as `bare_extraction(tree, url=url, with_metadata=False,
        include_comments=False, include_tables=True, favor_precision=precision, fast=fast)`
        gives them, or {} where it gives None."""
        options = self.options(fast, self.url)
        try:
            body, text = self._sequence(options)
            if options.max_tree_size:
                if len(body) > options.max_tree_size:
                    strip_tags(body, "hi")
                if len(body) > options.max_tree_size:
                    raise ValueError
            if len(text) < options.min_output_size and options.min_output_comm_size > 0:
                raise ValueError
        except (TypeError, ValueError):
            return {}
        return {"text": xmltotxt(body, options.formatting), "body": body}

    def _sequence(self, options: Extractor) -> tuple[Any, str]:
        """trafilatura_sequence without comments: main extractor, comparison (not `fast`),
        baseline rescue, recall escalation."""
        tree, url = self.tree, self.url
        if not options.fast and self._main is not None and not _has_teasers(tree):
            # The main extractor's run already made this text: it differs with the comparison
            # only in removing teaser blocks (prune_unwanted_sections' keep_teasers), and the
            # page has none.
            body, text = self._main
        else:
            cleaned = convert_tags(cleaned_copy(tree, options), options, url)
            if options.focus == "precision" and not self.is_forum:
                cleaned = prune_unwanted_nodes(cleaned, REMOVE_COMMENTS_XPATH)
            body, text = extract_content(cleaned, options)
            if options.fast:
                self._main = body, text
        if not options.fast:
            body, text = _compared(tree, lambda: cleaned_copy(tree, options), body, text, options)
        if len(text) < options.min_extracted_size and options.focus != "precision":
            b_body, b_text, b_len = baseline(tree)
            if b_len > len(text):
                body, text = b_body, b_text
        if (
            options.focus == "balanced"
            and 0 < len(text) < ESCALATION_MAX_LENGTH
            and self.covers_little(len(text))
        ):
            r_options = copy(options)
            r_options.focus = "recall"
            r_text = j_text = ""
            # trafilatura logs a failure of either candidate and goes on without it.
            with contextlib.suppress(Exception):
                r_body, r_text = _recall_retry(tree, r_options, url)
            if not options.fast:
                with contextlib.suppress(Exception):
                    j_body, j_text = justext_rescue(copy(tree), options)
            r_len, j_len = len(r_text), len(j_text)
            if j_len > r_len and j_len > ESCALATION_JUSTEXT_RATIO * len(text):
                body, text = j_body, j_text
            elif r_len >= options.min_extracted_size and r_len > ESCALATION_ACCEPT_RATIO * len(
                text
            ):
                body, text = r_body, r_text
        return body, text
