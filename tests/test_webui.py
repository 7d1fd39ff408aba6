"""webui public side: search page, article view, help, language, API, OpenSearch, headers."""

from __future__ import annotations

import html
import re
import socket
from datetime import date
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
from conftest import SCRIPT, SCRIPT_QUERY, make_app
from flask.testing import FlaskClient

from indexer.search.library import Library
from webui import create_app

S000 = "000_c757f4b4d642b6d7.txt"
S001 = "001_7ad3c6ee62ab7cbe.txt"
S002 = "002_4eef7aca86074d55.txt"
S003 = "003_d2343a382aed7d1a.txt"
S004 = "004_5cdf526b4304e4e8.txt"
FIXTURE = "fixtures/script.jsonl"
TITLES = {
    S000: "인공지능(AI) 서울정상회의와 AI 글로벌포럼을 통해 ‘안전·혁신·포용’이라는 3대 가치가 "
    "AI의 글로벌 규범으로 확립됐다.",
    S001: "한국, 글로벌 AI 협력 주도…AI 서울 정상회의 성공 개최",
    S002: "유네스코 협약·발전 방안 논의…AI 정상회의에 기업도 ‘분주’",
    S003: "[과기정통부] 인공지능 행동 정상회의, 공공성과 지속가능성 논의",
    S004: "“책임감 있는 AI 사용” 오픈AI·구글·네카오 등 ‘서울 기업서약’ 발표",
}
KO = {"Accept-Language": "ko-KR,ko;q=0.9"}
EN = {"Accept-Language": "en-US,en;q=0.9"}


def hit_ids(page: str) -> list[str]:
    return [html.unescape(i) for i in re.findall(r'<li class="hit" data-id="([^"]+)"', page)]


def get(client: FlaskClient, url: str, **kwargs: object) -> tuple[int, str]:
    response = client.get(url, **kwargs)
    return response.status_code, response.get_data(as_text=True)


# --- search page -----------------------------------------------------------------------------

SEARCHES = [
    ("/?q=기본법", [S003]),
    ("/?q=정상회의", [S001, S002, S003, S000]),
    # Strict matches, then (a match set smaller than a page) 004, which has the words apart.
    ('/?q="서울 정상회의"', [S001, S002, S003, S000, S004]),
    ("/?q=유네스코 -기업", []),  # both articles that name UNESCO also say 기업
    ("/?q=유네스코 -MOOC", [S003]),
    ("/?q=정상회의 outlet:쿠키뉴스", [S002]),
    ("/?q=published:2024-05", [S001, S002]),
    # 000 has no title of its own: the one shown is its first sentence, which is not indexed.
    ("/?q=title:정상회의", [S001, S002, S003]),
    (f"/?q={SCRIPT_QUERY}", [FIXTURE]),
    ("/?q=AI", [S003, S001, S004, S002, S000]),
    ("/?q=AI&noalias=AI", [S001, S004, S002, S003, S000]),
    ("/?q=AI&outlet=쿠키뉴스", [S002]),
    ("/?q=AI&outlet=쿠키뉴스&outlet=조선비즈", [S004, S002]),
    ("/?q=AI&lang=en", [S003]),
    ("/?q=AI&summit=Paris+2025", [S003]),
    ("/?q=AI&from=2024-05-23&to=2024-05-23", [S001, S002]),
    ("/?q=AI&sort=oldest", [S001, S002, S000, S003, S004]),
    ("/?q=ㅁㄴㅇ", []),
]


@pytest.mark.parametrize(("url", "expected"), SEARCHES)
def test_search_ranks_exact_ids(client: FlaskClient, url: str, expected: list[str]) -> None:
    status, page = get(client, url)
    assert status == 200
    assert hit_ids(page) == expected


@pytest.mark.parametrize(
    ("headers", "summary", "relaxed"),
    [
        (KO, r"단어 3개가 모두 들어간 기사 4건 · \d+ms", "일부 단어만 들어간 기사 1건 더"),
        (EN, r"4 articles contain all 3 words · \d+ ms", "1 more with only some of the words"),
    ],
)
def test_strict_and_relaxed_counts(
    client: FlaskClient, headers: dict, summary: str, relaxed: str
) -> None:
    page = get(client, "/?q=AI 안전 서약", headers=headers)[1]
    assert re.search(f'<p class="summary" id="summary">{summary}</p>', page)
    assert f"{relaxed} ·" in page
    assert hit_ids(page) == [S004, S001, S002, S000, S003]
    assert page.count('data-relaxed="1"') == 1
    assert 'href="/?q=AI+%EC%95%88%EC%A0%84+%EC%84%9C%EC%95%BD&amp;match=any"' in page
    every = get(client, "/?q=AI 안전 서약&match=any", headers=headers)[1]
    assert "data-relaxed" not in every and len(hit_ids(every)) == 5


