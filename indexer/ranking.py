"""Ranking: BM25 with Lucene's idf, which keeps rare-term weight where it belongs."""

from __future__ import annotations

from math import log
from typing import Any

from whoosh.scoring import BM25F

# Standard BM25 parameters; the benchmarks compare alternatives on both dev collections.
K1 = 1.2
B = 0.75


class SummitBM25(BM25F):
    """BM25 whose idf is log(1 + (N - n + 0.5) / (n + 0.5)), as in Lucene.

    Whoosh's own idf, log(N / (n + 1)) + 1, gives very common terms (numbers, 일, 중) a
    weight close to that of rare names, which lets long queries drift to off-topic articles.
    """

    def __init__(self, B: float = B, K1: float = K1) -> None:
        super().__init__(B=B, K1=K1)

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        """Lucene's BM25 idf for the term."""
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        dc = parent.doc_count_all()
        return log(1 + (dc - n + 0.5) / (n + 0.5))
