"""The vocabulary in memory: term tables, completions with the count of their query, words no
article writes, and the work a typed prefix can cause."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import index_paths, make_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.reading import SegmentReader

from indexer.backends.whoosh.lexicon import read_table
from indexer.backends.whoosh.postings import SegmentCache
from indexer.backends.whoosh.store import open_index
from indexer.backends.whoosh.vocabulary import SegmentVocabulary
from indexer.cli import main
from indexer.search import complete
from indexer.search.library import Library
from indexer.search.notices import Notice
from indexer.search.vocabulary import prefix_span

TEXT_FIELDS = ("title", "body", "author", "title_grams", "body_grams")
# A purpose-built collection: 북한 and 북 apart, 서약 and words ending in 서, 미-words with and
# without 북한, and a long headline's words.
ARTICLES = {
    "n1": "북한이 미사일을 발사했다. 북한 외무성은 미국을 비난했다.",
    "n2": "북한과 미국의 정상회담이 열렸다.",
    "n3": "북 측은 회담을 거부했다. 북은 답하지 않았다.",
    "n4": "미세먼지가 심해졌다. 미세먼지 경보가 내려졌다.",
    "n5": "증명서를 떼려면 신청서를 내야 한다. 성명서도 나왔다.",
    "n6": "기업들이 AI 안전 서약에 서명했다. 서약은 자발적이다.",
    "n7": "미사일 발사 훈련이 있었다.",
    "n8": "미사일을 또 발사했다.",
    "n9": "북한은 미군의 훈련을 비난했다.",
}
# A prefix that once cost 9.5 s in /api/suggest: not Hangul, and its "stem" was the letter c.
ODD = "\U0008b4a0\x05C"


def write_jsonl(path: Path, rows: dict[str, str]) -> Path:
    lines = (json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in rows.items())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("vocabulary")
    index_paths(folder / "index", [write_jsonl(folder / "news.jsonl", ARTICLES)])
    return Library(folder / "index")


@pytest.fixture(scope="module")
def corpus(corpus_index: Path) -> Library:
    return Library(corpus_index)


@pytest.fixture(scope="module")
def segmented(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Several segments, with deletions: 60 articles in batches of 20, then 15 changed."""
    folder = tmp_path_factory.mktemp("segmented")
    rng = random.Random(7)
    words = ["서울", "정상회의", "인공지능", "안전", "서약", "북한", "미국", "미사일", "기업"]
    words += ["연구소", "safety"]
    words += [f"summit{n}" for n in range(30)] + [f"정책{n}" for n in range(30)]
    rows = {f"a{n}": " ".join(rng.choices(words, k=40)) + "." for n in range(60)}
    index_paths(folder / "index", [write_jsonl(folder / "a.jsonl", rows)], commit_every=20)
    changed = {f"a{n}": rows[f"a{n}"] + " 추가 문장이다." for n in range(0, 60, 4)}
    index_paths(folder / "index", [write_jsonl(folder / "b.jsonl", changed)])
    return folder / "index"


def whoosh_postings(reader, fieldname: str, btext: bytes) -> tuple[list[int], list[float]]:
    """Every posting of a term, deleted articles too, through Whoosh's own matcher."""
    m = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return ids, weights


# --- term tables: what Whoosh's terms file says, read once ------------------------------------


def test_term_tables_hold_every_term_with_its_statistics(segmented: Path) -> None:
    with open_index(segmented).searcher() as s:
        readers = [leaf.reader() for leaf, _ in s.leaf_searchers()]
        assert len(readers) >= 2 and any(r.has_deletions() for r in readers)
        for reader in readers:
            for fieldname in TEXT_FIELDS:
                table = read_table(reader, fieldname)
                expected = [
                    (btext.decode(), info.doc_frequency())
                    for (f, btext), info in reader._terms.items()
                    if f == fieldname
                ]
                assert [(table.term(i), int(table.df[i])) for i in range(len(table))] == expected
                assert table.terms(0, len(table)) == [t for t, _ in expected]


