"""webui admin side: login, CSRF, uploads, pasted articles, reindex, the upload limit."""

from __future__ import annotations

import html
import io
import json
import re
import threading
from pathlib import Path

import pytest
from conftest import ADMIN_TOKEN, SCRIPT, make_app
from flask import Flask
from flask.testing import FlaskClient

from indexer.ingest.run import IndexReport
from indexer.ingest.sources import safe_name
from webui import jobs

EN = {"Accept-Language": "en"}
ARTICLE_TXT = (
    "합성어휘토끼 정상회의 취재 메모\n\n"
    "서울에서 열린 회의에서 참가자들은 합성어휘토끼 라는 새 용어를 처음 소개했다.\n"
    "이 용어는 시험용 기사에만 들어 있으므로 검색하면 이 기사만 나와야 한다.\n"
    "회의는 다음 해에도 이어질 예정이라고 주최 측은 밝혔다.\n"
)
ARTICLE_HTML = (
    "<html><head><title>Quokkaword briefing</title>"
    '<meta property="og:url" content="https://example.org/quokka"></head><body><article>'
    "<h1>Quokkaword briefing</h1>"
    "<p>Delegates at the summit discussed the quokkaword proposal at length today.</p>"
    "<p>The proposal would require every model developer to publish safety reports.</p>"
    "</article></body></html>"
)


def csrf(client: FlaskClient, path: str = "/admin") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.findall(r'name="csrf_token" value="([^"]+)"', page)[0]


def login(client: FlaskClient) -> str:
    response = client.post("/admin/login", data={"token": ADMIN_TOKEN, "csrf_token": csrf(client)})
    assert response.status_code == 303 and response.headers["Location"] == "/admin"
    return csrf(client)


def upload(client: FlaskClient, token: str, files: list[tuple[bytes, str]]):
    data = {"csrf_token": token, "files": [(io.BytesIO(b), name) for b, name in files]}
    return client.post("/admin/upload", data=data, content_type="multipart/form-data", headers=EN)


def ids_for(client: FlaskClient, query: str) -> list[str]:
    return [h["id"] for h in client.get("/api/search", query_string={"q": query}).json["hits"]]


def report_rows(page: str) -> list[tuple[str, str]]:
    rows = re.findall(r'<tr class="(\w+)"><th>[^<]*</th><td>(.*?)</td></tr>', page, re.S)
    return [(kind, html.unescape(re.sub(r"<[^>]+>", "", cell))) for kind, cell in rows]


@pytest.fixture
def admin(admin_app: Flask) -> FlaskClient:
    return admin_app.test_client()


def test_login_page_and_wrong_token(admin: FlaskClient) -> None:
    page = admin.get("/admin", headers=EN).get_data(as_text=True)
    assert 'type="password" id="token" name="token"' in page
    assert 'action="/admin/upload"' not in page
    response = admin.post(
        "/admin/login", data={"token": "wrong", "csrf_token": csrf(admin)}, headers=EN
    )
    assert response.status_code == 403
    assert "That token is not right." in response.get_data(as_text=True)
    assert 'action="/admin/upload"' not in admin.get("/admin").get_data(as_text=True)


def test_login_logout(admin: FlaskClient) -> None:
    token = login(admin)
    page = admin.get("/admin").get_data(as_text=True)
    assert 'action="/admin/upload"' in page and 'action="/admin/reindex"' in page
    assert admin.get("/admin").headers["Cache-Control"] == "no-store"
    response = admin.post("/admin/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert 'id="token"' in admin.get("/admin").get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/admin/login", "/admin/logout", "/admin/upload", "/admin/paste", "/admin/reindex"]
)
def test_every_form_needs_the_csrf_token(admin: FlaskClient, path: str) -> None:
    good = login(admin)
    assert admin.post(path, data={"token": ADMIN_TOKEN}).status_code == 400
    response = admin.post(path, data={"token": ADMIN_TOKEN, "csrf_token": good + "x"}, headers=EN)
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    # Another session's token is no good either.
    other = admin.application.test_client()
    assert other.post(path, data={"csrf_token": good, "token": ADMIN_TOKEN}).status_code == 400


