"""Hangul syllables as jamo, and what a half-typed Hangul word may go on to be.

A syllable is 가 (U+AC00) + (initial × 21 + medial) × 28 + final. While a word is typed the
input method shows states that are not its prefix: 앤ㅌ on the way to 앤트, 정사 on the way
to 정상, 회ㅇ... shown as 횡 before 회의. ``continuations`` turns such a state into the set of
words it may become: a fixed beginning and a range for the character after it.
"""

from __future__ import annotations

from dataclasses import dataclass

SYLLABLE_FIRST, SYLLABLE_COUNT = 0xAC00, 11172
CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
# The modern conjoining initials (U+1100..U+1112), in CHO's order: some input methods send these.
CONJOINING_CHO = {chr(0x1100 + i): CHO[i] for i in range(len(CHO))}
# A double final splits when a vowel follows: its second consonant starts the next syllable.
SPLIT_FINAL = {
    "ㄳ": ("ㄱ", "ㅅ"), "ㄵ": ("ㄴ", "ㅈ"), "ㄶ": ("ㄴ", "ㅎ"), "ㄺ": ("ㄹ", "ㄱ"),
    "ㄻ": ("ㄹ", "ㅁ"), "ㄼ": ("ㄹ", "ㅂ"), "ㄽ": ("ㄹ", "ㅅ"), "ㄾ": ("ㄹ", "ㅌ"),
    "ㄿ": ("ㄹ", "ㅍ"), "ㅀ": ("ㄹ", "ㅎ"), "ㅄ": ("ㅂ", "ㅅ"),
}  # fmt: skip


def decompose(ch: str) -> tuple[int, int, int] | None:
    """(initial, medial, final) indexes of a Hangul syllable, or None for anything else."""
    code = ord(ch) - SYLLABLE_FIRST
    if not 0 <= code < SYLLABLE_COUNT:
        return None
    cho, rest = divmod(code, 588)
    jung, jong = divmod(rest, 28)
    return cho, jung, jong


def compose(cho: int, jung: int, jong: int = 0) -> str:
    """The syllable of these jamo indexes."""
    return chr(SYLLABLE_FIRST + (cho * 21 + jung) * 28 + jong)


@dataclass(frozen=True)
class Continuation:
    """Words that start with ``fixed`` and then a character from ``low`` to ``high``."""

    fixed: str
    low: str = ""
    high: str = ""

    def matches(self, word: str) -> bool:
        """True if ``word`` is one of the words this stands for."""
        if not word.startswith(self.fixed):
            return False
        if not self.low:
            return True
        rest = word[len(self.fixed) :]
        return bool(rest) and self.low <= rest[0] <= self.high


def _initial_range(fixed: str, consonant: str) -> Continuation | None:
    """``fixed``, then a syllable that starts with ``consonant`` (None if none can)."""
    if consonant not in CHO:
        return None
    first = compose(CHO.index(consonant), 0)
    return Continuation(fixed, first, chr(ord(first) + 587))


def continuations(word: str) -> list[Continuation]:
    """What the half-typed ``word`` may become: its own prefix and the input method's detours."""
    if not word:
        return []
    head, last = word[:-1], CONJOINING_CHO.get(word[-1], word[-1])
    if last in CHO:  # 앤ㅌ: a consonant waiting for its vowel
        found = _initial_range(head, last)
        return [found] if found else []
    parts = decompose(last)
    if parts is None:
        return [Continuation(word)]
    cho, jung, jong = parts
    if jong == 0:  # 정사: the syllable may still take a final (정상)
        bare = compose(cho, jung)
        return [Continuation(head, bare, chr(ord(bare) + 27))]
    out = [Continuation(word)]
    final = JONG[jong]
    if final in SPLIT_FINAL:  # 앉 → 안 + ㅈ…
        keep, moves = SPLIT_FINAL[final]
        start = compose(cho, jung, JONG.index(keep))
    else:  # 횡 → 회 + ㅇ…
        moves, start = final, compose(cho, jung)
    moved = _initial_range(head + start, moves)
    if moved:
        out.append(moved)
    return out
