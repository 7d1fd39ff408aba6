"""Batches of documents built for the backend, in worker processes for large jobs, in order.

Analysis is most of the cost of indexing. A job hands its documents here; every
``batch_docs`` documents or ``batch_bytes`` of text close a batch, which a worker process
builds with the backend's builder (the embedded index writes it as one new segment and
returns only its description). The job gets the batches back in the order it gave them and
hands each to the backend's writer (``Job.commit_batch``). Small jobs build in the job's own
process: starting a worker (imports, dictionaries) costs about a second.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

# Input below this size is built in-process: worker start-up would cost more than it saves.
PARALLEL_MIN_BYTES = 2_000_000
# The smallest batch a parallel job splits its input into (bytes of text).
MIN_BATCH_BYTES = 1_000_000


@dataclass
class Batch:
    """Documents built together, and the ids whose old versions they replace."""

    docs: list[dict[str, object]] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    size: int = 0


# Builds one batch's documents for the backend (a segment, encoded documents), picklable.
Build = Callable[[list[dict[str, object]]], object]
# Called with each built batch, the batch, and whether it is the job's last.
Built = Callable[[object, Batch, bool], None]


class Batches:
    """Collect documents into batches, build each (in workers or here), hand them on in order."""

    def __init__(
        self,
        build: Build,
        pool: ProcessPoolExecutor | None,
        batch_docs: int,
        batch_bytes: int,
        on_built: Built,
    ) -> None:
        self.build, self.pool, self.on_built = build, pool, on_built
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
            self.on_built(self.build(batch.docs), batch, last)
            return
        self.queue.append((self.pool.submit(self.build, batch.docs), batch))
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


def batch_bytes(input_bytes: int, workers: int, limit: int) -> int:
    """Text per batch: ``limit``, or less so that every worker gets at least two batches."""
    if workers < 2:
        return limit
    return max(MIN_BATCH_BYTES, min(limit, input_bytes // (2 * workers) + 1))


@contextmanager
def workers_for(
    worker_init: tuple[Callable[..., None], tuple[object, ...]], input_bytes: int, workers: int
) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of ``workers`` processes when the job is large enough to pay for them, else None."""
    if workers < 2 or input_bytes < PARALLEL_MIN_BYTES:
        yield None
        return
    # Spawned, not forked: the caller may be a threaded server, and a forked child would
    # inherit its locks in whatever state they were.
    context = multiprocessing.get_context("spawn")
    initializer, initargs = worker_init
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=initializer, initargs=initargs
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
