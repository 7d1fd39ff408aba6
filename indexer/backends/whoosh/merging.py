"""Merging segments: a streaming merge, and a tiered (log-structured) policy of when.

A merge reads the old segments' sorted term lists side by side and each term's stored blocks
in one read, renumbers them without the deleted documents, and writes them through the
codec as a new segment writes its own (``segments.SegmentOutput``); nothing goes through a
sorting pool. A test compares it with Whoosh's optimize.

Segments fall into tiers by their live documents, a tier per power of ``FACTOR`` (1-9, 10-99,
100-999, ...). When a tier holds ``FACTOR`` segments they are merged into one of the next
tier, so every document is rewritten about once per tier it climbs, a 1-document upload
never waits for a large merge, and the segment count stays below ``FACTOR`` per tier (about
30 for a million articles). A segment that has lost a third of its documents to deletions is
rewritten on its own, without them.
"""

from __future__ import annotations

import heapq
import io
import math
import pickle
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from whoosh import columns
from whoosh.codec import default_codec
from whoosh.codec.base import Codec, Segment
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.reading import CorruptIndexError, SegmentReader
from whoosh.system import unpack_int
from whoosh.util.numlists import delta_decode

from indexer.backends.whoosh.segments import Block, SegmentOutput, quantised

FACTOR = 10
# The share of deleted documents that makes a segment worth rewriting.
DELETED_SHARE = 1 / 3

Merge = Callable[[Storage, Schema, Sequence[Segment]], Segment]


def merge_segments(
    storage: Storage,
    schema: Schema,
    segments: Sequence[Segment],
    indexname: str = "MAIN",
    codec: Codec | None = None,
) -> Segment:
    """One segment holding the live documents of ``segments`` in order, streamed block by block."""
    out = SegmentOutput(storage, schema, indexname, codec or default_codec())
    # Through the index's own storage, without memory maps: whoosh3 copies a mapped segment
    # into memory, the whole of every segment merged.
    readers = [SegmentReader(storage, schema, seg) for seg in segments]
    try:
        docmaps = [_copy_documents(out, schema, r) for r in readers]
        out.write_postings(_merged_terms(schema, readers, docmaps))
    finally:
        for r in readers:
            r.close()
    return out.finish()


def _copy_documents(out: SegmentOutput, schema: Schema, reader: SegmentReader) -> list[int]:
    """Copy the live documents' stored fields, lengths and columns; old -> new numbers (-1)."""
    docmap = [-1] * reader.doc_count_all()
    names = set(schema.names()) | {n for n in reader.indexed_field_names() if n in schema}
    cols = {}
    for fieldname in names:
        coltype = schema[fieldname].column_type
        if coltype and reader.has_column(fieldname):
            creader = reader.column_reader(fieldname, coltype)
            if isinstance(creader, columns.TranslatingColumnReader):
                creader = creader.raw_column()
            cols[fieldname] = creader
    perdoc = out.perdoc
    for docnum, stored in reader.iter_docs():
        newnum = docmap[docnum] = out.docnum
        perdoc.start_doc(newnum)
        for fieldname in names | {s for s in stored if s in schema}:
            fieldobj = schema[fieldname]
            length = reader.doc_field_length(docnum, fieldname)
            perdoc.add_field(fieldname, fieldobj, stored.get(fieldname), length)
            if fieldname in cols:
                perdoc.add_column_value(fieldname, fieldobj.column_type, cols[fieldname][docnum])
            if length:
                out.lengths.setdefault(fieldname, {})[newnum] = quantised(length)
        perdoc.finish_doc()
        out.docnum += 1
    return docmap


def _merged_terms(
    schema: Schema, readers: list[SegmentReader], docmaps: list[list[int]]
) -> Iterator[tuple[str, bytes, Iterator[Block]]]:
    """Every (field, term) of the readers in order, with its renumbered postings."""
    fieldnames = sorted({n for r in readers for n in r.indexed_field_names() if n in schema})
    for fieldname in fieldnames:
        fmt = schema[fieldname].format
        lexicons = [_tagged(r, fieldname, k) for k, r in enumerate(readers)]
        last: bytes | None = None
        holders: list[tuple[int, Any]] = []
        for btext, k, info in heapq.merge(*lexicons, key=lambda t: (t[0], t[1])):
            if btext != last and last is not None:
                yield from _live(fieldname, last, _postings(readers, docmaps, holders, fmt))
                holders = []
            last = btext
            holders.append((k, info))
        if last is not None:
            yield from _live(fieldname, last, _postings(readers, docmaps, holders, fmt))


