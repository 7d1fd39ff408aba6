"""HTTP: methods an address does not take, blank queries, ignored parameters, and what the
real server answers to requests it cannot parse (a long line, unencoded Korean)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from tests.bench.load import free_port
from webui.serve import ENCODE_ADVICE

JSON_PATHS = [
    "/api/search?q=AI",
    "/api/articles/003_d2343a382aed7d1a.txt",
    "/api/suggest?q=AI",
    "/api/openapi.json",
    "/suggest?q=AI",
]
METHODS = ["POST", "PUT", "DELETE", "PATCH", "TRACE"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", JSON_PATHS)
def test_other_methods_on_the_api_are_405_in_json(
    client: FlaskClient, path: str, method: str
) -> None:
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert (response.mimetype, response.json) == (
        "application/json",
        {"error": "Method Not Allowed", "status": 405},
    )


def test_a_page_answers_405_with_allow_and_forms_still_need_their_token(
    client: FlaskClient,
) -> None:
    page = client.post("/?q=AI", headers={"Accept-Language": "en"})
    assert (page.status_code, page.headers["Allow"], page.mimetype) == (
        405,
        "GET, HEAD, OPTIONS",
        "text/html",
    )
    assert "That address does not accept this kind of request." in page.get_data(as_text=True)
    # An address that takes POST still refuses one without the form's token.
    login = client.post("/admin/login", data={"token": "x"}, headers={"Accept-Language": "en"})
    assert login.status_code == 400
    assert "The form had expired." in login.get_data(as_text=True)
    assert client.post("/no/such/page").status_code == 404


@pytest.mark.parametrize("query", ["", "q=", "q=%20%20", "q=%09"])
def test_a_missing_or_blank_query_is_400(client: FlaskClient, query: str) -> None:
    response = client.get(f"/api/search?{query}")
    assert (response.status_code, response.json) == (
        400,
        {"error": "missing q", "status": 400, "query": ""},
    )


def test_the_description_marks_q_required_and_not_blank(client: FlaskClient) -> None:
    operation = client.get("/api/openapi.json").json["paths"]["/api/search"]["get"]
    (q,) = [p for p in operation["parameters"] if p["name"] == "q"]
    assert q["required"] is True
    schema = Draft202012Validator(q["schema"], format_checker=None)
    assert [schema.is_valid(v) for v in ("", "  ", "\t", "AI", " 서울 ")] == [
        False,
        False,
        False,
        True,
        True,
    ]
    assert sorted(operation["responses"]) == ["200", "400", "414", "429", "503"]


@pytest.mark.parametrize(
    ("query", "page", "pagesize", "ignored"),
    [
        ("limit=", 1, 10, ["limit"]),
        ("page=-3", 1, 10, ["page"]),
        ("page=0&limit=", 1, 10, ["page", "limit"]),
        ("page=&limit=-1", 1, 10, ["page", "limit"]),
        ("page=2&limit=2", 2, 2, []),
        # Above the caps, a number is capped, as the description says, not ignored.
        ("page=900&limit=900", 500, 100, []),
    ],
)
def test_malformed_page_and_limit_are_listed_in_ignored(
    client: FlaskClient, query: str, page: int, pagesize: int, ignored: list[str]
) -> None:
    data = client.get(f"/api/search?q=AI&{query}").json
    assert (data["page"], data["pagesize"], data["ignored"]) == (page, pagesize, ignored)


# --- the real server --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, corpus_index: Path) -> Iterator[int]:
    """`summit-search serve` over a copy of the corpus index, one worker; its port."""
    index = tmp_path_factory.mktemp("http") / "index"
    shutil.copytree(corpus_index, index)
    port = free_port()
    script = Path(sys.executable).with_name("summit-search")
    env = {**os.environ, "SUMMIT_SEARCH_ADMIN_TOKEN": "t", "SUMMIT_SEARCH_RATELIMIT": "0"}
    command = [str(script), "serve", "--index", str(index), "--port", str(port), "--workers", "1"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith("Summit Search: http://127.0.0.1:")
    try:
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
        proc.stdout.close()


def raw(port: int, line: bytes) -> tuple[str, dict[str, str], bytes]:
    """Send ``line`` as the request line, byte for byte; (status line, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *fields = head.decode("latin-1").split("\r\n")
    headers = dict(f.split(": ", 1) for f in fields)
    return status, {k.lower(): v for k, v in headers.items()}, body


def test_a_request_line_over_the_limit_gets_a_json_414(served: int) -> None:
    # The request line is GET, the target and HTTP/1.1: 8,191 bytes in all.
    target = "/api/search?q=" + "a" * (8191 - len("GET /api/search?q= HTTP/1.1"))
    status, headers, body = raw(served, f"GET {target} HTTP/1.1".encode())
    assert status == "HTTP/1.1 414 URI Too Long"
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {
        "error": "URI Too Long",
        "status": 414,
        "message": "The request line is longer than 8190 bytes.",
    }


def test_a_long_encoded_korean_query_is_searched(served: int) -> None:
    # 600 syllables percent-encoded: a request line of about 5.6 KB, over gunicorn's default.
    words = " ".join(["정상회의"] * 150)
    target = "/api/search?" + urllib.parse.urlencode({"q": words, "limit": 1})
    assert 5000 < len(target) < 8000
    status, _, body = raw(served, f"GET {target} HTTP/1.1".encode())
    assert status == "HTTP/1.1 200 OK"
    data = json.loads(body)
    # The same word 150 times finds what it finds once.
    once = json.loads(
        raw(served, b"GET /api/search?q=%EC%A0%95%EC%83%81%ED%9A%8C%EC%9D%98 HTTP/1.1")[2]
    )
    assert (data["query"], data["total"], once["total"]) == (words, 4, 4)


def test_unencoded_korean_gets_a_json_400_that_says_to_encode(served: int) -> None:
    status, headers, body = raw(served, "GET /api/search?q=서울 HTTP/1.1".encode())
    assert status == "HTTP/1.1 400 Bad Request"
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"error": "Bad Request", "status": 400, "message": ENCODE_ADVICE}
    assert "--data-urlencode 'q=서울'" in ENCODE_ADVICE
    # What the README's curl example sends is searched.
    encoded = "/api/search?" + urllib.parse.urlencode({"q": "서울"})
    assert raw(served, f"GET {encoded} HTTP/1.1".encode())[0] == "HTTP/1.1 200 OK"


@pytest.mark.parametrize("method", METHODS)
def test_the_server_answers_other_methods_with_405(served: int, method: str) -> None:
    status, headers, body = raw(served, f"{method} /api/search?q=AI HTTP/1.1".encode())
    assert status == "HTTP/1.1 405 METHOD NOT ALLOWED"
    assert headers["allow"] == "GET, HEAD, OPTIONS"
    assert json.loads(body) == {"error": "Method Not Allowed", "status": 405}
