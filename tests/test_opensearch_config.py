"""Choosing the cluster backend by the environment, and a cluster that does not answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.backends.errors import ClusterUnavailable
from indexer.config import ClusterSettings, Config, cluster_from_env
from indexer.search.library import Library
from tests.conftest import make_app


def test_the_embedded_index_is_the_default() -> None:
    assert cluster_from_env({}) is None
    assert cluster_from_env({"SUMMIT_SEARCH_BACKEND": "whoosh"}) is None


def test_the_cluster_is_named_by_its_variables() -> None:
    env = {
        "SUMMIT_SEARCH_BACKEND": "opensearch",
        "SUMMIT_SEARCH_OPENSEARCH_URL": "https://a:9200, https://b:9200",
        "SUMMIT_SEARCH_OPENSEARCH_INDEX": "news",
        "SUMMIT_SEARCH_OPENSEARCH_USER": "reader",
        "SUMMIT_SEARCH_OPENSEARCH_PASSWORD": "secret",
        "SUMMIT_SEARCH_OPENSEARCH_VERIFY_CERTS": "0",
    }
    assert cluster_from_env(env) == ClusterSettings(
        ("https://a:9200", "https://b:9200"),
        index="news",
        username="reader",
        password="secret",
        verify_certs=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SUMMIT_SEARCH_BACKEND": "elastic"}, "whoosh or opensearch, not 'elastic'"),
        ({"SUMMIT_SEARCH_BACKEND": "opensearch"}, "needs SUMMIT_SEARCH_OPENSEARCH_URL"),
    ],
)
def test_a_wrong_backend_setting_says_what_is_wrong(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cluster_from_env(env)


# Nothing listens on port 9 (discard) of the loopback address here.
DOWN = ClusterSettings(("http://127.0.0.1:9",), index="nowhere")


def test_a_cluster_that_does_not_answer_is_one_clear_error(tmp_path: Path) -> None:
    library = Library(Config.at(tmp_path / "index", cluster=DOWN))
    with pytest.raises(ClusterUnavailable, match=r"at http://127.0.0.1:9 does not answer"):
        library.search("서울")


def test_the_pages_answer_503_when_the_cluster_does_not(tmp_path: Path) -> None:
    app = make_app(tmp_path / "index", CLUSTER=DOWN)
    client = app.test_client()
    page = client.get("/?q=%EC%84%9C%EC%9A%B8", headers={"Accept-Language": "ko"})
    api = client.get("/api/search?q=%EC%84%9C%EC%9A%B8")
    assert (page.status_code, api.status_code) == (503, 503)
    assert "OpenSearch 클러스터가 응답하지 않습니다" in page.get_data(as_text=True)
    assert api.get_json()["code"] == "cluster_unavailable"
