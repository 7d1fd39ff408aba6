"""The passages of a hit: the sentences that show why it matched, the best first.

A hit shows a few sentences of its body, chosen for the concepts they hold, each weighted by
its idf. The first holds a quoted phrase exactly when the article has it, and otherwise the
rarest concepts; each next one first adds the concepts not shown yet, so two passages cover
as many of the query's words as the article allows (``삼성전자 실적``: one sentence with
삼성전자, one with 실적, when no sentence has both). A sentence that repeats the title is
never a passage: the title is shown above it (most news pages open with their title, and a
title taken from the first sentence is that sentence, maybe cut with "…").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.search.snippets import (
    Mark,
    Passage,
    Target,
    crop,
    hinted_regions,
    mark,
    marks_in,
    spans,
)
from indexer.text.analysis import Analyzer
from indexer.text.normalize import normalize

# Sentences analyzed per hit: analyzing a whole article per hit made result pages slow, and
# the few sentences richest in the query's words are where the best passages are.
ANALYZED_SENTENCES = 6
# A title shorter than this is not looked for in the text: a name alone is no repetition.
MIN_TITLE = 10


@dataclass(frozen=True)
class PhraseTarget:
    """A quoted phrase as passages see it: the indices of its concepts (``Target``s), in
    order, and its pattern over normalised text (``phrases.text_pattern``; None for a phrase
    without Hangul or Han, which its marks decide)."""

    concepts: tuple[int, ...]
    pattern: re.Pattern[str] | None = None


@dataclass
class _Candidate:
    index: int
    marks: list[Mark]
    concepts: frozenset[int]
    phrase: bool


def passages(
    text: str,
    targets: Sequence[Target],
    analyzer: Analyzer,
    count: int = 2,
    title: str = "",
    phrases: Sequence[PhraseTarget] = (),
) -> list[Passage]:
    """Up to ``count`` sentences of ``text`` showing the concepts, the best first; none that
    repeats ``title``."""
    sentences = spans(text)
    head = _Title(title)
    regions = _ranked(text, [r for r in sentences if not head.repeated(text, *r)], targets, phrases)
    marks = marks_in(text, targets, analyzer, regions)
    found = []
    for i, (s, e) in enumerate(sentences):
        inside = [m for m in marks if s <= m[0] and m[1] <= e]
        if inside:
            held = any(_holds(text, s, e, inside, p) for p in phrases)
            found.append(_Candidate(i, inside, frozenset(c for _, _, c in inside), held))
    chosen = _choose(text, found, targets, count)
    if not chosen:
        first = next((i for i, r in enumerate(sentences) if not head.repeated(text, *r)), None)
        chosen = [] if first is None else [_Candidate(first, [], frozenset(), False)]
    out = []
    for c in chosen:
        s, e = crop(text, *sentences[c.index], c.marks)
        kept_marks = [m for m in c.marks if s <= m[0] and m[1] <= e]
        out.append(
            Passage(s, e, text[s:e], mark(text, s, e, kept_marks), tuple(kept_marks), c.index + 1)
        )
    return out


def repeats_title(sentence: str, title: str) -> bool:
    """True if ``sentence`` says the title again: the title as it begins, or all of it in the
    title (spacing and case aside; a title cut with "…" as far as it goes)."""
    return _Title(title).repeated(sentence, 0, len(sentence))


class _Title:
    """A title, folded once, to compare sentences with."""

    def __init__(self, title: str) -> None:
        self.cut = title.rstrip().endswith("…")
        self.head = _plain(title.rstrip().removesuffix("…"))

    def repeated(self, text: str, start: int, end: int) -> bool:
        """True if ``text[start:end]`` repeats the title (``repeats_title``)."""
        head = self.head
        if len(head) < MIN_TITLE or end - start < MIN_TITLE:
            return False
        # Without spaces, a sentence four times the title's length is still more than twice
        # as long (Korean and English text is far less than half spaces): not the title again.
        if not self.cut and end - start > 4 * len(head):
            return False
        line = _plain(text[start:end])
        if len(line) < MIN_TITLE:
            return False
        if line.startswith(head):
            return self.cut or 2 * len(head) >= len(line)
        return head.startswith(line)


def _plain(text: str) -> str:
    return "".join(normalize(text).text.casefold().split())


def _ranked(
    text: str,
    sentences: list[tuple[int, int]],
    targets: Sequence[Target],
    phrases: Sequence[PhraseTarget],
) -> list[tuple[int, int]]:
    """The sentences worth analyzing: a quoted phrase's first, then the richest in hints."""
    hinted = hinted_regions(text, sentences, targets, limit=None)
    patterns = [p.pattern for p in phrases if p.pattern is not None]
    if patterns:
        hinted.sort(key=lambda r: not any(p.search(_folded(text, *r)) for p in patterns))
    return sorted(hinted[:ANALYZED_SENTENCES])


def _folded(text: str, start: int, end: int) -> str:
    return normalize(text[start:end]).text.lower()


def _holds(text: str, start: int, end: int, marks: list[Mark], phrase: PhraseTarget) -> bool:
    """True if the sentence has the phrase exactly: its pattern, or for a Latin phrase, its
    concepts marked one after another with nothing but spaces or punctuation between."""
    if phrase.pattern is not None:
        return bool(phrase.pattern.search(_folded(text, start, end)))
    want = phrase.concepts
    for n in range(len(marks) - len(want) + 1):
        run = marks[n : n + len(want)]
        if [c for _, _, c in run] == list(want) and all(
            not re.search(r"\w", text[a[1] : b[0]]) for a, b in itertools.pairwise(run)
        ):
            return True
    return False


def _choose(
    text: str, found: list[_Candidate], targets: Sequence[Target], count: int
) -> list[_Candidate]:
    """Pick ``count`` candidates one at a time: a phrase first, then the weight of the
    concepts not shown yet, then all their weight, then the most different words marked."""
    chosen: list[_Candidate] = []
    shown: set[int] = set()
    left = list(found)

    def key(c: _Candidate) -> tuple:
        weight = sum(targets[k].weight for k in c.concepts)
        new = sum(targets[k].weight for k in c.concepts - shown)
        distinct = len({text[a:b].lower() for a, b, _ in c.marks})
        phrase = c.phrase and not any(x.phrase for x in chosen)
        return (phrase, new, weight, distinct, -c.index)

    while left and len(chosen) < count:
        best = max(left, key=key)
        chosen.append(best)
        shown |= best.concepts
        left.remove(best)
    return chosen
