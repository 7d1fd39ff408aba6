"""Quoted phrases found whatever the spacing: term positions first, then the text itself.

Korean spacing varies between outlets and within one article: 'AI 안전서약' and 'AI 안전
서약', '서울정상회의' and '서울 정상회의'. Two steps find a phrase in any Hangul text without a
list of special cases:

1. Positions, cheap, from the index. The analyzer gives a compound and its parts the same
   position (서울정상회의 at p, and 서울, 정상, 회의 at p too), so a candidate passes when
   each word of the phrase is found, as itself, as an alias spelling, or part by part, at the
   position where the previous one ended or the next one.
   (This module decides the rule, ``matches``; each backend reads the positions.)
2. The stored text, exact. Positions forget particles and the order of parts inside one word
   ('서울에서 정상들이 회의를' has 서울, 정상, 회의 one after another), so a phrase with Hangul
   or Han in it must also occur in the article's title or text as typed, with spacing and
   punctuation between the words ignored where one side is Hangul or Han. An English phrase
   keeps the first step alone, which matches inflected forms (lion, lions) as a search should.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.search.concepts import Node, Word
from indexer.text.normalize import normalize
from indexer.text.scripts import HANGUL_OR_HAN_RE

# Positions of each term in one document's field.
Positions = dict[str, frozenset[int]]


# Between two words, or two characters of a word: any spacing or punctuation where one side
# is Hangul or Han, at least one separator between two Latin words, nothing inside one.
_GAP = r"[\W_]*"
_SEPARATOR = r"[\W_]+"


def text_pattern(words: Sequence[Word]) -> re.Pattern[str] | None:
    """The phrase as a pattern over NFKC, lower-cased text; None for a phrase without Hangul
    or Han (positions decide those)."""
    if not any(HANGUL_OR_HAN_RE.search(w.text) for w in words):
        return None
    parts: list[str] = []
    previous = ""
    for word in words:
        forms = [normalize(f).text.lower() for f in (word.text, *word.aliases)]
        forms = [f for f in forms if f]
        if not forms:
            continue
        if previous:
            latin = not _cjk(previous) and not any(_cjk(f[0]) for f in forms)
            parts.append(_SEPARATOR if latin else _GAP)
        parts.append("(?:" + "|".join(_form(f) for f in forms) + ")")
        previous = forms[0][-1]
    # A Latin word at either end is a whole word: "AI 안전" is not in "OpenAI 안전".
    first = normalize(words[0].text).text.lower()[:1]
    head = "" if _cjk(first) else r"(?<![a-z0-9])"
    tail = "" if _cjk(previous) else r"(?![a-z0-9])"
    return re.compile(head + "".join(parts) + tail)


def _cjk(ch: str) -> bool:
    return bool(HANGUL_OR_HAN_RE.match(ch))


def _form(form: str) -> str:
    """One way of writing a word: its letters, spacing allowed around Hangul and Han."""
    out = []
    for a, b in zip(form, form[1:] + " ", strict=True):
        out.append(re.escape(a))
        if b != " " and (_cjk(a) or _cjk(b)):
            out.append(_GAP)
    return "".join(out)


def matches(words: Sequence[Word], positions: Positions) -> bool:
    """True if the words follow one another at the same or the next position."""
    ends: set[int] | None = None  # None: the first word may start anywhere
    for word in words:
        ends = _word_ends(word, positions, _next(ends))
        if not ends:
            return False
    return True


def _next(ends: set[int] | None) -> set[int] | None:
    if ends is None:
        return None
    return ends | {e + 1 for e in ends}


def _at(term: str, positions: Positions, starts: set[int] | None) -> set[int]:
    found = positions.get(term, frozenset())
    return set(found) if starts is None else set(found & starts)


def _chain(terms: Sequence[str], positions: Positions, starts: set[int] | None) -> set[int]:
    ends = starts
    for n, term in enumerate(terms):
        ends = _at(term, positions, ends if n == 0 else _next(ends))
        if not ends:
            return set()
    return ends or set()


def _word_ends(word: Word, positions: Positions, starts: set[int] | None) -> set[int]:
    ends: set[int] | None = starts
    for n, piece in enumerate(word.pieces):
        ends = _node_ends(piece, positions, ends if n == 0 else _next(ends))
        if not ends:
            break
    found = set(ends or ())
    for spelling in word.spellings:
        found |= _chain(spelling, positions, starts)
    return found


def _node_ends(node: Node, positions: Positions, starts: set[int] | None) -> set[int]:
    found = _at(node.text, positions, starts)
    for spelling in node.spellings:
        found |= _chain(spelling, positions, starts)
    if node.parts:
        ends: set[int] | None = starts
        for n, part in enumerate(node.parts):
            ends = _node_ends(part, positions, ends if n == 0 else _next(ends))
            if not ends:
                break
        found |= set(ends or ())
    return found
