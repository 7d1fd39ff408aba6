"""An article's metadata, declared once: documents, hits, article views and citations share it."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any


@dataclass(frozen=True, kw_only=True)
class ArticleMeta:
    """Who published what, when and where: every field may be empty."""

    id: str
    title: str = ""
    outlet: str = ""
    author: str = ""
    published: datetime | None = None
    url: str = ""
    lang: tuple[str, ...] = ()
    summit: tuple[str, ...] = ()

    def meta(self, **changes: Any) -> ArticleMeta:
        """Just the metadata of this record (a hit, an article view), with ``changes``."""
        values = {f.name: getattr(self, f.name) for f in fields(ArticleMeta)}
        return ArticleMeta(**{**values, **changes})

    def meta_json(self) -> dict[str, Any]:
        """The metadata as JSON: the one shape of an article everywhere it is given out."""
        out: dict[str, Any] = {}
        for f in fields(ArticleMeta):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out


def meta_fields(stored: dict[str, Any]) -> dict[str, Any]:
    """The metadata of a stored Whoosh document, as keyword arguments for ``ArticleMeta``."""
    return {
        "id": stored["id"],
        "title": stored.get("title", ""),
        "outlet": stored.get("outlet", ""),
        "author": stored.get("author", ""),
        "published": stored.get("published"),
        "url": stored.get("url", ""),
        "lang": _split(stored.get("lang")),
        "summit": _split(stored.get("summit")),
    }


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)
