"""The passages of a hit: why it matched, the best first, never the title again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import index_paths

from indexer.search.library import Library
from indexer.search.passages import repeats_title

A0, A1 = "000_c757f4b4d642b6d7.txt", "001_7ad3c6ee62ab7cbe.txt"


@pytest.fixture(scope="module")
def library(corpus_index: Path) -> Library:
    return Library(corpus_index)


def _library(tmp: Path, rows: list[dict]) -> Library:
    src = tmp / "rows.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    index_paths(tmp / "index", [src])
    return Library(tmp / "index", aliases_path=tmp / "none.txt")


@pytest.mark.parametrize(
    ("sentence", "title", "repeats"),
    [
        # The title as the first line, word for word.
        ("서울 정상회의 개막, 각국 정상 참석", "서울 정상회의 개막, 각국 정상 참석", True),
        # A title taken from the first sentence and cut with "…", spacing and case aside.
        (
            "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the year.",
            "Quarterly profits at US media giant  TimeWarner…",
            True,
        ),
        # A sentence wholly inside the title.
        ("정상회의가 개막했다.", "정상회의가 개막했다. 각국 정상이 모였다", True),
        # A sentence that only begins like a short title goes on to say much more.
        (
            "서울 정상회의가 열린 지 1년, 각국은 안전연구소를 세우고 규범을 다듬었다.",
            "서울 정상회의",
            False,
        ),
        ("AI 안전", "AI 안전", False),  # too short to tell
        ("다른 문장이다, 제목과 상관없이.", "서울 정상회의 개막, 각국 정상 참석", False),
    ],
)
def test_repeats_title(sentence: str, title: str, repeats: bool) -> None:
    assert repeats_title(sentence, title) is repeats


def test_the_first_passage_holds_the_quoted_phrase(library: Library) -> None:
    result = library.search('"AI 안전 서약"')
    assert [h.id for h in result.hits if h.strict] == [A1, A0]
    marked = []
    for hit in result.hits[:2]:
        first = hit.passages[0]
        assert "'프론티어 AI 안전서약'" in first.text or "‘프론티어 AI 안전서약’" in first.text
        marked.append([first.text[s - first.start : e - first.start] for s, e, _ in first.marks])
    # The phrase is marked word by word (000's sentence has AI모델 before it).
    assert marked == [["AI", "안전", "서약"], ["AI", "AI", "안전", "서약"]]
    # 000's phrase is in its 15th sentence; before it comes a rarer-looking one, sentence 9.
    assert [p.sentence for p in result.hits[1].passages] == [15, 9]


def test_no_passage_repeats_the_title(library: Library) -> None:
    # 000 has no title of its own: its first sentence is shown as the title, and that
    # sentence, which has 서울정상회의, is not shown again below it.
    result = library.search("서울정상회의")
    (hit,) = [h for h in result.hits if h.id == A0]
    assert hit.title.startswith("인공지능(AI) 서울정상회의와") and hit.title.endswith("확립됐다.")
    assert [p.sentence for p in hit.passages] == [5, 12]
    assert not any(repeats_title(p.text, hit.title) for p in hit.passages)


def test_passages_cover_the_words_rarest_first(tmp_path: Path) -> None:
    # 실적 is in one article only, 삼성전자 in all three: the rarer word's sentence comes
    # first, then one with the other word, not a second sentence with the same word.
    rows = [
        {
            "id": "hit",
            "title": "분기 보고",
            "text": "1분기 실적이 좋았다. 2분기 실적도 좋았다. 3분기 실적은 더 좋았다. "
            "삼성전자는 내년 투자를 늘린다.",
        },
        {"id": "other1", "title": "소식", "text": "삼성전자가 새 공장을 지었다."},
        {"id": "other2", "title": "소식", "text": "삼성전자 주가가 올랐다."},
    ]
    library = _library(tmp_path, rows)
    hit = library.search("삼성전자 실적").hits[0]
    assert hit.id == "hit"
    assert [p.text for p in hit.passages] == [
        "1분기 실적이 좋았다.",
        "삼성전자는 내년 투자를 늘린다.",
    ]


def test_a_sentence_with_every_word_comes_first(tmp_path: Path) -> None:
    rows = [
        {
            "id": "hit",
            "title": "분기 보고",
            "text": "실적 얘기가 먼저 나왔다. 삼성전자 얘기도 있었다. 삼성전자 실적이 발표됐다.",
        },
        {"id": "other", "title": "소식", "text": "삼성전자가 새 공장을 지었다."},
    ]
    library = _library(tmp_path, rows)
    hit = library.search("삼성전자 실적").hits[0]
    assert hit.id == "hit"
    assert [p.sentence for p in hit.passages] == [3, 1]
