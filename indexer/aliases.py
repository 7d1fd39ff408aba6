"""Names written several ways (Anthropic = 앤트로픽, 北 = 북한): query-time expansion."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.config import CORPUS_DIR

CORPUS_ALIASES = CORPUS_DIR / "aliases.txt"

Analyze = Callable[[str], tuple[str, ...]]


@dataclass(frozen=True)
class AliasGroup:
    """Spellings of one name; ``terms`` holds each spelling's analyzed primary terms."""

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
    groups = []
    for spellings in parse_aliases(text):
        terms = tuple(analyze(s) for s in spellings)
        groups.append(AliasGroup(spellings, terms))
    return groups


def _contains(seq: Sequence[str], sub: Sequence[str]) -> bool:
    n = len(sub)
    return n > 0 and any(tuple(seq[i : i + n]) == tuple(sub) for i in range(len(seq) - n + 1))


def expand(
    groups: Sequence[AliasGroup], query_terms: Sequence[str], disabled: frozenset[str] = frozenset()
) -> list[Expansion]:
    """Find alias spellings inside the query's primary terms; return what to search too.

    ``disabled`` holds spellings a user switched off: their group is not expanded.
    """
    found = []
    for group in groups:
        if disabled.intersection(group.spellings):
            continue
        for spelling, terms in zip(group.spellings, group.terms, strict=True):
            if _contains(query_terms, terms):
                others = [
                    (s, t)
                    for s, t in zip(group.spellings, group.terms, strict=True)
                    if t and t != terms
                ]
                found.append(
                    Expansion(
                        spelling,
                        tuple(terms),
                        tuple(s for s, _ in others),
                        tuple(t for _, t in others),
                    )
                )
                break
    return found
