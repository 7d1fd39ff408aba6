"""Search state in the URL: parse request arguments and build links that change one thing."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from indexer.search.library import FACETS, MATCHES, NO_FILTERS, SORTS, Filters

MAX_QUERY = 1000
# Whoosh collects page * pagesize hits to show one page; deeper pages are not useful anyway.
MAX_PAGE = 500
# Results per page a request may ask for (``limit``); more is capped to this.
MAX_LIMIT = 100
# Longest request line `serve` takes, in bytes (gunicorn's largest; its default is 4094): a
# query of about 900 Korean syllables, percent-encoded, fits. Longer ones get a JSON 414.
MAX_REQUEST_LINE = 8190


def parse_date(value: str | None) -> date | None:
    """An ISO date (``2024-05-21``) from the URL, or None if missing or malformed."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _number(value: str) -> int | None:
    """A whole number from 1 up, or None for anything else (``""``, ``-3``, ``ten``)."""
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 1 else None


def _values(args: MultiDict[str, str], name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))


@dataclass(frozen=True)
class SearchParams:
    """Everything that decides a search page, as read from the URL."""

    q: str = ""
    page: int = 1
    # Results per page asked for (``limit``, 1..MAX_LIMIT); None: the site's page size.
    limit: int | None = None
    sort: str = "relevance"
    # The outlet, language, summit and date filters: the core's own record of them.
    filters: Filters = NO_FILTERS
    noalias: tuple[str, ...] = ()
    # "any": every article with one of the words is in the match set (the relaxed tier's link).
    match: str = "all"
    # Parts of the URL that were ignored because they did not make sense (shown to the user).
    ignored: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_args(cls, args: MultiDict[str, str]) -> SearchParams:
        """Read the URL's arguments; anything malformed falls back to its default."""
        ignored = []
        # A page below 1 or an empty limit is as malformed as a word: said, not taken silently.
        # Numbers above the caps are capped (the API's description says so).
        page = _number(args.get("page", "1"))
        if page is None:
            page = 1
            ignored.append("page")
        limit = None
        if "limit" in args:
            limit = _number(args["limit"])
            if limit is None:
                ignored.append("limit")
            else:
                limit = min(MAX_LIMIT, limit)
        sort = args.get("sort", "relevance")
        if sort not in SORTS:
            sort = "relevance"
            ignored.append("sort")
        match = args.get("match", "all")
        if match not in MATCHES:
            match = "all"
            ignored.append("match")
        dates = {}
        for name in ("from", "to"):
            dates[name] = parse_date(args.get(name))
            if args.get(name) and dates[name] is None:
                ignored.append(name)
        filters = Filters(
            outlet=_values(args, "outlet"),
            lang=_values(args, "lang"),
            summit=_values(args, "summit"),
            date_from=dates["from"],
            date_to=dates["to"],
            undated=args.get("undated", "") in ("1", "true", "on"),
        )
        return cls(
            q=args.get("q", "")[:MAX_QUERY].strip(),
            page=min(MAX_PAGE, max(1, page)),
            limit=limit,
            sort=sort,
            filters=filters,
            noalias=_values(args, "noalias"),
            match=match,
            ignored=tuple(ignored),
        )

    @property
    def filtered(self) -> bool:
        """True if any filter is chosen."""
        return self.filters != NO_FILTERS

    def args(self, **changes: Any) -> dict[str, Any]:
        """URL arguments for this state with ``changes`` applied (page 1 unless given).

        A change may name a filter (``outlet=(...)``, ``date_from=None``) or ``filters``.
        """
        changes.setdefault("page", 1)
        named = {k: changes.pop(k) for k in list(changes) if k in _FILTER_FIELDS}
        p = replace(self, **changes)
        f = replace(p.filters, **named)
        out: dict[str, Any] = {"q": p.q}
        if p.sort != "relevance":
            out["sort"] = p.sort
        if p.limit is not None:
            out["limit"] = p.limit
        for name in FACETS:
            if getattr(f, name):
                out[name] = list(getattr(f, name))
        if p.noalias:
            out["noalias"] = list(p.noalias)
        if f.date_from:
            out["from"] = f.date_from.isoformat()
        if f.date_to:
            out["to"] = f.date_to.isoformat()
        if f.undated:
            out["undated"] = 1
        if p.match != "all":
            out["match"] = p.match
        if p.page > 1:
            out["page"] = p.page
        return out

    @property
    def filtered_besides_dates(self) -> bool:
        """True if a filter other than the date range is chosen."""
        return replace(self.filters, date_from=None, date_to=None, undated=False) != NO_FILTERS

    def toggle(self, facet: str, value: str, **changes: Any) -> dict[str, Any]:
        """URL arguments with ``value`` added to or removed from filter ``facet``."""
        current = getattr(self.filters, facet)
        new = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.args(**{facet: new}, **changes)

    def unfiltered(self) -> dict[str, Any]:
        """URL arguments for the same search without any filter."""
        return self.args(filters=NO_FILTERS)


_FILTER_FIELDS = frozenset(f.name for f in fields(Filters))


def page_window(page: int, pages: int, width: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and ``width`` around ``page``; None marks a gap."""
    keep = {1, pages, *range(page - width, page + width + 1)}
    out: list[int | None] = []
    for n in range(1, pages + 1):
        if n in keep:
            out.append(n)
        elif out and out[-1] is not None:
            out.append(None)
    return out
