"""User query text -> Whoosh query: words, "phrases", +required, -excluded, field:value.

The syntax is parsed here, by a flat scanner that cannot fail or recurse: anything it does not
recognise is searched as literal words. Terms combine with OR, with a bonus for matching more
of them, because people type questions and paste headlines, not boolean expressions.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from whoosh import query as Q
from whoosh.analysis import Analyzer

from indexer.aliases import AliasGroup, Expansion, expand
from indexer.schema import GRAM_FIELDS
from indexer.union import TermUnion, WeightedTerm

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
TITLE_BOOST = 1.0
ALIAS_BOOST = 0.6
# Parts of a compound (정상, 회의 of 정상회의) count, but less than the word itself.
SECONDARY_BOOST = 0.5
SEARCH_FIELDS = ("title", "body")
# Weight of the query's bigrams in the bigram fields, beside its morphemes. Korquad / news
# MRR@10 by weight (quality benchmark, --gram-boost): 0 0.947 / 0.838, 0.2 0.958 / 0.842,
# 0.4 0.958 / 0.843, 0.8 0.959 / 0.840: a flat top, and 0.4 inside it.
GRAM_BOOST = 0.4
FIELD_BOOSTS = {"title": TITLE_BOOST}
# Fields a user may name, and what the value is searched as.
TEXT_FIELDS = ("title", "body", "author")
EXACT_FIELDS = ("outlet", "lang", "summit", "id")
DATE_FIELDS = ("published",)

_ITEM = re.compile(
    r'(?P<sign>[+-]?)(?:(?P<field>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"|(?P<word>\S+))'
)
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


@dataclass
class Item:
    """One piece of the query: a word or phrase, maybe signed, maybe field-qualified."""

    text: str
    phrase: bool = False
    sign: str = ""
    field: str = ""
    # Where ``text`` sits in the cleaned query (see ``clean``), for analysis in context.
    start: int = dataclasses.field(default=0, compare=False)
    end: int = dataclasses.field(default=0, compare=False)


@dataclass
class BuiltQuery:
    """A Whoosh query plus what a user should be told about how it was read."""

    query: Q.Query
    filters: list[Q.Query] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    # Whole words of the query (no compound parts): what highlighting marks first.
    primary_terms: list[str] = field(default_factory=list)
    expansions: list[Expansion] = field(default_factory=list)
    has_phrase: bool = False
    notices: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    """The query as scanned: capped, control characters and an unbalanced quote as spaces."""
    text = "".join(ch if ch.isprintable() else " " for ch in text[:MAX_QUERY_CHARS])
    if text.count('"') % 2:
        text = text.replace('"', " ")  # an unbalanced quote is read literally
    return text


def scan(text: str) -> list[Item]:
    """Split query text into items; never raises. Offsets refer to ``clean(text)``."""
    text = clean(text)
    items = []
    for m in _ITEM.finditer(text):
        fieldname = (m.group("field") or "").lower()
        value = m.group("phrase") if m.group("phrase") is not None else m.group("word")
        known = fieldname in TEXT_FIELDS + EXACT_FIELDS + DATE_FIELDS
        if fieldname and not known:
            value = f"{m.group('field')}:{value}"
            fieldname = ""
        sign = m.group("sign")
        if not value or not value.strip():
            continue
        group = "phrase" if m.group("phrase") is not None else "word"
        start, end = m.span(group)
        if value != m.group(group):  # an unknown field name stays part of the word
            start = m.start("field")
        items.append(Item(value, group == "phrase", sign, fieldname, start, end))
    return items


def analyze_in_context(
    analyzer: Analyzer, text: str, items: list[Item]
) -> list[list[tuple[str, bool]]]:
    """(term, primary) of each text item, from one analysis of the whole query.

    The analyzer reads the query as it reads a sentence of an article: a name followed by a
    particle splits as it does inside the text, not as it would alone. Query syntax (signs,
    quotes, field names) and the values of exact fields are blanked out first.
    """
    cleaned = clean(text)
    chars = [" "] * len(cleaned)
    for item in items:
        if item.field not in EXACT_FIELDS + DATE_FIELDS:
            chars[item.start : item.end] = cleaned[item.start : item.end]
    out: list[list[tuple[str, bool]]] = [[] for _ in items]
    starts = [item.start for item in items]
    for t in analyzer("".join(chars), mode="query", chars=True):
        i = bisect.bisect_right(starts, t.startchar) - 1
        if i >= 0 and t.startchar < items[i].end:
            out[i].append((t.text, getattr(t, "primary", True)))
    return out


def analyze_terms(analyzer: Analyzer, text: str, primary_only: bool = False) -> list[str]:
    """Terms of ``text`` as the index holds them, in order."""
    return [t for t, primary in _analyze(analyzer, text) if primary or not primary_only]


def _analyze(analyzer: Analyzer, text: str) -> list[tuple[str, bool]]:
    """(term, primary) for each term of ``text``."""
    return [(t.text, getattr(t, "primary", True)) for t in analyzer(text, mode="query")]


def date_range(value: str) -> Q.Query | None:
    """``2024``, ``2024-05`` or ``2024-05-23``, or ``A..B`` of those, as a published range."""
    start_text, _, end_text = value.partition("..")
    start = _date_bound(start_text, end=False) if start_text else None
    end = _date_bound(end_text or start_text, end=True) if (end_text or start_text) else None
    if (start_text and start is None) or ((end_text or start_text) and end is None):
        return None
    return Q.DateRange("published", start, end)


def _date_bound(text: str, end: bool) -> datetime | None:
    m = _DATE.match(text.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if not end:
            return datetime(year, int(month or 1), int(day or 1))
        if day:
            return datetime(year, int(month), int(day), 23, 59, 59)
        if month:
            nxt = datetime(year + int(month) // 12, int(month) % 12 + 1, 1)
            return nxt - timedelta(seconds=1)
        return datetime(year, 12, 31, 23, 59, 59)
    except ValueError:
        return None


def _text_query(terms: list[str], phrase: bool, fields: tuple[str, ...], boost: float = 1.0):
    """Match ``terms`` (as a phrase, or any of them) in ``fields``."""
    subs: list[Q.Query] = []
    for f in fields:
        fb = boost * FIELD_BOOSTS.get(f, 1.0)
        if phrase and len(terms) > 1:
            subs.append(Q.Phrase(f, terms, slop=1, boost=fb))
        else:
            subs.extend(Q.Term(f, t, boost=fb) for t in terms)
    return subs[0] if len(subs) == 1 else Q.Or(subs)


def _alternatives(
    exps: list[Expansion], terms: list[str], phrase: bool, fields: tuple[str, ...]
) -> list[Q.Query]:
    """Queries for the other spellings of aliases found in one item's terms."""
    alts: list[Q.Query] = []
    for exp in exps:
        n = len(exp.matched_terms)
        at = next(i for i in range(len(terms)) if tuple(terms[i : i + n]) == exp.matched_terms)
        for other in exp.added_terms:
            # In a phrase the other spelling takes the matched one's place.
            words = [*terms[:at], *other, *terms[at + n :]] if phrase else list(other)
            alts.append(_text_query(words, len(words) > 1, fields, ALIAS_BOOST))
    return alts


