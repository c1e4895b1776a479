"""A figure's caption is its description: the parts that credit the photo are left out, and the
page keeps them."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree

from scraper.extract.captions import figure_captions

_DESCRIPTION = "The new bridge over the river at dawn"


@pytest.mark.parametrize(
    "credit_class", ["photo-credit", "copyright", "photographer", "image-source", "byline"]
)
def test_a_credit_part_is_left_out_of_the_caption(credit_class: str) -> None:
    html = (
        "<html><body><figure><img src='a.jpg'><figcaption>"
        f"{_DESCRIPTION} <span class='{credit_class}'>Photo: Jane Doe / Gazette</span>"
        "</figcaption></figure></body></html>"
    )
    tree = lxml.html.document_fromstring(html)
    before = etree.tostring(tree)
    assert figure_captions(tree) == [_DESCRIPTION]
    assert etree.tostring(tree) == before


def test_a_caption_without_credits_is_read_whole() -> None:
    html = (
        "<html><body><div class='wp-caption'><img src='a.jpg'>"
        f"<p class='wp-caption-text'>{_DESCRIPTION} (<em>file photo</em>)</p></div>"
        "<figure><figcaption>  Second   caption </figcaption></figure></body></html>"
    )
    tree = lxml.html.document_fromstring(html)
    assert figure_captions(tree) == [f"{_DESCRIPTION} (file photo)", "Second caption"]
