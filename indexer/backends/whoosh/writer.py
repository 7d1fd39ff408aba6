"""One job's writes to the embedded index: batches built as segments, deletions, commits.

The job (``ingest.job``) decides what to write and calls this under the index's write lock:
each batch is analyzed and written as one segment in the index's ``.building`` folder (in a
worker process for large jobs, ``build_batch``), moved into the index and committed with the
deletions of the old versions it replaces; the job's end merges as the policy says, and a
build from nothing merges its batches into one segment per worker, in the workers at once.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import shutil
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path

from whoosh.codec.base import Segment
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage

from indexer.backends.whoosh import store
from indexer.backends.whoosh.merging import merge_segments
from indexer.backends.whoosh.schema import to_document
from indexer.backends.whoosh.segments import SegmentBuilder
from indexer.documents.articles import Article

# Where batches are built, inside the index folder: Whoosh's clean-up skips names starting
# with a dot, so a commit never deletes a segment that is still being built.
BUILDING = ".building"

# The schema of a worker process, set once by its initializer: each worker serves one job.
_schema: Schema | None = None


def init_worker(schema: Schema) -> None:
    """Set up an analysis worker process for one job over an index of ``schema``."""
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
    assert schema is not None, "worker used before init_worker"
    if not docs:
        return None
    builder = SegmentBuilder(FileStorage(folder, supports_mmap=False), schema)
    for doc in docs:
        builder.add_document(**doc)
    return builder.finish()


def merge_into(folder: str, segments: list[Segment], schema: Schema | None = None) -> Segment:
    """Merge ``segments`` of the index in ``folder`` into one new segment there."""
    schema = schema or _schema
    assert schema is not None, "worker used before init_worker"
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


class WhooshWriter:
    """The write session of one job over the index in ``index_dir`` (created if need be)."""

    def __init__(
        self,
        index_dir: Path,
        rebuild: bool,
        lock_timeout: float,
        on_wait: Callable[[str], None] | None,
    ) -> None:
        self.index_dir = index_dir
        if rebuild or not store.index_exists(index_dir):
            self.ix = store.create_index(index_dir)
        else:
            self.ix = store.open_index(index_dir)
        self.lock_timeout, self.on_wait = lock_timeout, on_wait
        self.w = store.writer(self.ix, lock_timeout, on_wait)
        # Segments built and moved into the index, for the next commit.
        self.built: list[Segment] = []
        # What is indexed, read once the lock is ours: a job that committed while this one
        # waited would otherwise make its articles look new and get them added twice.
        self.existing = store.Existing(self.ix)
        self.folder = index_dir / BUILDING
        # Remove what a job that did not finish left half-built.
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)

    @property
    def worker_init(self) -> tuple[Callable[..., None], tuple[object, ...]]:
        """The initializer of an analysis worker and its arguments."""
        return init_worker, (self.ix.schema,)

    def document(self, article: Article, origin: str, kind: str, added: datetime) -> dict:
        """The document a batch holds for ``article``."""
        return to_document(article, origin, self.ix.schema, kind, added)

    def builder(self, in_worker: bool) -> Callable[[list[dict[str, object]]], Segment | None]:
        """What builds a batch: a picklable call for a worker, or one for this process."""
        if in_worker:
            return partial(build_segment, str(self.folder))
        return partial(build_segment, str(self.folder), schema=self.ix.schema)

    def written(self, segment: Segment | None, replaces: Sequence[str], last: bool) -> None:
        """Take one built batch with the deletions of the old versions it replaces.

        Every batch but the job's last is committed at once, wherever the file boundaries
        fall, so memory, temporary disk and what a crash can lose stay bounded; merging waits
        for the job's end, or a large job would rewrite its segments once per tier they climb.
        """
        for doc_id in replaces:
            # The old version is in a committed segment: an id is written once per job.
            self.w.delete_by_term("id", doc_id)
        if segment is not None:
            self.built.append(self._moved_in(segment))
        if not last:
            self.commit(merge=False)
            self.w = store.writer(self.ix, self.lock_timeout, self.on_wait)

    def batches_done(self) -> None:
        """Every batch is in the index: remove the building folder.

        What is left there is only whoosh3's empty scratch folder (``MAIN.tmp``), which its
        per-document writer creates and never removes.
        """
        shutil.rmtree(self.folder, ignore_errors=True)

    def delete(self, doc_id: str) -> None:
        """Delete the article ``doc_id`` at the next commit."""
        self.w.delete_by_term("id", doc_id)

    def commit(
        self, optimize: bool = False, merge: bool = True, pool: ProcessPoolExecutor | None = None
    ) -> None:
        """Commit the built segments with the writer's deletions (see ``store.commit``).

        ``optimize`` with a ``pool`` merges the segments into one per worker, in the workers
        at once, rather than into one in this process.
        """
        added, self.built = self.built, []
        final = None
        if optimize and pool is not None:
            # The writer's segments carry this job's deletions, which the merges drop.
            final = merge_side_by_side(pool, self.index_dir, [*self.w.segments, *added])
        store.commit(self.w, self.index_dir, added, optimize=optimize, merge=merge, final=final)

    def cancel(self) -> None:
        """Give up the batches and the deletions; the lock is released, orphans removed."""
        self.existing.close()
        # Segments built or moved in but not committed are orphans: removed below.
        self.built = []
        if not self.w.is_closed:  # a commit that failed has already released it
            try:
                self.w.cancel()
            except OSError:
                # Closing its files writes too, and fails on a full disk: release the lock.
                self.w._cleanup_on_error()
        store.discard_uncommitted(self.ix, [self.folder])

    def close(self) -> None:
        """After the final commit."""
        self.existing.close()

    def _moved_in(self, segment: Segment) -> Segment:
        """Move a segment built in the ``.building`` folder into the index folder."""
        prefix = segment.make_filename("")
        for name in os.listdir(self.folder):
            if name.startswith(prefix):
                os.replace(self.folder / name, self.index_dir / name)
        return segment
