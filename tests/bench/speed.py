"""Indexing and query speed on generated corpora of 1k to 100k articles; reported, never asserted.

Each indexing run is a fresh subprocess (``ingest.index_sources`` on a generated JSONL file), so
its peak memory is its own; the first run of each size then runs the analyzer alone over the
same titles and bodies, the floor that indexing cannot beat. Queries go through the product's
``Library``. Usage: ``python -m tests.bench.speed [--sizes 1000,10000] [--json OUT]``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import importlib.util
import io
import itertools
import json
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from indexer.backends.whoosh import store
from indexer.backends.whoosh.schema import SummitText, build_schema
from indexer.config import Config
from indexer.ingest.run import add_files, index_sources
from indexer.search.library import Library
from indexer.text.analysis import summit_analyzer
from indexer.text.jamo import CHO, decompose
from indexer.text.lead import body_for_index
from tests.bench import DEFAULT_DATA, gen, percentile, read_tsv
from tests.bench.reference import ratio, reference_ms
from tests.bench.serving import first_search

KINDS = (
    *("1 keyword", "2 keywords", "3 keywords", "question", "headline"),
    *("phrase", "phrase unquoted"),
)
WARMUP_QUERIES = 10


def index_once(jsonl: Path, index_dir: Path, floor: bool, profile: Path | None = None) -> dict:
    """Index ``jsonl`` into a new ``index_dir`` in this process; return timings and memory."""
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        report = profiler.runcall(index_sources, Config.at(index_dir), [jsonl])
        profiler.dump_stats(str(profile))
    else:
        report = index_sources(Config.at(index_dir), [jsonl])
    seconds = time.perf_counter() - started
    result = {
        "seconds": seconds,
        "added": len(report.added),
        "failed": len(report.failed),
        # Read before the analyzer pass, which must not count towards the indexer's memory.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # The largest analysis worker, if the job used them (each worker is one process).
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    if floor:
        result["analyzer_seconds"] = analyzer_seconds(jsonl)
    return result


def analyzer_seconds(jsonl: Path) -> float:
    """Seconds the product analyzer takes over every title and body, as indexing calls it."""
    analyzer = summit_analyzer()
    spent = 0.0
    with jsonl.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            started = time.perf_counter()
            for text in (record.get("title", ""), record["text"]):
                for _ in analyzer(text, positions=True, mode="index"):
                    pass
            spent += time.perf_counter() - started
    return spent


def index_analysis_mb_per_s(jsonl: Path, count: int = 2000) -> float:
    """MB/s of text on one core for the full index-mode analysis of the first ``count`` articles.

    Every analyzed field as the batches compute it (``SummitText.index``: title, body with its
    lead twice, byline, and both bigram views), positions encoded; no segment written.
    """
    schema = build_schema()
    names = [name for name, f in schema.items() if isinstance(f, SummitText)]
    docs = []
    size = 0
    with jsonl.open(encoding="utf-8") as f:
        for line in itertools.islice(f, count):
            record = json.loads(line)
            title, text = record.get("title", ""), record["text"]
            size += len(title.encode()) + len(text.encode())
            body = body_for_index(text)
            docs.append({"title": title, "body": body, "title_grams": title, "body_grams": body})
    started = time.process_time()
    for doc in docs:
        for name in names:
            if doc.get(name):
                for _ in schema[name].index(doc[name]):
                    pass
    return size / 1e6 / (time.process_time() - started)


def _index_in_child(jsonl: Path, index_dir: Path, floor: bool, profile: Path | None) -> dict:
    code = (
        "import json, sys; from pathlib import Path; "
        "from tests.bench.speed import index_once; "
        "p = sys.argv[4]; "
        "print(json.dumps(index_once(Path(sys.argv[1]), Path(sys.argv[2]), "
        "sys.argv[3] == '1', Path(p) if p else None)))"
    )
    args = [str(jsonl), str(index_dir), "1" if floor else "0", str(profile or "")]
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    # The index folder's size while the child builds: its peak over the final size is the
    # temporary disk the build needed (segments not yet merged away, Whoosh's temp files).
    peak = 0
    while child.poll() is None:
        peak = max(peak, disk_bytes(index_dir))
        time.sleep(0.2)
    out, err = child.communicate()
    if child.returncode:
        raise RuntimeError(f"indexing failed: {err.decode(errors='replace')[-2000:]}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    final = disk_bytes(index_dir)
    result["index_mb"] = final / 1e6
    result["peak_disk_mb"] = max(peak, final) / 1e6
    result["segments"] = len(store.open_index(index_dir)._segments())
    return result


def disk_bytes(folder: Path) -> int:
    """Bytes of every file under ``folder`` (0 if it is not there)."""
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file():
                total += path.stat().st_size
    return total


def _sample_lines(jsonl: Path, count: int, rng: random.Random) -> list[dict]:
    with jsonl.open(encoding="utf-8") as f:
        total = sum(1 for _ in f)
    wanted = set(rng.sample(range(total), min(count, total)))
    with jsonl.open(encoding="utf-8") as f:
        return [json.loads(line) for n, line in enumerate(f) if n in wanted]


def keyword_queries(jsonl: Path, count: int, words: int, seed: int) -> list[str]:
    """Queries of ``words`` keywords, each drawn from one random article's own terms.

    Drawing term occurrences (not distinct terms) from random articles gives keywords with the
    corpus's own frequency mix: common words often, rare names now and then.
    """
    rng = random.Random(seed * 1000 + words)
    analyzer = summit_analyzer()
    queries = []
    for record in _sample_lines(jsonl, count, rng):
        text = record["text"]
        surfaces = [
            text[t.startchar : t.endchar]
            for t in analyzer(text, chars=True, mode="index")
            if getattr(t, "primary", True)
        ]
        # One-letter surfaces (numbers' digits, 중, 일) are rarely typed alone as a search.
        pool = list(dict.fromkeys(s for s in surfaces if len(s) >= 2))
        weights = [surfaces.count(s) for s in pool]
        picked: list[str] = []
        while pool and len(picked) < words:
            choice = rng.choices(range(len(pool)), weights)[0]
            picked.append(pool.pop(choice))
            weights.pop(choice)
        queries.append(" ".join(picked))
    return queries


def phrase_queries(jsonl: Path, count: int, seed: int) -> list[str]:
    """Two neighbouring words of a random article, quoted: a phrase that some article has."""
    rng = random.Random(seed * 1000 + 99)
    queries = []
    for record in _sample_lines(jsonl, count, rng):
        words = [w.strip("\"'“”‘’()[],.·…") for w in record["text"].split()]
        pairs = [(a, b) for a, b in itertools.pairwise(words) if len(a) >= 2 and len(b) >= 2]
        if pairs:
            queries.append('"{} {}"'.format(*rng.choice(pairs)))
    return queries


def question_queries(data_dir: Path, count: int, seed: int) -> list[str]:
    """KorQuAD questions: natural-language queries a reader would type."""
    rows = read_tsv(data_dir / "korquad-dev" / "queries.dev.tsv")
    return [row[1] for row in random.Random(seed).sample(rows, min(count, len(rows)))]


def headline_queries(data_dir: Path, count: int, seed: int) -> list[str]:
    """news-dev headlines: what a reader pastes to find the story behind a headline."""
    rows = read_tsv(data_dir / "news-dev" / "queries.dev.tsv")
    return [row[1] for row in random.Random(seed).sample(rows, min(count, len(rows)))]


def rank_latencies(library: Library, queries: Sequence[str]) -> list[float]:
    """Milliseconds per query for ranking the top 10 with one searcher (``search_batch``)."""
    pairs = [(str(n), q) for n, q in enumerate(queries)]
    list(library.search_batch(pairs[:WARMUP_QUERIES], limit=10))
    batch = library.search_batch(pairs, limit=10)
    out = []
    while True:
        started = time.perf_counter()
        if next(batch, None) is None:
            return out
        out.append((time.perf_counter() - started) * 1000)


def page_latencies(library: Library, queries: Sequence[str]) -> list[float]:
    """Milliseconds per query for a full result page: searcher, hits, facets, snippets."""
    for q in queries[:WARMUP_QUERIES]:
        library.search(q)
    out = []
    for q in queries:
        started = time.perf_counter()
        library.search(q)
        out.append((time.perf_counter() - started) * 1000)
    return out


def typed_prefixes(keywords: Sequence[str]) -> list[str]:
    """What a user has typed on the way to each keyword: one syllable, the next one's first
    consonant (앤ㅌ), two syllables; three letters of a Latin word."""
    out = []
    for word in keywords:
        first = decompose(word[1]) if len(word) > 1 else None
        if first is not None:
            out += [word[:1], word[:1] + CHO[first[0]], word[:2]]
        elif word.isascii() and len(word) > 3:
            out.append(word[:3])
    return out


def suggest_latencies(library: Library, prefixes: Sequence[str]) -> list[float]:
    """Milliseconds per completion of a half-typed word (``Library.complete``)."""
    for typed in prefixes[:WARMUP_QUERIES]:
        library.complete(typed)
    out = []
    for typed in prefixes:
        started = time.perf_counter()
        library.complete(typed)
        out.append((time.perf_counter() - started) * 1000)
    return out


def add_to_searchable(index_dir: Path, n: int) -> float:
    """Seconds from adding one new article until a search finds it."""
    library = Library(index_dir)
    word = "zqbench" + "".join(chr(97 + int(d)) for d in str(n))
    body = f"추가 기사 {word}\n\n벤치마크로 추가한 기사입니다. {word} 단어는 이 기사에만 있다.\n"
    name = f"bench-added-{n}.txt"
    started = time.perf_counter()
    # The way an upload comes in: kept in the library, then indexed.
    add_files(Config.at(index_dir), [(name, body.encode())])
    while True:
        _, hits = next(library.search_batch([("q", word)], limit=1))
        if hits and hits[0][0] == f"uploads/{name}":
            return time.perf_counter() - started


def _summary(values: list[float], reference: float) -> dict[str, float]:
    """Count, median and 95th percentile, each also as a ratio to the reference work."""
    p50, p95 = percentile(values, 50), percentile(values, 95)
    return {
        "n": len(values),
        "p50": p50,
        "p95": p95,
        "reference_ms": reference,
        "p50_ratio": ratio(p50, reference),
        "p95_ratio": ratio(p95, reference),
    }


def _timed(measure: Callable[[], list[float]]) -> dict[str, float]:
    """``measure``'s latencies summarised beside the reference work timed just before."""
    reference = reference_ms()
    return _summary(measure(), reference)


