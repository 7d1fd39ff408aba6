"""The article view's citation box and Quote menus, as the server renders them."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from conftest import make_app
from flask.testing import FlaskClient

from webui.i18n import code_spans

S001 = "001_7ad3c6ee62ab7cbe.txt"
FIXTURE = "fixtures/script.jsonl"
KO = {"Accept-Language": "ko-KR,ko;q=0.9"}
EN = {"Accept-Language": "en-US,en;q=0.9"}
PUBLIC = "https://news.example.org"


def page_of(client: FlaskClient, path: str, headers: dict[str, str] = KO) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def boxes(page: str) -> dict[str, str]:
    """Each citation format's heading and its text as shown (markup taken out)."""
    found = re.findall(
        r'<h2>([^<]*)</h2>\s*<(?:pre|p class="cite-link")[^>]*>(.*?)</(?:pre|p)>', page, re.S
    )
    return {
        html.unescape(name): html.unescape(re.sub(r"<[^>]+>", "", body)) for name, body in found
    }


def test_an_article_without_an_address_is_cited_at_its_public_page(corpus_index: Path) -> None:
    client = make_app(corpus_index, PUBLIC_URL=PUBLIC + "/").test_client()
    today = date.today().isoformat()
    shown = boxes(page_of(client, f"/articles/{S001}"))
    assert list(shown) == ["고유 링크", "텍스트", "Markdown", "BibTeX", "RIS", "CSL-JSON"]
    link = f"{PUBLIC}/articles/{S001}"
    assert shown["고유 링크"] == link
    title = "한국, 글로벌 AI 협력 주도…AI 서울 정상회의 성공 개최"
    assert shown["텍스트"] == (
        f"Asia-Pacific Region Intelligence Center, “{title}”, 허관(許灌), 2024-05-23. "
        f"{link} (검색일 {today})"
    )
    assert shown["Markdown"] == (
        f"Asia-Pacific Region Intelligence Center, [“{title}”]({link}), 허관(許灌), 2024-05-23. "
        f"(검색일 {today})"
    )
    assert f"  url = {{{link}}},\n" in shown["BibTeX"]
    assert f"UR  - {link}\r\n" in shown["RIS"]
    assert f'"URL": "{link}"' in shown["CSL-JSON"]


def test_on_loopback_the_citation_names_no_address_and_markdown_is_not_repeated(
    client: FlaskClient,
) -> None:
    shown = boxes(page_of(client, f"/articles/{S001}", EN))
    assert list(shown) == ["Permalink", "Text", "BibTeX", "RIS", "CSL-JSON"]
    assert shown["Permalink"] == f"http://localhost/articles/{S001}"
    assert "localhost" not in shown["Text"] + shown["BibTeX"] + shown["RIS"]


def test_an_article_with_an_address_is_cited_at_it(
    client: FlaskClient, script_article: dict[str, str]
) -> None:
    shown = boxes(page_of(client, f"/articles/{FIXTURE}", EN))
    assert list(shown) == ["Permalink", "Text", "Markdown", "BibTeX", "RIS", "CSL-JSON"]
    assert shown["Permalink"] == f"http://localhost/articles/{FIXTURE}"
    assert f"2025-02-11. {script_article['url']} (accessed " in shown["Text"]


def quote_targets(page: str) -> dict[str, list[str]]:
    """Each paragraph's Quote menus, by what each links to."""
    paras = re.split(r'<div class="para[^"]*" id="', page)[1:]
    return {
        p.split('"', 1)[0]: re.findall(r'data-target="([^"]+)"', p)
        for p in paras
        if 'class="quote"' in p
    }


def test_the_article_view_quotes_each_highlighted_sentence(client: FlaskClient) -> None:
    found = quote_targets(page_of(client, f"/articles/{S001}?q=서울"))
    assert found == {
        "p1": ["s2"],
        "p2": ["s4"],
        "p3": ["s5", "s6", "s8"],
        "p4": ["s10", "s12"],
        "p5": ["s13"],
        "p6": ["s14"],
        "p7": ["s15"],
        "p8": ["s16"],
        "p9": ["s17"],
        "p10": ["s18"],
        "p11": ["s19"],
        "p12": ["s20"],
    }
    # Without a search, a paragraph of several sentences is quoted whole.
    found = quote_targets(page_of(client, f"/articles/{S001}"))
    assert found["p1"] == ["p1"] and found["p3"] == ["p3"] and found["p2"] == ["s4"]


def test_commands_in_interface_text_are_code_and_the_rest_is_escaped() -> None:
    assert str(code_spans("run `summit-search <serve>` & <b>wait</b>")) == (
        "run <code>summit-search &lt;serve&gt;</code> &amp; &lt;b&gt;wait&lt;/b&gt;"
    )
    assert str(code_spans("no ` pair")) == "no ` pair"
