"""User query text -> a plan: concepts, phrases, exclusions and filters.

The syntax is read by a flat scanner that cannot fail or recurse: anything it does not
recognise is searched as literal words. Each word becomes a concept (``concepts``); how many
of them an article needs, and how they score, is the engine's business (``engine``).
Syntax: ``"exact phrase"``, ``+required``, ``-excluded``, ``a OR b``, ``field:value``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from indexer.search.aliases import AliasGroup, Expansion, names_in, with_aliases
from indexer.search.concepts import Concept, Phrase, Token, Word, build_word
from indexer.search.dates import date_range
from indexer.search.filters import FieldFilter, FieldIs
from indexer.search.notices import Notice
from indexer.text.analysis import Analyzer
from indexer.text.normalize import normalize

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
# Fields plain words are searched in; the byline counts for less (``ranking.Settings``).
SEARCH_FIELDS = ("title", "body", "author")
PHRASE_FIELDS = ("title", "body")
# Fields a user may name, and what the value is searched as.
TEXT_FIELDS = ("title", "body", "author")
EXACT_FIELDS = ("outlet", "lang", "summit", "id")
DATE_FIELDS = ("published",)

_ITEM = re.compile(
    r'(?P<sign>[+-]?)(?:(?P<field>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"|(?P<word>\S+))'
)
# A word of the query, for concepts: letters and digits, joined by a hyphen or a point
# (GPT-4o, Ex-Boeing, 6.12), an apostrophe between Latin letters (Japan's) or a comma between
# digits (1,000). Other punctuation separates words, as headlines use it: '북미정상회담]남북',
# '술·담배', '열애→임신', '‘진정’…약발'.
_WORD = re.compile(r"[^\W_]+(?:(?:[-.]|(?<=[A-Za-z])['’](?=[A-Za-z])|(?<=\d),(?=\d))[^\W_]+)*")


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

    @property
    def is_text(self) -> bool:
        """True for words and phrases searched in text fields (not filters)."""
        return self.field not in EXACT_FIELDS + DATE_FIELDS

    @property
    def is_or(self) -> bool:
        """True for a bare ``OR`` between two words."""
        return self.text == "OR" and not (self.phrase or self.sign or self.field)


@dataclass
class Plan:
    """What a query asks for, ready for the engine, plus what a user should be told."""

    concepts: list[Concept] = field(default_factory=list)
    excluded: list[Concept] = field(default_factory=list)
    phrases: list[Phrase] = field(default_factory=list)
    excluded_phrases: list[Phrase] = field(default_factory=list)
    filters: list[FieldFilter] = field(default_factory=list)
    excluded_filters: list[FieldFilter] = field(default_factory=list)
    # The bigram view of the words: (bigram, weight relative to the words'), scoring only.
    grams: list[tuple[str, float]] = field(default_factory=list)
    expansions: list[Expansion] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    # The query's text is one quoted phrase: articles must have it exactly.
    whole_phrase: bool = False

    @property
    def empty(self) -> bool:
        """True if nothing in the query restricts or ranks articles."""
        return not (
            self.concepts
            or self.excluded
            or self.phrases
            or self.excluded_phrases
            or self.filters
            or self.excluded_filters
        )

    def terms(self) -> list[str]:
        """Every term of the positive concepts, compound parts and alias spellings included."""
        return list(dict.fromkeys(t for c in self.concepts for t in c.terms()))

    def primary_terms(self) -> list[str]:
        """Whole words and alias spellings of the positive concepts: what highlighting marks."""
        found = (t for c in self.concepts for w in c.words for t in w.primary_terms())
        return list(dict.fromkeys(found))


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


def analyze_in_context(analyzer: Analyzer, text: str, items: list[Item]) -> list[list[Token]]:
    """The tokens of each text item, from one analysis of the whole query.

    The analyzer reads the query as it reads a sentence of an article: a name followed by a
    particle splits as it does inside the text, not as it would alone. Query syntax (signs,
    quotes, field names, ``OR``) and the values of exact fields are blanked out first.
    Offsets refer to ``clean(text)``.
    """
    cleaned = clean(text)
    chars = [" "] * len(cleaned)
    for item in items:
        if item.is_text and not item.is_or:
            chars[item.start : item.end] = cleaned[item.start : item.end]
    out: list[list[Token]] = [[] for _ in items]
    owner = [-1] * len(cleaned)
    for i, item in enumerate(items):
        owner[item.start : item.end] = [i] * (item.end - item.start)
    for t in analyzer("".join(chars), mode="query", chars=True):
        i = owner[t.startchar] if t.startchar < len(owner) else -1
        if i >= 0:
            out[i].append((t.text, t.startchar, t.endchar, getattr(t, "primary", True)))
    return out


def build(
    text: str,
    analyzer: Analyzer,
    aliases: list[AliasGroup] | None = None,
    disabled_aliases: frozenset[str] = frozenset(),
    grams: Analyzer | None = None,
    alias_gram_weight: float = 0.6,
) -> Plan:
    """Turn user text into a plan; never raises.

    With ``grams`` (the index's bigram analyzer), plain words also score in the bigram fields.
    """
    plan = Plan()
    items = scan(text)
    tokens = analyze_in_context(analyzer, text, items)
    cleaned = clean(text)
    terms = 0
    joined = False  # the previous item was OR: this word joins the concept before it
    text_items = [i for i in items if i.is_text and not i.is_or]
    item_words = [
        _words(cleaned, item, t) if item.is_text and not item.is_or else []
        for item, t in zip(items, tokens, strict=True)
    ]
    # A name of several words (Seoul Summit) is one word, when its words are plain.
    named = [
        w[0] if len(w) == 1 and not (i.sign or i.field or i.phrase) else None
        for i, w in zip(items, item_words, strict=True)
    ]
    names = names_in(named, aliases or [], disabled_aliases)
    skip = 0
    for n, item in enumerate(items):
        if skip:  # a word of a name of several words, taken with the first
            skip -= 1
            continue
        if item.is_or:
            joined = bool(plan.concepts) and not plan.concepts[-1].in_phrase
            continue
        if not item.is_text:
            _add_filter(plan, item)
            joined = False
            continue
        words = item_words[n]
        if not words:
            joined = False
            continue
        if terms >= MAX_TERMS:
            plan.notices.append(Notice.of("terms_capped", limit=MAX_TERMS))
            break
        if n in names:
            end, name, expansion = names[n]
            spanned, skip = items[n:end], end - n - 1
            expanded, found = [name], [expansion]
        else:
            spanned, expanded, found = [item], [], []
            for word in words:
                word, exps = with_aliases(word, aliases or [], disabled_aliases)
                expanded.append(word)
                found.extend(exps)
        if item.sign != "-":
            plan.expansions.extend(e for e in dict.fromkeys(found) if e not in plan.expansions)
        terms += sum(len(w.terms()) for w in expanded)
        fields = (item.field,) if item.field else SEARCH_FIELDS
        plain = not (item.sign or item.field or item.phrase)
        if item.phrase and len(expanded) > 1:
            _add_phrase(plan, item, expanded, fields)
        elif item.sign == "-":
            plan.excluded.extend(Concept((w,), fields, "-") for w in expanded)
        else:
            if joined and plain:
                last = plan.concepts.pop()
                plan.concepts.append(dataclasses.replace(last, words=(*last.words, expanded[0])))
                expanded = expanded[1:]
            plan.concepts.extend(Concept((w,), fields, item.sign) for w in expanded)
        if grams is not None and not item.field and item.sign != "-":
            # NFKC first, as the words are: typed decomposed Hangul has the same bigrams.
            plan.grams.extend(
                (t.text, 1.0) for i in spanned for t in grams(normalize(i.text).text, mode="query")
            )
            plan.grams.extend(
                (t.text, alias_gram_weight)
                for e in found
                for other in e.added
                for t in grams(other, mode="query")
            )
        joined = False
    plan.whole_phrase = len(text_items) == 1 and len(plan.phrases) == 1 and not text_items[0].sign
    silent = not (plan.concepts or plan.phrases or plan.notices)
    if silent and text_items and _only_stop_words(text_items):
        plan.notices.append(Notice("only_stop_words"))
    return plan


def _words(cleaned: str, item: Item, tokens: list[Token]) -> list[Word]:
    """The words of an item (a phrase has several), each from the tokens inside it."""
    words = []
    for m in _WORD.finditer(cleaned, item.start, item.end):
        inside = [t for t in tokens if m.start() <= t[1] < m.end()]
        word = build_word(m.group(), inside, m.start())
        if word is not None:
            words.append(word)
    return words


def _add_filter(plan: Plan, item: Item) -> None:
    sub: FieldFilter | None
    if item.field in DATE_FIELDS:
        sub = date_range(item.text)
        if sub is None:
            plan.notices.append(Notice.of("not_a_date", value=f"{item.field}:{item.text}"))
            return
    else:
        value = item.text.lower() if item.field == "lang" else item.text
        sub = FieldIs(item.field, value)
    (plan.excluded_filters if item.sign == "-" else plan.filters).append(sub)


def _add_phrase(plan: Plan, item: Item, words: list[Word], fields: tuple[str, ...]) -> None:
    """A quoted phrase: its words become concepts too, unless the phrase is excluded."""
    if item.sign == "-":
        plan.excluded_phrases.append(Phrase(item.text, tuple(words), fields, "-"))
        return
    first = len(plan.concepts)
    plan.concepts.extend(Concept((w,), fields, "", in_phrase=True) for w in words)
    indices = tuple(range(first, len(plan.concepts)))
    plan.phrases.append(Phrase(item.text, tuple(words), fields, item.sign, indices))


_STOP_ONLY = re.compile(r"^[A-Za-z']+$")


def _only_stop_words(items: list[Item]) -> bool:
    """True if the text items hold Latin words only (which the analyzer dropped as stop words)."""
    return all(_STOP_ONLY.match(w) for i in items for w in i.text.split())
