"""OR queries of many terms, scored a term at a time with numpy instead of a matcher tree.

Whoosh evaluates ``a OR b OR ...`` document at a time through a binary tree of union
matchers, several Python calls per posting per tree level: a question of ten words over 10k
articles spent most of its time there. ``TermUnion`` reads each term's posting list once,
scores it in bulk with the same BM25 as ``ranking.SummitBM25`` and sums the scores; the result
is the same ranking as the matcher tree's, at a fraction of the cost. It is a Whoosh query, so
filters, facets, sorting and the other parts of a query work on it unchanged, and ``top_k``
ranks a query that is nothing but a union without any per-document Python work.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as Q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from indexer.ranking import SummitBM25

# Whoosh stores a field's length in one byte per document; this decodes all 256 at once.
_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


@dataclass(frozen=True)
class WeightedTerm:
    """One term of a union: its field, its text and the boost its score is multiplied by.

    A term that does not ``match`` adds to the score of documents other terms matched, and
    finds none on its own (the bigram view of a query refines the ranking, not the results).
    """

    fieldname: str
    text: str
    boost: float = 1.0
    matches: bool = True


class TermUnion(Q.Query):
    """Documents with any of the terms, scored by the sum of their terms' BM25 scores."""

    def __init__(self, terms: Sequence[WeightedTerm], boost: float = 1.0) -> None:
        self.terms_ = tuple(terms)
        self.boost = boost

    def __repr__(self) -> str:
        return f"TermUnion({list(self.terms_)!r})"

    def __str__(self) -> str:
        # As Whoosh writes an OR of terms, so a query reads the same either way.
        terms = (str(Q.Term(t.fieldname, t.text, t.boost)) for t in self.terms_)
        return "(" + " OR ".join(terms) + ")"

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and self.terms_ == other.terms_  # type: ignore[attr-defined]
            and self.boost == other.boost  # type: ignore[attr-defined]
        )

    def __hash__(self) -> int:
        return hash((type(self), self.terms_, self.boost))

    def is_leaf(self) -> bool:
        """A union is evaluated whole, so it is a leaf of the query tree."""
        return True

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, str]]:
        """The (field, text) pairs of the union."""
        for t in self.terms_:
            yield t.fieldname, t.text

    def estimate_size(self, ixreader: IndexReader) -> int:
        """At most the sum of the matching terms' document frequencies."""
        return sum(ixreader.doc_frequency(t.fieldname, t.text) for t in self.terms_ if t.matches)

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        """A matcher over the precomputed ids and scores of one segment."""
        ids, scores = leaf_scores(searcher, self.terms_)
        if not len(ids):
            return NullMatcher()
        return ListMatcher(ids.tolist(), weights=(scores * self.boost).tolist())


def leaf_scores(searcher: Searcher, terms: Sequence[WeightedTerm]) -> tuple[np.ndarray, np.ndarray]:
    """Matching document numbers of one segment, ascending, and their summed scores."""
    reader = searcher.reader()
    parent = searcher.get_parent()
    weighting = searcher.weighting
    assert isinstance(weighting, SummitBM25), "scores are computed as SummitBM25 does"
    total = np.zeros(reader.doc_count_all(), dtype=np.float64)
    matched = np.zeros(reader.doc_count_all(), dtype=bool)
    for term in terms:
        if term.fieldname not in searcher.schema:
            continue
        field = searcher.schema[term.fieldname]
        btext = field.to_bytes(term.text)
        if (term.fieldname, btext) not in reader:
            continue
        ids, weights32 = _postings(reader, term.fieldname, btext)
        weights = weights32.astype(np.float64)  # exact: Whoosh stores weights as float32
        idf = weighting.idf(searcher, term.fieldname, term.text)
        avgfl = parent.avg_field_length(term.fieldname) or 1
        lengths = _lengths(reader, term.fieldname)[ids]
        k1, b = weighting.K1, weighting.B
        scores = idf * (weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl))
        total[ids] += scores * term.boost
        if term.matches:
            matched[ids] = True
    if reader.has_deletions():
        matched[list(reader.deleted_docs_set)] = False
    ids = np.flatnonzero(matched)
    return ids, total[ids]


class _PostingCache:
    """Decoded posting lists by (segment, field, term), least recently used out first.

    A segment never changes once written (deletions are applied after reading), so its
    posting lists can be kept across searchers; common words recur in most queries.
    """

    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self.used = 0
        self.entries: OrderedDict[tuple[str, str, bytes], tuple[np.ndarray, np.ndarray]] = (
            OrderedDict()
        )
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str, bytes]) -> tuple[np.ndarray, np.ndarray] | None:
        """The cached lists for ``key``, or None."""
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple[str, str, bytes], value: tuple[np.ndarray, np.ndarray]) -> None:
        """Keep ``value``, dropping the least recently used lists over the budget."""
        size = value[0].nbytes + value[1].nbytes
        with self.lock:
            if key in self.entries or size > self.budget:
                return
            self.entries[key] = value
            self.used += size
            while self.used > self.budget:
                _, (ids, weights) = self.entries.popitem(last=False)
                self.used -= ids.nbytes + weights.nbytes


