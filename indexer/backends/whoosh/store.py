"""The index on disk: open, create, version, the write lock, and commit durably.

What goes into the index, and when, is ``ingest``'s business; this module only keeps it.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.base import Segment
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.reading import IndexReader, MultiReader, SegmentReader
from whoosh.writing import SegmentWriter

from indexer.backends.errors import (
    IndexBusy,
    IndexCorrupt,
    IndexError_,
    IndexMissing,
    IndexVersionError,
    no_index,
)
from indexer.backends.whoosh import merging
from indexer.backends.whoosh.schema import SCHEMA_VERSION, build_schema
from indexer.text.korean import analysis_fingerprint

META_FILE = "summit-search.json"
# The writer holds the lock, deletes and commits; documents go into segments of their own
# (``segments.SegmentBuilder``), so its posting pool stays empty.
WRITER_LIMIT_MB = 8


def discard_uncommitted(ix: whoosh_index.Index, folders: Sequence[Path] = ()) -> None:
    """Delete the files no commit refers to: segments a failed job wrote, Whoosh's temp files,
    and ``folders`` (where the job built its segments).

    Only under the write lock (the caller's, or taken here): another job's files in progress
    look just the same.
    """
    lock = ix.lock("WRITELOCK")
    if not lock.acquire(blocking=False):
        return  # another job writes now; its commit cleans up as well
    try:
        toc = ix._read_toc()
        whoosh_index.clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)
        folder = Path(ix.storage.folder)
        shutil.rmtree(folder / f"{ix.indexname}.tmp", ignore_errors=True)
        # Whoosh's temporary files, and a table of contents it could not finish writing
        # (written as ``_MAIN_7.toc.<random>``, renamed into place when complete).
        for stray in [*folder.glob("*.tmp"), *folder.glob(f"_{ix.indexname}_*.toc.*")]:
            stray.unlink(missing_ok=True)
        for extra in folders:
            shutil.rmtree(extra, ignore_errors=True)
    finally:
        lock.release()


def _meta() -> dict[str, object]:
    return {"schema_version": SCHEMA_VERSION, "analysis": analysis_fingerprint()}


def index_exists(index_dir: Path) -> bool:
    """True if ``index_dir`` holds an index."""
    return index_dir.is_dir() and whoosh_index.exists_in(str(index_dir))


def open_index(index_dir: Path) -> whoosh_index.Index:
    """Open an existing index, refusing one built by another schema or analyzer version."""
    if not index_exists(index_dir):
        raise IndexMissing(no_index(index_dir))
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
    try:
        ix = _storage(index_dir).open_index(indexclass=_Index)
    except Exception as exc:  # a damaged table of contents: one line, never a traceback
        raise corrupt(index_dir, "its table of contents", exc) from exc
    # Every segment is opened once here, so a damaged one is named now, not by a search.
    ix.reader().close()
    return ix


def open_segments(index_dir: Path) -> tuple[whoosh_index.Index, list[Segment]]:
    """The index and its segment list, no segment opened (the integrity check opens each)."""
    ix = _storage(index_dir).open_index(indexclass=_Index)
    return ix, ix._segments()


def corrupt(index_dir: Path | str, part: str, exc: BaseException) -> IndexCorrupt:
    """The error for an unreadable ``part`` of the index, saying what to do."""
    why = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return IndexCorrupt(
        f"the index at {index_dir} is damaged ({part} cannot be read: {why}); "
        "`summit-search check` names every damaged file, and "
        "`summit-search index --rebuild` rebuilds the index from the sources and the library"
    )


class _Index(whoosh_index.FileIndex):
    """Whoosh's index, closing the segments it opened when opening a reader fails midway, and
    naming a segment it cannot read."""

    def reader(self, reuse=None):  # type: ignore[no-untyped-def]
        """Whoosh's reader of the latest commit; a file gone for good raises ``IndexCorrupt``."""
        try:
            return super().reader(reuse)
        except IndexError_:
            raise
        except FileNotFoundError as exc:
            # Whoosh retried: the file is gone for good, not deleted by a concurrent commit.
            raise corrupt(self.storage.folder, f"{Path(exc.filename or '?').name}", exc) from exc

    @classmethod
    def _reader(cls, storage, schema, segments, generation, reuse=None):  # type: ignore[no-untyped-def]
        # A commit may delete an old segment while a searcher is being opened: Whoosh then
        # retries from a fresh table of contents, but its own version leaves the segments it
        # had already opened open, a file each.
        if reuse is not None or not segments:
            return super()._reader(storage, schema, segments, generation, reuse)
        readers: list[SegmentReader] = []
        segment = None
        try:
            for segment in segments:
                readers.append(SegmentReader(storage, schema, segment, generation=generation))
        except FileNotFoundError:
            # Perhaps deleted by a commit just now: Whoosh retries from the new table of contents.
            for r in readers:
                r.close()
            raise
        except Exception as exc:
            for r in readers:
                r.close()
            name = segment.segment_id() if segment is not None else "?"
            raise corrupt(storage.folder, f"segment {name}", exc) from exc
        return readers[0] if len(readers) == 1 else MultiReader(readers, generation=generation)


def _storage(index_dir: Path) -> FileStorage:
    # Without mmap, Whoosh reads a segment through views of its file; with it, whoosh3 copies
    # every part of the segment it opens into memory for each new searcher (50 ms and the
    # size of the postings per search at 10k articles).
    return FileStorage(str(index_dir), supports_mmap=False)


def create_index(index_dir: Path, schema: Schema | None = None) -> whoosh_index.Index:
    """Create an empty index at ``index_dir``, replacing any index there.

    ``schema`` defaults to the product's; the benchmarks give their baselines' own.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    meta = index_dir / META_FILE
    # Order matters for a crash in between: an index on disk must never sit beside the
    # version stamp of another schema, and a new empty index must not lack its stamp.
    if index_exists(index_dir):
        meta.unlink(missing_ok=True)
    else:
        _write_meta(meta)
    ix = _storage(index_dir).create_index(schema or build_schema(), indexclass=_Index)
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


class Existing(Mapping[str, tuple[str, str]]):
    """id -> (content hash, origin file) of the indexed articles, read as far as asked.

    An upload asks about a few ids: each is found through the id field's postings, where
    reading the whole map takes seconds at 100,000 articles. Iterating (a prune) reads it all.
    The index as it was when the job began: the job's own commits do not show.
    """

    def __init__(self, ix: whoosh_index.Index) -> None:
        self.ix = ix
        self.count = ix.doc_count()
        self._all: dict[str, tuple[str, str]] | None = None
        self._reader: IndexReader | None = None
        self._columns: tuple[Any, Any] = (None, None)

    def __getitem__(self, doc_id: str) -> tuple[str, str]:
        if self._all is not None:
            return self._all[doc_id]
        if self.count == 0:
            raise KeyError(doc_id)
        if self._reader is None:
            self._reader = self.ix.reader()
            self._columns = (
                self._reader.column_reader("content_hash"),
                self._reader.column_reader("source"),
            )
        reader, (content, source) = self._reader, self._columns
        btext = reader.schema["id"].to_bytes(doc_id)
        if not reader.doc_frequency("id", btext):
            raise KeyError(doc_id)
        for docnum in reader.postings("id", btext).all_ids():
            if not reader.is_deleted(docnum):
                return content[docnum], source[docnum]
        raise KeyError(doc_id)

    def __iter__(self) -> Iterator[str]:
        if self._all is None:
            self._all = existing(self.ix)
        return iter(self._all)

    def __len__(self) -> int:
        return self.count if self._all is None else len(self._all)

    def close(self) -> None:
        """Close the reader the lookups opened."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None


def existing(ix: whoosh_index.Index) -> dict[str, tuple[str, str]]:
    """Map id -> (content hash, origin file) for every article in the index."""
    found: dict[str, tuple[str, str]] = {}
    # Columns, not stored fields: reading every stored body of a large index takes minutes.
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return found
        ids = reader.column_reader("id")
        content = reader.column_reader("content_hash")
        source = reader.column_reader("source")
        for docnum in reader.all_doc_ids():
            found[ids[docnum]] = (content[docnum], source[docnum])
    return found


def commit(
    w: SegmentWriter,
    index_dir: Path,
    added: Sequence[Segment] = (),
    optimize: bool = False,
    merge: bool = True,
    final: Sequence[Segment] | None = None,
) -> None:
    """Commit ``w``'s deletions with the new ``added`` segments, merged as the policy says.

    ``optimize`` merges every segment into one; ``merge`` False merges nothing; ``final`` is
    the segment list the caller already merged everything into. The index is
    fsynced, so that the commit survives a power loss; until the table of contents is written,
    the new segments' files are orphans that the next commit removes.
    """

    def policy(writer: SegmentWriter, segments: list[Segment]) -> list[Segment]:
        if final is not None:
            return list(final)
        current = [*segments, *added]
        if not merge:
            return current
        if optimize and len(current) > 1:
            return [merging.merge_segments(writer.storage, writer.schema, current)]
        return merging.apply(writer.storage, writer.schema, current)

    w.commit(mergetype=policy)
    sync_dir(index_dir)
