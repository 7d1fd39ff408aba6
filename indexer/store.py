"""Open or create the index; add, update and remove articles; commit durably."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.reading import MultiReader, SegmentReader
from whoosh.writing import SegmentWriter

from indexer import pipeline
from indexer.documents import Article, Rejected, discover, load_file
from indexer.schema import (
    GRAM_FIELDS,
    SCHEMA_VERSION,
    analysis_fingerprint,
    body_for_index,
    build_schema,
)

META_FILE = "summit-search.json"
# Articles per commit: a crash loses at most the batch under way, never what was committed.
# The environment override lets the crash soak test force many commits on a small corpus.
COMMIT_EVERY = int(os.environ.get("SUMMIT_SEARCH_COMMIT_EVERY") or 5000)
# Articles between progress reports inside one file.
PROGRESS_EVERY = 1000
# Memory for the writer's in-memory segment; far fewer flushes and merges than Whoosh's 128.
WRITER_LIMIT_MB = 384


class IndexError_(Exception):
    """Base class for index problems a user can act on; ``code`` names it for the screen."""

    code = "index_error"


class IndexVersionError(IndexError_):
    """The index on disk was built by another schema or analyzer version."""

    code = "index_outdated"


class IndexMissing(IndexError_):
    """There is no index at the given location."""

    code = "index_missing"


class IndexBusy(IndexError_):
    """Another job holds the index's write lock beyond the timeout."""

    code = "index_busy"


@dataclass
class IndexReport:
    """What one indexing run did: ids added, updated, unchanged, removed, and failures."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[Rejected] = field(default_factory=list)

    def summary(self) -> str:
        """One line: counts of each outcome."""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed, "
            f"{len(self.failed)} failed"
        )


def _meta() -> dict[str, object]:
    return {"schema_version": SCHEMA_VERSION, "analysis": analysis_fingerprint()}


def index_exists(index_dir: Path) -> bool:
    """True if ``index_dir`` holds an index."""
    return index_dir.is_dir() and whoosh_index.exists_in(str(index_dir))


def open_index(index_dir: Path) -> whoosh_index.Index:
    """Open an existing index, refusing one built by another schema or analyzer version."""
    if not index_exists(index_dir):
        raise IndexMissing(f"no index at {index_dir}: run `summit-search index` first")
    try:
        meta = json.loads((index_dir / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    if meta != _meta():
        raise IndexVersionError(
            f"the index at {index_dir} was built by another version of Summit Search "
            f"(schema {meta.get('schema_version', '?')}, this is {SCHEMA_VERSION}): "
            "run `summit-search index --rebuild` to rebuild it"
        )
    return _storage(index_dir).open_index(indexclass=_Index)


class _Index(whoosh_index.FileIndex):
    """Whoosh's index, closing the segments it opened when opening a reader fails midway."""

    @classmethod
    def _reader(cls, storage, schema, segments, generation, reuse=None):  # type: ignore[no-untyped-def]
        # A commit may delete an old segment while a searcher is being opened: Whoosh then
        # retries from a fresh table of contents, but its own version leaves the segments it
        # had already opened open, a file each.
        if reuse is not None or not segments:
            return super()._reader(storage, schema, segments, generation, reuse)
        readers: list[SegmentReader] = []
        try:
            for segment in segments:
                readers.append(SegmentReader(storage, schema, segment, generation=generation))
        except OSError:
            for r in readers:
                r.close()
            raise
        return readers[0] if len(readers) == 1 else MultiReader(readers, generation=generation)


def _storage(index_dir: Path) -> FileStorage:
    # Without mmap, Whoosh reads a segment through views of its file; with it, whoosh3 copies
    # every part of the segment it opens into memory for each new searcher (50 ms and the
    # size of the postings per search at 10k articles).
    return FileStorage(str(index_dir), supports_mmap=False)


def create_index(index_dir: Path) -> whoosh_index.Index:
    """Create an empty index at ``index_dir``, replacing any index there."""
    index_dir.mkdir(parents=True, exist_ok=True)
    meta = index_dir / META_FILE
    # Order matters for a crash in between: an index on disk must never sit beside the
    # version stamp of another schema, and a new empty index must not lack its stamp.
    if index_exists(index_dir):
        meta.unlink(missing_ok=True)
    else:
        _write_meta(meta)
    ix = _storage(index_dir).create_index(build_schema(), indexclass=_Index)
    _write_meta(meta)
    sync_dir(index_dir)
    return ix


def _write_meta(meta: Path) -> None:
    tmp = meta.with_suffix(".tmp")
    tmp.write_text(json.dumps(_meta()), encoding="utf-8")
    os.replace(tmp, meta)


