"""The one analyzer: Korean morphemes (mecab-ko), Chinese words (jieba), stemmed English."""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Iterator
from functools import lru_cache

import jieba
import Stemmer
from whoosh.analysis import (
    Analyzer,
    Composable,
    Filter,
    LowercaseFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.lang.stopwords import stoplists

from indexer.config import cache_dir
from indexer.text import joins, korean
from indexer.text.normalize import normalize

# The analyzers' contract is Whoosh's (tokens with offsets into the original text); the code
# above the text stage names it from here.
__all__ = ["Analyzer", "Token"]
from indexer.text.scripts import HAN as _HAN
from indexer.text.scripts import HANGUL as _HANGUL

jieba.setLogLevel(logging.WARNING)

# One pass over the NFKC text splits it into script runs, so mixed words such as AI기본법,
# 오픈AI or GPT-4o break at script boundaries and every part becomes a token of its own.
_RUNS = re.compile(
    rf"(?P<ko>[{_HANGUL}]+)"
    rf"|(?P<zh>[{_HAN}]+)"
    # Digits keep their decimal point and thousands separators: 1,000 and 3.5 stay whole.
    # Atomic, so 1,000명 never backtracks into 1,00 + 0, and 4o stays one token.
    r"|(?P<num>(?>\d+(?:[.,]\d+)*)(?![A-Za-z]))"
    rf"|(?P<w>[^\W_{_HANGUL}{_HAN}]+(?:['’][^\W\d_{_HANGUL}{_HAN}]+)?)"
)

# Content morphemes that carry meaning for search. Particles (J*), endings (E*), affixes,
# bound nouns (NNB, NNBC: 것, 수, 년, 명) and pronouns are left out, as are copulas and
# auxiliary verbs.
_CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "VV", "VA", "XR"})
# Morphemes that may end a word after its stem: a stem span is the word minus these.
_TRAILING = ("J", "E", "VCP", "VCN", "VX", "XSV", "XSA")
# A stem span is indexed only for nominal words; verbs are already covered by their stems.
_NOMINAL = ("NN", "NR", "XR", "XSN", "XPN", "J")


class OffsetTokenizer(Tokenizer):
    """Whoosh's tokenizer contract over ``spans``: terms with offsets into the original text.

    Positions advance on primary terms only, so secondary terms (compound parts) share the
    position of the word they belong to.
    """

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def spans(self, value: str, mode: str = "index") -> Iterator[tuple[str, int, int, bool]]:
        """Yield (term, start, end, primary) for ``value``; each tokenizer overrides this."""
        return iter(())

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        """Yield one Token per term; ``t.primary`` is False for compound parts, None for joins."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = self.spans(value, mode) if tokenize else iter([(value, 0, len(value), True)])
        pos = start_pos - 1
        for text, start, end, primary in terms:
            if primary:
                pos += 1
            token.text = text
            token.boost, token.stopped, token.primary = 1.0, False, primary
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = max(pos, start_pos)
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


class SummitTokenizer(OffsetTokenizer):
    """Tokenize Korean, Chinese and Latin-script text with offsets into the original."""

    def spans(self, value: str, mode: str = "index") -> Iterator[tuple[str, int, int, bool]]:
        """Terms of the NFKC-normalised text, their offsets mapped back to ``value``.

        Outside query mode, adjacent noun units are also joined (``joins``); in a query each
        word stays a concept of its own.
        """
        norm = normalize(value)
        for text, start, end, primary in _terms(norm.text, mode != "query"):
            s, e = norm.span(start, end)
            yield text, s, e, primary


def _terms(text: str, joined: bool = True) -> Iterator[joins.Term]:
    """Yield (term, start, end, primary) for the normalised text, in text order; ``joined``
    adds the joins of adjacent noun units after the word each starts in."""
    morphemes = _locate(text) if re.search(f"[{_HANGUL}]", text) else []
    joiner = joins.Joiner(text) if joined and morphemes else None
    mi = 0
    for m in _RUNS.finditer(text):
        kind = m.lastgroup
        start, end = m.span()
        if kind == "ko":
            run = []
            while mi < len(morphemes) and morphemes[mi][1] < end:
                if morphemes[mi][1] >= start:
                    run.append(morphemes[mi])
                mi += 1
            kept = list(run)
            while kept and kept[-1][0].tag.startswith(_TRAILING):
                kept.pop()
            terms = _korean_terms(text, start, kept, run)
            if joiner is None:
                yield from terms
            else:
                yield from joiner.word(start, end, list(terms), kept, len(kept) == len(run))
            continue
        if joiner is not None:
            yield from joiner.flush()
        if kind == "zh":
            yield from _chinese_terms(m.group(), start)
        elif kind == "num":
            yield m.group().replace(",", ""), start, end, True
        else:
            word = m.group()
            if word[-2:] in ("'s", "’s", "'S", "’S"):
                word, end = word[:-2], end - 2  # possessive: Japan's finds Japan
            yield word, start, end, True
    if joiner is not None:
        yield from joiner.flush()


def _locate(text: str) -> list[tuple[korean.Morpheme, int, int]]:
    """Analyze ``text`` and find each Hangul morpheme's span in it."""
    located = []
    cursor = 0
    for morpheme in korean.analyze(text):
        at = text.find(morpheme.surface, cursor)
        if at < 0:
            continue
        cursor = at + len(morpheme.surface)
        located.append((morpheme, at, cursor))
    return located


