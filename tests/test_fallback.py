"""trafilatura's readers as fallbacks: their fast paths give the answers the readers give."""

from __future__ import annotations

import pytest

from scraper.extract.fallback import address_site_name


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://www.example.com/a/1", "example.com"),
        ("http://w3.example.org/", "example.org"),
        ("https://news.example.co.uk/story", "news.example.co.uk"),
        ("https://www3example.com/", "www3example.com"),
        ("https://web.archive.org/web/20200101000000/https://www.paper.example/s", "paper.example"),
        ("http://web.archive.org/web/20200101000000id_/http://paper.example/s", "paper.example"),
        (None, None),
    ],
)
def test_site_name_from_the_address(url: str | None, name: str | None) -> None:
    assert address_site_name(url) == name
