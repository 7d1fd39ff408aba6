"""Facets and filters: counts of each outlet, language and summit, "unknown" included.

A facet's values come from their posting lists, one array operation each. Articles without a
value (no outlet, no summit) are a value of their own, ``UNKNOWN``, which a filter can choose
like any other; a date filter hides undated articles unless ``Filters.undated`` keeps them.
An ID field indexes an empty value as the empty term (every article of a JSONL record without
an outlet has it), so the empty term counts as no value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime

import numpy as np
from whoosh import query as Q
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.backends.whoosh.postings import SegmentCache
from indexer.search.filters import DateSpan, FieldFilter, FieldIs
from indexer.search.results import FACETS, UNKNOWN, FacetValue, Filters, facet_values


def facet_counts(s: Searcher, ids: np.ndarray, cache: SegmentCache) -> dict[str, list[FacetValue]]:
    """Counts of each facet value among ``ids`` (global document numbers), unknown last."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for leaf, offset in s.leaf_searchers():
        reader = leaf.reader()
        local = ids[(ids >= offset) & (ids < offset + reader.doc_count_all())] - offset
        if not len(local):
            continue
        matched = np.zeros(reader.doc_count_all(), dtype=bool)
        matched[local] = True
        for name in FACETS:
            field = reader.schema[name]
            valued = np.zeros(reader.doc_count_all(), dtype=bool)
            for btext in _values_of(reader, name):
                docs = cache.postings(reader, name, btext)[0]
                valued[docs] = True
                n = int(np.count_nonzero(matched[docs]))
                if n:
                    counts[name][field.from_bytes(btext)] += n
            unknown = int(np.count_nonzero(matched & ~valued))
            if unknown:
                counts[name][UNKNOWN] += unknown
    return {name: facet_values(c) for name, c in counts.items()}


def whoosh_filter(f: FieldFilter) -> Q.Query:
    """The Whoosh query of one plan filter."""
    if isinstance(f, DateSpan):
        return Q.DateRange(f.field, f.start, f.end)
    assert isinstance(f, FieldIs)
    return Q.Term(f.field, f.value)


def filter_query(s: Searcher, typed: Sequence[FieldFilter], filters: Filters) -> Q.Query | None:
    """The Whoosh query of the typed field filters and the interface's ``filters``."""
    parts: list[Q.Query] = [whoosh_filter(f) for f in typed]
    for name in FACETS:
        values = getattr(filters, name)
        if values:
            chosen: list[Q.Query] = [Q.Term(name, v) for v in values if v != UNKNOWN]
            if UNKNOWN in values:
                chosen.append(_without_value(s, name))
            parts.append(chosen[0] if len(chosen) == 1 else Q.Or(chosen))
    dates = date_filter(filters)
    if dates is not None:
        parts.append(Q.Or([dates, Q.Not(_any_date())]) if filters.undated else dates)
    if filters.origin:
        parts.append(Q.Or([Q.Term("origin", v) for v in filters.origin]))
    if filters.added_from or filters.added_to:
        parts.append(_day_range("added", filters.added_from, filters.added_to))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


def date_filter(filters: Filters) -> Q.Query | None:
    """The publication-date range of ``filters``, or None."""
    if not (filters.date_from or filters.date_to):
        return None
    return _day_range("published", filters.date_from, filters.date_to)


def _day_range(name: str, first: date | None, last: date | None) -> Q.Query:
    """Dates of field ``name`` from the start of day ``first`` to the end of day ``last``."""
    start = datetime.combine(first, datetime.min.time()) if first else None
    end = datetime.combine(last, datetime.max.time()) if last else None
    return Q.DateRange(name, start, end)


def _any_date() -> Q.Query:
    return Q.DateRange("published", datetime(1, 1, 1), datetime(9999, 12, 31))


def _without_value(s: Searcher, name: str) -> Q.Query:
    """Articles with no value in facet ``name``."""
    field = s.schema[name]
    values = [Q.Term(name, field.from_bytes(b)) for b in _values_of(s.reader(), name)]
    return Q.Not(Q.Or(values)) if values else Q.Every()


def _values_of(reader: IndexReader, name: str) -> Iterator[bytes]:
    """The terms of facet ``name`` that are values: not the empty term of an empty field."""
    return (b for b in reader.lexicon(name) if b)
