"""Whoosh's BM25 with the product's parameters and Lucene's idf (``search.ranking``)."""

from __future__ import annotations

from typing import Any

from whoosh.scoring import BM25F

from indexer.search.ranking import K1, B, bm25_idf


class SummitBM25(BM25F):
    """BM25 whose idf is Lucene's.

    Whoosh's own idf, log(N / (n + 1)) + 1, gives very common terms (numbers, 일, 중) a
    weight close to that of rare names, which lets long queries drift to off-topic articles.
    """

    def __init__(self, B: float = B, K1: float = K1) -> None:
        super().__init__(B=B, K1=K1)

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        """Lucene's BM25 idf for the term."""
        parent = searcher.get_parent()
        return bm25_idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))
