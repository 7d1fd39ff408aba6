"""What a search returns: plain dataclasses, built while the searcher is open."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from indexer.documents.meta import ArticleMeta
from indexer.search.aliases import Expansion
from indexer.search.notices import Notice
from indexer.search.snippets import Paragraph, Passage

# The facets a result page counts.
FACETS = ("outlet", "lang", "summit")
# The facet value of articles that have none; never a real outlet, language or summit.
UNKNOWN = "-"


@dataclass(frozen=True, kw_only=True)
class Hit(ArticleMeta):
    """One ranked article with its highlighted passages.

    ``strict`` is False for an article shown after the match set because it has only some of
    the query's words.
    """

    title_html: str
    score: float
    passages: tuple[Passage, ...]
    strict: bool = True


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
    # With a date range: keep the undated articles it would otherwise hide.
    undated: bool = False
    # Where articles came from (sources.ORIGINS) and when they arrived: the admin list's.
    origin: tuple[str, ...] = ()
    added_from: date | None = None
    added_to: date | None = None


NO_FILTERS = Filters()


@dataclass(frozen=True)
class PhraseCount:
    """A quoted phrase of the query and how many articles of the match set have it exactly."""

    phrase: str
    count: int


@dataclass
class SearchResult:
    """A page of results and everything the interface says about the search.

    ``total`` counts the match set: articles with enough of the query's concepts (``need`` of
    ``concepts``). When the match set is smaller than a page, ``hits`` goes on with articles
    that have fewer of them (``strict`` False); ``relaxed_total`` counts all of those.
    """

    query: str
    total: int
    page: int
    pagesize: int
    sort: str
    hits: list[Hit] = field(default_factory=list)
    relaxed_total: int = 0
    concepts: int = 0
    need: int = 0
    match: str = "all"
    phrases: list[PhraseCount] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    expansions: list[Expansion] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    suggestion: str | None = None
    took_ms: float = 0.0
    # With a date range: articles of the match set it hides for having no date.
    undated_hidden: int = 0
    # When the range leaves no match but hides undated ones: their facets (``facets`` is empty).
    undated_facets: dict[str, list[FacetValue]] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ArticleView(ArticleMeta):
    """An article with every match highlighted, paragraph by paragraph."""

    body: str
    raw: str
    paragraphs: tuple[Paragraph, ...]
    matches: int
    # Each concept of the query as typed, and how many of the marks are its.
    concepts: tuple[ConceptMarks, ...] = ()


@dataclass(frozen=True)
class ConceptMarks:
    """A concept of the query and how often the article view marks it."""

    label: str
    count: int


# --- JSON: the one shape of a search result and an article, for the API and the CLI -----------


def hit_json(hit: Hit) -> dict[str, Any]:
    """A hit as JSON: metadata and passages (exact text, offsets and highlighted HTML)."""
    return {
        **hit.meta_json(),
        "title_html": hit.title_html,
        "score": round(hit.score, 4),
        "strict": hit.strict,
        "passages": [
            {"start": p.start, "end": p.end, "text": p.text, "html": p.html} for p in hit.passages
        ],
    }


def result_json(result: SearchResult, say: Callable[[Notice], str]) -> dict[str, Any]:
    """A page of results as JSON; ``say`` puts each notice into words for ``message``."""
    return {
        "query": result.query,
        # The match set; ``relaxed_total`` more articles have only some of the words.
        "total": result.total,
        "relaxed_total": result.relaxed_total,
        "concepts": result.concepts,
        "need": result.need,
        "match": result.match,
        "page": result.page,
        "pagesize": result.pagesize,
        "sort": result.sort,
        "took_ms": round(result.took_ms, 1),
        "hits": [hit_json(h) for h in result.hits],
        "facets": {
            name: [{"value": f.value, "count": f.count} for f in values]
            for name, values in result.facets.items()
        },
        "expansions": [{"matched": e.matched, "added": list(e.added)} for e in result.expansions],
        "phrases": [{"phrase": p.phrase, "count": p.count} for p in result.phrases],
        "notices": [
            {"code": n.code, "params": n.values, "message": say(n)} for n in result.notices
        ],
        "suggestion": result.suggestion,
    }


def article_json(view: ArticleView) -> dict[str, Any]:
    """An article as JSON, paragraphs with anchors, highlighted HTML and their sentences."""
    return {
        **view.meta_json(),
        "body": view.body,
        "raw": view.raw,
        "matches": view.matches,
        "paragraphs": [
            {
                "anchor": p.anchor,
                "start": p.start,
                "end": p.end,
                "text": p.text,
                "html": p.html,
                # Each sentence's anchor (the article view's #s<n>) and offsets into the body.
                "sentences": [
                    {"anchor": f"s{s.number}", "start": s.start, "end": s.end} for s in p.sentences
                ],
            }
            for p in view.paragraphs
        ],
    }


def facet_values(counts: Mapping[str, int]) -> list[FacetValue]:
    """Facet values by count, then name; "unknown" last (every backend orders them so)."""
    known = [FacetValue(str(k), v) for k, v in counts.items() if k and k != UNKNOWN and v]
    out = sorted(known, key=lambda f: (-f.count, f.value))
    if counts.get(UNKNOWN):
        out.append(FacetValue(UNKNOWN, counts[UNKNOWN]))
    return out