@pytest.mark.parametrize("path", ["/admin/upload", "/admin/paste", "/admin/reindex"])
def test_admin_actions_need_login(admin: FlaskClient, path: str) -> None:
    token = csrf(admin)
    assert admin.post(path, data={"csrf_token": token, "text": "x"}).status_code == 403
    assert admin.get("/admin/reindex/status").status_code == 403


def test_upload_several_files(admin: FlaskClient) -> None:
    token = login(admin)
    jsonl = "\n".join(
        [
            json.dumps({"id": "wire/1", "text": "Wombatword appears in this wire story."}),
            "{not json",
            json.dumps({"id": "wire/2", "text": ""}),
        ]
    )
    response = upload(
        admin,
        token,
        [
            (ARTICLE_TXT.encode(), "../../서울 기사 1.txt"),
            (ARTICLE_HTML.encode(), "briefing.html"),
            (jsonl.encode(), "wire.jsonl"),
            (b"%PDF-1.4", "scan.pdf"),
        ],
    )
    assert response.status_code == 200
    assert report_rows(response.get_data(as_text=True)) == [
        ("added", "uploads/서울_기사_1.txt, uploads/briefing.html, wire/1"),
        ("rejected", "uploads/wire.jsonl#2: invalid JSON: Expecting property name enclosed in "
         "double quotes at column 2"),
        ("rejected", "uploads/wire.jsonl#3: missing or empty 'text'"),
        ("rejected", "uploads/scan.pdf: unsupported file type .pdf"),
    ]  # fmt: skip
    # Searchable at once, each by a word only it contains.
    assert ids_for(admin, "합성어휘토끼") == ["uploads/서울_기사_1.txt"]
    assert ids_for(admin, "quokkaword") == ["uploads/briefing.html"]
    assert ids_for(admin, "wombatword") == ["wire/1"]
    article = admin.get("/api/articles/uploads/briefing.html").json
    assert (article["title"], article["url"]) == (
        "Quokkaword briefing",
        "https://example.org/quokka",
    )
    # The same file again changes nothing; an edited one is updated.
    response = upload(admin, token, [(ARTICLE_TXT.encode(), "서울 기사 1.txt")])
    assert report_rows(response.get_data(as_text=True)) == [
        ("unchanged", "uploads/서울_기사_1.txt")
    ]
    edited = ARTICLE_TXT.replace("예정이라고", "계획이라고")
    response = upload(admin, token, [(edited.encode(), "서울 기사 1.txt")])
    assert report_rows(response.get_data(as_text=True)) == [("updated", "uploads/서울_기사_1.txt")]


def test_upload_without_files(admin: FlaskClient) -> None:
    token = login(admin)
    response = upload(admin, token, [])
    assert response.status_code == 400
    assert "No file was chosen." in response.get_data(as_text=True)


def test_upload_report_escapes_markup(admin: FlaskClient) -> None:
    token = login(admin)
    response = upload(admin, token, [(SCRIPT.encode(), f"{SCRIPT}.exe")])
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page
    assert report_rows(page) == [("rejected", "uploads/script_.exe: unsupported file type .exe")]


def test_paste_an_article(admin: FlaskClient) -> None:
    token = login(admin)
    form = {
        "csrf_token": token,
        "title": "붙여넣은 기사 제목",
        "outlet": "시험일보",
        "author": "홍길동",
        "published": "2025-02-10",
        "url": "javascript:alert(1)",
        "lang": "ko",
        "text": "파리 회의에서 zebrapaste 라는 표현이 나왔다.\n두 번째 문단이다.",
    }
    response = admin.post("/admin/paste", data=form, headers=EN)
    assert response.status_code == 200
    assert report_rows(response.get_data(as_text=True)) == [("added", "pasted/4ba0d4c7fcf5")]
    assert ids_for(admin, "zebrapaste") == ["pasted/4ba0d4c7fcf5"]
    data = admin.get("/api/articles/pasted/4ba0d4c7fcf5").json
    assert (data["outlet"], data["author"], data["published"], data["lang"]) == (
        "시험일보",
        "홍길동",
        "2025-02-10T00:00:00",
        ["ko"],
    )
    page = admin.get("/articles/pasted/4ba0d4c7fcf5").get_data(as_text=True)
    assert "javascript:" not in page  # only http(s) addresses become links


