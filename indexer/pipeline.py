"""Analysis in worker processes, feeding the one index writer in order.

Analysis is most of the cost of indexing and runs on one core inside Whoosh's writer; here it
runs in worker processes, which return each text field's postings ready to write
(``schema.Analyzed``), while the main process does the writing. Small jobs analyze in-process:
starting a worker (imports, dictionaries) costs about a second.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager

from whoosh.fields import Schema

from indexer.schema import Analyzed, SummitText

# Input below this size is analyzed in-process: worker start-up would cost more than it saves.
PARALLEL_MIN_BYTES = 2_000_000
# Articles analyzed ahead of the writer: enough to keep every worker busy, little memory.
WINDOW = 64

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


def analyze_fields(values: dict[str, str], schema: Schema | None = None) -> dict[str, Analyzed]:
    """Postings of each analyzed text field in ``values``, as the writer would compute them."""
    schema = schema or _schema
    assert schema is not None, "worker used before _init"
    out = {}
    for name in sorted(values):
        out[name] = Analyzed(list(schema[name].index(values[name])))
    return out


def text_fields(schema: Schema) -> tuple[str, ...]:
    """Names of the fields whose values the workers analyze."""
    return tuple(name for name, f in schema.items() if isinstance(f, SummitText))


class Analysis:
    """Analyze documents ahead of the writer, in workers or (``pool`` None) in the writer."""

    def __init__(self, schema: Schema, pool: ProcessPoolExecutor | None) -> None:
        self.fields = text_fields(schema)
        self.stored = frozenset(n for n in self.fields if schema[n].stored)
        self.pool = pool
        self.queue: deque[tuple[Future | None, Callable[[dict[str, Analyzed]], None]]] = deque()

    def submit(self, doc: dict[str, object], then: Callable[[dict[str, object]], None]) -> None:
        """Analyze ``doc``'s text fields, then pass the analyzed ``doc`` to ``then``, in order."""
        if self.pool is None:
            self.queue.append((None, lambda _: then(doc)))
        else:
            values = {n: doc[n] for n in self.fields if isinstance(doc.get(n), str)}
            future = self.pool.submit(analyze_fields, values)
            self.queue.append((future, lambda found: then(_merge(doc, found, self.stored))))
        self.drain(WINDOW)

    def after(self, action: Callable[[], None]) -> None:
        """Call ``action`` once every document submitted so far has been handed on."""
        self.queue.append((None, lambda _: action()))
        self.drain(WINDOW)

    def drain(self, keep: int = 0) -> None:
        """Hand on finished work in order until at most ``keep`` items are pending."""
        while len(self.queue) > keep:
            future, then = self.queue.popleft()
            then(future.result() if future is not None else {})


def _merge(
    doc: dict[str, object], analyzed: dict[str, Analyzed], stored: frozenset[str]
) -> dict[str, object]:
    merged = dict(doc)
    for name, postings in analyzed.items():
        if name in stored:
            # What a field stores is its text, not the postings that replace it for indexing.
            merged.setdefault(f"_stored_{name}", doc[name])
        merged[name] = postings
    return merged


@contextmanager
def analysis(schema: Schema, input_bytes: int, workers: int) -> Iterator[Analysis]:
    """An ``Analysis`` with ``workers`` processes when the job is large enough to pay for them.

    Fewer than two workers analyze in the writing process.
    """
    if workers < 2 or input_bytes < PARALLEL_MIN_BYTES:
        yield Analysis(schema, None)
        return
    # Spawned, not forked: the caller may be a threaded server, and a forked child would
    # inherit its locks in whatever state they were.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(schema,))
    try:
        yield Analysis(schema, pool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