def _flat_terms(q: Q.Query, boost: float = 1.0) -> list[WeightedTerm] | None:
    """The weighted terms of a query made only of terms and ORs of terms, else None."""
    if isinstance(q, Q.Term):
        return [WeightedTerm(q.fieldname, q.text, boost * q.boost)]
    if type(q) is Q.Or and q.scale is None:
        found: list[WeightedTerm] = []
        for sub in q.subqueries:
            terms = _flat_terms(sub, boost * q.boost)
            if terms is None:
                return None
            found.extend(terms)
        return found
    return None


def _disjunction(should: list[Q.Query], grams: list[tuple[str, float]]) -> Q.Query | None:
    """OR of ``should``: its single terms as one ``TermUnion``, phrases beside it.

    ``grams`` (the bigram view of the plain words, with weights) join the union as
    scoring-only terms, each bigram once at its highest weight.
    """
    terms: list[WeightedTerm] = []
    rest: list[Q.Query] = []
    for q in should:
        flat = _flat_terms(q)
        if flat is None:
            rest.append(q)
        else:
            terms.extend(flat)
    if terms:
        weights: dict[str, float] = {}
        for gram, weight in grams:
            weights[gram] = max(weight, weights.get(gram, 0.0))
        terms.extend(
            WeightedTerm(GRAM_FIELDS[f], g, w * GRAM_BOOST * FIELD_BOOSTS.get(f, 1.0), False)
            for g, w in weights.items()
            for f in SEARCH_FIELDS
        )
    parts = ([TermUnion(terms)] if terms else []) + rest
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.Or(parts)


