"""A full disk during a build or a merge: a clear error, the last commit intact, nothing left."""

from __future__ import annotations

import errno
import gc
import json
import random
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh.filedb import structfile

from indexer.backends import errors
from indexer.backends.whoosh import store
from indexer.backends.whoosh.check import check_index
from indexer.cli import main
from indexer.config import CORPUS_DIR, Config
from indexer.ingest import run as ingest

WORDS = [
    "정상회의",
    "인공지능",
    "안전",
    "서울",
    "파리",
    "선언",
    "기업",
    "서약",
    "연구소",
    "규범",
    "협력",
    "국제",
    "반도체",
    "규제",
]


def records(path: Path, count: int, seed: int = 5) -> Path:
    """``count`` generated articles of about 1,500 characters in one JSONL file."""
    rng = random.Random(seed)
    rows = [
        {"id": f"gen-{n}", "title": " ".join(rng.choices(WORDS, k=5)),
         "text": " ".join(rng.choices(WORDS, k=400)) + f" 고유어{n}."}
        for n in range(count)
    ]  # fmt: skip
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def committed_files(index_dir: Path) -> set[str]:
    """The files the last commit refers to, with the table of contents, stamp and lock."""
    ix = store.open_index(index_dir)
    ids = {s.segment_id() for s in ix._segments()}
    names = {p.name for p in index_dir.iterdir() if p.name.split(".")[0] in ids}
    toc = f"_MAIN_{ix.latest_generation()}.toc"
    return names | {toc, store.META_FILE, "MAIN_WRITELOCK"}


def assert_intact(config: Config, before: int) -> None:
    """The index opens, reads without a problem, holds whole batches, and no stray file."""
    ix = store.open_index(config.index_dir)
    count = ix.doc_count()
    assert count >= before and (count - before) % 100 == 0
    report = check_index(config)
    assert report.problems == [] and report.articles == count
    left = {p.name for p in config.index_dir.iterdir()}
    assert left == committed_files(config.index_dir)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs (root only: skipped elsewhere, where the simulated full disk still runs)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


# Whoosh's writer cannot close its files on a full disk: they are closed when collected.
QUIET = (
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
)


@QUIET[0]
@QUIET[1]
def test_a_full_disk_keeps_the_last_commit(small_disk: Path, tmp_path: Path) -> None:
    config = Config.at(small_disk / "index", commit_every=100, workers=1)
    ingest.index_sources(config, [CORPUS_DIR])
    before = store.open_index(config.index_dir).doc_count()
    big = records(tmp_path / "big.jsonl", 1500)
    result = CliRunner().invoke(
        main, ["index", "--index", str(config.index_dir), "--commit-every", "100", str(big)]
    )
    assert result.exit_code == 1
    assert result.output.endswith(
        f"Error: the disk of {config.index_dir} is full: nothing of this job was kept after its "
        "last commit, and the index is as that commit left it; free some space and run it "
        "again\n"
    )
    assert_intact(config, before)
    # With room again, the same job completes.
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    report = ingest.index_sources(config, [big])
    assert store.open_index(config.index_dir).doc_count() == before + 1500
    assert len(report.added) + len(report.unchanged) == 1500
    del result
    gc.collect()


def full_after(budget: int):  # type: ignore[no-untyped-def]
    """Whoosh's file writes, failing with ENOSPC once ``budget`` bytes have been written."""
    original = structfile.StructFile.write
    left = [budget]

    def write(stream: structfile.StructFile, data: bytes) -> None:
        left[0] -= len(data)
        if left[0] < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        original(stream, data)

    return write


@QUIET[0]
@QUIET[1]
# The job writes about 11.2 MB: its ten batches up to 5.6 MB, then the merge of the ten into one.
@pytest.mark.parametrize(
    "budget",
    [20_000, 3_000_000, 6_500_000, 11_000_000],
    ids=["first batch", "later batch", "merge", "end of the merge"],
)
def test_a_simulated_full_disk_during_a_build_or_its_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    # Into an index that has articles: batches of 100 are committed, then merged at the end.
    config = Config.at(tmp_path / "index", commit_every=100, workers=1)
    ingest.index_sources(config, [CORPUS_DIR])
    before = store.open_index(config.index_dir).doc_count()
    big = records(tmp_path / "big.jsonl", 1000)
    monkeypatch.setattr(structfile.StructFile, "write", full_after(budget))
    with pytest.raises(errors.DiskFull):
        ingest.index_sources(config, [big])
    monkeypatch.undo()
    assert_intact(config, before)
    ingest.index_sources(config, [big])
    assert store.open_index(config.index_dir).doc_count() == before + 1000
    gc.collect()