@pytest.mark.parametrize(
    ("url", "ko", "en"),
    [
        ("/?q=the of", "아주 흔한 영어 단어", "only very common words"),
        ("/?q=***", "검색할 수 있는 말이 없습니다", "Nothing in the query can be searched"),
        ("/?q=AI published:yesterday", "날짜가 아닙니다", "is not a date"),
        (
            '/?q="서울 정상회의 유네스코"',
            "구절이 그대로 들어간 기사는 없습니다",
            "exactly; below are",
        ),
    ],
)
def test_notices_in_the_interface_language(client: FlaskClient, url: str, ko: str, en: str) -> None:
    assert ko in get(client, url, headers=KO)[1]
    assert en in get(client, url, headers=EN)[1]


def test_search_page_shows_highlights_total_and_metadata(client: FlaskClient) -> None:
    status, page = get(client, "/?q=기본법", headers=KO)
    assert status == 200
    assert re.search(r'<p class="summary" id="summary">기사 1건 · \d+ms</p>', page)
    assert '<mark data-c="0">기본법</mark>' in page
    assert f'href="/articles/{S003}?q=%EA%B8%B0%EB%B3%B8%EB%B2%95"' in page
    assert '<span class="outlet">대한민국 정책브리핑</span>' in page
    assert '<span class="langs">한국어, 영어</span>' in page
    assert '<label for="q">기사 검색</label>' in page


def test_front_page_without_query_offers_examples(client: FlaskClient) -> None:
    status, page = get(client, "/")
    assert status == 200
    assert hit_ids(page) == []
    assert 'href="/?q=%EA%B8%B0%EB%B3%B8%EB%B2%95">기본법</a>' in page


def facet_counts(page: str, name: str) -> list[tuple[str, int, bool]]:
    pattern = (
        rf'<a href="[^"]*"\s+class="facet-value( on)?"[^>]*data-facet="{name}" '
        r'data-value="([^"]*)">.*?<span class="count">(\d+)</span>'
    )
    return [(html.unescape(v), int(c), bool(on)) for on, v, c in re.findall(pattern, page, re.S)]


def test_facets_have_counts_and_toggle_links(client: FlaskClient) -> None:
    _, page = get(client, "/?q=AI")
    assert facet_counts(page, "lang") == [("ko", 5, False), ("en", 1, False)]
    assert facet_counts(page, "summit") == [("Seoul 2024", 4, False), ("Paris 2025", 1, False)]
    assert [c for _, c, _ in facet_counts(page, "outlet")] == [1, 1, 1, 1, 1]
    assert 'href="/?q=AI&amp;summit=Paris+2025"' in page
    _, page = get(client, "/?q=AI&summit=Paris+2025")
    assert facet_counts(page, "summit") == [("Paris 2025", 1, True)]
    # The chosen filter's link removes it again; the search box keeps it as a hidden field.
    assert 'href="/?q=AI" class="facet-value on"' in re.sub(r"\s+", " ", page)
    assert '<input type="hidden" name="summit" value="Paris 2025">' in page
    assert "Clear all filters" in get(client, "/?q=AI&summit=Paris+2025", headers=EN)[1]


def test_pagination(corpus_index: Path) -> None:
    client = make_app(corpus_index, PAGE_SIZE=2).test_client()
    pages = [get(client, f"/?q=AI&page={n}")[1] for n in (1, 2, 3)]
    assert [hit_ids(p) for p in pages] == [[S003, S001], [S004, S002], [S000]]
    assert 'rel="next" href="/?q=AI&amp;page=2"' in pages[0]
    assert 'rel="prev"' not in pages[0]
    assert 'rel="prev" href="/?q=AI"' in pages[1]
    assert 'rel="next"' not in pages[2]
    assert '<ol class="hits" start="3">' in pages[1]
    assert '<span class="current" aria-current="page">3</span>' in pages[2]
    # Beyond the last page: no hits, the total still shown; malformed numbers fall back.
    _, far = get(client, "/?q=AI&page=9", headers=EN)
    assert hit_ids(far) == [] and "5 found" in far
    _, bad = get(client, "/?q=AI&page=two&sort=sideways&from=yesterday", headers=EN)
    assert hit_ids(bad) == [S003, S001]
    assert "Ignored a malformed part of the address: page, sort, from" in bad


