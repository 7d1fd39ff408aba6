"""Completions: half-typed Hangul through its input-method states, English through stems."""

from __future__ import annotations

import pytest

from indexer.search.library import Library
from indexer.text.jamo import Continuation, compose, continuations, decompose


@pytest.fixture(scope="module")
def library(corpus_index) -> Library:
    return Library(corpus_index)


def words(library: Library, typed: str, limit: int = 8) -> list[tuple[str, int]]:
    return [(c.text, c.articles) for c in library.complete(typed, limit)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("앤ㅌ", [Continuation("앤", "타", "팋")]),  # a consonant waiting for its vowel
        ("앤\u1110", [Continuation("앤", "타", "팋")]),  # the same, as a conjoining jamo
        ("앤트", [Continuation("앤", "트", "틓")]),  # 트 may still take a final
        ("ㅌ", [Continuation("", "타", "팋")]),
        ("횡", [Continuation("횡"), Continuation("회", "아", "잏")]),  # 회 + ㅇ…: 회의
        ("앉", [Continuation("앉"), Continuation("안", "자", "짛")]),  # a double final splits
        ("읽", [Continuation("읽"), Continuation("일", "가", "깋")]),
        ("AI", [Continuation("AI")]),
        ("", []),
    ],
)
def test_continuations(typed: str, expected: list[Continuation]) -> None:
    assert continuations(typed) == expected


def test_syllables_compose_and_decompose() -> None:
    assert decompose("앤") == (11, 1, 4)
    assert compose(11, 1, 4) == "앤"
    assert decompose("a") is None


def test_continuation_matches() -> None:
    way = Continuation("앤", "타", "팋")
    assert [way.matches(w) for w in ("앤트로픽", "앤드류", "앤", "앤타")] == [
        True,
        False,
        False,
        True,
    ]


@pytest.mark.parametrize("typed", ["앤트", "앤ㅌ", "앤\u1110", "앤트로픽"])
def test_a_half_typed_name_completes(library: Library, typed: str) -> None:
    assert words(library, typed) == [("앤트로픽", 4)]


def test_one_syllable_offers_the_most_used_words_first(library: Library) -> None:
    # Each with what its search finds: 앤스로픽 is a spelling of Anthropic, so it finds four.
    assert words(library, "앤") == [("앤트로픽", 4), ("앤스로픽", 4), ("앤드류", 1), ("앤소니", 1)]


def test_input_method_states_reach_the_word(library: Library) -> None:
    # 정사 on the way to 정상; 정상횡 is 정상회 with the ㅇ of 의 not yet moved on.
    # 정상세션 is in two articles; a third has 정상 and 세션 apart, which is not the compound.
    assert words(library, "정사") == [("정상", 4), ("정상회의", 4), ("정상급", 2), ("정상세션", 2)]
    assert words(library, "정상횡") == [("정상회의", 4)]
    assert words(library, "인공지") == [("인공지능", 5)]


def test_earlier_words_are_kept(library: Library) -> None:
    assert words(library, "AI 안전 연", limit=4) == [
        ("AI 안전 연구", 5),
        ("AI 안전 연구원", 3),
        ("AI 안전 연합", 2),
        ("AI 안전 연구소", 2),  # 000 and 001: 연구 + 소 elsewhere is not 연구소
    ]


def test_stems_and_pieces_are_not_offered(library: Library) -> None:
    # 통하 (the stem of 통해) and 통령 (a piece of 대통령) are index terms, never words.
    with library.backend.ix.searcher() as s:
        assert s.doc_frequency("body", "통하") > 0 and s.doc_frequency("body", "통령") > 0
    assert words(library, "ㅌ") == [
        ("투자", 2),
        ("텔레콤", 2),
        ("탄력", 1),
        ("태국", 1),
        ("토론", 1),
        ("통제", 1),
        ("통합", 1),
        ("투명", 1),
    ]
    assert words(library, "대통") == [("대통령", 3), ("대통령실", 1)]


def test_english_completes_to_written_words_not_stems(library: Library) -> None:
    assert words(library, "summ") == [("summit", 1)]
    assert words(library, "safet") == [("safety", 1)]  # the stem is "safeti"
    assert words(library, "safety") == [("safety", 1)]
    assert words(library, "intel") == [("intelligence", 1), ("intellectual", 1)]
    assert words(library, "escapec") == [("escapecheck", 1)]


@pytest.mark.parametrize("typed", ["", "   ", "AI ", "s", "쿼카쿼카", "zzzz"])
def test_nothing_to_complete(library: Library, typed: str) -> None:
    assert words(library, typed) == []
