"""Completions of a half-typed query from the index's own vocabulary.

The last word of what was typed is completed from the words the articles use, the most used
first: a Hangul prefix through its input-method states as well (``jamo.continuations``: 앤ㅌ
and 앤트 both reach 앤트로픽), a Latin one through its stem too. Korean words are indexed as
written (mecab's morphemes); English ones as stems, so an English completion is shown as the
most common word of that stem in an article that uses it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from whoosh.searching import Searcher

from indexer.jamo import Continuation, continuations
from indexer.scripts import HAN, HANGUL, HANGUL_OR_HAN_RE

# The vocabulary read for completions: the body holds the title's words too.
FIELD = "body"
# Terms looked at per continuation: bounds the work of a one-syllable prefix in a large index.
SCAN_LIMIT = 20000
_LATIN_WORD = re.compile(r"[a-z][a-z0-9'\-]*")
# Text -> its index terms; a word -> its morphemes as (surface, part-of-speech tag).
Analyze = Callable[[str], list[str]]
Tags = Callable[[str], list[tuple[str, str]]]
# Tags of nouns, roots, numbers and foreign or Han words: what a completion may end on.
NOMINAL = ("NN", "NR", "XR", "SL", "SH", "SN")


@dataclass(frozen=True)
class Completion:
    """A completed query: the typed words before the last, then ``word``; ``articles`` use it."""

    text: str
    word: str
    articles: int


class Vocabulary:
    """Completions, and the word each index term is shown as (found once per index version).

    An index term is not always a word to offer: 통하 is the stem of 통해, 통령 a piece of
    대통령, ``safeti`` the stem of "safety". A term is shown as the word an article writes for
    it; one never written as a word of its own (a noun at the start of a word) is not offered.
    """

    def __init__(self, analyze: Analyze, tags: Tags) -> None:
        self.analyze, self.tags = analyze, tags
        self._shown: dict[str, str | None] = {}
        self._generation: int | None = None

    def complete(self, s: Searcher, typed: str, limit: int = 8) -> list[Completion]:
        """Up to ``limit`` completions of the last word of ``typed``, most used first."""
        if not typed or typed[-1].isspace():
            return []
        generation = s.reader().generation()
        if generation != self._generation:
            self._shown, self._generation = {}, generation
        head, _, last = typed.rpartition(" ")
        last = last.strip().lower()
        context = f"{head} " if head.strip() else ""
        if HANGUL_OR_HAN_RE.search(last) or _is_jamo(last):
            ways = continuations(last)
        elif len(last) >= 2:
            ways = [Continuation(last)]
            stems = self.analyze(last)
            if len(last) >= 3 and len(stems) == 1 and stems[0] != last:
                ways.append(Continuation(stems[0]))
        else:
            return []
        found = _terms(s, ways)
        out: list[Completion] = []
        # Most used first; a term is looked up (one stored article) only when it may be shown.
        for term in sorted(found, key=lambda t: (-found[t], len(t), t)):
            word = self._word(s, term, last)
            if word and len(word) >= 2 and all(c.word != word for c in out):
                out.append(Completion(context + word, word, found[term]))
                if len(out) >= limit:
                    break
        return out

    def _word(self, s: Searcher, term: str, typed: str) -> str | None:
        if term not in self._shown:
            self._shown[term] = self._find_word(s, term)
        word = self._shown[term]
        return word if word and _prefix_of(typed, word) else None

    def _find_word(self, s: Searcher, term: str) -> str | None:
        """The word an article writes for ``term``, or None if it is never a word of its own."""
        for docnum in _first_docs(s, term, 2):
            stored = s.stored_fields(docnum)
            text = f"{stored.get('title', '')}\n{stored.get('body', '')}"
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
        for m in re.finditer(rf"(?<![{HANGUL}{HAN}]){re.escape(term)}", text):
            word = re.match(rf"[{HANGUL}{HAN}]+", text[m.start() :])
            covered = ""
            for surface, tag in self.tags(word.group() if word else term):
                if not tag.startswith(NOMINAL):
                    break
                covered += surface
                if covered == term:
                    return True
                if len(covered) >= len(term):
                    break
        return False


def _prefix_of(typed: str, word: str) -> bool:
    """True if ``word`` may be what ``typed`` (a word being typed) becomes."""
    if HANGUL_OR_HAN_RE.search(typed) or _is_jamo(typed):
        return any(way.matches(word) for way in continuations(typed))
    return word.startswith(typed[:2])


def _is_jamo(text: str) -> bool:
    return any("\u3131" <= ch <= "\u318e" or "\u1100" <= ch <= "\u1112" for ch in text)


def _terms(s: Searcher, ways: list[Continuation]) -> dict[str, int]:
    """Every index term some continuation stands for, with its document frequency."""
    found: dict[str, int] = {}
    for way in ways:
        for term in _scan(s, way):
            found.setdefault(term, s.doc_frequency(FIELD, term))
    return found


def _scan(s: Searcher, way: Continuation) -> Iterator[str]:
    """The terms of ``way`` in lexicon order, at most SCAN_LIMIT of them."""
    start = way.fixed + way.low
    if not start:
        return
    terms = s.reader().terms_from(FIELD, start.encode("utf-8"))
    for n, (fieldname, btext) in enumerate(terms):
        term = btext.decode("utf-8")
        if n >= SCAN_LIMIT or fieldname != FIELD or not term.startswith(way.fixed):
            return
        if way.low and term[len(way.fixed) : len(way.fixed) + 1] > way.high:
            return
        if way.matches(term):
            yield term


def _first_docs(s: Searcher, term: str, n: int) -> list[int]:
    """The first ``n`` live documents that have ``term``."""
    docs = []
    for leaf, offset in s.leaf_searchers():
        reader = leaf.reader()
        if (FIELD, term.encode("utf-8")) not in reader:
            continue
        for doc in reader.postings(FIELD, term).all_ids():
            docs.append(offset + doc)
            if len(docs) >= n:
                return docs
    return docs
