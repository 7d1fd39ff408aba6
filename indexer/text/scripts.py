"""Character classes of the scripts the product reads: declared once, used everywhere."""

from __future__ import annotations

import re

# Precomposed Hangul syllables (가-힣): what mecab-ko analyzes and the bigram view splits.
HANGUL = "\uac00-\ud7a3"
# CJK unified ideographs (Extension A, the basic block) and the compatibility ideographs,
# which NFKC folds into the basic block: Chinese text and the Hanja of Korean headlines.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

HANGUL_RE = re.compile(f"[{HANGUL}]")
HAN_RE = re.compile(f"[{HAN}]")
HANGUL_OR_HAN_RE = re.compile(f"[{HANGUL}{HAN}]")


def is_hangul(text: str) -> bool:
    """True if every character of non-empty ``text`` is a Hangul syllable."""
    return bool(text) and all("\uac00" <= ch <= "\ud7a3" for ch in text)


def is_han(text: str) -> bool:
    """True if every character of non-empty ``text`` is a Han ideograph."""
    return bool(text) and all(HAN_RE.fullmatch(ch) for ch in text)
