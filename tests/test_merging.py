"""The tiered merge policy, and the job committing by size through it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from indexer.backends.whoosh import merging
from indexer.backends.whoosh.store import open_index
from indexer.config import Config
from indexer.ingest import run as ingest
from indexer.search.library import Library


class FakeSegment:
    """A segment as the policy sees it: live and deleted document counts."""

    def __init__(self, name: str, live: int, deleted: int = 0) -> None:
        self.name, self.live, self.deleted = name, live, deleted

    def doc_count(self) -> int:
        return self.live

    def doc_count_all(self) -> int:
        return self.live + self.deleted

    def deleted_count(self) -> int:
        return self.deleted

    def __repr__(self) -> str:
        return self.name


def fake_merge(storage: Any, schema: Any, segments: Sequence[Any]) -> FakeSegment:
    """One segment named after its members, holding their live documents."""
    name = "(" + "+".join(s.name for s in segments) + ")"
    return FakeSegment(name, sum(s.live for s in segments))


def names(segments: Sequence[Any]) -> list[str]:
    return [s.name for s in segments]


@pytest.mark.parametrize(
    ("live", "expected"), [(0, 0), (1, 0), (9, 0), (10, 1), (99, 1), (100, 2), (54_321, 4)]
)
def test_tiers_are_powers_of_ten(live: int, expected: int) -> None:
    assert merging.tier(FakeSegment("s", live)) == expected  # type: ignore[arg-type]


def test_nine_segments_of_a_tier_wait_and_the_tenth_merges_them() -> None:
    nine = [FakeSegment(f"s{n}", 500) for n in range(9)]
    assert merging.plan(nine) == []  # type: ignore[arg-type]
    ten = [*nine, FakeSegment("s9", 700)]
    assert merging.plan(ten) == [list(range(10))]  # type: ignore[arg-type]


def test_a_merge_that_fills_the_next_tier_merges_again() -> None:
    # Nine segments of 5,000 and ten of 500: the ten make a tenth of the 5,000s' tier.
    big = [FakeSegment(f"b{n}", 5000) for n in range(9)]
    small = [FakeSegment(f"s{n}", 500) for n in range(10)]
    out = merging.apply(None, None, [*big, *small], merge=fake_merge)  # type: ignore[arg-type]
    assert names(out) == ["(b0+b1+b2+b3+b4+b5+b6+b7+b8+(s0+s1+s2+s3+s4+s5+s6+s7+s8+s9))"]
    assert out[0].live == 50_000


def test_worn_and_empty_segments() -> None:
    segments = [
        FakeSegment("a", 100, deleted=50),  # a third or more deleted: rewritten alone
        FakeSegment("b", 100, deleted=49),
        FakeSegment("gone", 0, deleted=3),  # nothing live: dropped
        FakeSegment("c", 7),
    ]
    out = merging.apply(None, None, segments, merge=fake_merge)  # type: ignore[arg-type]
    assert names(out) == ["(a)", "b", "c"]


def _records(path: Path, start: int, count: int) -> Path:
    rows = [
        {"id": f"n{n}", "title": f"정상회의 기사 {n}", "text": f"서울 정상회의 기사 번호{n}입니다."}
        for n in range(start, start + count)
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _segment_sizes(config: Config) -> list[int]:
    return [s.doc_count() for s in open_index(config.index_dir)._segments()]


def test_a_large_file_is_committed_in_batches_and_merged_at_the_end(tmp_path: Path) -> None:
    config = Config.at(tmp_path / "index", commit_every=7, workers=1)
    ingest.index_sources(config, [_records(tmp_path / "first.jsonl", 100, 1)])
    report = ingest.index_sources(config, [_records(tmp_path / "a.jsonl", 0, 30)])
    assert len(report.added) == 30
    # Four commits of 7 and a last one of 2; six segments of 1-9 articles need no merge.
    assert _segment_sizes(config) == [1, 7, 7, 7, 7, 2]
    ingest.index_sources(config, [_records(tmp_path / "b.jsonl", 30, 42)])
    # Six more of 7 make twelve of the first tier: at the job's end the first ten are merged.
    assert _segment_sizes(config) == [59, 7, 7]
    assert Library(config.index_dir).search("정상회의").total == 73


def test_a_batch_is_committed_when_its_text_reaches_the_limit(tmp_path: Path) -> None:
    config = Config.at(tmp_path / "index", commit_bytes=100, workers=1)
    ingest.index_sources(config, [_records(tmp_path / "first.jsonl", 100, 1)])
    ingest.index_sources(config, [_records(tmp_path / "a.jsonl", 0, 6)])
    # Each article's title and text are 84-86 bytes: two make a batch of over 100.
    assert _segment_sizes(config) == [1, 2, 2, 2]


def test_a_build_from_nothing_ends_as_one_segment(tmp_path: Path) -> None:
    config = Config.at(tmp_path / "index", commit_every=4, workers=1)
    path = _records(tmp_path / "a.jsonl", 0, 10)
    ingest.index_sources(config, [path])
    assert _segment_sizes(config) == [10]
    ingest.index_sources(config, [_records(tmp_path / "b.jsonl", 10, 5)])
    assert _segment_sizes(config) == [10, 4, 1]
    ingest.index_sources(config, [path, tmp_path / "b.jsonl"], rebuild=True)
    assert _segment_sizes(config) == [15]


def test_updates_replace_articles_across_segments(tmp_path: Path) -> None:
    config = Config.at(tmp_path / "index", commit_every=3, workers=1)
    path = _records(tmp_path / "a.jsonl", 0, 9)
    ingest.index_sources(config, [path])
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    for row in rows[::4]:  # n0, n4, n8: one in each segment
        row["text"] += " 수정된 판본."
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    report = ingest.index_sources(config, [path])
    assert report.updated == ["n0", "n4", "n8"]
    library = Library(config.index_dir)
    assert library.search("정상회의").total == 9
    assert sorted(h.id for h in library.search("수정된 판본").hits) == ["n0", "n4", "n8"]


def test_an_index_without_segments_searches_empty(tmp_path: Path) -> None:
    config = Config.at(tmp_path / "index", workers=1)
    path = _records(tmp_path / "a.jsonl", 0, 2)
    ingest.index_sources(config, [path])
    assert ingest.remove_ids(config, ["n0", "n1"]) == ["n0", "n1"]
    assert _segment_sizes(config) == []
    result = Library(config.index_dir).search("정상회의")
    assert (result.total, result.hits) == (0, [])
