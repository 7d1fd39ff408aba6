"""Batches of documents built into segments, in worker processes for large jobs, in order.

Analysis and segment building are most of the cost of indexing. A job hands its documents
here; every ``batch_docs`` documents or ``batch_bytes`` of text close a batch, which a worker
process analyzes and writes as one new segment (``segments.SegmentBuilder``) in the index's
``.building`` folder, returning only the segment's description. The job gets the batches back
in the order it gave them and commits each (``Job.commit_batch``). Small jobs build in the
job's own process: starting a worker (imports, dictionaries) costs about a second.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import shutil
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.codec.base import Segment
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage

from indexer.backends.whoosh.merging import merge_segments
from indexer.backends.whoosh.segments import SegmentBuilder

# Input below this size is built in-process: worker start-up would cost more than it saves.
PARALLEL_MIN_BYTES = 2_000_000
# Where batches are built, inside the index folder: Whoosh's clean-up skips names starting
# with a dot, so a commit never deletes a segment that is still being built.
BUILDING = ".building"
# The smallest batch a parallel job splits its input into (bytes of text).
MIN_BATCH_BYTES = 1_000_000

# The schema of a worker process, set once by its initializer: each worker serves one job.
_schema: Schema | None = None


def _init(schema: Schema) -> None:
    global _schema
    _schema = schema
    # A worker waits for work on a queue it also holds open itself, so it would outlive an
    # indexing process killed mid-job; this watcher ends it when its parent is gone.
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def _exit_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def build_segment(
    folder: str, docs: list[dict[str, object]], schema: Schema | None = None
) -> Segment | None:
    """Analyze ``docs`` and write them as one segment in ``folder``; None for no documents."""
    schema = schema or _schema
    assert schema is not None, "worker used before _init"
    if not docs:
        return None
    builder = SegmentBuilder(FileStorage(folder, supports_mmap=False), schema)
    for doc in docs:
        builder.add_document(**doc)
    return builder.finish()


@dataclass
class Batch:
    """Documents for one segment, and the ids whose old versions it replaces."""

    docs: list[dict[str, object]] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    size: int = 0


# Called with each built batch's segment, the batch, and whether it is the job's last.
Built = Callable[[Segment | None, Batch, bool], None]


class Batches:
    """Collect documents into batches, build each (in workers or here), hand them on in order."""

    def __init__(
        self,
        index_dir: Path,
        schema: Schema,
        pool: ProcessPoolExecutor | None,
        batch_docs: int,
        batch_bytes: int,
        on_built: Built,
    ) -> None:
        self.folder = index_dir / BUILDING
        self.schema, self.pool, self.on_built = schema, pool, on_built
        self.batch_docs, self.batch_bytes = batch_docs, batch_bytes
        self.current = Batch()
        # Batches being built, in the order they were closed.
        self.queue: deque[tuple[Future, Batch]] = deque()
        # A worker busy, one batch waiting for each: enough to keep every worker building.
        self.window = 2 * pool._max_workers if pool is not None else 0

    def add(self, doc: dict[str, object], size: int, replaces: str | None = None) -> None:
        """Add one document of ``size`` bytes of text; ``replaces`` names an id to delete."""
        batch = self.current
        batch.docs.append(doc)
        batch.size += size
        if replaces is not None:
            batch.replaces.append(replaces)
        if len(batch.docs) >= self.batch_docs or batch.size >= self.batch_bytes:
            self.close()

    def close(self, last: bool = False) -> None:
        """Send the batch being filled to be built (nothing if it is empty)."""
        batch, self.current = self.current, Batch()
        if not batch.docs:
            return
        if self.pool is None:
            self.on_built(build_segment(str(self.folder), batch.docs, self.schema), batch, last)
            return
        self.queue.append((self.pool.submit(build_segment, str(self.folder), batch.docs), batch))
        if not last:  # the job's last batch is handed on by ``finish``, marked as such
            self.drain(self.window)

    def drain(self, keep: int = 0, last: bool = False) -> None:
        """Hand on built batches in order until at most ``keep`` are pending, and any more
        that are built already (so that they are committed, and counted, as they are done).

        ``last``: the final batch handed on is the job's last.
        """
        while len(self.queue) > keep or (self.queue and self.queue[0][0].done()):
            future, batch = self.queue.popleft()
            self.on_built(future.result(), batch, last and not self.queue)

    def finish(self) -> None:
        """Build the last batch and hand on everything, the last batch marked as such."""
        self.close(last=True)
        self.drain(last=True)


def merge_into(folder: str, segments: list[Segment], schema: Schema | None = None) -> Segment:
    """Merge ``segments`` of the index in ``folder`` into one new segment there."""
    schema = schema or _schema
    assert schema is not None, "worker used before _init"
    return merge_segments(FileStorage(folder, supports_mmap=False), schema, segments)


def merge_side_by_side(
    pool: ProcessPoolExecutor, index_dir: Path, segments: list[Segment]
) -> list[Segment]:
    """``segments`` merged into one per worker, contiguous groups of about equal size, at once.

    Each article is rewritten once, and the final merge of a large build takes half the time
    it would in one process, for one more segment to search.
    """
    segments = [s for s in segments if s.doc_count() > 0]
    workers = pool._max_workers
    total = sum(s.doc_count() for s in segments)
    groups: list[list[Segment]] = [[]]
    for segment in segments:
        if groups[-1] and sum(s.doc_count() for s in groups[-1]) >= total / workers:
            groups.append([])
        groups[-1].append(segment)
    futures = [
        pool.submit(merge_into, str(index_dir), group) if len(group) > 1 else None
        for group in groups
    ]
    return [f.result() if f is not None else g[0] for f, g in zip(futures, groups, strict=True)]


def clear_building(index_dir: Path) -> None:
    """Remove what a job that did not finish left half-built (call under the write lock)."""
    shutil.rmtree(index_dir / BUILDING, ignore_errors=True)
    (index_dir / BUILDING).mkdir(parents=True, exist_ok=True)


def remove_building(index_dir: Path) -> None:
    """Remove the building folder once every batch is in the index (under the write lock).

    What is left there is only whoosh3's empty scratch folder (``MAIN.tmp``), which its
    per-document writer creates and never removes.
    """
    shutil.rmtree(index_dir / BUILDING, ignore_errors=True)


def batch_bytes(input_bytes: int, workers: int, limit: int) -> int:
    """Text per batch: ``limit``, or less so that every worker gets at least two batches."""
    if workers < 2:
        return limit
    return max(MIN_BATCH_BYTES, min(limit, input_bytes // (2 * workers) + 1))


@contextmanager
def workers_for(
    schema: Schema, input_bytes: int, workers: int
) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of ``workers`` processes when the job is large enough to pay for them, else None."""
    if workers < 2 or input_bytes < PARALLEL_MIN_BYTES:
        yield None
        return
    # Spawned, not forked: the caller may be a threaded server, and a forked child would
    # inherit its locks in whatever state they were.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(schema,))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
