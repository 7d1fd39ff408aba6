"""Both backends on one corpus, in one process: indexing MB/s and every query kind's latency.

    python -m tests.opensearch.cluster run -- \\
        .venv/bin/python -m tests.bench.backends --size 10000 --queries 100

The corpus is the speed benchmark's (``gen.write``). It is indexed from nothing into the
embedded index and into the cluster the ``SUMMIT_SEARCH_TEST_CLUSTER`` state file describes
(two shards, one replica), one after the other; then each query kind of the speed benchmark
runs through both, each figure beside the reference work timed just before it. The cluster's
nodes share this machine's cores with the benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from opensearchpy import OpenSearch

from indexer.config import ClusterSettings, Config
from indexer.ingest.run import index_sources
from indexer.search.library import Library
from tests.bench import DEFAULT_DATA, gen
from tests.bench.speed import (
    KINDS,
    _timed,
    headline_queries,
    keyword_queries,
    page_latencies,
    phrase_queries,
    question_queries,
    rank_latencies,
)
from tests.opensearch.cluster import ENV_VAR, Cluster

ALIAS = "bench-backends"


def cluster_memory_mb(cluster: Cluster) -> dict[str, float]:
    """Each node's resident memory (MB), read from /proc."""
    out = {}
    for node in cluster.nodes:
        try:
            status = Path(f"/proc/{node.pid}/status").read_text()
        except OSError:
            continue
        rss = next(line for line in status.splitlines() if line.startswith("VmRSS"))
        out[node.name] = int(rss.split()[1]) / 1024
    return out


def top10_overlap(first: Library, second: Library, queries: Sequence[str]) -> dict[str, float]:
    """How alike two libraries' top 10s are: the mean share of ids both rank in the top 10,
    and the share of queries whose top 10 is the same set of ids."""
    pairs = [(str(n), q) for n, q in enumerate(queries)]
    a = {qid: {i for i, _ in hits} for qid, hits in first.search_batch(pairs, limit=10)}
    b = {qid: {i for i, _ in hits} for qid, hits in second.search_batch(pairs, limit=10)}
    shares = [len(a[q] & b[q]) / max(len(a[q] | b[q]), 1) for q in a]
    same = [a[q] == b[q] for q in a]
    return {"mean_jaccard": sum(shares) / len(shares), "same_set": sum(same) / len(same)}


def measure(size: int, queries: int, seed: int, data: Path, cluster: Cluster) -> dict:
    """Index ``size`` articles into each backend, then time every query kind on both."""
    report: dict = {"articles": size}
    with tempfile.TemporaryDirectory(prefix="summit-backends-") as tmp:
        work = Path(tmp)
        jsonl = work / "articles.jsonl"
        text_mb = gen.write(jsonl, size, seed, data) / 1e6
        report["text_mb"] = text_mb
        settings = ClusterSettings(tuple(cluster.urls), index=ALIAS)
        configs = {
            "embedded": Config.at(work / "index"),
            "cluster": Config.at(work / "cluster-index", cluster=settings),
        }
        libraries = {}
        for name, config in configs.items():
            started = time.perf_counter()
            done = index_sources(config, [jsonl], rebuild=True)
            seconds = time.perf_counter() - started
            report[f"{name}_index_s"] = seconds
            report[f"{name}_mb_per_s"] = text_mb / seconds
            report[f"{name}_added"] = len(done.added)
            libraries[name] = Library(config)
        report["cluster_to_embedded_mb_per_s"] = (
            report["cluster_mb_per_s"] / report["embedded_mb_per_s"]
        )
        kinds = {
            kind: keyword_queries(jsonl, queries, words, seed)
            for words, kind in enumerate(KINDS[:3], 1)
        }
        kinds["question"] = question_queries(data, queries, seed)
        kinds["headline"] = headline_queries(data, queries, seed)
        kinds["phrase"] = phrase_queries(jsonl, queries, seed)
        report["top10_overlap"] = {
            k: top10_overlap(libraries["embedded"], libraries["cluster"], q)
            for k, q in kinds.items()
        }
        for name, library in libraries.items():
            report[f"{name}_rank_ms"] = {
                k: _timed(lambda q=q, lib=library: rank_latencies(lib, q)) for k, q in kinds.items()
            }
            report[f"{name}_page_ms"] = {
                k: _timed(lambda q=q, lib=library: page_latencies(lib, q)) for k, q in kinds.items()
            }
        report["cluster_memory_mb"] = cluster_memory_mb(cluster)
        OpenSearch(list(cluster.urls)).indices.delete(index=f"{ALIAS}-*")
    return report


def markdown(report: dict) -> str:
    """The figures as two Markdown tables."""
    lines = [
        f"{report['articles']} articles, {report['text_mb']:.1f} MB of text: embedded "
        f"{report['embedded_index_s']:.1f} s ({report['embedded_mb_per_s']:.3f} MB/s), cluster "
        f"{report['cluster_index_s']:.1f} s ({report['cluster_mb_per_s']:.3f} MB/s), "
        f"ratio {report['cluster_to_embedded_mb_per_s']:.2f}",
        "",
        "| query | top-10 p50 / p95 embedded | cluster | page p50 / p95 embedded | cluster |",
        "|---|---|---|---|---|",
    ]
    for kind in report["embedded_rank_ms"]:
        cells = []
        for part in ("rank", "page"):
            for name in ("embedded", "cluster"):
                f = report[f"{name}_{part}_ms"][kind]
                cells.append(
                    f"{f['p50']:.1f} / {f['p95']:.1f} ({f['p50_ratio']:.2f} / {f['p95_ratio']:.2f})"
                )
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    overlap = ", ".join(
        f"{k} {v['mean_jaccard']:.3f} ({v['same_set']:.0%} identical)"
        for k, v in report["top10_overlap"].items()
    )
    lines += ["", f"top-10 overlap (mean Jaccard of the id sets, embedded vs cluster): {overlap}"]
    memory = ", ".join(f"{k} {v:.0f} MB" for k, v in report["cluster_memory_mb"].items())
    lines += ["", f"cluster memory after the run: {memory}"]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.backends")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    state = os.environ.get(ENV_VAR)
    if not state:
        parser.error(f"run it inside the test cluster ({ENV_VAR} names its state file)")
    report = measure(args.size, args.queries, args.seed, args.data, Cluster.load(state))
    print(markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
