"""The article's frame: found from the paragraphs trafilatura gathered, read again when they
came loose and its headings and lists were left out (scraper.extract.frame)."""

from __future__ import annotations

import lxml.html

from scraper.extract.body import extract_body
from scraper.extract.document import load_document
from scraper.extract.frame import (
    AFTER,
    NEXT_CHUNK,
    PageBlocks,
    find_frame,
    missing_structure,
    place_in_frame,
)
from scraper.extract.markup_prune import unwrap_open_wrappers
from scraper.extract.metadata import PageMetadata

PROSE = (
    "Sourdough needs a starter that has been fed for a week, flour with enough protein, "
    "and patience: the dough rises slowly overnight in a cool kitchen."
)


def _guide(extra: str = "") -> str:
    """A guide laid out in class-less divs, as site builders write them: no <article>, no
    class that names the content, so trafilatura gathers its paragraphs one by one."""
    steps = "".join(
        f"<h2>Step {n}: shape the loaf</h2><p>{PROSE} Step {n}.</p>"
        f"<ul><li>Use {n} cups of water, warm.</li><li>Rest the dough {n} hours.</li></ul>"
        for n in range(1, 4)
    )
    return (
        "<html><body><div class='top'><a href='/'>Home</a> <a href='/shop'>Shop</a></div>"
        f"<div class='wrap'><div class='col'><h1>How to bake bread</h1>{steps}</div>"
        f"<div class='side'><ul><li><a href='/a'>Our other recipes for cakes</a></li>"
        f"<li><a href='/b'>Our other recipes for pies</a></li></ul></div></div>{extra}"
        "</body></html>"
    )


def _text(html: str) -> str:
    return extract_body(load_document(html, "https://example.com/guide"), PageMetadata()).text


def test_a_guide_without_article_markup_keeps_its_headings_and_lists_in_order() -> None:
    text = _text(_guide())
    assert "Step 2: shape the loaf" in text
    assert "Use 2 cups of water, warm." in text
    # In the page's order: heading, paragraph, list, next heading.
    assert (
        text.index("Step 1: shape")
        < text.index(f"{PROSE} Step 1.")
        < text.index("Rest the dough 1 hours")
        < text.index("Step 2: shape")
    )
    # The sidebar's links and the navigation stay out.
    assert "Our other recipes" not in text
    assert "Shop" not in text


def test_the_frame_is_the_deepest_element_holding_most_of_the_text() -> None:
    tree = lxml.html.fromstring(_guide())
    paragraphs = [f"{PROSE} Step {n}." for n in range(1, 4)]
    frame = find_frame(PageBlocks.of(tree), paragraphs)
    assert frame is not None and frame.get("class") == "col"
    # Its headings and its lists' items (six and three) are missing from the paragraphs...
    assert missing_structure(frame, paragraphs) == 9
    # ...and a list of links is navigation, not structure left out.
    side = tree.xpath("//div[@class='side']")[0]
    assert missing_structure(side, []) == 0


def test_paragraphs_spread_over_the_whole_page_have_no_frame() -> None:
    html = f"<html><body><p>{PROSE} One.</p><div><p>{PROSE} Two.</p></div></body></html>"
    blocks = PageBlocks.of(lxml.html.fromstring(html))
    assert find_frame(blocks, [f"{PROSE} One.", f"{PROSE} Two."]) is None


def test_an_article_with_its_own_markup_is_read_once_as_it_was() -> None:
    # trafilatura found the <article>: its lists of sentences were kept the first time, and a
    # list of links after it stays out.
    paragraphs = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(4))
    html = (
        "<html><body><article><h1>How to bake bread</h1>"
        f"{paragraphs}<ul><li>Flour, water and salt.</li><li>A hot oven.</li></ul></article>"
        "<ul><li><a href='/a'>Read our other recipes for cakes</a></li>"
        "<li><a href='/b'>Read our other recipes for pies</a></li></ul></body></html>"
    )
    text = _text(html)
    assert "- Flour, water and salt." in text
    assert "other recipes" not in text


def _page(before: str, after: str) -> str:
    paragraphs = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(6))
    return (
        f"<html><body><main>{before}<div class='body'>{paragraphs}</div>{after}</main>"
        "</body></html>"
    )


