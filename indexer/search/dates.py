"""Dates in a query: ``published:2024``, ``2024-05``, ``2024-05-23`` or a range ``A..B``."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from indexer.search.filters import DateSpan

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def date_range(value: str) -> DateSpan | None:
    """``2024``, ``2024-05`` or ``2024-05-23``, or ``A..B`` of those, as a published range."""
    start_text, _, end_text = value.partition("..")
    start = _date_bound(start_text, end=False) if start_text else None
    end = _date_bound(end_text or start_text, end=True) if (end_text or start_text) else None
    if (start_text and start is None) or ((end_text or start_text) and end is None):
        return None
    return DateSpan("published", start, end)


def _date_bound(text: str, end: bool) -> datetime | None:
    m = _DATE.match(text.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if not end:
            return datetime(year, int(month or 1), int(day or 1))
        if day:
            return datetime(year, int(month), int(day), 23, 59, 59)
        if month:
            nxt = datetime(year + int(month) // 12, int(month) % 12 + 1, 1)
            return nxt - timedelta(seconds=1)
        return datetime(year, 12, 31, 23, 59, 59)
    except ValueError:
        return None