def test_sort_links_keep_state(client: FlaskClient) -> None:
    _, page = get(client, "/?q=AI&sort=newest&lang=ko")
    assert '<option value="newest" selected>' in page
    assert (
        'href="/?q=AI&amp;sort=newest&amp;outlet=%EC%BF%A0%ED%82%A4%EB%89%B4%EC%8A%A4&amp;lang=ko"'
        in page
    )


def test_did_you_mean(client: FlaskClient) -> None:
    _, page = get(client, "/?q=escapechek&lang=en", headers=EN)
    assert hit_ids(page) == []
    assert 'href="/?q=escapecheck&amp;lang=en" id="suggestion">escapecheck</a>' in page


def test_aliases_are_shown_and_removable(client: FlaskClient) -> None:
    _, page = get(client, "/?q=AI", headers=EN)
    assert "Also searched:" in page
    assert re.search(r'인공지능 for AI\s+<a href="/\?q=AI&amp;noalias=AI"', page)
    _, page = get(client, "/?q=AI&noalias=AI", headers=EN)
    assert "Also searched:" not in page
    assert "Not searching the other spellings of AI" in page
    assert '<a href="/?q=AI">search them again</a>' in page


def test_empty_result_explains_what_to_try(client: FlaskClient) -> None:
    _, page = get(client, "/?q=ㅁㄴㅇ&outlet=쿠키뉴스", headers=EN)
    assert 'id="empty"' in page
    assert "No articles found" in page
    assert "Clear all filters" in page


