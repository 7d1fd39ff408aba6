"""Query -> ranked hits with snippets, facets, alias notes and suggestions, as dataclasses."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from whoosh import query as Q
from whoosh import sorting
from whoosh.searching import Searcher

from indexer import query as query_mod
from indexer.aliases import CORPUS_ALIASES, AliasGroup, Expansion, load_aliases
from indexer.normalize import normalize
from indexer.ranking import SummitBM25
from indexer.schema import GRAM_FIELDS
from indexer.snippets import Paragraph, Passage, find_matches, mark, paragraphs, passages
from indexer.store import open_index
from indexer.union import TermUnion, ranked_page, top_k

SORTS = ("relevance", "newest", "oldest")
FACETS = ("outlet", "lang", "summit")
MAX_CORRECTIONS = 4


@dataclass(frozen=True)
class Hit:
    """One ranked article with its highlighted passages."""

    id: str
    title: str
    title_html: str
    outlet: str
    author: str
    published: datetime | None
    url: str
    lang: tuple[str, ...]
    summit: tuple[str, ...]
    score: float
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class FacetValue:
    """A filter value and how many matching articles have it."""

    value: str
    count: int


@dataclass(frozen=True)
class Filters:
    """Restrictions chosen in the interface (not typed in the query)."""

    outlet: tuple[str, ...] = ()
    lang: tuple[str, ...] = ()
    summit: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class SearchResult:
    """A page of results and everything the interface says about the search."""

    query: str
    total: int
    page: int
    pagesize: int
    sort: str
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    expansions: list[Expansion] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    suggestion: str | None = None
    took_ms: float = 0.0


@dataclass(frozen=True)
class ArticleView:
    """An article with every match highlighted, paragraph by paragraph."""

    id: str
    title: str
    outlet: str
    author: str
    published: datetime | None
    url: str
    lang: tuple[str, ...]
    summit: tuple[str, ...]
    body: str
    raw: str
    paragraphs: tuple[Paragraph, ...]
    matches: int


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


def _metadata(fields: dict) -> dict[str, Any]:
    """The article metadata that hits and article views share, from stored fields."""
    return {
        "id": fields["id"],
        "title": fields.get("title", ""),
        "outlet": fields.get("outlet", ""),
        "author": fields.get("author", ""),
        "published": fields.get("published"),
        "url": fields.get("url", ""),
        "lang": _split(fields.get("lang")),
        "summit": _split(fields.get("summit")),
    }


class Library:
    """Searches one index; opens a fresh searcher per call so commits are seen at once."""

    def __init__(self, index_dir: Path, aliases_path: Path = CORPUS_ALIASES) -> None:
        self.index_dir = index_dir
        self.ix = open_index(index_dir)
        self.analyzer = self.ix.schema["body"].analyzer
        # The bigram view, when the index has it (the benchmarks' baselines do not).
        grams = GRAM_FIELDS["body"]
        self.gram_analyzer = self.ix.schema[grams].analyzer if grams in self.ix.schema else None
        self.weighting = SummitBM25()
        self.aliases_path = aliases_path
        self._aliases: list[AliasGroup] = []
        self._aliases_mtime: float | None = None

    def aliases(self) -> list[AliasGroup]:
        """The alias groups, re-read when the file changes."""
        try:
            mtime = self.aliases_path.stat().st_mtime
        except OSError:
            mtime = None
        if mtime != self._aliases_mtime:
            self._aliases = load_aliases(
                self.aliases_path,
                lambda s: tuple(query_mod.analyze_terms(self.analyzer, s, primary_only=True)),
            )
            self._aliases_mtime = mtime
        return self._aliases

    def build(self, text: str, disabled: frozenset[str] = frozenset(), phrases: bool = True):
        """Parse ``text`` into a query with this index's analyzer and aliases."""
        return query_mod.build(
            text, self.analyzer, self.aliases(), disabled, phrases, grams=self.gram_analyzer
        )

    def search(
        self,
        text: str,
        *,
        page: int = 1,
        pagesize: int = 10,
        sort: str = "relevance",
        filters: Filters = Filters(),
        disabled_aliases: frozenset[str] = frozenset(),
        facets: bool = True,
    ) -> SearchResult:
        """Run one search and return a page of hits with passages, facets and notes."""
        started = time.perf_counter()
        page = max(1, page)
        sort = sort if sort in SORTS else "relevance"
        result = SearchResult(text, 0, page, pagesize, sort)
        built = self.build(text, disabled_aliases)
        result.notices.extend(built.notices)
        result.expansions = built.expansions
        if built.query is Q.NullQuery:
            if text.strip():
                result.notices.append("nothing searchable in the query: try words or names")
            result.took_ms = (time.perf_counter() - started) * 1000
            return result
        with self.ix.searcher(weighting=self.weighting) as s:
            results = self._run(s, built, filters, page, pagesize, sort, facets)
            if results.total == 0 and built.has_phrase:
                built = self.build(text, disabled_aliases, phrases=False)
                results = self._run(s, built, filters, page, pagesize, sort, facets)
                result.notices.append(
                    "no article has the exact phrase; showing articles with its words"
                )
            result.total = results.total
            result.facets = results.facets
            result.hits = [self._hit(fields, score, built) for fields, score in results.page]
            if result.total < 3:
                result.suggestion = self._suggest(s, text, built, filters, result.total)
        result.took_ms = (time.perf_counter() - started) * 1000
        return result

    def _run(self, s, built, filters, page, pagesize, sort, facets) -> _Page:
        flt = _filter_query(built.filters, filters)
        if sort == "relevance" and isinstance(built.query, TermUnion):
            return self._run_union(s, built.query, flt, page, pagesize, facets)
        kwargs: dict[str, object] = {"limit": page * pagesize, "filter": flt}
        if sort == "oldest":
            kwargs["sortedby"] = sorting.FieldFacet("published")
        elif sort == "newest":
            # Undated articles sort as the column's maximum; keep them last here too.
            kwargs["sortedby"] = sorting.TranslateFacet(
                _newest_first, sorting.FieldFacet("published")
            )
        if facets:
            kwargs["groupedby"] = {
                "outlet": sorting.FieldFacet("outlet"),
                "lang": sorting.FieldFacet("lang", allow_overlap=True),
                "summit": sorting.FieldFacet("summit", allow_overlap=True),
            }
            kwargs["maptype"] = sorting.Count
        results = s.search(built.query, **kwargs)
        counts: dict[str, list[FacetValue]] = {}
        if facets:
            for name in FACETS:
                counts[name] = _facet_values(results.groups(name))
        start = (page - 1) * pagesize
        end = min(start + pagesize, len(results.top_n))
        # A sorted search's "score" is its sort key: report no score then.
        scored = sort == "relevance"
        hits = [
            (results[i].fields(), results[i].score if scored else None) for i in range(start, end)
        ]
        return _Page(len(results), hits, counts)

    def _run_union(self, s, union: TermUnion, flt, page, pagesize, facets) -> _Page:
        """``_run`` for a query of plain words by relevance, without Whoosh's collector."""
        start = (page - 1) * pagesize
        total, ranked, groups = ranked_page(
            s, union, flt, start, start + pagesize, FACETS if facets else ()
        )
        counts = {name: _facet_values(groups[name]) for name in groups}
        hits = [(s.stored_fields(docnum), score) for docnum, score in ranked]
        return _Page(total, hits, counts)

    def _hit(self, fields: dict, score: float | None, built: query_mod.BuiltQuery) -> Hit:
        body = fields.get("body", "")
        title = fields.get("title", "")
        # Mark whole query words; fall back to compound parts (법 of 기본법) only for an
        # article that matched through them alone.
        terms = set(built.primary_terms)
        found = passages(body, terms, self.analyzer)
        if not any(p.marks for p in found):
            terms = set(built.terms)
            found = passages(body, terms, self.analyzer)
        title_marks = find_matches(title, terms, self.analyzer)
        return Hit(
            **_metadata(fields),
            title_html=mark(title, 0, len(title), title_marks),
            score=float(score or 0.0),
            passages=tuple(found),
        )

    def _suggest(self, s: Searcher, text, built, filters, total: int) -> str | None:
        """A corrected query that finds more, for terms the index does not know."""
        corrector = s.corrector("body")
        corrected = text
        changed = False
        # Whole query words only: their parts (유네스 of 유네스크) are the analyzer's guesses.
        # Each lookup walks the term dictionary, so a long query corrects only its first few.
        unknown = [t for t in built.primary_terms if s.doc_frequency("body", t) == 0]
        for term in unknown[:MAX_CORRECTIONS]:
            best = corrector.suggest(term, limit=1, maxdist=1)
            if best and term in corrected:
                corrected = corrected.replace(term, best[0])
                changed = True
        if not changed:
            return None
        alt = self.build(corrected)
        if alt.query is Q.NullQuery:
            return None
        count = len(s.search(alt.query, limit=1, filter=_filter_query(alt.filters, filters)))
        return corrected if count > total else None

    def search_batch(
        self, queries: Iterable[tuple[str, str]], limit: int = 100
    ) -> Iterator[tuple[str, list[tuple[str, float]]]]:
        """Rank ids for many queries with one searcher (for evaluation): (qid, [(id, score)])."""
        with self.ix.searcher(weighting=self.weighting) as s:
            ids = s.reader().column_reader("id")
            for qid, text in queries:
                built = self.build(text)
                if built.query is Q.NullQuery:
                    yield qid, []
                    continue
                ranked = _rank(s, built.query, limit)
                if not ranked and built.has_phrase:
                    ranked = _rank(s, self.build(text, phrases=False).query, limit)
                yield qid, [(ids[docnum], score) for docnum, score in ranked]

    def complete(self, prefix: str, limit: int = 8) -> list[str]:
        """Indexed words starting with the last word of ``prefix``, most common first."""
        words = normalize(prefix).text.lower().split()
        if not words:
            return []
        head, last = prefix[: prefix.lower().rfind(words[-1])], words[-1]
        found: list[tuple[int, str]] = []
        with self.ix.searcher() as s:
            reader = s.reader()
            for n, term in enumerate(reader.expand_prefix("body", last)):
                if n >= 5000:  # bound the work for a one-letter prefix on a large index
                    break
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                found.append((reader.doc_frequency("body", text), text))
        found.sort(key=lambda x: (-x[0], x[1]))
        return [head + text for _, text in found[:limit]]

    def article(self, doc_id: str, text: str = "") -> ArticleView | None:
        """One article by id, with the matches of query ``text`` highlighted."""
        with self.ix.searcher(weighting=self.weighting) as s:
            fields = s.document(id=doc_id)
        if fields is None:
            return None
        built = self.build(text) if text else None
        body = fields.get("body", "")
        paras = tuple(paragraphs(body, set(built.primary_terms) if built else set(), self.analyzer))
        if built and not any(p.matches for p in paras):
            paras = tuple(paragraphs(body, set(built.terms), self.analyzer))
        return ArticleView(
            **_metadata(fields),
            body=body,
            raw=fields.get("raw", ""),
            paragraphs=paras,
            matches=sum(p.matches for p in paras),
        )


