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
# What stands for a space, a ``|`` or a lone ``_`` inside a term (a user-dictionary name can
# end with a space): characters of Unicode's private use area, which no article writes.
_CARRY = {" ": "\ue000", SAME_POSITION: "\ue001"}
_BACK = {v: k for k, v in _CARRY.items()}
LONE_GAP = "\ue002"


def carry(term: str) -> str:
    """``term`` as the index holds it: spaces and ``|`` replaced, a lone ``_`` too."""
    if term == GAP:
        return LONE_GAP
    if any(c.isspace() or c == SAME_POSITION for c in term):
        return "".join(_CARRY.get(c, c) if not c.isspace() else _CARRY[" "] for c in term)
    return term


def uncarry(term: str) -> str:
    """The product's term of one the index holds (spaces come back as spaces)."""
    if term == LONE_GAP:
        return GAP
    return "".join(_BACK.get(c, c) for c in term)


def encode(terms: Iterable[tuple[str, int]], repeat: int = 1) -> str:
    """(term, position) pairs as one line of tokens: a position each, parts joined by ``|``.

    ``repeat`` writes each term that many times at its position: the title's, twice, are
    Whoosh's field boost of 2 (each occurrence weighs 2, and the field's length and average
    double together, so BM25's length ratio stays).
    """
    slots: dict[int, list[str]] = {}
    for term, pos in terms:
        if not term:
            raise ValueError("an empty term")
        slots.setdefault(pos, []).extend([carry(term)] * repeat)
    if not slots:
        return ""
    return " ".join(
        SAME_POSITION.join(slots[p]) if p in slots else GAP for p in range(max(slots) + 1)
    )


def encode_field(analyzer: Analyzer, value: str, repeat: int = 1) -> str:
    """The encoded terms ``analyzer`` indexes for ``value`` (each ``repeat`` times)."""
    terms = index_terms(analyzer, value)
    if terms is None:
        raise TypeError("not one of the product's analyzers")
    return encode(terms, repeat)


# Each analyzed field's weight as the embedded index gives it (Whoosh's field boost).
REPEAT = {"title": 2, "title_grams": 2, "body": 1, "body_grams": 1, "author": 1}
