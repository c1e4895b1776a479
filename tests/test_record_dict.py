"""ArticleRecord.to_dict gives what dataclasses.asdict gives: every field, in schema order, with
copies of the lists and the dict."""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path

from scraper import extract_article
from scraper.record import ArticleRecord

_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _every_field_set() -> ArticleRecord:
    return ArticleRecord(
        url="https://news.example.com/a/1",
        canonical_url="https://news.example.com/a/1?x",
        domain="news.example.com",
        site_name="Example News",
        title="A title",
        description="A description",
        authors=["Jane Doe", "Joe Roe"],
        published="2024-05-02",
        modified="2024-05-03T10:00:00+00:00",
        language="en",
        categories=["World", "Europe"],
        tags=["budget"],
        image="https://news.example.com/a.jpg",
        image_caption="A caption",
        text="Some text.",
        word_count=2,
        fingerprint="0" * 32,
        paywalled=True,
        page_kind="listing",
        fetched_at="2024-05-04T00:00:00+00:00",
        status=200,
        source="sitemap",
        crawl_id="c" * 16,
        warc_record_id="<urn:uuid:1>",
        duplicate_of="https://news.example.com/a/0",
        cluster_id="k",
        extractor="newsscrape x",
        provenance={"title": "json-ld", "text": "trafilatura"},
        schema_version=1,
    )


def _records() -> list[ArticleRecord]:
    records = [_every_field_set()]
    for page in sorted(_FIXTURES.rglob("*.html")):
        record = extract_article(page.read_text("utf-8", "replace"), "https://news.example.com/a")
        if record is not None:
            records.append(record)
    return records


def test_every_record_is_what_asdict_gives_in_the_same_order() -> None:
    records = _records()
    assert len(records) > 10
    for record in records:
        data = record.to_dict()
        assert data == asdict(record)
        assert list(data) == list(asdict(record)) == [f.name for f in fields(ArticleRecord)]
        assert [type(value) for value in data.values()] == [
            type(value) for value in asdict(record).values()
        ]


def test_the_lists_and_the_dict_are_copies() -> None:
    record = _every_field_set()
    data = record.to_dict()
    for name in ("authors", "categories", "tags", "provenance"):
        assert data[name] == getattr(record, name)
        assert data[name] is not getattr(record, name), name
    data["authors"].append("Someone Else")
    data["provenance"]["title"] = "changed"
    assert record.authors == ["Jane Doe", "Joe Roe"]
    assert record.provenance["title"] == "json-ld"
