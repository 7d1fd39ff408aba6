"""The admin article list: counts by origin, newest first, search, filters, pages, delete."""

from __future__ import annotations

import html
import io
import json
import os
import re
from datetime import datetime
from pathlib import Path

import pytest
from conftest import ADMIN_TOKEN, index_paths, make_app
from flask.testing import FlaskClient
from test_webui_admin import EN, csrf, login

from indexer.search.catalog import list_articles
from indexer.search.library import Library
from indexer.search.results import Filters
from webui import admin as admin_views

KO = {"Accept-Language": "ko"}
# Three folder articles whose files arrived on known days.
DATED = {
    "jan.txt": (
        "2026-01-05",
        "일월 기사\n\n일월에 열린 정상회의 준비 회의에서 참가자들이 의제를 정했다.",
    ),
    "feb.txt": ("2026-02-10", "이월 기사\n\n이월에는 서울에서 안전 연구소 대표들이 만났다."),
    "mar.txt": ("2026-03-15", "삼월 기사\n\n삼월에는 파리 행사 준비가 이어졌다는 소식이 나왔다."),
}


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    """An admin session over an index of DATED (a source folder), logged in."""
    folder = tmp_path / "folder"
    folder.mkdir()
    for name, (day, text) in DATED.items():
        (folder / name).write_text(text, encoding="utf-8")
        stamp = datetime.fromisoformat(f"{day}T12:00:00").timestamp()
        os.utime(folder / name, (stamp, stamp))
    report = index_paths(tmp_path / "index", [folder])
    assert sorted(report.added) == ["feb.txt", "jan.txt", "mar.txt"]
    app = make_app(tmp_path / "index", SOURCE_DIRS=[folder])
    test_client = app.test_client()
    login(test_client)
    return test_client


