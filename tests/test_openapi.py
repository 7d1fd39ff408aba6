"""The OpenAPI description is valid OpenAPI 3.1, and real responses match it exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import make_app
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

S003 = "003_d2343a382aed7d1a.txt"


@pytest.fixture(scope="module")
def client(corpus_index: Path) -> FlaskClient:
    return make_app(corpus_index, RATELIMIT_SEARCH_BURST=1000).test_client()


@pytest.fixture(scope="module")
def document(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.json


def test_the_description_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)  # raises on any error
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://localhost"}]
    assert sorted(document["paths"]) == [
        "/api/articles/{id}",
        "/api/search",
        "/api/suggest",
        "/suggest",
    ]


def test_the_public_address_names_the_server(corpus_index: Path) -> None:
    client = make_app(corpus_index, PUBLIC_URL="https://summits.example/").test_client()
    assert client.get("/api/openapi.json").json["servers"] == [{"url": "https://summits.example"}]


def check(document: dict[str, Any], path: str, response: Any) -> None:
    """Validate ``response`` against the schema its path and status have in ``document``."""
    declared = document["paths"][path]["get"]["responses"][str(response.status_code)]
    (media, content), *_ = declared["content"].items()
    assert response.mimetype == media
    schema = {**content["schema"], "components": document["components"]}
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(response.json)]
    assert errors == []


SEARCHES = [
    "q=AI",
    "q=서울 정상회의",
    'q="AI 안전 서약"',
    "q=기본법&limit=1",
    "q=AI&page=2&limit=2&sort=newest",
    "q=AI&outlet=쿠키뉴스&outlet=-&lang=ko",
    "q=AI&from=2024-05-01&to=2024-05-31",
    "q=AI&from=2024-05-01&undated=1",
    "q=AI&match=any&summit=Seoul 2024",
    "q=AI&noalias=AI",
    "q=정상회이",  # a spelling suggestion
    "q=쿼카쿼카쿼카",  # nothing
    "q=AI&page=zz&limit=0&sort=up&from=soon",  # every part ignored
    "q=the of and",  # a notice
]


@pytest.mark.parametrize("query", SEARCHES)
def test_search_responses_match(client: FlaskClient, document: dict, query: str) -> None:
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 200
    check(document, "/api/search", response)


def test_error_responses_match(client: FlaskClient, document: dict, tmp_path: Path) -> None:
    missing = client.get("/api/search")
    assert missing.status_code == 400
    check(document, "/api/search", missing)
    absent = client.get("/api/articles/no/such.txt")
    assert absent.status_code == 404
    check(document, "/api/articles/{id}", absent)
    no_index = make_app(tmp_path / "none").test_client().get("/api/search?q=AI")
    assert no_index.status_code == 503
    check(document, "/api/search", no_index)
    limited = make_app(tmp_path / "none", RATELIMIT_SEARCH_BURST=1).test_client()
    limited.get("/api/search?q=AI")
    refused = limited.get("/api/search?q=AI")
    assert refused.status_code == 429
    check(document, "/api/search", refused)


@pytest.mark.parametrize("query", ["", "기본법", "AI"])
def test_article_responses_match(client: FlaskClient, document: dict, query: str) -> None:
    response = client.get(f"/api/articles/{S003}?q={query}")
    assert response.status_code == 200
    check(document, "/api/articles/{id}", response)


@pytest.mark.parametrize("typed", ["", "앤ㅌ", "AI 안전 연", "summ", "쿼카쿼카"])
def test_suggestion_responses_match(client: FlaskClient, document: dict, typed: str) -> None:
    for path in ("/api/suggest", "/suggest"):
        response = client.get(path, query_string={"q": typed})
        assert response.status_code == 200
        check(document, path, response)