# 8 bytes a posting: 64 MB holds the lists of the few hundred most used terms of 100k articles.
POSTING_CACHE = _PostingCache(64 * 2**20)


def _postings(reader: IndexReader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """All document numbers and weights of a term's posting list in one segment."""
    key = (reader.segment().segment_id(), fieldname, btext)
    found = POSTING_CACHE.get(key)
    if found is not None:
        return found
    m = reader.postings(fieldname, btext)
    if isinstance(m, FilterMatcher):  # deletions: filtered out afterwards, all at once
        m = m.child
    ids: list[int] = []
    weights: list[float] = []
    # The leaf matcher's own block reader (whoosh3's W3LeafMatcher): one step per block of
    # postings instead of several Python calls per posting.
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        if m._weights is None:
            m._read_weights()
        ids.extend(m._ids)
        weights.extend(m._weights)
        m._next_block()
    found = np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)
    POSTING_CACHE.put(key, found)
    return found


# (segment, field) -> lengths; a segment's lengths never change. Bounded, as segments merge away.
_LENGTHS: dict[tuple[str, str], np.ndarray] = {}
_LENGTHS_KEPT = 64


def _lengths(reader: IndexReader, fieldname: str) -> np.ndarray:
    """Every document's length in ``fieldname`` in this segment, as BM25 sees it."""
    key = (reader.segment().segment_id(), fieldname)
    found = _LENGTHS.get(key)
    if found is None:
        if len(_LENGTHS) >= _LENGTHS_KEPT:
            _LENGTHS.clear()
        found = _LENGTHS[key] = _read_lengths(reader, fieldname)
    return found


def _read_lengths(reader: IndexReader, fieldname: str) -> np.ndarray:
    count = reader.doc_count_all()
    raw = np.zeros(count, dtype=np.uint8)
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is not None:
        # One byte a document, stored contiguously; documents past the end have length 0.
        stored = column._dbfile.get(column._basepos, column._count)
        raw[: len(stored)] = np.frombuffer(stored, dtype=np.uint8)
    return _BYTE_TO_LENGTH[raw]


def top_k(searcher: Searcher, union: TermUnion, k: int) -> list[tuple[int, float]]:
    """The ``k`` best (docnum, score) of ``union`` over the whole index, best first."""
    return ranked_page(searcher, union, None, 0, k, ())[1]


def ranked_page(
    searcher: Searcher,
    union: TermUnion,
    allowed: Q.Query | None,
    start: int,
    end: int,
    facet_fields: Sequence[str],
) -> tuple[int, list[tuple[int, float]], dict[str, Counter[str]]]:
    """Matches of ``union`` within ``allowed``: their count, ranks ``start:end`` and facets.

    Facet counts come from each value's posting list, so a value shared by several articles
    costs one array operation, not a step per article.
    """
    allowed_ids = None
    if allowed is not None:
        allowed_ids = np.fromiter(searcher.docs_for_query(allowed), dtype=np.int64)
    all_ids, all_scores = [], []
    counts: dict[str, Counter[str]] = {name: Counter() for name in facet_fields}
    for leaf, offset in searcher.leaf_searchers():
        ids, scores = leaf_scores(leaf, union.terms_)
        if allowed_ids is not None:
            keep = np.isin(ids + offset, allowed_ids)
            ids, scores = ids[keep], scores[keep]
        if facet_fields and len(ids):
            _count_facets(leaf.reader(), ids, facet_fields, counts)
        all_ids.append(ids + offset)
        all_scores.append(scores * union.boost)
    if not all_ids:
        return 0, [], counts
    ids, scores = np.concatenate(all_ids), np.concatenate(all_scores)
    total = len(ids)
    if total > end:
        # Everything scoring at least the end-th best, so that ties at the cut are kept whole.
        kth = np.partition(scores, total - end)[total - end]
        keep = scores >= kth
        ids, scores = ids[keep], scores[keep]
    # Best first; equal scores in document order, as Whoosh's collector breaks ties.
    order = np.lexsort((ids, -scores))[start:end]
    return total, [(int(ids[i]), float(scores[i])) for i in order], counts


def _count_facets(
    reader: IndexReader, ids: np.ndarray, fieldnames: Sequence[str], counts: dict
) -> None:
    """Add, for each value of each field, how many of the segment's ``ids`` have it."""
    matched = np.zeros(reader.doc_count_all(), dtype=bool)
    matched[ids] = True
    for name in fieldnames:
        field = reader.schema[name]
        for btext in reader.lexicon(name):
            found = int(np.count_nonzero(matched[_postings(reader, name, btext)[0]]))
            if found:
                counts[name][field.from_bytes(btext)] += found
