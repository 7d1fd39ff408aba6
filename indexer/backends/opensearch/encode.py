"""The product's terms as text a stock OpenSearch analyzer reads back unchanged, positions kept.

The cluster has no Korean analysis of its own (no plugin of ours, nori not needed): each
analyzed field is sent already analyzed. ``index_terms`` gives (term, position) pairs; here
each position becomes one whitespace-separated token, the terms that share it (a compound
and its parts, a join) joined by ``|``, and a position with no term (a stop word's) ``_``.
The index's ``terms`` analyzer (``mapping``) splits on whitespace, emits each ``|``-part at
the same position (``pattern_capture``) and drops ``_`` keeping its position (``stop``), so
every term, its frequency and its position are those the embedded index stores.
"""

from __future__ import annotations

from collections.abc import Iterable

from indexer.text.analysis import Analyzer, index_terms

# Between the terms of one position, and for a position without one.
SAME_POSITION = "|"
GAP = "_"


def encode(terms: Iterable[tuple[str, int]]) -> str:
    """(term, position) pairs as one line of tokens: a position each, parts joined by ``|``."""
    slots: dict[int, list[str]] = {}
    for term, pos in terms:
        if not term or term == GAP or SAME_POSITION in term or any(c.isspace() for c in term):
            raise ValueError(f"a term the encoding cannot carry: {term!r}")
        slots.setdefault(pos, []).append(term)
    if not slots:
        return ""
    return " ".join(
        SAME_POSITION.join(slots[p]) if p in slots else GAP for p in range(max(slots) + 1)
    )


def encode_field(analyzer: Analyzer, value: str) -> str:
    """The encoded terms ``analyzer`` indexes for ``value``."""
    terms = index_terms(analyzer, value)
    if terms is None:
        raise TypeError("not one of the product's analyzers")
    return encode(terms)