def _korean_terms(
    text: str,
    run_start: int,
    kept: list[tuple[korean.Morpheme, int, int]],
    run: list[tuple[korean.Morpheme, int, int]],
) -> Iterator[tuple[str, int, int, bool]]:
    # The word minus its particles and endings. When that stem is a noun phrase of several
    # morphemes (서울정상회의, or 정상회의 which the analyzer splits in some contexts and not in
    # others), the whole stem is the primary term and its morphemes are secondary terms at the
    # same position: phrases then match however the analyzer split the word, and unknown names
    # (a new company, a person) stay findable whole. ``kept`` is the run without them.
    whole = len(kept) >= 2 and all(m.tag.startswith(_NOMINAL) for m, _, _ in kept)
    if whole:
        span_end = kept[-1][2]
        yield text[run_start:span_end], run_start, span_end, True
    for morpheme, start, end in run:
        for term, s, e, primary in _morpheme_terms(morpheme, start, end):
            if whole and s < span_end:
                if (term, s, e) != (text[run_start:span_end], run_start, span_end):
                    yield term, s, e, False
            else:
                yield term, s, e, primary


def _morpheme_terms(
    morpheme: korean.Morpheme, start: int, end: int
) -> Iterator[tuple[str, int, int, bool]]:
    tag = morpheme.tag.split("+", 1)[0]
    if morpheme.kind == "Inflect":
        # A fused surface (갔 = 가/VV + 았/EP): index the stem over the whole surface.
        form, _, first_tag = morpheme.expression.split("+", 1)[0].partition("/")
        if first_tag.split("/", 1)[0] in _CONTENT_TAGS:
            yield form, start, end, True
        return
    if tag not in _CONTENT_TAGS:
        return
    yield morpheme.surface, start, end, True
    if morpheme.kind in ("Compound", "Preanalysis") and morpheme.expression not in ("", "*"):
        parts = [p.split("/") for p in morpheme.expression.split("+")]
        forms = [p[0] for p in parts]
        if "".join(forms) != morpheme.surface:
            return
        offset = start
        for form, part_tag in ((p[0], p[1]) for p in parts):
            if part_tag in _CONTENT_TAGS and form != morpheme.surface:
                yield form, offset, offset + len(form), False
            offset += len(form)


@functools.cache
def chinese_segmenter() -> jieba.Tokenizer:
    """jieba's tokenizer, its prefix dictionary cached in the user cache folder.

    jieba would write the cache to the temporary folder (``/tmp/jieba.cache``), shared by
    every user of the machine.
    """
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    jieba.dt.tmp_dir = str(folder)
    jieba.dt.initialize()
    return jieba.dt


