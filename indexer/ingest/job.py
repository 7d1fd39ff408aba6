"""One ingestion job: what it decides for each article, writes, prunes, removes and reports.

``ingest.run`` makes one ``Job`` per run, under the index's write lock, over the backend's
writer (``backends.base.Writer``). Its articles go into batches of ``commit_every`` articles
or ``commit_bytes`` of text, which the writer takes (with the deletions of the old versions
they replace) as they are built; files the job staged in or trashed from the source library
are settled only after the final commit.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from indexer.backends.base import Writer
from indexer.config import CORPUS_DIR, Config
from indexer.documents import metadata
from indexer.documents.articles import Article, Rejected, check_record, parse_file
from indexer.ingest import pipeline
from indexer.ingest.progress import Progress
from indexer.ingest.sources import Library, LibraryError

# Articles read between progress reports inside one large file.
PROGRESS_EVERY = 1000


@dataclass
class IndexReport:
    """What one job did: ids added, updated, unchanged, removed, and failures."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[Rejected] = field(default_factory=list)
    # Of the articles above, those whose file is in the source library.
    library: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: counts of each outcome."""
        line = (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed, "
            f"{len(self.failed)} failed"
        )
        return line + (f" ({len(self.library)} from the library)" if self.library else "")


@dataclass
class Source:
    """One file's worth of articles for a job: where they come from and how big it is."""

    label: str
    items: Iterable[Article | Rejected]
    origin: str = ""
    size: int = 0
    # For an upload or a paste: its library path, and the bytes to keep there before its
    # articles are written (None for a file already staged by a job that did not finish).
    staged: str = ""
    data: bytes | None = None
    # The fields given with an upload, kept in the library's metadata.json for the file.
    details: dict[str, object] | None = None
    # How many articles (and refusals) ``items`` holds, when it is read only as the job takes
    # it (``articles.expected_items``); None: count the items.
    count: int | None = None

    def expected(self) -> int:
        """How many articles and refusals this source holds, or will once read."""
        if self.count is None:
            self.items = list(self.items)
            self.count = len(self.items)
        return self.count


