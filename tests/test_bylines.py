"""Bylines: the reporter's name with its Hanja, and the outlet, in every shape news writes them.

The shapes are those of every byline in the news-dev collection and the bundled seeds (names
and outlets made up): a dateline (place=outlet), the outlet before the reporter with and
without "=", spaces around "=" or none, a place bare or in brackets, the title glued to the
name, ranks, fields and desks before the title, several reporters, and lines that only look
like bylines.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from indexer.backends.whoosh.stats import stats
from indexer.config import CORPUS_DIR
from indexer.documents import bylines
from indexer.documents.articles import Article, load_file, parse_record
from indexer.search.library import Library
from tests.conftest import index_paths

S001 = "001_7ad3c6ee62ab7cbe.txt"

BYLINES = [
    # line, outlet, author
    # Datelines: the place, "=", the outlet; the reporters after the bracket.
    ("(서울=한빛뉴스) 홍길동 기자 = 정부가 23일", "한빛뉴스", "홍길동"),
    ("(서울=가람뉴스1) 홍길동 기자,김철수 기자,이영희 기자 = 정부가", "가람뉴스1", "홍길동"),
    ("(서울=한빛뉴스) 홍길동 김철수 기자 = 여야가", "한빛뉴스", "홍길동"),
    ("(워싱턴=한빛뉴스) 홍길동 특파원 = 미국", "한빛뉴스", "홍길동"),
    ("(시카고=한빛뉴스) 홍 길 통신원 = 패스트푸드", "한빛뉴스", ""),
    ("(세종=한빛뉴스) 정책팀 = 지난해", "한빛뉴스", ""),
    ("(파리 AFP 로이터=한빛뉴스) 프랑스 파리 도심에서", "한빛뉴스", ""),
    ("【서울=가람시스】홍길동 기자 = 정부가", "가람시스", "홍길동"),
    ("【서울=가람시스】홍길동기자 = 정부가", "가람시스", "홍길동"),
    ("【샌프란시스코 = AP/가람시스】홍길동 기자 = 트위터", "가람시스", "홍길동"),
    ("【파호아( 하와이) = AP/가람시스】 홍길동 기자 = 2주", "가람시스", "홍길동"),
    ("【빅토리아(세이셸)=가람시스】홍길동 기자 = 세이셸", "가람시스", "홍길동"),
    ("(서울=한빛일보) 홍길동(洪吉同) 특파원 = 정부가", "한빛일보", "홍길동(洪吉同)"),
    # The outlet, "=", the reporter: with or without spaces, a place bare or bracketed.
    ("[누리데일리=홍길동 기자] 배우", "누리데일리", "홍길동"),
    ("[누리데일리 = 홍길동 기자] 배우", "누리데일리", "홍길동"),
    ("[별빛코리아= 홍길동 기자] 경기", "별빛코리아", "홍길동"),
    ("[별빛코리아= (부산)홍길동 기자]시에", "별빛코리아", "홍길동"),
    ("[별빛코리아=(인천)홍길동 기자]한국", "별빛코리아", "홍길동"),
    ("[누리데일리 = 칸(프랑스) 홍길동 기자] 소녀시대", "누리데일리", "홍길동"),
    ("[GSEN=칸(프랑스), 홍길동 기자] 제71회", "GSEN", "홍길동"),
    ("[가람POP=홍길동기자] 배우", "가람POP", "홍길동"),
    ("[TV가람=홍길동 기자] 배우", "TV가람", "홍길동"),
    ("[스포츠누리=홍길동 기자] 배우", "스포츠누리", "홍길동"),
    ("[가람스포츠=홍길동 격투기 전문기자] 경기", "가람스포츠", "홍길동"),
    ("(누리넷코리아=홍길동 중국 전문기자) 샤오미", "누리넷코리아", "홍길동"),
    ("[GUSF= 글,홍길동기자 / 사진,김철수기자] 19일", "GUSF", "홍길동"),
    ("[누리뉴스 목동=홍길동 기자] 경기", "누리뉴스", "홍길동"),
    # A place, "=", the outlet and the reporter: a correspondent.
    ("[뉴욕=누리데일리 홍길동 특파원] 미국", "누리데일리", "홍길동"),
    ("[베이징= 누리데일리 홍길동 특파원] 중국", "누리데일리", "홍길동"),
    # A place, "=", the reporter: no outlet.
    ("[광명=홍길동 기자] 국민체육진흥공단", "", "홍길동"),
    ("【워싱턴=홍길동 특파원】 보수", "", "홍길동"),
    ("[도쿄 = 스포츠누리 칼럼니스트] 편의점", "", ""),
    # The outlet, then the reporter(s), no "=".
    ("[가람투데이 홍길동 기자] 정부가", "가람투데이", "홍길동"),
    ("[누리경제 홍길동 기자, 김철수 기자] 정부가", "누리경제", "홍길동"),
    ("[누리경제 김철수 홍길동 기자] 정부가", "누리경제", "홍길동"),
    ("[스포츠누리 홍길동 인턴기자] 유시민", "스포츠누리", "홍길동"),
    ("[가람닷컴 MK스포츠 홍길동 기자] 경기", "가람닷컴", "홍길동"),
    ("[누리데일리 스타in 홍길동 기자] 배우", "누리데일리", "홍길동"),
    ("[SBC funE l 홍길동 기자] 배우", "SBC", "홍길동"),
    ("[SBC funE | 홍길동 기자] 배우", "SBC", "홍길동"),
    ("[누리데일리 이슈팀 홍길동 기자] 배우", "누리데일리", "홍길동"),
    ("[스포츠누리 글·사진 홍길동 기자] 경기", "스포츠누리", "홍길동"),
    ("[가람뉴스 목동, 홍길동 기자] 경기", "가람뉴스", "홍길동"),
    ("[부산KBC 홍길동 기자] 부산", "부산KBC", "홍길동"),
    ("[한빛일보 홍길동(洪吉同) 기자] 정부가", "한빛일보", "홍길동(洪吉同)"),
    # A reporter alone, or glued to the outlet: no outlet.
    ("[홍길동 선임기자] TFC는", "", "홍길동"),
    ("[ 홍길동 기자 ] 도쿄의", "", "홍길동"),
    ("(홍길동 IT과학부 기자) 게임은", "", "홍길동"),
    ("[스포츠누리홍길동 선임기자] 경기", "", ""),
    # Not bylines: a column's name, a heading, a credit, a unit, a transcript marker.
    ("[홍길동 기자의 교과서 밖 과학] 빛은", "", ""),
    ("[뉴스읽기= 아르헨티나, 기준금리 40% '극약처방'] 아르헨티나", "", ""),
    ("[이미지출처=한빛뉴스] 영국", "", ""),
    ("(사진=한빛일보) 시민들이", "", ""),
    ("(1bp=0.01%포인트) 상승했다", "", ""),
    ("[[기자수첩] 정부", "", ""),
    ("[앵커] 북한이 어제", "", ""),
    # Bylines on a line of their own, as the seeds write them.
    ("박지성 기자 jisung@etnews.com", "", "박지성"),
    ("이소연 기자", "", "이소연"),
    ("홍길동(洪吉同) 기자", "", "홍길동(洪吉同)"),
    ("CIA Bear 허관(許灌) 2024. 5. 23. 08:34", "", "허관(許灌)"),
    ("허관(許灌) 2024. 5. 23. 오전 8:34", "", "허관(許灌)"),
    ("By Jane Doe", "", "Jane Doe"),
    # A name with Hanja in a headline is not a byline; nor is a gloss that is not a name's.
    ("시진핑(習近平) 방한 앞두고", "", ""),
    ("허관(許灌灌) 2024. 5. 23.", "", ""),
]


@pytest.mark.parametrize(("line", "outlet", "author"), BYLINES)
def test_byline_outlet_and_author(line: str, outlet: str, author: str) -> None:
    assert (bylines.outlet(line), bylines.author(line)) == (outlet, author)


def test_a_name_in_hangul_alone_takes_the_hanja_of_its_byline() -> None:
    assert bylines.with_hanja("허관", "허관(許灌)") == "허관(許灌)"
    assert bylines.with_hanja("허관", "") == "허관"
    assert bylines.with_hanja("", "허관(許灌)") == "허관(許灌)"
    # Another person's name is kept as given.
    assert bylines.with_hanja("김철수", "허관(許灌)") == "김철수"


def _seed_001(folder: Path, entry: dict[str, str] | None) -> Article:
    folder.mkdir()
    shutil.copy(CORPUS_DIR / S001, folder / S001)
    if entry is not None:
        (folder / "metadata.json").write_text(json.dumps({S001: entry}), encoding="utf-8")
    (article,) = load_file(folder / S001, folder)
    assert isinstance(article, Article)
    return article


def test_the_blog_byline_of_seed_001_gives_its_author_in_both_scripts(tmp_path: Path) -> None:
    assert _seed_001(tmp_path / "bare", None).author == "허관(許灌)"
    # metadata.json without the Hanja: the byline's fuller form wins.
    assert _seed_001(tmp_path / "hangul", {"author": "허관"}).author == "허관(許灌)"
    assert _seed_001(tmp_path / "other", {"author": "김철수"}).author == "김철수"


@pytest.mark.parametrize("query", ["許灌", "허관", "허관(許灌)"])
def test_seed_001_is_found_by_its_authors_name_in_either_script(
    corpus_index: Path, query: str
) -> None:
    result = Library(corpus_index).search(query)
    assert ([h.id for h in result.hits], result.total) == ([S001], 1)
    assert result.hits[0].author == "허관(許灌)"


def test_outlets_of_an_index_are_names_never_places_or_reporters(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    rows = [
        {"id": f"b{n}", "text": f"{line}일 발표했다.\n정부는 대책을 내놓았다."}
        for n, (line, _, _) in enumerate(BYLINES)
    ]
    (src / "bylines.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    report = index_paths(tmp_path / "index", [src])
    assert (len(report.added), report.failed) == (len(BYLINES), [])
    expected: dict[str, int] = {}
    for _, outlet, _ in BYLINES:
        expected[outlet or "(unknown)"] = expected.get(outlet or "(unknown)", 0) + 1
    assert stats(tmp_path / "index")["outlets"] == dict(
        sorted(expected.items(), key=lambda kv: -kv[1])
    )
    # A record's own outlet comes first.
    record = {"id": "x", "text": BYLINES[0][0], "outlet": "가람일보"}
    line = json.dumps(record, ensure_ascii=False).encode()
    assert parse_record(record, "x.jsonl#1", line).outlet == "가람일보"
