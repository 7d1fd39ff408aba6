"""The line classifier: article text keeps its story, saved pages lose their furniture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.documents.articles import Article, load_file
from indexer.documents.cleaning import PAGE, TEXT, is_speaker_line, line_rules, text_kind

DATA = Path(__file__).resolve().parent / "data" / "documents"
TRANSCRIPT = (DATA / "broadcast.txt").read_text(encoding="utf-8")
PAGE_LINES = (DATA / "saved_page.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")


def record(tmp_path: Path, text: str, **fields: str) -> Article:
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"id": "r", "text": text, **fields}, ensure_ascii=False) + "\n")
    (article,) = list(load_file(path, tmp_path))
    assert isinstance(article, Article)
    return article


def lines_of(text: str) -> list[str]:
    return [x.strip() for x in text.split("\n") if x.strip()]


def test_broadcast_transcript_as_article_text_keeps_every_line(tmp_path: Path) -> None:
    article = record(tmp_path, TRANSCRIPT)
    assert lines_of(article.body) == lines_of(TRANSCRIPT)


def test_broadcast_transcript_saved_as_a_page_keeps_every_line() -> None:
    (article,) = list(load_file(DATA / "broadcast.txt", DATA))
    assert isinstance(article, Article)
    # Markers, interview lines, the opening "다음 소식입니다." and the sign-off all stay.
    assert lines_of(article.body) == lines_of(TRANSCRIPT)
    assert (article.title, article.title_derived) == ("여성분들 특히 주의해서 들어보시죠.", True)


@pytest.mark.parametrize(
    "line",
    ["◀ 앵커 ▶", "[앵커]", "<기자>", "[리포트]", "◀ 인터뷰 ▶ 김모 씨/전 수감자", "[업계 관계자]"],
)
def test_speaker_markers(line: str) -> None:
    assert is_speaker_line(line)


@pytest.mark.parametrize(
    "line", ["<저작권자 © 가상일보, 무단전재 및 재배포 금지>", "(사진=연합뉴스)", "관련 기사"]
)
def test_not_speaker_markers(line: str) -> None:
    assert not is_speaker_line(line)


def test_interview_lines_are_story(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "[앵커]",
            "오늘 서울의 한 시장에 사람들이 몰렸습니다.",
            "[기자]",
            "아침부터 줄이 길게 늘어섰습니다.",
            "[인터뷰] 홍길동/서울 목동",
            "이런 일은 처음 봐요.",
            "[홍길동 / 서울 목동 : 정말 깜짝 놀랐어요.]",
            "YTN 이준범입니다.",
        ]
    )
    expected = lines_of(text)
    assert lines_of(record(tmp_path, text).body) == expected
    page = tmp_path / "interview.txt"
    page.write_text(text, encoding="utf-8")
    (article,) = list(load_file(page, tmp_path))
    assert isinstance(article, Article)
    assert lines_of(article.body) == expected


def test_short_paragraph_story_keeps_its_short_lines(tmp_path: Path) -> None:
    text = (
        "The Producers has beaten Mary Poppins at the Olivier Awards\n"
        "The Producers won three prizes at the UK's most prestigious theatre awards.\n"
        "Winners:\n"
        " - Best actor - Richard Griffiths for The History Boys\n"
        " - Best new musical - The Producers\n"
        "▽추천 방식\n"
        "대한변호사협회가 4인을 추천한다\n"
        "78,000\n"
        "Lessons on music piracy and copyright issues are to be taught in schools."
    )
    assert lines_of(record(tmp_path, text).body) == lines_of(text)


SAVED_PAGE_RULES = [
    "navigation",
    "outside the story",  # the section menu, before the story
    "repeated",  # the headline, printed twice
    "repeated",
    "date line",
    "byline",
    "share row",
    None,
    "caption (photo credit)",
    None,  # a subhead inside the story
    None,
    None,
    "email",
    "copyright",
    "share row",  # reaction buttons
    "list block",  # "most read"
    "list block",
    "list block",
    "list block",  # "related"
    "list block",
]


def test_saved_page_loses_each_kind_of_furniture() -> None:
    assert text_kind(PAGE_LINES) == PAGE
    assert line_rules(PAGE_LINES, "", PAGE) == SAVED_PAGE_RULES
    (article,) = list(load_file(DATA / "saved_page.txt", DATA))
    assert isinstance(article, Article)
    assert article.body.split("\n") == [PAGE_LINES[i] for i in (7, 9, 10, 11)]
    assert (article.title, article.author) == ("AI 안전연구소 네트워크 공식 출범", "홍길동")
    for furniture in ("정치 | 경제", "페이스북", "기념촬영", "무단전재", "화나요", "캥거루사이드"):
        assert furniture in article.raw and furniture not in article.body


def test_a_saved_page_in_a_record_is_cleaned_as_a_page(tmp_path: Path) -> None:
    article = record(tmp_path, "\n".join(PAGE_LINES), title="AI 안전연구소 네트워크 공식 출범")
    assert article.body.split("\n") == [PAGE_LINES[i] for i in (7, 9, 10, 11)]


@pytest.mark.parametrize(
    ("lines", "kind"),
    [
        (lines_of(TRANSCRIPT), TEXT),
        (["기사 본문이다.", "좋아요 0 슬퍼요 0", "기사 끝이다."], TEXT),  # one kind of furniture
        (
            ["본문 바로가기", "기사 본문이다.", "<저작권자 © 가상일보, 무단전재 및 재배포 금지>"],
            TEXT,
        ),
        (["본문 바로가기", "좋아요 0", "기사 본문이다.", "ⓒ 가상일보"], PAGE),
    ],
)
def test_text_kind(lines: list[str], kind: str) -> None:
    assert text_kind(lines) == kind


def test_article_text_drops_only_lines_with_evidence() -> None:
    lines = [
        "정부가 23일 인공지능 안전 대책을 발표했다.",
        "홍길동 기자 gildong@example.co.kr",
        "(사진=연합뉴스)",
        "◇ 무엇이 달라지나",
        "다음 달부터 새 규정이 시행된다",
        "→ 기사 바로가기 : http://example.com/1",
    ]
    assert line_rules(lines, "", TEXT) == [
        None,
        "byline",
        "caption (photo credit)",
        None,
        None,
        "navigation",
    ]
