"""Baseline analyzers that differ from the product only in analysis, and their indexes.

A baseline index is the product schema with the analyzer of its text fields replaced, created
by the product's ``store.create_index(schema=...)`` so that ingestion and search accept it.
Whoosh pickles the schema into the index, so these classes must stay at this import path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from whoosh.analysis import Analyzer, LowercaseFilter, StandardAnalyzer
from whoosh.fields import Schema

from indexer.backends.whoosh.schema import GRAM_FIELDS, build_schema
from indexer.backends.whoosh.store import create_index
from indexer.text.analysis import OffsetTokenizer, bigram_analyzer, chinese_segmenter

TEXT_FIELDS = ("title", "body", "author")


class JiebaTokenizer(OffsetTokenizer):
    """jieba's search-mode words; Hangul comes out one syllable a token, as jieba splits it."""

    def spans(self, value: str, mode: str = "index") -> Iterator[tuple[str, int, int, bool]]:
        """Yield jieba ``cut_for_search`` words that contain a letter or digit."""
        # The product's jieba, whose dictionary cache is in the user cache folder.
        for word, start, end in chinese_segmenter().tokenize(value, mode="search"):
            if any(ch.isalnum() for ch in word):
                yield word, start, end, True


def standard() -> Analyzer:
    """Whoosh's StandardAnalyzer with its defaults."""
    return StandardAnalyzer()


def jieba_tokens() -> Analyzer:
    """jieba ``cut_for_search`` tokens, lower-cased."""
    return JiebaTokenizer() | LowercaseFilter()  # type: ignore[return-value]


def hangul_bigrams() -> Analyzer:
    """Hangul character bigrams plus Latin words, lower-cased."""
    return bigram_analyzer()


# Name shown in reports -> analyzer factory; None is the product's own schema.
BASELINES: dict[str, Callable[[], Analyzer]] = {
    "Whoosh StandardAnalyzer": standard,
    "jieba cut_for_search": jieba_tokens,
    "Hangul bigrams": hangul_bigrams,
}


def baseline_schema(analyzer: Analyzer) -> Schema:
    """The product schema with ``analyzer`` on every analyzed text field, and one view only.

    The product's bigram fields go: a baseline is one analyzer, not the product's two.
    """
    schema = build_schema()
    for name in TEXT_FIELDS:
        schema[name].analyzer = analyzer
    for name in GRAM_FIELDS.values():
        schema.remove(name)
    return schema


def create_baseline_index(index_dir: Path, analyzer: Analyzer) -> None:
    """Create an empty index with ``analyzer`` through the product's own store."""
    create_index(index_dir, schema=baseline_schema(analyzer))
