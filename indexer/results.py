"""What a search returns: plain dataclasses, built while the searcher is open."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from indexer.aliases import Expansion
from indexer.notices import Notice
from indexer.snippets import Paragraph, Passage


@dataclass(frozen=True)
class Hit:
    """One ranked article with its highlighted passages.

    ``strict`` is False for an article shown after the match set because it has only some of
    the query's words.
    """

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
    # Each concept of the query as typed, and how many of the marks are its.
    concepts: tuple[ConceptMarks, ...] = ()


@dataclass(frozen=True)
class ConceptMarks:
    """A concept of the query and how often the article view marks it."""

    label: str
    count: int


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


def metadata(fields: dict) -> dict[str, Any]:
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
