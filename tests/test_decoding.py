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
