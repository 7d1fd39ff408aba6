"""tests.bench: exact metrics on a hand-made collection, a quality slice, the generator's
determinism and a small speed run (its figures are checked for shape, never for timing)."""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import pytest

from indexer.search.library import Library
from indexer.search.ranking import Settings
from indexer.text.analysis import HangulBigramTokenizer
from tests.bench import DEFAULT_DATA, cleaning, gen, percentile, quality, speed
from tests.bench import backends as bench_backends
from tests.bench.baselines import BASELINES, JiebaTokenizer
from tests.opensearch.cluster import Cluster

needs_data = pytest.mark.skipif(
    not (DEFAULT_DATA / "news-dev").is_dir(), reason="dev collections not beside the repo"
)


def test_evaluate_scores_known_ranks_exactly() -> None:
    qrels = {"q1": {"d1": 1}, "q2": {"d3": 1}, "q3": {"d2": 1}}
    run = {"q1": ["d2", "d1"], "q2": ["d3"], "q3": []}
    per_query = quality.evaluate(qrels, run)
    assert [per_query[q]["MRR@10"] for q in ("q1", "q2", "q3")] == [0.5, 1.0, 0.0]
    means = quality.mean_scores(per_query, ["q1", "q2", "q3"])
    assert means["MRR@10"] == pytest.approx(0.5)
    assert means["R@10"] == pytest.approx(2 / 3)
    assert means["R@100"] == pytest.approx(2 / 3)


def test_evaluate_keeps_engine_order_on_tied_scores() -> None:
    # Rank-derived scores: the engine's second hit stays second whatever its doc id.
    per_query = quality.evaluate({"q": {"a": 1}}, {"q": ["z", "a"]})
    assert per_query["q"]["MRR@10"] == 0.5


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("'北 최희철 부상 베이징 도착…싱가포르행 주목", "ko"),
        ("Japan narrowly escapes recession", "en"),
    ],
)
def test_query_language(text: str, lang: str) -> None:
    assert quality.query_language(text) == lang


def test_baseline_tokenizers_offsets() -> None:
    text = "북미 정상회담 AI기본법 Time"
    bigrams = [(t.text, t.startchar, t.endchar) for t in HangulBigramTokenizer()(text, chars=True)]
    assert [b[0] for b in bigrams] == ["북미", "정상", "상회", "회담", "AI", "기본", "본법", "Time"]
    for tokenizer in (HangulBigramTokenizer(), JiebaTokenizer()):
        for t in tokenizer(text, chars=True):
            assert text[t.startchar : t.endchar] == t.text


def _tiny_collection(root: Path) -> quality.Collection:
    folder = root / "tiny"
    folder.mkdir()
    docs = [
        {"id": "d1", "text": "고양이는 귀여운 동물이다. 집에서 기르는 고양이가 많다."},
        {"id": "d2", "text": "The stock market fell sharply today as investors sold shares."},
        {"id": "d3", "text": "서울에서 정상회담이 열렸다. 두 정상은 협력을 약속했다."},
    ]
    lines = [json.dumps(d, ensure_ascii=False) for d in docs]
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # q1 names d2 in words every analyzer keeps; q2's words occur nowhere.
    (folder / "queries.dev.tsv").write_text("q1\tstock market\nq2\t쀍뛣\n", encoding="utf-8")
    (folder / "qrels.dev.tsv").write_text("q1\td2\t1\nq2\td1\t1\n", encoding="utf-8")
    return quality.load_collection(root, "tiny")


def test_tiny_collection_every_configuration(tmp_path: Path) -> None:
    figures = quality.benchmark(_tiny_collection(tmp_path))
    configs = [quality.PRODUCT, *BASELINES]
    assert [(f.config, f.subset) for f in figures] == [
        (c, s) for c in configs for s in ("all", "ko", "en")
    ]
    for f in figures:
        expected = {"all": (2, 0.5, 1), "ko": (1, 0.0, 1), "en": (1, 1.0, 0)}[f.subset]
        assert (f.queries, f.metrics["MRR@10"], f.no_results) == expected, f
    table = quality.markdown(figures)
    assert "| Summit Search (product) | 0.500 |" in table


@needs_data
@pytest.mark.parametrize("name", quality.COLLECTIONS)
def test_quality_slice(tmp_path: Path, name: str) -> None:
    full = quality.load_collection(DEFAULT_DATA, name, limit_queries=50)
    sliced = quality.limit_documents(full, 150, tmp_path / "slice.jsonl")
    assert len(sliced.queries) == 50
    judged = {d for docs in full.qrels.values() for d in docs}
    with sliced.corpus.open(encoding="utf-8") as f:
        ids = [json.loads(line)["id"] for line in f]
    assert len(ids) == 150 and judged <= set(ids)
    (figures,) = [f for f in quality.benchmark(sliced, [quality.PRODUCT]) if f.subset == "all"]
    assert figures.queries == 50
    assert set(figures.metrics) == set(quality.MEASURES)
    assert all(0.0 <= v <= 1.0 for v in figures.metrics.values())


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_data
def test_generator_is_seeded_and_realistic(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    gen.write(a, 40, seed=7)
    gen.write(b, 40, seed=7)
    gen.write(c, 40, seed=8)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)
    articles = [json.loads(line) for line in a.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in articles] == [f"gen-7-{i:06d}" for i in range(40)]
    sizes = [len(x["text"].encode()) for x in articles]
    assert 2500 <= sum(sizes) / len(sizes) <= 3600
    assert sum(quality.query_language(x["text"][:200]) == "ko" for x in articles) >= 30


