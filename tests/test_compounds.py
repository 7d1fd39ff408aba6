"""A compound counts as present only where its parts stand together; summit names as aliases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import index_paths

from indexer.backends.whoosh.engine import term_postings
from indexer.search.aliases import spelling_terms
from indexer.search.library import Library
from indexer.text.analysis import summit_analyzer
from indexer.text.joins import JOIN_MARK

ANALYZER = summit_analyzer()
J = JOIN_MARK  # a join's term: the joined text after the mark
A0, A1, A2, A3, A4 = (
    "000_c757f4b4d642b6d7.txt",
    "001_7ad3c6ee62ab7cbe.txt",
    "002_4eef7aca86074d55.txt",
    "003_d2343a382aed7d1a.txt",
    "004_5cdf526b4304e4e8.txt",
)


@pytest.fixture(scope="module")
def library(corpus_index: Path) -> Library:
    return Library(corpus_index)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """A compound written joined, apart, after a particle, and its parts far apart."""
    rows = [
        {"id": "joined", "text": "AI 안전연구소가 문을 열었다. 국제협력이 늘었다."},
        {"id": "apart", "text": "AI 안전 연구소가 문을 열었다. 국제 협력을 강화한다."},
        # 안전, 연구 (of 연구원) and 소 (of 사무소): every part, none of them together.
        {"id": "scattered", "text": "안전 점검 뒤 연구원들이 사무소에 모였다. 국제 무대의 협력."},
        # A particle between the words, or a line break: not the compound.
        {"id": "particle", "text": "안전을 연구소가 맡는다. 국제의 협력이다."},
        {
            "id": "broken",
            "text": "이 기관은 안전\n연구소를 세운 뒤에 국제\n협력이 크게 늘었다고 밝혔다.",
        },
        {"id": "adjective", "text": "국제적 협력이 필요하다."},
    ]
    tmp = tmp_path_factory.mktemp("written")
    src = tmp / "w.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    index_paths(tmp / "index", [src])
    return Library(tmp / "index", aliases_path=tmp / "none.txt")


def tokens(text: str) -> list[tuple[str, int, bool | None]]:
    """(term, position, primary) of ``text``: primary is None for a join."""
    return [(t.text, t.pos, t.primary) for t in ANALYZER(text, positions=True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Written apart: the joined term too, at the first word's position.
        ("국제 협력을", [("국제", 0, True), (J + "국제협력", 0, None), ("협력", 1, True)]),
        # A particle, punctuation or a line break between them: no join.
        ("국제의 협력", [("국제", 0, True), ("협력", 1, True)]),
        ("국제, 협력", [("국제", 0, True), ("협력", 1, True)]),
        ("국제\n협력", [("국제", 0, True), ("협력", 1, True)]),
        # A word of one syllable is never joined across a space: 정부 안 is not 정부안.
        ("정부 안에서", [("정부", 0, True), ("안", 1, True)]),
        # A one-syllable suffix stays on its unit: 연구소, never 연구 + 소 joined apart.
        (
            "안전 연구소",
            [
                ("안전", 0, True),
                (J + "안전연구소", 0, None),
                ("연구소", 1, True),
                ("연구", 1, False),
                ("소", 1, False),
            ],
        ),
        # Inside one word, the runs of its parts: 정상회담 of 한미정상회담.
        (
            "한미정상회담",
            [
                ("한미정상회담", 0, True),
                ("한미", 0, False),
                ("정상", 0, False),
                ("회담", 0, False),
                (J + "한미정상", 0, None),
                (J + "정상회담", 0, None),
            ],
        ),
    ],
)
def test_nouns_written_apart_are_joined(text: str, expected: list) -> None:
    assert tokens(text) == expected


@pytest.mark.parametrize(
    ("query", "strict"),
    [
        # Written joined or apart; not from parts elsewhere, after a particle or a line break.
        ("안전연구소", ["apart", "joined"]),
        ('"안전연구소"', ["apart", "joined"]),
        ("안전 연구소", ["apart", "broken", "joined", "particle"]),
        # 연구소 is not 연구 (of 연구원) plus 소 (of 사무소).
        ("연구소", ["apart", "broken", "joined", "particle"]),
        # A quoted single compound: those that write 국제협력 or 국제 협력.
        ('"국제협력"', ["apart", "joined"]),
        ("국제협력", ["apart", "joined"]),
        ("국제 협력", ["adjective", "apart", "broken", "joined", "particle", "scattered"]),
    ],
)
def test_a_compound_is_its_parts_together(written: Library, query: str, strict: list) -> None:
    result = written.search(query)
    assert sorted(h.id for h in result.hits if h.strict) == strict
    assert result.total == len(strict)


def test_safety_institute_is_not_research_plus_office(library: Library) -> None:
    # 000 writes 안전연구소, 001 'AI 안전 연구소'; 002 and 003 only have 안전, 연구 (of 연구원)
    # and the single syllable 소 (of 사무소, 연구소장) here and there.
    result = library.search("안전연구소")
    assert (result.total, result.relaxed_total) == (2, 0)
    assert sorted(h.id for h in result.hits) == [A0, A1]


def test_quoted_compound_finds_it_joined_or_apart(library: Library) -> None:
    # '국제 협력' in 000, 001 and 003; 002 and 004 have 국제 and 협력 apart only.
    result = library.search('"국제협력"')
    assert (result.total, result.relaxed_total) == (3, 0)
    assert sorted(h.id for h in result.hits) == [A0, A1, A3]


@pytest.mark.parametrize(
    ("spelling", "terms"),
    [
        ("서울 정상회의", ("서울정상회의",)),
        ("서울정상회의", ("서울정상회의",)),
        ("AI 서울 정상회의", ("ai", "서울정상회의")),
        ("AI Seoul Summit", ("ai", "seoul", "summit")),
        ("오픈AI", ("오픈", "ai")),
    ],
)
def test_spelling_terms_join_nouns_as_the_index_does(spelling: str, terms: tuple) -> None:
    assert spelling_terms(ANALYZER, spelling) == terms


def test_summit_names_are_aliases_across_languages(library: Library) -> None:
    result = library.search("Seoul summit")
    # One word of the query: the name, in any of the summit table's spellings.
    assert (result.concepts, result.total, result.relaxed_total) == (1, 4, 0)
    assert [(e.matched, e.added) for e in result.expansions] == [
        ("Seoul Summit", ("AI 서울 정상회의", "서울 정상회의", "AI Seoul Summit"))
    ]
    # 000, 001 and 002 (tagged Seoul 2024) write it in Korean; 003 (Paris 2025) names the
    # Seoul Summit in both languages. 004, tagged too, never names it.
    assert sorted(h.id for h in result.hits) == [A0, A1, A2, A3]
    off = library.search("Seoul summit", disabled_aliases=frozenset({"Seoul Summit"}))
    assert (off.total, [h.id for h in off.hits], off.expansions) == (1, [A3], [])


def test_a_korean_summit_name_finds_the_english_one(library: Library) -> None:
    result = library.search("서울 정상회의")
    assert (result.concepts, result.total) == (1, 4)
    assert [(e.matched, e.added) for e in result.expansions] == [
        ("서울 정상회의", ("AI 서울 정상회의", "AI Seoul Summit", "Seoul Summit"))
    ]
    english = library.search("AI Seoul Summit")
    assert (english.concepts, sorted(h.id for h in english.hits)) == (1, [A0, A1, A2, A3])


def test_a_name_among_other_words_is_one_of_them(library: Library) -> None:
    plan = library.plan("AI 서울 정상회의 성과")
    assert [c.label for c in plan.concepts] == ["AI 서울 정상회의", "성과"]


def test_a_compound_as_typed_ranks_above_it_written_apart(tmp_path: Path) -> None:
    rows = [
        {"id": "apart", "text": "올해 국제 협력이 크게 늘었다."},
        {"id": "joined", "text": "올해 국제협력이 크게 늘었다."},
        {"id": "other", "text": "올해 수출이 크게 늘었다."},
    ]
    src = tmp_path / "r.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    index_paths(tmp_path / "index", [src])
    library = Library(tmp_path / "index", aliases_path=tmp_path / "none.txt")
    result = library.search("국제협력")
    assert [h.id for h in result.hits] == ["joined", "apart"]
    with library.backend.ix.searcher() as s:
        ids = s.reader().column_reader("id")
        docs = {ids[d]: d for d in range(s.doc_count_all())}
        # A join is no word of its own: 올해 (and its parts 올, 해), 국제, 협력, 크, 늘 are seven
        # in the apart article; 올해 (올, 해), 국제협력 (국제, 협력), 크, 늘 eight in the other.
        # The body indexes the lead twice (``lead.body_for_index``).
        lengths = {i: s.doc_field_length(d, "body") for i, d in docs.items()}
        assert (lengths["apart"], lengths["joined"]) == (14, 16)
        # What BM25 reads as the term's frequency (the lead twice, again): a join counts a
        # quarter of the word as written.
        ((leaf, _),) = s.leaf_searchers()
        weight = library.settings.join_weight
        found, tf = term_postings(leaf.reader(), "body", "국제협력", library.backend.cache, weight)
        by_id = dict(zip(found.tolist(), tf.tolist(), strict=True))
        assert (by_id[docs["joined"]], by_id[docs["apart"]], weight) == (2.0, 0.5, 0.25)
