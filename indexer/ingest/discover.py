"""Finding article files: which files under the given folders are articles, in one order.

Folders are walked in path order, symlinked folders followed once each, hidden files and the
folder's own configuration (metadata.json, aliases.txt) passed over.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from indexer.documents import metadata
from indexer.documents.articles import SUFFIXES, Article, Rejected, load_file, relpath

# Files that configure the corpus and sit beside the articles without being news.
SIDECAR_NAMES = frozenset({metadata.METADATA_NAME, "aliases.txt"})


def discover(paths: Sequence[Path]) -> Iterator[tuple[Path, Path]]:
    """Yield (file, root) for every .txt/.html/.htm/.jsonl file under the given files/dirs."""
    seen: set[tuple[str, str]] = set()
    for given in paths:
        given = Path(given)
        if given.is_file():
            pairs: Iterator[tuple[Path, Path]] = iter([(given, given.parent)])
        elif given.is_dir():
            # One order for the whole tree, not os.walk's files-before-subdirectories.
            found = sorted(_walk(given), key=lambda f: f.relative_to(given).parts)
            pairs = ((f, given) for f in found)
        else:
            continue
        for file, root in pairs:
            if file.suffix.lower() in SUFFIXES and file.name not in SIDECAR_NAMES:
                key = (str(file), str(root))
                if key not in seen:
                    seen.add(key)
                    yield file, root


def _walk(root: Path) -> Iterator[Path]:
    # Symlinked directories are followed once each: a link back up the tree would loop.
    # Hidden files and directories (.git, .venv, editor backups) are never articles.
    visited: set[tuple[int, int]] = set()
    for current, dirs, files in os.walk(root, followlinks=True, onerror=lambda _: None):
        try:
            st = os.stat(current)
        except OSError:
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in visited:
            dirs[:] = []
            continue
        visited.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            full = os.path.join(current, name)
            # A broken or looping symlink is not a file, but it is yielded so that reading
            # it reports why instead of it vanishing from the batch without a word.
            if not name.startswith(".") and (os.path.isfile(full) or os.path.islink(full)):
                yield Path(current) / name


def scan(paths: Sequence[Path]) -> Iterator[tuple[Article | Rejected, Path]]:
    """(article or rejection, file) for every file under ``paths``, and for each unusable
    metadata.json a rejection of its own."""
    reported: set[Path] = set()
    for file, root in discover(paths):
        if file.parent not in reported:
            reported.add(file.parent)
            _, error = metadata.read_metadata(file.parent)
            if error:
                sidecar = file.parent / metadata.METADATA_NAME
                yield Rejected(relpath(sidecar, root), error), sidecar
        for item in load_file(file, root):
            yield item, file


def iter_documents(paths: Sequence[Path]) -> Iterator[Article | Rejected]:
    """The articles (and rejections) of every file under ``paths``."""
    return (item for item, _ in scan(paths))
