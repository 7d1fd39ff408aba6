"""Names written several ways (Anthropic = 앤트로픽, 北 = 북한, the summits' names in Korean and
English): the groups, and how they fire on the words of a query.

The spellings of a group count as one word of the query, scored as one term (``engine``).
Groups come from ``corpus/aliases.txt`` and from the names of each summit in
``corpus/summits.json``; a name of several words (Seoul Summit, 서울 정상회의) fires on the
query words that spell it, which then count as one word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from indexer.config import CORPUS_DIR
from indexer.documents.summits import Summit
from indexer.search.concepts import Node, Word
from indexer.text.analysis import Analyzer
from indexer.text.joins import JOIN_MARK
from indexer.text.scripts import is_han

CORPUS_ALIASES = CORPUS_DIR / "aliases.txt"
# Query words one name may span (AI 서울 정상회의 is three).
MAX_NAME_WORDS = 4

Analyze = Callable[[str], tuple[str, ...]]


@dataclass(frozen=True)
class AliasGroup:
    """Spellings of one name; ``terms`` holds the terms that find each spelling."""

    spellings: tuple[str, ...]
    terms: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Expansion:
    """One alias expansion of a query: the spelling found and the others searched too."""

    matched: str
    matched_terms: tuple[str, ...]
    added: tuple[str, ...]
    added_terms: tuple[tuple[str, ...], ...]


def parse_aliases(text: str) -> list[tuple[str, ...]]:
    """Parse lines of ``a = b = c`` (``#`` starts a comment) into groups of spellings."""
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        spellings = tuple(s.strip() for s in line.split("=") if s.strip())
        if len(spellings) >= 2:
            groups.append(spellings)
    return groups


def load_aliases(path: Path, analyze: Analyze) -> list[AliasGroup]:
    """Read an alias file; a missing file means no aliases."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [_group(spellings, analyze) for spellings in parse_aliases(text)]


def summit_groups(summits: Sequence[Summit], analyze: Analyze) -> list[AliasGroup]:
    """One group for each summit, of the names news writes it by (``Summit.names``)."""
    return [_group(s.names, analyze) for s in summits if len(s.names) >= 2]


def _group(spellings: Sequence[str], analyze: Analyze) -> AliasGroup:
    return AliasGroup(tuple(spellings), tuple(analyze(s) for s in spellings))


def spelling_terms(analyzer: Analyzer, spelling: str) -> tuple[str, ...]:
    """The terms that find ``spelling`` in an article: a term for each word, except that Hangul
    nouns written apart are one term, as the index joins them (서울 정상회의: 서울정상회의)."""
    tokens = [
        (t.text.removeprefix(JOIN_MARK), t.startchar, t.endchar, getattr(t, "primary", True))
        for t in analyzer(spelling, chars=True)
    ]
    ends = {e for _, _, e, primary in tokens if primary}
    out: list[str] = []
    covered = 0
    for text, start, _, primary in tokens:
        if not primary or start < covered:
            continue
        longest = max(
            (t for t in tokens if t[1] == start and t[2] in ends), key=lambda t: t[2], default=None
        )
        term, covered = (longest[0], longest[2]) if longest else (text, start + len(text))
        out.append(term)
    return tuple(out)


def with_aliases(
    word: Word, groups: Sequence[AliasGroup], disabled: frozenset[str]
) -> tuple[Word, list[Expansion]]:
    """``word`` with the other spellings of every alias group that fires on it.

    A group fires on the whole word (all its primary terms), on a part that the analyzer split
    off a compound (a dictionary word by itself: 북한 of 북한정권, which is then also found as
    北 + 정권), or on a Hanja piece of a mixed word (北 of 北측). A Latin piece of a Hangul word
    does not fire: 오픈AI and AI기본법 are names of their own, not 인공지능.
    """
    expansions: list[Expansion] = []
    whole = tuple(p.text for p in word.pieces)
    group = _group_for(whole, groups, disabled)
    if group is not None:
        others = _others(group, whole)
        expansions.append(_expansion(group, whole, others))
        return _with_spellings(word, word.pieces, others), expansions

    def expand(node: Node, may_fire: bool) -> Node:
        if may_fire:
            found = _group_for((node.text,), groups, disabled)
            if found is not None:
                others = _others(found, (node.text,))
                expansions.append(_expansion(found, (node.text,), others))
                return replace(node, spellings=tuple(t for _, t in others))
        parts = tuple(expand(p, True) for p in node.parts)
        return replace(node, parts=parts, spellings=node.spellings + _substituted(node, parts))

    mixed = len(word.pieces) > 1
    pieces = tuple(expand(p, mixed and is_han(p.text)) for p in word.pieces)
    return replace(word, pieces=pieces), expansions


def names_in(
    words: Sequence[Word | None], groups: Sequence[AliasGroup], disabled: frozenset[str]
) -> dict[int, tuple[int, Word, Expansion]]:
    """Names of several words among ``words`` (None breaks a name), the longest first: for the
    index of each one's first word, the index after its last, the name as one word and its
    expansion."""
    found: dict[int, tuple[int, Word, Expansion]] = {}
    n = 0
    while n < len(words):
        for end in range(min(len(words), n + MAX_NAME_WORDS), n + 1, -1):
            run = words[n:end]
            name = name_of(run, groups, disabled) if None not in run else None  # type: ignore
            if name is not None:
                found[n] = (end, *name)
                n = end - 1
                break
        n += 1
    return found


def name_of(
    words: Sequence[Word], groups: Sequence[AliasGroup], disabled: frozenset[str]
) -> tuple[Word, Expansion] | None:
    """Consecutive query words that spell a name of several words (Seoul Summit), as one word
    with the group's other spellings; None if they spell none."""
    key = "".join(p.text for w in words for p in w.pieces)
    for group in groups:
        if disabled.intersection(group.spellings):
            continue
        terms = next((t for t in group.terms if t and "".join(t) == key), None)
        pieces = _regrouped(words, terms) if terms else None
        if terms and pieces:
            others = _others(group, terms)
            typed = Word(" ".join(w.text for w in words), pieces)
            return _with_spellings(typed, pieces, others), _expansion(group, terms, others)
    return None


def _regrouped(words: Sequence[Word], terms: tuple[str, ...]) -> tuple[Node, ...] | None:
    """The words' pieces regrouped as ``terms``: 서울 + 정상회의 as 서울정상회의, its parts."""
    flat = [p for w in words for p in w.pieces]
    out: list[Node] = []
    for term in terms:
        taken: list[Node] = []
        while flat and len("".join(p.text for p in taken)) < len(term):
            taken.append(flat.pop(0))
        if "".join(p.text for p in taken) != term:
            return None
        out.append(taken[0] if len(taken) == 1 else Node(term, tuple(taken)))
    return tuple(out) if not flat else None


def _with_spellings(
    word: Word, pieces: tuple[Node, ...], others: list[tuple[str, tuple[str, ...]]]
) -> Word:
    # A one-piece word keeps its spellings on its piece, a word of several on itself. A
    # spelling that holds all the terms of another (AI 서울 정상회의 of 서울 정상회의) finds
    # nothing more, and would count its articles' words twice.
    written = tuple(s for s, _ in others)
    forms = [tuple(p.text for p in pieces), *(t for _, t in others)]
    spellings = tuple(t for _, t in others if not any(set(f) < set(t) for f in forms))
    if len(pieces) == 1:
        piece = replace(pieces[0], spellings=spellings)
        return replace(word, pieces=(piece,), aliases=written)
    return replace(word, pieces=pieces, spellings=spellings, aliases=written)


def _substituted(node: Node, parts: Sequence[Node]) -> tuple[tuple[str, ...], ...]:
    """The compound spelled with a part's other spellings: 북한정권 as 北 + 정권.

    The rest of the compound stays one term (정권), which the index has wherever the article
    writes it, joined or apart.
    """
    out: list[tuple[str, ...]] = []
    for part in parts:
        at = node.text.find(part.text)
        if at < 0 or not part.spellings:
            continue
        head, tail = node.text[:at], node.text[at + len(part.text) :]
        for spelling in part.spellings:
            out.append(tuple(t for t in (head, *spelling, tail) if t))
    return tuple(dict.fromkeys(out))


def _group_for(
    terms: tuple[str, ...], groups: Sequence[AliasGroup], disabled: frozenset[str]
) -> AliasGroup | None:
    for group in groups:
        if terms in group.terms and not disabled.intersection(group.spellings):
            return group
    return None


def _others(group: AliasGroup, terms: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """The group's other spellings, one for each other way of finding it."""
    out: dict[tuple[str, ...], str] = {}
    for spelling, found in zip(group.spellings, group.terms, strict=True):
        if found and found != terms:
            out.setdefault(found, spelling)
    return [(s, t) for t, s in out.items()]


def _expansion(
    group: AliasGroup, terms: tuple[str, ...], others: list[tuple[str, tuple[str, ...]]]
) -> Expansion:
    matched = group.spellings[group.terms.index(terms)]
    return Expansion(matched, terms, tuple(s for s, _ in others), tuple(t for _, t in others))