def measure_size(
    size: int, args: argparse.Namespace, workdir: Path, log: Callable[[str], None]
) -> dict:
    """Every figure for one corpus size."""
    jsonl = workdir / f"articles-{size}.jsonl"
    text_bytes = gen.write(jsonl, size, args.seed, args.data)
    log(f"{size}: generated {text_bytes / 1e6:.1f} MB of text")
    runs = []
    index_dir = workdir / f"index-{size}"
    for run in range(args.runs):
        shutil.rmtree(index_dir, ignore_errors=True)
        floor = run == 0 and not args.no_floor
        runs.append(_index_in_child(jsonl, index_dir, floor=floor, profile=None))
        log(f"{size}: run {run + 1}: indexed in {runs[-1]['seconds']:.1f} s")
    seconds = statistics.median(r["seconds"] for r in runs)
    analyzer_s = runs[0].get("analyzer_seconds")
    result: dict = {
        "articles": size,
        "added": runs[0]["added"],
        "failed": runs[0]["failed"],
        "text_mb": text_bytes / 1e6,
        "runs": runs,
        "index_s": seconds,
        "mb_per_s": text_bytes / 1e6 / seconds,
        "articles_per_s": size / seconds,
        "analyzer_s": analyzer_s,
        "index_to_analyzer": seconds / analyzer_s if analyzer_s else None,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "index_mb": runs[0]["index_mb"],
        "peak_temp_mb": max(r["peak_disk_mb"] - r["index_mb"] for r in runs),
        "segments": runs[0]["segments"],
        "worker_peak_rss_mb": max(r.get("worker_peak_rss_mb", 0) for r in runs),
    }
    if not args.no_floor:
        result["index_analysis_mb_per_s"] = index_analysis_mb_per_s(jsonl)
    library = Library(index_dir)
    queries = {
        kind: keyword_queries(jsonl, args.queries, words, args.seed)
        for words, kind in enumerate(KINDS[:3], 1)
    }
    queries["question"] = question_queries(args.data, args.queries, args.seed)
    queries["headline"] = headline_queries(args.data, args.queries, args.seed)
    # The same words with and without quotes: what finding the phrase costs.
    queries["phrase"] = phrase_queries(jsonl, args.queries, args.seed)
    queries["phrase unquoted"] = [q.strip('"') for q in queries["phrase"]]
    result["rank_ms"] = {
        k: _timed(lambda q=q: rank_latencies(library, q)) for k, q in queries.items()
    }
    result["page_ms"] = {
        k: _timed(lambda q=q: page_latencies(library, q)) for k, q in queries.items()
    }
    # A fresh Library: its completions start with nothing looked up, as after a restart.
    prefixes = typed_prefixes(queries["1 keyword"])
    result["suggest_ms"] = _timed(lambda: suggest_latencies(Library(index_dir), prefixes))
    result["add_to_searchable_s"] = statistics.median(
        add_to_searchable(index_dir, n) for n in range(args.runs)
    )
    if args.profile:
        _profile(size, jsonl, queries, library, workdir, args.profile)
    result["index_dir"] = index_dir
    return result


