"""The engines a job writes through and a plan is evaluated by (the seam: ``base``)."""

from __future__ import annotations

from pathlib import Path

from indexer.backends.base import Backend


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
