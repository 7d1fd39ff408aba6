"""What a plan scores: its units, each one BM25 term in one field, the same on every backend.

A unit is one term in one field, or the spellings of an alias group taken as one term (their
frequencies summed, the document frequency that of their union, as Lucene's SynonymQuery
does). A word scores in each of its concept's fields (the byline at ``author_weight``), its
parts at ``part_weight``; the query's Hangul bigrams score in the bigram views at
``gram_weight`` and never match on their own (concept -1).
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.search.concepts import Word
from indexer.search.query import PHRASE_FIELDS, Plan
from indexer.search.ranking import Settings

# Text field -> the field that indexes the same text as Hangul bigrams (``bigram_analyzer``).
GRAM_FIELDS = {"title": "title_grams", "body": "body_grams"}

Spellings = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Unit:
    """Scored as one BM25 term in ``field``: any of ``spellings`` (each all of its terms)."""

    field: str
    spellings: Spellings
    weight: float
    concept: int  # index into the plan's concepts; -1 scores without matching (bigrams)


def units_of(plan: Plan, settings: Settings, schema_fields: frozenset[str]) -> list[Unit]:
    """The scored units of a plan: each concept's words, parts and spellings, and the bigrams."""
    units: list[Unit] = []
    for index, concept in enumerate(plan.concepts):
        for word in concept.words:
            found: dict[tuple[str, Spellings], float] = {}
            for f in concept.fields:
                weight = settings.author_weight if f == "author" else 1.0
                for spellings, w in _word_units(word, settings.part_weight):
                    key = (f, spellings)
                    found[key] = max(found.get(key, 0.0), w * weight)
            units.extend(Unit(f, s, w, index) for (f, s), w in found.items() if f in schema_fields)
    grams: dict[str, float] = {}
    for gram, weight in plan.grams:
        grams[gram] = max(weight, grams.get(gram, 0.0))
    for gram, weight in grams.items():
        for f in PHRASE_FIELDS:
            if GRAM_FIELDS[f] in schema_fields:
                units.append(Unit(GRAM_FIELDS[f], ((gram,),), weight * settings.gram_weight, -1))
    return units


def _word_units(word: Word, part_weight: float) -> list[tuple[Spellings, float]]:
    out: list[tuple[Spellings, float]] = []
    if word.spellings:
        # Other spellings of a word of several pieces (오픈AI = OpenAI): one term together.
        out.append(((tuple(p.text for p in word.pieces), *word.spellings), 1.0))
    else:
        out.extend((((p.text,), *p.spellings), 1.0) for p in word.pieces)
    for piece in word.pieces:
        out.extend((((n.text,), *n.spellings), part_weight) for n in piece.descendants())
    return out
