"""Retrieval quality on the dev collections: the product against analysis-only baselines.

Each configuration indexes the collection's JSONL through ``ingest.index_sources`` into a
temporary folder and ranks every query with ``Library.search_batch``; ir-measures scores the
runs. Usage: ``python -m tests.bench.quality [--collection all] [--json OUT]``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import ir_measures
from ir_measures import RR, R, nDCG
from whoosh.analysis import Analyzer

from indexer.config import ClusterSettings, Config
from indexer.ingest.run import index_sources
from indexer.search.library import Library
from indexer.search.ranking import Settings
from tests.bench import DEFAULT_DATA, read_tsv
from tests.bench.baselines import BASELINES, create_baseline_index

COLLECTIONS = ("korquad-dev", "news-dev")
PRODUCT = "Summit Search (product)"
# The same product with its index on an OpenSearch cluster (``--opensearch``).
CLUSTER = "Summit Search on OpenSearch"
# Report column -> ir-measures measure.
MEASURES = {"MRR@10": RR @ 10, "nDCG@10": nDCG @ 10, "R@10": R @ 10, "R@100": R @ 100}
# MRR@10 of Lucene 8.7 with Nori on the other half of the queries, and the targets.
REFERENCE = {"korquad-dev": 0.952, "news-dev": 0.849}
TARGET = {"korquad-dev": 0.96, "news-dev": 0.87}
RANK_DEPTH = 100
# Search settings the command line can change, to measure them with the product itself.
SETTINGS_HELP = {
    "min_match": "how many of a query's concepts an article needs (minimum_should_match)",
    "part_weight": "weight of compound parts",
    "gram_weight": "weight of the bigram view",
    "author_weight": "weight of the byline",
    "phrase_weight": "extra weight of an exact quoted phrase",
    "join_weight": "weight of a word the index has only joined from words apart",
}
_HANGUL = re.compile("[\uac00-\ud7a3]")

Qrels = dict[str, dict[str, int]]
Run = dict[str, list[str]]


@dataclass
class Collection:
    """A corpus file, its queries in file order, and the relevant ids of each query."""

    name: str
    corpus: Path
    queries: list[tuple[str, str]]
    qrels: Qrels


@dataclass
class Figures:
    """One configuration's scores on one collection or on one subset of its queries."""

    config: str
    collection: str
    subset: str
    queries: int
    metrics: dict[str, float]
    no_results: int
    index_s: float
    median_query_ms: float
    extra: dict[str, float] = field(default_factory=dict)


def load_collection(data_dir: Path, name: str, limit_queries: int | None = None) -> Collection:
    """Read ``data_dir/name``: corpus.jsonl, queries.dev.tsv and qrels.dev.tsv."""
    folder = data_dir / name
    queries = [(row[0], row[1]) for row in read_tsv(folder / "queries.dev.tsv")]
    if limit_queries is not None:
        queries = queries[:limit_queries]
    wanted = {qid for qid, _ in queries}
    qrels: Qrels = {}
    for qid, doc_id, rel in read_tsv(folder / "qrels.dev.tsv"):
        if qid in wanted:
            qrels.setdefault(qid, {})[doc_id] = int(rel)
    return Collection(name, folder / "corpus.jsonl", queries, qrels)


def limit_documents(collection: Collection, max_docs: int, out: Path) -> Collection:
    """The collection over a smaller corpus: every judged document, then others up to ``max_docs``.

    Written as JSONL to ``out``, so the product still ingests it through its own reader.
    """
    judged = {d for docs in collection.qrels.values() for d in docs}
    kept = 0
    with collection.corpus.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            if not line.strip():
                continue
            doc_id = str(json.loads(line)["id"])
            if doc_id in judged or kept < max_docs - len(judged):
                kept += doc_id not in judged
                dst.write(line if line.endswith("\n") else line + "\n")
    return Collection(collection.name, out, collection.queries, collection.qrels)


def evaluate(qrels: Qrels, run: Run) -> dict[str, dict[str, float]]:
    """Per-query scores for every query in ``qrels``; a query missing from ``run`` scores 0."""
    # Scores from rank, not the engine's own: trec_eval breaks ties by doc id, which would
    # reorder hits the engine ranked deliberately.
    scored = [
        ir_measures.ScoredDoc(qid, doc_id, float(RANK_DEPTH - rank))
        for qid, ranked in run.items()
        for rank, doc_id in enumerate(ranked[:RANK_DEPTH])
    ]
    judged = [ir_measures.Qrel(q, d, r) for q, docs in qrels.items() for d, r in docs.items()]
    names = {measure: name for name, measure in MEASURES.items()}
    per_query = {qid: dict.fromkeys(MEASURES, 0.0) for qid in qrels}
    for m in ir_measures.iter_calc(list(MEASURES.values()), judged, scored):
        if m.query_id in per_query:
            per_query[m.query_id][names[m.measure]] = float(m.value)
    return per_query