def sync_dir(index_dir: Path) -> None:
    """fsync every file of the index and the directory itself.

    Whoosh renames its table of contents into place without fsync; after this returns, the
    last commit survives a power loss.
    """
    for entry in os.scandir(index_dir):
        if entry.is_file():
            try:
                fd = os.open(entry.path, os.O_RDONLY)
            except FileNotFoundError:
                # The lock is already released: the next writer may have cleaned up this
                # old segment, which the committed table of contents no longer needs.
                continue
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def writer(
    ix: whoosh_index.Index, timeout: float = 30.0, on_wait: Callable[[str], None] | None = None
) -> SegmentWriter:
    """Take the index's write lock, waiting up to ``timeout`` seconds with a message."""
    try:
        return ix.writer(limitmb=WRITER_LIMIT_MB)
    except LockError:
        if on_wait:
            on_wait(f"another job is writing to the index; waiting up to {timeout:.0f} s")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            return ix.writer(limitmb=WRITER_LIMIT_MB)
        except LockError:
            continue
    raise IndexBusy(f"the index is locked by another job (waited {timeout:.0f} s); try later")


def _document(article: Article, origin: str, schema: Schema) -> dict[str, object]:
    body = body_for_index(article.body)
    doc: dict[str, object] = {
        "id": article.id,
        # A title derived from the first sentence is shown but not indexed: the body already
        # holds that sentence, and a boosted copy made first-sentence overlap decide rankings.
        "title": "" if article.title_derived else article.title,
        "_stored_title": article.title,
        "body": body,
        "_stored_body": article.body,
        "raw": article.raw,
        "outlet": article.outlet,
        "author": article.author,
        "lang": ",".join(article.lang),
        "summit": ",".join(article.summit),
        "url": article.url,
        "source": origin,
        "content_hash": article.content_hash,
    }
    if article.published is not None:
        doc["published"] = article.published
    for name, grams in GRAM_FIELDS.items():
        if grams in schema:  # a baseline index (benchmarks) has no bigram fields
            doc[grams] = doc[name]
    return doc


def _existing(ix: whoosh_index.Index) -> tuple[dict[str, str], dict[str, str]]:
    """Map id -> content hash and id -> origin file for every article in the index."""
    hashes: dict[str, str] = {}
    origins: dict[str, str] = {}
    # Columns, not stored fields: reading every stored body of a large index takes minutes.
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return hashes, origins
        ids = reader.column_reader("id")
        content = reader.column_reader("content_hash")
        source = reader.column_reader("source")
        for docnum in reader.all_doc_ids():
            hashes[ids[docnum]] = content[docnum]
            origins[ids[docnum]] = source[docnum]
    return hashes, origins


Progress = Callable[[int, int, str], None]


def index_paths(
    index_dir: Path,
    paths: Sequence[Path],
    *,
    rebuild: bool = False,
    prune: bool = False,
    progress: Progress | None = None,
    on_wait: Callable[[str], None] | None = None,
    lock_timeout: float = 30.0,
) -> IndexReport:
    """Index the article files under ``paths`` incrementally; return what happened."""
    files = list(discover(paths))
    ix = (
        create_index(index_dir) if rebuild or not index_exists(index_dir) else open_index(index_dir)
    )
    report = IndexReport()
    seen: dict[str, str] = {}
    processed: set[str] = set()
    job = _Job(ix, index_dir, lock_timeout, on_wait)
    try:
        # Read what is indexed only once the lock is ours: a job that committed while this
        # one waited would otherwise make its articles look new and get them added twice.
        hashes, origins = _existing(ix)
        with pipeline.analysis(ix.schema, _input_bytes(files)) as work:
            for n, (path, root) in enumerate(files, 1):
                origin = str(path.absolute())  # resolve() raises on a symlink loop
                processed.add(origin)
                for k, item in enumerate(load_file(path, root), 1):
                    write = _decide(item, hashes, seen, report)
                    if write is not None:
                        work.submit(_document(item, origin, ix.schema), write_with(job, write))
                    if progress and k % PROGRESS_EVERY == 0:
                        # One large JSONL file is most of some jobs: say how far into it.
                        progress(n - 1, len(files), f"{path.name}: {k} articles")
                work.after(partial(job.file_done, n, len(files), path.name, progress))
            work.drain()
        if prune:
            gone = [
                i for i, o in origins.items()
                if i not in seen and (o in processed or (o and not os.path.exists(o)))
            ]  # fmt: skip
            for doc_id in gone:
                job.w.delete_by_term("id", doc_id)
            report.removed.extend(gone)
        _commit(job.w, index_dir)
    except BaseException:
        job.w.cancel()
        raise
    return report


def _input_bytes(files: Sequence[tuple[Path, Path]]) -> int:
    total = 0
    for path, _ in files:
        with suppress(OSError):  # an unreadable file is reported when it is read
            total += path.stat().st_size
    return total


