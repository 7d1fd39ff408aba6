"""Baseline analyzers that differ from the product only in analysis, and their indexes.

A baseline index is the product schema with the analyzer of its text fields replaced, written
with the product's meta file so that ``store.index_paths`` and ``search.Library`` accept it.
Whoosh pickles the schema into the index, so these classes must stay at this import path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import jieba
from whoosh import index as whoosh_index
from whoosh.analysis import Analyzer, LowercaseFilter, StandardAnalyzer, Token, Tokenizer
from whoosh.fields import Schema

from indexer.schema import SCHEMA_VERSION, analysis_fingerprint, build_schema
from indexer.store import META_FILE

TEXT_FIELDS = ("title", "body", "author")

_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+|[^\W_\uac00-\ud7a3]+")


class _OffsetTokenizer(Tokenizer):
    """Shared Whoosh plumbing: subclasses yield (text, start, end) spans of the value."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def spans(self, value: str) -> Iterator[tuple[str, int, int]]:
        """Yield (term, start, end) for ``value``; each baseline tokenizer overrides this."""
        return iter(())

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        """Yield one Token per term with positions and character offsets."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pieces = self.spans(value) if tokenize else iter([(value, 0, len(value))])
        for pos, (text, start, end) in enumerate(pieces, start_pos):
            token.text = text
            token.boost, token.stopped = 1.0, False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


class JiebaTokenizer(_OffsetTokenizer):
    """jieba's search-mode words; Hangul comes out one syllable a token, as jieba splits it."""

    def spans(self, value: str) -> Iterator[tuple[str, int, int]]:
        """Yield jieba ``cut_for_search`` words that contain a letter or digit."""
        for word, start, end in jieba.tokenize(value, mode="search"):
            if any(ch.isalnum() for ch in word):
                yield word, start, end


class HangulBigramTokenizer(_OffsetTokenizer):
    """Overlapping Hangul character bigrams (a lone syllable as itself), plus other words."""

    def spans(self, value: str) -> Iterator[tuple[str, int, int]]:
        """Yield bigrams of each Hangul run and each run of other letters or digits whole."""
        for m in _HANGUL_RUN.finditer(value):
            start, text = m.start(), m.group()
            if not "\uac00" <= text[0] <= "\ud7a3" or len(text) == 1:
                yield text, start, m.end()
                continue
            for i in range(len(text) - 1):
                yield text[i : i + 2], start + i, start + i + 2


def standard() -> Analyzer:
    """Whoosh's StandardAnalyzer with its defaults."""
    return StandardAnalyzer()


def jieba_tokens() -> Analyzer:
    """jieba ``cut_for_search`` tokens, lower-cased."""
    return JiebaTokenizer() | LowercaseFilter()  # type: ignore[return-value]


def hangul_bigrams() -> Analyzer:
    """Hangul character bigrams plus Latin words, lower-cased."""
    return HangulBigramTokenizer() | LowercaseFilter()  # type: ignore[return-value]


# Name shown in reports -> analyzer factory; None is the product's own schema.
BASELINES: dict[str, Callable[[], Analyzer]] = {
    "Whoosh StandardAnalyzer": standard,
    "jieba cut_for_search": jieba_tokens,
    "Hangul bigrams": hangul_bigrams,
}


def baseline_schema(analyzer: Analyzer) -> Schema:
    """The product schema with ``analyzer`` on every analyzed text field."""
    schema = build_schema()
    for name in TEXT_FIELDS:
        schema[name].analyzer = analyzer
    return schema


def create_baseline_index(index_dir: Path, analyzer: Analyzer) -> None:
    """Create an empty index with ``analyzer`` that the product's store will open."""
    index_dir.mkdir(parents=True, exist_ok=True)
    whoosh_index.create_in(str(index_dir), baseline_schema(analyzer))
    meta = {"schema_version": SCHEMA_VERSION, "analysis": analysis_fingerprint()}
    (index_dir / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
