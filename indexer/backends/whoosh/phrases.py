"""Quoted phrases checked in a segment: positions from the postings, then the stored text.

The rule is ``search.phrases``: each word found at the position where the previous ended or
the next, then, for a phrase with Hangul or Han, the stored title or text as typed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader

from indexer.search.concepts import Word
from indexer.search.phrases import Positions, matches, text_pattern
from indexer.text.normalize import normalize


def phrase_mask(
    reader: IndexReader, words: Sequence[Word], fields: Sequence[str], candidates: np.ndarray
) -> np.ndarray:
    """For each candidate document (ascending), whether it has the phrase in any field."""
    found = np.zeros(len(candidates), bool)
    if not len(candidates):
        return found
    terms = sorted({t for w in words for t in w.terms()})
    for fieldname in fields:
        if fieldname not in reader.schema:
            continue
        if not reader.schema[fieldname].format.supports("positions"):
            continue
        todo = np.flatnonzero(~found)
        if not len(todo):
            break
        positions = _positions(reader, fieldname, terms, candidates[todo])
        for i, doc_positions in zip(todo, positions, strict=True):
            if matches(words, doc_positions):
                found[i] = True
    pattern = text_pattern(words)
    if pattern is not None:
        for i in np.flatnonzero(found):
            stored = reader.stored_fields(int(candidates[i]))
            texts = (str(stored.get(f) or "") for f in fields if f in ("title", "body"))
            found[i] = any(pattern.search(normalize(t).text.lower()) for t in texts)
    return found


def _positions(
    reader: IndexReader, fieldname: str, terms: list[str], docs: np.ndarray
) -> list[Positions]:
    """Each document's positions of ``terms`` in ``fieldname``."""
    out: list[dict[str, frozenset[int]]] = [{} for _ in docs]
    field = reader.schema[fieldname]
    for term in terms:
        btext = field.to_bytes(term)
        if (fieldname, btext) not in reader:
            continue
        m = reader.postings(fieldname, btext)
        if isinstance(m, FilterMatcher):
            m = m.child
        for i, doc in enumerate(docs.tolist()):
            if not m.is_active():
                break
            if m.id() < doc:
                m.skip_to(doc)
                if not m.is_active():
                    break
            if m.id() == doc:
                out[i][term] = frozenset(m.value_as("positions"))
    return out
