"""The source library: the files of the uploaded and pasted articles, kept beside the index.

A search index must never hold the only copy of what a user gave it. Every upload and paste
is kept here as a file (`uploads/<name>`, `pasted/<name>.jsonl`), so that a rebuild reads it
again like any source folder. A file arrives in two steps around the index commit that makes
its articles searchable:

1. ``stage``: written to `.incoming/` (a temporary file, fsync, rename, fsync of the folder);
2. the index commit;
3. ``settle``: renamed into place, and the folder fsynced.

A crash before 1 completes leaves nothing; after it, the next write job finds the staged file
(``staged``) and finishes its indexing and its move: the article ends in both or in neither.
Removal runs the other way: the file goes to `.trash/`, the index commit drops the article,
then the file is deleted (``purge``); a crash in between is finished the same way.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath

METADATA_NAME = "metadata.json"  # as documents read it beside the files (metadata.py)
INCOMING = ".incoming"
TRASH = ".trash"
UPLOADS = "uploads"
PASTED = "pasted"
# Where an indexed article came from: the bundled corpus, another source folder, an upload or
# a paste (the last two kept in the library).
ORIGINS = ("bundled", "folder", "upload", "paste")


class LibraryError(Exception):
    """The library folder cannot be written (permissions, a full disk, not a folder)."""


def safe_name(name: str, limit: int = 100) -> str:
    """A file name reduced to letters, digits, ``.``, ``-`` and ``_`` (Hangul kept)."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    cleaned = re.sub(r"[^\w.\-]+", "_", name).strip("._")
    return cleaned[:limit] or "article"


class Library:
    """The library folder at ``root``; ``rel`` paths are POSIX paths below it (article ids)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, rel: str) -> Path:
        """Where the file ``rel`` lives once settled."""
        return self.root.joinpath(*PurePosixPath(rel).parts)

    def holds(self, path: str | Path) -> bool:
        """True if ``path`` is a settled file of this library."""
        try:
            rel = Path(path).resolve().relative_to(self.root.resolve())
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
            return False
        return bool(rel.parts) and not rel.parts[0].startswith(".")

    def kind_of(self, path: str | Path) -> str:
        """``"upload"`` or ``"paste"`` for a library path (settled or not), else ``""``."""
        try:
            rel = Path(path).resolve().relative_to(self.root.resolve())
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
            return ""
        top = rel.parts[0] if rel.parts else ""
        return {UPLOADS: "upload", PASTED: "paste"}.get(top, "")

    def stage(self, rel: str, data: bytes) -> None:
        """Write ``data`` as the staged copy of ``rel``, durably; raise ``LibraryError``."""
        staged = self._staged_path(rel)
        try:
            staged.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(staged, data)
        except OSError as exc:
            why = exc.strerror or str(exc)
            raise LibraryError(f"cannot keep {rel} in {self.root}: {why}") from exc

    def settle(self, rel: str) -> None:
        """Move the staged copy of ``rel`` into place (after the index commit)."""
        target = self.path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._staged_path(rel), target)
        _sync(target.parent)
        _sync(self._staged_path(rel).parent)

    def staged(self) -> list[str]:
        """The files staged but not settled (a job that did not finish)."""
        base = self.root / INCOMING
        if not base.is_dir():
            return []
        return sorted(
            p.relative_to(base).as_posix()
            for p in base.rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-")
        )

    def staged_bytes(self, rel: str) -> bytes:
        """The content of a staged file."""
        return self._staged_path(rel).read_bytes()

    def discard(self, rel: str) -> None:
        """Throw a staged file away (its articles were all rejected)."""
        with contextlib.suppress(FileNotFoundError):
            self._staged_path(rel).unlink()

    def trash(self, rel: str) -> None:
        """Move a settled file aside before the index commit that removes its articles."""
        target = self.root / TRASH / PurePosixPath(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path(rel), target)
        _sync(target.parent)
        _sync(self.path(rel).parent)

    def trashed(self) -> list[str]:
        """Files moved aside whose removal did not finish."""
        base = self.root / TRASH
        if not base.is_dir():
            return []
        return sorted(p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file())

    def purge(self, rel: str) -> None:
        """Delete a trashed file for good (after the index commit)."""
        with contextlib.suppress(FileNotFoundError):
            (self.root / TRASH / PurePosixPath(rel)).unlink()

    def set_metadata(self, rel: str, entry: dict[str, object]) -> None:
        """Record ``entry`` for ``rel`` in its folder's metadata.json (atomically; merged).

        The fields an upload was given (outlet, date, URL, language, summit) live there, so
        a rebuild reads them again with the file.
        """
        target = self.path(rel)
        sidecar = target.parent / METADATA_NAME
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                entries = json.loads(sidecar.read_text(encoding="utf-8"))
            except (FileNotFoundError, ValueError):
                entries = {}
            if not isinstance(entries, dict):
                entries = {}
            entries[target.name] = entry
            data = json.dumps(entries, ensure_ascii=False, indent=1).encode("utf-8")
            _write_atomically(sidecar, data)
        except OSError as exc:
            why = exc.strerror or str(exc)
            raise LibraryError(f"cannot keep {rel}'s details in {self.root}: {why}") from exc

    def replace(self, rel: str, data: bytes) -> None:
        """Rewrite a settled file in place, atomically (a JSONL file losing one record)."""
        _write_atomically(self.path(rel), data)

    def _staged_path(self, rel: str) -> Path:
        return self.root / INCOMING / PurePosixPath(rel)


def _write_atomically(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _sync(target.parent)


def _sync(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
