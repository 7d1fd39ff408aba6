"""Posting lists, field lengths and columns of one segment as numpy arrays, cached.

A segment never changes once written (deletions are applied after reading), so what is read
from it can be kept across searchers, keyed by the segment's id. Each field's terms are read
once per segment into a ``lexicon.TermTable`` (the vocabulary, and where every term's postings
are), kept while the segment lives; decoded posting lists, lengths and dates share a budget.
The cache belongs to the ``Library`` that searches with it: no module state, and a cache never
changes an answer.
"""

from __future__ import annotations

import io
import pickle
import threading
import zlib
from collections import OrderedDict
from collections.abc import Hashable, Iterable

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN, WHOOSH3_HEADER_MAGIC, _lenfield
from whoosh.columns import CompressedBytesColumn, PickleColumn
from whoosh.reading import CorruptIndexError, IndexReader, TermNotFound
from whoosh.util.numeric import byte_to_length

from indexer.backends.whoosh.lexicon import TermTable, read_table

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
        # (segment id, field) -> its terms; outside the budget: every live segment needs them.
        self.tables: dict[tuple[str, str], TermTable] = {}
        self._table_lock = threading.Lock()

    def table(self, reader: IndexReader, fieldname: str) -> TermTable:
        """The terms of ``fieldname`` in the reader's segment, read on first use."""
        key = (_segment_id(reader), fieldname)
        found = self.tables.get(key)
        if found is None:
            # One thread reads a table; the others wait for it rather than read it again.
            with self._table_lock:
                found = self.tables.get(key)
                if found is None:
                    found = self.tables[key] = read_table(reader, fieldname)
        return found

    def attach(self, readers: Iterable[IndexReader]) -> None:
        """Ready a new searcher's segment readers: forget the term tables of other segments
        (merged away), and give each reader's stored fields the offsets kept for it."""
        readers = list(readers)
        live = {_segment_id(r) for r in readers}
        if any(sid not in live for sid, _ in list(self.tables)):
            with self._table_lock:
                for key in [k for k in self.tables if k[0] not in live]:
                    del self.tables[key]
        for reader in readers:
            self._attach_stored(reader)

    def _attach_stored(self, reader: IndexReader) -> None:
        """Whoosh finds each article's stored fields by offsets it sums, a Python step per
        article of the segment, for every new reader; they are summed once per segment."""
        perdoc = getattr(reader, "_perdoc", None)
        if perdoc is None or "_stored" in perdoc._readers or not perdoc.has_column("_stored"):
            return
        key = ("stored", _segment_id(reader))
        found = self.get(key)
        if found is None:
            column = perdoc._cached_reader("_stored", STORED_COLUMN)._child
            found = (np.asarray(column._offsets, np.int64), np.asarray(column._lengths, np.int64))
            self.put(key, found)
            return
        if "_stored" not in perdoc._colfiles:
            perdoc._colfiles["_stored"] = perdoc._get_column_file("_stored")
        colfile, base, length = perdoc._colfiles["_stored"]
        stored = _StoredBytes(colfile, base, length, perdoc._doccount, found)
        perdoc._readers["_stored"] = PickleColumn.Reader(stored)

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
            found = self._read_postings(reader, fieldname, btext)
            self.put(key, found)
        return found[0], found[1]

    def _read_postings(
        self, reader: IndexReader, fieldname: str, btext: bytes
    ) -> tuple[np.ndarray, np.ndarray]:
        try:
            term = btext.decode("utf-8")
        except UnicodeDecodeError:  # not a text term: Whoosh's own lookup
            return _whoosh_postings(reader, fieldname, btext)
        table = self.table(reader, fieldname)
        i = table.find(term)
        if i < 0:
            return _NONE
        if table.inlined[i]:
            return np.array([table.first[i]], np.int32), np.array([table.weight[i]], np.float32)
        postfile = reader._terms._postfile  # type: ignore[attr-defined]
        return _decode(postfile.get(int(table.offset[i]), int(table.length[i])))

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


_NONE = (np.zeros(0, np.int32), np.zeros(0, np.float32))


class _StoredBytes(CompressedBytesColumn.Reader):
    """whoosh3's stored-fields column reader, given the offsets and lengths it would sum."""

    def __init__(
        self, dbfile: object, base: int, length: int, count: int, spans: tuple[np.ndarray, ...]
    ) -> None:
        self._spans = spans
        super().__init__(dbfile, base, length, count, "zlib")

    def _read_offsets_and_lengths(self) -> None:
        self._offsets, self._lengths = self._spans


