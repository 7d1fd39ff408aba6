"""A plan as OpenSearch query DSL: the match set as a filter, the scoring units as clauses.

The semantics are the embedded engine's (``backends.whoosh.engine``), decided in ``search``:
an article has a concept when it has one of its words, written or joined (``JOIN_MARK``), or
an alias spelling; a word's parts only score. The match set needs ``need`` concepts and every
required one; the relaxed tier is what has at least one concept but not enough. Each scoring
unit is one BM25 term: an alias group's single-term spellings are one Lucene SynonymQuery (a
``match`` through the index's ``terms`` analyzer, whose ``|`` puts them at one position),
boosted by the unit's weight; a join counts at ``join_weight`` as a clause of its own (Lucene
gives a synonym's terms no weights through the DSL), and a spelling of several terms scores
as its terms together, each at its share.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from indexer.backends.opensearch.encode import SAME_POSITION, carry
from indexer.search.concepts import Concept, Node, Word
from indexer.search.filters import DateSpan, FieldFilter, FieldIs
from indexer.search.query import Plan
from indexer.search.ranking import Settings, min_should_match
from indexer.search.results import FACETS, UNKNOWN, Filters
from indexer.search.scoring import Unit, units_of
from indexer.text.joins import JOIN_MARK

Query = dict[str, Any]
FIELDS = frozenset({"title", "body", "author", "title_grams", "body_grams"})
MATCH_NONE: Query = {"match_none": {}}


def _any(clauses: list[Query]) -> Query:
    if not clauses:
        return MATCH_NONE
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses}}


def _all(clauses: list[Query]) -> Query:
    return clauses[0] if len(clauses) == 1 else {"bool": {"filter": clauses}}


def has_term(fields: tuple[str, ...], term: str) -> Query:
    """Articles with ``term`` in any of ``fields``, written or joined."""
    held = [carry(term), carry(JOIN_MARK + term)]
    return _any([{"terms": {f: held}} for f in fields])


def _spelling(fields: tuple[str, ...], terms: tuple[str, ...]) -> Query:
    return _all([has_term(fields, t) for t in terms])


def has_node(fields: tuple[str, ...], node: Node) -> Query:
    """Articles with the node's term or one of its spellings."""
    return _any([has_term(fields, node.text), *(_spelling(fields, s) for s in node.spellings)])


def has_word(fields: tuple[str, ...], word: Word) -> Query:
    """Articles with every piece of the word, or one of its whole-word spellings."""
    pieces = _all([has_node(fields, p) for p in word.pieces])
    return _any([pieces, *(_spelling(fields, s) for s in word.spellings)])


def has_concept(concept: Concept) -> Query:
    """Articles with any of the concept's words."""
    return _any([has_word(concept.fields, w) for w in concept.words])


def field_filter(f: FieldFilter) -> Query:
    """One filter of a plan."""
    if isinstance(f, DateSpan):
        bounds = {}
        if f.start is not None:
            bounds["gte"] = f.start.isoformat()
        if f.end is not None:
            bounds["lte"] = f.end.isoformat()
        return {"range": {f.field: bounds}}
    assert isinstance(f, FieldIs)
    return {"term": {f.field: f.value}}


def _day_range(name: str, first: date | None, last: date | None) -> Query:
    bounds = {}
    if first is not None:
        bounds["gte"] = datetime.combine(first, datetime.min.time()).isoformat()
    if last is not None:
        bounds["lte"] = datetime.combine(last, datetime.max.time()).isoformat()
    return {"range": {name: bounds}}


def date_filter(filters: Filters) -> Query | None:
    """The publication-date range of ``filters``, or None."""
    if not (filters.date_from or filters.date_to):
        return None
    return _day_range("published", filters.date_from, filters.date_to)


def interface_filters(filters: Filters) -> list[Query]:
    """The interface's choices: facet values (unknown included), dates, origin, arrival."""
    out: list[Query] = []
    for name in FACETS:
        values = getattr(filters, name)
        if values:
            chosen: list[Query] = [{"term": {name: v}} for v in values if v != UNKNOWN]
            if UNKNOWN in values:
                chosen.append({"bool": {"must_not": [{"exists": {"field": name}}]}})
            out.append(_any(chosen))
    dates = date_filter(filters)
    if dates is not None:
        if filters.undated:
            dates = _any([dates, {"bool": {"must_not": [{"exists": {"field": "published"}}]}}])
        out.append(dates)
    if filters.origin:
        out.append({"terms": {"origin": list(filters.origin)}})
    if filters.added_from or filters.added_to:
        out.append(_day_range("added", filters.added_from, filters.added_to))
    return out


def reach(plan: Plan, filters: Filters) -> Query:
    """What any tier may hold: the filters, without the excluded words and filters."""
    clauses = [field_filter(f) for f in plan.filters] + interface_filters(filters)
    must_not = [has_concept(c) for c in plan.excluded]
    must_not += [field_filter(f) for f in plan.excluded_filters]
    return {"bool": {"filter": clauses, "must_not": must_not}}


def tier(plan: Plan, settings: Settings, filters: Filters, any_word: bool, strict: bool) -> Query:
    """The match set (``strict``) or everything with at least one concept, within ``reach``."""
    body = reach(plan, filters)["bool"]
    required = [has_concept(c) for c in plan.concepts if c.sign == "+"]
    concepts = [has_concept(c) for c in plan.concepts]
    need = 1
    if strict and not any_word:
        need = min_should_match(settings.min_match, len(plan.concepts))
    if concepts:
        body["filter"] = [
            *body["filter"],
            *required,
            {"bool": {"should": concepts, "minimum_should_match": max(1, need)}},
        ]
    return {"bool": body}


def _unit_clause(unit: Unit, join_weight: float) -> list[Query]:
    singles = [carry(s[0]) for s in unit.spellings if len(s) == 1]
    clauses: list[Query] = []
    if singles:
        text = SAME_POSITION.join(singles)
        joined = SAME_POSITION.join(carry(JOIN_MARK + s[0]) for s in unit.spellings if len(s) == 1)
        clauses.append({"match": {unit.field: {"query": text, "boost": unit.weight}}})
        clauses.append(
            {"match": {unit.field: {"query": joined, "boost": unit.weight * join_weight}}}
        )
    for spelling in (s for s in unit.spellings if len(s) > 1):
        share = unit.weight / len(spelling)
        clauses.append(
            {"bool": {"must": [{"term": {unit.field: {"value": carry(t), "boost": share}}}
                               for t in spelling]}}
        )  # fmt: skip
    return clauses


def scoring(plan: Plan, settings: Settings, concepts: set[int] | None = None) -> list[Query]:
    """The plan's scoring clauses (only those of ``concepts`` if given)."""
    out: list[Query] = []
    for unit in units_of(plan, settings, FIELDS):
        if concepts is None or unit.concept in concepts:
            out.extend(_unit_clause(unit, settings.join_weight))
    return out


def scored(filter_query: Query, clauses: list[Query]) -> Query:
    """``filter_query``'s articles, scored by ``clauses`` (0 where none matches)."""
    return {"bool": {"filter": [filter_query], "should": clauses}}
