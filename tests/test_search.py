"""Search over the bundled corpus: exact top ids, aliases, phrases, filters, snippets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import index_paths

from indexer.backends.errors import IndexMissing
from indexer.search.library import Filters, Library
from indexer.search.notices import Notice

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
        # 003 writes 인공지능(AI) 서울 정상회의: punctuation between the words does not count.
        ('"AI 서울 정상회의"', [A1, A3, A2, A0]),
        ("escapecheck", [SCRIPT_ID]),
        ("*", []),
        ("((((", []),
    ],
)
def test_top_ids(library: Library, query: str, ids: list[str]) -> None:
    result = library.search(query)
    assert [h.id for h in result.hits if h.strict] == ids
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


def test_phrase_without_match_shows_articles_with_its_words(library: Library) -> None:
    result = library.search('"서울 정상회의 유네스코"')
    assert result.notices == [Notice.of("phrase_none", phrase="서울 정상회의 유네스코")]
    assert (result.total, result.relaxed_total) == (0, 5)
    assert [(h.id, h.strict) for h in result.hits] == [
        (A2, False),
        (A3, False),
        (A1, False),
        (A0, False),
        (A4, False),
    ]


def test_nothing_searchable_explains(library: Library) -> None:
    assert library.search("***").notices == [Notice("nothing_searchable")]


def test_passages_are_exact_text_with_marks(library: Library) -> None:
    (hit,) = library.search("기본법").hits
    article = library.article(hit.id)
    assert article is not None
    for p in hit.passages:
        assert article.body[p.start : p.end] == p.text
    first = hit.passages[0]
    # Only the whole word is marked, not 법 inside 디지털포용법.
    assert [article.body[s:e] for s, e, _ in first.marks] == ["기본법"]
    assert '인공지능(AI)<mark data-c="0">기본법</mark>, 올해' in first.html


def test_snippet_html_escapes_article_text(library: Library) -> None:
    (hit,) = library.search("escapecheck").hits
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert hit.title_html == f'{escaped} <mark data-c="0">escapecheck</mark> 점검 기사'
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


@pytest.mark.parametrize(
    ("query", "total", "suggestion"),
    [
        # 유네스크 is read as 유네스 + 크; one part alone is not the word, so nothing matches.
        ("유네스크", 0, "유네스코"),
        ("정상회이", 0, "정상회의"),  # ㅣ typed for ㅢ
        ("정상회이를 서울", 0, "정상회의를 서울"),  # the particle stays
        # 서 + an ending is all the analyzer can make of it, and no article writes it: it finds
        # nothing rather than every article with 서 (tests/test_vocabulary.py); ㄹ is beside ㄱ.
        ("서얄", 0, "서약"),
        ("AI 안전 서얄", 0, "AI 안전 서약"),
        ("safty", 0, "safety"),
        ("x", 1, None),  # never a one-letter or one-syllable word
        ("ㅁㄴㅇ", 0, None),
        ("정상회의", 4, None),  # nothing to correct
    ],
)
def test_did_you_mean(library: Library, query: str, total: int, suggestion: str | None) -> None:
    result = library.search(query)
    assert (result.total, result.suggestion) == (total, suggestion)


def test_article_view_marks_every_match(library: Library) -> None:
    article = library.article(A2, "유네스코")
    assert article is not None
    assert article.matches == 6
    assert [p.anchor for p in article.paragraphs][:3] == ["p1", "p2", "p3"]
    for p in article.paragraphs:
        assert article.body[p.start : p.end] == p.text
    assert library.article("no-such-id") is None


def test_completion(library: Library) -> None:
    found = library.complete("AI 정상", limit=3)
    assert [(c.text, c.word) for c in found] == [
        ("AI 정상", "정상"),
        ("AI 정상회의", "정상회의"),
        ("AI 정상급", "정상급"),
    ]
    assert library.complete("") == []


def test_batch_search(library: Library) -> None:
    out = dict(library.search_batch([("q1", "기본법"), ("q2", "***"), ("q3", "MOOC")], limit=5))
    assert [i for i, _ in out["q1"]] == [A3]
    assert out["q2"] == []
    assert [i for i, _ in out["q3"]] == [A2]


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="run `summit-search index` first"):
        Library(tmp_path / "nothing")


# The semantics a journalist relies on, on the bundled corpus: what a query matches and counts.
@pytest.mark.parametrize(
    ("query", "total", "relaxed", "strict_ids"),
    [
        # The AI of 오픈AI is part of a name: no 인공지능, so 003 (neither company) is out.
        ("오픈AI", 4, 0, [A4, A2, A1, A0]),
        # Two words: articles with both; every one of the four names both companies.
        ("오픈AI 앤트로픽", 4, 0, [A4, A1, A2, A0]),
        # 003 has AI and 안전 but no 서약: it follows the match set instead of leading it.
        ("AI 안전 서약", 4, 1, [A4, A1, A2, A0]),
        # The two articles that write 'AI 안전서약', found as the phrase typed with a space.
        ('"AI 안전 서약"', 2, 3, [A1, A0]),
        # 서울정상회의 as one word finds the four that write it, joined or apart (and 003
        # writes Seoul Summit too: the summit's names are one word).
        ('"서울정상회의"', 4, 0, [A1, A3, A2, A0]),
        # A pasted headline: its quoted part is a preference, and half its words suffice.
        ('유네스코 "AI 윤리" 교육', 3, 2, [A2, A3, A4]),
        # Explicit OR keeps OR: one concept, either name.
        ("앤트로픽 OR 유네스코", 5, 0, [A2, A3, A1, A4, A0]),
        ("앤트로픽 유네스코", 1, 4, [A2]),
        # +"..." makes the phrase required.
        ('+"AI 안전서약" 서울', 2, 0, [A1, A0]),
    ],
)
def test_match_set_and_counts(
    library: Library, query: str, total: int, relaxed: int, strict_ids: list[str]
) -> None:
    result = library.search(query)
    assert (result.total, result.relaxed_total) == (total, relaxed)
    assert [h.id for h in result.hits if h.strict] == strict_ids
    assert all(not h.strict for h in result.hits[total:])


def test_match_any_counts_every_article_with_a_word(library: Library) -> None:
    result = library.search("앤트로픽 유네스코", match="any")
    assert (result.total, result.relaxed_total, result.need) == (5, 0, 1)


def test_phrase_counts(library: Library) -> None:
    result = library.search('유네스코 "AI 윤리" 교육')
    assert [(p.phrase, p.count) for p in result.phrases] == [("AI 윤리", 2)]


def test_snippets_prefer_the_rarest_word(library: Library) -> None:
    (first, *_) = library.search("AI 안전 서약").hits
    # 004's best sentences are those with the pledge, not the ones richest in AI.
    assert all("서약" in p.text for p in first.passages)


def test_article_view_steps_through_one_concept(library: Library) -> None:
    view = library.article(A1, "AI 안전 서약")
    assert view is not None
    # As many as the text has: AI or 인공지능 40 times, 안전 12, 서약 3.
    assert [(c.label, c.count) for c in view.concepts] == [("AI", 40), ("안전", 12), ("서약", 3)]
    assert view.matches == 55
    marked = [
        (p.text[s - p.start : e - p.start], c) for p in view.paragraphs for s, e, c in p.marks
    ]
    assert {text for text, c in marked if c == 2} == {"서약"}


def test_byline_is_searched_in_either_script(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(
        "AI 정상회의 폐막\n김철수(金哲洙) 기자\n서울에서 열린 정상회의가 오늘 폐막했다. "
        "참가국들은 공동 선언문을 채택했다.\n",
        encoding="utf-8",
    )
    store_report = index_paths(tmp_path / "index", [src])
    assert not store_report.failed
    library = Library(tmp_path / "index")
    for query in ("김철수", "金哲洙", "김철수 정상회의"):
        result = library.search(query)
        assert ([h.id for h in result.hits], result.total) == (["a.txt"], 1), query
    assert library.search("김철수").hits[0].author == "김철수(金哲洙)"


@pytest.mark.parametrize("word", ["타스만", "오타니", "화나요", "오피니언", "jisung"])
def test_a_word_only_in_a_seed_sidebar_finds_nothing(library: Library, word: str) -> None:
    result = library.search(word)
    assert (result.total, result.relaxed_total, result.hits) == (0, 0, [])
