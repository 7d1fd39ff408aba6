"""The words of a query as concepts: each word with its analyzed parts and other spellings.

A concept is what an article must contain to count as having one word of the query: the word
itself (its stem, one term), or one of its alias spellings. A compound the analyzer splits,
such as 안전연구소 into 안전 + 연구소, is found written joined or apart because the index joins
adjacent nouns (``joins``: '안전 연구소' also gives the term 안전연구소); its parts anywhere
else in the article are not the word, and only add to the score. These are plain data;
``engine`` evaluates them against the index and ``snippets`` against a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from indexer.text.scripts import is_hangul

# (term, start, end, primary) of one query word, from the analysis of the whole query.
Token = tuple[str, int, int, bool]


@dataclass(frozen=True)
class Node:
    """A term of a query word; ``parts`` are what the analyzer split it into.

    ``spellings`` are other ways of writing the same thing (alias spellings), each a sequence
    of terms that must all be present.
    """

    text: str
    parts: tuple[Node, ...] = ()
    spellings: tuple[tuple[str, ...], ...] = ()

    def descendants(self) -> list[Node]:
        """Every part, part of a part, ... in text order."""
        out: list[Node] = []
        for p in self.parts:
            out.append(p)
            out.extend(p.descendants())
        return out


@dataclass(frozen=True)
class Word:
    """One whitespace-separated word of the query: its primary terms in order, with parts.

    A mixed-script word has several pieces (오픈AI: 오픈, ai). ``spellings`` are alias
    spellings of the whole word when it has several pieces; a one-piece word keeps them on
    its piece.
    """

    text: str
    pieces: tuple[Node, ...]
    spellings: tuple[tuple[str, ...], ...] = ()
    # The whole word's alias spellings as written (for finding a phrase in the text).
    aliases: tuple[str, ...] = ()

    def nodes(self) -> list[Node]:
        """Every node of the word: each piece, then its descendants."""
        out: list[Node] = []
        for piece in self.pieces:
            out.append(piece)
            out.extend(piece.descendants())
        return out

    def terms(self) -> list[str]:
        """All terms that can stand for the word or a part of it, without repeats."""
        found: list[str] = []
        for node in self.nodes():
            found.append(node.text)
            found.extend(t for s in node.spellings for t in s)
        found.extend(t for s in self.spellings for t in s)
        return list(dict.fromkeys(found))

    def primary_terms(self) -> list[str]:
        """The word's own terms and its alias spellings' terms, without parts."""
        found = [p.text for p in self.pieces]
        found.extend(t for p in self.pieces for s in p.spellings for t in s)
        found.extend(t for s in self.spellings for t in s)
        return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Concept:
    """A query word an article should contain, in ``fields``.

    ``words`` holds one word, or the alternatives of an explicit ``a OR b``.
    """

    words: tuple[Word, ...]
    fields: tuple[str, ...]
    sign: str = ""
    # True for a word inside a quoted phrase: its concept is also one of the phrase's.
    in_phrase: bool = False

    @property
    def label(self) -> str:
        """The concept as typed."""
        return " OR ".join(w.text for w in self.words)

    def terms(self) -> list[str]:
        """Every term of every word, without repeats."""
        return list(dict.fromkeys(t for w in self.words for t in w.terms()))


@dataclass(frozen=True)
class Phrase:
    """A quoted phrase: its words in order, and the indices of their concepts."""

    text: str
    words: tuple[Word, ...]
    fields: tuple[str, ...]
    sign: str = ""
    concepts: tuple[int, ...] = field(default=())


def has_node(node: Node, terms: set[str] | frozenset[str]) -> bool:
    """True if ``terms`` hold the node's term or a spelling of it (its parts do not count)."""
    return node.text in terms or any(all(t in terms for t in s) for s in node.spellings)


def has_word(word: Word, terms: set[str] | frozenset[str]) -> bool:
    """True if ``terms`` hold every piece of the word, or one of its whole-word spellings."""
    if all(has_node(p, terms) for p in word.pieces):
        return True
    return any(all(t in terms for t in s) for s in word.spellings)


def build_word(text: str, tokens: Sequence[Token], offset: int = 0) -> Word | None:
    """The word ``text`` (at ``offset`` in the query) from its tokens, parts placed under the
    term whose span holds them."""
    pieces: list[_Building] = []
    for term, start, end, primary in tokens:
        if primary or not pieces:
            pieces.append(_Building(term, start, end))
        else:
            pieces[-1].place(term, start, end)
    if not pieces:
        return None
    frozen = [p.freeze() for p in pieces]
    # A short query gives the analyzer little context: 한미 alone reads as 한 (one) + 미. The
    # word as typed, up to where its last term ends, is then the word itself too.
    typed = text[: max(e for _, _, e, _ in tokens) - offset]
    if len(frozen) == 1 and is_hangul(typed) and len(typed) >= 2 and typed != frozen[0].text:
        frozen[0] = replace(frozen[0], spellings=((typed,),))
    return Word(text, tuple(frozen))


@dataclass
class _Building:
    text: str
    start: int
    end: int
    parts: list[_Building] = field(default_factory=list)

    def place(self, text: str, start: int, end: int) -> None:
        if (text, start, end) == (self.text, self.start, self.end) or text == self.text:
            return
        for part in self.parts:
            if part.start <= start and end <= part.end and (part.start, part.end) != (start, end):
                part.place(text, start, end)
                return
        if any(p.text == text for p in self.parts):
            return
        self.parts.append(_Building(text, start, end))

    def freeze(self) -> Node:
        return Node(self.text, tuple(p.freeze() for p in self.parts))
