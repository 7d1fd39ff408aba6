"""Integrity check: read every stored document and posting, compare the index with its sources."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.reading import SegmentReader

from indexer.backends.errors import IndexMissing
from indexer.backends.whoosh.store import index_exists, open_segments
from indexer.config import Config
from indexer.documents.articles import Article
from indexer.ingest.discover import iter_documents
from indexer.ingest.sources import Library

# Problems of one kind shown in full; the rest are counted, so a broken index stays readable.
SHOWN_PER_KIND = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong: its kind (unreadable, duplicate, stale, missing, ...), item and detail."""

    kind: str
    item: str
    detail: str = ""

    def line(self) -> str:
        """The problem as one line of the report."""
        return f"{self.kind}: {self.item}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class CheckReport:
    """What the check read and what it found wrong."""

    articles: int = 0
    terms: int = 0
    postings: int = 0
    sources: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report as text lines: problems (capped per kind), then the counts."""
        out: list[str] = []
        shown: Counter[str] = Counter()
        for problem in self.problems:
            shown[problem.kind] += 1
            if shown[problem.kind] <= SHOWN_PER_KIND:
                out.append(problem.line())
        for kind, count in shown.items():
            if count > SHOWN_PER_KIND:
                out.append(f"{kind}: {count - SHOWN_PER_KIND} more not shown")
        status = "ok" if self.ok else f"{len(self.problems)} problems"
        out.append(
            f"{status}: {self.articles} articles, {self.terms} terms, "
            f"{self.postings} postings read; {self.sources} source articles compared"
        )
        return out


def check_index(config: Config, sources: Sequence[Path] | None = None) -> CheckReport:
    """Read the whole index of ``config``; compare it with ``sources`` and the library.

    With ``sources`` None, only the index is read.
    """
    report = CheckReport()
    indexed = _read_documents(config.index_dir, report)
    if sources is not None:
        library = Library(config.library_dir)
        folders = [*sources, config.library_dir] if config.library_dir.is_dir() else [*sources]
        _compare(indexed, folders, report)
        for rel in library.staged():
            report.problems.append(
                Problem("unfinished upload", rel, "the next indexing job finishes it")
            )
    return report


def _read_documents(index_dir: Path, report: CheckReport) -> dict[str, dict]:
    """Stored fields by id, after reading every segment's documents and posting lists.

    Each segment is read on its own, so a damaged one is named by its file and the others are
    still read.
    """
    if not index_exists(index_dir):
        raise IndexMissing(f"no index at {index_dir}: run `summit-search index` first")
    try:
        ix, segments = open_segments(index_dir)
    except Exception as exc:  # a torn table of contents: say so instead of a traceback
        report.problems.append(Problem("unreadable index", str(index_dir), _why(exc)))
        return {}
    indexed: dict[str, dict] = {}
    ids: Counter[str] = Counter()
    for segment in segments:
        name = segment.segment_id()
        try:
            reader = SegmentReader(ix.storage, ix.schema, segment)
        except Exception as exc:
            report.problems.append(Problem("unreadable segment", name, _why(exc)))
            continue
        with reader:
            try:
                _read_segment(reader, name, indexed, ids, report)
            except Exception as exc:
                report.problems.append(Problem("unreadable segment", name, _why(exc)))
    for doc_id, count in sorted(ids.items()):
        if count > 1:
            report.problems.append(Problem("duplicate id", doc_id, f"{count} copies"))
    return indexed


def _read_segment(
    reader: SegmentReader,
    name: str,
    indexed: dict[str, dict],
    ids: Counter[str],
    report: CheckReport,
) -> None:
    """Every live document and every posting of one segment; problems name the segment."""
    for docnum in reader.all_doc_ids():
        try:
            fields = reader.stored_fields(docnum)
            doc_id = fields["id"]
            for fieldname in ("title", "body", "raw"):
                if not isinstance(fields.get(fieldname, ""), str):
                    raise TypeError(f"{fieldname} is {type(fields[fieldname]).__name__}")
        except Exception as exc:  # report every bad document, not just the first
            report.problems.append(Problem("unreadable document", f"{name} #{docnum}", _why(exc)))
            continue
        ids[doc_id] += 1
        indexed[doc_id] = fields
        report.articles += 1
    limit = reader.doc_count_all()
    for fieldname in sorted(reader.indexed_field_names()):
        try:
            terms = list(reader.lexicon(fieldname))
        except Exception as exc:
            report.problems.append(Problem("unreadable field", f"{name} {fieldname}", _why(exc)))
            continue
        for term in terms:
            report.terms += 1
            try:
                for docnum in reader.postings(fieldname, term).all_ids():
                    if not 0 <= docnum < limit:
                        raise ValueError(f"posting to document #{docnum} of {limit}")
                    report.postings += 1
            except Exception as exc:
                item = f"{name} {fieldname}:{term.decode('utf-8', 'replace')}"
                report.problems.append(Problem("unreadable postings", item, _why(exc)))


def _compare(indexed: dict[str, dict], sources: Sequence[Path], report: CheckReport) -> None:
    """Stale, missing and unindexed articles, judged against the files now on disk."""
    current: dict[str, Article] = {}
    for item in iter_documents(list(sources)):
        if isinstance(item, Article):
            current[item.id] = item
    report.sources = len(current)
    roots = [str(Path(p).resolve()) for p in sources]
    for doc_id, fields in sorted(indexed.items()):
        origin = fields.get("source", "")
        article = current.get(doc_id)
        if article is not None:
            if article.content_hash != fields.get("content_hash"):
                report.problems.append(Problem("stale", doc_id, "the source file has changed"))
        elif origin and not os.path.exists(origin):
            report.problems.append(Problem("missing", doc_id, f"{origin} is gone"))
        elif origin and any(_under(origin, root) for root in roots):
            report.problems.append(Problem("missing", doc_id, f"no longer in {origin}"))
    for doc_id in sorted(set(current) - set(indexed)):
        report.problems.append(Problem("not indexed", doc_id, current[doc_id].source))


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0]
