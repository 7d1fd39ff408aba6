"""Search state in the URL: parse request arguments and build links that change one thing."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from indexer.search import FACETS, MATCHES, SORTS, Filters

MAX_QUERY = 1000
# Whoosh collects page * pagesize hits to show one page; deeper pages are not useful anyway.
MAX_PAGE = 500


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _values(args: MultiDict[str, str], name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))


@dataclass(frozen=True)
class SearchParams:
    """Everything that decides a search page, as read from the URL."""

    q: str = ""
    page: int = 1
    sort: str = "relevance"
    outlet: tuple[str, ...] = ()
    lang: tuple[str, ...] = ()
    summit: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    noalias: tuple[str, ...] = ()
    # "any": every article with one of the words is in the match set (the relaxed tier's link).
    match: str = "all"
    # Parts of the URL that were ignored because they did not make sense (shown to the user).
    ignored: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_args(cls, args: MultiDict[str, str]) -> SearchParams:
        """Read the URL's arguments; anything malformed falls back to its default."""
        ignored = []
        try:
            page = int(args.get("page", "1"))
        except ValueError:
            page = 1
            ignored.append("page")
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
            dates[name] = _date(args.get(name))
            if args.get(name) and dates[name] is None:
                ignored.append(name)
        return cls(
            q=args.get("q", "")[:MAX_QUERY].strip(),
            page=min(MAX_PAGE, max(1, page)),
            sort=sort,
            outlet=_values(args, "outlet"),
            lang=_values(args, "lang"),
            summit=_values(args, "summit"),
            date_from=dates["from"],
            date_to=dates["to"],
            noalias=_values(args, "noalias"),
            match=match,
            ignored=tuple(ignored),
        )

    def filters(self) -> Filters:
        """The interface filters for ``Library.search``."""
        return Filters(self.outlet, self.lang, self.summit, self.date_from, self.date_to)

    @property
    def filtered(self) -> bool:
        """True if any filter is chosen."""
        return bool(self.outlet or self.lang or self.summit or self.date_from or self.date_to)

    def args(self, **changes: Any) -> dict[str, Any]:
        """URL arguments for this state with ``changes`` applied (page 1 unless given)."""
        changes.setdefault("page", 1)
        p = replace(self, **changes)
        out: dict[str, Any] = {"q": p.q}
        if p.sort != "relevance":
            out["sort"] = p.sort
        for name in (*FACETS, "noalias"):
            if getattr(p, name):
                out[name] = list(getattr(p, name))
        if p.date_from:
            out["from"] = p.date_from.isoformat()
        if p.date_to:
            out["to"] = p.date_to.isoformat()
        if p.match != "all":
            out["match"] = p.match
        if p.page > 1:
            out["page"] = p.page
        return out

    def toggle(self, facet: str, value: str) -> dict[str, Any]:
        """URL arguments with ``value`` added to or removed from filter ``facet``."""
        current = getattr(self, facet)
        new = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.args(**{facet: new})


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
