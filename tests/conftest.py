"""Shared fixtures: a small index of the bundled corpus plus an article full of markup."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from indexer.config import CORPUS_DIR, Config
from indexer.ingest import run as ingest
from tests.opensearch.cluster import ENV_VAR, Cluster, start
from webui import create_app

# The browser tests' server, browser and tab (tests/browser_support.py).
pytest_plugins = ["browser_support"]

ADMIN_TOKEN = "test-admin-token"
# The fixture article: markup in every field a page shows, so each page proves it escapes.
SCRIPT = "<script>alert(1)</script>"
SCRIPT_ARTICLE = {
    "id": "fixtures/script.jsonl",
    "title": f"{SCRIPT} escapecheck 점검 기사",
    "text": (
        f"첫 문단은 escapecheck 단어와 {SCRIPT} 를 담고 있다.\n"
        f'둘째 문단도 escapecheck 와 <img src=x onerror="alert(2)"> 를 담는다.'
    ),
    "outlet": f"{SCRIPT} Outlet",
    "author": f"{SCRIPT} Author",
    "published": "2025-02-11",
    "url": 'https://example.com/news?id=1&x="><script>alert(3)</script>',
    "lang": "en",
}
# A word found in the fixture article only.
SCRIPT_QUERY = "escapecheck"


def index_paths(index_dir: Path, paths: list[Path], **kwargs: object) -> ingest.IndexReport:
    """Index ``paths`` into ``index_dir`` (its library beside it) through the one pipeline.

    ``commit_every`` and ``workers`` go to the ``Config``; the rest to ``index_sources``.
    """
    settings = {k: kwargs.pop(k) for k in ("commit_every", "workers") if k in kwargs}
    config = Config.at(index_dir, **settings)
    return ingest.index_sources(config, list(paths), **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def script_article() -> dict[str, str]:
    """The markup-laden fixture article as its JSONL record."""
    return dict(SCRIPT_ARTICLE)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the bundled corpus plus the fixture article, built once per session."""
    sources = tmp_path_factory.mktemp("fixture-articles")
    (sources / "script.jsonl").write_text(
        json.dumps(SCRIPT_ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    index_dir = tmp_path_factory.mktemp("index") / "index"
    report = index_paths(index_dir, [CORPUS_DIR, sources])
    assert not report.failed, report.failed
    return index_dir


@pytest.fixture(scope="session")
def opensearch_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """The OpenSearch test cluster: the one `.ci/run` started, else one of this session's own."""
    state = os.environ.get(ENV_VAR)
    if state:
        shared = Cluster.load(state)
        try:
            yield shared
        finally:
            shared.release()  # a node a test restarted is this process's child
        return
    cluster = start(tmp_path_factory.mktemp("cluster"), nodes=3)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def writable_index(corpus_index: Path, tmp_path: Path) -> Path:
    """A private copy of ``corpus_index`` for tests that add or change articles."""
    target = tmp_path / "index"
    shutil.copytree(corpus_index, target)
    return target


def make_app(index_dir: Path, **config: object) -> Flask:
    """The web app over ``index_dir`` with test settings (and ``config`` on top)."""
    return create_app(
        {
            "TESTING": True,
            "INDEX_DIR": index_dir,
            "ADMIN_TOKEN": ADMIN_TOKEN,
            "SECRET_KEY": "test-secret",
            "MAX_CONTENT_LENGTH": 256 * 1024,
            **config,
        }
    )


@pytest.fixture
def app(corpus_index: Path) -> Flask:
    """The web app over the shared, read-only corpus index."""
    return make_app(corpus_index)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for ``app``."""
    return app.test_client()


@pytest.fixture
def admin_app(writable_index: Path, tmp_path: Path) -> Iterator[Flask]:
    """The web app over a private index copy, reindexing a private copy of the corpus."""
    sources = tmp_path / "sources"
    shutil.copytree(CORPUS_DIR, sources)
    app = make_app(writable_index, SOURCE_DIRS=[sources])
    yield app
    app.extensions["summit_search.reindex"].join(30)
