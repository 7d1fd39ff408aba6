"""The one way into the index: folders, uploads and pasted articles all go through ``run``.

Every origin becomes articles in memory (``Source``), and one job (``job.Job``) takes them
through the same steps under the index's write lock: decide (new, changed or unchanged by
content hash; the second claim on an id in one job is refused) -> analyze (worker processes
for large jobs) -> write -> commit every ``commit_every`` articles and at the end -> report.
Uploads and pastes are kept in the source library (``sources.Library``) before their articles
are written, so the index never holds the only copy of them; a job first finishes whatever a
crashed job staged.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath

from indexer.backends import errors, index_state, open_writer
from indexer.config import Config
from indexer.documents import metadata
from indexer.documents.articles import (
    SUFFIXES,
    Rejected,
    expected_items,
    load_file,
    parse_file,
    relpath,
)
from indexer.ingest import pipeline
from indexer.ingest.discover import discover
from indexer.ingest.job import IndexReport, Job, Source, unfinished
from indexer.ingest.progress import Progress, ProgressCallback
from indexer.ingest.sources import PASTED, UPLOADS, Library, safe_name

__all__ = [
    "IndexReport",
    "Source",
    "add_files",
    "add_paste",
    "folder_sources",
    "index_sources",
    "remove_ids",
    "run",
]


def folder_sources(paths: Sequence[Path]) -> Iterator[Source]:
    """One ``Source`` per article file under ``paths`` (and one per bad metadata.json).

    A file is read as the job takes it, not before: a large JSONL file is never held whole.
    """
    reported: set[Path] = set()
    for file, root in discover(paths):
        if file.parent not in reported:
            reported.add(file.parent)
            _, error = metadata.read_metadata(file.parent)
            if error:
                sidecar = file.parent / metadata.METADATA_NAME
                refused = Rejected(relpath(sidecar, root), error)
                yield Source(sidecar.name, [refused], str(sidecar.absolute()))
        yield Source(
            file.name,
            load_file(file, root),
            str(file.absolute()),
            _size(file),
            count=expected_items(file),
        )


def run(
    config: Config,
    sources: Iterable[Source],
    *,
    rebuild: bool = False,
    prune: bool = False,
    remove: Sequence[str] = (),
    progress: ProgressCallback | None = None,
    on_wait: Callable[[str], None] | None = None,
    lock_timeout: float = 30.0,
    size_hint: int = 0,
) -> IndexReport:
    """Take ``sources`` into the index at ``config.index_dir`` as one job; say what happened.

    ``rebuild`` starts from an empty index; ``prune`` removes articles whose file is gone or no
    longer holds them (of the files this job read); ``remove`` deletes those ids and their
    library copies. ``size_hint`` (bytes) decides whether analysis runs in worker processes.
    ``progress`` is called with the articles done, those expected and the file being read (or
    the stage the job is in); an article is done once it is refused, unchanged, or analyzed
    and written in its batch.
    """
    index_dir = config.index_dir
    writer = open_writer(config, rebuild, lock_timeout, on_wait)
    library = Library(config.library_dir)
    job = Job(config, writer, library)
    try:
        fresh = rebuild or not job.existing
        left = list(unfinished(library, job))
        listed = [*left, *sources]
        job.progress = Progress(progress, sum(source.expected() for source in listed))
        with pipeline.workers_for(writer.worker_init, size_hint, config.workers) as pool:
            workers = pool._max_workers if pool is not None else 1
            limit = pipeline.batch_bytes(size_hint, workers, config.commit_bytes)
            build = writer.builder(in_worker=pool is not None)
            batches = pipeline.Batches(build, pool, config.commit_every, limit, job.commit_batch)
            for source in listed:
                job.take(source, batches)
            batches.finish()
            job.progress.settle()
            writer.batches_done()
            if prune:
                job.prune()
            job.remove(remove)
            # A build from nothing ends merged, each article written once more: one segment
            # per worker, merged side by side. Other jobs merge as the policy says.
            if fresh:
                job.progress.stage("merging the batches")
            job.commit(optimize=fresh, pool=pool)
    except BaseException as exc:
        job.cancel()
        if errors.is_disk_full(exc):
            raise errors.DiskFull(
                f"the disk of {index_dir} is full: nothing of this job was kept after its last "
                "commit, and the index is as that commit left it; free some space and run it "
                "again"
            ) from exc
        raise
    job.finish()
    return job.report


# --- the origins ------------------------------------------------------------------------------

PASTE_FIELDS = ("title", "outlet", "author", "published", "url", "summit")
UPLOAD_FIELDS = ("outlet", "author", "published", "url", "lang", "summit")


def index_sources(
    config: Config,
    paths: Sequence[Path] | None = None,
    *,
    rebuild: bool = False,
    prune: bool = False,
    progress: ProgressCallback | None = None,
    on_wait: Callable[[str], None] | None = None,
    lock_timeout: float = 30.0,
) -> IndexReport:
    """Index folders and files: ``paths``, else the configured source folders and the library.

    A rebuild always reads the library too, so no upload or paste is ever lost to it.
    """
    chosen = list(paths) if paths is not None else [*config.source_dirs]
    if paths is None or rebuild:
        chosen.append(config.library_dir)
    size = sum(_size(f) for f, _ in discover(chosen))
    return run(
        config,
        folder_sources(chosen),
        rebuild=rebuild,
        prune=prune,
        progress=progress,
        on_wait=on_wait,
        lock_timeout=lock_timeout,
        size_hint=size,
    )


def add_files(
    config: Config,
    files: Sequence[tuple[str, bytes]],
    details: Mapping[str, str] | None = None,
    lock_timeout: float = 30.0,
) -> IndexReport:
    """Keep uploaded files in the library as ``uploads/<safe name>`` and index them.

    ``details`` (outlet, published, url, lang, summit) apply to every file of the upload;
    what a file says of itself (a JSONL record's fields, a page's tags) still comes first.
    """
    given = {k: v.strip() for k, v in (details or {}).items() if k in UPLOAD_FIELDS and v.strip()}
    sources = []
    for name, data in files:
        rel = f"{UPLOADS}/{safe_name(name)}"
        suffix = Path(rel).suffix.lower()
        if suffix not in SUFFIXES:
            refused = Rejected(rel, f"unsupported file type {suffix or '(none)'}")
            sources.append(Source(rel, [refused]))
            continue
        origin = str(Library(config.library_dir).path(rel).absolute())
        items = parse_file(rel, data, {PurePosixPath(rel).name: given})
        sources.append(Source(rel, items, origin, len(data), rel, data, given or None))
    return run(config, sources, lock_timeout=lock_timeout)


def add_paste(config: Config, form: dict[str, str], lock_timeout: float = 30.0) -> IndexReport:
    """Keep a pasted article (text and metadata) in the library as one JSONL record; index it."""
    text = form.get("text", "")
    if not text.strip():
        return IndexReport(failed=[Rejected(PASTED + "/", "missing or empty 'text'")])
    # Named by its text, not by its title cut into a file name: the same text pasted again is
    # the same article (its details updated), and the id reads as an id. Ids given in the form,
    # and those of earlier pastes (a cut title), are kept as they are.
    digest = hashlib.sha256(unicodedata.normalize("NFC", text.strip()).encode()).hexdigest()
    ident = form.get("id", "").strip() or f"{PASTED}/{digest[:12]}"
    record: dict[str, str] = {"id": ident, "text": text}
    record.update({k: form[k].strip() for k in PASTE_FIELDS if form.get(k, "").strip()})
    if form.get("lang", "") in ("ko", "en", "zh"):
        record["lang"] = form["lang"]
    data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    rel = f"{PASTED}/{safe_name(ident, limit=80)}.jsonl"
    origin = str(Library(config.library_dir).path(rel).absolute())
    source = Source(rel, parse_file(rel, data), origin, len(data), rel, data)
    return run(config, [source], lock_timeout=lock_timeout)


def remove_ids(config: Config, ids: Sequence[str], lock_timeout: float = 30.0) -> list[str]:
    """Remove the articles with these ids, and their library copies; return those present."""
    if index_state(config) == "missing":
        raise errors.IndexMissing(errors.no_index(config.where))
    report = run(config, [], remove=ids, lock_timeout=lock_timeout)
    return [i for i in ids if i in report.removed]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # an unreadable file is reported when it is read
        return 0