def rows(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<li class="entry" data-id="([^"]+)" data-origin="([^"]+)">', page)


def text_of(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">(.*?)</', page, re.S)
    assert found, element_id
    return html.unescape(re.sub(r"\s+", " ", found.group(1)).strip())


def get(client: FlaskClient, path: str, **query: str) -> str:
    response = client.get(path, query_string=query, headers=EN)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def paste(client: FlaskClient, title: str, text: str) -> None:
    data = {"csrf_token": csrf(client), "title": title, "text": text}
    assert client.post("/admin/paste", data=data).status_code == 200


def test_the_admin_page_counts_articles_and_links_the_list(client: FlaskClient) -> None:
    page = get(client, "/admin")
    assert text_of(page, "admin-count").startswith("3 articles in the index ·")
    assert 'href="/admin/articles" id="articles-link">List, search and delete articles' in page


def test_newest_arrivals_first_with_origin_and_date_added(client: FlaskClient) -> None:
    paste(client, "붙여넣은 메모", "오늘 붙여넣은 메모입니다. 정상회의 현장 분위기를 적었다.")
    page = get(client, "/admin/articles")
    assert rows(page) == [
        ("pasted/6bf68ddd66d4", "paste"),
        ("mar.txt", "folder"),
        ("feb.txt", "folder"),
        ("jan.txt", "folder"),
    ]
    assert text_of(page, "list-count") == "4 articles in the index"
    assert re.findall(r'class="added">Added (\d{4}-\d\d-\d\d)', page)[1:] == [
        "2026-03-15",
        "2026-02-10",
        "2026-01-05",
    ]
    options = re.findall(r'<option value="(\w+)">([^<]+)</option>', page)
    assert options == [
        ("bundled", "bundled sample (0)"),
        ("folder", "source folder (3)"),
        ("upload", "upload (0)"),
        ("paste", "pasted (1)"),
    ]


def test_filters_by_origin_and_date_added_and_searches(client: FlaskClient) -> None:
    paste(client, "붙여넣은 메모", "오늘 붙여넣은 메모입니다. 정상회의 현장 분위기를 적었다.")
    assert [r[0] for r in rows(get(client, "/admin/articles", origin="folder"))] == [
        "mar.txt",
        "feb.txt",
        "jan.txt",
    ]
    page = get(client, "/admin/articles", **{"from": "2026-02-01", "to": "2026-03-15"})
    assert [r[0] for r in rows(page)] == ["mar.txt", "feb.txt"]
    assert text_of(page, "list-count") == "2 of 4 articles"
    # Words: the search's match set, by rank; the origin filter applies to it too.
    assert [r[0] for r in rows(get(client, "/admin/articles", q="정상회의"))] == [
        "pasted/6bf68ddd66d4",
        "jan.txt",
    ]
    assert [r[0] for r in rows(get(client, "/admin/articles", q="정상회의", origin="paste"))] == [
        "pasted/6bf68ddd66d4"
    ]
    page = get(client, "/admin/articles", q="없는낱말쿼카")
    assert rows(page) == [] and text_of(page, "entries-empty") == "No article matches."
    # Nonsense in the address falls back to no filter.
    assert len(rows(get(client, "/admin/articles", origin="nope", to="soon"))) == 4


def test_pages_of_the_list(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(admin_views, "LIST_PAGE", 2)
    first = get(client, "/admin/articles", origin="folder")
    assert [r[0] for r in rows(first)] == ["mar.txt", "feb.txt"]
    assert 'rel="next" href="/admin/articles?page=2&amp;origin=folder"' in first
    second = get(client, "/admin/articles", origin="folder", page="2")
    assert [r[0] for r in rows(second)] == ["jan.txt"]
    assert 'rel="prev" href="/admin/articles?page=1&amp;origin=folder"' in second


def test_delete_a_paste_after_confirming(client: FlaskClient, tmp_path: Path) -> None:
    paste(client, "지울 메모", "곧 지울 메모입니다. 쿼카정상 이라는 말이 들어 있다.")
    library_file = tmp_path / "library" / "pasted" / "4f4476f0a13c.jsonl"
    assert library_file.exists()
    page = get(client, "/admin/articles/delete", id="pasted/4f4476f0a13c")
    assert text_of(page, "delete-note") == (
        "It is removed from the index, and its file 4f4476f0a13c.jsonl from the library: "
        "a rebuild will not bring it back."
    )
    assert rows(get(client, "/admin/articles", q="쿼카정상")) == [("pasted/4f4476f0a13c", "paste")]
    response = client.post(
        "/admin/articles/delete", data={"id": "pasted/4f4476f0a13c", "csrf_token": csrf(client)}
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert text_of(page, "removed") == "Deleted the article ‘지울 메모’."
    assert [r[0] for r in rows(page)] == ["mar.txt", "feb.txt", "jan.txt"]
    assert not library_file.exists()
    assert client.get("/api/search", query_string={"q": "쿼카정상"}).json["total"] == 0


def test_deleting_one_record_of_an_uploaded_jsonl_keeps_the_others(
    client: FlaskClient, tmp_path: Path
) -> None:
    records = [
        {"id": "up/one", "title": "하나", "text": "첫째 기록입니다. 정상회의 뉴스."},
        {"id": "up/two", "title": "둘", "text": "둘째 기록입니다. 정상회의 소식."},
    ]
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    data = {"csrf_token": csrf(client), "files": [(io.BytesIO(body), "pair.jsonl")]}
    assert client.post("/admin/upload", data=data, content_type="multipart/form-data").status_code
    page = get(client, "/admin/articles/delete", id="up/one")
    assert text_of(page, "delete-note") == (
        "It is removed from the index, and its record from the library file pair.jsonl; "
        "the other 1 article(s) of that file stay."
    )
    client.post("/admin/articles/delete", data={"id": "up/one", "csrf_token": csrf(client)})
    kept = (tmp_path / "library" / "uploads" / "pair.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line)["id"] for line in kept.splitlines()] == ["up/two"]
    assert [r[0] for r in rows(get(client, "/admin/articles", origin="upload"))] == ["up/two"]


def test_a_folder_article_is_not_deleted_but_explained(client: FlaskClient, tmp_path: Path) -> None:
    page = client.get("/admin/articles/delete", query_string={"id": "jan.txt"}, headers=KO)
    note = text_of(page.get_data(as_text=True), "delete-note")
    folder = tmp_path / "folder" / "jan.txt"
    assert note == (
        "이 기사는 원본 폴더의 파일에서 읽었습니다. 그 파일이 원본이라, 색인에서만 지우면 다시 "
        "색인할 때 돌아옵니다."
    )
    # The file first (tests/test_webui_removal.py): while it holds the article, nothing goes.
    assert text_of(page.get_data(as_text=True), "remove-file").startswith(f"파일 {folder}:")
    response = client.post(
        "/admin/articles/delete", data={"id": "jan.txt", "csrf_token": csrf(client)}
    )
    assert response.status_code == 409
    assert len(rows(get(client, "/admin/articles"))) == 3 and folder.exists()


def test_unknown_articles_and_logged_out_sessions(client: FlaskClient) -> None:
    assert client.get("/admin/articles/delete", query_string={"id": "nope"}).status_code == 404
    data = {"id": "nope", "csrf_token": csrf(client)}
    assert client.post("/admin/articles/delete", data=data).status_code == 404
    assert client.post("/admin/articles/delete", data={"id": "jan.txt"}).status_code == 400
    stranger = client.application.test_client()
    assert stranger.get("/admin/articles").status_code == 403
    assert stranger.get("/admin/articles/delete", query_string={"id": "jan.txt"}).status_code == 403


def test_the_login_page_says_where_the_token_comes_from(tmp_path: Path) -> None:
    index_paths(tmp_path / "index", [])
    page = make_app(tmp_path / "index").test_client().get("/admin", headers=EN)
    assert (
        '<p class="login-help" id="login-help">The admin token is printed by <code>summit-search '
        "serve</code> when it starts (“admin token (this run only): …”), a new one each start. "
        "To keep one token, set <code>SUMMIT_SEARCH_ADMIN_TOKEN</code> before starting the "
        "server.</p>"
    ) in page.get_data(as_text=True)


def test_bundled_articles_count_as_bundled(corpus_index: Path) -> None:
    listing = list_articles(Library(corpus_index), "", Filters(origin=("bundled",)))
    assert listing.by_origin == {"bundled": 5, "folder": 1, "upload": 0, "paste": 0}
    assert listing.total == 5 and listing.articles == 6
    assert {e.origin for e in listing.entries} == {"bundled"}


def test_a_logged_out_admin_page_offers_the_login_and_comes_back(tmp_path: Path) -> None:
    index_paths(tmp_path / "index", [])
    stranger = make_app(tmp_path / "index").test_client()
    response = stranger.get("/admin/articles", query_string={"origin": "paste"})
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert '<input type="hidden" name="next" value="/admin/articles?origin=paste">' in page
    form = {"token": ADMIN_TOKEN, "csrf_token": csrf(stranger)}
    back = stranger.post("/admin/login", data={**form, "next": "/admin/articles?origin=paste"})
    assert back.headers["Location"] == "/admin/articles?origin=paste"
    for elsewhere in ("//evil.example/admin/x", "https://evil.example/", "/help"):
        stranger.post("/admin/logout", data={"csrf_token": csrf(stranger)})
        form = {"token": ADMIN_TOKEN, "csrf_token": csrf(stranger), "next": elsewhere}
        assert stranger.post("/admin/login", data=form).headers["Location"] == "/admin"
