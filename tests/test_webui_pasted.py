"""Admin messages name an article by its title; a pasted article's id is not its title cut into
a file name, and the ids earlier pastes got keep working."""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import index_paths, make_app
from flask.testing import FlaskClient
from test_webui_admin import csrf, login

from indexer.config import Config
from indexer.ingest import run as ingest

KO = {"Accept-Language": "ko"}
EN = {"Accept-Language": "en"}
TEXT = "서울에서 인공지능 안전 연구소 네트워크가 출범했다. 미국과 영국이 참여했다. 수달정상."
TITLE = "인공지능 안전 연구소 네트워크 출범과 한미 영국 협력 방안 발표"
# What a paste of TITLE got before: its first eight words, underscored, cut to 60 characters.
OLD_ID = "pasted/인공지능_안전_연구소_네트워크_출범과_한미_영국_협력"


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    (tmp_path / "empty").mkdir()
    index_paths(tmp_path / "index", [tmp_path / "empty"])
    test_client = make_app(tmp_path / "index", SOURCE_DIRS=[tmp_path / "empty"]).test_client()
    login(test_client)
    return test_client


def paste(client: FlaskClient, **form: str) -> str:
    response = client.post("/admin/paste", data={"csrf_token": csrf(client), **form}, headers=KO)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def report(page: str) -> list[tuple[str, str]]:
    rows = re.findall(r'<tr class="(\w+)"><th>[^<]*</th><td>(.*?)</td></tr>', page, re.S)
    return [(kind, html.unescape(re.sub(r"<[^>]+>", "", cell))) for kind, cell in rows]


def removed_message(client: FlaskClient, doc_id: str, headers: dict) -> str:
    response = client.post(
        "/admin/articles/delete",
        data={"id": doc_id, "csrf_token": csrf(client)},
        headers=headers,
        follow_redirects=True,
    )
    assert response.status_code == 200
    found = re.search(r'id="removed">(.*?)</p>', response.get_data(as_text=True), re.S)
    assert found is not None
    return html.unescape(found.group(1))


def test_a_paste_is_named_by_its_text_not_a_cut_title(client: FlaskClient) -> None:
    page = paste(client, title=TITLE, text=TEXT)
    digest = hashlib.sha256(unicodedata.normalize("NFC", TEXT).encode()).hexdigest()
    assert report(page) == [("added", f"pasted/{digest[:12]}")]
    assert re.fullmatch(r"pasted/[0-9a-f]{12}", report(page)[0][1])
    # The same text again is the same article, its details updated, not a second one.
    again = paste(client, title="출범 소식 (고침)", text=TEXT + "\n")
    assert report(again) == [("updated", f"pasted/{digest[:12]}")]
    data = client.get(f"/api/articles/pasted/{digest[:12]}").json
    assert data["title"] == "출범 소식 (고침)"
    assert client.get("/api/search?q=수달정상").json["total"] == 1


def test_deleting_names_the_article_by_its_title(client: FlaskClient) -> None:
    paste(client, title=TITLE, text=TEXT)
    paste(client, title="Seoul summit note", text="An English note. otterword.")
    (first,) = [h["id"] for h in client.get("/api/search?q=수달정상").json["hits"]]
    (second,) = [h["id"] for h in client.get("/api/search?q=otterword").json["hits"]]
    # Ending in a consonant or a vowel, a title needs no particle that fits it.
    assert removed_message(client, first, KO) == f"‘{TITLE}’ 기사를 삭제했습니다."
    assert removed_message(client, second, EN) == "Deleted the article ‘Seoul summit note’."
    # Shown once: the list afterwards says nothing, and the address carries no id.
    page = client.get("/admin/articles", headers=KO).get_data(as_text=True)
    assert 'id="removed"' not in page
    # The last article gone, the list is empty, not an error.
    assert '<p class="list-count" id="list-count">색인된 기사 0건</p>' in page


def test_the_ids_earlier_pastes_got_keep_working(client: FlaskClient, tmp_path: Path) -> None:
    # A library file as an earlier version kept it, then a rebuild (as after an upgrade).
    library = tmp_path / "library" / "pasted"
    library.mkdir(parents=True)
    record = {"id": OLD_ID, "text": TEXT, "title": TITLE}
    name = OLD_ID.split("/")[1]
    (library / f"{name}.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    rebuilt = ingest.index_sources(Config.at(tmp_path / "index"), [], rebuild=True)
    assert rebuilt.added == [OLD_ID]
    assert client.get(f"/articles/{OLD_ID}").status_code == 200
    assert client.get(f"/api/articles/{OLD_ID}").json["title"] == TITLE
    page = client.get("/admin/articles/delete", query_string={"id": OLD_ID}, headers=KO)
    assert f"보관함의 파일 {name}.jsonl도 지웁니다." in page.get_data(as_text=True)
    # Given in the form, an id is kept as given, old style or not.
    assert report(paste(client, id=OLD_ID, title=TITLE, text=TEXT)) == [("unchanged", OLD_ID)]
    assert removed_message(client, OLD_ID, KO) == f"‘{TITLE}’ 기사를 삭제했습니다."
    assert not (library / f"{name}.jsonl").exists()