def test_postings_read_through_the_tables_are_whooshs(segmented: Path) -> None:
    cache = SegmentCache()
    with open_index(segmented).searcher() as s:
        for leaf, _ in s.leaf_searchers():
            reader = leaf.reader()
            for fieldname in ("body", "body_grams", "title_grams"):
                for (f, btext), _ in reader._terms.items():
                    if f != fieldname:
                        continue
                    ids, weights = cache.postings(reader, fieldname, btext)
                    assert (ids.dtype, weights.dtype) == (np.int32, np.float32)
                    assert (ids.tolist(), weights.tolist()) == whoosh_postings(
                        reader, fieldname, btext
                    )
            assert cache.postings(reader, "body", "없는말".encode())[0].tolist() == []


def test_stored_fields_read_with_kept_offsets_are_whooshs(segmented: Path) -> None:
    library = Library(segmented)
    with open_index(segmented).searcher() as s:
        expected = [s.stored_fields(d) for d in range(s.doc_count_all())]
    kinds = []
    for _ in range(3):  # the first search keeps each segment's offsets, the next ones use them
        with library.backend.ix.searcher() as s:
            SegmentVocabulary(s, library.backend.cache)
            assert [s.stored_fields(d) for d in range(s.doc_count_all())] == expected
            kinds.append(
                {
                    type(leaf.reader()._perdoc._readers["_stored"]._child).__name__
                    for leaf, _ in s.leaf_searchers()
                }
            )
    assert kinds == [{"Reader"}, {"_StoredBytes"}, {"_StoredBytes"}]


def test_near_words_are_whooshs_levenshtein_matches(segmented: Path, corpus_index: Path) -> None:
    for index_dir in (segmented, corpus_index):
        cache = SegmentCache()
        with open_index(index_dir).searcher() as s:
            vocabulary = SegmentVocabulary(s, cache)
            readers = [leaf.reader() for leaf, _ in s.leaf_searchers()]
            words = ["서울", "정상회이", "서얄", "summit", "summt", "safty", "a", "인공지눙", "북"]
            for word in words:
                for fieldname, edits in (("body", 1), ("body_grams", 2)):
                    expected = {
                        t for r in readers for t in r.terms_within(fieldname, word, edits, prefix=1)
                    }
                    assert vocabulary.near(fieldname, word, edits) == expected, (word, fieldname)


def test_most_used_is_exact_over_segments(segmented: Path) -> None:
    with open_index(segmented).searcher() as s:
        vocabulary = SegmentVocabulary(s, SegmentCache())
        for prefix in ("s", "summit", "정", "정책1", "서", "z"):
            found = list(vocabulary.most_used("body", [prefix_span(prefix)]))
            terms = {
                btext.decode()
                for (f, btext) in s.reader().all_terms()
                if f == "body" and btext.decode().startswith(prefix)
            }
            expected = sorted(
                ((t, s.doc_frequency("body", t)) for t in terms),
                key=lambda tf: (-tf[1], len(tf[0]), tf[0]),
            )
            assert found == expected, prefix
    assert prefix_span("앤") == ("앤", "앥")
    assert prefix_span("\U0010ffff") == ("\U0010ffff", None)


def test_the_tables_of_segments_gone_are_let_go(writable_index: Path) -> None:
    library = Library(writable_index)
    assert [c.word for c in library.complete("정상회")] == ["정상회의"]
    read = dict(library.backend.cache.tables)
    library.search("정상회의")  # the same segments: the same tables, not read again
    assert read and all(library.backend.cache.tables[key] is table for key, table in read.items())
    before = {sid for sid, _ in library.backend.cache.tables}
    rows = write_jsonl(writable_index.parent / "x.jsonl", {"x": "정상회담이 열렸다."})
    index_paths(writable_index, [rows], rebuild=True)  # every segment is new
    assert [c.word for c in library.complete("정상회")] == ["정상회담"]
    after = {sid for sid, _ in library.backend.cache.tables}
    with library.backend.ix.searcher() as s:
        live = {leaf.reader().segment().segment_id() for leaf, _ in s.leaf_searchers()}
    assert after == live and not after & before


