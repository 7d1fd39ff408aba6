"""One field's terms of one segment, in memory: sorted, with document frequencies and postings.

whoosh3 keeps a segment's terms in an ordered hash file: records of (key, term info) in key
order, then an array of every record's position. Looking a term up there costs a hash, a few
reads and a decode, and walking it (prefixes, near words) a binary search through the file
per step. A segment never changes once written, so its terms are read once, with numpy, in
one pass over that array, and kept: the terms as one string, each one's document frequency
and where its postings are. ``vocabulary`` puts the segments' tables together; ``postings``
reads posting lists through them.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy as np
from whoosh.reading import IndexReader

# The term info's fields (whoosh3 ``W3TermInfo``: "!BfIBBfII", then the postings' place):
# flags (1 = postings inlined), total weight, document frequency, lengths, maximum weight,
# first and last document, then the postings' offset and length in the postings file.
_FLAGS, _WEIGHT, _DF, _FIRST, _OFFSET, _LENGTH = 0, 1, 5, 15, 23, 31
# The position array's type codes (Python's ``array``) as big-endian numpy types.
_POSITION_TYPES = {"B": ">u1", "H": ">u2", "i": ">i4", "I": ">u4", "q": ">i8"}


@dataclass(frozen=True)
class TermTable:
    """The terms of one field of one segment in order, each with its statistics.

    ``text`` holds every term followed by a NUL; term ``i`` starts at ``starts[i]``. For a
    term whose postings are inlined (one document), ``first`` and ``weight`` are them.
    """

    text: str
    starts: array  # array("i"): fast to index from Python, for the binary searches
    df: np.ndarray  # uint32
    inlined: np.ndarray  # bool
    first: np.ndarray  # uint32: the first document, the only one when inlined
    weight: np.ndarray  # float32: the total weight, the posting's weight when inlined
    offset: np.ndarray  # int64: where the postings start in the postings file
    length: np.ndarray  # uint32: their length in bytes

    def __len__(self) -> int:
        return len(self.df)

    def term(self, i: int) -> str:
        """Term ``i``."""
        return self.text[self.starts[i] : self.starts[i + 1] - 1]

    def lower(self, key: str) -> int:
        """The index of the first term not less than ``key``."""
        lo, hi = 0, len(self.df)
        text, starts = self.text, self.starts
        while lo < hi:
            mid = (lo + hi) // 2
            if text[starts[mid] : starts[mid + 1] - 1] < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def find(self, term: str) -> int:
        """The index of ``term``, or -1."""
        i = self.lower(term)
        return i if i < len(self.df) and self.term(i) == term else -1

    def span(self, start: str, stop: str | None) -> tuple[int, int]:
        """The indexes ``[i, j)`` of the terms from ``start`` up to (without) ``stop``."""
        i = self.lower(start)
        j = self.lower(stop) if stop is not None else len(self.df)
        return i, max(i, j)

    def terms(self, i: int, j: int) -> list[str]:
        """Terms ``i`` to ``j - 1``."""
        if i >= j:
            return []
        return self.text[self.starts[i] : self.starts[j] - 1].split("\0")

    def codes(self, i: int, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Terms ``i`` to ``j - 1`` as code points: a flat array and each term's start in it."""
        block = self.text[self.starts[i] : self.starts[j]]
        points = np.frombuffer(block.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        local = np.frombuffer(self.starts, dtype=np.int32)[i : j + 1] - self.starts[i]
        return points, local


EMPTY = TermTable(
    "",
    array("i", [0]),
    np.zeros(0, np.uint32),
    np.zeros(0, bool),
    np.zeros(0, np.uint32),
    np.zeros(0, np.float32),
    np.zeros(0, np.int64),
    np.zeros(0, np.uint32),
)


def read_table(reader: IndexReader, fieldname: str) -> TermTable:
    """Every term of ``fieldname`` in the segment ``reader`` reads, from its terms file."""
    terms = getattr(reader, "_terms", None)
    tindex = getattr(terms, "_tindex", None)
    if tindex is None or fieldname not in terms._fieldmap:
        return EMPTY
    dbfile = tindex.dbfile
    kind = _POSITION_TYPES[tindex.extras["indextype"]]
    positions = np.frombuffer(
        dbfile.get(tindex.indexbase, tindex.indexlen * tindex.indexsize), dtype=kind
    ).astype(np.int64)
    # A record: key length, value length (int32 each), the key (the field's number as a
    # big-endian ushort, then the term), the value (the term info). Keys sort by field first,
    # so the field's records are one run: found by two binary searches, then read at once.
    number = terms._fieldmap[fieldname]
    first = _first_record(dbfile, positions, number)
    last = _first_record(dbfile, positions, number + 1)
    if first == last:
        return EMPTY
    base = int(positions[first])
    end = int(positions[last]) if last < len(positions) else tindex.endofdata
    data = np.frombuffer(dbfile.get(base, end - base), dtype=np.uint8)
    chosen = positions[first:last] - base
    keylen = _read(data, chosen, ">i4").astype(np.int64)
    info = chosen + 8 + keylen
    text = _joined(data, chosen + 10, keylen - 2)
    inlined = data[info + _FLAGS] != 0
    offset = np.where(inlined, -1, _read(data, np.where(inlined, info, info + _OFFSET), ">i8"))
    length = np.where(inlined, 0, _read(data, np.where(inlined, info, info + _LENGTH), ">i4"))
    return TermTable(
        text,
        _starts(text, len(chosen)),
        _read(data, info + _DF, ">u4").astype(np.uint32),
        inlined,
        _read(data, info + _FIRST, ">u4").astype(np.uint32),
        _read(data, info + _WEIGHT, ">f4").astype(np.float32),
        offset.astype(np.int64),
        length.astype(np.uint32),
    )


def _first_record(dbfile: object, positions: np.ndarray, number: int) -> int:
    """The index of the first record whose field number is at least ``number``."""
    lo, hi = 0, len(positions)
    while lo < hi:
        mid = (lo + hi) // 2
        if dbfile.get_ushort(int(positions[mid]) + 8) < number:  # type: ignore[attr-defined]
            lo = mid + 1
        else:
            hi = mid
    return lo


def _read(data: np.ndarray, at: np.ndarray, kind: str) -> np.ndarray:
    """The big-endian numbers of type ``kind`` at byte positions ``at`` of ``data``.

    Assembled a byte at a time (arrays of one value per position, not of every byte's index).
    """
    dtype = np.dtype(kind)
    value = np.zeros(len(at), dtype=np.uint64)
    for n in range(dtype.itemsize):
        value <<= np.uint64(8)
        value |= data[at + n]
    unsigned = np.dtype(f"u{dtype.itemsize}")
    return value.astype(unsigned).view(dtype.newbyteorder("="))


def _joined(data: np.ndarray, at: np.ndarray, lengths: np.ndarray) -> str:
    """The byte runs ``data[at[i] : at[i] + lengths[i]]`` decoded, each followed by a NUL.

    Each run is taken with the byte after it (the record goes on), which becomes the NUL.
    """
    edges = np.zeros(len(data) + 1, dtype=np.int8)
    edges[at] = 1  # runs never touch: each starts a record's key and ends inside it
    edges[at + lengths + 1] = -1
    out = data[np.cumsum(edges[:-1], dtype=np.int8).view(bool)]
    out[np.cumsum(lengths + 1) - 1] = 0
    return out.tobytes().decode("utf-8", "surrogateescape")


def _starts(text: str, count: int) -> array:
    """Where each of the ``count`` NUL-ended terms of ``text`` starts, and the end."""
    if text.isascii():
        points = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    else:
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    ends = np.flatnonzero(points == 0) + 1
    if len(ends) != count:  # a term with a NUL in it: no index term has one
        raise ValueError("a term holds a NUL character")
    return array("i", np.concatenate([[0], ends]).astype(np.int32).tobytes())
