"""Facets: every match counted in some bucket, "unknown" included, and a facet that says
nothing (its only bucket is "unknown") left off the page."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import index_paths, make_app
from flask.testing import FlaskClient

from indexer.search.library import Filters, Library

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
    # With the three Seoul articles that write 기업서약 or 기업 서약, the summit facet says
    # something.
    page = client.get("/?q=escapecheck OR 기업서약").get_data(as_text=True)
    assert facet_values(page, "summit") == [("Seoul 2024", 3), ("-", 1)]


# --- a date range that leaves only undated articles out ------------------------------------

IN_2024 = {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)}


def test_nothing_in_the_range_keeps_the_facets_of_what_it_hides(small_index: Path) -> None:
    library = Library(small_index)
    result = library.search("북극곰", filters=Filters(**IN_2024))
    assert (result.total, result.hits, result.undated_hidden) == (0, [], 4)
    assert result.facets == {"outlet": [], "lang": [], "summit": []}
    assert {k: [(f.value, f.count) for f in v] for k, v in result.undated_facets.items()} == {
        "outlet": [("가나일보", 2), ("다라뉴스", 1), ("-", 1)],
        "lang": [("ko", 4)],
        "summit": [("Seoul 2024", 1), ("-", 3)],
    }
    # Included, or with something in the range, the facets are the match set's own.
    assert library.search("북극곰", filters=Filters(**IN_2024, undated=True)).undated_facets == {}
    assert library.search("북극곰").undated_facets == {}


def text_of(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:p|section|a)>', page, re.S)
    assert found is not None, element_id
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def test_the_page_says_the_range_hides_only_undated_articles(small_client: FlaskClient) -> None:
    page = small_client.get("/?q=북극곰&from=2024-01-01&to=2024-12-31&outlet=가나일보")
    text = page.get_data(as_text=True)
    assert text_of(text, "empty-undated").startswith("이 기간에 게재된 기사는 없습니다")
    assert text_of(text, "undated") == "날짜 없는 기사 2건이 빠졌습니다 · 포함하기"
    assert "맞춤법을 확인하거나" not in text  # no generic advice: the cause is known
    assert 'id="empty"' not in text
    assert (
        'href="/?q=%EB%B6%81%EA%B7%B9%EA%B3%B0&amp;outlet=%EA%B0%80%EB%82%98%EC%9D%BC%EB%B3%B4"'
        in text
    )
    assert text_of(text, "try-no-dates") == "날짜 범위 지우기"
    assert text.count("필터 모두 해제") == 1  # in the box; the panel does not repeat it
    assert text_of(text, "facets-undated") == "아래 수는 빠진 날짜 없는 기사 2건 기준입니다"
    assert facet_sections(text) == ["outlet", "lang"]
    assert facet_values(text, "outlet") == [("가나일보", 2)]
    # Choosing a value includes the undated articles, so its count is what it finds.
    link = re.search(r'<a href="([^"]+)"\s+class="facet-value"[^>]*data-value="ko"', text)
    assert link is not None
    assert html.unescape(link.group(1)) == (
        "/?q=%EB%B6%81%EA%B7%B9%EA%B3%B0&outlet=%EA%B0%80%EB%82%98%EC%9D%BC%EB%B3%B4&lang=ko"
        "&from=2024-01-01&to=2024-12-31&undated=1"
    )
    chosen = small_client.get(html.unescape(link.group(1))).get_data(as_text=True)
    assert sorted(re.findall(r'<li class="hit" data-id="([^"]+)"', chosen)) == ["a1", "a2"]


def test_only_a_date_range_leaves_one_way_to_clear_it(small_client: FlaskClient) -> None:
    text = small_client.get("/?q=북극곰&from=2024-01-01").get_data(as_text=True)
    assert text_of(text, "undated") == "날짜 없는 기사 4건이 빠졌습니다 · 포함하기"
    assert text_of(text, "try-no-dates") == "날짜 범위 지우기"
    assert text.count("필터 모두 해제") == 1  # in the panel only
    # Generic advice stays where the cause is not a date range.
    other = small_client.get("/?q=쿼카쿼카&outlet=가나일보").get_data(as_text=True)
    assert "맞춤법을 확인하거나" in other and other.count("필터 모두 해제") == 1
