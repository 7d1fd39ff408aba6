"""Quoted phrases found whatever the spacing: term positions first, then the text itself.

Korean spacing varies between outlets and within one article: 'AI 안전서약' and 'AI 안전
서약', '서울정상회의' and '서울 정상회의'. Two steps find a phrase in any Hangul text without a
list of special cases:

1. Positions, cheap, from the index. The analyzer gives a compound and its parts the same
   position (서울정상회의 at p, and 서울, 정상, 회의 at p too), so a candidate passes when
   each word of the phrase is found, as itself, as an alias spelling, or part by part, at the
   position where the previous one ended or the next one.
2. The stored text, exact. Positions forget particles and the order of parts inside one word
   ('서울에서 정상들이 회의를' has 서울, 정상, 회의 one after another), so a phrase with Hangul
   or Han in it must also occur in the article's title or text as typed, with spacing and
   punctuation between the words ignored where one side is Hangul or Han. An English phrase
   keeps the first step alone, which matches inflected forms (lion, lions) as a search should.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader

from indexer.search.concepts import Node, Word
from indexer.text.normalize import normalize
from indexer.text.scripts import HANGUL_OR_HAN_RE

# Positions of each term in one document's field.
Positions = dict[str, frozenset[int]]


def phrase_mask(
    reader: IndexReader, words: Sequence[Word], fields: Sequence[str], candidates: np.ndarray
) -> np.ndarray:
    """For each candidate document (ascending), whether it has the phrase in any field."""
    found = np.zeros(len(candidates), bool)
    if not len(candidates):
        return found
    terms = sorted({t for w in words for t in w.terms()})
    for fieldname in fields:
        if fieldname not in reader.schema:
            continue
        if not reader.schema[fieldname].format.supports("positions"):
            continue
        todo = np.flatnonzero(~found)
        if not len(todo):
            break
        positions = _positions(reader, fieldname, terms, candidates[todo])
        for i, doc_positions in zip(todo, positions, strict=True):
            if _matches(words, doc_positions):
                found[i] = True
    pattern = text_pattern(words)
    if pattern is not None:
        for i in np.flatnonzero(found):
            stored = reader.stored_fields(int(candidates[i]))
            texts = (str(stored.get(f) or "") for f in fields if f in ("title", "body"))
            found[i] = any(pattern.search(normalize(t).text.lower()) for t in texts)
    return found


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


def _positions(
    reader: IndexReader, fieldname: str, terms: list[str], docs: np.ndarray
) -> list[Positions]:
    """Each document's positions of ``terms`` in ``fieldname``."""
    out: list[dict[str, frozenset[int]]] = [{} for _ in docs]
    field = reader.schema[fieldname]
    for term in terms:
        btext = field.to_bytes(term)
        if (fieldname, btext) not in reader:
            continue
        m = reader.postings(fieldname, btext)
        if isinstance(m, FilterMatcher):
            m = m.child
        for i, doc in enumerate(docs.tolist()):
            if not m.is_active():
                break
            if m.id() < doc:
                m.skip_to(doc)
                if not m.is_active():
                    break
            if m.id() == doc:
                out[i][term] = frozenset(m.value_as("positions"))
    return out


def _matches(words: Sequence[Word], positions: Positions) -> bool:
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
