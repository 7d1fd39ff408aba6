"""Find where query terms occur in an article and cut escaped, highlighted passages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from whoosh.analysis import Analyzer

from indexer.normalize import normalize

# Sentence ends: Latin/CJK terminal punctuation followed by space, or a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?。！？…])\s+|\n+")
_HANGUL_OR_HAN = re.compile(r"[\uac00-\ud7a3\u3400-\u9fff]")
MAX_PASSAGE = 260
ANALYZED_SENTENCES = 6


@dataclass(frozen=True)
class Passage:
    """A span of the article body: exact text, offsets, and HTML with matches marked."""

    start: int
    end: int
    text: str
    html: str
    marks: tuple[tuple[int, int], ...]  # match spans, as offsets into the body


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an article, with a stable anchor and its matches marked."""

    anchor: str
    start: int
    end: int
    text: str
    html: str
    matches: int


def spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans (stripped of surrounding whitespace)."""
    out = []
    pos = 0
    for m in [*_SENTENCE_END.finditer(text), None]:
        end = m.start() if m else len(text)
        seg = text[pos:end]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            out.append((pos + lead, pos + len(seg.rstrip())))
        if m:
            pos = m.end()
    return out


def _hints(terms: set[str]) -> list[str]:
    # Cheap substring tests decide which sentences are worth analyzing: a Korean or Chinese
    # term appears as written; an English stem shares at least its first four letters.
    return sorted({t if _HANGUL_OR_HAN.search(t) else t[:4] for t in terms if t})


def find_matches(
    text: str, terms: set[str], analyzer: Analyzer, regions: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """Character spans in ``text`` whose analyzed term is one of ``terms``."""
    if not terms:
        return []
    whole = [(0, len(text))]
    candidates = _candidates(text, regions if regions is not None else whole, terms, limit=None)
    return _matches_in(text, terms, analyzer, sorted(candidates))


def _matches_in(
    text: str, terms: set[str], analyzer: Analyzer, regions: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Analyze each region; return the spans of query terms, longest of any overlap."""
    found: set[tuple[int, int]] = set()
    for start, end in regions:
        for t in analyzer(text[start:end], chars=True, mode="index"):
            if t.text in terms:
                found.add((start + t.startchar, start + t.endchar))
    # Keep the longest of overlapping spans (정상회의 over 정상 and 회의).
    out: list[tuple[int, int]] = []
    for s, e in sorted(found, key=lambda x: (x[0], -x[1])):
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
            continue
        out.append((s, e))
    return out


def mark(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> str:
    """Escape ``text[start:end]`` and wrap the given spans in ``<mark>``."""
    parts = []
    pos = start
    for s, e in marks:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        parts.append(escape(text[pos:s]))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    parts.append(escape(text[pos:end]))
    return "".join(parts)


def _crop(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> tuple[int, int]:
    """Narrow a long sentence to about MAX_PASSAGE chars around its matches, at spaces."""
    if end - start <= MAX_PASSAGE:
        return start, end
    first = marks[0][0] if marks else start
    lo = max(start, first - MAX_PASSAGE // 3)
    hi = min(end, lo + MAX_PASSAGE)
    if lo > start:
        space = text.find(" ", lo, first)
        lo = space + 1 if space >= 0 else lo
    if hi < end:
        space = text.rfind(" ", lo, hi)
        hi = space if space > lo else hi
    return lo, hi


def _candidates(
    text: str, regions: list[tuple[int, int]], terms: set[str], limit: int | None
) -> list[tuple[int, int]]:
    """Regions holding query-term hints, most hints first, found cheaply without analysis."""
    hints = _hints(terms)
    scored = []
    for i, (s, e) in enumerate(regions):
        folded = normalize(text[s:e]).text.lower()
        hits = sum(1 for h in hints if h in folded)
        if hits:
            scored.append((-hits, i))
    return [regions[i] for _, i in sorted(scored)[:limit]]


def passages(text: str, terms: set[str], analyzer: Analyzer, count: int = 2) -> list[Passage]:
    """The ``count`` sentences with the most distinct matches, in text order."""
    sentences = spans(text)
    if not sentences:
        return []
    # Analyzing a whole article per hit made result pages slow; the few sentences richest in
    # hints are analyzed, which is where the best passages are.
    regions = _candidates(text, sentences, terms, ANALYZED_SENTENCES)
    matches = _matches_in(text, terms, analyzer, regions)
    scored = []
    for i, (s, e) in enumerate(sentences):
        inside = [m for m in matches if s <= m[0] and m[1] <= e]
        if inside:
            distinct = len({text[a:b].lower() for a, b in inside})
            scored.append((-distinct, -len(inside), i, inside))
    chosen = sorted(sorted(scored)[:count], key=lambda x: x[2])
    if not chosen:
        chosen = [(0, 0, 0, [])]
    out = []
    for _, _, i, inside in chosen:
        s, e = _crop(text, *sentences[i], inside)
        kept = [m for m in inside if s <= m[0] and m[1] <= e]
        out.append(Passage(s, e, text[s:e], mark(text, s, e, kept), tuple(kept)))
    return out


def paragraphs(text: str, terms: set[str], analyzer: Analyzer) -> list[Paragraph]:
    """Every paragraph of ``text`` with anchors ``p1``, ``p2``… and all matches marked."""
    out = []
    pos = 0
    regions = []
    for line in text.split("\n"):
        if line.strip():
            regions.append((pos, pos + len(line)))
        pos += len(line) + 1
    matches = find_matches(text, terms, analyzer, regions)
    for n, (s, e) in enumerate(regions, 1):
        inside = [m for m in matches if s <= m[0] and m[1] <= e]
        out.append(Paragraph(f"p{n}", s, e, text[s:e], mark(text, s, e, inside), len(inside)))
    return out
