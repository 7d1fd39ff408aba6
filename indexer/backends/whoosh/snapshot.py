"""The embedded backend behind the seam: a Whoosh index folder, read through one searcher.

``WhooshBackend`` opens the index once and keeps the cache of decoded segments (segments never
change once written); each ``snapshot`` is one searcher over the latest commit, so a search
sees every commit made before it started.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import numpy as np
from whoosh import query as Q
from whoosh import sorting
from whoosh.searching import Searcher

from indexer.backends.base import Found, Request, Stored, StoredHit
from indexer.backends.whoosh import engine
from indexer.backends.whoosh.facets import date_filter, facet_counts, filter_query
from indexer.backends.whoosh.postings import UNDATED, SegmentCache
from indexer.backends.whoosh.schema import GRAM_FIELDS
from indexer.backends.whoosh.scoring import SummitBM25
from indexer.backends.whoosh.store import open_index
from indexer.backends.whoosh.vocabulary import SegmentVocabulary
from indexer.search.query import Plan
from indexer.search.ranking import Settings
from indexer.search.results import Filters


class WhooshBackend:
    """An index folder on this machine (the default backend)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.ix = open_index(index_dir)
        self.analyzer = self.ix.schema["body"].analyzer
        # The bigram view, when the index has it (the benchmarks' baselines do not).
        grams = GRAM_FIELDS["body"]
        self.gram_analyzer = self.ix.schema[grams].analyzer if grams in self.ix.schema else None
        self.weighting = SummitBM25()
        self.cache = SegmentCache()

    @contextmanager
    def snapshot(self) -> Iterator[WhooshSnapshot]:
        """A searcher over the latest commit, closed when the block ends."""
        with self.ix.searcher(weighting=self.weighting) as s:
            yield WhooshSnapshot(s, self.cache)


class WhooshSnapshot:
    """One searcher: a plan evaluated with numpy over its segments (``engine``)."""

    def __init__(self, searcher: Searcher, cache: SegmentCache) -> None:
        self.s, self.cache = searcher, cache
        self.generation = searcher.reader().generation()
        self._vocabulary: SegmentVocabulary | None = None

    def doc_count(self) -> int:
        """Articles in the index, deleted ones not yet merged away included."""
        return self.s.doc_count_all()

    def articles(self) -> int:
        """Live articles in the index."""
        return self.s.doc_count()

    def doc_frequency(self, field: str, term: str) -> int:
        """How many articles have ``term`` in ``field``."""
        return self.s.doc_frequency(field, term)

    def vocabulary(self) -> SegmentVocabulary:
        """The terms of the searcher's segments (each segment's read once, then kept)."""
        if self._vocabulary is None:
            self._vocabulary = SegmentVocabulary(self.s, self.cache)
        return self._vocabulary

    def _evaluate(
        self, plan: Plan, settings: Settings, filters: Filters, any_word: bool
    ) -> engine.Matches:
        allowed = filter_query(self.s, plan.filters, filters)
        return engine.evaluate(self.s, plan, settings, self.cache, allowed, any_word)

    def find(self, plan: Plan, settings: Settings, request: Request) -> Found:
        """The plan's totals, one page of the ranking, and the counts the page shows."""
        m = self._evaluate(plan, settings, request.filters, request.any_word)
        published = self._published() if request.sort != "relevance" else None
        ordered = engine.order(m, request.sort, published)
        start, size = request.start, request.size
        if m.total >= size or start > 0 or not request.fill:
            chosen = ordered[start : min(start + size, m.total)]
        else:  # a short match set goes on with the articles that have some of the words
            chosen = ordered[:size]
        found = Found(
            m.total,
            m.relaxed_total,
            [
                StoredHit(
                    self.s.stored_fields(int(m.ids[i])), float(m.scores[i]), bool(m.strict[i])
                )
                for i in chosen
            ],
            m.phrase_counts,
            m.concept_counts,
            list(m.notices),
        )
        if request.facets:
            found.facets = facet_counts(self.s, m.ids[m.strict], self.cache)
        filters = request.filters
        if date_filter(filters) is not None and not filters.undated:
            wider = self._evaluate(plan, settings, replace(filters, undated=True), request.any_word)
            ids = wider.ids[wider.strict]
            hidden = ids[self._published()[ids] == UNDATED]
            found.undated_hidden = len(hidden)
            if request.facets and not m.total and len(hidden):
                # Nothing in the range: the other filters count what "include them" adds.
                found.undated_facets = facet_counts(self.s, hidden, self.cache)
        return found

    def count(self, plan: Plan, settings: Settings, filters: Filters, any_word: bool) -> int:
        """How many articles the match set of ``plan`` has."""
        return self._evaluate(plan, settings, filters, any_word).total

    def ranked(self, plan: Plan, settings: Settings, limit: int) -> list[tuple[str, float]]:
        """The first ``limit`` (id, score) of the ranking, relaxed tier included."""
        ids = self.s.reader().column_reader("id")
        m = self._evaluate(plan, settings, Filters(), False)
        top = engine.order(m, "relevance", None)[:limit]
        return [(ids[int(m.ids[i])], float(m.scores[i])) for i in top]

    def _published(self) -> np.ndarray:
        """Every document's sortable date, in the searcher's document numbers."""
        return np.concatenate(
            [self.cache.published(leaf.reader()) for leaf, _ in self.s.leaf_searchers()]
        )

    def document(self, doc_id: str) -> Stored | None:
        """The stored fields of article ``doc_id``, or None."""
        return self.s.document(id=doc_id)

    def listing(self, filters: Filters, start: int, size: int) -> tuple[int, list[Stored]]:
        """Articles ``filters`` allow, newest arrival first, then by id."""
        allowed = filter_query(self.s, [], filters) or Q.Every()
        order = sorting.MultiFacet(
            [sorting.FieldFacet("added", reverse=True), sorting.FieldFacet("id")]
        )
        found = self.s.search(allowed, limit=start + size, sortedby=order)
        page = range(start, min(start + size, found.scored_length()))
        return len(found), [found.fields(i) for i in page]

    def origin_counts(self, origins: tuple[str, ...]) -> dict[str, int]:
        """Live articles of each origin."""
        return {kind: sum(1 for _ in Q.Term("origin", kind).docs(self.s)) for kind in origins}

    def ids_from(self, source: str) -> list[str]:
        """The ids of the articles read from the file ``source``."""
        return [self.s.stored_fields(n)["id"] for n in Q.Term("source", source).docs(self.s)]
