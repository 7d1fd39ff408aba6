"""Removing an article of a source folder: its file gives it up first (the file, or one line of
a JSONL file whose other articles stay), then the index; no reindex brings it back."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from conftest import index_paths, make_app
from flask.testing import FlaskClient
from test_webui_admin import csrf, login

KO = {"Accept-Language": "ko"}
EN = {"Accept-Language": "en"}
OWN_IDS = [
    {"id": "n-1", "title": "첫 기록", "text": "첫째 기록이다. 펭귄회의 소식이다."},
    {"id": "기록-2", "title": "둘째 기록", "text": "둘째 기록이다. 펭귄회의 뒷이야기다."},
    {"id": "n-3", "title": "셋째 기록", "text": "셋째 기록이다. 펭귄회의 마무리다."},
]
NO_IDS = [
    {"title": "하나", "text": "하나의 기록이다. sealmeet 소식이다."},
    {"title": "둘", "text": "둘의 기록이다. sealmeet 뒷이야기다."},
    {"title": "셋", "text": "셋의 기록이다. sealmeet 마무리다."},
]


def jsonl(records: list[dict], ascii_only: bool = False) -> str:
    return "".join(json.dumps(r, ensure_ascii=ascii_only) + "\n" for r in records)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A source folder: a text file, JSONL with ids (written escaped), JSONL without ids."""
    src = tmp_path / "folder"
    src.mkdir()
    (src / "jan.txt").write_text(
        "일월 기사\n\n일월에 열린 회의에서 의제를 정했다.", encoding="utf-8"
    )
    (src / "news.jsonl").write_text(jsonl(OWN_IDS, ascii_only=True), encoding="utf-8")
    (src / "plain.jsonl").write_text(jsonl(NO_IDS), encoding="utf-8")
    (src / "mixed.jsonl").write_text(jsonl([OWN_IDS[0] | {"id": "m-1"}, NO_IDS[0]]), "utf-8")
    report = index_paths(tmp_path / "index", [src])
    assert sorted(report.added) == [
        "jan.txt",
        "m-1",
        "mixed.jsonl#2",
        "n-1",
        "n-3",
        "plain.jsonl#1",
        "plain.jsonl#2",
        "plain.jsonl#3",
        "기록-2",
    ]
    return src


@pytest.fixture
def client(folder: Path, tmp_path: Path) -> FlaskClient:
    test_client = make_app(tmp_path / "index", SOURCE_DIRS=[folder]).test_client()
    login(test_client)
    return test_client


