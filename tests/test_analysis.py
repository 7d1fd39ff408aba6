"""The analyzer: token tables, offsets into the original text, normalisation."""

from __future__ import annotations

import pickle
import unicodedata

import pytest

from indexer.config import CORPUS_DIR
from indexer.text.analysis import summit_analyzer
from indexer.text.joins import JOIN_MARK as J
from indexer.text.normalize import normalize

ANALYZER = summit_analyzer()


def terms(text: str) -> list[tuple[str, int, int]]:
    return [(t.text, t.startchar, t.endchar) for t in ANALYZER(text, chars=True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Particles and endings go; the compound and its parts stay.
        ("정상회의에서", [("정상회의", 0, 4), ("정상", 0, 2), ("회의", 2, 4)]),
        ("유네스코와", [("유네스코", 0, 4)]),
        ("논의했다", [("논의", 0, 2)]),
        # Mixed-script words split at the script boundary.
        ("AI기본법", [("ai", 0, 2), ("기본법", 2, 5), ("기본", 2, 4), ("법", 4, 5)]),
        ("오픈AI", [("오픈", 0, 2), ("ai", 2, 4)]),
        ("GPT-4o", [("gpt", 0, 3), ("4o", 4, 6)]),
        # A name from the user dictionary stays whole.
        ("앤트로픽이", [("앤트로픽", 0, 4)]),
        # A written-together compound is findable whole, by its parts, and by the runs of
        # parts inside it (정상회의 of 서울정상회의).
        (
            "서울정상회의와",
            [
                ("서울정상회의", 0, 6),
                ("서울", 0, 2),
                ("정상", 2, 4),
                ("회의", 4, 6),
                (J + "서울정상", 0, 4),
                (J + "정상회의", 2, 6),
            ],
        ),
        # Nouns written apart are also joined (a marked term), at the first one's offsets.
        ("국제 협력을", [("국제", 0, 2), (J + "국제협력", 0, 5), ("협력", 3, 5)]),
        # English: stems, possessives, stop words.
        ("observatories", [("observatori", 0, 13)]),
        ("Japan's economy", [("japan", 0, 5), ("economi", 8, 15)]),
        ("the summit of nations", [("summit", 4, 10), ("nation", 14, 21)]),
        # Numbers keep their separators out and their decimals in.
        ("1,000명이 3.5%", [("1000", 0, 5), ("3.5", 8, 11)]),
        ("2024년 5월", [("2024", 0, 4), ("5", 6, 7)]),
        # Chinese: jieba words, long words before their parts.
        (
            "北京人工智能峰会",
            [("北京", 0, 2), ("人工智能", 2, 6), ("人工", 2, 4), ("智能", 4, 6), ("峰会", 6, 8)],
        ),
        # Full-width Latin folds to ASCII with offsets into the original.
        ("ＡＩ 서울", [("ai", 0, 2), ("서울", 3, 5)]),
        ("", []),
        ("*** ... !!!", []),
    ],
)
def test_token_table(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert terms(text) == expected


def test_decomposed_hangul_matches_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "서울에서")
    assert len(decomposed) == 9
    tokens = list(ANALYZER(decomposed, chars=True))
    assert [t.text for t in tokens] == ["서울"]
    span = decomposed[tokens[0].startchar : tokens[0].endchar]
    assert span == unicodedata.normalize("NFD", "서울")


@pytest.mark.parametrize("text", ["AI 서울 정상회의", "AI 서울 정상회의에서는"])
def test_primary_flags_and_positions(text: str) -> None:
    # The analyzer splits 정상회의 differently at the end of a text and before a particle;
    # the primary terms and positions must not depend on that, or phrases would miss.
    tokens = [(t.text, t.pos, t.primary) for t in ANALYZER(text, positions=True)]
    assert tokens == [
        ("ai", 0, True),
        ("서울", 1, True),
        (J + "서울정상", 1, None),  # joins: at 서울's position, no words of their own
        (J + "서울정상회의", 1, None),
        ("정상회의", 2, True),
        ("정상", 2, False),
        ("회의", 2, False),
    ]


