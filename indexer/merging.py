"""When segments are merged: a tiered (log-structured) policy over the streaming merge.

Segments fall into tiers by their live documents, a tier per power of ``FACTOR`` (1-9, 10-99,
100-999, ...). When a tier holds ``FACTOR`` segments they are merged into one of the next
tier, so every document is rewritten about once per tier it climbs, a 1-document upload
never waits for a large merge, and the segment count stays below ``FACTOR`` per tier (about
30 for a million articles). A segment that has lost a third of its documents to deletions is
rewritten on its own, without them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from whoosh.codec.base import Segment
from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage

from indexer.segments import merge_segments

FACTOR = 10
# The share of deleted documents that makes a segment worth rewriting.
DELETED_SHARE = 1 / 3

Merge = Callable[[Storage, Schema, Sequence[Segment]], Segment]


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
