"""The AI summits (``corpus/summits.json``): their names, and which summit an article covers.

An article whose source gives no summit gets those it names (any of a summit's ``names``,
spacing aside) when it has no date or its date falls within ``WINDOW`` of the summit.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from indexer.config import CORPUS_DIR

SUMMITS_FILE = CORPUS_DIR / "summits.json"
# How far before or after a summit an article about it may be dated.
WINDOW = timedelta(days=120)


@dataclass(frozen=True)
class Summit:
    """One summit: its id, its names in Korean and English, where and when, how news names it."""

    id: str
    ko: str
    en: str
    city: str
    start: date
    end: date
    names: tuple[str, ...]

    def name(self, language: str) -> str:
        """The summit's name in ``language`` (``ko`` or ``en``)."""
        return self.ko if language == "ko" else self.en


@functools.cache
def summits(path: Path = SUMMITS_FILE) -> tuple[Summit, ...]:
    """The summits table (read once: a bundled data file, like the user dictionary)."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["summits"]
    except FileNotFoundError:
        return ()
    return tuple(
        Summit(
            r["id"],
            r["ko"],
            r["en"],
            r["city"],
            date.fromisoformat(r["start"]),
            date.fromisoformat(r["end"]),
            tuple(r["names"]),
        )
        for r in rows
    )


def by_id(summit_id: str) -> Summit | None:
    """The summit with this id, or None (an id the table does not know)."""
    return next((s for s in summits() if s.id == summit_id), None)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def detect(title: str, body: str, published: datetime | None) -> tuple[str, ...]:
    """The ids of the summits an article names, near its date (any date if it has none)."""
    text = _squeezed(f"{title}\n{body}")
    found = []
    for summit in summits():
        if published is not None:
            day = published.date()
            if not summit.start - WINDOW <= day <= summit.end + WINDOW:
                continue
        if any(_squeezed(name) in text for name in summit.names):
            found.append(summit.id)
    return tuple(found)
