"""A query plan evaluated over the index with numpy: which articles match, and how well.

Every scored thing is a ``Unit``: one term in one field, or the spellings of an alias group
taken as one term (their frequencies summed, the document frequency that of their union, as
Lucene's SynonymQuery does). A term counts where it is written and, at ``join_weight``, where
the index has it only joined (``joins``: 국제협력 for '국제 협력'), in the same way. Units are
read a posting list at a time and scored by the same BM25 as ``ranking.SummitBM25``.
Concepts are evaluated as boolean arrays: an article has a concept when it has the word,
written or joined, or an alias spelling; the word's parts only score. How many concepts an
article needs is ``Settings.min_match``; articles with fewer (but at least one) are kept
apart as the relaxed tier, ranked after the match set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from whoosh import query as Q
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.backends.whoosh.facets import whoosh_filter
from indexer.backends.whoosh.phrases import phrase_mask
from indexer.backends.whoosh.postings import UNDATED, SegmentCache
from indexer.search.concepts import Concept, Node, Word
from indexer.search.notices import Notice
from indexer.search.query import Plan
from indexer.search.ranking import K1, B, Settings, bm25_idf, min_should_match
from indexer.search.scoring import Unit, units_of
from indexer.text.joins import JOIN_MARK

# Articles checked for a quoted phrase, best first: beyond this a very common phrase is
# checked in the best-scoring candidates only, and the result says so.
MAX_PHRASE_CHECKS = 3000


@dataclass
class Matches:
    """Every article a query reaches: global document numbers, scores, and which match.

    ``strict`` marks the match set (enough concepts, required words and phrases); the rest
    match fewer concepts. ``phrase_counts`` gives, for each quoted phrase, how many articles
    of the match set have it exactly.
    """

    ids: np.ndarray
    scores: np.ndarray
    strict: np.ndarray
    phrase_counts: list[int] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    # For each concept, how many articles of the whole index have it (filters aside).
    concept_counts: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Articles in the match set."""
        return int(np.count_nonzero(self.strict))

    @property
    def relaxed_total(self) -> int:
        """Articles that match some concepts but not enough."""
        return len(self.ids) - self.total


def evaluate(
    searcher: Searcher,
    plan: Plan,
    settings: Settings,
    cache: SegmentCache,
    allowed: Q.Query | None = None,
    any_word: bool = False,
    phrase_checks: int = MAX_PHRASE_CHECKS,
) -> Matches:
    """Every article ``plan`` reaches within ``allowed``; ``any_word`` needs one concept only.

    A quoted phrase is looked for in at most ``phrase_checks`` candidates, the best first.
    """
    leaves = searcher.leaf_searchers()
    units = units_of(plan, settings, frozenset(searcher.schema.names()))
    tfs = [
        [_unit_tf(leaf.reader(), u, cache, settings.join_weight) for u in units]
        for leaf, _ in leaves
    ]
    idfs = [_idf(searcher, u, [t[i] for t in tfs]) for i, u in enumerate(units)]
    evals = [
        _Leaf(leaf, cache, plan, settings, units, leaf_tfs, idfs, allowed, any_word, phrase_checks)
        for (leaf, _), leaf_tfs in zip(leaves, tfs, strict=True)
    ]
    notices = list(dict.fromkeys(n for ev in evals for n in ev.notices))
    notices += _check_phrases(plan, evals, phrase_checks)
    ids, scores, strict = [], [], []
    counts = [0] * len(plan.phrases)
    concept_counts = [sum(ev.concept_counts[c] for ev in evals) for c in range(len(plan.concepts))]
    for (_, offset), ev in zip(leaves, evals, strict=True):
        ev.apply_phrases(plan, settings, any_word)
        local = np.flatnonzero(ev.reach)
        ids.append(local + offset)
        scores.append(ev.score[local])
        strict.append(ev.strict[local])
        for n, found in enumerate(ev.phrase_found):
            counts[n] += int(np.count_nonzero(found & ev.strict & ev.reach))
    if not ids:
        empty = np.zeros(0, np.int64)
        return Matches(empty, np.zeros(0), np.zeros(0, bool), counts, notices, concept_counts)
    return Matches(
        np.concatenate(ids).astype(np.int64),
        np.concatenate(scores),
        np.concatenate(strict),
        counts,
        notices,
        concept_counts,
    )


