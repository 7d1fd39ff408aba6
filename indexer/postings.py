"""Posting lists, field lengths and columns of one segment as numpy arrays, cached.

A segment never changes once written (deletions are applied after reading), so what is read
from it can be kept across searchers, keyed by the segment's id. The cache belongs to the
``Library`` that searches with it: no module state, and a cache never changes an answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.util.numeric import byte_to_length

# Whoosh stores a field's length in one byte per document; this decodes all 256 at once.
_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
# The published column's value for an article without a date (the column's default).
UNDATED = np.uint64(2**64 - 1)


class SegmentCache:
    """Arrays read from segments, least recently used out first beyond ``budget_bytes``."""

    def __init__(self, budget_bytes: int = 64 * 2**20) -> None:
        self.budget = budget_bytes
        self.used = 0
        self.entries: OrderedDict[Hashable, tuple[np.ndarray, ...]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[np.ndarray, ...] | None:
        """The cached arrays for ``key``, or None."""
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: tuple[np.ndarray, ...]) -> None:
        """Keep ``value``, dropping the least recently used arrays over the budget."""
        size = sum(a.nbytes for a in value)
        with self.lock:
            if key in self.entries or size > self.budget:
                return
            self.entries[key] = value
            self.used += size
            while self.used > self.budget:
                _, old = self.entries.popitem(last=False)
                self.used -= sum(a.nbytes for a in old)

    def postings(
        self, reader: IndexReader, fieldname: str, btext: bytes
    ) -> tuple[np.ndarray, np.ndarray]:
        """All document numbers (ascending) and weights of a term in one segment."""
        key = ("postings", _segment_id(reader), fieldname, btext)
        found = self.get(key)
        if found is None:
            found = _read_postings(reader, fieldname, btext)
            self.put(key, found)
        return found[0], found[1]

    def lengths(self, reader: IndexReader, fieldname: str) -> np.ndarray:
        """Every document's length in ``fieldname`` in one segment, as BM25 sees it."""
        key = ("lengths", _segment_id(reader), fieldname)
        found = self.get(key)
        if found is None:
            found = (_read_lengths(reader, fieldname),)
            self.put(key, found)
        return found[0]

    def published(self, reader: IndexReader) -> np.ndarray:
        """Each document's sortable publication time in one segment; ``UNDATED`` if none."""
        key = ("published", _segment_id(reader))
        found = self.get(key)
        if found is None:
            column = reader.column_reader("published", translate=False)
            values = np.fromiter(iter(column), dtype=np.uint64, count=reader.doc_count_all())
            found = (values,)
            self.put(key, found)
        return found[0]


def _read_postings(reader: IndexReader, fieldname: str, btext: bytes) -> tuple[np.ndarray, ...]:
    if (fieldname, btext) not in reader:
        return np.zeros(0, np.int32), np.zeros(0, np.float32)
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
    return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)


def _read_lengths(reader: IndexReader, fieldname: str) -> np.ndarray:
    count = reader.doc_count_all()
    raw = np.zeros(count, dtype=np.uint8)
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is not None:
        # One byte a document, stored contiguously; documents past the end have length 0.
        stored = column._dbfile.get(column._basepos, column._count)
        raw[: len(stored)] = np.frombuffer(stored, dtype=np.uint8)
    return _BYTE_TO_LENGTH[raw]


def _segment_id(reader: IndexReader) -> str:
    """The id of the reader's segment; an index without segments has one empty reader."""
    segment = reader.segment()
    return segment.segment_id() if segment is not None else ""