def build(
    text: str,
    analyzer: Analyzer,
    aliases: list[AliasGroup] | None = None,
    disabled_aliases: frozenset[str] = frozenset(),
    phrases: bool = True,
    grams: Analyzer | None = None,
) -> BuiltQuery:
    """Turn user text into a query; ``phrases=False`` searches quoted phrases as words.

    With ``grams`` (the index's bigram analyzer), plain words also score in the bigram fields.
    """
    should: list[Q.Query] = []
    must: list[Q.Query] = []
    must_not: list[Q.Query] = []
    filters: list[Q.Query] = []
    all_terms: list[str] = []
    primary: list[str] = []
    gram_terms: list[tuple[str, float]] = []
    built = BuiltQuery(Q.NullQuery)
    items = scan(text)
    in_context = analyze_in_context(analyzer, text, items)
    for item, analyzed in zip(items, in_context, strict=True):
        sub: Q.Query | None
        if item.field in DATE_FIELDS:
            sub = date_range(item.text)
            if sub is None:
                built.notices.append(f"{item.field}:{item.text} is not a date (try 2024-05)")
                continue
        elif item.field in EXACT_FIELDS:
            value = item.text.lower() if item.field == "lang" else item.text
            sub = Q.Term(item.field, value)
        else:
            fields = (item.field,) if item.field else SEARCH_FIELDS
            as_phrase = item.phrase and phrases
            item_primary = [t for t, primary in analyzed if primary]
            terms = item_primary if as_phrase else [t for t, _ in analyzed]
            if not terms:
                continue
            terms = terms[: MAX_TERMS - len(all_terms)]
            if not terms:
                built.notices.append(f"only the first {MAX_TERMS} terms were searched")
                break
            built.has_phrase |= as_phrase and len(terms) > 1
            all_terms.extend(terms)
            exps = [
                e
                for e in expand(aliases or [], item_primary, disabled_aliases)
                if e not in built.expansions
            ]
            built.expansions.extend(exps)
            alts = _alternatives(exps, item_primary, as_phrase, fields)
            all_terms.extend(t for e in exps for other in e.added_terms for t in other)
            if item.sign != "-":
                primary.extend(item_primary)
                primary.extend(t for e in exps for other in e.added_terms for t in other)
            if as_phrase or item.sign:
                sub = _text_query(terms, as_phrase, fields)
                sub = Q.Or([sub, *alts]) if alts else sub
            else:
                whole = set(item_primary)
                should.extend(
                    _text_query([t], False, fields, 1.0 if t in whole else SECONDARY_BOOST)
                    for t in dict.fromkeys(terms)
                )
                should.extend(alts)
                if grams is not None and not item.field:
                    gram_terms.extend((t.text, 1.0) for t in grams(item.text, mode="query"))
                    gram_terms.extend(
                        (t.text, ALIAS_BOOST)
                        for e in exps
                        for other in e.added
                        for t in grams(other, mode="query")
                    )
                continue
        if item.sign == "+":
            must.append(sub)
        elif item.sign == "-":
            must_not.append(sub)
        elif item.field in EXACT_FIELDS + DATE_FIELDS:
            filters.append(sub)
        else:
            should.append(sub)
    built.terms = list(dict.fromkeys(all_terms))
    built.primary_terms = list(dict.fromkeys(primary))
    built.filters = filters
    positive = _disjunction(should, gram_terms)
    if must:
        required = must[0] if len(must) == 1 else Q.And(must)
        positive = Q.AndMaybe(required, positive) if positive else required
    if positive is None and (filters or must_not):
        positive = Q.Every()
    if positive is None:
        return built
    if must_not:
        # And + Not, not AndNot: whoosh3 3.54.0's AndNotMatcher skips the excluded list only
        # when both lists start on the same document, and so lets excluded articles through.
        excluded = must_not[0] if len(must_not) == 1 else Q.Or(must_not)
        positive = Q.And([positive, Q.Not(excluded)])
    built.query = positive
    return built
