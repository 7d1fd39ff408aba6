"""What the index holds: articles, languages, outlets, dates, size, schema version."""

from __future__ import annotations

import os
from pathlib import Path

from indexer.backends.whoosh.schema import SCHEMA_VERSION
from indexer.backends.whoosh.store import open_index


def stats(index_dir: Path) -> dict[str, object]:
    """Articles, languages, outlets, date range, size on disk and schema version."""
    ix = open_index(index_dir)
    langs: dict[str, int] = {}
    outlets: dict[str, int] = {}
    dates = []
    with ix.searcher() as s:
        for fields in s.all_stored_fields():
            for lang in filter(None, fields.get("lang", "").split(",")):
                langs[lang] = langs.get(lang, 0) + 1
            outlet = fields.get("outlet") or "(unknown)"
            outlets[outlet] = outlets.get(outlet, 0) + 1
            if fields.get("published"):
                dates.append(fields["published"])
        count = s.doc_count()
    size = sum(e.stat().st_size for e in os.scandir(index_dir) if e.is_file())
    return {
        "articles": count,
        "languages": dict(sorted(langs.items(), key=lambda kv: -kv[1])),
        "outlets": dict(sorted(outlets.items(), key=lambda kv: -kv[1])),
        "date_range": [min(dates).isoformat(), max(dates).isoformat()] if dates else None,
        "index_bytes": size,
        "schema_version": SCHEMA_VERSION,
    }
