"""'Did you mean': corrections of unknown query words from the index's own vocabulary.

A Korean typo is one wrong key, not one wrong syllable: 정상회이 for 정상회의 (ㅣ for ㅢ),
서얄 for 서약 (ㄹ beside ㄱ). Hangul is compared as the keys typed on the standard two-set
keyboard (두벌식), a neighbouring key costing half; Latin words by their letters. Candidates
are the index's words close enough, ranked by that distance and then by how many articles
use them. Particles, endings and one-syllable words are never offered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from indexer.jamo import CHO, JONG, JUNG, decompose
from indexer.scripts import is_hangul

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


# (field, text, max syllable/letter edits) -> candidate words; word -> document frequency.
Within = Callable[[str, str, int], Iterable[str]]
Frequency = Callable[[str, str], int]


def correct(word: str, within: Within, frequency: Frequency) -> str | None:
    """The best correction of one unknown query word, or None.

    Hangul words are looked up among the body's terms (morphemes and whole noun phrases),
    Latin words among the bigram view's, which keeps English words unstemmed.
    """
    lower = word.lower()
    if is_hangul(word) and len(word) >= 2:
        found = _ranked(word, within("body", word, 1), frequency, "body", hangul=True)
        if found is None and len(word) >= 3:
            # A particle typed after the typo (정상회이를): correct the rest, keep the particle.
            stem = _ranked(word[:-1], within("body", word[:-1], 1), frequency, "body", True)
            found = stem + word[-1] if stem else None
        return found
    if _LATIN.match(lower):
        edits = 1 if len(lower) <= 4 else 2
        return _ranked(lower, within("body_grams", lower, edits), frequency, "body_grams", False)
    return None


def _ranked(
    word: str, candidates: Iterable[str], frequency: Frequency, field: str, hangul: bool
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
        key = (cost, -frequency(field, candidate), candidate)
        if best is None or key < best:
            best = key
    return best[2] if best else None
