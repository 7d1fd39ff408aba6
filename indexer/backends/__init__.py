"""The engines a job writes through and a plan is evaluated by (the seam: ``base``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from indexer.backends.base import Backend, Writer
from indexer.config import Config


def open_backend(where: Path | Config) -> Backend:
    """The backend of an index: the embedded one in a folder, or the cluster a config names."""
    # Imported here: code above the seam names no engine, and each engine loads only when used.
    if isinstance(where, Config):
        if where.cluster is not None:
            from indexer.backends.opensearch.snapshot import OpenSearchBackend

            return OpenSearchBackend(where.cluster)
        where = where.index_dir
    from indexer.backends.whoosh.snapshot import WhooshBackend

    return WhooshBackend(where)


def index_state(config: Config) -> str:
    """Whether the index ``config`` names is ``missing``, ``outdated`` or ``ready``."""
    from indexer.backends.errors import IndexVersionError

    if config.cluster is not None:
        from indexer.backends.opensearch.writer import cluster_state

        return cluster_state(config.cluster)
    from indexer.backends.whoosh.store import index_exists, open_index

    if not index_exists(config.index_dir):
        return "missing"
    try:
        open_index(config.index_dir)
    except IndexVersionError:
        return "outdated"
    return "ready"


def open_writer(
    config: Config,
    rebuild: bool = False,
    lock_timeout: float = 30.0,
    on_wait: Callable[[str], None] | None = None,
) -> Writer:
    """One job's writer: over the cluster ``config.cluster`` names, else the embedded index.

    ``rebuild`` starts from an empty index; a second writer of the embedded index waits up to
    ``lock_timeout`` seconds for its lock, telling ``on_wait`` why.
    """
    if config.cluster is not None:
        from indexer.backends.opensearch.writer import OpenSearchWriter

        return OpenSearchWriter(config.cluster, rebuild)
    from indexer.backends.whoosh.writer import WhooshWriter

    return WhooshWriter(config.index_dir, rebuild, lock_timeout, on_wait)
