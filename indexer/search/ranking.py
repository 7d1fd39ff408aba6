"""Ranking: BM25 with Lucene's idf, and the settings that weigh and match a query's words."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from math import log

# Standard BM25 parameters; the benchmarks compare alternatives on both dev collections.
K1 = 1.2
B = 0.75


def bm25_idf(doc_count: int, doc_frequency: int) -> float:
    """Lucene's BM25 idf: log(1 + (N - n + 0.5) / (n + 0.5))."""
    return log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


_RULE = re.compile(r"^\s*(?:(\d+)\s*<\s*)?(-?\d+)(%?)\s*$")


def min_should_match(rule: str, concepts: int) -> int:
    """How many of ``concepts`` an article needs, by Elasticsearch's ``minimum_should_match``.

    ``"3<75%"``: up to 3 concepts, all of them; more, 75% of them rounded down. ``"100%"``:
    all; ``"1"``: any one; a negative value is how many may be missing. Never below one nor
    above ``concepts``.
    """
    m = _RULE.match(rule)
    if m is None:
        raise ValueError(f"not a minimum_should_match rule: {rule!r}")
    limit, value, percent = m.group(1), int(m.group(2)), m.group(3)
    if concepts <= 0:
        return 0
    if limit is not None and concepts <= int(limit):
        return concepts
    if percent:
        share = math.floor(concepts * abs(value) / 100)
        need = concepts - share if value < 0 else share
    else:
        need = concepts + value if value < 0 else value
    return max(1, min(concepts, need))


@dataclass(frozen=True)
class Settings:
    """How a query's words are weighed and how many an article needs: declared once here.

    The quality benchmark passes other values to measure them; nothing else changes them.
    """

    # Articles need this many of the query's concepts (minimum_should_match).
    min_match: str = "3<50%"
    # Parts of a compound (정상, 회의 of 정상회의) count, but less than the word itself.
    part_weight: float = 0.5
    # The query's Hangul bigrams in the bigram fields, beside its morphemes (never matching).
    gram_weight: float = 0.4
    # Bigrams of alias spellings, relative to the query's own.
    alias_gram_weight: float = 0.6
    # The byline: a name found only there still matches, but counts for less than the text.
    author_weight: float = 0.2
    # Extra weight, relative to its words' own, of an article with a quoted phrase exactly.
    phrase_weight: float = 0.25
    # A word the index has only joined (국제협력 from '국제 협력', 정상회의 inside 서울정상회의)
    # counts this much of a word written as typed: the article that writes it so ranks first.
    join_weight: float = 0.25

    def __post_init__(self) -> None:
        min_should_match(self.min_match, 1)  # fail at once on a malformed rule