_UNDATED = 2**64 - 1  # the published column's value for an article without a date


def _facet_values(groups: dict) -> list[FacetValue]:
    """Facet values by count, then name; the empty value (unknown) is left out."""
    return sorted(
        (FacetValue(str(k), v) for k, v in groups.items() if k), key=lambda f: (-f.count, f.value)
    )


def _rank(s: Searcher, query: Q.Query, limit: int) -> list[tuple[int, float]]:
    """The best ``limit`` (docnum, score) for ``query``; a plain union skips the collector."""
    if isinstance(query, TermUnion):
        return top_k(s, query, limit)
    return [(hit.docnum, float(hit.score or 0.0)) for hit in s.search(query, limit=limit)]


def _newest_first(key: int) -> tuple[bool, int]:
    return key >= _UNDATED, -key


@dataclass
class _Page:
    total: int
    page: list[tuple[dict, float | None]]
    facets: dict[str, list[FacetValue]]


def _filter_query(typed: list[Q.Query], filters: Filters) -> Q.Query | None:
    parts: list[Q.Query] = list(typed)
    for name in FACETS:
        values = getattr(filters, name)
        if values:
            parts.append(Q.Or([Q.Term(name, v) for v in values]))
    if filters.date_from or filters.date_to:
        start = (
            datetime.combine(filters.date_from, datetime.min.time()) if filters.date_from else None
        )
        end = datetime.combine(filters.date_to, datetime.max.time()) if filters.date_to else None
        parts.append(Q.DateRange("published", start, end))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)
