"""Search over the bundled corpus: exact top ids, aliases, phrases, filters, snippets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from indexer.search import Filters, Library
from indexer.store import IndexMissing

A0, A1, A2, A3, A4 = (
    "000_c757f4b4d642b6d7.txt",
    "001_7ad3c6ee62ab7cbe.txt",
    "002_4eef7aca86074d55.txt",
    "003_d2343a382aed7d1a.txt",
    "004_5cdf526b4304e4e8.txt",
)
SCRIPT_ID = "fixtures/script.jsonl"


@pytest.fixture(scope="module")
def library(corpus_index: Path) -> Library:
    return Library(corpus_index)


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("정상회의", [A1, A2, A3, A0]),  # finds 정상회의에서, 정상회의와, 서울정상회의와
        ("기본법", [A3]),  # finds AI기본법
        ("유네스코", [A2, A3]),  # finds 유네스코와
        ("UNESCO", [A2, A3]),  # alias
        ("Anthropic", [A1, A4, A0, A2]),  # alias of three Korean spellings
        ("observatory", [A3]),  # English stemming: observatories
        ("MOOC", [A2]),
        ("파리", [A3]),
        ("유네스코 -LG", [A3]),
        ("LG -유네스코", [A4, A1]),
        ("outlet:조선비즈", [A4]),
        ("published:2024-05", [A1, A2]),
        ('"AI 서울 정상회의"', [A1, A2, A0, A3]),
        ("escapecheck", [SCRIPT_ID]),
        ("*", []),
        ("((((", []),
    ],
)
def test_top_ids(library: Library, query: str, ids: list[str]) -> None:
    result = library.search(query)
    assert [h.id for h in result.hits] == ids
    assert result.total == len(ids)


def test_decomposed_query_finds_the_same(library: Library) -> None:
    import unicodedata

    composed = [h.id for h in library.search("유네스코").hits]
    assert [h.id for h in library.search(unicodedata.normalize("NFD", "유네스코")).hits] == composed


def test_aliases_are_reported_and_removable(library: Library) -> None:
    result = library.search("엔트로픽")
    assert [(e.matched, e.added) for e in result.expansions] == [
        ("엔트로픽", ("Anthropic", "앤트로픽", "앤스로픽"))
    ]
    assert [h.id for h in result.hits] == [A1, A4, A0, A2]
    alone = library.search("엔트로픽", disabled_aliases=frozenset({"엔트로픽"}))
    # 001's only 엔트로픽 is in a photo caption, which cleaning removed.
    assert [h.id for h in alone.hits] == []
    assert alone.expansions == []
    assert alone.total == 0


def test_phrase_without_match_falls_back_to_words(library: Library) -> None:
    result = library.search('"서울 정상회의 유네스코"')
    assert result.notices == ["no article has the exact phrase; showing articles with its words"]
    assert result.total == 5


def test_nothing_searchable_explains(library: Library) -> None:
    assert library.search("***").notices == ["nothing searchable in the query: try words or names"]


def test_passages_are_exact_text_with_marks(library: Library) -> None:
    (hit,) = library.search("기본법").hits
    article = library.article(hit.id)
    assert article is not None
    for p in hit.passages:
        assert article.body[p.start : p.end] == p.text
    first = hit.passages[0]
    # Only the whole word is marked, not 법 inside 디지털포용법.
    assert [article.body[s:e] for s, e in first.marks] == ["기본법"]
    assert "인공지능(AI)<mark>기본법</mark>, 올해" in first.html


def test_snippet_html_escapes_article_text(library: Library) -> None:
    (hit,) = library.search("escapecheck").hits
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert hit.title_html == f"{escaped} <mark>escapecheck</mark> 점검 기사"
    assert "<script>" not in "".join(p.html for p in hit.passages)


def test_sorting_keeps_undated_last(library: Library) -> None:
    newest = [h.id for h in library.search("AI", sort="newest").hits]
    oldest = [h.id for h in library.search("AI", sort="oldest").hits]
    assert newest[:2] == [A2, A1]
    assert oldest[:2] == [A1, A2]
    assert sorted(newest[2:]) == sorted(oldest[2:]) == [A0, A3, A4]


def test_pagination(library: Library) -> None:
    every = [h.id for h in library.search("AI", pagesize=10).hits]
    pages = [[h.id for h in library.search("AI", page=n, pagesize=2).hits] for n in (1, 2, 3)]
    assert pages == [every[0:2], every[2:4], every[4:6]]


def test_facets_and_filters(library: Library) -> None:
    result = library.search("AI")
    assert {f.value: f.count for f in result.facets["summit"]} == {
        "Seoul 2024": 4,
        "Paris 2025": 1,
    }
    assert {f.value: f.count for f in result.facets["lang"]} == {"ko": 5, "en": 1}
    seoul = library.search("AI", filters=Filters(summit=("Seoul 2024",)))
    assert sorted(h.id for h in seoul.hits) == [A0, A1, A2, A4]
    dated = library.search("AI", filters=Filters(date_from=date(2024, 5, 23)))
    assert sorted(h.id for h in dated.hits) == [A1, A2]


def test_suggestion_for_a_misspelling(library: Library) -> None:
    result = library.search("유네스크")
    # 유네스크 is split into guesses (유네스, 크); 크 alone matches one article.
    assert [h.id for h in result.hits] == [A4]
    assert result.suggestion == "유네스코"


def test_article_view_marks_every_match(library: Library) -> None:
    article = library.article(A2, "유네스코")
    assert article is not None
    assert article.matches == 6
    assert [p.anchor for p in article.paragraphs][:3] == ["p1", "p2", "p3"]
    for p in article.paragraphs:
        assert article.body[p.start : p.end] == p.text
    assert library.article("no-such-id") is None


def test_completion(library: Library) -> None:
    assert library.complete("AI 정상", limit=3) == ["AI 정상", "AI 정상회의", "AI 정상급"]
    assert library.complete("") == []


def test_batch_search(library: Library) -> None:
    out = dict(library.search_batch([("q1", "기본법"), ("q2", "***"), ("q3", "MOOC")], limit=5))
    assert [i for i, _ in out["q1"]] == [A3]
    assert out["q2"] == []
    assert [i for i, _ in out["q3"]] == [A2]


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="run `summit-search index` first"):
        Library(tmp_path / "nothing")
