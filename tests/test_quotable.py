"""Which lines of an article are statements, and so get quote tools in the article view."""

from __future__ import annotations

import pytest

from indexer.search.snippets import quotable_line


@pytest.mark.parametrize(
    ("line", "quotable"),
    [
        ("정부는 서울에서 회의를 열었다.", True),
        ("정부는 'AI 글로벌 포럼'을 개최했다.〈관련기사 4면〉", True),
        ("“AI 안전을 확보해야 한다.”", True),
        ("Is it safe?", True),
        # Someone's words in double quotes, as headlines and subheads report speech.
        ("'AI 정상회의' 선언 채택, “AI 개발 기업에 특별 책임”", True),
        ('김택진 대표 "리니지M으로 새로운 항해 시작할 것"', True),
        ("트럼프 “똑똑하고 정중한 몸짓” [종합]", True),
        ("“이제 꽃길”", True),
        # A list's items.
        ("· 인공지능 접근성 증진", True),
        ("1) 안전 연구소 설립", True),
        # Subheads, captions and headings.
        ("◇’안전·혁신·포용’ 담은 서울 의향서 채택", False),
        ("한국, 글로벌 AI 협력 주도…AI 서울 정상회의 성공 개최", False),
        # Single quotes mark a name or an emphasis, not speech.
        ("감찰서 자백 강요받은 여경 '극단적 선택'", False),
        ("●3. 서로에 대한 평전, ‘진짜 연애’", False),
        # One quoted word is a term, not a statement.
        ('이른바 "딥페이크"', False),
        ("To deliver on these priorities:", False),
    ],
)
def test_statements_are_quotable(line: str, quotable: bool) -> None:
    assert quotable_line(line) is quotable
