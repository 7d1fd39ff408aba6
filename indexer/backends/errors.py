"""Index problems a user can act on, the same whichever backend meets them.

Each has a ``code`` that the web UI and the CLI put into words; none carries an engine type.
"""

from __future__ import annotations

import errno
from pathlib import Path


class IndexError_(Exception):
    """Base class for index problems a user can act on; ``code`` names it for the screen."""

    code = "index_error"


class IndexVersionError(IndexError_):
    """The index on disk was built by another schema or analyzer version."""

    code = "index_outdated"


class IndexMissing(IndexError_):
    """There is no index at the given location."""

    code = "index_missing"


class IndexCorrupt(IndexError_):
    """A file of the index cannot be read (truncated, overwritten, missing)."""

    code = "index_corrupt"


class DiskFull(IndexError_):
    """The disk of the index filled up during a job; the last commit is intact."""

    code = "disk_full"


class ClusterUnavailable(IndexError_):
    """The OpenSearch cluster does not answer, or answers with an error of its own."""

    code = "cluster_unavailable"


class IndexBusy(IndexError_):
    """Another job holds the index's write lock beyond the timeout."""

    code = "index_busy"


def is_disk_full(exc: BaseException) -> bool:
    """True for the errors of a full disk or an exhausted quota."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def no_index(index_dir: Path | str) -> str:
    """What to say when there is no index at ``index_dir`` (a folder or a cluster's alias)."""
    return f"no index at {index_dir}: run `summit-search index` first"
