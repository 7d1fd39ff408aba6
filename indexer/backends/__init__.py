"""The engines a job writes through and a plan is evaluated by (the seam: ``base``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from indexer.backends.base import Backend, Writer


def open_backend(index_dir: Path) -> Backend:
    """The backend of the embedded index in ``index_dir``."""
    # Imported here: code above the seam names no engine, and each engine loads only when used.
    from indexer.backends.whoosh.snapshot import WhooshBackend

    return WhooshBackend(index_dir)


def index_state(index_dir: Path) -> str:
    """Whether the embedded index in ``index_dir`` is ``missing``, ``outdated`` or ``ready``."""
    from indexer.backends.errors import IndexVersionError
    from indexer.backends.whoosh.store import index_exists, open_index

    if not index_exists(index_dir):
        return "missing"
    try:
        open_index(index_dir)
    except IndexVersionError:
        return "outdated"
    return "ready"


def open_writer(
    index_dir: Path,
    rebuild: bool = False,
    lock_timeout: float = 30.0,
    on_wait: Callable[[str], None] | None = None,
) -> Writer:
    """One job's writer over the embedded index in ``index_dir``, holding its write lock.

    ``rebuild`` starts from an empty index; a second writer waits up to ``lock_timeout``
    seconds for the lock, telling ``on_wait`` why.
    """
    from indexer.backends.whoosh.writer import WhooshWriter

    return WhooshWriter(index_dir, rebuild, lock_timeout, on_wait)
