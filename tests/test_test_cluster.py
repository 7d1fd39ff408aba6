"""The OpenSearch test cluster itself: three real nodes, and any one of them can die."""

from __future__ import annotations

import json
import urllib.request

from tests.opensearch.cluster import Cluster


def call(url: str, method: str = "GET", body: object = None) -> dict:
    """One JSON request to a node."""
    data = None
    if body is not None:
        lines = body if isinstance(body, str) else json.dumps(body)
        data = lines.encode("utf-8")
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header(
        "Content-Type", "application/x-ndjson" if isinstance(body, str) else "application/json"
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def test_the_cluster_has_a_manager_only_node_and_two_data_nodes(
    opensearch_cluster: Cluster,
) -> None:
    nodes = call(f"{opensearch_cluster.urls[0]}/_cat/nodes?format=json&h=name,node.role")
    assert sorted((n["name"], n["node.role"]) for n in nodes) == [
        ("node0", "m"),
        ("node1", "dim"),
        ("node2", "dim"),
    ]


def test_killing_a_data_node_loses_no_document(opensearch_cluster: Cluster) -> None:
    url = opensearch_cluster.urls[0]
    settings = {"settings": {"number_of_shards": 2, "number_of_replicas": 1}}
    call(f"{url}/harness-kill", "PUT", settings)
    try:
        bulk = "".join(
            json.dumps({"index": {"_id": str(i)}}) + "\n" + json.dumps({"n": i}) + "\n"
            for i in range(500)
        )
        assert call(f"{url}/harness-kill/_bulk?refresh=true", "POST", bulk)["errors"] is False
        opensearch_cluster.wait("green")
        call(f"{url}/harness-kill/_flush", "POST")
        opensearch_cluster.kill("node1")
        survivor = next(n.url for n in opensearch_cluster.nodes if n.name == "node2")
        health = call(f"{survivor}/_cluster/health?wait_for_nodes=2&timeout=30s")
        assert (health["number_of_nodes"], health["status"] in ("yellow", "green")) == (2, True)
        count = call(f"{survivor}/harness-kill/_count")
        assert (count["count"], count["_shards"]["failed"]) == (500, 0)
    finally:
        opensearch_cluster.restart("node1")
        opensearch_cluster.wait("green")
        call(f"{url}/harness-kill", "DELETE")
