"""The index's vocabulary: its terms by prefix with document frequencies, and terms near a word.

Completions (``complete``), corrections (``suggest``) and the check for words no article writes
ask the vocabulary through ``search.vocabulary.Vocabulary``, which any backend can provide.
This one, ``SegmentVocabulary``, puts together the term tables of a searcher's segments
(``lexicon.TermTable``, read once per segment and kept by the ``Library``'s cache): a term's
document frequency is the sum of its segments', as Whoosh counts it (deleted articles
included until their segment is merged).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from whoosh.searching import Searcher

from indexer.backends.whoosh.lexicon import TermTable
from indexer.backends.whoosh.postings import SegmentCache
from indexer.search.vocabulary import Span, prefix_span

# Terms taken from each segment's range per round of ``most_used``, at first.
_FIRST_ROUND = 16


class SegmentVocabulary:
    """The vocabulary of one searcher's segments, from each segment's term tables."""

    def __init__(self, searcher: Searcher, cache: SegmentCache) -> None:
        self.searcher, self.cache = searcher, cache
        self.readers = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
        cache.attach(self.readers)
        self._read: dict[str, list[TermTable]] = {}

    def tables(self, field: str) -> list[TermTable]:
        """The field's term table in each segment."""
        if field not in self._read:
            self._read[field] = [self.cache.table(r, field) for r in self.readers]
        return self._read[field]

    def texts(self, term: str, field: str = "body", n: int = 2) -> list[str]:
        """Title and body of the first ``n`` live articles whose ``field`` has ``term``."""
        out: list[str] = []
        offsets = [offset for _, offset in self.searcher.leaf_searchers()]
        for reader, offset in zip(self.readers, offsets, strict=True):
            for doc in map(int, self.cache.postings(reader, field, term.encode("utf-8"))[0]):
                if not reader.is_deleted(doc):
                    stored = self.searcher.stored_fields(offset + doc)
                    out.append(f"{stored.get('title', '')}\n{stored.get('body', '')}")
                    if len(out) >= n:
                        return out
        return out

    def frequency(self, field: str, term: str) -> int:
        """How many articles have ``term`` in ``field`` (deleted ones until a merge)."""
        total = 0
        for table in self.tables(field):
            i = table.find(term)
            if i >= 0:
                total += int(table.df[i])
        return total

    def most_used(self, field: str, spans: Sequence[Span]) -> Iterator[tuple[str, int]]:
        """Terms within ``spans``, most articles first, exactly, whatever the segments.

        Each round takes the ``k`` most used terms of each segment's range. A term outside
        all of them has, in each segment, at most the ``k``-th frequency there, so at most
        their sum (``bound``) in all: the candidates above it are final, in order; for the
        rest the next round takes four times as many.
        """
        ranges = [(t, *t.span(*s)) for t in self.tables(field) for s in spans]
        ranges = [(t, i, j) for t, i, j in ranges if j > i]
        given: set[str] = set()
        k = _FIRST_ROUND
        while True:
            bound, candidates = 0, set()
            for table, i, j in ranges:
                top = _top(table.df[i:j], k)
                if j - i > k:
                    bound += int(table.df[i:j][top].min())
                candidates.update(table.term(i + int(n)) for n in top)
            found = sorted(
                ((self.frequency(field, c), c) for c in candidates - given),
                key=lambda fc: (-fc[0], len(fc[1]), fc[1]),
            )
            for df, term in found:
                if df <= bound:
                    break
                given.add(term)
                yield term, df
            if not bound:  # every term of every range was a candidate
                return
            k *= 4

    def near(self, field: str, word: str, edits: int, prefix: int = 1) -> set[str]:
        """Terms within ``edits`` edits (Levenshtein) of ``word``, sharing its first ``prefix``
        characters, from every segment."""
        found: set[str] = set()
        span = prefix_span(word[:prefix])
        for table in self.tables(field):
            found.update(_near(table, *table.span(*span), word, edits, prefix))
        return found


def _top(df: np.ndarray, k: int) -> np.ndarray:
    """Indexes of the ``k`` largest values of ``df`` (all of them if there are fewer)."""
    if len(df) <= k:
        return np.arange(len(df))
    return np.argpartition(df, len(df) - k)[len(df) - k :]


def _near(table: TermTable, i: int, j: int, word: str, edits: int, prefix: int) -> list[str]:
    """The terms ``i`` to ``j - 1`` (all beginning with ``word[:prefix]``) within ``edits``."""
    if i >= j:
        return []
    points, starts = table.codes(i, j)
    # Compared after the shared prefix, without the NUL that ends each term.
    first, lengths = starts[:-1] + prefix, np.diff(starts) - 1 - prefix
    rest = np.frombuffer(word[prefix:].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    keep = np.flatnonzero(np.abs(lengths - len(rest)) <= edits)
    if not len(keep):
        return []
    width = len(rest) + edits
    columns = np.arange(width)
    at = np.minimum(first[keep, None] + columns, len(points) - 1)
    # Characters past a term's end can never equal the word's: they are compared as NUL-free
    # padding (0 never occurs in a word).
    codes = np.where(columns < lengths[keep, None], points[at], 0)
    close = _within(rest, codes, lengths[keep], edits)
    return [table.term(i + int(n)) for n in keep[close]]


def _within(word: np.ndarray, codes: np.ndarray, lengths: np.ndarray, edits: int) -> np.ndarray:
    """For each row of ``codes`` (a term, padded), whether it is within ``edits`` of ``word``.

    Levenshtein's table a row at a time for all terms at once: a row is the minimum of the
    substitution and deletion steps from the row above, then the insertions along it, which
    is a running minimum of ``value - column``.
    """
    rows, width = codes.shape
    columns = np.arange(width + 1, dtype=np.int32)
    prev = np.broadcast_to(columns, (rows, width + 1))
    for n, ch in enumerate(word, 1):
        step = np.empty((rows, width + 1), dtype=np.int32)
        step[:, 0] = n
        step[:, 1:] = np.minimum(prev[:, 1:] + 1, prev[:, :-1] + (codes != ch))
        prev = np.minimum.accumulate(step - columns, axis=1) + columns
    return prev[np.arange(rows), lengths] <= edits