def _tagged(reader: SegmentReader, fieldname: str, k: int) -> Iterator[tuple[bytes, int, Any]]:
    """The reader's terms of ``fieldname`` in order with their term infos, tagged with ``k``.

    Read in one pass over the terms file, not looked up one by one in its hash table.
    """
    if fieldname not in reader.indexed_field_names():
        return
    for (name, btext), info in reader._terms.items_from(fieldname, b""):
        if name != fieldname:
            return
        yield btext, k, info


def _live(
    fieldname: str, btext: bytes, blocks: Iterator[Block]
) -> Iterator[tuple[str, bytes, Iterator[Block]]]:
    """The term with its blocks, unless every document that had it was deleted."""
    found = list(blocks)
    if found:
        yield fieldname, btext, iter(found)


def _postings(
    readers: list[SegmentReader],
    docmaps: list[list[int]],
    holders: list[tuple[int, Any]],
    fmt: Any,
) -> Iterator[Block]:
    """A term's live postings in the merged numbering, one stored block at a time."""
    for k, info in holders:
        docmap = docmaps[k]
        for ids, weights, values in _stored_blocks(readers[k]._terms._postfile, info, fmt):
            new = [docmap[d] for d in ids]
            if -1 in new:
                keep = [i for i, d in enumerate(new) if d >= 0]
                new = [new[i] for i in keep]
                weights = [weights[i] for i in keep]
                values = [values[i] for i in keep]
            if new:
                yield new, weights, values


def _stored_blocks(postfile: Any, info: Any, fmt: Any) -> Iterator[Block]:
    """The blocks of one term's postings as ``W3LeafMatcher`` decodes them, read in one piece.

    Whoosh's matcher reads each block's header with ``pickle.load`` from the file, a call per
    byte through the compound file; here the term's postings are read at once and decoded
    from memory.
    """
    if info.is_inlined():
        ids, weights, values = info.inlined_postings()
        yield list(ids), list(weights), [v or b"" for v in values]
        return
    offset, length = info.extent()
    if isinstance(length, tuple):  # whoosh3 decodes the stored length as a 1-tuple
        (length,) = length
    raw = postfile.get(offset, length)
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise CorruptIndexError(f"bad postings block tag at offset {offset}")
    fixedsize = fmt.fixed_value_size()
    stream = io.BytesIO(raw)
    pos = 4
    while pos < length:
        (blocklength,) = unpack_int(raw[pos : pos + 4])
        end = pos + 4 + abs(blocklength)
        if end > length:
            raise CorruptIndexError(f"a postings block past the term's end at offset {offset}")
        stream.seek(pos + 4)
        count, _, _, compression, _, _ = pickle.load(stream)
        data = raw[stream.tell() : end]
        minids, weights, stored = pickle.loads(zlib.decompress(data) if compression else data)
        ids = list(delta_decode(minids))
        if weights is None:
            weights = [1.0] * count
        elif isinstance(weights, float):
            weights = [weights] * count
        else:
            weights = list(weights)
        if fixedsize is None or fixedsize < 0:
            values = [v or b"" for v in stored]
        elif fixedsize == 0:
            values = [b""] * count
        else:
            values = [stored[i : i + fixedsize] for i in range(0, len(stored), fixedsize)]
        yield ids, weights, values
        if blocklength < 0:
            return
        pos = end


def tier(segment: Segment) -> int:
    """The segment's tier: the power of FACTOR of its live document count."""
    live = segment.doc_count()
    return int(math.log(live, FACTOR)) if live > 0 else 0


def plan(segments: Sequence[Segment]) -> list[list[int]]:
    """Groups of segment positions to merge, each into one; empty when nothing is due."""
    by_tier: dict[int, list[int]] = {}
    for n, seg in enumerate(segments):
        if seg.doc_count() == 0:
            continue
        by_tier.setdefault(tier(seg), []).append(n)
    groups = [members[:FACTOR] for members in by_tier.values() if len(members) >= FACTOR]
    # A segment worn by deletions is rewritten on its own (its live documents only).
    grouped = {n for g in groups for n in g}
    groups += [[n] for n, seg in enumerate(segments) if _worn(seg) and n not in grouped]
    return groups


def _worn(segment: Segment) -> bool:
    total = segment.doc_count_all()
    return total > 0 and segment.deleted_count() >= total * DELETED_SHARE


def apply(
    storage: Storage, schema: Schema, segments: Sequence[Segment], merge: Merge = merge_segments
) -> list[Segment]:
    """``segments`` after every due merge (repeatedly: a merge may fill the next tier).

    Segments with no live documents are dropped; a merged segment takes the place of the first
    of its group, so documents keep their relative order.
    """
    current = [s for s in segments if s.doc_count() > 0]
    while groups := plan(current):
        group = groups[0]
        merged = merge(storage, schema, [current[n] for n in group])
        out: list[Segment] = []
        for n, seg in enumerate(current):
            if n == group[0]:
                out.append(merged)
            elif n not in group:
                out.append(seg)
        current = out
    return current
