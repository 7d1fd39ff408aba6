"""How an article of a source folder leaves the index for good: first its file, then the index.

The folder owns such an article: removed from the index alone, it comes back at the next
reindex. So the file gives it up first (the file deleted, or the record's line taken out of a
JSONL file whose other articles stay), and only an article its file no longer holds is removed
from the index; a reindex, with or without ``--prune``, then has nothing to bring back.
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path
from typing import Any

from indexer.search.catalog import Entry
from indexer.search.library import Library

# A JSONL record without an id of its own is named by its file and line: ``news.jsonl#12``.
LINE_ID = re.compile(r"\.jsonl#(\d+)$", re.IGNORECASE)
# How the file gives the article up (the screen puts each into words):
#   file          delete the file (or move it out of the folder): it holds nothing else
#   record        delete the line of the record with this id; the file's other articles stay
#   record_empty  empty that line instead: records without an id are named by their line
#                 number, so deleting a line would rename every one after it
#   line          empty line ``n``, for the same reason (this record is one of those)
STEPS = ("file", "record", "record_empty", "line")


def same_file_ids(library: Library, entry: Entry) -> list[str]:
    """The ids of the index's articles read from ``entry``'s file (its own included)."""
    with library.backend.snapshot() as snap:
        return snap.ids_from(entry.source)


def removal_step(entry: Entry, ids: list[str]) -> tuple[str, int]:
    """What ``entry``'s file must do to give it up, as a code of ``STEPS`` and a line number.

    ``ids`` are those of every article of the same file (``same_file_ids``).
    """
    if len(ids) < 2 or not entry.source.lower().endswith(".jsonl"):
        return "file", 0
    numbered = LINE_ID.search(entry.id)
    if numbered:
        return "line", int(numbered.group(1))
    if any(LINE_ID.search(i) for i in ids):
        return "record_empty", 0
    return "record", 0


def source_holds(entry: Entry) -> bool:
    """True if ``entry``'s file still holds the article, so a reindex would bring it back."""
    path = Path(entry.source)
    if not path.is_file():
        return False
    if path.suffix.lower() != ".jsonl":
        return True
    numbered = LINE_ID.search(entry.id)
    line_number = int(numbered.group(1)) if numbered else 0
    written = entry.id.encode()
    with path.open("rb") as f:
        for number, line in enumerate(f, 1):
            if number == line_number:
                record = _record(line, number)
                if record is not None and "id" not in record:
                    return True
            # Only lines that may name the id are parsed: those with it as it is, or with
            # JSON's \u escapes (in either case of hex digits).
            elif written in line or b"\\u" in line:
                record = _record(line, number)
                if record is not None and str(record.get("id")) == entry.id:
                    return True
    return False


def _record(line: bytes, number: int) -> dict[str, Any] | None:
    """A JSONL line's record, or None for a blank or broken line (which holds no article)."""
    if number == 1 and line.startswith(codecs.BOM_UTF8):
        line = line[len(codecs.BOM_UTF8) :]
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None
