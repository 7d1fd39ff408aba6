"""Crash safety (a short soak) and concurrent use: searches during commits, two writers."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from conftest import index_paths

from indexer.backends.errors import IndexBusy
from indexer.backends.whoosh import store
from indexer.backends.whoosh.store import open_index
from indexer.config import Config
from indexer.documents.articles import Article
from indexer.ingest import run as ingest
from indexer.ingest.run import Source
from indexer.search.library import Library
from tests.bench.corpus import write_corpus
from tests.bench.soak import soak


def test_three_kill_trials_lose_nothing(tmp_path: Path) -> None:
    trials = soak(3, articles=40, per_file=10, commit_every=10, seed=7, work=tmp_path, log=False)
    assert [t.problems for t in trials] == [[], [], []]
    assert [t.lost for t in trials] == [0, 0, 0]


def test_searches_keep_working_while_an_index_job_commits(
    writable_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(tmp_path / "src", 40, per_file=10, seed=3)
    # four commits while searches run
    library = Library(writable_index)
    errors: list[BaseException] = []
    totals: list[list[int]] = [[] for _ in range(4)]
    done = threading.Event()

    def search(slot: int) -> None:
        while not done.is_set():
            try:
                result = library.search("soak", pagesize=100, facets=False)
                ids = [h.id for h in result.hits]
                assert len(ids) == len(set(ids)), "duplicate hits"
                assert len(ids) == result.total, "a half-written view"
                totals[slot].append(result.total)
                time.sleep(0.005)  # leave the indexer some of the GIL
            except BaseException as exc:
                errors.append(exc)
                return

    threads = [threading.Thread(target=search, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    try:
        report = index_paths(writable_index, [tmp_path / "src"], commit_every=10)
    finally:
        time.sleep(0.3)
        done.set()
        for t in threads:
            t.join(30)
    assert errors == []
    assert len(report.added) == 40
    for seen in totals:
        # Each thread searches one after another: a later search never sees fewer articles.
        assert seen == sorted(seen) and seen[-1] == 40
    assert {t for seen in totals for t in seen} - {0} <= set(range(10, 41, 10))
    assert library.search("soak", pagesize=100).total == len(corpus.all_ids)


def test_second_writer_waits_with_a_message_then_fails_clearly(writable_index: Path) -> None:
    before = open_index(writable_index).doc_count()
    holder = store.writer(open_index(writable_index))
    messages: list[str] = []
    article = Article(id="late", title="late", body="늦게 온 기사", raw="늦게 온 기사")
    try:
        started = time.monotonic()
        with pytest.raises(IndexBusy, match=r"locked by another job \(waited 1 s\)"):
            index_paths(writable_index, [], on_wait=messages.append, lock_timeout=1.0)
        assert 1.0 <= time.monotonic() - started < 5
        with pytest.raises(IndexBusy):
            ingest.run(Config.at(writable_index), [Source("late", [article])], lock_timeout=0.5)
    finally:
        holder.cancel()
    assert messages == ["another job is writing to the index; waiting up to 1 s"]
    assert open_index(writable_index).doc_count() == before  # nothing half-applied


def test_second_writer_completes_once_the_first_finishes(writable_index: Path) -> None:
    holder = store.writer(open_index(writable_index))
    messages: list[str] = []
    article = Article(id="late", title="late", body="늦게 온 기사", raw="늦게 온 기사")
    threading.Timer(0.5, holder.commit).start()
    report = index_paths(writable_index, [], on_wait=messages.append, lock_timeout=10)
    assert messages == ["another job is writing to the index; waiting up to 10 s"]
    assert report.summary() == "0 added, 0 updated, 0 unchanged, 0 removed, 0 failed"
    assert ingest.run(Config.at(writable_index), [Source("late", [article])]).added == ["late"]


def test_same_id_twice_in_one_batch_leaves_one_article(writable_index: Path) -> None:
    first = Article(id="twin", title="첫째", body="첫째 본문", raw="첫째 본문", source="a")
    second = Article(id="twin", title="둘째", body="둘째 본문", raw="둘째 본문", source="b")
    report = ingest.run(Config.at(writable_index), [Source("batch", [first, second])])
    assert report.added == ["twin"]
    assert [(f.source, f.reason) for f in report.failed] == [
        ("b", "duplicate id 'twin', first in a")
    ]
    with open_index(writable_index).searcher() as s:
        assert [f["title"] for f in s.documents(id="twin")] == ["첫째"]
