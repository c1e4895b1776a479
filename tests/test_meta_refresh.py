"""Meta refresh redirects are still followed when the crawl skips decoding pages without one."""

from __future__ import annotations

from pathlib import Path

from scraper.localsite import LocalSite
from scraper.middlewares.meta_refresh import may_refresh
from tests.conftest import FAST, jsonl, run_cli

ARTICLE = (
    "<html><head><title>The bridge vote</title></head><body><article><h1>The bridge vote</h1>"
    + "".join(
        f"<p>The harbour council voted on part {n} of the budget for the new river bridge, "
        f"and {n + 2} members asked for the costs of the ferry to be heard first.</p>"
        for n in range(12)
    )
    + "</article></body></html>"
)


def test_a_page_that_refreshes_to_an_article_gives_the_article(tmp_path: Path) -> None:
    (tmp_path / "story.html").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "moved.html").write_text(
        '<html><head><META HTTP-EQUIV="Refresh" CONTENT="0; URL=/story.html"></head>'
        "<body>This story has moved.</body></html>",
        encoding="utf-8",
    )
    with LocalSite(tmp_path) as site:
        result = run_cli("get", site.url + "/moved.html", *FAST)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    (record,) = jsonl(result.stdout)
    assert record["url"] == site.url + "/story.html"
    assert record["title"] == "The bridge vote"


def test_only_pages_without_the_word_refresh_near_their_start_are_passed_undecoded() -> None:
    assert not may_refresh(ARTICLE.encode())
    assert may_refresh(b'<meta http-equiv="REFRESH" content="0; url=/x">')
    # UTF-16 bytes cannot be searched as ASCII: Scrapy decides.
    assert may_refresh('<meta http-equiv="refresh">'.encode("utf-16"))
    # Scrapy looks at the first 4096 characters only, so a later `refresh` changes nothing.
    assert not may_refresh(b"<p>" + b"x" * 20000 + b"refresh</p>")
