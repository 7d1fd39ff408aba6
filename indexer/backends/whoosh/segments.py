"""Whoosh segments written in bulk from a batch of documents (merges: ``merging``).

Whoosh's own writer sends every posting through a sorting pool (a tuple, a size estimate and
a pickled run on disk per posting). Here a batch keeps its postings in flat arrays, sorts them
once (numpy, by term then document) and hands each term's postings to Whoosh's codec a block
at a time. The segments are ordinary whoosh3 segments: the codec's own writers encode every
block, and a test compares the result with Whoosh's writer posting for posting.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from whoosh.codec import default_codec
from whoosh.codec.base import Codec, Segment
from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.util.numeric import byte_to_length, length_to_byte


def quantised(length: int) -> int:
    """The length Whoosh's writer sees for a document after storing it in one byte."""
    return byte_to_length(length_to_byte(length)) if length else 0


class SegmentOutput:
    """One new segment: its per-document writer, its field writer, and its field lengths."""

    def __init__(self, storage: Storage, schema: Schema, indexname: str, codec: Codec) -> None:
        self.storage, self.schema, self.codec = storage, schema, codec
        self.segment = codec.new_segment(storage, indexname)
        self.perdoc = codec.per_document_writer(storage, self.segment)
        self.docnum = 0
        # fieldname -> {docnum: quantised length}, for the block statistics of the postings.
        self.lengths: dict[str, dict[int, int]] = {}

    def length_list(self, fieldname: str) -> list[int]:
        """Each document's quantised length in ``fieldname`` (0 for none)."""
        out = [0] * self.docnum
        for doc, length in self.lengths.get(fieldname, {}).items():
            out[doc] = length
        return out

    def write_postings(self, terms: Iterable[tuple[str, bytes, Iterable[Block]]]) -> None:
        """Write each (field, term, blocks) in order through the codec's field writer."""
        self.perdoc.close()
        fieldwriter = self.codec.field_writer(self.storage, self.segment)
        current, lengths = None, []
        for fieldname, btext, blocks in terms:
            if fieldname != current:
                if current is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, self.schema[fieldname])
                current, lengths = fieldname, self.length_list(fieldname)
            fieldwriter.start_term(btext)
            _write_blocks(fieldwriter._postwriter, blocks, lengths)
            fieldwriter.finish_term()
        if current is not None:
            fieldwriter.finish_field()
        fieldwriter.close()

    def finish(self) -> Segment:
        """Close the segment: its document count; its parts stay files of their own.

        Whoosh's writer copies a segment's parts into one compound file, which doubles the
        disk a large merge needs at its end, and reads the compound file back through Python
        for every small read; separate files are read by the operating system's buffered
        files instead.
        """
        segment = self.segment
        segment.set_doc_count(self.docnum)
        segment.compound = False
        return segment


# A run of one term's postings: document numbers, weights (as Whoosh computed them) and values.
Block = tuple[list[int], list[float], list[bytes]]


def _write_blocks(
    postwriter: W3PostingsWriter, blocks: Iterable[Block], lengths: list[int]
) -> None:
    """Feed a term's postings to the codec's postings writer as ``add_posting`` would, a block
    at a time: the same block boundaries (a full block is written once a posting follows it,
    the last one when the term finishes), statistics and encoding."""
    docs: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    for d, w, v in blocks:
        docs += d
        weights += w
        values += v
    limit = postwriter._blocklimit
    for start in range(0, len(docs), limit):
        end = start + limit
        _fill(postwriter, docs[start:end], weights[start:end], values[start:end], lengths)
        if end < len(docs):
            postwriter._write_block()


def _fill(
    postwriter: W3PostingsWriter,
    docs: list[int],
    weights: list[float],
    values: list[bytes],
    lengths: list[int],
) -> None:
    """Set the postings writer's buffered block to these postings and their statistics."""
    postwriter._ids = array("I", docs)
    postwriter._weights = array("f", weights)
    postwriter._values = [v for v in values if v]
    # add_posting keeps the largest weight as given (a double), not as stored (a float).
    postwriter._maxweight = max(0, max(weights))
    found = [n for n in (lengths[d] for d in docs) if n]
    postwriter._minlength = min(found) if found else None
    postwriter._maxlength = max(found) if found else 0


