"""Analysis in worker processes writes exactly the index that in-process analysis writes."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from indexer import pipeline, store
from indexer.config import CORPUS_DIR
from indexer.schema import Analyzed, build_schema

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
    monkeypatch.setattr(pipeline, "WORKERS", 0)
    serial = store.index_paths(tmp_path / "serial", [sources])
    monkeypatch.setattr(pipeline, "WORKERS", 2)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", CountingPool)
    steps: list[tuple[int, int, str]] = []
    parallel = store.index_paths(
        tmp_path / "parallel", [sources], progress=lambda n, t, name: steps.append((n, t, name))
    )
    assert parallel.added == serial.added
    assert CountingPool.submitted == 7  # every article went through a worker
    assert len(parallel.added) == 7
    names = [p.name for p in ARTICLES] + ["more.jsonl"]
    assert steps == [(n, 6, name) for n, name in enumerate(names, 1)]
    assert _snapshot(tmp_path / "parallel") == _snapshot(tmp_path / "serial")


def test_analyze_fields_matches_the_writer() -> None:
    schema = build_schema()
    analyzed = pipeline.analyze_fields({"title": "서울 정상회의"}, schema)
    assert analyzed == {"title": Analyzed(list(schema["title"].index("서울 정상회의")))}
    terms = [term.decode() for term, *_ in analyzed["title"].postings]
    assert terms == ["서울", "정상회의", "정상", "회의"]


def test_small_jobs_analyze_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "WORKERS", 2)
    with pipeline.analysis(build_schema(), pipeline.PARALLEL_MIN_BYTES - 1) as work:
        assert work.pool is None
    monkeypatch.setattr(pipeline, "WORKERS", 0)
    with pipeline.analysis(build_schema(), pipeline.PARALLEL_MIN_BYTES * 10) as work:
        assert work.pool is None