def test_query_mode_is_the_same_analysis_without_joins() -> None:
    text = "AI 서울 정상회의에서 앤트로픽"
    assert [t.text for t in ANALYZER(text, mode="index")] == [
        "ai", "서울", J + "서울정상", J + "서울정상회의", "정상회의", "정상", "회의", "앤트로픽",
    ]  # fmt: skip
    # Each query word stays a concept of its own: nothing joins it with the next.
    assert [t.text for t in ANALYZER(text, mode="query")] == [
        "ai", "서울", "정상회의", "정상", "회의", "앤트로픽",
    ]  # fmt: skip


def _initial(word: str) -> int:
    return (ord(word[0]) - 0xAC00) // 588


def _check_offsets(text: str) -> int:
    """Every token's span lies in the text and spells the token (or its stem's word)."""
    count = 0
    for t in ANALYZER(text, chars=True):
        span = text[t.startchar : t.endchar]
        assert 0 <= t.startchar < t.endchar <= len(text)
        assert span == span.strip()
        # A join of nouns written apart spells them without the spaces (and has its mark).
        folded = "".join(normalize(span).text.lower().split())
        term = t.text.removeprefix(J)
        if term.isascii() and term.isalpha():
            # An English stem is a prefix of its word, give or take a final y/i or e.
            assert folded[: max(1, len(term) - 1)] == term[: max(1, len(term) - 1)]
        else:
            # A Korean verb stem stands for a fused surface (갔 -> 가, 한다 -> 하): it starts
            # with the same initial consonant.
            assert folded == term or _initial(folded) == _initial(term)
        count += 1
    return count


@pytest.mark.parametrize(
    "text",
    [
        "인공지능(AI) 서울정상회의와 AI 글로벌포럼을 통해 ‘안전·혁신·포용’이라는 가치가 확립됐다.",
        "Leaders at the AI Seoul Summit agreed on 'frontier AI safety commitments'.",
        "人工智能行动峰会在巴黎举行，六十个国家签署了声明。",
        "오픈AI·구글·앤트로픽 등 16개 기업이 GPT-4o와 Claude 3.5를 소개했다.",
    ],
)
def test_offsets_point_into_the_original(text: str) -> None:
    assert _check_offsets(text) > 3


def test_offsets_on_every_seed() -> None:
    total = 0
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        total += _check_offsets(path.read_text(encoding="utf-8"))
    assert total > 3000


def test_analyzer_pickles() -> None:
    clone = pickle.loads(pickle.dumps(ANALYZER))
    assert [t.text for t in clone("AI기본법")] == ["ai", "기본법", "기본", "법"]


@pytest.mark.parametrize(
    ("text", "normalized", "span"),
    [
        ("서울", "서울", (0, 2)),
        (unicodedata.normalize("NFD", "서울"), "서울", (0, 5)),
        ("㈜삼성", "(주)삼성", (0, 1)),
        ("ﬁle", "file", (0, 1)),
    ],
)
def test_normalize_keeps_an_offset_map(text: str, normalized: str, span: tuple[int, int]) -> None:
    norm = normalize(text)
    assert norm.text == normalized
    assert norm.span(0, 2) == span


def test_a_prefix_of_the_last_text_analyzes_as_if_fresh() -> None:
    # A per-thread cache once answered any prefix of the last long text from that text's
    # analysis, so in the query "AI 정상" after an article starting "AI 정상회의가", 정상 came
    # back as a part of 정상회의 and a phrase lost the word.
    article = "AI 정상회의가 서울에서 열렸다. " * 20
    used = summit_analyzer()
    list(used(article, mode="index"))
    fresh = summit_analyzer()

    def table(analyzer: object, text: str) -> list[tuple[str, bool, int, int]]:
        tokens = analyzer(text, mode="query", chars=True)  # type: ignore[operator]
        return [(t.text, t.primary, t.startchar, t.endchar) for t in tokens]

    for prefix in ("AI 정상", "AI 정상회의가 서울", article[:250]):
        assert table(used, prefix) == table(fresh, prefix)
    assert table(used, "AI 정상") == [("ai", True, 0, 2), ("정상", True, 3, 5)]