def test_failed_search_is_explained_not_500(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(Library, "search", broken)
    status, page = get(client, "/?q=AI", headers=EN)
    assert status == 200
    assert 'id="failed"' in page and "could not be run" in page
    response = client.get("/api/search?q=AI")
    assert response.status_code == 400
    assert response.json == {"error": "the search could not be run", "status": 400, "query": "AI"}


@pytest.mark.parametrize(
    "query",
    [
        "((",
        '"',
        '"unclosed phrase',
        "title:",
        "outlet:",
        "published:abc",
        "published:2024-13-45",
        "-",
        "+",
        "-기업",
        "*",
        "?",
        "AND OR NOT",
        "\x00\x01",
        "%",
        "a" * 5000,
        "정상회의 " * 200,
        SCRIPT,
        "{{ 7*7 }}",
        "id:../../etc/passwd",
    ],
)
def test_no_query_causes_an_error(client: FlaskClient, query: str) -> None:
    assert client.get("/", query_string={"q": query}).status_code == 200
    assert client.get("/api/search", query_string={"q": query}).status_code == 200
    assert client.get("/suggest", query_string={"q": query}).status_code == 200
    assert client.get(f"/articles/{S003}", query_string={"q": query}).status_code == 200


# --- interface language --------------------------------------------------------------------


def test_language_from_browser_and_switch(client: FlaskClient) -> None:
    _, page = get(client, "/", headers=EN)
    assert '<html lang="en">' in page and "Search the news" in page
    _, page = get(client, "/", headers=KO)
    assert '<html lang="ko">' in page and "기사 검색" in page
    assert get(client, "/")[1].startswith('<!doctype html>\n<html lang="ko">')
    response = client.get("/ui/en?next=/help?x=1", headers=KO)
    assert response.status_code == 302
    assert response.headers["Location"] == "/help?x=1"
    _, page = get(client, "/help", headers=KO)
    assert '<html lang="en">' in page and "Search help" in page


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "\\\\evil", ""])
def test_language_switch_is_no_open_redirect(client: FlaskClient, target: str) -> None:
    response = client.get("/ui/ko", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_404(client: FlaskClient) -> None:
    assert client.get("/ui/fr").status_code == 404


def help_examples_as_text(page: str) -> str:
    """The page with each syntax example's code as plain text (help.html wraps its words)."""
    return re.sub(
        r"<code>(.*?)</code>",
        lambda m: f"<code>{html.unescape(re.sub(r'<[^>]+>', '', m.group(1)))}</code>",
        page,
    )


def test_help_page_covers_the_syntax(client: FlaskClient) -> None:
    for headers in (KO, EN):
        status, page = get(client, "/help", headers=headers)
        assert status == 200
        page = help_examples_as_text(page)
        for example in (
            '"AI',
            "+기본법",
            "-MOOC",
            "title:정상회의",
            "outlet:쿠키뉴스",
            "앤트로픽 OR",
        ):
            assert f"<code>{html.escape(example, quote=False)}" in page
        assert "<code>published:2024-05</code>" in page


def test_every_example_query_finds_articles(client: FlaskClient) -> None:
    examples = set()
    for url in ("/", "/help"):
        for headers in (KO, EN):
            page = help_examples_as_text(get(client, url, headers=headers)[1])
            examples |= {html.unescape(q) for q in re.findall(r'href="/\?q=([^"&]+)"', page)}
            examples |= {html.unescape(q) for q in re.findall(r"<td><code>([^<]+)</code>", page)}
    # Field syntax in the help table is shown with values; every one of them must find something.
    queries = sorted(q for q in (unquote_plus(e) for e in examples) if q.strip())
    assert len(queries) >= 15
    for q in queries:
        data = client.get("/api/search", query_string={"q": q}).json
        assert data["total"] + data["relaxed_total"] > 0, q


# --- article view ----------------------------------------------------------------------------


def test_article_view_highlights_and_anchors(client: FlaskClient) -> None:
    status, page = get(client, f"/articles/{S003}?q=기본법", headers=KO)
    assert status == 200
    assert "<h1>[과기정통부] 인공지능 행동 정상회의, 공공성과 지속가능성 논의</h1>" in page
    # 기본법 is indexed as itself and as 법, so other laws (…포용법) are marked too.
    # The whole word only: 법 inside 디지털포용법 is not a match for 기본법.
    assert re.findall(r'<mark data-c="0">([^<]*)</mark>', page) == ["기본법"]
    assert '<span id="match-count" data-total="1">일치 1곳</span>' in page
    assert 'id="next-match"' in page and 'id="prev-match"' in page
    anchors = re.findall(r'<div class="para[^"]*" id="(p\d+)">', page)
    assert anchors == [f"p{n}" for n in range(1, 45)]
    matched = re.findall(r'<div class="para has-match" id="(p\d+)">', page)
    assert matched == ["p4"]
    assert '<a class="original"' not in page  # the corpus articles have no URL


def test_article_view_raw_text(client: FlaskClient) -> None:
    status, page = get(client, f"/articles/{S003}?view=raw")
    assert status == 200
    raw = client.get(f"/api/articles/{S003}").json["raw"]
    assert f'<pre class="raw" id="raw">{html.escape(raw)}</pre>' in page
    assert 'class="para' not in page


def test_article_permalink_marks_the_cited_paragraph(client: FlaskClient) -> None:
    body = client.get(f"/api/articles/{S003}").json["paragraphs"]
    p5 = body[4]
    _, page = get(client, f"/articles/{S003}?at={p5['start'] + 3}-{p5['end']}")
    assert re.findall(r'<div class="para[^"]*cited[^"]*" id="(p\d+)">', page) == ["p5"]
    _, page = get(client, f"/articles/{S003}?at=nonsense")
    assert "cited" not in page


def test_article_ids_with_slashes_and_missing_ids(client: FlaskClient) -> None:
    assert client.get(f"/articles/{FIXTURE}").status_code == 200
    assert client.get("/articles/no/such.txt").status_code == 404
    assert client.get("/api/articles/no/such.txt").json == {"error": "Not Found", "status": 404}


# --- quoting ---------------------------------------------------------------------------------


def quote_data(page: str, name: str) -> list[str]:
    return [html.unescape(v) for v in re.findall(rf'data-{name}="([^"]*)"', page)]


def test_quote_is_exact_text_with_citation(client: FlaskClient, script_article: dict) -> None:
    _, page = get(client, f"/?q={SCRIPT_QUERY}", headers=KO)
    first = script_article["text"].split("\n")[0]
    today = date.today().isoformat()
    cite = (
        f"{SCRIPT} Outlet, “{SCRIPT} escapecheck 점검 기사”, {SCRIPT} Author, 2025-02-11. "
        f"{script_article['url']} (검색일 {today})"
    )
    assert quote_data(page, "plain")[0] == f"{first}\n\n— {cite}"
    markdown = quote_data(page, "markdown")[0]
    assert markdown.startswith(f"> {first}\n>\n> — {SCRIPT} Outlet, [“\\<script\\>alert(1)")
    # A link to this sentence, without the search; localhost is left out of what is pasted.
    assert "[↗]" not in markdown
    assert quote_data(page, "link")[0] == f"http://localhost/articles/{FIXTURE}#s1"
    assert quote_data(page, "search-link")[0] == (
        f"http://localhost/articles/{FIXTURE}?q={SCRIPT_QUERY}#s1"
    )
    public = make_app(
        client.application.config["INDEX_DIR"], PUBLIC_URL="https://news.example.org/"
    )
    _, page = get(public.test_client(), f"/?q={SCRIPT_QUERY}", headers=KO)
    assert quote_data(page, "markdown")[0].endswith(
        f"[↗](https://news.example.org/articles/{FIXTURE}#s1)"
    )
    links = [html.unescape(u) for u in re.findall(r'href="(https://example[^"]*#:~:[^"]*)"', page)]
    assert links[0] == script_article["url"] + (
        "#:~:text=%EC%B2%AB%20%EB%AC%B8%EB%8B%A8%EC%9D%80%20escapecheck%20%EB%8B%A8%EC%96%B4"
        "%EC%99%80%20%3Cscript%3Ealert%281%29%3C%2Fscript%3E%20%EB%A5%BC%20%EB%8B%B4%EA%B3%A0"
        "%20%EC%9E%88%EB%8B%A4."
    )


def test_every_passage_quote_is_the_article_text(client: FlaskClient) -> None:
    _, page = get(client, "/?q=AI")
    for hit_id in hit_ids(page):
        body = client.get(f"/api/articles/{hit_id}").json["body"]
        hit = client.get("/api/search?q=AI").json["hits"]
        for p in next(h for h in hit if h["id"] == hit_id)["passages"]:
            assert body[p["start"] : p["end"]] == p["text"]
    plains = quote_data(page, "plain")
    assert len(plains) == 10
    for plain in plains:
        text = plain.split("\n\n— ")[0]
        assert "…" not in text and "<mark>" not in text


def paragraphs_without_quote(page: str) -> list[str]:
    paras = re.findall(
        r'<div class="para[^"]*" id="(p\d+)">(.*?)</div>\s*(?=<div class="para|</section)',
        page,
        re.S,
    )
    return [pid for pid, inner in paras if 'class="quote"' not in inner]


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        # ◇ subheads.
        (S000, ["p2", "p7"]),
        # p2 ends "개최했다.〈관련기사 4면〉"; p7, a subhead ending with words in double quotes
        # (…채택, “AI 개발 기업에 특별 책임”), reports speech: both keep their quotes.
        (S001, []),
        # The declaration's headings and its lead-in ("To deliver on these priorities:"); its
        # bullet points (·Promoting AI accessibility…) are quotable.
        (S003, ["p6", "p10", "p11", "p21", "p28"]),
    ],
)
def test_only_lines_that_are_statements_get_quote_tools(
    client: FlaskClient, doc: str, expected: list[str]
) -> None:
    _, page = get(client, f"/articles/{doc}")
    assert paragraphs_without_quote(page) == expected


