"""Unicode normalisation that remembers where every character came from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Hangul conjoining jamo (medial vowels and final consonants) compose with the character
# before them, so they belong to the same normalisation cluster as that character.
_JAMO_VT = ((0x1160, 0x11FF), (0xD7B0, 0xD7FF))


# Characters that are their own NFKC form and never compose with the one before them: printable
# ASCII, Hangul syllables, CJK unified ideographs. A run of them maps to itself one to one.
_STABLE = re.compile("[\t\n\r\x20-\x7e\uac00-\ud7a3\u4e00-\u9fff]+")


def _joins_previous(ch: str) -> bool:
    if unicodedata.combining(ch):
        return True
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _JAMO_VT) or 0xFE00 <= cp <= 0xFE0F


@dataclass(frozen=True)
class Normalized:
    """NFKC text plus, for each of its characters, the span of the original it came from."""

    text: str
    starts: tuple[int, ...] | None  # None: text is the original, offsets are identical
    ends: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text back to the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def normalize(text: str) -> Normalized:
    """NFKC-normalise ``text`` cluster by cluster, keeping an offset map to the original."""
    if unicodedata.is_normalized("NFKC", text):
        return Normalized(text, None, None)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        run = _STABLE.match(text, i)
        if run is not None:
            end = run.end()
            if end < n and _joins_previous(text[end]):
                end -= 1  # its last character starts a cluster with what follows
            if end > i:
                out.append(text[i:end])
                starts.extend(range(i, end))
                ends.extend(range(i + 1, end + 1))
                i = end
                continue
        j = i + 1
        while j < n and _joins_previous(text[j]):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j])
        out.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    return Normalized("".join(out), tuple(starts), tuple(ends))