def term_postings(
    reader: IndexReader, fieldname: str, term: str, cache: SegmentCache, join_weight: float
) -> tuple[np.ndarray, np.ndarray]:
    """(ids, tf) of a term in one segment: where it is written, plus ``join_weight`` for each
    time it is there only joined from words apart or from a longer word (``joins``)."""
    field = reader.schema[fieldname]
    ids, weights = cache.postings(reader, fieldname, field.to_bytes(term))
    weights = weights.astype(np.float64)  # exact: Whoosh stores weights as float32
    join_ids, join_weights = cache.postings(reader, fieldname, field.to_bytes(JOIN_MARK + term))
    if not len(join_ids):
        return ids, weights
    all_ids = np.concatenate([ids, join_ids])
    both = np.concatenate([weights, join_weights.astype(np.float64) * join_weight])
    uniq, inverse = np.unique(all_ids, return_inverse=True)
    return uniq.astype(np.int32), np.bincount(inverse, weights=both, minlength=len(uniq))


def _unit_tf(
    reader: IndexReader, unit: Unit, cache: SegmentCache, join_weight: float
) -> tuple[np.ndarray, ...]:
    """(ids, tf) of a unit in one segment: the spellings' weights summed per document."""
    found = []
    for spelling in unit.spellings:
        lists = [term_postings(reader, unit.field, t, cache, join_weight) for t in spelling]
        ids, weights = lists[0]
        for other_ids, other_weights in lists[1:]:
            # Every term of the spelling; it occurs as often as its rarest term.
            keep = np.isin(ids, other_ids, assume_unique=True)
            ids, weights = ids[keep], weights[keep]
            at = np.searchsorted(other_ids, ids)
            weights = np.minimum(weights, other_weights[at])
        found.append((ids, weights))
    if len(found) == 1:
        return found[0]
    all_ids = np.concatenate([ids for ids, _ in found])
    uniq, inverse = np.unique(all_ids, return_inverse=True)
    tf = np.bincount(inverse, weights=np.concatenate([w for _, w in found]), minlength=len(uniq))
    return uniq.astype(np.int32), tf


def _idf(searcher: Searcher, unit: Unit, per_leaf: list[tuple[np.ndarray, ...]]) -> float:
    # The documents with any spelling (written or joined), deleted ones too, as Whoosh counts.
    df = sum(len(ids) for ids, _ in per_leaf)
    return bm25_idf(searcher.doc_count_all(), df)


