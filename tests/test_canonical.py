"""One article under many URLs is one article: canonical keys, cleaned URLs, fingerprints."""

from __future__ import annotations

import pytest
from scrapy import Request

from pipelines.dedup import CanonicalDedupPipeline
from scraper.canonical import canonical_key, clean_url, is_tracking_parameter, record_key
from scraper.middlewares.fingerprint import CanonicalRequestFingerprinter

STORY = "https://paper.example/2024/05/02/story/"


@pytest.mark.parametrize(
    "variant",
    [
        STORY,
        "https://paper.example/2024/05/02/story/?utm_source=newsletter&utm_medium=email",
        "https://paper.example/2024/05/02/story/?fbclid=IwAR0abc",
        "https://paper.example/2024/05/02/story/?gclid=x&mc_cid=1&mc_eid=2&igshid=3",
        "https://paper.example/2024/05/02/story/?ref=home&cmpid=rss",
        "https://paper.example/2024/05/02/story/#comments",
        "http://paper.example/2024/05/02/story/",
        "https://www.paper.example/2024/05/02/story/",
        "https://WWW.Paper.Example:443/2024/05/02/story/",
        "https://paper.example/2024/05/02/story/amp/",
        "https://paper.example/amp/2024/05/02/story/",
        "https://paper.example/2024/05/02/story/?amp=1",
        "https://paper.example/2024/05/02/story/?amp",
        "https://amp.paper.example/2024/05/02/story/",
        "https://www.paper.example/2024/05/02/story/amp/?utm_campaign=x#top",
    ],
)
def test_variants_of_one_article_share_its_key(variant: str) -> None:
    assert (
        canonical_key(variant) == canonical_key(STORY) == "https://paper.example/2024/05/02/story/"
    )


@pytest.mark.parametrize(
    "other",
    [
        "https://paper.example/2024/05/02/another-story/",
        "https://paper.example/2024/05/02/story/?page=2",
        "https://paper.example/article?id=17",
        "https://paper.example:8443/2024/05/02/story/",
        "https://other.example/2024/05/02/story/",
        "https://paper.example/2024/05/02/ampere-record/",
        "https://paper.example/2024/05/02/story",  # without the slash: the server decides
    ],
)
def test_different_articles_keep_different_keys(other: str) -> None:
    assert canonical_key(other) != canonical_key(STORY)


def test_meaningful_parameters_are_kept_and_sorted() -> None:
    assert canonical_key("https://paper.example/article?id=17&utm_source=x") == (
        "https://paper.example/article?id=17"
    )
    assert clean_url("https://paper.example/a?b=2&a=1&utm_medium=web") == (
        "https://paper.example/a?a=1&b=2"
    )
    assert canonical_key("https://paper.example/a?id=17") != canonical_key(
        "https://paper.example/a?id=18"
    )


def test_clean_url_stays_fetchable_on_the_same_host() -> None:
    url = "http://www.paper.example:8080/2024/story/amp/?utm_source=x&q=1#frag"
    assert clean_url(url) == "http://www.paper.example:8080/2024/story/amp/?q=1"


@pytest.mark.parametrize(
    "name", ["utm_source", "UTM_Campaign", "fbclid", "gclid", "mc_eid", "pk_kwd"]
)
def test_tracking_parameters(name: str) -> None:
    assert is_tracking_parameter(name)


@pytest.mark.parametrize("name", ["id", "page", "q", "p", "article"])
def test_content_parameters(name: str) -> None:
    assert not is_tracking_parameter(name)


def test_unusual_urls_do_not_raise() -> None:
    for url in ["https://paper.example:notaport/a", "https://", "paper.example/a", ""]:
        assert isinstance(canonical_key(url), str)


def test_record_key_prefers_canonical_url() -> None:
    record = {"url": "https://amp.paper.example/story/amp/", "canonical_url": STORY}
    assert record_key(record) == canonical_key(STORY)
    assert record_key({"url": STORY + "?utm_source=x", "canonical_url": None}) == canonical_key(
        STORY
    )
    assert record_key({"url": None, "canonical_url": None}) is None


def test_dedup_stage_keeps_one_record_per_article() -> None:
    stage = CanonicalDedupPipeline()
    first = {"url": STORY, "canonical_url": STORY}
    amp = {
        "url": STORY + "amp/",
        "canonical_url": "https://www.paper.example/2024/05/02/story/?utm_source=x",
    }
    other = {"url": STORY.replace("story", "other"), "canonical_url": None}
    assert stage.process_item(first) is first
    with pytest.raises(Exception, match="duplicate"):
        stage.process_item(amp)
    assert stage.process_item(other) is other


def test_request_fingerprint_ignores_tracking_but_not_content() -> None:
    fingerprinter = CanonicalRequestFingerprinter()
    plain = fingerprinter.fingerprint(Request(STORY))
    assert fingerprinter.fingerprint(Request(STORY + "?utm_source=home&utm_medium=web")) == plain
    assert fingerprinter.fingerprint(Request(STORY + "#comments")) == plain
    assert fingerprinter.fingerprint(Request(STORY + "?page=2")) != plain
    # AMP copies are distinct documents to fetch; their records fold into one later.
    assert fingerprinter.fingerprint(Request(STORY + "amp/")) != plain
    assert fingerprinter.fingerprint(Request(STORY, method="POST")) != plain


def test_a_records_key_asked_for_again_is_the_kept_one() -> None:
    # Three stages ask for each record's key in a row: the second and third get the key kept
    # from the first, the same as computing it again.
    record = {"url": STORY + "?utm_source=kept&page=2", "canonical_url": None}
    before = canonical_key.cache_info().hits
    keys = [record_key(record) for _ in range(3)]
    assert canonical_key.cache_info().hits == before + 2
    assert keys == [canonical_key.__wrapped__(str(record["url"]))] * 3
