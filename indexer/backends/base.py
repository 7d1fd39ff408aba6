"""The seam between the search and the engines: what a search asks of an index, and gets back.

``search`` builds a plan (concepts, phrases, filters, the bigram units) and decides its
semantics; a ``Snapshot`` (one point in time of an index, open for one request) evaluates it:
which articles match, the relaxed tier after them, their order, a page of stored fields,
facet counts and the undated articles a date range hides. Everything here is plain data, so
the code above never sees an engine's types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from indexer.documents.articles import Article
from indexer.search.notices import Notice
from indexer.search.query import Plan
from indexer.search.ranking import Settings
from indexer.search.results import NO_FILTERS, FacetValue, Filters
from indexer.search.vocabulary import Vocabulary
from indexer.text.analysis import Analyzer

Stored = dict[str, Any]
Facets = dict[str, list[FacetValue]]


@dataclass(frozen=True)
class Request:
    """What to return of a plan's matches: filters, order, which page, and what besides."""

    filters: Filters = NO_FILTERS
    # Every article with one of the words is the match set (the "any word" switch).
    any_word: bool = False
    sort: str = "relevance"  # or "newest", "oldest"
    start: int = 0
    size: int = 10
    facets: bool = False
    # A first page the match set cannot fill goes on with the relaxed tier.
    fill: bool = True


@dataclass(frozen=True)
class StoredHit:
    """One article of a page: its stored fields, score and tier."""

    fields: Stored
    score: float
    strict: bool


@dataclass
class Found:
    """A plan's matches as a page: totals, hits, and the counts a result page shows."""

    total: int
    relaxed_total: int
    hits: list[StoredHit] = field(default_factory=list)
    # For each quoted phrase, how many articles of the match set have it exactly.
    phrase_counts: list[int] = field(default_factory=list)
    # For each concept, how many articles of the whole index have it (filters aside).
    concept_counts: list[int] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    facets: Facets | None = None
    # Articles of the match set a date range hides for having no date, and their facets.
    undated_hidden: int = 0
    undated_facets: Facets | None = None


class Snapshot(Protocol):
    """One point in time of an index: every read of one request sees the same articles."""

    generation: int

    def doc_count(self) -> int:
        """Articles in the index (deleted ones not yet merged away included, as BM25 counts)."""
        ...

    def articles(self) -> int:
        """Live articles in the index."""
        ...

    def doc_frequency(self, field: str, term: str) -> int:
        """How many articles have ``term`` in ``field``."""
        ...

    def vocabulary(self) -> Vocabulary:
        """The index's terms, for completions and corrections."""
        ...

    def find(self, plan: Plan, settings: Settings, request: Request) -> Found:
        """Evaluate ``plan``: its totals, the page ``request`` asks for, and its counts."""
        ...

    def count(self, plan: Plan, settings: Settings, filters: Filters, any_word: bool) -> int:
        """How many articles the match set of ``plan`` has."""
        ...

    def ranked(self, plan: Plan, settings: Settings, limit: int) -> list[tuple[str, float]]:
        """The first ``limit`` (id, score) of the ranking: the match set, then the relaxed tier."""
        ...

    def document(self, doc_id: str) -> Stored | None:
        """The stored fields of article ``doc_id``, or None."""
        ...

    def listing(self, filters: Filters, start: int, size: int) -> tuple[int, list[Stored]]:
        """Articles ``filters`` allow, newest arrival first (then by id): the total and a page."""
        ...

    def origin_counts(self, origins: tuple[str, ...]) -> dict[str, int]:
        """Live articles of each origin."""
        ...

    def ids_from(self, source: str) -> list[str]:
        """The ids of the articles read from the file ``source``."""
        ...


class Backend(Protocol):
    """An index a search reads: the analyzers it was built with, and snapshots of it."""

    # The one analyzer (``text.analysis``) and the bigram view's, if the index has it.
    analyzer: Analyzer
    gram_analyzer: Analyzer | None

    def snapshot(self) -> AbstractContextManager[Snapshot]:
        """The index as of its latest commit, open until the block ends."""
        ...


class Existing(Protocol):
    """What the index holds: id -> (content hash, origin file), read under the write lock."""

    def get(self, doc_id: str) -> tuple[str, str] | None:
        """The content hash and origin of ``doc_id``, or None if the index has no such id."""
        ...

    def __getitem__(self, doc_id: str) -> tuple[str, str]: ...

    def __contains__(self, doc_id: object) -> bool: ...

    def __len__(self) -> int: ...

    def items(self) -> Iterable[tuple[str, tuple[str, str]]]:
        """Every indexed id with its hash and origin (read only when asked)."""
        ...

    def close(self) -> None:
        """Release what the lookups opened."""
        ...


class Writer(Protocol):
    """One job's writes to an index, under its write lock, from start to final commit."""

    existing: Existing
    # The initializer of an analysis worker process and its arguments.
    worker_init: tuple[Callable[..., None], tuple[object, ...]]

    def document(self, article: Article, origin: str, kind: str, added: datetime) -> dict:
        """The document a batch holds for ``article`` read from ``origin`` (of ``kind``)."""
        ...

    def builder(self, in_worker: bool) -> Callable[[list[dict[str, object]]], object]:
        """What builds a batch (analysis included): picklable when ``in_worker``."""
        ...

    def written(self, built: object, replaces: Sequence[str], last: bool) -> None:
        """Take one built batch, deleting the old versions of ``replaces``."""
        ...

    def batches_done(self) -> None:
        """Every batch has been taken."""
        ...

    def delete(self, doc_id: str) -> None:
        """Delete article ``doc_id`` at the next commit."""
        ...

    def commit(
        self, optimize: bool = False, merge: bool = True, pool: ProcessPoolExecutor | None = None
    ) -> None:
        """Make every write so far durable and searchable; ``optimize`` after a rebuild."""
        ...

    def cancel(self) -> None:
        """Give up what was not committed; the last commit stays as it was."""
        ...

    def close(self) -> None:
        """After the final commit."""
        ...
