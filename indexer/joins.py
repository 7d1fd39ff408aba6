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
compound's parts, but no word of its own: it adds nothing to the field's length, and
``JOIN_WEIGHT`` to its term's frequency.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from indexer.korean import Morpheme

# Parts of speech a joinable stem may hold: common and proper nouns, and noun affixes, which
# stay on the unit beside them (국제적 is one unit, not 국제 + 적).
NOUNS = frozenset({"NNG", "NNP"})
_AFFIXES = frozenset({"XSN", "XPN"})
MAX_WORDS = 3
MAX_UNITS = 4
# What one join adds to its term's frequency, where a word as written adds 1: an article that
# writes the compound as the query does ranks above one that only has it apart or inside a
# longer word, other things equal (1, 0.5 and 0.25 measured with the quality benchmark).
JOIN_WEIGHT = 0.25

# (text, start, end) of one unit or one join, offsets into the analyzed text.
Span = tuple[str, int, int]
# (term, start, end, primary), as the analyzer's tokenizer gives them: primary is True for a
# word, False for a part of one, None for a join (no word of its own: it adds no length).
Term = tuple[str, int, int, bool | None]


@dataclass
class Run:
    """One script run of the analyzed text: its span, its terms, and its noun stem if any."""

    start: int
    end: int
    terms: list[Term]
    stem: Stem | None = None


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
    if kind in ("Compound", "Preanalysis") and expression not in ("", "*"):
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


def with_joins(text: str, runs: Iterable[Run]) -> Iterator[Term]:
    """The runs' terms in text order, each word followed by the joins that start in it."""
    chain: list[Run] = []
    end = 0
    for run in runs:
        gap = text[end : run.start]
        stem = run.stem
        if chain and not (stem is not None and stem.noun and gap.isspace() and "\n" not in gap):
            yield from _flush(chain)
            chain = []
        if stem is None:
            yield from run.terms
        else:
            chain.append(run)
            if not stem.bare:  # a particle or an ending: the next word starts afresh
                yield from _flush(chain)
                chain = []
        end = run.end
    yield from _flush(chain)


def _flush(chain: list[Run]) -> Iterator[Term]:
    if not chain:
        return
    found = joins([run.stem for run in chain])  # type: ignore[misc]
    for run, spans in zip(chain, found, strict=True):
        yield from run.terms
        own = {(t, s, e) for t, s, e, _ in run.terms}
        yield from ((t, s, e, None) for t, s, e in spans if (t, s, e) not in own)