def _profile(size, jsonl, queries, library, workdir: Path, out: Path) -> None:
    """cProfile one indexing run and the question queries; write .prof and top-30 text."""
    out.mkdir(parents=True, exist_ok=True)
    target = workdir / f"profile-index-{size}"
    _index_in_child(jsonl, target, floor=False, profile=out / f"index-{size}.prof")
    shutil.rmtree(target, ignore_errors=True)
    profiler = cProfile.Profile()
    profiler.runcall(rank_latencies, library, queries["question"])
    profiler.dump_stats(str(out / f"query-{size}.prof"))
    for name in (f"index-{size}", f"query-{size}"):
        text = io.StringIO()
        pstats.Stats(str(out / f"{name}.prof"), stream=text).sort_stats("cumulative").print_stats(
            30
        )
        (out / f"{name}.txt").write_text(text.getvalue(), encoding="utf-8")


def markdown(report: dict) -> str:
    """Indexing and latency tables."""
    lines = [
        "| articles | MB of text | index s | MB/s | articles/s | analyzer s | index/analyzer "
        "| indexer peak MB | worker peak MB | index MB | peak temp MB | segments "
        "| add->searchable s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["sizes"].values():
        ratio = f"{r['index_to_analyzer']:.2f}" if r["index_to_analyzer"] else "-"
        floor = f"{r['analyzer_s']:.1f}" if r["analyzer_s"] else "-"
        lines.append(
            f"| {r['articles']} | {r['text_mb']:.1f} | {r['index_s']:.1f} | {r['mb_per_s']:.3f} "
            f"| {r['articles_per_s']:.1f} | {floor} | {ratio} "
            f"| {r['peak_rss_mb']:.0f} | {r['worker_peak_rss_mb']:.0f} "
            f"| {r['index_mb']:.0f} | {r['peak_temp_mb']:.0f} | {r['segments']} "
            f"| {r['add_to_searchable_s']:.2f} |"
        )
    for r in report["sizes"].values():
        if r.get("index_analysis_mb_per_s"):
            lines.append(
                f"\n{r['articles']}: full index-mode analysis "
                f"{r['index_analysis_mb_per_s']:.3f} MB/s on one core (first 2,000 articles)"
            )
    lines += [
        "",
        "Latencies in ms, each with its ratio to the reference work (tests/bench/reference.py) "
        "timed in the same process just before: ms (ratio).",
        "",
        "| articles | query | n | reference ms | top-10 p50 | top-10 p95 | page p50 | page p95 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in report["sizes"].values():
        for kind in KINDS:
            rank, page = r["rank_ms"][kind], r["page_ms"][kind]
            lines.append(
                f"| {r['articles']} | {kind} | {rank['n']} | {rank['reference_ms']:.1f} "
                f"/ {page['reference_ms']:.1f} | {_cell(rank, 'p50')} | {_cell(rank, 'p95')} "
                f"| {_cell(page, 'p50')} | {_cell(page, 'p95')} |"
            )
    lines += [
        "",
        "| articles | completions of | n | reference ms | p50 | p95 |",
        "|---|---|---|---|---|---|",
    ]
    for r in report["sizes"].values():
        sug = r["suggest_ms"]
        lines.append(
            f"| {r['articles']} | half-typed words | {sug['n']} | {sug['reference_ms']:.1f} "
            f"| {_cell(sug, 'p50')} | {_cell(sug, 'p95')} |"
        )
    serve = report["serve"]
    lines.append("")
    if "skipped" in serve:
        lines.append(f"serve: skipped ({serve['skipped']})")
    else:
        lines.append(
            f"serve: first search answered {serve['first_search_s']:.2f} s after start "
            f"({serve['articles']} articles); server peak {serve['peak_rss_mb']:.0f} MB"
        )
    return "\n".join(lines) + "\n"


def _cell(figures: dict[str, float], key: str) -> str:
    """A latency and its ratio to the reference work: ``12.3 (0.74)``."""
    return f"{figures[key]:.1f} ({figures[key + '_ratio']:.2f})"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.speed")
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--runs", type=int, default=3, help="indexing runs per size (median)")
    parser.add_argument("--queries", type=int, default=200, help="queries per kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="dev collections folder")
    parser.add_argument("--json", type=Path, default=None, help="also write figures as JSON")
    parser.add_argument("--profile", type=Path, default=None, help="write cProfile output here")
    parser.add_argument("--no-serve", action="store_true", help="skip the server start-up timing")
    parser.add_argument(
        "--keep", type=Path, default=None, help="move the largest index here when done"
    )
    parser.add_argument(
        "--no-floor", action="store_true", help="skip the analyzer-alone run (long at 100k)"
    )
    args = parser.parse_args(argv)
    report = run(args, lambda m: print(m, file=sys.stderr, flush=True))
    print(markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    return 0


def run(args: argparse.Namespace, log: Callable[[str], None]) -> dict:
    """Measure every size, then the server on the largest index."""
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    report: dict = {"sizes": {}, "serve": {}}
    with tempfile.TemporaryDirectory(prefix="summit-speed-") as tmp:
        workdir = Path(tmp)
        for size in sizes:
            report["sizes"][str(size)] = measure_size(size, args, workdir, log)
            if size != max(sizes):
                shutil.rmtree(workdir / f"index-{size}", ignore_errors=True)
        largest = report["sizes"][str(max(sizes))]
        if args.no_serve:
            report["serve"] = {"skipped": "--no-serve"}
        elif importlib.util.find_spec("webui.serve") is None:
            report["serve"] = {"skipped": "webui.serve is not there yet"}
        else:
            report["serve"] = first_search(Path(largest["index_dir"]), log)
            report["serve"]["articles"] = largest["articles"]
        if getattr(args, "keep", None):  # to measure other code on the same index after
            shutil.move(str(largest["index_dir"]), args.keep)
            largest["index_dir"] = args.keep
    for figures in report["sizes"].values():
        figures["index_dir"] = str(figures["index_dir"])
    return report


if __name__ == "__main__":
    sys.exit(main())
