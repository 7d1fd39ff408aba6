"""Query syntax: the flat scanner and the Whoosh query it builds."""

from __future__ import annotations

from datetime import datetime

import pytest

from indexer.aliases import AliasGroup, parse_aliases
from indexer.analysis import summit_analyzer
from indexer.query import MAX_TERMS, Item, build, date_range, scan

ANALYZER = summit_analyzer()


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("정상회의 서울", [Item("정상회의"), Item("서울")]),
        ('"AI 서울 정상회의" 유네스코', [Item("AI 서울 정상회의", True), Item("유네스코")]),
        ("+유네스코 -LG", [Item("유네스코", sign="+"), Item("LG", sign="-")]),
        ("outlet:조선비즈 AI", [Item("조선비즈", field="outlet"), Item("AI")]),
        ('summit:"Paris 2025"', [Item("Paris 2025", True, field="summit")]),
        ("foo:bar", [Item("foo:bar")]),  # unknown field: searched as text
        ('"unbalanced quote', [Item("unbalanced"), Item("quote")]),
        # Curly quotes are headline punctuation, not phrase syntax.
        ("‘北 최희철’ 베이징", [Item("‘北"), Item("최희철’"), Item("베이징")]),
        ("GPT-4o", [Item("GPT-4o")]),
        ("a\x00b\u202ec", [Item("a"), Item("b"), Item("c")]),  # control and bidi characters
        ("", []),
        ('""', []),
    ],
)
def test_scan(text: str, items: list[Item]) -> None:
    assert scan(text) == items


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("유네스코", "(title:유네스코 OR body:유네스코)"),
        ('"AI 서울"', '(title:"ai 서울" OR body:"ai 서울")'),
        (
            "유네스코 -LG",
            "((title:유네스코 OR body:유네스코) AND NOT (title:lg OR body:lg))",
        ),
        ("-LG", "(None:* AND NOT (title:lg OR body:lg))"),
        ("lang:EN", "None:*"),
        ("*", "<_NullQuery>"),
    ],
)
def test_build_without_aliases(text: str, expected: str) -> None:
    assert str(build(text, ANALYZER).query) == expected


def test_compound_searches_whole_word_and_parts() -> None:
    built = build("정상회의", ANALYZER)
    assert built.terms == ["정상회의", "정상", "회의"]
    assert built.primary_terms == ["정상회의"]
    # The parts count half as much as the whole word.
    assert str(built.query) == (
        "(title:정상회의 OR body:정상회의 OR title:정상^0.5 OR body:정상^0.5"
        " OR title:회의^0.5 OR body:회의^0.5)"
    )


def test_filters_from_field_syntax() -> None:
    built = build("outlet:조선비즈 lang:EN published:2024-05 AI", ANALYZER)
    outlet, lang, published = built.filters
    assert (str(outlet), str(lang)) == ("outlet:조선비즈", "lang:en")
    assert (published.startdate, published.enddate) == (
        datetime(2024, 5, 1),
        datetime(2024, 5, 31, 23, 59, 59),
    )
    assert built.terms == ["ai"]


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2024", datetime(2024, 1, 1), datetime(2024, 12, 31, 23, 59, 59)),
        ("2024-02", datetime(2024, 2, 1), datetime(2024, 2, 29, 23, 59, 59)),
        ("2024-12", datetime(2024, 12, 1), datetime(2024, 12, 31, 23, 59, 59)),
        ("2024-05-23", datetime(2024, 5, 23), datetime(2024, 5, 23, 23, 59, 59)),
        ("2023..2024-05", datetime(2023, 1, 1), datetime(2024, 5, 31, 23, 59, 59)),
    ],
)
def test_date_range(value: str, start: datetime, end: datetime) -> None:
    q = date_range(value)
    assert (q.startdate, q.enddate) == (start, end)


@pytest.mark.parametrize("value", ["yesterday", "2024-13", "2024-02-30", "20245"])
def test_bad_dates_become_notices(value: str) -> None:
    assert date_range(value) is None
    built = build(f"published:{value} AI", ANALYZER)
    assert built.notices == [f"published:{value} is not a date (try 2024-05)"]
    assert built.filters == []


def test_term_cap() -> None:
    built = build(" ".join(f"word{i}" for i in range(200)), ANALYZER)
    assert len(built.terms) == MAX_TERMS
    assert built.notices == [f"only the first {MAX_TERMS} terms were searched"]


def _groups(text: str) -> list[AliasGroup]:
    return [
        AliasGroup(g, tuple(tuple(t.text for t in ANALYZER(s) if t.primary) for s in g))
        for g in parse_aliases(text)
    ]


ALIASES = _groups("# comment\nAnthropic = 앤트로픽 = 엔트로픽\nAI = 인공지능\n北 = 북한\nlonely\n")


def test_parse_aliases() -> None:
    assert parse_aliases("a = b = c  # x\n\n= d\nsolo\n") == [("a", "b", "c")]


def test_alias_expansion_reports_and_searches_other_spellings() -> None:
    built = build("앤트로픽의 계획", ANALYZER, ALIASES)
    assert [(e.matched, e.added) for e in built.expansions] == [
        ("앤트로픽", ("Anthropic", "엔트로픽"))
    ]
    assert "anthrop" in built.terms and "엔트로픽" in built.terms
    assert "body:엔트로픽^0.6" in str(built.query)


def test_alias_inside_a_phrase_replaces_the_spelling() -> None:
    built = build('"AI 기본법"', ANALYZER, ALIASES)
    assert str(built.query) == (
        '((title:"ai 기본법" OR body:"ai 기본법") OR '
        '(title:"인공지능 기본법" OR body:"인공지능 기본법"))'
    )


def test_single_hanja_headline_abbreviation() -> None:
    built = build("北 최희철 베이징 도착", ANALYZER, ALIASES)
    assert [(e.matched, e.added) for e in built.expansions] == [("北", ("북한",))]


def test_disabled_alias_is_not_expanded() -> None:
    built = build("앤트로픽", ANALYZER, ALIASES, disabled_aliases=frozenset({"앤트로픽"}))
    assert built.expansions == []
    assert built.terms == ["앤트로픽"]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        # Alone, 명예의 is read as a noun plus 예의 (courtesy); inside the question, as 명예 + 의.
        ("명예의 전당", ["명예", "전당"]),
        ("커크 헤밋의 기타", ["커크", "헤밋", "헤", "밋", "기타"]),
        # Syntax is blanked out before the analysis, so it never joins or splits a word.
        ("+명예의 -전당 outlet:조선비즈", ["명예", "전당"]),
    ],
)
def test_query_is_analyzed_in_context(text: str, terms: list[str]) -> None:
    assert build(text, ANALYZER).terms == terms
