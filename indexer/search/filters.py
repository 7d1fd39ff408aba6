"""Filters of a plan as plain values, which each backend turns into its own query.

A query's field syntax (``outlet:조선비즈``, ``published:2024-05``) and the interface's
choices (``results.Filters``) both end as these; no engine type appears above the backends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FieldIs:
    """Articles whose exact field ``field`` (outlet, lang, summit, id, origin) is ``value``."""

    field: str
    value: str

    def __str__(self) -> str:
        return f"{self.field}:{self.value}"


@dataclass(frozen=True)
class DateSpan:
    """Articles whose date field ``field`` lies from ``start`` to ``end`` (either open)."""

    field: str
    start: datetime | None
    end: datetime | None

    def __str__(self) -> str:
        first = self.start.isoformat() if self.start else ""
        last = self.end.isoformat() if self.end else ""
        return f"{self.field}:{first}..{last}"


FieldFilter = FieldIs | DateSpan
