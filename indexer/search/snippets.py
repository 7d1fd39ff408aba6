"""Find where a query's concepts occur in an article; mark them in escaped HTML.

A concept counts in a sentence as it counts in an article (``concepts.has_word``): the word,
joined or apart, or an alias spelling; its parts alone are neither counted nor marked. Which
sentences a hit shows is ``passages``' business; the article view marks every paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from indexer.search.concepts import Word, has_word
from indexer.text.analysis import Analyzer
from indexer.text.joins import JOIN_MARK
from indexer.text.normalize import normalize
from indexer.text.scripts import HANGUL_OR_HAN_RE

# Sentence ends: Latin/CJK terminal punctuation followed by space, or a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?。！？…])\s+|\n+")
MAX_PASSAGE = 260

# A marked span: start, end (offsets into the text) and the index of its concept.
Mark = tuple[int, int, int]


@dataclass(frozen=True)
class Target:
    """One concept as highlighting sees it: its words (alternatives) and its weight (idf)."""

    words: tuple[Word, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Passage:
    """A span of the article body: exact text, offsets, and HTML with matches marked."""

    start: int
    end: int
    text: str
    html: str
    marks: tuple[Mark, ...]  # offsets into the body
    # The number of the sentence it is (or is cut from): its anchor ``s<n>`` in the article.
    sentence: int = 1


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article: its number (``s<n>`` anchors it) and its span."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an article, with a stable anchor and its matches marked.

    Its HTML wraps each sentence in ``<span class="s" id="s<n>">``; ``quotable`` is False for
    a line that is not a sentence (a subhead, a caption), which gets no quote tools.
    """

    anchor: str
    start: int
    end: int
    text: str
    html: str
    marks: tuple[Mark, ...]
    sentences: tuple[Sentence, ...] = ()
    quotable: bool = True

    @property
    def matches(self) -> int:
        """How many spans are marked."""
        return len(self.marks)


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


def _hints(target: Target) -> list[str]:
    # Cheap substring tests decide which sentences are worth analyzing: a Korean or Chinese
    # word or spelling appears as written, spaces aside (국제협력 in '국제 협력을'); an English
    # stem shares at least its first four letters. Parts alone never make a match.
    terms = {t for w in target.words for t in w.primary_terms() if t}
    return sorted({t if HANGUL_OR_HAN_RE.search(t) else t[:4] for t in terms})


def find_matches(
    text: str,
    targets: Sequence[Target],
    analyzer: Analyzer,
    regions: list[tuple[int, int]] | None = None,
) -> list[Mark]:
    """Marks of the concepts each region of ``text`` (default: all of it) holds."""
    if not targets:
        return []
    regions = regions if regions is not None else [(0, len(text))]
    hinted = hinted_regions(text, regions, targets, limit=None)
    return marks_in(text, targets, analyzer, sorted(hinted))


def marks_in(
    text: str, targets: Sequence[Target], analyzer: Analyzer, regions: list[tuple[int, int]]
) -> list[Mark]:
    """Analyze each region; mark the terms of the concepts it holds, longest of any overlap."""
    found: set[Mark] = set()
    for start, end in regions:
        # A join (국제협력 of '국제 협력') is the word it spells, here as in the index.
        tokens = [
            (t.text.removeprefix(JOIN_MARK), t.startchar, t.endchar)
            for t in analyzer(text[start:end], chars=True, mode="index")
        ]
        present = {term for term, _, _ in tokens}
        for c, target in enumerate(targets):
            for word in target.words:
                if has_word(word, present):
                    spans = _word_spans(word, tokens, text[start:end])
                    found.update((start + s, start + e, c) for s, e in spans)
    out: list[Mark] = []
    for s, e, c in sorted(found, key=lambda x: (x[0], -x[1], x[2])):
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e, out[-1][2])
            continue
        if out and s == out[-1][1] and c == out[-1][2]:
            out[-1] = (out[-1][0], e, c)  # 오픈 + AI: one mark, not two touching
            continue
        out.append((s, e, c))
    return out


def _word_spans(word: Word, tokens: list[tuple[str, int, int]], text: str) -> list[tuple[int, int]]:
    """Spans to mark for a word the region holds: the word, else its parts.

    A word of several pieces (오픈AI, GPT-4o) is marked only where its pieces stand together,
    so the AI of 'LG AI 연구원' is not marked for 오픈AI.
    """
    spellings = {t for s in word.spellings for t in s}
    spellings |= {t for p in word.pieces for s in p.spellings for t in s}
    pieces = [p.text for p in word.pieces]
    out = [(s, e) for term, s, e in tokens if term in spellings]
    if len(pieces) == 1:
        out.extend((s, e) for term, s, e in tokens if term == pieces[0])
    else:
        ordered = [(term, s, e) for term, s, e in tokens if term in pieces]
        for i in range(len(ordered) - len(pieces) + 1):
            run = ordered[i : i + len(pieces)]
            if all(
                run[k][0] == pieces[k] and (k == 0 or _touching(text, run[k - 1][2], run[k][1]))
                for k in range(len(pieces))
            ):
                out.extend((s, e) for _, s, e in run)
        if not out:  # the pieces are all there, but apart: mark each
            out = [(s, e) for _, s, e in ordered]
    return out