class Job:
    """One job's writer, decisions and report."""

    def __init__(self, config: Config, writer: Writer, library: Library) -> None:
        self.config, self.writer, self.library = config, writer, library
        self.report = IndexReport()
        self.existing = writer.existing
        self.seen: dict[str, str] = {}
        self.read: set[str] = set()
        self.progress = Progress()
        self.staged: list[str] = []
        self.trashed: list[str] = []

    def take(self, source: Source, work: pipeline.Batches) -> None:
        """Decide on each article of ``source`` and hand it to a batch."""
        progress = self.progress
        progress.tell(source.label)
        self.read.add(source.origin)
        items = list(source.items) if source.staged else source.items
        if source.staged and not any(isinstance(i, Article) for i in items):
            self.library.discard(source.staged)  # nothing to keep: every record was refused
            self.report.failed.extend(i for i in items if isinstance(i, Rejected))
            progress.taken += len(items)
            progress.tell()
            return
        if source.data is not None:
            try:
                if source.details:
                    self.library.set_metadata(source.staged, source.details)
                self.library.stage(source.staged, source.data)
            except LibraryError as exc:
                self.report.failed.append(Rejected(source.label, str(exc)))
                progress.taken += source.expected()
                progress.tell()
                return
        kind, added = self._origin_kind(source.origin), _arrived(source)
        for item in items:
            decision = self._decide(item)
            progress.taken += 1
            if decision is not None:
                assert isinstance(item, Article)
                if self.library.holds(source.origin) or source.staged:
                    self.report.library.append(item.id)
                doc = self.writer.document(item, source.origin, kind, added)
                size = len(item.body.encode()) + len(item.title.encode())
                progress.pending += 1
                # A batch this closes is handed on (and reported) before ``add`` returns.
                work.add(doc, size, item.id if decision == "update" else None)
            if progress.taken % PROGRESS_EVERY == 0:
                progress.tell()  # unchanged articles of one large file move the bar too
        if source.staged:
            self.staged.append(source.staged)
        progress.tell()

    def _origin_kind(self, origin: str) -> str:
        """One of ``ORIGINS`` for the file ``origin``."""
        kind = self.library.kind_of(origin) if origin else ""
        if kind:
            return kind
        try:
            Path(origin).resolve().relative_to(CORPUS_DIR)
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
            return "folder"
        return "bundled"

    def _decide(self, item: Article | Rejected) -> str | None:
        """Whether to "add" or "update" ``item``, or None if it is rejected or unchanged."""
        if isinstance(item, Rejected):
            self.report.failed.append(item)
            return None
        if item.id in self.seen:
            # Whoosh alone would keep both copies; the first file to claim an id keeps it.
            first = self.seen[item.id]
            self.report.failed.append(
                Rejected(item.source, f"duplicate id {item.id!r}, first in {first}")
            )
            return None
        self.seen[item.id] = item.source
        old = self.existing.get(item.id)
        if old is not None and old[0] == item.content_hash:
            self.report.unchanged.append(item.id)
            return None
        if old is None:
            self.report.added.append(item.id)
            return "add"
        self.report.updated.append(item.id)
        return "update"

    def commit_batch(self, built: object, batch: pipeline.Batch, last: bool) -> None:
        """Hand one built batch to the writer with the old versions it replaces.

        The last batch of a job is held for the job's final commit (with its prunes and
        removals), so that a one-article upload costs one commit.
        """
        self.writer.written(built, batch.replaces, last)
        self.progress.pending -= len(batch.docs)
        self.progress.tell()

    def commit(self, optimize: bool = False, pool: ProcessPoolExecutor | None = None) -> None:
        """The final commit: ``optimize`` merges a build from nothing (in ``pool``'s workers)."""
        self.writer.commit(optimize=optimize, pool=pool)

    def cancel(self) -> None:
        """Give up the batches and the deletions; the lock is released."""
        self.writer.cancel()

    def prune(self) -> None:
        """Remove articles whose file this job read without them, or whose file is gone."""
        gone = [
            doc_id
            for doc_id, (_, origin) in self.existing.items()
            if doc_id not in self.seen
            and (origin in self.read or (origin and not os.path.exists(origin)))
        ]
        for doc_id in gone:
            self.writer.delete(doc_id)
        self.report.removed.extend(gone)

    def remove(self, ids: Sequence[str]) -> None:
        """Delete ``ids`` from the index, and their files from the library."""
        files: dict[str, list[str]] = {}
        for doc_id in ids:
            if doc_id not in self.existing or doc_id in self.report.removed:
                continue
            origin = self.existing[doc_id][1]
            if self.library.holds(origin):
                files.setdefault(origin, []).append(doc_id)
            self.writer.delete(doc_id)
            self.report.removed.append(doc_id)
        for origin, removed in files.items():
            rel = Path(origin).resolve().relative_to(self.library.root.resolve()).as_posix()
            left = _without(Path(origin), rel, set(removed))
            if left is None:
                self.library.trash(rel)
                self.trashed.append(rel)
            else:
                self.library.replace(rel, left)

    def finish(self) -> None:
        """After the commit: move staged library files into place, delete trashed ones."""
        self.writer.close()
        for rel in self.staged:
            self.library.settle(rel)
        for rel in self.trashed:
            self.library.purge(rel)


def unfinished(library: Library, job: Job) -> Iterator[Source]:
    """What a crashed job left: staged files to index and settle, trashed ones to drop."""
    for rel in library.staged():
        entries, _ = metadata.read_metadata(library.path(rel).parent)
        items = parse_file(rel, library.staged_bytes(rel), entries)
        yield Source(rel, items, str(library.path(rel).absolute()), staged=rel)
    for rel in library.trashed():
        origin = str(library.path(rel).absolute())
        for doc_id, (_, where) in job.existing.items():
            if where == origin:
                job.writer.delete(doc_id)
                job.report.removed.append(doc_id)
        job.trashed.append(rel)


def _arrived(source: Source) -> datetime:
    """When the articles of ``source`` arrived: now for an upload or paste, else the file's time.

    A file's modification time survives a rebuild, so an article keeps its date added.
    """
    if not source.staged and source.origin:
        with contextlib.suppress(OSError):
            return datetime.fromtimestamp(os.stat(source.origin).st_mtime, UTC).replace(tzinfo=None)
    return datetime.now(UTC).replace(tzinfo=None)


def _without(path: Path, rel: str, ids: set[str]) -> bytes | None:
    """The JSONL file at ``path`` without the records of ``ids``; None if nothing is left."""
    if path.suffix.lower() != ".jsonl":
        return None
    kept = []
    for number, line in enumerate(path.read_bytes().split(b"\n"), 1):
        record = check_record(line) if line.strip() else None
        where = f"{rel}#{number}"
        if isinstance(record, dict) and str(record.get("id", where)) in ids:
            continue
        kept.append(line)
    body = b"\n".join(kept)
    return body if body.strip() else None
