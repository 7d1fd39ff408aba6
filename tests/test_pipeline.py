"""Batches built in worker processes make exactly the index that in-process building makes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import pytest
from conftest import index_paths

from indexer.backends.whoosh import store
from indexer.backends.whoosh.schema import build_schema
from indexer.backends.whoosh.writer import BUILDING, build_segment, init_worker
from indexer.config import CORPUS_DIR
from indexer.ingest import pipeline

# What the embedded backend's workers start with.
WORKER_INIT = (init_worker, (build_schema(),))

ARTICLES = sorted(p for p in CORPUS_DIR.glob("*.txt") if p.name != "aliases.txt")


def _snapshot(index_dir: Path) -> tuple[list, list, list]:
    """Every posting with its positions, every stored document and every field length."""
    ix = store.open_index(index_dir)
    with ix.reader() as reader:
        postings = [
            (name, term, list(reader.postings(name, term).items_as(kind)))
            for name, kind in (
                ("title", "positions"),
                ("body", "positions"),
                ("author", "weight"),
                ("title_grams", "weight"),
                ("body_grams", "weight"),
            )
            for term in reader.lexicon(name)
        ]
        stored = list(reader.all_stored_fields())
        lengths = [
            [reader.doc_field_length(n, name) for name in ("title", "body", "author")]
            for n in reader.all_doc_ids()
        ]
    return postings, stored, lengths


class CountingPool(ProcessPoolExecutor):
    """The real pool, counting what it is given."""

    submitted = 0

    def submit(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        CountingPool.submitted += 1
        return super().submit(*args, **kwargs)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for path in ARTICLES:
        shutil.copy(path, src / path.name)
    rows = [
        {"id": "mixed", "title": "AI기본법", "author": "김기자", "text": "AI기본법이 시행됐다."},
        {"id": "zh", "text": "人工智能安全峰会在首尔举行。"},
    ]
    (src / "more.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return src


def test_workers_write_the_same_index(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = index_paths(tmp_path / "serial", [sources], workers=0, commit_every=2)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", CountingPool)
    steps: list[tuple[int, int, str]] = []
    parallel = index_paths(
        tmp_path / "parallel",
        [sources],
        workers=2,
        commit_every=2,
        progress=lambda n, t, name: steps.append((n, t, name)),
    )
    assert parallel.added == serial.added
    # Four batches built by the workers, then merged in two halves side by side.
    assert CountingPool.submitted == 6
    sizes = [[s.doc_count() for s in store.open_index(tmp_path / d)._segments()] for d in
             ("serial", "parallel")]  # fmt: skip
    assert sizes == [[7], [4, 3]]
    assert len(parallel.added) == 7
    # Each batch of two counts once it is built, whenever the workers finish it; the file
    # read meanwhile is the label.
    assert steps[0] == (0, 7, ARTICLES[0].name)
    assert steps[-2:] == [(7, 7, "more.jsonl"), (7, 7, "merging the batches")]
    done = [n for n, _, _ in steps]
    assert sorted(set(done)) == [0, 2, 4, 6, 7] and done == sorted(done)
    assert {total for _, total, _ in steps} == {7}
    assert _snapshot(tmp_path / "parallel") == _snapshot(tmp_path / "serial")


def test_batches_close_by_count_and_by_size(tmp_path: Path) -> None:
    built: list[tuple[int, list[str], int, bool]] = []
    (tmp_path / BUILDING).mkdir()
    build = partial(build_segment, str(tmp_path / BUILDING), schema=build_schema())
    batches = pipeline.Batches(
        build,
        None,
        3,
        100,
        lambda seg, b, last: built.append(
            (seg.doc_count() if seg else 0, b.replaces, b.size, last)
        ),
    )
    for n, size in enumerate([10, 10, 10, 90, 20, 5]):
        batches.add({"id": f"d{n}", "body": "정상회의"}, size, "d1" if n == 1 else None)
    batches.finish()
    # Three documents; then 90 + 20 bytes passes 100; then the last one.
    assert built == [(3, ["d1"], 30, False), (2, [], 110, False), (1, [], 5, True)]


@pytest.mark.parametrize(
    ("input_bytes", "workers", "expected"),
    [(100_000_000, 1, 16_000_000), (100_000_000, 2, 16_000_000), (20_000_000, 2, 5_000_001),
     (3_000_000, 2, 1_000_000)],
)  # fmt: skip
def test_a_parallel_job_gives_each_worker_two_batches(
    input_bytes: int, workers: int, expected: int
) -> None:
    assert pipeline.batch_bytes(input_bytes, workers, 16_000_000) == expected


def test_small_jobs_analyze_in_process() -> None:
    with pipeline.workers_for(WORKER_INIT, pipeline.PARALLEL_MIN_BYTES - 1, 2) as pool:
        assert pool is None
    with pipeline.workers_for(WORKER_INIT, pipeline.PARALLEL_MIN_BYTES * 10, 0) as pool:
        assert pool is None


CHILD = """
import sys, time
from indexer.ingest import pipeline
from indexer.backends.whoosh.schema import build_schema
from indexer.backends.whoosh.writer import init_worker

if __name__ == "__main__":
    init = (init_worker, (build_schema(),))
    with pipeline.workers_for(init, pipeline.PARALLEL_MIN_BYTES, 2) as pool:
        # Two tasks at once: the pool starts a second worker only when the first is busy.
        tasks = [pool.submit(time.sleep, 0.5) for _ in "ab"]
        [t.result() for t in tasks]
        print(*[p.pid for p in pool._processes.values()], flush=True)
        time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent has not collected it


def test_workers_exit_when_the_indexing_process_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=Path.cwd()
    )
    assert child.stdout is not None
    try:
        workers = [int(pid) for pid in child.stdout.readline().split()]
    finally:
        child.kill()  # SIGKILL: no clean-up runs in the parent
        child.wait()
        child.stdout.close()
    assert len(workers) == 2
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in workers if _alive(pid)] == []
