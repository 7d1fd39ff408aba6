"""Compounds whatever the spacing: the joined terms of adjacent noun units, at index time.

Korean writes one compound joined or apart ('국제협력', '국제 협력'), and news writes a
compound inside a longer one ('서울정상회의' holds 정상회의). So that a query word is found
by one plain term however the article spaced it, the index also holds, beside each word's
stem and morphemes, the runs of adjacent noun units joined without their spaces:

- inside one word: 서울정상회의 also gives 서울정상 and 정상회의;
- across words that only spaces separate, when every word but the last is a bare noun (no
  particle, no ending): '국제 협력을' gives 국제협력; '국제의 협력', '국제, 협력' and a line
  break between them do not. A run across words starts where a word starts and spans at
  most ``MAX_WORDS`` words.

A run has at most ``MAX_UNITS`` units, unless it is whole words ('과학기술 정보통신부' gives
과학기술정보통신부).

A unit is a noun morpheme, or a part of a compound morpheme (한미정상회담: 한미, 정상, 회담).
A one-syllable suffix is never a unit of its own: it stays on the unit before it (연구소 is
one unit, so 연구 + 소 never make it), and a word of one syllable is never joined across a
space ('정부 안에서' is not 정부안). A join is at the position of its first word, like a
compound's parts, but no word of its own: it adds nothing to the field's length, and its term
is marked (``JOIN_MARK``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from indexer.text.korean import Morpheme

# Parts of speech a joinable stem may hold: common and proper nouns, and noun affixes, which
# stay on the unit beside them (국제적 is one unit, not 국제 + 적).
NOUNS = frozenset({"NNG", "NNP"})
_AFFIXES = frozenset({"XSN", "XPN"})
# Kinds of mecab analysis whose expression may spell a morpheme's parts out.
_SPELLED = ("Compound", "Preanalysis")
MAX_WORDS = 3
MAX_UNITS = 4
# A join's term is the joined text after this mark (as Lucene's ReversedWildcardFilter marks
# its reversed tokens): a term of its own, so a search counts it apart from the word as
# written (``ranking.Settings.join_weight``), and the words a prefix or a misspelling looks
# up in the index's vocabulary (completions, "did you mean") never include it.
JOIN_MARK = "\x01"

# (text, start, end) of one unit or one join, offsets into the analyzed text.
Span = tuple[str, int, int]
# (term, start, end, primary), as the analyzer's tokenizer gives them: primary is True for a
# word, False for a part of one, None for a join (no word of its own: it adds no length).
Term = tuple[str, int, int, bool | None]


@dataclass(frozen=True)
class Stem:
    """A Hangul word's stem as units, and whether it may be joined with its neighbours.

    ``bare``: nothing follows the stem, so the next word may join it. ``noun``: the stem is a
    noun of two syllables or more, so it may join across a space at all.
    """

    units: tuple[Span, ...]
    bare: bool
    noun: bool


def stem_of(morphemes: Sequence[tuple[Morpheme, int, int]], bare: bool) -> Stem | None:
    """The stem of a word from its located morphemes, particles and endings already removed
    (``bare``: there were none); None if it is not a noun stem."""
    if not morphemes:
        return None
    first, start, end = morphemes[0]
    if len(morphemes) == 1 and first.tag in NOUNS and first.kind not in _SPELLED:
        return Stem(((first.surface, start, end),), bare and end - start >= 2, end - start >= 2)
    tags = [m.tag for m, _, _ in morphemes]
    if not all(t in NOUNS or t in _AFFIXES for t in tags) or tags[0] == "XSN":
        return None
    units: list[list] = []  # [text, start, end]
    glue_next = False  # a prefix stays on the unit after it
    for (surface, tag, kind, expression), start, end in morphemes:
        if tag == "XSN":  # a suffix stays on the unit before it
            units[-1][0] += surface
            units[-1][2] = end
            continue
        for text, s, e in _leaves(surface, kind, expression, start):
            # A one-syllable unit after another is a suffix (소 of 연구소): it stays on it.
            if glue_next or (units and len(text) == 1):
                units[-1][0] += text
                units[-1][2] = e
            else:
                units.append([text, s, e])
            glue_next = tag == "XPN"
    if glue_next or not units:
        return None
    noun = morphemes[-1][2] - morphemes[0][1] >= 2  # two syllables or more
    return Stem(tuple((u[0], u[1], u[2]) for u in units), bare and noun and tags[-1] in NOUNS, noun)


def _leaves(surface: str, kind: str, expression: str, start: int) -> list[Span]:
    """A morpheme's parts when mecab gives a compound's expression that spells it out."""
    if kind in _SPELLED and expression not in ("", "*"):
        forms = [p.split("/", 1)[0] for p in expression.split("+")]
        if len(forms) > 1 and "".join(forms) == surface:
            out, at = [], start
            for form in forms:
                out.append((form, at, at + len(form)))
                at += len(form)
            return out
    return [(surface, start, start + len(surface))]


def joins(chain: Sequence[Stem]) -> list[list[Span]]:
    """For each stem of a chain (words only spaces apart, each but the last bare), the joins
    that start in it, in order; a chain of one stem gives the runs inside it."""
    flat: list[tuple[int, int]] = []  # (word, unit) of each unit in chain order
    for w, stem in enumerate(chain):
        flat.extend((w, u) for u in range(len(stem.units)))
    out: list[list[Span]] = [[] for _ in chain]
    for i, (wi, ui) in enumerate(flat):
        text, start, end = chain[wi].units[ui]
        # A unit with its suffix (공급망 of 공급 + 망) is a term of its own.
        out[wi].append((text, start, end))
        for j in range(i + 1, len(flat)):
            wj, uj = flat[j]
            if wj - wi >= MAX_WORDS:
                break
            if wj > wi and ui > 0:
                break  # a run across a space starts where a word starts
            unit = chain[wj].units[uj]
            text += unit[0]
            whole = uj == len(chain[wj].units) - 1 and wj > wi
            if j - i + 1 > MAX_UNITS and not whole:
                continue
            out[wi].append((text, start, unit[2]))
    return out


class Joiner:
    """Adds the joins to the terms of a text's words, given one word at a time in text order.

    A word that may join the next (a bare noun) is held until the next word says whether it
    does; its terms then come out, followed by the joins that start in it.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.chain: list[tuple[int, int, list[Term], Stem]] = []

    def word(
        self,
        start: int,
        end: int,
        terms: list[Term],
        kept: Sequence[tuple[Morpheme, int, int]],
        bare: bool,
    ) -> list[Term]:
        """The terms to emit now for the word at ``start``..``end`` (its own, or none yet):
        ``kept`` is its morphemes without the particles and endings after its stem, ``bare``
        says there were none."""
        if not self.chain and not bare and len(kept) == 1 and kept[0][0].kind not in _SPELLED:
            return terms  # one unit, a particle after it: nothing joins (the common case)
        return self._word(start, end, terms, stem_of(kept, bare))

    def _word(self, start: int, end: int, terms: list[Term], stem: Stem | None) -> list[Term]:
        out: list[Term] = []
        if self.chain:
            gap = self.text[self.chain[-1][1] : start]
            if stem is None or not stem.noun or not gap.isspace() or "\n" in gap:
                out = self.flush()
        if stem is None or (not self.chain and not stem.bare and len(stem.units) == 1):
            return out + terms  # nothing to join: the common case, kept cheap
        self.chain.append((start, end, terms, stem))
        if not stem.bare:  # a particle or an ending: the next word starts afresh
            out += self.flush()
        return out

    def flush(self) -> list[Term]:
        """The held words' terms, each followed by the joins that start in it."""
        if not self.chain:
            return []
        out: list[Term] = []
        found = joins([stem for _, _, _, stem in self.chain])
        for (_, _, terms, _), spans in zip(self.chain, found, strict=True):
            out += terms
            own = {(t, s, e) for t, s, e, _ in terms}
            out += [(JOIN_MARK + t, s, e, None) for t, s, e in spans if (t, s, e) not in own]
        self.chain = []
        return out
