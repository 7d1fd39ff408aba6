"""Query syntax: the flat scanner and the plan it builds."""

from __future__ import annotations

from datetime import datetime

import pytest

from indexer.search.aliases import AliasGroup, parse_aliases
from indexer.search.concepts import Node, Word
from indexer.search.filters import DateSpan
from indexer.search.notices import Notice
from indexer.search.query import MAX_TERMS, Item, Plan, build, date_range, scan
from indexer.text.analysis import summit_analyzer

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


def outline(plan: Plan) -> tuple[list[str], list[str], list[str], list[str], bool]:
    """Concepts (with + for required), exclusions, phrases, filters, whole-phrase flag."""
    return (
        [c.sign + c.label for c in plan.concepts],
        [c.label for c in plan.excluded] + [p.text for p in plan.excluded_phrases],
        [p.sign + p.text for p in plan.phrases],
        [str(q) for q in plan.filters + plan.excluded_filters],
        plan.whole_phrase,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("유네스코", (["유네스코"], [], [], [], False)),
        # A quoted phrase alone: its words are concepts, and the phrase is required.
        ('"AI 서울"', (["AI", "서울"], [], ["AI 서울"], [], True)),
        # Inside a longer query the phrase is a preference; its words are concepts.
        ('"AI 서울" 유네스코', (["AI", "서울", "유네스코"], [], ["AI 서울"], [], False)),
        ('+"AI 서울" 유네스코', (["AI", "서울", "유네스코"], [], ["+AI 서울"], [], False)),
        ('유네스코 -"AI 서울"', (["유네스코"], ["AI 서울"], [], [], False)),
        ("유네스코 -LG", (["유네스코"], ["LG"], [], [], False)),
        ("+유네스코 기업", (["+유네스코", "기업"], [], [], [], False)),
        ("-LG", ([], ["LG"], [], [], False)),
        ("lang:EN", ([], [], [], ["lang:en"], False)),
        ("AI -outlet:조선비즈", (["AI"], [], [], ["outlet:조선비즈"], False)),
        ("앤트로픽 OR 오픈AI 정상회의", (["앤트로픽 OR 오픈AI", "정상회의"], [], [], [], False)),
        # Headline punctuation separates words; a hyphen or a point does not.
        ("[6.12 북미정상회담]남북", (["6.12", "북미정상회담", "남북"], [], [], [], False)),
        ("‘술·담배’가 GPT-4o", (["술", "담배", "GPT-4o"], [], [], [], False)),
        ("*", ([], [], [], [], False)),
    ],
)
def test_plan_outline(text: str, expected: tuple) -> None:
    assert outline(build(text, ANALYZER)) == expected


@pytest.mark.parametrize(
    ("text", "notices"),
    [
        ("the of and", [Notice("only_stop_words")]),
        ("***", []),  # the search says "nothing searchable"; the plan is just empty
        ("published:yesterday AI", [Notice.of("not_a_date", value="published:yesterday")]),
    ],
)
def test_plan_notices_are_codes(text: str, notices: list[Notice]) -> None:
    assert build(text, ANALYZER).notices == notices


def test_compound_is_a_word_with_its_parts() -> None:
    (concept,) = build("서울정상회의와", ANALYZER).concepts
    (word,) = concept.words
    assert word == Word(
        "서울정상회의와", (Node("서울정상회의", (Node("서울"), Node("정상"), Node("회의"))),)
    )
    assert word.terms() == ["서울정상회의", "서울", "정상", "회의"]
    assert word.primary_terms() == ["서울정상회의"]


def test_mixed_script_word_has_pieces() -> None:
    (concept,) = build("AI기본법", ANALYZER).concepts
    assert concept.words[0].pieces == (
        Node("ai"),
        Node("기본법", (Node("기본"), Node("법"))),
    )


def test_filters_from_field_syntax() -> None:
    built = build("outlet:조선비즈 lang:EN published:2024-05 AI", ANALYZER)
    outlet, lang, published = built.filters
    assert (str(outlet), str(lang)) == ("outlet:조선비즈", "lang:en")
    assert (published.start, published.end) == (
        datetime(2024, 5, 1),
        datetime(2024, 5, 31, 23, 59, 59),
    )
    assert built.terms() == ["ai"]


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
    span = date_range(value)
    assert span == DateSpan("published", start, end)


@pytest.mark.parametrize("value", ["yesterday", "2024-13", "2024-02-30", "20245"])
def test_bad_dates_become_notices(value: str) -> None:
    assert date_range(value) is None
    built = build(f"published:{value} AI", ANALYZER)
    assert built.notices == [Notice.of("not_a_date", value=f"published:{value}")]
    assert built.filters == []


def test_term_cap() -> None:
    built = build(" ".join(f"word{i}" for i in range(200)), ANALYZER)
    assert len(built.terms()) == MAX_TERMS
    assert built.notices == [Notice.of("terms_capped", limit=MAX_TERMS)]


def _groups(text: str) -> list[AliasGroup]:
    return [
        AliasGroup(g, tuple(tuple(t.text for t in ANALYZER(s) if t.primary) for s in g))
        for g in parse_aliases(text)
    ]


ALIASES = _groups("# comment\nAnthropic = 앤트로픽 = 엔트로픽\nAI = 인공지능\n北 = 북한\nlonely\n")


def test_parse_aliases() -> None:
    assert parse_aliases("a = b = c  # x\n\n= d\nsolo\n") == [("a", "b", "c")]


def test_alias_group_is_one_term_of_the_word() -> None:
    built = build("앤트로픽의 계획", ANALYZER, ALIASES)
    assert [(e.matched, e.added) for e in built.expansions] == [
        ("앤트로픽", ("Anthropic", "엔트로픽"))
    ]
    (piece,) = built.concepts[0].words[0].pieces
    assert piece == Node("앤트로픽", spellings=(("anthrop",), ("엔트로픽",)))
    assert [c.label for c in built.concepts] == ["앤트로픽의", "계획"]


@pytest.mark.parametrize(
    ("text", "expansions"),
    [
        ("AI", [("AI", ("인공지능",))]),
        # A Latin piece of a Hangul word is a name of its own: no 인공지능 for these.
        ("오픈AI", []),
        ("AI기본법", []),
        # A compound part that is a word by itself fires; so does a Hanja piece.
        ("북한정권", [("북한", ("北",))]),
        ("北측과", [("北", ("북한",))]),
        ("인공지능 기본법", [("인공지능", ("AI",))]),
    ],
)
def test_where_aliases_fire(text: str, expansions: list) -> None:
    built = build(text, ANALYZER, ALIASES)
    assert [(e.matched, e.added) for e in built.expansions] == expansions


def test_alias_of_a_word_of_several_pieces() -> None:
    groups = _groups("OpenAI = 오픈AI\n")
    (word,) = build("오픈AI의", ANALYZER, groups).concepts[0].words
    assert (word.pieces, word.spellings) == ((Node("오픈"), Node("ai")), (("openai",),))


def test_single_hanja_headline_abbreviation() -> None:
    built = build("北 최희철 베이징 도착", ANALYZER, ALIASES)
    assert [(e.matched, e.added) for e in built.expansions] == [("北", ("북한",))]


def test_disabled_alias_is_not_expanded() -> None:
    built = build("앤트로픽", ANALYZER, ALIASES, disabled_aliases=frozenset({"앤트로픽"}))
    assert built.expansions == []
    assert built.terms() == ["앤트로픽"]


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
    plan = build(text, ANALYZER)
    assert [t for c in plan.concepts + plan.excluded for t in c.terms()] == terms
