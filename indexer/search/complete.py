"""Completions of a half-typed query from the index's own vocabulary.

The last word of what was typed is completed from the words the articles use, the most used
first: a Hangul prefix through its input-method states as well (``jamo.continuations``: 앤ㅌ
and 앤트 both reach 앤트로픽), a Latin one through its stem too. Korean words are indexed as
written (mecab's morphemes); English ones as stems, so an English completion is shown as the
most common word of that stem in an article that uses it. Each completion is offered with the
count of the query it would run, and one that finds nothing is not offered.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import islice

from indexer.search.vocabulary import Span, Vocabulary, prefix_span
from indexer.text.jamo import Continuation, continuations
from indexer.text.scripts import HAN, HANGUL, HANGUL_OR_HAN_RE

# The vocabulary read for completions: the body holds the title's words too.
FIELD = "body"
# Index terms looked at per completion, most used first: the work a prefix can cause, each
# term being checked (once per index version) in at most two stored articles.
MAX_TERMS = 32
# Completions whose query is run to count what it finds, per ``limit`` offered: those that
# find nothing are skipped, and the rest is not counted.
COUNTED_PER_OFFERED = 2
_LATIN_WORD = re.compile(r"[a-z][a-z0-9'\-]*")
# A Hangul or Han word, and one of its letters (a term must not follow one to start a word).
_WORD = re.compile(f"[{HANGUL}{HAN}]+")
_WORD_CHAR = re.compile(f"[{HANGUL}{HAN}]")
# Text -> its index terms; a word -> its morphemes as (surface, part-of-speech tag); a term
# -> the texts (title and body) of the first articles that have it.
Analyze = Callable[[str], list[str]]
Tags = Callable[[str], list[tuple[str, str]]]
Texts = Callable[[str], list[str]]
# A query -> how many articles it finds (the match set of the search it runs).
Count = Callable[[str], int]
# Tags of nouns, roots, numbers and foreign or Han words: what a completion may end on.
NOMINAL = ("NN", "NR", "XR", "SL", "SH", "SN")


@dataclass(frozen=True)
class Completion:
    """A completed query: the typed words before the last, then ``word``; ``articles`` is how
    many articles that query finds (its match set)."""

    text: str
    word: str
    articles: int


class Completer:
    """Completions, and the word each index term is shown as (found once per index version).

    An index term is not always a word to offer: 통하 is the stem of 통해, 통령 a piece of
    대통령, ``safeti`` the stem of "safety". A term is shown as the word an article writes for
    it; one never written as a word of its own (a noun at the start of a word) is not offered.
    """

    def __init__(self, analyze: Analyze, tags: Tags) -> None:
        self.analyze, self.tags = analyze, tags
        self._shown: dict[str, str | None] = {}
        self._generation: int | None = None

    def candidates(
        self, vocabulary: Vocabulary, texts: Texts, typed: str, generation: int
    ) -> Iterator[Completion]:
        """Completions of the last word of ``typed``, the most used words first.

        ``articles`` is the word's document frequency here; at most ``MAX_TERMS`` index
        terms are looked at, whatever was typed.
        """
        if not typed or typed[-1].isspace():
            return
        if generation != self._generation:
            self._shown, self._generation = {}, generation
        head, _, last = typed.rpartition(" ")
        last = last.strip().lower()
        context = f"{head} " if head.strip() else ""
        spans = self._spans(last)
        if not spans:
            return
        shown: set[str] = set()
        terms = vocabulary.most_used(FIELD, spans)
        for term, df in islice(terms, MAX_TERMS):
            word = self._word(texts, term, last)
            if word and len(word) >= 2 and word not in shown:
                shown.add(word)
                yield Completion(context + word, word, df)

    def _spans(self, last: str) -> list[Span]:
        """The index terms ``last`` may become: its input-method states, or its letters."""
        if HANGUL_OR_HAN_RE.search(last) or _is_jamo(last):
            return [_span(way) for way in continuations(last)]
        if len(last) < 2:
            return []
        spans = [prefix_span(last)]
        # An English word is indexed as its stem, which may not begin with what was typed;
        # only a whole Latin word has one (the stem of "\U0008b4a0\x05c" would be "c").
        stems = self.analyze(last) if _LATIN_WORD.fullmatch(last) else []
        if len(last) >= 3 and len(stems) == 1 and stems[0] != last:
            spans.append(prefix_span(stems[0]))
        return spans

    def _word(self, texts: Texts, term: str, typed: str) -> str | None:
        if term not in self._shown:
            self._shown[term] = self._find_word(texts, term)
        word = self._shown[term]
        return word if word and _prefix_of(typed, word) else None

    def _find_word(self, texts: Texts, term: str) -> str | None:
        """The word an article writes for ``term``, or None if it is never a word of its own."""
        for text in texts(term):
            if HANGUL_OR_HAN_RE.match(term):
                if self._starts_a_word(text, term):
                    return term
                continue
            forms = Counter(
                w for w in _LATIN_WORD.findall(text.lower()) if self.analyze(w) == [term]
            )
            if forms:
                return forms.most_common(1)[0][0]
        return None

    def _starts_a_word(self, text: str, term: str) -> bool:
        """True if ``term`` begins a word of ``text`` as nouns (정상회의, not 통하 of 통하여)."""
        at = text.find(term)
        while at >= 0:
            if not (at and _WORD_CHAR.match(text, at - 1)):
                word = _WORD.match(text, at)
                covered = ""
                for surface, tag in self.tags(word.group() if word else term):
                    if not tag.startswith(NOMINAL):
                        break
                    covered += surface
                    if covered == term:
                        return True
                    if len(covered) >= len(term):
                        break
            at = text.find(term, at + 1)
        return False


def complete(candidates: Iterator[Completion], count: Count, limit: int) -> list[Completion]:
    """Up to ``limit`` of ``candidates``, each with the count of the query it would run, the
    queries that find most first (ties as ``candidates`` came).

    A completion whose query finds nothing is not offered; at most ``COUNTED_PER_OFFERED``
    times ``limit`` queries are run.
    """
    out: list[Completion] = []
    for candidate in islice(candidates, COUNTED_PER_OFFERED * limit):
        found = count(candidate.text)
        if found:
            out.append(replace(candidate, articles=found))
            if len(out) >= limit:
                break
    return sorted(out, key=lambda c: -c.articles)


def _prefix_of(typed: str, word: str) -> bool:
    """True if ``word`` may be what ``typed`` (a word being typed) becomes."""
    if HANGUL_OR_HAN_RE.search(typed) or _is_jamo(typed):
        return any(way.matches(word) for way in continuations(typed))
    return word.startswith(typed[:2])


def _is_jamo(text: str) -> bool:
    return any("\u3131" <= ch <= "\u318e" or "\u1100" <= ch <= "\u1112" for ch in text)


def _span(way: Continuation) -> Span:
    """The terms a continuation stands for, as a span of the sorted vocabulary."""
    if not way.low:
        return prefix_span(way.fixed)
    return way.fixed + way.low, way.fixed + chr(ord(way.high) + 1)
