"""Jobs written to the cluster: the one pipeline, bulk requests, rebuilds behind an alias."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from opensearchpy import OpenSearch

from indexer.backends.errors import IndexVersionError
from indexer.backends.opensearch import writer as cluster_writer
from indexer.backends.opensearch.client import live_index
from indexer.config import CORPUS_DIR, ClusterSettings, Config
from indexer.ingest import run as ingest
from indexer.search.library import Library
from tests.opensearch.cluster import Cluster

CORPUS_IDS = sorted(p.name for p in CORPUS_DIR.glob("0*.txt"))
_names = itertools.count()


@pytest.fixture
def cluster_config(opensearch_cluster: Cluster, tmp_path: Path) -> Iterator[Config]:
    """A config whose index is a new alias on the test cluster (removed afterwards)."""
    alias = f"writer-test-{next(_names)}"
    settings = ClusterSettings(tuple(opensearch_cluster.urls), index=alias, shards=2, replicas=1)
    yield Config.at(tmp_path / "index", cluster=settings, workers=1)
    client = OpenSearch(opensearch_cluster.urls)
    client.indices.delete(index=f"{alias}-*", ignore_unavailable=True)


def indexed_ids(config: Config) -> list[str]:
    """The ids the alias finds, after the job's refresh."""
    assert config.cluster is not None
    client = OpenSearch(list(config.cluster.hosts))
    found = client.search(index=config.cluster.index, body={"size": 100, "_source": False})
    return sorted(hit["_id"] for hit in found["hits"]["hits"])


def test_a_job_writes_every_article_and_a_second_finds_them_unchanged(
    cluster_config: Config,
) -> None:
    first = ingest.index_sources(cluster_config, [CORPUS_DIR])
    assert (sorted(first.added), first.failed) == (CORPUS_IDS, [])
    assert indexed_ids(cluster_config) == CORPUS_IDS
    again = ingest.index_sources(cluster_config, [CORPUS_DIR])
    assert (again.added, sorted(again.unchanged)) == ([], CORPUS_IDS)


def test_a_rebuild_writes_a_new_index_and_moves_the_alias(cluster_config: Config) -> None:
    assert cluster_config.cluster is not None
    client = OpenSearch(list(cluster_config.cluster.hosts))
    ingest.index_sources(cluster_config, [CORPUS_DIR])
    before = live_index(client, cluster_config.cluster.index)
    report = ingest.index_sources(cluster_config, [CORPUS_DIR], rebuild=True)
    after = live_index(client, cluster_config.cluster.index)
    assert sorted(report.added) == CORPUS_IDS
    assert (before != after, client.indices.exists(index=before)) == (True, False)
    assert indexed_ids(cluster_config) == CORPUS_IDS


def test_a_failed_rebuild_leaves_the_old_index_whole(
    cluster_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cluster_config.cluster is not None
    client = OpenSearch(list(cluster_config.cluster.hosts))
    ingest.index_sources(cluster_config, [CORPUS_DIR])
    before = live_index(client, cluster_config.cluster.index)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("the cluster went away")

    monkeypatch.setattr(cluster_writer.OpenSearchWriter, "commit", fail)
    with pytest.raises(OSError, match="went away"):
        ingest.index_sources(cluster_config, [CORPUS_DIR], rebuild=True)
    assert live_index(client, cluster_config.cluster.index) == before
    assert client.indices.get(index=f"{cluster_config.cluster.index}-*").keys() == {before}
    assert indexed_ids(cluster_config) == CORPUS_IDS


def test_an_index_of_another_version_is_refused(cluster_config: Config) -> None:
    assert cluster_config.cluster is not None
    client = OpenSearch(list(cluster_config.cluster.hosts))
    ingest.index_sources(cluster_config, [CORPUS_DIR])
    live = live_index(client, cluster_config.cluster.index)
    client.indices.put_mapping(index=live, body={"_meta": {"schema_version": 0}})
    with pytest.raises(IndexVersionError, match=r"index --rebuild"):
        ingest.index_sources(cluster_config, [CORPUS_DIR])
    assert sorted(ingest.index_sources(cluster_config, [CORPUS_DIR], rebuild=True).added) == (
        CORPUS_IDS
    )


def test_removed_articles_leave_the_cluster(cluster_config: Config) -> None:
    ingest.index_sources(cluster_config, [CORPUS_DIR])
    gone = CORPUS_IDS[:2]
    assert ingest.remove_ids(cluster_config, gone) == gone
    assert indexed_ids(cluster_config) == CORPUS_IDS[2:]


def test_a_data_node_killed_during_a_job_loses_no_article(
    cluster_config: Config,
    opensearch_cluster: Cluster,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = [
        json.dumps(
            {"id": f"n{i:04d}", "title": f"기사 {i}", "text": f"서울 정상회의 {i}번째 기사."}
        )
        for i in range(1200)
    ]
    (tmp_path / "many.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    sent = cluster_writer.OpenSearchWriter.written
    batches = []

    def kill_after_the_first(self: cluster_writer.OpenSearchWriter, *args: object) -> None:
        sent(self, *args)  # type: ignore[arg-type]
        batches.append(1)
        if len(batches) == 1:
            opensearch_cluster.kill("node1")

    monkeypatch.setattr(cluster_writer.OpenSearchWriter, "written", kill_after_the_first)
    config = replace(cluster_config, commit_every=300)
    try:
        report = ingest.index_sources(config, [tmp_path / "many.jsonl"])
        assert (len(report.added), report.failed, len(batches)) == (1200, [], 4)
        assert config.cluster is not None
        survivor = next(n.url for n in opensearch_cluster.nodes if n.name == "node2")
        count = OpenSearch([survivor]).count(index=config.cluster.index)
        assert (count["count"], count["_shards"]["failed"]) == (1200, 0)
    finally:
        opensearch_cluster.restart("node1")
        opensearch_cluster.wait("green")


def test_each_commit_counts_so_readers_see_the_index_changed(cluster_config: Config) -> None:
    generations = []
    for _ in range(2):
        ingest.index_sources(cluster_config, [CORPUS_DIR])
        with Library(cluster_config).backend.snapshot() as snap:
            generations.append(snap.generation)
    assert generations == [1, 2]
