"""'Did you mean': corrections of unknown query words from the index's own vocabulary.

A Korean typo is one wrong key, not one wrong syllable: 정상회이 for 정상회의 (ㅣ for ㅢ),
서얄 for 서약 (ㄹ beside ㄱ). Hangul is compared as the keys typed on the standard two-set
keyboard (두벌식), a neighbouring key costing half; Latin words by their letters. Candidates
are the index's words close enough, ranked by that distance and then by how many articles
use them. Particles, endings and one-syllable words are never offered.

A word no article writes is sometimes still read as something: mecab makes 서얄 the stem 서
and an ending, 북핟 the noun 북 and a letter it drops. Matched by that syllable alone, such a
word finds every 증명서 and 성명서; ``respell`` searches it as typed instead (it then finds
nothing), says so, and the correction is offered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from indexer.search.concepts import Node, Word
from indexer.search.notices import Notice
from indexer.search.query import Plan
from indexer.search.vocabulary import Vocabulary
from indexer.text.jamo import CHO, JONG, JUNG, decompose
from indexer.text.scripts import is_hangul

# Two-set layout: key rows as (row, column) positions of each jamo.
_ROWS = ("ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ")
_SHIFTED = {"ㅃ": "ㅂ", "ㅉ": "ㅈ", "ㄸ": "ㄷ", "ㄲ": "ㄱ", "ㅆ": "ㅅ", "ㅒ": "ㅐ", "ㅖ": "ㅔ"}
_KEY_AT = {ch: (r, c + 0.5 * r) for r, row in enumerate(_ROWS) for c, ch in enumerate(row)}
# Jamo typed as two keys.
_KEYS = {
    "ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ",
    "ㅢ": "ㅡㅣ", "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ",
    "ㄼ": "ㄹㅂ", "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ",
}  # fmt: skip
_LATIN = re.compile(r"^[a-z]{3,}$")
# Largest distance offered: a wrong key and a half in Hangul, one letter in a short Latin word
# and two in a longer one.
MAX_KEY_DISTANCE = 1.5


def keys(word: str) -> str:
    """The keys typed for ``word`` on the two-set keyboard (other characters as they are)."""
    out = []
    for ch in word:
        parts = decompose(ch)
        if parts is None:
            out.append(ch)
            continue
        cho, jung, jong = parts
        for jamo in (CHO[cho], JUNG[jung], JONG[jong].strip()):
            out.append(_KEYS.get(jamo, jamo))
    return "".join(out)


def _substitution(a: str, b: str) -> float:
    """Cost of typing ``b`` for ``a``: half for a neighbouring key (or the same key shifted)."""
    a, b = _SHIFTED.get(a, a), _SHIFTED.get(b, b)
    if a == b:
        return 0.5
    pa, pb = _KEY_AT.get(a), _KEY_AT.get(b)
    if pa and pb and abs(pa[0] - pb[0]) <= 1 and abs(pa[1] - pb[1]) <= 1:
        return 0.5
    return 1.0


def distance(a: str, b: str) -> float:
    """Edit distance between two key sequences, neighbouring keys costing half."""
    prev = [float(j) for j in range(len(b) + 1)]
    for i, ca in enumerate(a, 1):
        cur = [float(i)] + [0.0] * len(b)
        for j, cb in enumerate(b, 1):
            sub = prev[j - 1] + (0.0 if ca == cb else _substitution(ca, cb))
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, sub)
        prev = cur
    return prev[-1]


# Words of one query corrected at most.
MAX_CORRECTIONS = 4
# The bigram views: a word no article writes has a pair of letters in neither.
GRAM_FIELDS = ("body_grams", "title_grams")


def suggestion(
    text: str,
    plan: Plan,
    counts: list[int],
    vocabulary: Vocabulary,
    finds_more: Callable[[str], bool],
) -> str | None:
    """``text`` with its words no article has corrected, if that query ``finds_more``.

    ``counts`` gives how many articles have each of the plan's concepts; a word with none,
    or one ``misread``, is corrected.
    """
    corrected, changed = text, 0
    for concept, count in zip(plan.concepts, counts, strict=True):
        if len(concept.words) != 1 or changed >= MAX_CORRECTIONS:
            continue
        word = concept.words[0]
        if count and not misread(word, vocabulary):
            continue
        fix = correct(word.text, vocabulary)
        if fix and word.text in corrected:
            corrected = corrected.replace(word.text, fix, 1)
            changed += 1
    return corrected if changed and finds_more(corrected) else None


def correct(word: str, vocabulary: Vocabulary) -> str | None:
    """The best correction of one unknown query word, or None.

    Hangul words are looked up among the body's terms (morphemes and whole noun phrases),
    Latin words among the bigram view's, which keeps English words unstemmed. Candidates keep
    the word's first letter: typos there are rare, and it bounds the search.
    """
    lower = word.lower()
    if is_hangul(word) and len(word) >= 2:
        found = _ranked(word, vocabulary.near("body", word, 1), vocabulary, "body", hangul=True)
        if found is None and len(word) >= 3:
            # A particle typed after the typo (정상회이를): correct the rest, keep the particle.
            near = vocabulary.near("body", word[:-1], 1)
            stem = _ranked(word[:-1], near, vocabulary, "body", True)
            found = stem + word[-1] if stem else None
        return found
    if _LATIN.match(lower):
        edits = 1 if len(lower) <= 4 else 2
        near = vocabulary.near("body_grams", lower, edits)
        return _ranked(lower, near, vocabulary, "body_grams", False)
    return None


def unwritten(text: str, vocabulary: Vocabulary) -> bool:
    """True if no article writes ``text`` (Hangul): some pair of its letters is in none."""
    pairs = (text[i : i + 2] for i in range(len(text) - 1))
    return any(all(vocabulary.frequency(f, p) == 0 for f in GRAM_FIELDS) for p in pairs)


def misread(word: Word, vocabulary: Vocabulary) -> bool:
    """True for a Hangul word no article has written that the analyzer still found something
    in (서얄 reads as 서 + an ending): a correction is worth looking for."""
    text = word.text
    if not (is_hangul(text) and len(text) >= 2) or vocabulary.frequency("body", text):
        return False
    return unwritten(text, vocabulary)


def one_syllable(word: Word, vocabulary: Vocabulary) -> str | None:
    """The syllable the analyzer reduced a word no article writes to (서얄 -> 서), or None.

    Only a Hangul word of two syllables or more read as one one-syllable term, with no
    other spelling, qualifies: 북은 (북 + a particle) is written, so it stays 북. And only a
    word the index's vocabulary can correct: a question's verb that the articles never write
    in that form (있나, 받았나) is a word, read by its stem as it should be, not a typo.
    """
    if len(word.pieces) != 1 or word.spellings:
        return None
    piece = word.pieces[0]
    if len(piece.text) != 1 or piece.parts or piece.spellings:
        return None
    if not misread(word, vocabulary) or correct(word.text, vocabulary) is None:
        return None
    return piece.text


def respell(plan: Plan, vocabulary: Vocabulary) -> tuple[Plan, list[Notice]]:
    """``plan`` with every word that ``one_syllable`` finds searched as typed, and notices.

    The word as typed is a term no article has, so its concept matches nothing rather than
    every article with that syllable.
    """
    notices: list[Notice] = []
    concepts = []
    for concept in plan.concepts:
        words = []
        for word in concept.words:
            syllable = one_syllable(word, vocabulary)
            if syllable is not None:
                word = replace(word, pieces=(Node(word.text),))
                notices.append(Notice.of("unwritten_word", word=word.text, syllable=syllable))
            words.append(word)
        concepts.append(replace(concept, words=tuple(words)))
    if not notices:
        return plan, []
    return replace(plan, concepts=concepts), list(dict.fromkeys(notices))


def _ranked(
    word: str, candidates: Iterable[str], vocabulary: Vocabulary, field: str, hangul: bool
) -> str | None:
    best: tuple[float, int, str] | None = None
    for candidate in candidates:
        if candidate == word:
            continue
        if hangul and not (is_hangul(candidate) and len(candidate) >= 2):
            continue
        if not hangul and not _LATIN.match(candidate):
            continue
        cost = distance(keys(word), keys(candidate)) if hangul else distance(word, candidate)
        if cost > (MAX_KEY_DISTANCE if hangul else (1 if len(word) <= 4 else 2)):
            continue
        key = (cost, -vocabulary.frequency(field, candidate), candidate)
        if best is None or key < best:
            best = key
    return best[2] if best else None