def _touching(text: str, end: int, start: int) -> bool:
    """True if two spans are joined, or separated by one hyphen or point (GPT-4o)."""
    return 0 <= start - end <= 1 and not text[end:start].isspace()


def mark(text: str, start: int, end: int, marks: Sequence[Mark]) -> str:
    """Escape ``text[start:end]`` and wrap the marked spans in ``<mark data-c=concept>``."""
    parts = []
    pos = start
    for s, e, c in marks:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        parts.append(escape(text[pos:s]))
        parts.append(f'<mark data-c="{c}">{escape(text[s:e])}</mark>')
        pos = e
    parts.append(escape(text[pos:end]))
    return "".join(parts)


def crop(text: str, start: int, end: int, marks: list[Mark]) -> tuple[int, int]:
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


def hinted_regions(
    text: str, regions: list[tuple[int, int]], targets: Sequence[Target], limit: int | None
) -> list[tuple[int, int]]:
    """Regions holding hints of the concepts, richest first by weight, found without analysis."""
    hints = [(_hints(t), t.weight) for t in targets]
    scored = []
    for i, (s, e) in enumerate(regions):
        folded = normalize(text[s:e]).text.lower()
        squeezed = "".join(folded.split())
        weight = sum(w for found, w in hints if any(h in folded or h in squeezed for h in found))
        if weight:
            scored.append((-weight, i))
    return [regions[i] for _, i in sorted(scored)[:limit]]


def paragraphs(text: str, targets: Sequence[Target], analyzer: Analyzer) -> list[Paragraph]:
    """Every paragraph of ``text`` with anchors ``p1``, ``p2``… and all matches marked.

    A concept counts paragraph by paragraph, so a part (정상 of 정상회의) is marked only
    where the paragraph holds the concept. Sentences are numbered over the whole text, as
    ``passages`` numbers them, so a passage's link finds its sentence here.
    """
    out = []
    pos = 0
    regions = []
    for line in text.split("\n"):
        if line.strip():
            regions.append((pos, pos + len(line)))
        pos += len(line) + 1
    marks = find_matches(text, targets, analyzer, regions)
    sentences = [Sentence(n, s, e) for n, (s, e) in enumerate(spans(text), 1)]
    for n, (s, e) in enumerate(regions, 1):
        inside = [m for m in marks if s <= m[0] and m[1] <= e]
        own = tuple(x for x in sentences if s <= x.start and x.end <= e)
        html = _sentence_html(text, s, e, own, inside)
        line = text[s:e].strip()
        quotable = quotable_line(line)
        out.append(Paragraph(f"p{n}", s, e, text[s:e], html, tuple(inside), own, quotable))
    return out


def quotable_line(line: str) -> bool:
    """True if a paragraph's line is a statement, which gets quote tools.

    A line that ends as a sentence does (a bracketed note such as 〈관련기사 4면〉 after it
    aside), an item of a list (a declaration's points), or a line that ends with someone's
    words in double quotes, as Korean headlines and subheads report speech (윤 대통령 "AI
    안전 확보해야"); a subhead or a caption has not, nor a line ending with a term in single
    quotes, which mark a name or an emphasis, not speech (…담은 '서울 의향서').
    """
    return bool(_STATEMENT.search(line) or _SPEECH.search(line) or _LIST_ITEM.match(line))


# A bracketed note after the end: 〈관련기사 4면〉, (사진), [종합].
_NOTE = r"(?:\s*[〈<\[(（【][^〈<\[(（【\n]{0,30}[〉>\])）】])?$"
_STATEMENT = re.compile(r"[.!?。！？…][\"'\u201d\u2019)\]]*" + _NOTE)
# Words of at least two in double quotes (curly or straight) closing the line.
_SPEECH = re.compile(r"[“\"][^“”\"\n]*\S\s+\S[^“”\"\n]*[”\"]" + _NOTE)
_LIST_ITEM = re.compile(r"(?:[·•∙\-–*]|\d{1,2}[.)])\s*\w")


def _sentence_html(
    text: str, start: int, end: int, sentences: Sequence[Sentence], marks: Sequence[Mark]
) -> str:
    """``mark`` over the paragraph, each sentence in its own anchored span."""
    parts = []
    pos = start
    for sentence in sentences:
        parts.append(mark(text, pos, sentence.start, marks))
        inner = mark(text, sentence.start, sentence.end, marks)
        parts.append(
            f'<span class="s" id="s{sentence.number}" data-start="{sentence.start}" '
            f'data-end="{sentence.end}">{inner}</span>'
        )
        pos = sentence.end
    parts.append(mark(text, pos, end, marks))
    return "".join(parts)
