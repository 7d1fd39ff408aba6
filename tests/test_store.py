"""Incremental indexing, pruning, removal, stats and the schema-version guard."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import index_paths

from indexer.backends import errors
from indexer.backends.whoosh import store
from indexer.backends.whoosh.stats import stats
from indexer.config import CORPUS_DIR, Config
from indexer.documents import articles as documents
from indexer.ingest import job
from indexer.ingest import run as ingest
from indexer.ingest.run import remove_ids
from indexer.search.library import Library

SEEDS = sorted(p.name for p in CORPUS_DIR.glob("*.txt"))


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for name in SEEDS[:3]:
        shutil.copy(CORPUS_DIR / name, src / name)
    (src / "extra.jsonl").write_text(
        json.dumps({"id": "x1", "text": "추가 기사 본문입니다. 정상회의 관련."}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    return src


def test_incremental_runs(sources: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = index_paths(index, [sources])
    assert (sorted(first.added), first.updated, first.unchanged) == ([*SEEDS[:3], "x1"], [], [])
    again = index_paths(index, [sources])
    assert (again.added, again.updated, sorted(again.unchanged)) == ([], [], [*SEEDS[:3], "x1"])
    # A changed file is updated in place, never duplicated.
    changed = sources / SEEDS[0]
    changed.write_text("블레츨리 선언도 언급됐다. " + changed.read_text(encoding="utf-8"), "utf-8")
    third = index_paths(index, [sources])
    assert (third.added, third.updated) == ([], [SEEDS[0]])
    assert [h.id for h in Library(index).search("블레츨리").hits] == [SEEDS[0]]
    assert stats(index)["articles"] == 4
    # --prune removes what is gone; without it, nothing is removed.
    (sources / SEEDS[1]).unlink()
    assert index_paths(index, [sources]).removed == []
    assert index_paths(index, [sources], prune=True).removed == [SEEDS[1]]
    assert stats(index)["articles"] == 3


def test_rebuild_starts_over(sources: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    index_paths(index, [sources])
    report = index_paths(index, [sources / SEEDS[0]], rebuild=True)
    assert report.added == [SEEDS[0]]
    assert stats(index)["articles"] == 1


def test_remove_ids(sources: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    index_paths(index, [sources])
    assert remove_ids(Config.at(index), ["x1", "nope"]) == ["x1"]
    assert Library(index).article("x1") is None


def test_stats(sources: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    index_paths(index, [sources])
    info = stats(index)
    assert info["articles"] == 4
    assert info["languages"] == {"ko": 4}
    assert info["date_range"] == ["2024-05-23T08:34:00", "2024-05-23T14:41:12"]
    assert info["schema_version"] == store.SCHEMA_VERSION


def test_an_index_from_another_version_is_refused(sources: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    index_paths(index, [sources])
    meta = index / store.META_FILE
    meta.write_text(json.dumps({"schema_version": 1, "analysis": "old"}), encoding="utf-8")
    with pytest.raises(errors.IndexVersionError, match=r"index --rebuild"):
        store.open_index(index)
    # --rebuild replaces it.
    assert len(index_paths(index, [sources], rebuild=True).added) == 4
    assert store.open_index(index).doc_count() == 4


def test_progress_inside_a_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(job, "PROGRESS_EVERY", 2)
    src = tmp_path / "src"
    src.mkdir()
    rows = [{"id": f"a{n}", "text": f"기사 {n} 본문입니다."} for n in range(5)]
    (src / "big.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8"
    )
    (src / "small.txt").write_text("작은 기사 본문입니다.", encoding="utf-8")
    steps: list[tuple[int, int, str]] = []
    index_paths(tmp_path / "index", [src], commit_every=2, progress=lambda *a: steps.append(a))
    # Articles count as their batch of two is analyzed and written, inside one large file too;
    # the final merge is named while it runs.
    assert steps == [
        (0, 6, "big.jsonl"),
        (2, 6, "big.jsonl"),
        (4, 6, "big.jsonl"),
        (4, 6, "small.txt"),
        (6, 6, "small.txt"),
        (6, 6, "merging the batches"),
    ]
    # Again, nothing changed: unchanged articles count as they are read, every second one.
    steps.clear()
    index_paths(tmp_path / "index", [src], commit_every=2, progress=lambda *a: steps.append(a))
    assert steps == [
        (0, 6, "big.jsonl"),
        (2, 6, "big.jsonl"),
        (4, 6, "big.jsonl"),
        (5, 6, "big.jsonl"),
        (5, 6, "small.txt"),
        (6, 6, "small.txt"),
    ]


def test_expected_items_counts_a_jsonl_files_records_in_blocks(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    big.write_bytes(b'{"id": 1}\n\n  \n{"id": 2}\r\n' + b"x" * (3 << 20) + b"\n{}")
    assert documents.expected_items(big) == 4
    assert documents.expected_items(tmp_path / "page.html") == 1
    assert documents.expected_items(tmp_path / "missing.jsonl") == 1
    (tmp_path / "empty.jsonl").write_bytes(b"\n \n")
    assert documents.expected_items(tmp_path / "empty.jsonl") == 0


def test_a_reader_opened_midway_through_a_commit_closes_what_it_opened(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index"
    index_paths(index, [sources / SEEDS[0]])
    index_paths(index, [sources / SEEDS[1]])
    ix = store.open_index(index)
    segments = ix._read_toc().segments
    assert len(segments) == 2
    # The second segment's file is gone, as when a commit merges it away meanwhile.
    for part in index.glob(f"{segments[1].segment_id()}.*"):
        part.unlink()
    closed: list[str] = []
    original = store.SegmentReader.close

    def close(self: store.SegmentReader) -> None:
        closed.append(self.segment().segment_id())
        original(self)

    monkeypatch.setattr(store.SegmentReader, "close", close)
    with pytest.raises(OSError):
        store._Index._reader(ix.storage, ix.schema, segments, 1)
    assert closed == [segments[0].segment_id()]


def test_an_upload_looks_up_its_ids_without_reading_every_article(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index"
    index_paths(index, [sources / SEEDS[0], sources / SEEDS[1]])
    ix = store.open_index(index)
    found = store.Existing(ix)
    assert len(found) == 2 and SEEDS[0] in found and "nope" not in found
    content_hash, origin = found[SEEDS[0]]
    assert origin == str(sources / SEEDS[0]) and len(content_hash) == 64
    found.close()
    # The whole map is read only when a job iterates it (a prune, a half-done removal).
    read_all: list[int] = []
    original = store.existing
    monkeypatch.setattr(store, "existing", lambda i: read_all.append(1) or original(i))
    report = ingest.add_files(Config.at(index), [("memo.txt", "메모\n\n메모의 본문이다.".encode())])
    assert (report.added, read_all) == (["uploads/memo.txt"], [])
    ingest.index_sources(Config.at(index), [sources / SEEDS[0]], prune=True)
    assert read_all == [1]


def test_progress_ends_at_what_was_done_when_the_count_read_ahead(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    # A byte-order mark alone on the first line counts as a record before the job, and is
    # passed over as a blank line when read.
    (src / "bom.jsonl").write_bytes(
        b'\xef\xbb\xbf\n{"id": "a", "text": "\xea\xb8\xb0\xec\x82\xac."}\n'
    )
    assert documents.expected_items(src / "bom.jsonl") == 2
    steps: list[tuple[int, int, str]] = []
    index_paths(tmp_path / "index", [src], progress=lambda *a: steps.append(a))
    assert steps == [
        (0, 2, "bom.jsonl"),
        (1, 2, "bom.jsonl"),
        (1, 1, "bom.jsonl"),
        (1, 1, "merging the batches"),
    ]
