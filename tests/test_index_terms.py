"""The faster index-time analysis changes no term: the one-pass postings are Whoosh's, and the
normalisation that skips stable runs maps every character as the cluster-by-cluster one."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields

from indexer.backends.whoosh.schema import SummitText, build_schema
from indexer.config import CORPUS_DIR
from indexer.documents.articles import load_file
from indexer.text.analysis import index_terms, summit_analyzer
from indexer.text.joins import JOIN_MARK
from indexer.text.lead import body_for_index
from indexer.text.normalize import Normalized, _joins_previous, normalize

SCHEMA = build_schema()
TEXT_FIELDS = [name for name, f in SCHEMA.items() if isinstance(f, SummitText)]


def both_ways(name: str, value: str) -> tuple[list, list]:
    """The field's postings from the one-pass path and from Whoosh's own ``TEXT.index``."""
    field = SCHEMA[name]
    return list(field.index(value)), list(fields.TEXT.index(field, value))


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        for article in load_file(path, CORPUS_DIR):
            texts += [article.title, body_for_index(article.body), article.author]
    return texts


@pytest.mark.parametrize("name", TEXT_FIELDS)
def test_every_field_of_the_corpus_is_indexed_the_same(name: str) -> None:
    texts = corpus_texts()
    assert len(texts) == 18  # six articles: title, body, byline
    for text in texts:
        fast, whoosh = both_ways(name, text)
        assert fast == whoosh


# Hangul, Latin with stop words and possessives, digits with separators, Han, jamo, marks.
PIECES = st.sampled_from(
    [*["정상회의", "인공지능", "서울에서", "AI기본법", "오픈AI", "北측", "人工智能安全", "の"],
     *["The", "of", "and", "Japan's", "models’", "summit's", "GPT-4o", "1,000명", "3.5%"],
     *["ㄱㄴ", "①", "Ⅱ", "é", "ß"],
     " ", "\n", ".", "·", "…", "-", "'", "’", "\u200b", "\ufeff", "\t"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=30).map("".join))
def test_any_text_is_indexed_the_same(text: str) -> None:
    for name in TEXT_FIELDS:
        fast, whoosh = both_ways(name, text)
        assert fast == whoosh


def test_another_analyzer_takes_whooshs_path() -> None:
    from whoosh.analysis import StandardAnalyzer

    assert index_terms(StandardAnalyzer(), "서울 정상회의") is None
    # The joins of 서울 정상회의, marked, at 서울's position.
    assert index_terms(summit_analyzer(), "서울 정상회의") == [
        ("서울", 0),
        (JOIN_MARK + "서울정상", 0),
        (JOIN_MARK + "서울정상회의", 0),
        ("정상회의", 1),
        ("정상", 1),
        ("회의", 1),
    ]


def _cluster_by_cluster(text: str) -> Normalized:
    """NFKC one cluster (a character and what joins it) at a time: the definition."""
    if unicodedata.is_normalized("NFKC", text):
        return Normalized(text, None, None)
    out, starts, ends = [], [], []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and _joins_previous(text[j]):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j])
        out.append(piece)
        starts += [i] * len(piece)
        ends += [j] * len(piece)
        i = j
    return Normalized("".join(out), tuple(starts), tuple(ends))


# Stable runs, compatibility forms, conjoining jamo and marks that join the character before.
NORM_PIECES = st.sampled_from(
    ["가", "각", "a", " ", "\n", "·", "…", "ＡＩ", "①", "\u1161", "\u11a8", "\u0301", "\ufe0f",
     "中", "丽", "\u3000", "ﾊﾟ", "ㄱ", "\t", "\u200b", "x\u0308", "e"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(NORM_PIECES, st.text(max_size=3)), max_size=20).map("".join))
def test_normalize_skips_stable_runs_and_maps_the_same(text: str) -> None:
    assert normalize(text) == _cluster_by_cluster(text)