def _decode(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and weights of one term's stored postings, read in one piece.

    whoosh3 writes a term's postings as blocks: a length (negative for the last), a pickled
    header (count, last document, ...), then the pickled, maybe compressed, (ids as deltas
    from the block's start, weights, positions). Only ids and weights are kept; the ids of all
    blocks become one cumulative sum (each block's first delta counted from the last block's
    last document).
    """
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise CorruptIndexError("bad postings block tag")
    stream = io.BytesIO(raw)
    deltas: list[int] = []
    weights: list[float] = []
    pos, last = 4, 0
    while pos < len(raw):
        size = int.from_bytes(raw[pos : pos + 4], "big", signed=True)
        end = pos + 4 + abs(size)
        stream.seek(pos + 4)
        count, block_last, _, compression, _, _ = pickle.load(stream)
        data = raw[stream.tell() : end]
        ids, block_weights = _block(data, count, compression)
        start = len(deltas)
        deltas.extend(ids)
        deltas[start] -= last
        last = block_last
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
        if size < 0:
            break
        pos = end
    return np.cumsum(np.array(deltas, np.int64)).astype(np.int32), np.array(weights, np.float32)


# Where a block's positions begin: protocol-2 pickles write bytes as a call, so the first
# global reference (``_codecs.encode``, or ``bytes`` for an empty value) starts them. Neither
# text can occur earlier: ids and weights are opcodes with at most 8 bytes of data each, and
# neither text holds an opcode byte where one would have to be.
# An id is at most 5 bytes (``J`` and an int32), a weight 9 (``G`` and a double).
_MOST_PER_POSTING = 14
_VALUES_START = (b"c_codecs\nencode\n", b"c__builtin__\nbytes\n")


def _block(data: bytes, count: int, compressed: bool) -> tuple[tuple[int, ...], object]:
    """A block's ids and weights, without its positions where it can.

    Positions take most of a block and cost a call per posting to unpickle; they come last,
    so only the start of a compressed block is decompressed: ids and weights take at most
    ``_MOST_PER_POSTING`` bytes a posting.
    """
    if not compressed:
        return _ids_and_weights(data, count) or _all(data)
    inflater = zlib.decompressobj()
    head = inflater.decompress(data, count * _MOST_PER_POSTING + 64)
    found = _ids_and_weights(head, count)
    if found is not None:
        return found
    return _all(head + inflater.decompress(inflater.unconsumed_tail) + inflater.flush())


def _all(data: bytes) -> tuple[tuple[int, ...], object]:
    ids, weights, _ = pickle.loads(data)
    return ids, weights


def _ids_and_weights(data: bytes, count: int) -> tuple[tuple[int, ...], object] | None:
    """The ids and weights at the start of a block's pickle, or None if its positions do
    not start within ``data``."""
    found = [at for at in (data.find(p) for p in _VALUES_START) if at > 0]
    if not found:
        return None
    head = data[: min(found)]
    # The stack there holds the ids, the weights and, for more than three positions, the
    # mark that opens their tuple: drop it, make the two a pair and stop.
    for cut in ([head[:-1]] if head.endswith(b"(") else []) + [head]:
        try:
            ids, weights = pickle.loads(cut + b"\x86.")
        except Exception:  # the "(" was a weight's last byte: try the next cut
            continue
        if _block_shaped(ids, weights, count):
            return ids, weights
    return None


def _block_shaped(ids: object, weights: object, count: int) -> bool:
    """True if ``ids`` and ``weights`` are what a block of ``count`` postings holds."""
    if not (isinstance(ids, tuple) and len(ids) == count):
        return False
    return (
        weights is None
        or isinstance(weights, float)
        or (isinstance(weights, tuple) and len(weights) == count)
    )


def _whoosh_postings(reader: IndexReader, fieldname: str, btext: bytes) -> tuple[np.ndarray, ...]:
    """A term's postings through Whoosh's term info (for terms that are not text)."""
    terms = getattr(reader, "_terms", None)
    if terms is None:  # an index without segments
        return _NONE
    try:
        info = terms.term_info(fieldname, btext)
    except (TermNotFound, KeyError):
        return _NONE
    if info.is_inlined():
        ids, weights, _ = info.inlined_postings()
        return np.array(ids, np.int32), np.array(weights, np.float32)
    offset, length = info.extent()
    if isinstance(length, tuple):  # whoosh3 decodes the stored length as a 1-tuple
        (length,) = length
    return _decode(terms._postfile.get(offset, length))


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
