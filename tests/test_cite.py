"""Citations: the exact text of every format, with full and with missing metadata."""

from __future__ import annotations

import json
from datetime import date, datetime

from indexer.documents.meta import ArticleMeta
from webui import cite

ACCESSED = date(2026, 12, 1)
FULL = ArticleMeta(
    id="news/a.html",
    title="AI 서울 정상회의 {개막}",
    outlet="Yonhap 연합뉴스",
    author="김철수 기자",
    published=datetime(2024, 5, 21, 9, 30),
    url="https://example.com/a_(1)",
    lang=("ko", "en"),
)
BARE = ArticleMeta(id="uploads/memo.txt")


def test_plain_names_outlet_title_author_date_url_and_access() -> None:
    assert cite.plain(FULL, ACCESSED, "accessed") == (
        "Yonhap 연합뉴스, “AI 서울 정상회의 {개막}”, 김철수 기자, 2024-05-21. "
        "https://example.com/a_(1) (accessed 2026-12-01)"
    )


def test_plain_without_metadata_names_the_file() -> None:
    assert cite.plain(BARE, ACCESSED, "접속") == "uploads/memo.txt. (접속 2026-12-01)"


def test_markdown_links_the_title_and_escapes_the_url() -> None:
    assert cite.markdown(FULL, ACCESSED, "accessed") == (
        "Yonhap 연합뉴스, [“AI 서울 정상회의 {개막}”](https://example.com/a_%281%29), "
        "김철수 기자, 2024-05-21. (accessed 2026-12-01)"
    )


def test_markdown_escapes_title_markup() -> None:
    meta = FULL.meta(title="*AI* [summit]")
    assert cite.markdown(meta, ACCESSED, "accessed").startswith(
        "Yonhap 연합뉴스, [“\\*AI\\* \\[summit\\]”](https://example.com/a_%281%29)"
    )


def test_markdown_without_url_is_the_plain_citation() -> None:
    meta = FULL.meta(url="")
    assert cite.markdown(meta, ACCESSED, "a") == cite.plain(meta, ACCESSED, "a")


def test_bibtex_entry() -> None:
    assert cite.bibtex(FULL, ACCESSED) == (
        "@article{yonhap2024-119b9f,\n"
        "  title = {AI 서울 정상회의 \\{개막\\}},\n"
        "  author = {{김철수 기자}},\n"
        "  journal = {Yonhap 연합뉴스},\n"
        "  year = {2024},\n"
        "  date = {2024-05-21},\n"
        "  url = {https://example.com/a_(1)},\n"
        "  urldate = {2026-12-01},\n"
        "  language = {ko,en}\n"
        "}\n"
    )


def test_bibtex_escapes_tex_specials_and_keeps_braces_balanced() -> None:
    meta = BARE.meta(title="R&D 50% {예산}_#1 ~ \\", url="https://x.test/{q}")
    entry = cite.bibtex(meta, ACCESSED)
    assert entry == (
        "@article{articlend-ac8454,\n"
        "  title = {R\\&D 50\\% \\{예산\\}\\_\\#1 \\textasciitilde{} \\textbackslash{}},\n"
        "  url = {https://x.test/%7Bq%7D},\n"
        "  urldate = {2026-12-01}\n"
        "}\n"
    )
    unescaped = entry.replace("\\{", "").replace("\\}", "")
    assert unescaped.count("{") == unescaped.count("}")


def test_ris_record_uses_crlf_and_ends_with_er() -> None:
    assert cite.ris(FULL, ACCESSED) == (
        "TY  - NEWS\r\n"
        "TI  - AI 서울 정상회의 {개막}\r\n"
        "AU  - 김철수 기자\r\n"
        "T2  - Yonhap 연합뉴스\r\n"
        "PY  - 2024\r\n"
        "DA  - 2024/05/21\r\n"
        "UR  - https://example.com/a_(1)\r\n"
        "Y2  - 2026/12/01\r\n"
        "LA  - ko\r\n"
        "LA  - en\r\n"
        "ER  - \r\n"
    )


def test_ris_without_metadata() -> None:
    assert cite.ris(BARE, ACCESSED) == "TY  - NEWS\r\nY2  - 2026/12/01\r\nER  - \r\n"


def test_csl_json_item() -> None:
    assert json.loads(cite.csl_json(FULL, ACCESSED)) == [
        {
            "id": "yonhap2024-119b9f",
            "type": "article-newspaper",
            "title": "AI 서울 정상회의 {개막}",
            "container-title": "Yonhap 연합뉴스",
            "author": [{"literal": "김철수 기자"}],
            "issued": {"date-parts": [[2024, 5, 21]]},
            "URL": "https://example.com/a_(1)",
            "accessed": {"date-parts": [[2026, 12, 1]]},
            "language": "ko",
        }
    ]


def test_csl_json_keeps_hangul_readable() -> None:
    assert "김철수" in cite.csl_json(FULL, ACCESSED)


def test_every_format_gives_each_format_once() -> None:
    formats = cite.every_format(FULL, ACCESSED, "accessed")
    assert tuple(formats) == cite.FORMATS
    assert formats["ris"] == cite.ris(FULL, ACCESSED)


def test_cite_key_is_stable_and_ascii() -> None:
    assert cite.cite_key(FULL) == "yonhap2024-119b9f"
    assert cite.cite_key(FULL.meta(outlet="연합뉴스")) == "article2024-119b9f"
    assert cite.cite_key(BARE) == "articlend-ac8454"


def test_hyphenated_words_are_kept_whole_on_screen() -> None:
    html = cite.unbroken_html("허관, 2024-05-23. <b>Asia-Pacific</b> https://a.example/x")
    assert html == (
        '허관, <span class="word">2024-05-23.</span> '
        '<span class="word">&lt;b&gt;Asia-Pacific&lt;/b&gt;</span> https://a.example/x'
    )
    # A word longer than the limit (a long address) wraps as the browser likes.
    long = "https://example.com/" + "-".join(["part"] * 10)
    assert cite.unbroken_html(long) == long
    assert cite.unbroken_html("TY  - NEWS") == "TY  - NEWS"
