"""Decoding: the declaration is believed unless the bytes prove it wrong."""

from __future__ import annotations

from scraper.extract.document import decode_html

CHINESE = "港务局星期二宣布，北码头的咖啡馆将于春季重新开业。"


def _page(charset: str) -> str:
    return f'<html><head><meta charset="{charset}"></head><body><p>{CHINESE}</p></body></html>'


def test_utf8_bytes_under_a_stale_gb2312_declaration_are_read_as_utf8() -> None:
    text, encoding = decode_html(_page("gb2312").encode("utf-8"))
    assert encoding == "utf-8" and CHINESE in text


def test_real_legacy_encodings_are_still_believed() -> None:
    for charset in ("gb2312", "gbk", "big5", "shift_jis", "euc-kr"):
        sample = {
            "big5": "港務局星期二宣布",
            "shift_jis": "港湾局は火曜日",
            "euc-kr": "항만청은 화요일",
        }
        words = sample.get(charset, CHINESE)
        page = _page(charset).replace(CHINESE, words)
        text, _ = decode_html(page.encode(charset))
        assert words in text, charset
    text, encoding = decode_html(
        _page("windows-1252").replace(CHINESE, "Café €40").encode("cp1252")
    )
    assert "Café €40" in text and encoding == "cp1252"


def test_an_http_charset_on_utf8_bytes_is_overruled_too() -> None:
    text, encoding = decode_html(_page("utf-8").encode("utf-8"), "text/html; charset=iso-8859-1")
    assert encoding == "utf-8" and CHINESE in text


def test_an_article_printed_after_a_stray_closing_html_tag_is_read() -> None:
    # A template closes the document early, then prints the article; browsers show it.
    from scraper.extract import extract_article

    sentence = (
        "The harbour authority approved the new ferry terminal after a long public hearing "
        "about noise, traffic and the cost of moving the fish market."
    )
    page = (
        "<html><head><title>Ferry terminal approved</title></head><body>"
        "<nav><a href='/'>Home</a></nav></body></html>\n"
        "<article><h1>Ferry terminal approved</h1>"
        + "".join(f"<p>{sentence} Part {n}.</p>" for n in range(6))
        + "</article>"
    )
    record = extract_article(page, url="https://paper.example/ferry")
    assert record is not None
    assert "Part 5." in record.text
    assert "Home" not in record.text