# --- item 2: a suggestion's count is the count of the query it runs ---------------------------


@pytest.mark.parametrize(
    "typed", ["AI 안전 연", "앤", "정사", "AI 정상", "ㅌ", "서울 ㅈ", "summ", "오픈AI 앤ㅌ"]
)
def test_each_completion_counts_what_its_search_finds(corpus: Library, typed: str) -> None:
    found = corpus.complete(typed, 6)
    assert found
    assert [c.articles for c in found] == [corpus.search(c.text).total for c in found]


def test_completions_of_a_later_word_count_the_whole_query(small: Library) -> None:
    # 미세먼지 is used by one article, never with 북한: "북한 미세먼지" finds nothing and is not
    # offered; 미사일 is in three articles but with 북한 in one.
    found = [(c.text, c.articles) for c in small.complete("북한 미", 6)]
    assert found == [("북한 미국", 2), ("북한 미사일", 1)]
    assert small.search("북한 미국").total == 2 and small.search("북한 미사일").total == 1
    assert [(c.text, c.articles) for c in small.complete("미", 6)] == [
        ("미사일", 3),
        ("미국", 2),
        ("미세먼지", 1),
    ]


# --- item 3: a word no article writes does not match by one syllable --------------------------


@pytest.mark.parametrize(
    ("query", "total", "suggestion", "syllable"),
    [
        ("서얄", 0, "서약", "서"),  # not every 증명서, 신청서 and 성명서
        ("북핟", 0, "북한", "북"),  # not 북 측
        # A long query needs half its words: it still finds articles, and the correction too.
        ("북핟 미사일 발사 비난", 3, "북한 미사일 발사 비난", "북"),
    ],
)
def test_an_unwritten_word_is_not_searched_by_one_syllable(
    small: Library, query: str, total: int, suggestion: str, syllable: str
) -> None:
    result = small.search(query)
    word = query.split()[0]
    assert (result.total, result.suggestion) == (total, suggestion)
    assert result.notices == [Notice.of("unwritten_word", word=word, syllable=syllable)]
    assert small.search(suggestion).total > total


@pytest.mark.parametrize(("query", "ids"), [("북은", ["n3"]), ("서약", ["n6"]), ("북", ["n3"])])
def test_written_words_still_match_by_their_stem(small: Library, query: str, ids: list) -> None:
    # 북은 is 북 and a particle, and n3 writes it: it is searched as 북.
    result = small.search(query)
    assert ([h.id for h in result.hits], result.notices, result.suggestion) == (ids, [], None)


def test_a_verb_form_no_article_writes_is_a_word_not_a_typo(small: Library) -> None:
    # 있나 (is there?) is read as 있 + an ending; n7 writes 있었다, never 있나. Nothing in the
    # vocabulary is a correction of it, so it is searched by its stem, as questions need.
    result = small.search("있나")
    assert ([h.id for h in result.hits], result.notices, result.suggestion) == (["n7"], [], None)


def test_the_readmes_example_on_the_bundled_corpus(corpus: Library) -> None:
    result = corpus.search("서얄")
    assert (result.total, result.relaxed_total, result.hits) == (0, 0, [])
    assert result.suggestion == "서약"
    assert result.notices == [Notice.of("unwritten_word", word="서얄", syllable="서")]
    # The article view marks nothing for it either, rather than every 서.
    view = corpus.article(corpus.search("서약").hits[0].id, "서얄")
    assert view is not None and view.matches == 0
    assert dict(corpus.search_batch([("q", "서얄")]))["q"] == []


