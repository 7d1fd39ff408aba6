"""TermUnion ranks exactly as Whoosh's OR of the same terms, across segments and deletions."""

from __future__ import annotations

import json
import shutil
from datetime import date
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from whoosh import query as Q

from indexer import store
from indexer.analysis import bigram_analyzer, summit_analyzer
from indexer.config import CORPUS_DIR
from indexer.query import GRAM_BOOST, build
from indexer.ranking import SummitBM25
from indexer.search import Filters, Library
from indexer.union import TermUnion, WeightedTerm, _PostingCache, top_k

QUERIES = [
    "정상회의",
    "서울 정상회의 AI 안전",
    "인공지능 기본법 시행 규제",
    "AI Seoul Summit safety institutes",
    "프랑스 파리 AI 행동 정상회의에서 무엇을 논의했나",
    "없는단어 zzqq",
]


@pytest.fixture(scope="module")
def segmented(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus in three segments, with two articles deleted."""
    src = tmp_path_factory.mktemp("union-src")
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
    index_dir = tmp_path_factory.mktemp("union") / "index"
    store.index_paths(index_dir, [src / "extra.jsonl"])
    store.index_paths(index_dir, sorted(src.glob("00[0-2]*.txt")))
    store.index_paths(index_dir, sorted(src.glob("00[34]*.txt")))
    assert store.remove_ids(index_dir, ["extra-0", "001_7ad3c6ee62ab7cbe.txt"]) == [
        "extra-0",
        "001_7ad3c6ee62ab7cbe.txt",
    ]
    return index_dir


def _as_or(union: TermUnion) -> Q.Query:
    """The same union in Whoosh's own queries: scoring-only terms as the AndMaybe part."""
    matching = Q.Or([Q.Term(t.fieldname, t.text, boost=t.boost) for t in union.terms_ if t.matches])
    scoring = [Q.Term(t.fieldname, t.text, boost=t.boost) for t in union.terms_ if not t.matches]
    return Q.AndMaybe(matching, Q.Or(scoring)) if scoring else matching


@pytest.mark.parametrize("text", QUERIES)
def test_union_ranks_as_whoosh_or(segmented: Path, text: str) -> None:
    library = Library(segmented)
    union = library.build(text).query
    assert isinstance(union, TermUnion)
    with library.ix.searcher(weighting=SummitBM25()) as s:
        assert len(s.leaf_searchers()) == 3
        expected = [(h.docnum, h.score) for h in s.search(_as_or(union), limit=None)]
        through_whoosh = [(h.docnum, h.score) for h in s.search(union, limit=None)]
        direct = top_k(s, union, 10)
    assert [d for d, _ in through_whoosh] == [d for d, _ in expected]
    assert np.allclose([x for _, x in through_whoosh], [x for _, x in expected], atol=1e-9)
    assert [d for d, _ in direct] == [d for d, _ in expected[:10]]
    assert np.allclose([x for _, x in direct], [x for _, x in expected[:10]], atol=1e-9)
    deleted = {i for seg, off in s.leaf_searchers() for i in seg.reader().deleted_docs_set}
    assert len(deleted) == 2 or not expected


def test_empty_and_missing_terms(segmented: Path) -> None:
    library = Library(segmented)
    with library.ix.searcher(weighting=SummitBM25()) as s:
        union = TermUnion([WeightedTerm("body", "없는단어"), WeightedTerm("nofield", "x")])
        assert top_k(s, union, 10) == []
        assert len(s.search(union)) == 0


def test_ties_keep_document_order(segmented: Path) -> None:
    library = Library(segmented)
    with library.ix.searcher(weighting=SummitBM25()) as s:
        union = TermUnion([WeightedTerm("body", "정상회의")])
        ranked = top_k(s, union, 1000)
        scores = [x for _, x in ranked]
        assert scores == sorted(scores, reverse=True)
        for (d1, s1), (d2, s2) in pairwise(ranked):
            assert s1 > s2 or d1 < d2


def test_build_puts_plain_words_in_one_union() -> None:
    ana = summit_analyzer()
    built = build("서울 정상회의", ana)
    assert built.query == TermUnion(
        [
            WeightedTerm("title", "서울"),
            WeightedTerm("body", "서울"),
            WeightedTerm("title", "정상회의"),
            WeightedTerm("body", "정상회의"),
            # Compound parts count for less than the word.
            WeightedTerm("title", "정상", 0.5),
            WeightedTerm("body", "정상", 0.5),
            WeightedTerm("title", "회의", 0.5),
            WeightedTerm("body", "회의", 0.5),
        ]
    )
    mixed = build('정상회의 "AI 안전"', ana).query
    assert isinstance(mixed, Q.Or)
    assert [type(q).__name__ for q in mixed.subqueries] == ["TermUnion", "Or"]
    assert str(build("title:서울", ana).query) == "(title:서울)"


def test_posting_cache_evicts_least_recently_used() -> None:
    cache = _PostingCache(budget_bytes=48)
    arrays = [(np.zeros(2, np.int32), np.zeros(2, np.float32)) for _ in range(4)]  # 16 B each
    for n in range(3):
        cache.put(("seg", "body", bytes([n])), arrays[n])
    assert cache.get(("seg", "body", b"\x00")) is arrays[0]  # now most recently used
    cache.put(("seg", "body", b"\x03"), arrays[3])
    assert cache.get(("seg", "body", b"\x01")) is None
    assert [k[2] for k in cache.entries] == [b"\x02", b"\x00", b"\x03"]
    assert cache.used == 48


@pytest.mark.parametrize(
    ("text", "filters", "page"),
    [
        ("정상회의 AI", Filters(), 1),
        ("정상회의 AI", Filters(), 2),
        ("AI 안전 summit", Filters(lang=("en",)), 1),
        ("인공지능 규제", Filters(date_from=date(2024, 1, 1)), 1),
    ],
)
def test_result_pages_match_whoosh(segmented: Path, text: str, filters: Filters, page: int) -> None:
    library = Library(segmented)
    built = library.build(text)
    assert isinstance(built.query, TermUnion)
    with library.ix.searcher(weighting=SummitBM25()) as s:
        fast = library._run(s, built, filters, page, 3, "relevance", True)
        built.query = _as_or(built.query)
        slow = library._run(s, built, filters, page, 3, "relevance", True)
    assert fast.total == slow.total > 0
    assert [f["id"] for f, _ in fast.page] == [f["id"] for f, _ in slow.page]
    assert fast.facets == slow.facets
    assert fast.facets["lang"] and fast.facets["outlet"]


def test_bigrams_score_but_never_match_alone(tmp_path: Path) -> None:
    built = build("정상회의", summit_analyzer(), grams=bigram_analyzer())
    grams = [t for t in built.query.terms_ if not t.matches]
    assert [(t.fieldname, t.text, t.boost) for t in grams] == [
        (field, gram, GRAM_BOOST)
        for gram in ("정상", "상회", "회의")
        for field in ("title_grams", "body_grams")
    ]
    rows = [
        {"id": "match", "text": "서울에서 정상회의가 열렸다."},
        {"id": "gram-only", "text": "매출이 예상을 상회했다."},
    ]
    src = tmp_path / "src.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    store.index_paths(tmp_path / "index", [src])
    result = Library(tmp_path / "index").search("정상회의")
    assert (result.total, [h.id for h in result.hits]) == (1, ["match"])