def test_paste_without_text_is_rejected(admin: FlaskClient) -> None:
    token = login(admin)
    response = admin.post("/admin/paste", data={"csrf_token": token, "title": "t", "text": " "})
    assert response.status_code == 422
    assert report_rows(response.get_data(as_text=True)) == [
        ("rejected", "pasted/: missing or empty 'text'")
    ]


def test_upload_limit_gives_413(admin: FlaskClient) -> None:
    token = login(admin)
    response = upload(admin, token, [(b"x" * 300 * 1024, "big.txt")])
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "<h1>413</h1>" in page and "The upload is too large (limit 256 KB)" in page
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_reindex_runs_in_the_background(admin_app: Flask, admin: FlaskClient) -> None:
    token = login(admin)
    assert 'id="job" class="job" data-state="idle"' in admin.get("/admin").get_data(as_text=True)
    assert admin.post("/admin/reindex", data={"csrf_token": token}).status_code == 303
    admin_app.extensions["summit_search.reindex"].join(30)
    status = admin.get("/admin/reindex/status").json
    assert status["state"] == "done" and (status["done"], status["total"]) == (5, 5)
    assert status["summary"] == "0 added, 0 updated, 5 unchanged, 0 removed, 0 failed"
    # A new file in a source folder is picked up by the next run.
    source = admin_app.config["SOURCE_DIRS"][0]
    (source / "new.txt").write_text(ARTICLE_TXT, encoding="utf-8")
    admin.post("/admin/reindex", data={"csrf_token": token})
    admin_app.extensions["summit_search.reindex"].join(30)
    status = admin.get("/admin/reindex/status").json
    assert status["summary"] == "1 added, 0 updated, 5 unchanged, 0 removed, 0 failed"
    assert ids_for(admin, "합성어휘토끼") == ["new.txt"]
    page = admin.get("/admin", headers=EN).get_data(as_text=True)
    assert "Finished: 1 added, 0 updated, 5 unchanged, 0 removed, 0 failed" in page


def test_upload_creates_a_missing_index(tmp_path: Path) -> None:
    client = make_app(tmp_path / "fresh").test_client()
    assert client.get("/?q=합성어휘토끼").status_code == 503
    token = login(client)
    upload(client, token, [(ARTICLE_TXT.encode(), "first.txt")])
    assert ids_for(client, "합성어휘토끼") == ["uploads/first.txt"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("기사.txt", "기사.txt"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\a b.html", "a_b.html"),
        (".hidden.txt", "hidden.txt"),
        ("", "article"),
        ("<script>.txt", "script_.txt"),
    ],
)
def test_safe_name(name: str, expected: str) -> None:
    assert safe_name(name) == expected


def test_only_one_reindex_at_a_time(
    admin_app: Flask, admin: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def slow(*args: object, **kwargs: object) -> IndexReport:
        release.wait(10)
        return IndexReport()

    monkeypatch.setattr(jobs, "index_sources", slow)
    token = login(admin)
    assert admin.post("/admin/reindex", data={"csrf_token": token}).status_code == 303
    assert admin.get("/admin/reindex/status").json["state"] == "running"
    response = admin.post("/admin/reindex", data={"csrf_token": token}, headers=EN)
    assert response.status_code == 409
    assert "A reindex is already running." in response.get_data(as_text=True)
    release.set()
    admin_app.extensions["summit_search.reindex"].join(10)
    assert admin.get("/admin/reindex/status").json["state"] == "done"