def test_the_notice_in_words(corpus_index: Path) -> None:
    client = make_app(corpus_index).test_client()
    ko = client.get("/?q=서얄", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert (
        '<p class="notice" data-code="unwritten_word">“서얄”: 이렇게 쓴 기사가 없어 “서” 한 '
        "글자만으로는 찾지 않았습니다.</p>" in ko
    )
    assert 'id="suggestion">서약</a>' in ko
    en = client.get("/api/search?q=서얄", headers={"Accept-Language": "en"}).json
    assert en["notices"] == [
        {
            "code": "unwritten_word",
            "params": {"syllable": "서", "word": "서얄"},
            "message": "No article has “서얄”, so it was not searched as “서” alone.",
        }
    ]
    out = CliRunner().invoke(main, ["search", "서얄", "--index", str(corpus_index)]).stdout
    assert 'note: no article has "서얄", so it was not searched as "서" alone' in out
    assert "did you mean: 서약" in out


# --- item 22: the work a prefix can cause is bounded ------------------------------------------


@pytest.fixture(scope="module")
def wordy(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """400 words that begin with c (cbbb, cbbc, ...): a prefix of one letter reaches them all."""
    folder = tmp_path_factory.mktemp("wordy")
    letters = "bdfgkmpt"
    words = [f"c{a}{b}{c}" for a in letters for b in letters for c in letters][:400]
    rows = {f"w{n}": " ".join(words[n * 8 : n * 8 + 8]) + " 기사다." for n in range(50)}
    index_paths(folder / "index", [write_jsonl(folder / "w.jsonl", rows)])
    return Library(folder / "index")


class Counted:
    """Counts the terms the completer takes from the vocabulary and the articles it reads."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.terms = self.articles = 0
        most_used, stored = SegmentVocabulary.most_used, SegmentReader.stored_fields

        def counted_most_used(vocabulary, *args: object) -> Iterator[tuple[str, int]]:
            for found in most_used(vocabulary, *args):
                self.terms += 1
                yield found

        def counted_stored(reader: SegmentReader, docnum: int) -> dict:
            self.articles += 1
            return stored(reader, docnum)

        monkeypatch.setattr(SegmentVocabulary, "most_used", counted_most_used)
        monkeypatch.setattr(SegmentReader, "stored_fields", counted_stored)


def test_an_odd_prefix_reads_nothing(wordy: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    counted = Counted(monkeypatch)
    assert wordy.complete(ODD) == []
    assert (counted.terms, counted.articles) == (0, 0)
    assert len(wordy.complete("cb", 6)) == 6  # the letters themselves still complete


def test_a_short_prefix_looks_at_a_bounded_number_of_terms(
    wordy: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(monkeypatch)
    with wordy.backend.ix.searcher() as s:
        vocabulary = SegmentVocabulary(s, wordy.backend.cache)
        every = list(wordy.completer.candidates(vocabulary, vocabulary.texts, "cb", 0))
    assert len(every) == complete.MAX_TERMS
    assert counted.terms == complete.MAX_TERMS
    assert counted.articles <= 2 * complete.MAX_TERMS


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(typed=st.text(max_size=12) | st.sampled_from([ODD, "c", "ㄱ", "가", "\u1100", "cc 가"]))
def test_any_prefix_is_bounded(wordy: Library, typed: str) -> None:
    runs: list[tuple] = []
    with pytest.MonkeyPatch.context() as patch:
        counted = Counted(patch)
        patch.setattr(wordy, "_count", lambda *a: runs.append(a) or 1)
        found = wordy.complete(typed, 6)
    assert len(found) <= 6
    assert counted.terms <= complete.MAX_TERMS
    assert counted.articles <= 2 * complete.MAX_TERMS
    assert len(runs) <= complete.COUNTED_PER_OFFERED * 6


def test_the_api_answers_odd_prefixes(corpus_index: Path) -> None:
    client = make_app(corpus_index).test_client()
    for typed in (ODD, "\x00" * 50, "ㄱ" * 200, "c" * 500):
        response = client.get("/api/suggest", query_string={"q": typed})
        assert (response.status_code, response.json["terms"]) == (200, [])
    # The request as the fuzzer sent it, percent-encoded.
    assert client.get("/api/suggest?q=%F2%8B%92%A0%05C").json == {
        "query": ODD,
        "terms": [],
        "titles": [],
    }