def mean_scores(per_query: dict[str, dict[str, float]], qids: Sequence[str]) -> dict[str, float]:
    """Mean of each measure over ``qids``."""
    return {
        name: sum(per_query[q][name] for q in qids) / len(qids) if qids else 0.0
        for name in MEASURES
    }


def query_language(text: str) -> str:
    """``ko`` for a query with Hangul in it, else ``en``."""
    return "ko" if _HANGUL.search(text) else "en"


def run_config(
    collection: Collection,
    analyzer_factory: Callable[[], Analyzer] | None,
    workdir: Path,
    settings: Settings | None = None,
    cluster: ClusterSettings | None = None,
) -> tuple[Run, float, dict[str, float]]:
    """Index the collection with one configuration; return the run, index s and query ms.

    With ``cluster`` the product's index is built on that OpenSearch cluster.
    """
    index_dir = workdir / "index"
    if analyzer_factory is not None:
        create_baseline_index(index_dir, analyzer_factory())
    config = Config.at(index_dir, cluster=cluster)
    started = time.perf_counter()
    report = index_sources(config, [collection.corpus], rebuild=cluster is not None)
    index_s = time.perf_counter() - started
    if report.failed:
        # A record the product rejects is a finding, not a reason to lose the whole run.
        print(f"{collection.name}: {len(report.failed)} records not indexed", file=sys.stderr)
    library = Library(config, settings=settings)
    run: Run = {}
    query_ms: dict[str, float] = {}
    batch = library.search_batch(collection.queries, limit=RANK_DEPTH)
    while True:
        started = time.perf_counter()
        try:
            qid, hits = next(batch)
        except StopIteration:
            break
        query_ms[qid] = (time.perf_counter() - started) * 1000
        run[qid] = [doc_id for doc_id, _ in hits]
    return run, index_s, query_ms


def figures_for(
    collection: Collection, config: str, run: Run, index_s: float, query_ms: dict[str, float]
) -> list[Figures]:
    """Scores for the whole query set and, where queries mix languages, for each language."""
    per_query = evaluate(collection.qrels, run)
    subsets: dict[str, list[str]] = {"all": [qid for qid, _ in collection.queries]}
    langs = {qid: query_language(text) for qid, text in collection.queries}
    if len(set(langs.values())) > 1:
        for lang in ("ko", "en"):
            subsets[lang] = [q for q, _ in collection.queries if langs[q] == lang]
    # Headlines quoting someone: straight double quotes are query syntax, so they are the
    # queries a phrase rule can win or lose.
    quoted = [q for q, text in collection.queries if '"' in text]
    if len(quoted) >= 20:
        subsets["quoted"] = quoted
    return [
        Figures(
            config=config,
            collection=collection.name,
            subset=subset,
            queries=len(qids),
            metrics=mean_scores(per_query, qids),
            no_results=sum(1 for q in qids if not run.get(q)),
            index_s=index_s,
            median_query_ms=statistics.median(query_ms[q] for q in qids) if qids else 0.0,
        )
        for subset, qids in subsets.items()
    ]


def benchmark(
    collection: Collection,
    configs: Sequence[str] | None = None,
    log: Callable[[str], None] | None = None,
    runs_dir: Path | None = None,
    settings: Settings | None = None,
    hosts: Sequence[str] = (),
) -> list[Figures]:
    """Run the product and the baselines (or the named ``configs``) on one collection.

    ``hosts`` (OpenSearch nodes) make ``CLUSTER`` one of the configurations.
    """
    factories: dict[str, Callable[[], Analyzer] | None] = {PRODUCT: None, **BASELINES}
    if hosts:
        factories[CLUSTER] = None
    out: list[Figures] = []
    for config in configs or list(factories):
        cluster = None
        if config == CLUSTER:
            cluster = ClusterSettings(tuple(hosts), index=f"quality-{collection.name}")
        with tempfile.TemporaryDirectory(prefix="summit-quality-") as tmp:
            run, index_s, query_ms = run_config(
                collection, factories[config], Path(tmp), settings, cluster
            )
        figures = figures_for(collection, config, run, index_s, query_ms)
        if runs_dir is not None:
            write_run(runs_dir / f"{collection.name}.{_slug(config)}.run", run)
        if log:
            mrr = figures[0].metrics["MRR@10"]
            log(f"{collection.name}: {config}: MRR@10 {mrr:.3f}, indexed in {index_s:.1f} s")
        out.extend(figures)
    return out