def text_of(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:p|li|h1|ol)>', page, re.S)
    assert found, element_id
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def confirm(client: FlaskClient, doc_id: str, headers: dict = KO) -> str:
    response = client.get("/admin/articles/delete", query_string={"id": doc_id}, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def remove(client: FlaskClient, doc_id: str) -> tuple[int, str]:
    response = client.post(
        "/admin/articles/delete",
        data={"id": doc_id, "csrf_token": csrf(client)},
        headers=KO,
        follow_redirects=True,
    )
    return response.status_code, response.get_data(as_text=True)


def ids(client: FlaskClient, word: str) -> list[str]:
    found = client.get("/api/search", query_string={"q": word, "limit": 20}).json
    return sorted(h["id"] for h in found["hits"] if h["strict"])


def test_a_text_file_article_is_removed_once_its_file_is_gone(
    client: FlaskClient, folder: Path, tmp_path: Path
) -> None:
    page = confirm(client, "jan.txt")
    assert text_of(page, "main").startswith("이 기사를 지우려면")
    assert "삭제할까요" not in page
    assert text_of(page, "delete-note") == (
        "이 기사는 원본 폴더의 파일에서 읽었습니다. 그 파일이 원본이라, 색인에서만 지우면 다시 "
        "색인할 때 돌아옵니다."
    )
    assert (
        text_of(page, "remove-file")
        == f"파일 {folder / 'jan.txt'}: 지우거나 원본 폴더 밖으로 옮기세요."
    )
    assert text_of(page, "remove-index") == (
        "그다음 여기서 색인에서 지우세요. 다시 색인해도 돌아오지 않습니다."
    )
    # While the file holds it, the index keeps it too.
    status, refused = remove(client, "jan.txt")
    assert status == 409
    assert text_of(refused, "delete-error") == (
        f"파일 {folder / 'jan.txt'}에 아직 이 기사가 있습니다. 첫 단계를 마친 뒤 여기서 지우세요."
    )
    assert ids(client, "의제") == ["jan.txt"]
    (folder / "jan.txt").unlink()
    assert "완료: 파일에는 이 기사가 더 이상 없습니다." in text_of(
        confirm(client, "jan.txt"), "remove-file"
    )
    status, listed = remove(client, "jan.txt")
    assert status == 200
    assert (
        text_of(listed, "removed") == "‘일월에 열린 회의에서 의제를 정했다.’ 기사를 삭제했습니다."
    )
    assert ids(client, "의제") == []
    again = index_paths(tmp_path / "index", [folder], prune=True)
    assert (again.added, again.removed) == ([], [])


def test_a_jsonl_record_goes_with_its_line_and_the_others_stay(
    client: FlaskClient, folder: Path, tmp_path: Path
) -> None:
    news = folder / "news.jsonl"
    page = confirm(client, "기록-2")
    assert text_of(page, "remove-file") == (
        f'파일 {news}: "id"가 "기록-2"인 줄을 지우세요. '
        "같은 파일의 다른 기사 2건은 그대로 남습니다."
    )
    assert remove(client, "기록-2")[0] == 409
    lines = news.read_text(encoding="utf-8").splitlines(keepends=True)
    news.write_text(lines[0] + lines[2], encoding="utf-8")
    status, listed = remove(client, "기록-2")
    assert (status, text_of(listed, "removed")) == (200, "‘둘째 기록’ 기사를 삭제했습니다.")
    assert ids(client, "펭귄회의") == ["m-1", "n-1", "n-3"]
    # Neither a reindex nor a pruning one brings it back or touches the others.
    for prune in (False, True):
        again = index_paths(tmp_path / "index", [folder], prune=prune)
        assert (again.added, again.updated, again.removed) == ([], [], [])
    assert ids(client, "펭귄회의") == ["m-1", "n-1", "n-3"]


def test_a_record_named_by_its_line_is_emptied_so_the_others_keep_theirs(
    client: FlaskClient, folder: Path, tmp_path: Path
) -> None:
    plain = folder / "plain.jsonl"
    page = confirm(client, "plain.jsonl#2", headers=EN)
    assert text_of(page, "main").startswith("To remove this article")
    assert text_of(page, "remove-file") == (
        f"In the file {plain}, empty line 2, leaving an empty line: records without an id are "
        "named by their line number. The other 2 article(s) of the file stay."
    )
    lines = plain.read_text(encoding="utf-8").splitlines(keepends=True)
    plain.write_text(lines[0] + "\n" + lines[2], encoding="utf-8")
    assert remove(client, "plain.jsonl#2")[0] == 200
    again = index_paths(tmp_path / "index", [folder], prune=True)
    assert (again.added, again.removed) == ([], [])
    assert ids(client, "sealmeet") == ["mixed.jsonl#2", "plain.jsonl#1", "plain.jsonl#3"]


def test_a_record_with_an_id_among_numbered_ones_is_emptied_too(
    client: FlaskClient, folder: Path
) -> None:
    mixed = folder / "mixed.jsonl"
    assert text_of(confirm(client, "m-1", headers=EN), "remove-file") == (
        f'In the file {mixed}, empty the line whose "id" is "m-1", leaving an empty line: '
        "records without an id are named by their line number. The other 1 article(s) of the "
        "file stay."
    )


def test_uploads_and_pastes_are_still_deleted_at_once(client: FlaskClient) -> None:
    form = {
        "csrf_token": csrf(client),
        "title": "바로 지울 메모",
        "text": "곧 지울 메모다. 해달정상.",
    }
    assert client.post("/admin/paste", data=form).status_code == 200
    (pasted,) = ids(client, "해달정상")
    page = confirm(client, pasted)
    assert text_of(page, "main").startswith("이 기사를 삭제할까요?")
    assert 'id="remove-steps"' not in page
    status, listed = remove(client, pasted)
    assert (status, text_of(listed, "removed")) == (200, "‘바로 지울 메모’ 기사를 삭제했습니다.")
    assert ids(client, "해달정상") == []