@needs_data
@pytest.mark.parametrize("no_floor", [False, True])
def test_speed_report_shape(no_floor: bool) -> None:
    args = argparse.Namespace(
        sizes="30",
        runs=1,
        queries=5,
        seed=0,
        data=DEFAULT_DATA,
        profile=None,
        no_serve=True,
        no_floor=no_floor,
    )
    report = speed.run(args, lambda _: None)
    figures = report["sizes"]["30"]
    assert (figures["added"], figures["failed"], len(figures["runs"])) == (30, 0, 1)
    for key in ("rank_ms", "page_ms"):
        assert list(figures[key]) == list(speed.KINDS)
        assert [v["n"] for v in figures[key].values()] == [5] * len(speed.KINDS)
    assert figures["add_to_searchable_s"] > 0
    # Three states of each Hangul keyword of five: at least a few, at most fifteen.
    assert 3 <= figures["suggest_ms"]["n"] <= 15
    assert f"| 30 | half-typed words | {figures['suggest_ms']['n']} |" in speed.markdown(report)
    # Every latency beside its ratio to the reference work timed just before it.
    for summary in [*figures["rank_ms"].values(), *figures["page_ms"].values()]:
        assert summary["reference_ms"] > 0
        assert summary["p95_ratio"] == summary["p95"] / summary["reference_ms"]
    p95 = figures["rank_ms"]["question"]["p95"]
    assert f"| {p95:.1f} ({figures['rank_ms']['question']['p95_ratio']:.2f}) |" in (
        speed.markdown(report)
    )
    assert report["serve"] == {"skipped": "--no-serve"}
    table = speed.markdown(report)
    assert "| 30 | question | 5 |" in table
    if no_floor:
        assert (figures["analyzer_s"], figures["index_to_analyzer"]) == (None, None)
        assert "| - | - |" in table
        assert "index_analysis_mb_per_s" not in figures
    else:
        assert figures["analyzer_s"] > 0 and figures["index_to_analyzer"] > 0
        assert figures["index_analysis_mb_per_s"] > 0
        assert "30: full index-mode analysis " in table
    # Every build is measured on disk: its index, its temporary peak, its segments.
    assert figures["segments"] == 1 and figures["index_mb"] > 0
    assert figures["peak_temp_mb"] >= 0


def test_typed_prefixes() -> None:
    assert speed.typed_prefixes(["앤트로픽", "summit", "AI", "법"]) == [
        "앤",
        "앤ㅌ",
        "앤트",
        "sum",
    ]


def test_percentile() -> None:
    assert percentile([], 95) == 0.0
    assert percentile([4.0], 50) == 4.0
    assert percentile([float(v) for v in range(1, 102)], 50) == 51.0
    assert percentile([float(v) for v in range(1, 102)], 95) == 96.0


@needs_data
def test_settings_options_reach_the_search(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[Settings | None] = []

    def library(index_dir: Path, settings: Settings | None = None) -> Library:
        seen.append(settings)
        return Library(index_dir, settings=settings)

    monkeypatch.setattr(quality, "Library", library)
    args = ["--collection", "korquad-dev", "--limit-queries", "5", "--limit-docs", "30"]
    options = ["--gram-weight", "0", "--min-match", "1", "--phrase-weight", "0.25"]
    assert quality.main([*args, "--config", quality.PRODUCT, *options]) == 0
    assert seen == [Settings(min_match="1", gram_weight=0.0, phrase_weight=0.25)]
    assert "| Summit Search (product) |" in capsys.readouterr().out


def test_cleaning_benchmark_counts_removals_by_rule(tmp_path: Path) -> None:
    rows = [
        {"id": "clean", "text": "정부가 23일 대책을 발표했다.\n다음 달부터 시행된다"},
        {"id": "byline", "text": "정부가 23일 대책을 발표했다.\n홍길동 기자"},
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    found = cleaning.measure(corpus, "tiny")
    # Characters without whitespace: 14 + 9 in the first, 14 + 5 in the second.
    assert (found.articles, found.chars, found.removed) == (2, 42, 5)
    assert (found.over_10, found.over_30) == (1, 0)
    assert dict(found.by_rule_chars) == {"byline": 5}
    assert found.worst == [(5 / 19, "byline")]
    assert "| tiny | 2 | 42 | 11.905% | 1 | 0 |" in cleaning.markdown([found])


def test_the_backends_benchmark_measures_both(opensearch_cluster: Cluster) -> None:
    report = bench_backends.measure(30, 5, 0, DEFAULT_DATA, opensearch_cluster)
    assert (report["embedded_added"], report["cluster_added"]) == (30, 30)
    kinds = ["1 keyword", "2 keywords", "3 keywords", "question", "headline", "phrase"]
    for name in ("embedded", "cluster"):
        for part in ("rank", "page"):
            figures = report[f"{name}_{part}_ms"]
            assert (list(figures), [f["n"] for f in figures.values()]) == (kinds, [5] * 6)
    assert report["cluster_to_embedded_mb_per_s"] == (
        report["cluster_mb_per_s"] / report["embedded_mb_per_s"]
    )
    assert sorted(report["cluster_memory_mb"]) == ["node0", "node1", "node2"]
    overlap = report["top10_overlap"]
    assert list(overlap) == kinds
    assert all(0 <= v["mean_jaccard"] <= 1 and 0 <= v["same_set"] <= 1 for v in overlap.values())
    assert "| question |" in bench_backends.markdown(report)
    assert "top-10 overlap (mean Jaccard" in bench_backends.markdown(report)
