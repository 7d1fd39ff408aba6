"""The list of what the index holds, for the admin page: newest arrivals first, or a search.

Without words the list is every article the filters allow, by date added (newest first); with
words it is the search's match set in its ranking, so the admin finds an article the way a
reader would. Filters take the origin (``sources.ORIGINS``) and the date added as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from whoosh import query as Q
from whoosh import sorting
from whoosh.searching import Searcher

from indexer.backends.whoosh.facets import filter_query
from indexer.documents.meta import ArticleMeta, meta_fields
from indexer.ingest.sources import ORIGINS
from indexer.search.library import Library
from indexer.search.results import NO_FILTERS, Filters

LIBRARY_ORIGINS = ("upload", "paste")


@dataclass(frozen=True, kw_only=True)
class Entry(ArticleMeta):
    """One article of the list: its metadata, where it came from and when it arrived."""

    origin: str = ""
    added: datetime | None = None
    # The file it was read from (a library file for uploads and pastes).
    source: str = ""

    @property
    def deletable(self) -> bool:
        """True if the library owns the article (an upload or a paste), so deleting it sticks.

        A source folder's article would come back at the next reindex: the folder owns it, and
        gives it up first (``indexer.ingest.removal``).
        """
        return self.origin in LIBRARY_ORIGINS


@dataclass
class Listing:
    """One page of the list, how many articles it has, and the index's count by origin."""

    total: int
    page: int
    pagesize: int
    entries: list[Entry] = field(default_factory=list)
    by_origin: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """How many pages the list has (at least one)."""
        return max(1, -(-self.total // self.pagesize))

    @property
    def articles(self) -> int:
        """Every article of the index."""
        return sum(self.by_origin.values())


def list_articles(
    library: Library,
    text: str = "",
    filters: Filters = NO_FILTERS,
    page: int = 1,
    pagesize: int = 20,
) -> Listing:
    """Page ``page`` of the articles matching ``text`` (all if empty) and ``filters``."""
    page = max(1, page)
    with library.ix.searcher() as s:
        by_origin = _origin_counts(s)
        if not text.strip():
            allowed = filter_query(s, [], filters) or Q.Every()
            order = sorting.MultiFacet(
                [sorting.FieldFacet("added", reverse=True), sorting.FieldFacet("id")]
            )
            found = s.search_page(allowed, page, pagelen=pagesize, sortedby=order)
            # Whoosh numbers the rows of an empty result from -pagesize: there are none.
            rows = range(found.offset, found.offset + found.pagelen) if found.total else range(0)
            entries = [_entry(found.results.fields(i)) for i in rows]
            return Listing(found.total, page, pagesize, entries, by_origin)
    result = library.search(text, page=page, pagesize=pagesize, filters=filters, facets=False)
    entries: list[Entry] = []
    with library.ix.searcher() as s:
        for hit in result.hits:
            stored = s.document(id=hit.id) if hit.strict else None
            if stored is not None:
                entries.append(_entry(stored))
    return Listing(result.total, page, pagesize, entries, by_origin)


def find_entry(library: Library, doc_id: str) -> Entry | None:
    """The list entry of the article ``doc_id``, or None if the index has no such article."""
    with library.ix.searcher() as s:
        stored = s.document(id=doc_id)
    return _entry(stored) if stored is not None else None


def _origin_counts(s: Searcher) -> dict[str, int]:
    """Live (not deleted) articles of each origin."""
    return {kind: sum(1 for _ in Q.Term("origin", kind).docs(s)) for kind in ORIGINS}


def _entry(stored: dict[str, Any]) -> Entry:
    return Entry(
        **meta_fields(stored),
        origin=stored.get("origin") or "folder",
        added=stored.get("added"),
        source=stored.get("source", ""),
    )