class SegmentBuilder:
    """A new segment built from whole documents, postings kept in flat arrays until written."""

    def __init__(
        self, storage: Storage, schema: Schema, indexname: str = "MAIN", codec: Codec | None = None
    ) -> None:
        self.out = SegmentOutput(storage, schema, indexname, codec or default_codec())
        self.schema = schema
        self.keys: dict[tuple[str, bytes], int] = {}
        self.kids = array("I")
        self.docs = array("I")
        self.weights = array("d")
        # Every posting's encoded value end to end, and where each ends: a bytes object per
        # posting would cost more memory than the postings themselves.
        self.blob = bytearray()
        self.ends = array("Q")

    def __len__(self) -> int:
        return self.out.docnum

    def postings_count(self) -> int:
        """Postings held so far (what the batch costs in memory)."""
        return len(self.docs)

    def add_document(self, **fields: Any) -> None:
        """Add one document as ``SegmentWriter.add_document`` would (no vectors, no spelling)."""
        schema, out = self.schema, self.out
        perdoc, docnum = out.perdoc, out.docnum
        docboost = float(fields["_boost"]) if "_boost" in fields else 1.0
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        for name in fieldnames:
            if name not in schema:
                raise KeyError(f"no field named {name!r}")
        keys, kids, docs, weights, blob, ends = (
            self.keys,
            self.kids,
            self.docs,
            self.weights,
            self.blob,
            self.ends,
        )
        perdoc.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                boost = fields.get(f"_{fieldname}_boost", docboost)
                scorable = field.scorable
                for tbytes, freq, weight, vbytes in field.index(value):
                    if scorable:
                        length += freq
                    key = (fieldname, tbytes)
                    kid = keys.get(key)
                    if kid is None:
                        kid = keys[key] = len(keys)
                    kids.append(kid)
                    docs.append(docnum)
                    weights.append(weight * float(boost))
                    blob += vbytes
                    ends.append(len(blob))
            customval = fields.get(f"_stored_{fieldname}", value)
            perdoc.add_field(fieldname, field, customval if field.stored else None, length)
            if field.column_type and customval is not None:
                perdoc.add_column_value(
                    fieldname, field.column_type, field.to_column_value(customval)
                )
            if length:
                out.lengths.setdefault(fieldname, {})[docnum] = quantised(length)
        perdoc.finish_doc()
        out.docnum += 1

    def finish(self) -> Segment:
        """Write the postings, sorted by field, term and document; return the segment."""
        ordered = sorted(self.keys)
        rank = np.empty(len(ordered), dtype=np.int64)
        for r, key in enumerate(ordered):
            rank[self.keys[key]] = r
        kid_rank = rank[np.frombuffer(self.kids, dtype=np.uint32)] if len(self.kids) else rank[:0]
        # Stable: within a term, documents stay in the order they were added (ascending).
        perm = np.argsort(kid_rank, kind="stable")
        docs = np.frombuffer(self.docs, dtype=np.uint32)[perm]
        weights = np.frombuffer(self.weights, dtype=np.float64)[perm]
        all_ends = np.frombuffer(self.ends, dtype=np.uint64).astype(np.int64)
        value_ends = all_ends[perm]
        value_starts = (all_ends - np.diff(all_ends, prepend=0))[perm]
        starts = np.searchsorted(kid_rank[perm], np.arange(len(ordered) + 1)).tolist()
        blob = bytes(self.blob)
        self.blob = bytearray()

        def terms() -> Iterator[tuple[str, bytes, Iterable[Block]]]:
            for r, (fieldname, btext) in enumerate(ordered):
                a, b = starts[r], starts[r + 1]
                spans = zip(value_starts[a:b].tolist(), value_ends[a:b].tolist(), strict=True)
                values = [blob[s:e] for s, e in spans]
                yield fieldname, btext, ((docs[a:b].tolist(), weights[a:b].tolist(), values),)

        self.out.write_postings(terms())
        return self.out.finish()