# --- escaping and headers --------------------------------------------------------------------

HTML_PAGES = [
    "/",
    f"/?q={SCRIPT_QUERY}",
    f"/?q={SCRIPT_QUERY}&outlet={SCRIPT}+Outlet",
    f"/?q={SCRIPT}",
    f"/articles/{FIXTURE}?q={SCRIPT_QUERY}",
    f"/articles/{FIXTURE}?view=raw",
    f"/articles/{FIXTURE}?q={SCRIPT}",
    "/help",
    "/admin",
    "/no-such-page",
    f"/articles/{SCRIPT}",
]


@pytest.mark.parametrize("url", HTML_PAGES)
def test_pages_escape_markup(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    page = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    assert "<script>alert" not in page and "<img src=x" not in page
    # The only script elements load files; no inline handlers or styles (the CSP forbids them).
    assert re.findall(r"<script(?![^>]*\ssrc=)", page) == []
    assert "style=" not in page
    assert '<link rel="search" type="application/opensearchdescription+xml"' in page
    assert 'href="/opensearch.xml"' in page


def test_fixture_markup_is_shown_as_text(client: FlaskClient) -> None:
    _, page = get(client, f"/articles/{FIXTURE}?q={SCRIPT_QUERY}")
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; escapecheck 점검 기사</h1>" in page
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in page or (
        "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page
    )
    assert 'href="https://example.com/news?id=1&amp;x=&#34;&gt;&lt;script&gt;' in page


ALL_ROUTES = [
    "/",
    "/?q=AI",
    "/help",
    f"/articles/{S003}",
    "/api/search?q=AI",
    f"/api/articles/{S003}",
    "/opensearch.xml",
    "/suggest?q=AI",
    "/admin",
    "/ui/en",
    "/missing",
    "/api/missing",
]


@pytest.mark.parametrize("url", ALL_ROUTES)
def test_security_headers_everywhere(client: FlaskClient, url: str) -> None:
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_static_files_are_served(client: FlaskClient) -> None:
    for name in ("app.js", "admin.js", "style.css"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200
        response.close()


# --- machine interfaces ----------------------------------------------------------------------


def test_api_search_shape(client: FlaskClient) -> None:
    data = client.get("/api/search?q=기본법").json
    assert set(data) == {
        "query",
        "total",
        "relaxed_total",
        "concepts",
        "need",
        "match",
        "phrases",
        "page",
        "pagesize",
        "sort",
        "took_ms",
        "hits",
        "facets",
        "expansions",
        "notices",
        "suggestion",
        "ignored",
    }
    assert (data["query"], data["total"], data["page"], data["pagesize"]) == ("기본법", 1, 1, 10)
    assert [h["id"] for h in data["hits"]] == [S003]
    hit = data["hits"][0]
    assert set(hit) == {
        *("id", "title", "title_html", "outlet", "author", "published", "url"),
        *("lang", "summit", "score", "strict", "passages"),
    }
    assert (hit["outlet"], hit["lang"], hit["summit"]) == (
        "대한민국 정책브리핑",
        ["ko", "en"],
        ["Paris 2025"],
    )
    assert [p["start"] for p in hit["passages"]] == [484]
    assert '인공지능(AI)<mark data-c="0">기본법</mark>,' in hit["passages"][0]["html"]
    assert data["facets"] == {
        "outlet": [{"value": "대한민국 정책브리핑", "count": 1}],
        "lang": [{"value": "en", "count": 1}, {"value": "ko", "count": 1}],
        "summit": [{"value": "Paris 2025", "count": 1}],
    }


def test_api_search_parameters(corpus_index: Path) -> None:
    client = make_app(corpus_index, PAGE_SIZE=2).test_client()
    data = client.get("/api/search?q=AI&page=2&sort=oldest").json
    assert [h["id"] for h in data["hits"]] == [S000, S003]
    assert (data["total"], data["page"], data["sort"]) == (5, 2, "oldest")
    assert data["expansions"] == [{"matched": "AI", "added": ["인공지능"]}]
    data = client.get("/api/search?q=AI&outlet=쿠키뉴스").json
    assert [h["id"] for h in data["hits"]] == [S002]
    assert data["hits"][0]["published"] == "2024-05-23T14:41:12"
    missing = client.get("/api/search")
    assert missing.status_code == 400 and missing.json == {
        "error": "missing q",
        "status": 400,
        "query": "",
    }


def test_api_limit_is_honoured_and_capped(corpus_index: Path) -> None:
    client = make_app(corpus_index, PAGE_SIZE=2).test_client()
    data = client.get("/api/search?q=AI&limit=3").json
    assert (data["pagesize"], len(data["hits"]), data["ignored"]) == (3, 3, [])
    every = [h["id"] for h in client.get("/api/search?q=AI&limit=5").json["hits"]]
    data = client.get("/api/search?q=AI&limit=3&page=2").json
    assert (data["page"], [h["id"] for h in data["hits"]]) == (2, every[3:5])
    assert client.get("/api/search?q=AI&limit=1000").json["pagesize"] == 100
    for bad in ("0", "-4", "ten"):
        data = client.get(f"/api/search?q=AI&limit={bad}").json
        assert (data["pagesize"], data["ignored"]) == (2, ["limit"])
    data = client.get("/api/search?q=AI&page=99999&limit=5").json
    assert (data["page"], data["hits"]) == (500, [])


def test_api_json_is_utf8_not_escaped(client: FlaskClient) -> None:
    response = client.get("/api/search?q=기본법")
    assert response.mimetype == "application/json"
    assert '"query":"기본법"' in response.get_data(as_text=True).replace(" ", "")
    assert b"\\u" not in response.data


def test_api_article(client: FlaskClient) -> None:
    data = client.get(f"/api/articles/{S003}?q=기본법").json
    assert data["id"] == S003 and data["matches"] == 1
    assert [p["anchor"] for p in data["paragraphs"]][:3] == ["p1", "p2", "p3"]
    for p in data["paragraphs"]:
        assert data["body"][p["start"] : p["end"]] == p["text"]


def test_opensearch_and_suggestions(client: FlaskClient) -> None:
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    xml = response.get_data(as_text=True)
    assert 'template="http://localhost/?q={searchTerms}"' in xml
    assert 'template="http://localhost/suggest?q={searchTerms}"' in xml
    response = client.get("/suggest?q=앤ㅌ")
    assert response.mimetype == "application/x-suggestions+json"
    query, texts, notes, links = response.json
    assert (query, texts[0], notes[0]) == ("앤ㅌ", "앤트로픽", "기사 4건")
    assert links[0] == "http://localhost/?q=%EC%95%A4%ED%8A%B8%EB%A1%9C%ED%94%BD"
    # Then the titles of the best articles for the completed word, linked to the articles.
    assert texts[1:] == [TITLES[i] for i in (S001, S004, S000, S002)]
    assert notes[1:] == ["기사"] * 4
    assert links[1:] == [f"http://localhost/articles/{i}" for i in (S001, S004, S000, S002)]
    assert client.get("/suggest?q=").json == ["", [], [], []]


def test_suggestions_for_the_search_box(client: FlaskClient) -> None:
    data = client.get("/api/suggest?q=AI 안전 연").json
    assert data["query"] == "AI 안전 연"
    assert data["terms"][:3] == [
        {"text": "AI 안전 연구", "word": "연구", "articles": 5},
        {"text": "AI 안전 연구원", "word": "연구원", "articles": 3},
        {"text": "AI 안전 연합", "word": "연합", "articles": 2},
    ]
    assert len(data["terms"]) == 6
    data = client.get("/api/suggest?q=기본ㅂ").json
    assert data["terms"] == [{"text": "기본법", "word": "기본법", "articles": 1}]
    assert data["titles"] == [{"id": S003, "title": TITLES[S003], "url": f"/articles/{S003}"}]
    assert client.get("/api/suggest?q=쿼카쿼카쿼카").json == {
        "query": "쿼카쿼카쿼카",
        "terms": [],
        "titles": [],
    }
    assert client.get("/api/suggest").json == {"query": "", "terms": [], "titles": []}


# --- configuration and a missing index -------------------------------------------------------


def test_missing_index_is_a_clear_503(tmp_path: Path) -> None:
    client = make_app(tmp_path / "nothing-here").test_client()
    status, page = get(client, "/?q=AI", headers=EN)
    assert status == 503 and "There is no index yet: build it with" in page
    status, page = get(client, "/?q=AI", headers=KO)
    assert status == 503 and "아직 색인이 없습니다" in page
    response = client.get("/api/search?q=AI", headers=KO)
    assert response.status_code == 503 and "no index at" in response.json["error"]
    assert response.json["code"] == "index_missing"
    assert response.json["message"].startswith("아직 색인이 없습니다")
    assert client.get("/").status_code == 200  # the front page needs no index


def test_config_defaults_env_and_test_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in (
        "SUMMIT_SEARCH_PAGE_SIZE",
        "SUMMIT_SEARCH_ADMIN_TOKEN",
        "SUMMIT_SEARCH_MAX_UPLOAD",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMIT_SEARCH_INDEX", str(tmp_path / "ix"))
    app = create_app()
    assert app.config["INDEX_DIR"] == tmp_path / "ix"
    assert app.config["PAGE_SIZE"] == 10
    assert app.config["MAX_CONTENT_LENGTH"] == 16 * 1024 * 1024
    assert app.config["ADMIN_TOKEN_GENERATED"] is True and len(app.config["ADMIN_TOKEN"]) >= 20
    monkeypatch.setenv("SUMMIT_SEARCH_PAGE_SIZE", "3")
    monkeypatch.setenv("SUMMIT_SEARCH_ADMIN_TOKEN", "from-env")
    monkeypatch.setenv("SUMMIT_SEARCH_SOURCE_DIRS", f"{tmp_path / 'a'}:{tmp_path / 'b'}")
    app = create_app()
    assert app.config["PAGE_SIZE"] == 3
    assert app.config["ADMIN_TOKEN"] == "from-env" and app.config["ADMIN_TOKEN_GENERATED"] is False
    assert app.config["SOURCE_DIRS"] == [tmp_path / "a", tmp_path / "b"]
    assert create_app({"PAGE_SIZE": 7}).config["PAGE_SIZE"] == 7


def free_port() -> int:
    """A port nothing listens on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list:
    """Stands in for gunicorn's run: records each server's options and socket, then returns."""
    from webui import serve

    calls: list = []

    def run(self: serve.Server) -> None:
        calls.append((self.app, dict(self.options), self.sock.getsockname()))
        self.sock.close()  # gunicorn would own it

    monkeypatch.setattr(serve.Server, "run", run)
    return calls


def test_serve_prints_url_and_generated_token(
    corpus_index: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    served: list,
) -> None:
    from webui import serve

    monkeypatch.delenv("SUMMIT_SEARCH_ADMIN_TOKEN", raising=False)
    port = free_port()
    order: list[str] = []
    serve.serve(corpus_index, "127.0.0.1", port, prepare=lambda: order.append("prepare"))
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Summit Search: http://127.0.0.1:{port}/  (Ctrl+C stops it)"
    (app, options, address) = served[0]
    assert out[1] == f"admin token (this run only): {app.config['ADMIN_TOKEN']}"
    assert address == ("127.0.0.1", port)
    assert options["bind"][0].startswith("fd://")
    assert {k: options[k] for k in ("workers", "worker_class", "threads", "preload_app")} == {
        "workers": serve.default_workers(),
        "worker_class": serve.JsonErrorWorker,
        "threads": 8,
        "preload_app": True,
    }
    assert order == ["prepare"]
    monkeypatch.setenv("SUMMIT_SEARCH_ADMIN_TOKEN", "configured")
    serve.serve(corpus_index, "::1", port, workers=3)
    assert served[1][1]["workers"] == 3
    assert capsys.readouterr().out.splitlines() == [
        f"Summit Search: http://[::1]:{port}/  (Ctrl+C stops it)"
    ]


def test_serve_rebuilds_an_index_of_another_version_keeping_uploads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, served: list
) -> None:
    import json as json_module

    from click.testing import CliRunner

    from indexer.backends.whoosh import store
    from indexer.config import Config
    from indexer.ingest.run import add_files
    from webui.cli import main

    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text("폴더 기사\n\n폴더에 있는 기사의 본문이다.", encoding="utf-8")
    monkeypatch.setenv("SUMMIT_SEARCH_SOURCE_DIRS", str(folder))
    index = tmp_path / "index"
    config = Config.at(index, source_dirs=(folder,))
    add_files(config, [("memo.txt", "올린 메모\n\n올린 메모의 본문이다.".encode())])
    meta = index / store.META_FILE
    meta.write_text(json_module.dumps({"schema_version": 1, "analysis": "old"}), encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--index", str(index), "--port", str(free_port())])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{index} was built by another version; rebuilding it from the sources and the library",
        f"{index}: 2 added, 0 updated, 0 unchanged, 0 removed, 0 failed (1 from the library)",
    ]
    assert len(served) == 1
    with store.open_index(index).searcher() as s:
        assert sorted(d["id"] for d in s.all_stored_fields()) == ["a.txt", "uploads/memo.txt"]


def test_serve_on_a_taken_port_says_so_in_one_line(corpus_index: Path) -> None:
    from click.testing import CliRunner

    from webui.cli import main

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        result = CliRunner().invoke(
            main, ["serve", "--index", str(corpus_index), "--port", str(port)]
        )
    finally:
        taken.close()
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: port {port} on 127.0.0.1 is in use: stop what uses it, "
        "or choose another with --port\n"
    )


def test_a_page_past_the_end_says_so(corpus_index: Path) -> None:
    client = make_app(corpus_index, PAGE_SIZE=2).test_client()
    status, page = get(client, "/?q=AI&page=9", headers=KO)
    assert status == 200 and hit_ids(page) == []
    assert "9페이지에는 결과가 없습니다" in page and "결과는 3페이지까지입니다." in page
    assert 'id="last-page">3페이지로 가기</a>' in page
    assert 'href="/?q=AI&amp;page=3" id="last-page"' in page


def test_unknown_is_a_facet_value_and_a_filter(client: FlaskClient) -> None:
    page = get(client, "/?q=escapecheck OR AI", headers=KO)[1]
    # The fixture article has no summit: "-" in the address, "알 수 없음" on the screen.
    assert ("-", 1, False) in facet_counts(page, "summit")
    assert '<span class="label unknown">알 수 없음</span>' in page
    only = get(client, "/?q=escapecheck OR AI&summit=-", headers=KO)[1]
    assert hit_ids(only) == [FIXTURE]
    assert ("-", 1, True) in facet_counts(only, "summit")


def test_a_date_filter_says_what_it_hides(client: FlaskClient) -> None:
    page = get(client, "/?q=AI&from=2024-05-01", headers=KO)[1]
    assert sorted(hit_ids(page)) == sorted([S001, S002])
    assert "날짜 없는 기사 3건이 빠졌습니다" in page
    assert 'href="/?q=AI&amp;from=2024-05-01&amp;undated=1">포함하기</a>' in page
    both = get(client, "/?q=AI&from=2024-05-01&undated=1", headers=KO)[1]
    assert sorted(hit_ids(both)) == sorted([S000, S001, S002, S003, S004])
    assert "날짜 없는 기사도 포함했습니다" in both