class _Job:
    """The writer of one indexing run, committed every COMMIT_EVERY written articles."""

    def __init__(
        self,
        ix: whoosh_index.Index,
        index_dir: Path,
        lock_timeout: float,
        on_wait: Callable[[str], None] | None,
    ) -> None:
        self.ix, self.index_dir = ix, index_dir
        self.lock_timeout, self.on_wait = lock_timeout, on_wait
        self.w = writer(ix, lock_timeout, on_wait)
        self.pending = 0

    def file_done(self, n: int, total: int, name: str, progress: Progress | None) -> None:
        """Commit at a file boundary once enough is written; report progress."""
        if self.pending >= COMMIT_EVERY:
            _commit(self.w, self.index_dir)
            self.w, self.pending = writer(self.ix, self.lock_timeout, self.on_wait), 0
        if progress:
            progress(n, total, name)


def write_with(job: _Job, kind: str) -> Callable[[dict[str, object]], None]:
    """A callback that adds (``kind`` "add") or updates a document with the job's writer."""

    def write(doc: dict[str, object]) -> None:
        _write(job.w, kind, doc)
        job.pending += 1

    return write


def _write(w: SegmentWriter, kind: str, doc: dict[str, object]) -> None:
    """Add (``kind`` "add") or update ``doc`` with writer ``w``."""
    if kind == "add":
        w.add_document(**doc)
    else:
        w.update_document(**doc)


def _decide(
    item: Article | Rejected, hashes: dict[str, str], seen: dict[str, str], report: IndexReport
) -> str | None:
    """Whether to "add" or "update" ``item``, or None if it is rejected or unchanged."""
    if isinstance(item, Rejected):
        report.failed.append(item)
        return None
    if item.id in seen:
        # Whoosh alone would keep both copies; the first file to claim an id keeps it.
        report.failed.append(
            Rejected(item.source, f"duplicate id {item.id!r}, first in {seen[item.id]}")
        )
        return None
    seen[item.id] = item.source
    old = hashes.get(item.id)
    if old == item.content_hash:
        report.unchanged.append(item.id)
        return None
    if old is None:
        report.added.append(item.id)
        return "add"
    report.updated.append(item.id)
    return "update"


def _apply(
    w: SegmentWriter,
    item: Article | Rejected,
    origin: str,
    hashes: dict[str, str],
    seen: dict[str, str],
    report: IndexReport,
) -> None:
    """Write one article if new or changed."""
    kind = _decide(item, hashes, seen, report)
    if kind is not None:
        _write(w, kind, _document(item, origin, w.schema))  # type: ignore[arg-type]


def _commit(w: SegmentWriter, index_dir: Path) -> None:
    w.commit()
    sync_dir(index_dir)


@contextmanager
def _writing(
    ix: whoosh_index.Index, index_dir: Path, lock_timeout: float
) -> Iterator[tuple[SegmentWriter, dict[str, str]]]:
    """Hold the write lock: yield the writer and the indexed id -> hash map, then commit."""
    w = writer(ix, lock_timeout)
    try:
        yield w, _existing(ix)[0]
        _commit(w, index_dir)
    except BaseException:
        w.cancel()
        raise


def add_articles(
    index_dir: Path, articles: Iterable[Article | Rejected], lock_timeout: float = 30.0
) -> IndexReport:
    """Add or update articles that do not come from a file under a source folder (uploads)."""
    ix = open_index(index_dir) if index_exists(index_dir) else create_index(index_dir)
    report = IndexReport()
    seen: dict[str, str] = {}
    with _writing(ix, index_dir, lock_timeout) as (w, hashes):
        for item in articles:
            _apply(w, item, "", hashes, seen, report)
    return report


def remove_ids(index_dir: Path, ids: Sequence[str], lock_timeout: float = 30.0) -> list[str]:
    """Remove the articles with these ids; return the ids that were present."""
    ix = open_index(index_dir)
    with _writing(ix, index_dir, lock_timeout) as (w, hashes):
        present = [i for i in ids if i in hashes]
        for doc_id in present:
            w.delete_by_term("id", doc_id)
    return present


def stats(index_dir: Path) -> dict[str, object]:
    """Articles, languages, outlets, date range, size on disk and schema version."""
    ix = open_index(index_dir)
    langs: dict[str, int] = {}
    outlets: dict[str, int] = {}
    dates = []
    with ix.searcher() as s:
        for fields in s.all_stored_fields():
            for lang in filter(None, fields.get("lang", "").split(",")):
                langs[lang] = langs.get(lang, 0) + 1
            outlet = fields.get("outlet") or "(unknown)"
            outlets[outlet] = outlets.get(outlet, 0) + 1
            if fields.get("published"):
                dates.append(fields["published"])
        count = s.doc_count()
    size = sum(e.stat().st_size for e in os.scandir(index_dir) if e.is_file())
    return {
        "articles": count,
        "languages": dict(sorted(langs.items(), key=lambda kv: -kv[1])),
        "outlets": dict(sorted(outlets.items(), key=lambda kv: -kv[1])),
        "date_range": [min(dates).isoformat(), max(dates).isoformat()] if dates else None,
        "index_bytes": size,
        "schema_version": SCHEMA_VERSION,
    }