def _chinese_terms(run: str, offset: int) -> Iterator[tuple[str, int, int, bool]]:
    segmenter = chinese_segmenter()
    primary = {(w, s) for w, s, _ in segmenter.tokenize(run)}
    # Search mode adds the shorter dictionary words inside long ones (人工智能 -> 人工, 智能);
    # ordering each long word before its parts keeps the parts at the long word's position.
    words = sorted(segmenter.tokenize(run, mode="search"), key=lambda w: (w[1], -w[2]))
    for word, start, end in words:
        yield word, offset + start, offset + end, (word, start) in primary


_stemmers = threading.local()


@lru_cache(maxsize=200_000)
def stem_english(word: str) -> str:
    """Snowball (Porter2) stem of a lower-case English word, cached."""
    # A PyStemmer object is not safe to share between threads; the server has several.
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = Stemmer.Stemmer("english")
    return stemmer.stemWord(word)


class EnglishStemFilter(Filter):
    """Stem ASCII words (English); leave Hangul, Han, numbers and other scripts alone."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if text.isascii() and text.isalpha():
                t.text = stem_english(text)
            yield t


ENGLISH_STOPWORDS = stoplists["en"]


def summit_analyzer() -> CompositeAnalyzer:
    """Build the analyzer used by every text field, at index and at query time."""
    chain: Composable = (
        SummitTokenizer()
        | LowercaseFilter()
        # minsize=1: single-syllable Korean nouns (법, 북, 뇌) are real words.
        | StopFilter(stoplist=ENGLISH_STOPWORDS, minsize=1, renumber=False)
        | EnglishStemFilter()
    )
    return chain  # type: ignore[return-value]


_GRAM_RUNS = re.compile(rf"[{_HANGUL}]+|[^\W_{_HANGUL}]+")


class HangulBigramTokenizer(OffsetTokenizer):
    """Overlapping Hangul character bigrams (a lone syllable as itself), plus other words."""

    def spans(self, value: str, mode: str = "index") -> Iterator[tuple[str, int, int, bool]]:
        """Yield bigrams of each Hangul run and each run of other letters or digits whole."""
        for m in _GRAM_RUNS.finditer(value):
            start, text = m.start(), m.group()
            if not "\uac00" <= text[0] <= "\ud7a3" or len(text) == 1:
                yield text, start, m.end(), True
                continue
            for i in range(len(text) - 1):
                yield text[i : i + 2], start + i, start + i + 2, True


def bigram_analyzer() -> CompositeAnalyzer:
    """Hangul character bigrams plus lower-cased words: the second view of the same text.

    Morphemes miss where the analyzer splits a word wrongly or does not know it; bigrams miss
    nothing but match loosely. Scored beside the morphemes at a lower weight, they found the
    right article more often on both dev collections than either alone.
    """
    return HangulBigramTokenizer() | LowercaseFilter()  # type: ignore[return-value]


# --- index time without Whoosh's token chain ---------------------------------------------------
# Whoosh runs every token through one generator per stage (tokenizer, lower case, stop words,
# stems, then the field's format), about half of indexing's analysis time. ``index_terms``
# computes the same (term, position) pairs in one loop for the product's two analyzers; a test
# compares every field's postings both ways.

_SUMMIT = summit_analyzer()
_GRAMS = bigram_analyzer()


def index_terms(analyzer: object, value: str) -> list[tuple[str, int]] | None:
    """The (term, position) pairs ``analyzer`` indexes for ``value``; None for another analyzer."""
    if analyzer == _SUMMIT:
        tokenizer: OffsetTokenizer = SummitTokenizer()
        stops, stem = ENGLISH_STOPWORDS, True
    elif analyzer == _GRAMS:
        tokenizer, stops, stem = HangulBigramTokenizer(), frozenset(), False
    else:
        return None
    out = []
    pos = -1
    for text, _, _, primary in tokenizer.spans(value):
        if primary:
            pos += 1
        term = text.lower()
        if stem and (not term or term in stops):
            continue  # StopFilter(minsize=1): empty and listed words go
        if stem and term.isascii() and term.isalpha():
            term = stem_english(term)
        out.append((term, pos if pos > 0 else 0))
    return out
