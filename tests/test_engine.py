"""The numpy engine: BM25 as Whoosh computes it, concepts, alias terms, tiers, phrases."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import index_paths
from whoosh import query as Q

from indexer.backends.whoosh import engine
from indexer.backends.whoosh.postings import SegmentCache
from indexer.backends.whoosh.scoring import SummitBM25
from indexer.config import CORPUS_DIR, Config
from indexer.ingest import run as ingest
from indexer.search.library import Library
from indexer.search.notices import Notice
from indexer.search.ranking import Settings, bm25_idf, min_should_match

ANY = Settings(min_match="1")


@pytest.fixture(scope="module")
def segmented(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus in three segments, with two articles deleted.

    The deletion from the three-article segment wears it out (a third deleted): the merge policy
    rewrites it without the article, so one deletion stays marked, in the large segment.
    """
    src = tmp_path_factory.mktemp("engine-src")
    for path in [*sorted(CORPUS_DIR.glob("0*.txt")), CORPUS_DIR / "metadata.json"]:
        shutil.copy(path, src / path.name)
    sentences = [
        line.strip()
        for path in sorted(src.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 40
    ]
    rows = [
        {"id": f"extra-{n}", "title": sentences[n], "text": " ".join(sentences[n : n + 5])}
        for n in range(0, len(sentences) - 5, 2)
    ]
    (src / "extra.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    index_dir = tmp_path_factory.mktemp("engine") / "index"
    index_paths(index_dir, [src / "extra.jsonl"])
    index_paths(index_dir, sorted(src.glob("00[0-2]*.txt")))
    index_paths(index_dir, sorted(src.glob("00[34]*.txt")))
    assert ingest.remove_ids(Config.at(index_dir), ["extra-0", "001_7ad3c6ee62ab7cbe.txt"]) == [
        "extra-0",
        "001_7ad3c6ee62ab7cbe.txt",
    ]
    return index_dir


def _as_whoosh(units: list[engine.Unit]) -> Q.Query:
    """The same single-term units as Whoosh's own OR; scoring-only units as AndMaybe."""
    matching = Q.Or(
        [Q.Term(u.field, u.spellings[0][0], boost=u.weight) for u in units if u.concept >= 0]
    )
    scoring = [Q.Term(u.field, u.spellings[0][0], boost=u.weight) for u in units if u.concept < 0]
    return Q.AndMaybe(matching, Q.Or(scoring)) if scoring else matching


# Words that are single terms (no parts, no aliases), so Whoosh's OR matches what they match.
@pytest.mark.parametrize(
    "text",
    ["서울 유네스코", "AI Seoul Summit safety institutes", "프랑스 파리 협력", "zzqq 서울"],
)
def test_scores_are_whooshs_bm25(segmented: Path, text: str) -> None:
    library = Library(segmented, aliases_path=segmented / "none.txt", settings=ANY)
    plan = library.plan(text)
    assert not [p for c in plan.concepts for w in c.words for p in w.pieces if p.parts]
    with library.backend.ix.searcher(weighting=SummitBM25()) as s:
        assert len(s.leaf_searchers()) == 3
        units = engine.units_of(plan, ANY, frozenset(s.schema.names()))
        assert all(len(u.spellings) == 1 and len(u.spellings[0]) == 1 for u in units)
        expected = {h.docnum: h.score for h in s.search(_as_whoosh(units), limit=None)}
        found = engine.evaluate(s, plan, ANY, SegmentCache())
    assert found.ids.tolist() == sorted(expected)
    assert np.allclose(found.scores, [expected[d] for d in found.ids.tolist()], atol=1e-9)
    deleted = {i for seg, _ in s.leaf_searchers() for i in seg.reader().deleted_docs_set}
    assert len(deleted) == 1 or not expected


def test_alias_spellings_score_as_one_term(tmp_path: Path) -> None:
    rows = [
        {"id": "both", "text": "앤트로픽은 Anthropic이라고도 쓴다."},
        {"id": "ko", "text": "앤트로픽이 발표했다. 앤트로픽의 모델."},
        {"id": "en", "text": "Anthropic announced a model."},
        {"id": "none", "text": "다른 회사가 발표했다."},
    ]
    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    aliases = tmp_path / "aliases.txt"
    aliases.write_text("Anthropic = 앤트로픽\n", encoding="utf-8")
    index_paths(tmp_path / "index", [src])
    settings = Settings(gram_weight=0.0)
    library = Library(tmp_path / "index", aliases_path=aliases, settings=settings)
    plan = library.plan("앤트로픽")
    with library.backend.ix.searcher(weighting=SummitBM25()) as s:
        (body,) = [
            u
            for u in engine.units_of(plan, settings, frozenset(s.schema.names()))
            if u.field == "body"
        ]
        assert body.spellings == (("앤트로픽",), ("anthrop",))
        found = engine.evaluate(s, plan, settings, SegmentCache())
        ids = s.reader().column_reader("id")
        scores = {ids[int(d)]: x for d, x in zip(found.ids, found.scores, strict=True)}
        # One term: its frequency the sum over spellings, its df the union's (3 of 4 articles).
        idf = bm25_idf(4, 3)
        avgfl = s.avg_field_length("body")
        reader = s.reader()
        for doc_id, tf in (("both", 2 * 2), ("ko", 2 * 2), ("en", 2)):
            # The lead is indexed twice, so each occurrence counts twice.
            docnum = next(d for d in range(4) if ids[d] == doc_id)
            length = reader.doc_field_length(docnum, "body")
            expected = idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / avgfl))
            assert math.isclose(scores[doc_id], expected, rel_tol=1e-6)
    assert sorted(scores) == ["both", "en", "ko"]