class _Leaf:
    """One segment's arrays: scores, concept masks, the match set and the reached set."""

    def __init__(
        self,
        leaf: Searcher,
        cache: SegmentCache,
        plan: Plan,
        settings: Settings,
        units: list[Unit],
        tfs: list[tuple[np.ndarray, ...]],
        idfs: list[float],
        allowed: Q.Query | None,
        any_word: bool,
        phrase_checks: int,
    ) -> None:
        self.leaf, self.reader, self.cache = leaf, leaf.reader(), cache
        self.notices: list[Notice] = []
        n = self.reader.doc_count_all()
        self._present: dict[tuple[tuple[str, ...], str], np.ndarray] = {}
        self.score = np.zeros(n)
        self.phrase_score = [np.zeros(n) for _ in plan.phrases]
        in_phrase = {c: k for k, p in enumerate(plan.phrases) for c in p.concepts}
        for unit, (ids, tf), idf in zip(units, tfs, idfs, strict=True):
            if not len(ids):
                continue
            avgfl = leaf.get_parent().avg_field_length(unit.field) or 1
            lengths = cache.lengths(self.reader, unit.field)[ids]
            part = idf * tf * (K1 + 1) / (tf + K1 * ((1 - B) + B * lengths / avgfl))
            self.score[ids] += part * unit.weight
            if unit.concept in in_phrase:
                self.phrase_score[in_phrase[unit.concept]][ids] += part * unit.weight
        live = np.ones(n, bool)
        if self.reader.has_deletions():
            live[list(self.reader.deleted_docs_set)] = False
        self.concept_masks = [self.concept(c) for c in plan.concepts]
        self.concept_counts = [int(np.count_nonzero(m & live)) for m in self.concept_masks]
        required = live.copy()
        for concept, mask in zip(plan.concepts, self.concept_masks, strict=True):
            if concept.sign == "+":
                required &= mask
        if plan.concepts:
            count = np.sum(self.concept_masks, axis=0)
            need = 1 if any_word else min_should_match(settings.min_match, len(plan.concepts))
            self.reach = required & (count >= 1)
            self.strict = required & (count >= need)
        else:
            self.reach, self.strict = required, required.copy()
        for concept in plan.excluded:
            self.reach &= ~self.concept(concept)
        if allowed is not None:
            self.reach &= self.docs(allowed)
        for f in plan.excluded_filters:
            self.reach &= ~self.docs(whoosh_filter(f))
        for phrase in plan.excluded_phrases:
            words = [self.concept(Concept((w,), phrase.fields)) for w in phrase.words]
            candidates = np.flatnonzero(self.reach & np.logical_and.reduce(words))
            if len(candidates) > phrase_checks:
                # Too common to check in time: leave out every article with all its words.
                self.reach[candidates] = False
                self.notices.append(Notice.of("phrase_excluded_words", phrase=phrase.text))
                continue
            found = phrase_mask(self.reader, phrase.words, phrase.fields, candidates)
            self.reach[candidates[found]] = False
        self.strict &= self.reach
        self.phrase_found = [np.zeros(n, bool) for _ in plan.phrases]

    def docs(self, q: Q.Query) -> np.ndarray:
        """Documents of this segment matching a Whoosh query, as a mask."""
        mask = np.zeros(self.reader.doc_count_all(), bool)
        mask[np.fromiter(self.leaf.docs_for_query(q), dtype=np.int64)] = True
        return mask

    def present(self, fields: tuple[str, ...], term: str) -> np.ndarray:
        """Documents with ``term`` in any of ``fields``, written or joined (``joins``)."""
        key = (fields, term)
        found = self._present.get(key)
        if found is None:
            found = np.zeros(self.reader.doc_count_all(), bool)
            for f in fields:
                if f in self.reader.schema:
                    ids, _ = term_postings(self.reader, f, term, self.cache, 1.0)
                    found[ids] = True
            self._present[key] = found
        return found

    def all_of(self, fields: tuple[str, ...], terms: tuple[str, ...]) -> np.ndarray:
        """Documents with every one of ``terms``."""
        return np.logical_and.reduce([self.present(fields, t) for t in terms])

    def node(self, fields: tuple[str, ...], node: Node) -> np.ndarray:
        """Documents with the node's term or a spelling of it."""
        mask = self.present(fields, node.text).copy()
        for spelling in node.spellings:
            mask |= self.all_of(fields, spelling)
        return mask

    def word(self, fields: tuple[str, ...], word: Word) -> np.ndarray:
        """Documents with every piece of the word, or one of its whole-word spellings."""
        mask = np.logical_and.reduce([self.node(fields, p) for p in word.pieces])
        for spelling in word.spellings:
            mask = mask | self.all_of(fields, spelling)
        return mask

    def concept(self, concept: Concept) -> np.ndarray:
        """Documents with any of the concept's words (one, unless it is an OR)."""
        return np.logical_or.reduce([self.word(concept.fields, w) for w in concept.words])

    def phrase_candidates(self, plan: Plan, k: int) -> np.ndarray:
        """Reached documents with every word of phrase ``k``: those worth checking."""
        masks = [self.concept_masks[c] for c in plan.phrases[k].concepts]
        return np.flatnonzero(self.reach & np.logical_and.reduce(masks))

    def apply_phrases(self, plan: Plan, settings: Settings, any_word: bool) -> None:
        """Add the phrase bonus; require the phrases the query requires."""
        for k, phrase in enumerate(plan.phrases):
            found = self.phrase_found[k]
            self.score += settings.phrase_weight * self.phrase_score[k] * found
            if phrase.sign == "+":
                self.reach &= found
                self.strict &= found
            elif plan.whole_phrase and not any_word:
                self.strict &= found


def _check_phrases(plan: Plan, evals: list[_Leaf], limit: int) -> list[Notice]:
    """Find each phrase in its candidates, the best-scoring first, ``limit`` at most."""
    notices = []
    for k, phrase in enumerate(plan.phrases):
        candidates = [ev.phrase_candidates(plan, k) for ev in evals]
        total = sum(len(c) for c in candidates)
        if total > limit:
            scores = np.concatenate([ev.score[c] for ev, c in zip(evals, candidates, strict=True)])
            cut = np.sort(scores)[-limit]
            candidates = [c[ev.score[c] >= cut] for ev, c in zip(evals, candidates, strict=True)]
            checked = sum(len(c) for c in candidates)
            notices.append(Notice.of("phrase_capped", phrase=phrase.text, checked=checked))
        for ev, cands in zip(evals, candidates, strict=True):
            found = phrase_mask(ev.reader, phrase.words, phrase.fields, cands)
            ev.phrase_found[k][cands[found]] = True
    return notices


def order(matches: Matches, sort: str, published: np.ndarray | None) -> np.ndarray:
    """Indices into ``matches``: the match set first, then by ``sort``, ties in index order.

    ``published`` is every document's sortable date (``UNDATED`` if none), for date sorts.
    """
    rest = ~matches.strict
    if sort == "relevance" or published is None:
        return np.lexsort((matches.ids, -matches.scores, rest))
    dates = published[matches.ids]
    undated = dates == UNDATED
    key = dates if sort == "oldest" else ~dates
    return np.lexsort((matches.ids, key, undated, rest))