def test_what_follows_the_frame_is_the_page_s_and_what_precedes_it_stays() -> None:
    standfirst = "Everything you need to know before you bake your first loaf this winter."
    text = _text(
        _page(
            f"<div class='lead'><p>{standfirst}</p></div>",
            "<div class='cta'><p>Want to learn with us? Book a class at our bakery school "
            "today.</p><p>8407 Central Avenue, Suite 2079, Newark, CA 94560</p></div>",
        )
    )
    assert text.startswith(standfirst)
    assert text.endswith(f"{PROSE} Part 5.")
    assert "Book a class" not in text and "Central Avenue" not in text


def test_an_article_continued_in_a_chunk_of_the_same_kind_is_kept_whole() -> None:
    # The body split around an advert into two chunks of one class: the second chunk is
    # after the frame (the first holds most of the text) but is the article, read again.
    second = "".join(f"<p>{PROSE} Second half {n}.</p>" for n in range(2))
    text = _text(
        _page(
            "",
            f"<div class='ad'><p>Advertisement</p></div><div class='body'>{second}</div>",
        )
    )
    assert text.endswith(f"{PROSE} Second half 1.")


def test_an_article_swallowed_by_a_pop_up_left_open_is_still_read() -> None:
    # A newsletter pop-up's <aside> and the theme's <header> left open: the parser puts the
    # rest of the page, article included, inside them, and trafilatura deletes both whole.
    article = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(1, 5))
    html = (
        "<html><body><aside class='Popup-Overlay'><div class='Popup'>Sign up</div>"
        "<header class='Header-Main'><nav><a href='/'>Home</a></nav>"
        f"<div class='Entry-Text'>{article}</div>"
        "</body></html>"
    )
    text = _text(html)
    assert "Part 1." in text and "Part 4." in text


def test_a_header_holding_a_paragraph_beside_the_article_is_still_page_furniture() -> None:
    tree = lxml.html.fromstring(
        "<html><body><header><p>Free delivery on orders over ten pounds, every day.</p>"
        "</header><article>"
        + "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(1, 4))
        + "</article><aside><p>Our shop opens at nine.</p></aside></body></html>"
    )
    unwrap_open_wrappers(tree)
    assert [e.tag for e in tree.iter("header", "aside")] == ["header", "aside"]


def test_a_mega_menu_of_links_is_no_wrapper_of_the_page() -> None:
    # Most of the page's characters, none of its paragraphs: still the navigation.
    menu = "".join(
        f"<li><a href='/c{n}'>Category number {n} of the shop</a></li>" for n in range(60)
    )
    tree = lxml.html.fromstring(
        f"<html><body><nav><ul>{menu}</ul></nav><article><p>{PROSE}</p><p>{PROSE}</p>"
        "</article></body></html>"
    )
    unwrap_open_wrappers(tree)
    assert next(tree.iter("nav"), None) is not None


def test_a_closing_section_in_another_field_of_the_article_is_the_article_s() -> None:
    # A CMS that sets the story out as a list of fields, one per section: the first field
    # holds most of the text and is the frame; the closing section, in a field of the same
    # class after it, is the article's, and the call to action after the fields is not.
    first = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(5))
    closing = "The police ask witnesses to call the station in the village on Monday."
    cta = "Want to learn with us? Book a class at our bakery school today."
    # A field of one line is the site's module (a series' tag line), not a section.
    tag_line = "This is the Weekend Edition of the Example News."
    tree = lxml.html.fromstring(
        "<html><body><main><div class='fields'>"
        f"<div class='field'><div class='text'>{first}</div></div>"
        f"<div class='field'><div class='text'><h2>Witnesses</h2><p>{closing}</p></div></div>"
        f"<div class='field'><div class='text'><p>{tag_line}</p></div></div>"
        f"</div><div class='cta'><p>{cta}</p></div></main></body></html>"
    )
    paragraphs = [f"{PROSE} Part {n}." for n in range(5)] + [closing, tag_line, cta]
    blocks = PageBlocks.of(tree)
    frame = find_frame(blocks, paragraphs)
    assert frame is not None and frame.get("class") == "text"
    places = place_in_frame(blocks, frame, paragraphs)
    assert places[-3:] == [NEXT_CHUNK, AFTER, AFTER]