@pytest.mark.parametrize(
    ("rule", "counts"),
    [
        ("3<50%", [0, 1, 2, 3, 2, 2, 3, 3, 4]),
        ("3<75%", [0, 1, 2, 3, 3, 3, 4, 5, 6]),
        ("100%", [0, 1, 2, 3, 4, 5, 6, 7, 8]),
        ("1", [0, 1, 1, 1, 1, 1, 1, 1, 1]),
        ("-1", [0, 1, 1, 2, 3, 4, 5, 6, 7]),
        ("-25%", [0, 1, 2, 3, 3, 4, 5, 6, 6]),
    ],
)
def test_min_should_match(rule: str, counts: list[int]) -> None:
    assert [min_should_match(rule, n) for n in range(9)] == counts


@pytest.mark.parametrize("rule", ["", "75", "3<", "<50%", "half"])
def test_bad_min_should_match_rule(rule: str) -> None:
    if rule == "75":
        assert min_should_match(rule, 3) == 3  # a plain number is valid
        return
    with pytest.raises(ValueError, match="minimum_should_match"):
        Settings(min_match=rule)


@pytest.fixture(scope="module")
def spaced(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """Articles writing the same words with and without spaces, and decoys."""
    rows = [
        {"id": "joined", "text": "기업들은 AI 안전서약을 발표했다. 서울정상회의가 열렸다."},
        {"id": "apart", "text": "기업들은 AI 안전 서약을 발표했다. 서울 정상회의가 열렸다."},
        {
            "id": "far",
            "text": "안전을 위해 기업들이 서약했다. 서울에서 정상들이 회의를 열었다. AI.",
        },
        {"id": "part", "text": "정상들이 만났다. 서울에서."},
        {"id": "reversed", "text": "정상회의 서울 개최. 서약 안전 AI."},
    ]
    tmp = tmp_path_factory.mktemp("spaced")
    src = tmp / "s.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    index_paths(tmp / "index", [src])
    return Library(tmp / "index", aliases_path=tmp / "none.txt")


@pytest.mark.parametrize(
    ("query", "strict", "relaxed"),
    [
        # A compound is found written joined or apart, never by its parts elsewhere: not in
        # '서울에서 정상들이 회의를', nor in '정상회의 서울'.
        ("서울정상회의", ["joined", "apart"], []),
        ("안전서약", ["joined", "apart"], []),
        # A phrase matches whatever the spacing, in both directions; word order still counts.
        ('"AI 안전 서약"', ["joined", "apart"], ["far", "reversed"]),
        ('"AI 안전서약"', ["joined", "apart"], ["far", "reversed"]),
        ('"서울정상회의"', ["joined", "apart"], []),
        ('"서울 정상회의"', ["joined", "apart"], ["far", "reversed", "part"]),
        ('"정상회의 서울"', ["reversed"], ["joined", "apart", "far", "part"]),
        # Excluding a compound excludes the articles that have it, not those with its parts.
        ("정상 -서울정상회의", ["far", "part", "reversed"], []),
    ],
)
def test_compounds_and_spacing(spaced: Library, query: str, strict: list, relaxed: list) -> None:
    result = spaced.search(query)
    assert sorted(h.id for h in result.hits if h.strict) == sorted(strict)
    assert sorted(h.id for h in result.hits if not h.strict) == sorted(relaxed)
    assert (result.total, result.relaxed_total) == (len(strict), len(relaxed))


def test_phrase_counts_and_preference(spaced: Library) -> None:
    result = spaced.search('"AI 안전 서약" 발표')
    assert [(p.phrase, p.count) for p in result.phrases] == [("AI 안전 서약", 2)]
    # The phrase is a preference here: the articles without it still match all four words.
    assert {h.id for h in result.hits[:2]} == {"joined", "apart"}
    assert sorted(h.id for h in result.hits if h.strict) == ["apart", "far", "joined", "reversed"]


def test_common_phrase_is_checked_in_the_best_candidates(spaced: Library) -> None:
    plan = spaced.plan('"AI 안전 서약"')
    with spaced.backend.ix.searcher(weighting=spaced.backend.weighting) as s:
        found = engine.evaluate(s, plan, spaced.settings, spaced.backend.cache, phrase_checks=3)
    assert found.notices == [Notice.of("phrase_capped", phrase="AI 안전 서약", checked=3)]
    # The three best candidates were 'reversed', 'far' and 'apart', which has the phrase;
    # 'joined', which has it too, was not checked.
    assert found.total == 1


def test_order_puts_the_match_set_first() -> None:
    matches = engine.Matches(
        ids=np.array([0, 1, 2, 3]),
        scores=np.array([1.0, 9.0, 5.0, 5.0]),
        strict=np.array([True, False, True, True]),
    )
    assert engine.order(matches, "relevance", None).tolist() == [2, 3, 0, 1]
    undated = np.uint64(2**64 - 1)
    published = np.array([30, 10, undated, 20], dtype=np.uint64)
    assert engine.order(matches, "oldest", published).tolist() == [3, 0, 2, 1]
    assert engine.order(matches, "newest", published).tolist() == [0, 3, 2, 1]


def test_segment_cache_evicts_least_recently_used() -> None:
    cache = SegmentCache(budget_bytes=48)
    arrays = [(np.zeros(2, np.int32), np.zeros(2, np.float32)) for _ in range(4)]  # 16 B each
    for n in range(3):
        cache.put(("seg", n), arrays[n])
    assert cache.get(("seg", 0)) is arrays[0]  # now most recently used
    cache.put(("seg", 3), arrays[3])
    assert cache.get(("seg", 1)) is None
    assert [k[1] for k in cache.entries] == [2, 0, 3]
    assert cache.used == 48


def test_bigrams_score_but_never_match_alone(tmp_path: Path) -> None:
    rows = [
        {"id": "match", "text": "서울에서 정상회의가 열렸다."},
        {"id": "gram-only", "text": "매출이 예상을 상회했다."},
    ]
    src = tmp_path / "src.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    index_paths(tmp_path / "index", [src])
    library = Library(tmp_path / "index")
    with library.backend.ix.searcher(weighting=SummitBM25()) as s:
        units = engine.units_of(
            library.plan("정상회의"), library.settings, frozenset(s.schema.names())
        )
    grams = [(u.field, u.spellings, u.weight) for u in units if u.concept < 0]
    assert grams == [
        (field, ((gram,),), 0.4)
        for gram in ("정상", "상회", "회의")
        for field in ("title_grams", "body_grams")
    ]
    result = library.search("정상회의")
    assert (result.total, result.relaxed_total, [h.id for h in result.hits]) == (1, 0, ["match"])


# Compounds Korean news writes both joined and apart. Each article says it one way; a quoted
# query in either spelling finds both.
SPACINGS = [
    ("서울 정상회의", "서울정상회의"),
    ("안전 연구소", "안전연구소"),
    ("인공지능 기본법", "인공지능기본법"),
    ("과학기술 정보통신부", "과학기술정보통신부"),
    ("디지털 권리장전", "디지털권리장전"),
    ("프론티어 AI", "프론티어AI"),
    ("반도체 공급망", "반도체공급망"),
    ("북미 정상회담", "북미정상회담"),
    ("AI 안전 서약", "AI 안전서약"),
    ("개인 정보 보호", "개인정보보호"),
    ("생성형 인공지능", "생성형인공지능"),
    ("기후 변화 대응", "기후변화대응"),
    ("세계 경제 포럼", "세계경제포럼"),
    ("자율 주행 자동차", "자율주행자동차"),
    ("국회 의원 선거", "국회의원선거"),
]


@pytest.fixture(scope="module")
def spellings(tmp_path_factory: pytest.TempPathFactory) -> Library:
    rows = []
    for n, (apart, joined) in enumerate(SPACINGS):
        for tag, form in (("a", apart), ("j", joined)):
            text = f"지난주 {form}에 대한 논의가 있었다. 관계자는 다음 달 발표한다고 밝혔다."
            rows.append({"id": f"{n}{tag}", "text": text})
    tmp = tmp_path_factory.mktemp("spellings")
    src = tmp / "s.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    index_paths(tmp / "index", [src])
    return Library(tmp / "index", aliases_path=tmp / "none.txt")


@pytest.mark.parametrize(("n", "form"), [(n, f) for n, pair in enumerate(SPACINGS) for f in pair])
def test_a_phrase_whatever_the_spacing(spellings: Library, n: int, form: str) -> None:
    result = spellings.search(f'"{form}"')
    assert sorted(h.id for h in result.hits if h.strict) == [f"{n}a", f"{n}j"]


def test_excluded_phrase_too_common_to_check(spaced: Library) -> None:
    plan = spaced.plan('기업 -"AI 안전 서약"')
    with spaced.backend.ix.searcher(weighting=spaced.backend.weighting) as s:
        exact = engine.evaluate(s, plan, spaced.settings, spaced.backend.cache)
        bounded = engine.evaluate(s, plan, spaced.settings, spaced.backend.cache, phrase_checks=1)
        ids = s.reader().column_reader("id")
        assert sorted(ids[int(d)] for d in exact.ids) == ["far"]
    assert exact.notices == []
    # Three articles have all three words; unchecked, they all go.
    assert (len(bounded.ids), bounded.notices) == (
        0,
        [Notice.of("phrase_excluded_words", phrase="AI 안전 서약")],
    )