def _slug(config: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", config.lower()).strip("-")


def write_run(path: Path, run: Run) -> None:
    """Write ``run`` in TREC format (qid Q0 docid rank score tag), best first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for qid, ranked in run.items():
            for rank, doc_id in enumerate(ranked, 1):
                f.write(f"{qid} Q0 {doc_id} {rank} {RANK_DEPTH - rank + 1} run\n")


def markdown(figures: Sequence[Figures]) -> str:
    """One Markdown table per collection and subset, with the reference and target rows."""
    columns = [*MEASURES, "no results", "index s", "median query ms"]
    blocks = []
    for name, subset in dict.fromkeys((f.collection, f.subset) for f in figures):
        rows = [f for f in figures if (f.collection, f.subset) == (name, subset)]
        label = {
            "all": "all queries",
            "ko": "Korean headlines",
            "en": "English headlines",
            "quoted": 'headlines with "quotes"',
        }
        title = f"### {name}, {label.get(subset, subset)} ({rows[0].queries} queries)"
        lines = [title, "", "| configuration | " + " | ".join(columns) + " |"]
        lines.append("|---" * (len(columns) + 1) + "|")
        for f in rows:
            cells = [f"{f.metrics[m]:.3f}" for m in MEASURES]
            cells += [str(f.no_results), f"{f.index_s:.1f}", f"{f.median_query_ms:.1f}"]
            lines.append(f"| {f.config} | " + " | ".join(cells) + " |")
        if subset == "all" and name in REFERENCE:
            blank = " | ".join([""] * (len(columns) - 1))
            lines.append(f"| Lucene 8.7 Nori (reference) | {REFERENCE[name]:.3f} | {blank} |")
            lines.append(f"| target | >= {TARGET[name]:.2f} | {blank} |")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def settings_from(args: argparse.Namespace) -> Settings:
    """The search settings given on the command line (the product's defaults otherwise)."""
    return Settings(**{name: getattr(args, name) for name in SETTINGS_HELP})


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.quality")
    parser.add_argument("--collection", choices=[*COLLECTIONS, "all"], default="all")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="dev collections folder")
    parser.add_argument("--limit-queries", type=int, default=None, help="first N queries only")
    parser.add_argument(
        "--limit-docs", type=int, default=None, help="judged documents plus others up to N"
    )
    parser.add_argument(
        "--config",
        action="append",
        choices=[PRODUCT, CLUSTER, *BASELINES],
        help="run only this configuration (repeatable); default all",
    )
    parser.add_argument(
        "--opensearch",
        default="",
        help="comma-separated OpenSearch nodes: also run the product there",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write figures as JSON")
    parser.add_argument(
        "--runs", type=Path, default=None, help="also write each run as TREC run files here"
    )
    defaults = Settings()
    for name, help_text in SETTINGS_HELP.items():
        parser.add_argument(
            "--" + name.replace("_", "-"),
            type=type(getattr(defaults, name)),
            default=getattr(defaults, name),
            help=f"{help_text} [default {getattr(defaults, name)}]".replace("%", "%%"),
        )
    args = parser.parse_args(argv)
    settings = settings_from(args)
    names = COLLECTIONS if args.collection == "all" else (args.collection,)
    figures: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="summit-quality-") as tmp:
        for name in names:
            collection = load_collection(args.data, name, args.limit_queries)
            if args.limit_docs is not None:
                out = Path(tmp) / f"{name}.jsonl"
                collection = limit_documents(collection, args.limit_docs, out)
            figures.extend(
                benchmark(
                    collection,
                    args.config,
                    lambda m: print(m, file=sys.stderr, flush=True),
                    runs_dir=args.runs,
                    settings=settings,
                    hosts=[h for h in args.opensearch.split(",") if h],
                )
            )
    print(markdown(figures))
    if args.json:
        args.json.write_text(json.dumps([asdict(f) for f in figures], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
