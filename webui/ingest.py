"""Uploaded and pasted articles -> the same loader and index writer the CLI uses."""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from dataclasses import replace
from pathlib import Path

from werkzeug.datastructures import FileStorage

from indexer.documents import SUFFIXES, Article, Rejected, load_file
from indexer.store import IndexReport, add_articles

UPLOAD_PREFIX = "uploads/"
PASTE_PREFIX = "pasted/"
PASTE_FIELDS = ("title", "outlet", "author", "published", "url")


def safe_name(name: str, limit: int = 100) -> str:
    """A file name reduced to letters, digits, ``.``, ``-`` and ``_`` (Hangul kept)."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    cleaned = re.sub(r"[^\w.\-]+", "_", name).strip("._")
    return cleaned[:limit] or "article"


def _rename(item: Article | Rejected, tmp_name: str, public: str) -> Article | Rejected:
    # The loader names things after the temporary file; users should see their own name.
    def fix(value: str) -> str:
        return public + value[len(tmp_name) :] if value.startswith(tmp_name) else value

    if isinstance(item, Rejected):
        return Rejected(fix(item.source), item.reason)
    return replace(item, id=fix(item.id), source=fix(item.source))


def _load(data_path: Path, root: Path, public: str) -> list[Article | Rejected]:
    return [_rename(i, data_path.name, public) for i in load_file(data_path, root)]


def ingest_uploads(index_dir: Path, files: list[FileStorage]) -> IndexReport:
    """Index uploaded files under ids ``uploads/<safe name>``; report what happened."""
    items: list[Article | Rejected] = []
    with tempfile.TemporaryDirectory(prefix="summit-upload-") as tmp:
        root = Path(tmp)
        for n, upload in enumerate(files):
            public = UPLOAD_PREFIX + safe_name(upload.filename or "")
            suffix = Path(public).suffix.lower()
            if suffix not in SUFFIXES:
                items.append(Rejected(public, f"unsupported file type {suffix or '(none)'}"))
                continue
            # Never a path from the client: a generated name keeping only the extension.
            path = root / f"{n}{suffix}"
            upload.save(path)
            items.extend(_load(path, root, public))
    return _indexed(index_dir, items)


def _slug(text: str) -> str:
    return safe_name("_".join(text.split()[:8]), limit=60)


def ingest_paste(index_dir: Path, form: dict[str, str]) -> IndexReport:
    """Index one pasted article with its metadata, as a one-line JSONL file would be."""
    text = form.get("text", "")
    if not text.strip():
        return IndexReport(failed=[Rejected(PASTE_PREFIX, "missing or empty 'text'")])
    title = form.get("title", "").strip()
    ident = form.get("id", "").strip() or PASTE_PREFIX + _slug(title or text)
    record: dict[str, str] = {"id": ident, "text": text}
    record.update({k: form[k].strip() for k in PASTE_FIELDS if form.get(k, "").strip()})
    if form.get("lang", "") in ("ko", "en", "zh"):
        record["lang"] = form["lang"]
    with tempfile.TemporaryDirectory(prefix="summit-paste-") as tmp:
        path = Path(tmp) / "pasted.jsonl"
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        items = _load(path, Path(tmp), ident)
    return _indexed(index_dir, items)


def _indexed(index_dir: Path, items: list[Article | Rejected]) -> IndexReport:
    articles = [i for i in items if isinstance(i, Article)]
    report = add_articles(index_dir, articles) if articles else IndexReport()
    report.failed[:0] = [i for i in items if isinstance(i, Rejected)]
    return report
