"""Facets: every match counted in some bucket, "unknown" included, and a facet that says
nothing (its only bucket is "unknown") left off the page."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from conftest import index_paths, make_app
from flask.testing import FlaskClient

from indexer.search import Filters, Library

# Four articles with a word of their own; two outlets, one article without any, one summit.
RECORDS = [
    {"id": "a1", "text": "북극곰 보호 구역이 넓어졌다. 연구진이 발표했다.", "outlet": "가나일보"},
    {"id": "a2", "text": "북극곰 개체 수가 늘었다. 조사단이 밝혔다.", "outlet": "가나일보"},
    {"id": "a3", "text": "북극곰 서식지를 단독취재했다. 현장은 추웠다."},
    {
        "id": "a4",
        "text": "AI 서울 정상회의 참가국이 북극곰 영상을 보았다. 회의는 끝났다.",
        "outlet": "다라뉴스",
    },
]


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the four records, one JSONL file."""
    src = tmp_path_factory.mktemp("facet-src")
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS)
    (src / "news.jsonl").write_text(lines, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("facet-index") / "index"
    report = index_paths(index_dir, [src])
    assert not report.failed
    return index_dir


def counts(library: Library, query: str, **filters: tuple[str, ...]) -> dict[str, list]:
    result = library.search(query, filters=Filters(**filters))
    return {name: [(f.value, f.count) for f in values] for name, values in result.facets.items()}


def test_an_article_without_an_outlet_is_counted_as_unknown(small_index: Path) -> None:
    library = Library(small_index)
    assert counts(library, "북극곰") == {
        "outlet": [("가나일보", 2), ("다라뉴스", 1), ("-", 1)],
        "lang": [("ko", 4)],
        "summit": [("Seoul 2024", 1), ("-", 3)],
    }
    # Every facet counts every match once.
    assert library.search("북극곰").total == 4


def test_the_unknown_outlet_filter_finds_the_article_without_one(small_index: Path) -> None:
    library = Library(small_index)
    found = library.search("북극곰", filters=Filters(outlet=("-",)))
    assert [h.id for h in found.hits] == ["a3"]
    both = library.search("북극곰", filters=Filters(outlet=("-", "다라뉴스")))
    assert sorted(h.id for h in both.hits) == ["a3", "a4"]
    assert counts(library, "북극곰", outlet=("-",))["outlet"] == [("-", 1)]


def facet_sections(page: str) -> list[str]:
    return re.findall(r'<section class="facet" id="facet-(\w+)">', page)


def facet_values(page: str, name: str) -> list[tuple[str, int]]:
    section = re.search(rf'id="facet-{name}">(.*?)</section>', page, re.S)
    assert section is not None, name
    pattern = r'data-value="([^"]*)">.*?<span class="count">(\d+)</span>'
    return [(html.unescape(v), int(c)) for v, c in re.findall(pattern, section.group(1), re.S)]


@pytest.fixture
def small_client(small_index: Path) -> FlaskClient:
    return make_app(small_index).test_client()


def test_the_page_shows_the_unknown_outlet(small_client: FlaskClient) -> None:
    page = small_client.get("/?q=북극곰", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert facet_sections(page) == ["outlet", "lang", "summit"]
    assert facet_values(page, "outlet") == [("가나일보", 2), ("다라뉴스", 1), ("-", 1)]
    assert '<span class="label unknown">알 수 없음</span>' in page


def test_a_facet_whose_only_bucket_is_unknown_is_left_off(small_client: FlaskClient) -> None:
    # 단독취재 is in a3 alone: no outlet and no summit, so neither facet has anything to say.
    page = small_client.get("/?q=단독취재").get_data(as_text=True)
    assert facet_sections(page) == ["lang"]
    assert facet_values(page, "lang") == [("ko", 1)]
    # Chosen, "unknown" stays on screen, so it can be switched off again.
    page = small_client.get("/?q=단독취재&outlet=-").get_data(as_text=True)
    assert facet_sections(page) == ["outlet", "lang"]
    assert facet_values(page, "outlet") == [("-", 1)]


def test_the_bundled_corpus_leaves_off_a_summit_facet_of_unknown_only(
    client: FlaskClient,
) -> None:
    # The fixture article names no summit; its outlet and language are known.
    page = client.get("/?q=escapecheck").get_data(as_text=True)
    assert facet_sections(page) == ["outlet", "lang"]
    assert facet_values(page, "outlet") == [("<script>alert(1)</script> Outlet", 1)]
    # With the four Seoul articles that have 기업 and 서약, the summit facet says something.
    page = client.get("/?q=escapecheck OR 기업서약").get_data(as_text=True)
    assert facet_values(page, "summit") == [("Seoul 2024", 4), ("-", 1)]
