"""The list of what the index holds, for the admin page: newest arrivals first, or a search.

Without words the list is every article the filters allow, by date added (newest first); with
words it is the search's match set in its ranking, so the admin finds an article the way a
reader would. Filters take the origin (``sources.ORIGINS``) and the date added as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
    with library.backend.snapshot() as snap:
        by_origin = snap.origin_counts(ORIGINS)
        if not text.strip():
            total, stored = snap.listing(filters, (page - 1) * pagesize, pagesize)
            return Listing(total, page, pagesize, [_entry(f) for f in stored], by_origin)
    result = library.search(text, page=page, pagesize=pagesize, filters=filters, facets=False)
    entries: list[Entry] = []
    with library.backend.snapshot() as snap:
        for hit in result.hits:
            found = snap.document(hit.id) if hit.strict else None
            if found is not None:
                entries.append(_entry(found))
    return Listing(result.total, page, pagesize, entries, by_origin)


def find_entry(library: Library, doc_id: str) -> Entry | None:
    """The list entry of the article ``doc_id``, or None if the index has no such article."""
    with library.backend.snapshot() as snap:
        stored = snap.document(doc_id)
    return _entry(stored) if stored is not None else None


def _entry(stored: dict[str, Any]) -> Entry:
    return Entry(
        **meta_fields(stored),
        origin=stored.get("origin") or "folder",
        added=stored.get("added"),
        source=stored.get("source", ""),
    )
