"""documents.articles: discovery, decoding, body extraction, metadata, JSONL, ids and hashes."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from indexer.documents import articles as documents
from indexer.documents.articles import Article, Rejected, load_file
from indexer.documents.cleaning import clean_lines
from indexer.documents.extract import parse_html, visible_lines
from indexer.documents.metadata import derive_title, detect_lang, parse_date
from indexer.ingest.discover import discover, iter_documents

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data" / "documents"


def only(items: list[Article | Rejected]) -> Article:
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def load(path: Path, root: Path | None = None) -> list[Article | Rejected]:
    return list(load_file(path, root or path.parent))


def corpus_lines(name: str, numbers: list[int]) -> str:
    lines = (CORPUS / name).read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[n - 1].strip() for n in numbers)


# --- the bundled seeds -----------------------------------------------------------------------

SEEDS = {
    # id: (line numbers kept as body, title, outlet, author, published, lang, summit)
    "000_c757f4b4d642b6d7.txt": (
        list(range(1, 14)),
        "인공지능(AI) 서울정상회의와 AI 글로벌포럼을 통해 ‘안전·혁신·포용’이라는 3대 가치가 "
        "AI의 글로벌 규범으로 확립됐다.",
        "전자신문",
        "박지성",
        None,
        ("ko",),
        ("Seoul 2024",),
    ),
    "001_7ad3c6ee62ab7cbe.txt": (
        [17, 19, 21, 25, 27, 29, 43, 45, 47, 49, 51, 53],
        "한국, 글로벌 AI 협력 주도…AI 서울 정상회의 성공 개최",
        "Asia-Pacific Region Intelligence Center",
        "허관(許灌)",
        datetime(2024, 5, 23, 8, 34),
        ("ko",),
        ("Seoul 2024",),
    ),
    "002_4eef7aca86074d55.txt": (
        [8, 10, 12, 14, 16, 18, 22, 24, 26, 28, 32, 34, 36, 38],
        "유네스코 협약·발전 방안 논의…AI 정상회의에 기업도 ‘분주’",
        "쿠키뉴스",
        "이소연",
        datetime(2024, 5, 23, 14, 41, 12),
        ("ko",),
        ("Seoul 2024",),
    ),
    "003_d2343a382aed7d1a.txt": (
        list(range(4, 48)),
        "[과기정통부] 인공지능 행동 정상회의, 공공성과 지속가능성 논의",
        "대한민국 정책브리핑",
        "과학기술정보통신부",
        None,
        ("ko", "en"),
        ("Paris 2025",),
    ),
    "004_5cdf526b4304e4e8.txt": (
        [10, 12, 14, 16, 18, 20, 25, 27],
        "“책임감 있는 AI 사용” 오픈AI·구글·네카오 등 ‘서울 기업서약’ 발표",
        "조선비즈",
        "",
        None,
        ("ko",),
        ("Seoul 2024",),
    ),
}


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    items = list(iter_documents([CORPUS]))
    assert all(isinstance(a, Article) for a in items), items
    return {a.id: a for a in items}  # type: ignore[union-attr]


def test_corpus_yields_the_five_seeds_only(seeds: dict[str, Article]) -> None:
    assert sorted(seeds) == sorted(SEEDS)  # metadata.json and aliases.txt are not articles


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_body_is_exactly_the_article_lines(seeds: dict[str, Article], name: str) -> None:
    numbers = SEEDS[name][0]
    assert seeds[name].body == corpus_lines(name, numbers)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_metadata(seeds: dict[str, Article], name: str) -> None:
    _, title, outlet, author, published, lang, summit = SEEDS[name]
    article = seeds[name]
    got = (article.title, article.outlet, article.author, article.published)
    assert got == (title, outlet, author, published)
    assert (article.lang, article.summit, article.url) == (lang, summit, "")
    assert article.source == name


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("000_c757f4b4d642b6d7.txt", 1, 13),
        ("001_7ad3c6ee62ab7cbe.txt", 17, 53),
        ("002_4eef7aca86074d55.txt", 8, 38),
        ("003_d2343a382aed7d1a.txt", 4, 47),
        ("004_5cdf526b4304e4e8.txt", 10, 27),
    ],
)
def test_seed_first_and_last_paragraph(
    seeds: dict[str, Article], name: str, first: int, last: int
) -> None:
    paragraphs = seeds[name].body.split("\n")
    assert (paragraphs[0], paragraphs[-1]) == (
        corpus_lines(name, [first]),
        corpus_lines(name, [last]),
    )


@pytest.mark.parametrize(
    ("name", "sidebar_only"),
    [
        ("000_c757f4b4d642b6d7.txt", "jisung@etnews.com"),  # byline
        ("001_7ad3c6ee62ab7cbe.txt", "Intelligence"),  # blog name
        ("001_7ad3c6ee62ab7cbe.txt", "앤드류 응 AI펀드"),  # photo caption
        ("002_4eef7aca86074d55.txt", "오피니언"),  # section menu
        ("002_4eef7aca86074d55.txt", "화나요"),  # reaction buttons
        ("003_d2343a382aed7d1a.txt", "정책브리핑"),  # source line
        ("004_5cdf526b4304e4e8.txt", "타스만"),  # "recommended" list
        ("004_5cdf526b4304e4e8.txt", "오타니"),  # "read together" list
        ("004_5cdf526b4304e4e8.txt", "기념촬영"),  # photo caption
    ],
)
def test_sidebar_words_are_in_raw_not_body(
    seeds: dict[str, Article], name: str, sidebar_only: str
) -> None:
    assert sidebar_only in seeds[name].raw
    assert sidebar_only not in seeds[name].body


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_body_is_verbatim_lines_of_raw(seeds: dict[str, Article], name: str) -> None:
    raw_lines = [line.strip() for line in seeds[name].raw.split("\n")]
    assert all(p in raw_lines for p in seeds[name].body.split("\n"))
    assert seeds[name].raw == (CORPUS / name).read_text(encoding="utf-8")


def test_seed_hash_is_sha256_of_file_bytes(seeds: dict[str, Article]) -> None:
    name = "002_4eef7aca86074d55.txt"
    expected = hashlib.sha256((CORPUS / name).read_bytes()).hexdigest()
    assert seeds[name].content_hash == expected


def test_same_file_gets_same_id_from_dir_file_or_twice() -> None:
    path = CORPUS / "004_5cdf526b4304e4e8.txt"
    via_dir = next(a for a in iter_documents([CORPUS]) if a.source == path.name)
    via_file = only(load(path))
    again = only(load(path))
    assert via_dir == via_file == again
    assert via_file.id == "004_5cdf526b4304e4e8.txt"


# --- discovery ----------------------------------------------------------------------------------


def test_discover_sorted_posix_ids_skips_sidecars_and_survives_loops(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for rel in ["b/2.txt", "a/deep/x.html", "a/1.htm", "z.jsonl", ".hidden/h.txt", "a/n.pdf"]:
        (tmp_path / rel).write_text("x", encoding="utf-8")
    (tmp_path / "metadata.json").write_text("{}", encoding="utf-8")
    (tmp_path / "aliases.txt").write_text("AI = 인공지능", encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "a" / "loop")  # a symlink back up the tree
    found = [(f.relative_to(root).as_posix(), root) for f, root in discover([tmp_path])]
    assert [rel for rel, _ in found] == ["a/1.htm", "a/deep/x.html", "b/2.txt", "z.jsonl"]
    assert {root for _, root in found} == {tmp_path}


def test_discover_files_dedupes_and_ignores_missing(tmp_path: Path) -> None:
    file = tmp_path / "one.txt"
    file.write_text("x", encoding="utf-8")
    got = list(discover([file, tmp_path, file, tmp_path / "missing"]))
    assert got == [(file, tmp_path)]


def test_discover_survives_unreadable_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "in.txt").write_text("x", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("x", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert [f.name for f, _ in discover([tmp_path])] == ["ok.txt"]


def test_missing_file_is_rejected_not_raised(tmp_path: Path) -> None:
    assert load(tmp_path / "gone.txt") == [
        Rejected("gone.txt", "cannot read: No such file or directory")
    ]


def test_visible_lines_skip_scripts_comments_and_hidden() -> None:
    page = (
        "<html><head><title>t</title><script>var x = 1;</script></head><body>"
        "<p>a<!-- note -->b <span style='display: none'>h</span>c<br>d</p>"
        "<ul><li>x</li><li>y</li></ul><p hidden>q</p>z</body></html>"
    )
    root = parse_html(page)
    assert root is not None
    assert visible_lines(root) == ["ab c", "d", "x", "y", "z"]


# --- decoding -----------------------------------------------------------------------------------

KOREAN = (
    "인공지능 서울 정상회의가 21일 개막했다. 각국 정상들은 안전과 혁신, 포용을 논의하며 "
    "서울 선언을 채택했다."
)


@pytest.mark.parametrize(
    "encoded",
    [
        KOREAN.encode("utf-8"),
        b"\xef\xbb\xbf" + KOREAN.encode("utf-8"),
        b"\xff\xfe" + KOREAN.encode("utf-16-le"),
        b"\xfe\xff" + KOREAN.encode("utf-16-be"),
        KOREAN.encode("cp949"),
        KOREAN.encode("euc-kr"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "cp949", "euc-kr"],
)
def test_encodings_decode_to_the_same_text(tmp_path: Path, encoded: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(encoded)
    article = only(load(path))
    assert (article.body, article.raw) == (KOREAN, KOREAN)
    assert article.content_hash == hashlib.sha256(encoded).hexdigest()


def test_cp949_only_characters(tmp_path: Path) -> None:
    text = "똠방각하 샾 뷁 같은 확장 완성형 글자도 CP949로 저장된 기사에서 그대로 읽혀야 한다."
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("cp949"))
    assert only(load(path)).body == text


def test_html_meta_charset_is_respected(tmp_path: Path) -> None:
    # GBK bytes also decode "strictly" as CP949 (to nonsense); the declaration must win.
    zh = "人工智能峰会在巴黎举行，各国领导人讨论了人工智能的治理问题和未来的合作方向。"
    page = f'<html><head><meta charset="gbk"><title>峰会</title></head><body><p>{zh}</p></body>'
    path = tmp_path / "zh.html"
    path.write_bytes(page.encode("gbk"))
    article = only(load(path))
    assert (article.body, article.title, article.lang) == (zh, "峰会", ("zh",))


def test_undeclared_gbk_text_is_not_taken_for_korean(tmp_path: Path) -> None:
    zh = "人工智能峰会在巴黎举行，各国领导人讨论了人工智能的治理问题和未来的合作方向。"
    path = tmp_path / "zh.txt"
    path.write_bytes(zh.encode("gbk"))
    assert only(load(path)).body == zh


NOISE = bytes((i * 7919 + 13) % 255 + 1 for i in range(4096))  # no NULs, no encoding fits


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"PK\x03\x04\x00\x00binary", "binary file: contains NUL bytes"),
        (NOISE, "cannot decode: not UTF-8, UTF-16 or CP949"),
        (b"\xff\xfe\x00\xd8", "cannot decode: invalid utf-16-le after its BOM"),
        (
            "댓글0\n공유하기\n홍길동 기자\n".encode(),
            "no article text: every line looks like page furniture",
        ),
    ],
)
def test_bad_files_are_rejected_with_one_line_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "sub" / "bad.txt"
    path.parent.mkdir()
    path.write_bytes(content)
    assert load(path, tmp_path) == [Rejected("sub/bad.txt", reason)]


def test_oversized_file_is_rejected_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert documents.MAX_BYTES == 20 * 1024 * 1024
    monkeypatch.setattr(documents, "MAX_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_text("x" * 11, encoding="utf-8")
    assert load(path) == [Rejected("big.txt", "too large: 11 bytes (limit 10)")]


def test_line_endings_and_entities_are_normalised(tmp_path: Path) -> None:
    text = (
        "정부는 R&D 예산을 늘리고 &lt;AI 기본법&gt;을 시행한다고 밝혔다.\r\n"
        "둘째 문단도 충분히 길게 써서 기사 본문으로 읽히도록 했다.\r"
    )
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("utf-8"))
    article = only(load(path))
    assert article.body == (
        "정부는 R&D 예산을 늘리고 <AI 기본법>을 시행한다고 밝혔다.\n"
        "둘째 문단도 충분히 길게 써서 기사 본문으로 읽히도록 했다."
    )
    assert "\r" not in article.raw


# --- HTML ---------------------------------------------------------------------------------------


def test_html_page_body_and_metadata() -> None:
    article = only(load(DATA / "news_page.html"))
    assert article.body == (
        "프랑스 파리에서 열린 인공지능(AI) 행동 정상회의가 11일(현지시간) 공동선언을 채택하고 "
        "이틀간의 일정을 마쳤다.\n"
        "선언문에는 60개국이 서명했으며, 공익을 위한 AI 플랫폼과 에너지 관측소 설립 계획이 "
        "담겼다. R&D 투자 확대도 포함됐다.\n"
        "차기 정상회의는 인도에서 열릴 예정이다. 정부는 “서울에서 시작된 논의를 이어가겠다”고 "
        "밝혔다."
    )
    assert (article.title, article.outlet, article.author) == (
        "파리 AI 행동 정상회의 폐막…공동선언 채택",
        "가상일보",
        "김하늘",
    )
    assert article.published == datetime(2025, 2, 11, 19, 30)
    assert article.url == "https://news.example.com/article/2025021101"
    assert article.lang == ("ko",)
    for furniture in ("캥거루", "개회사를", "무단전재", "링크복사", "광고문의"):
        assert furniture in article.raw and furniture not in article.body
    assert "사이드바전용단어" not in article.raw  # scripts are not visible text


def test_html_tab_title_gives_headline_and_outlet(tmp_path: Path) -> None:
    page = (
        "<html><head><title>AI 정상회의 폐막 - 가상일보</title></head><body>"
        f"<p>{KOREAN}</p></body></html>"
    )
    (tmp_path / "p.htm").write_text(page, encoding="utf-8")
    article = only(load(tmp_path / "p.htm"))
    assert (article.title, article.outlet, article.body) == ("AI 정상회의 폐막", "가상일보", KOREAN)


def test_html_meta_fields_beat_metadata_json_and_summit_comes_from_it(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes((DATA / "news_page.html").read_bytes())
    (tmp_path / "metadata.json").write_text(
        json.dumps({"p.html": {"title": "다른 제목", "outlet": "X", "summit": ["Paris 2025"]}}),
        encoding="utf-8",
    )
    article = only(load(page))
    assert (article.title, article.outlet, article.summit) == (
        "파리 AI 행동 정상회의 폐막…공동선언 채택",
        "가상일보",
        ("Paris 2025",),
    )


# --- plain text cleaning ------------------------------------------------------------------------


def test_english_page_keeps_story_drops_menus_credits_lists() -> None:
    article = only(load(DATA / "english_news.txt"))
    lines = (DATA / "english_news.txt").read_text(encoding="utf-8").split("\n")
    assert article.body == "\n".join(lines[8:13])
    assert (article.title, article.author, article.published, article.lang) == (
        "Leaders sign Seoul declaration on AI safety",
        "Jane Doe",
        datetime(2024, 5, 21, 22, 15),
        ("en",),
    )
    for furniture in ("Kangaroo", "REUTERS", "Editing by", "Subscribe", "rights reserved"):
        assert furniture in article.raw and furniture not in article.body


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("홍길동 기자 gildong@example.co.kr", False),
        ("[서울=뉴스1] 홍길동 기자", False),
        ("gildong@example.co.kr", False),
        ("<저작권자 © 가상일보, 무단전재 및 재배포 금지>", False),
        ("페이스북 트위터 카카오톡 링크복사 인쇄 글자크기", False),
        ("입력 2024.05.23 08:34 수정 2024.05.23 09:10", False),
        ("22일 서울에서 열린 포럼에서 참석자들이 기념촬영을 하고 있다. /연합뉴스", False),
        ("22일 서울에서 열린 포럼에서 참석자들이 기념촬영을 하고 있다. 사진=연합뉴스", False),
        ("22일 서울에서 열린 포럼에서 한덕수 국무총리가 기념촬영을 하고 있다", False),
        ("◇AI 안전연구소 네트워크 출범", True),
    ],
)
def test_line_classifier_general_patterns(line: str, kept: bool) -> None:
    prose = (
        "정부는 이날 회의에서 인공지능 안전 연구소 간 국제 협력 네트워크를 출범시키기로 합의했다."
    )
    lines = [prose, line, prose.replace("합의했다", "발표했다")]
    assert (1 in clean_lines(lines)) is kept


@pytest.mark.parametrize(
    ("last", "kept"),
    [
        # A feed that cuts its text mid-sentence: the last paragraph is still the story.
        (
            "The rapper is due in court on 20 December. He denies the charge. During the "
            "scuffle, which involved many of the 1,000-strong crowd, Mr Johnson was stabbed "
            "as he was being dragged away by security staff,",
            True,
        ),
        (
            "정부는 이날 국제 협력 방안을 논의했다. 회의에는 10개국이 참석했다. 참석자들은 "
            "다음 회의를 서울에서 열기로 하고 세부 일정은 추후 정하기로 했으며 이와 함께 "
            "연구소 간 인력 교류와 공동 연구 과제를 확대하는 방안도 함께 검토하기로 하고 "
            "각국 정부와 기업, 학계가 참여하는 실무 협의체를 구성해 분기별로",
            True,
        ),
        ("많이 본 뉴스 · 정치 · 경제 · 사회 · 국제 · 문화 · 연예 · 스포츠 · 오피니언", False),
        ("Share this article. Copy link. Follow us on social media for more news", False),
    ],
)
def test_a_cut_short_last_paragraph_is_kept(last: str, kept: bool) -> None:
    prose = "The ceremony will be held again next year, the magazine's president said."
    assert (2 in clean_lines([prose, prose.replace("said", "told"), last])) is kept


# --- JSONL --------------------------------------------------------------------------------------


def write_jsonl(path: Path, rows: list[object]) -> list[bytes]:
    encoded = [
        r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode() for r in rows
    ]
    path.write_bytes(b"\n".join(encoded) + b"\n")
    return encoded


def test_jsonl_articles_rejects_and_duplicates(tmp_path: Path) -> None:
    text = "AI 서울 정상회의가 열렸다. 정상들은 서울 선언을 채택했다.\n두 번째 문단이다."
    rows: list[object] = [
        {"id": "a1", "text": "첫 버전의 기사 본문이다. 나중 줄이 이것을 대체한다."},
        {"text": text, "url": "https://example.com/x", "published": "2024-05-21T20:00:00+09:00"},
        b'{"id": "broken", "text": ',
        {"id": "a1", "title": "제목", "text": "Leaders met in Seoul.", "lang": ["en"]},
        ["not", "an", "object"],
        {"id": 7, "text": "  "},
    ]
    lines = write_jsonl(tmp_path / "feed.jsonl", rows)
    items = load(tmp_path / "feed.jsonl")
    assert [i for i in items if isinstance(i, Rejected)] == [
        Rejected("feed.jsonl#1", "duplicate id 'a1': replaced by line 4"),
        Rejected("feed.jsonl#3", "invalid JSON: Expecting value at column 26"),
        Rejected("feed.jsonl#5", "expected a JSON object, got list"),
        Rejected("feed.jsonl#6", "missing or empty 'text'"),
    ]
    second, fourth = [i for i in items if isinstance(i, Article)]
    assert (second.id, second.title, second.body) == (
        "feed.jsonl#2",
        "AI 서울 정상회의가 열렸다.",
        "AI 서울 정상회의가 열렸다. 정상들은 서울 선언을 채택했다.\n두 번째 문단이다.",
    )
    assert (second.url, second.published, second.lang) == (
        "https://example.com/x",
        datetime(2024, 5, 21, 20, 0),
        ("ko",),
    )
    assert second.content_hash == hashlib.sha256(lines[1]).hexdigest()
    assert (fourth.id, fourth.title, fourth.lang, fourth.source) == (
        "a1",
        "제목",
        ("en",),
        "feed.jsonl",
    )


def test_jsonl_long_first_line_title_is_trimmed(tmp_path: Path) -> None:
    words = " ".join(["summit"] * 40)
    write_jsonl(tmp_path / "f.jsonl", [{"id": "x", "text": words}])
    article = only(load(tmp_path / "f.jsonl"))
    assert article.title == " ".join(["summit"] * 14) + "…"
    assert article.title_derived


def test_jsonl_declared_title_is_not_derived(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "f.jsonl", [{"id": "x", "title": "AI 정상회의", "text": "본문이다."}])
    article = only(load(tmp_path / "f.jsonl"))
    assert (article.title, article.title_derived) == ("AI 정상회의", False)


def test_jsonl_line_over_cap_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "MAX_BYTES", 60)
    write_jsonl(tmp_path / "f.jsonl", [{"id": "big", "text": "x" * 100}, {"id": "ok", "text": "y"}])
    items = load(tmp_path / "f.jsonl")
    assert items[0] == Rejected("f.jsonl#1", "line too large (limit 60 bytes)")
    assert only(items[1:]).id == "ok"


def test_bad_metadata_json_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "metadata.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "a.txt").write_text(KOREAN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(KOREAN, encoding="utf-8")
    items = list(iter_documents([tmp_path]))
    assert [type(i).__name__ for i in items] == ["Rejected", "Article", "Article"]
    assert items[0].source == "metadata.json"
    assert items[0].reason.startswith("bad metadata.json: Expecting property name")


def test_metadata_json_beats_text_guesses(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        f"정상회의 개막 소식 전해드립니다\n홍길동 기자\n{KOREAN}", encoding="utf-8"
    )
    (tmp_path / "metadata.json").write_text(
        json.dumps({"a.txt": {"title": "확정 제목", "published": "2024-05-22"}}), encoding="utf-8"
    )
    article = only(load(tmp_path / "a.txt"))
    assert (article.title, article.author, article.published) == (
        "확정 제목",
        "홍길동",
        datetime(2024, 5, 22),
    )


# --- metadata helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("기사승인 2024-05-23 14:41:12", datetime(2024, 5, 23, 14, 41, 12)),
        ("CIA Bear 허관(許灌) 2024. 5. 23. 08:34", datetime(2024, 5, 23, 8, 34)),
        ("입력 2024.05.23 오후 2:05", datetime(2024, 5, 23, 14, 5)),
        ("2024년 5월 22일 오전 12시 30분", datetime(2024, 5, 22, 0, 30)),
        ("2025-02-11T19:30:00+01:00", datetime(2025, 2, 11, 19, 30)),
        ("2024-05-21T11:00:00Z", datetime(2024, 5, 21, 11, 0)),
        ("Published May 21, 2024 10:15 PM", datetime(2024, 5, 21, 22, 15)),
        ("Updated 21 May 2024", datetime(2024, 5, 21)),
        ("2024-13-45", None),
        ("no date here", None),
    ],
)
def test_parse_date(text: str, expected: datetime | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AI 서울 정상회의에서 OECD와 UN 대표가 발언했다", ("ko",)),
        ("Leaders met in Seoul to discuss AI safety", ("en",)),
        ("人工智能峰会在巴黎举行", ("zh",)),
        ("허관(許灌) 기자가 썼다", ("ko",)),
        ("서울 선언 채택 Seoul Declaration adopted by leaders today", ("en", "ko")),
        ("2024 12:30", ()),
    ],
)
def test_detect_lang(text: str, expected: tuple[str, ...]) -> None:
    assert detect_lang(text) == expected


def test_derive_title_first_sentence() -> None:
    assert (
        derive_title("\n첫 문장은 제목이 된다. 둘째 문장은 아니다.\n다음 줄")
        == "첫 문장은 제목이 된다."
    )
