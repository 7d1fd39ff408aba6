"""The product's settings, declared once: built from defaults, the environment and options.

Nothing reads the environment at import. The CLI and ``webui.create_app`` each build one
``Config`` when they start (``Config.from_env``), override what their options say, and pass it
down; the benchmarks build their own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from indexer.search.ranking import Settings

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
# The environment variables ``Config.from_env`` reads (the web front end reads its own too).
ENV_VARS = (
    "SUMMIT_SEARCH_INDEX",
    "SUMMIT_SEARCH_LIBRARY",
    "SUMMIT_SEARCH_SOURCE_DIRS",
    "SUMMIT_SEARCH_COMMIT_EVERY",
    "SUMMIT_SEARCH_WORKERS",
    "SUMMIT_SEARCH_BACKEND",
    "SUMMIT_SEARCH_OPENSEARCH_URL",
    "SUMMIT_SEARCH_OPENSEARCH_INDEX",
    "SUMMIT_SEARCH_OPENSEARCH_USER",
    "SUMMIT_SEARCH_OPENSEARCH_PASSWORD",
    "SUMMIT_SEARCH_OPENSEARCH_VERIFY_CERTS",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
)


def default_workers() -> int:
    """Analysis worker processes: two, leaving room for the writer; one on a one-core machine."""
    return min(2, os.cpu_count() or 1)


def default_data_dir(environ: Mapping[str, str]) -> Path:
    """``$XDG_DATA_HOME/summit-search`` (``~/.local/share/summit-search``)."""
    home = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(home) / "summit-search"


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CACHE_HOME/summit-search`` (``~/.cache/summit-search``): compiled dictionaries.

    The analyzer's caches (the mecab user dictionary, jieba's prefix dictionary) belong to the
    user account, like the analyzer itself, not to one index: they are read when a process
    first analyzes text, in the indexing workers too, and never change a result.
    """
    env = os.environ if environ is None else environ
    home = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(home) / "summit-search"


@dataclass(frozen=True)
class ClusterSettings:
    """An OpenSearch cluster to keep the index in, instead of the folder ``index_dir``."""

    # One or more node addresses (``http://host:9200``).
    hosts: tuple[str, ...]
    # The alias searches read; each build writes an index of its own behind it.
    index: str = "summit-search"
    shards: int = 2
    replicas: int = 1
    # Basic authentication, and whether to check the nodes' TLS certificates.
    username: str = ""
    password: str = ""
    verify_certs: bool = True


@dataclass(frozen=True)
class Config:
    """Where the index and the source library live, what to index, and how."""

    # The Whoosh index.
    index_dir: Path
    # Uploaded and pasted articles, kept as files so that a rebuild never loses them.
    library_dir: Path
    # Folders that `index` without paths (and the admin page's reindex) reads.
    source_dirs: tuple[Path, ...] = (CORPUS_DIR,)
    # Articles per commit: a crash loses at most the batch under way, never what was committed.
    commit_every: int = 5000
    # Bytes of text per commit at most, whatever the articles' length: what a batch holds in
    # memory while it is built into a segment (its postings take about 30 times as much).
    commit_bytes: int = 16_000_000
    # Analysis worker processes for large jobs; below 2, analysis runs in the indexing process.
    workers: int = field(default_factory=default_workers)
    # How queries are matched and weighed.
    search: Settings = field(default_factory=Settings)
    # A cluster to write the index to; None keeps it in ``index_dir`` (embedded Whoosh).
    cluster: ClusterSettings | None = None

    @property
    def where(self) -> str:
        """The index as a user names it: its folder, or the cluster's alias."""
        if self.cluster is not None:
            return f"{self.cluster.index} on {', '.join(self.cluster.hosts)}"
        return str(self.index_dir)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Config:
        """Defaults, then ``SUMMIT_SEARCH_*`` variables, then ``overrides`` (None ignored)."""
        env = os.environ if environ is None else environ
        data = default_data_dir(env)
        index_dir = Path(env["SUMMIT_SEARCH_INDEX"]) if env.get("SUMMIT_SEARCH_INDEX") else None
        values: dict[str, object] = {
            "index_dir": index_dir or data / "index",
        }
        if env.get("SUMMIT_SEARCH_LIBRARY"):
            values["library_dir"] = Path(env["SUMMIT_SEARCH_LIBRARY"])
        if env.get("SUMMIT_SEARCH_SOURCE_DIRS"):
            values["source_dirs"] = _paths(env["SUMMIT_SEARCH_SOURCE_DIRS"])
        if env.get("SUMMIT_SEARCH_COMMIT_EVERY"):
            values["commit_every"] = int(env["SUMMIT_SEARCH_COMMIT_EVERY"])
        if env.get("SUMMIT_SEARCH_WORKERS"):
            values["workers"] = int(env["SUMMIT_SEARCH_WORKERS"])
        cluster = cluster_from_env(env)
        if cluster is not None:
            values["cluster"] = cluster
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.at(**values)  # type: ignore[arg-type]

    @classmethod
    def at(cls, index_dir: Path, library_dir: Path | None = None, **values: object) -> Config:
        """A config for ``index_dir``; the library defaults to ``library`` beside the index."""
        index_dir = Path(index_dir)
        library = Path(library_dir) if library_dir else index_dir.parent / "library"
        return cls(index_dir=index_dir, library_dir=library, **values)  # type: ignore[arg-type]


def cluster_from_env(env: Mapping[str, str]) -> ClusterSettings | None:
    """The cluster ``SUMMIT_SEARCH_BACKEND=opensearch`` and its variables name, or None."""
    backend = env.get("SUMMIT_SEARCH_BACKEND", "whoosh").strip().lower() or "whoosh"
    if backend == "whoosh":
        return None
    if backend != "opensearch":
        raise ValueError(f"SUMMIT_SEARCH_BACKEND is whoosh or opensearch, not {backend!r}")
    hosts = tuple(h.strip() for h in env.get("SUMMIT_SEARCH_OPENSEARCH_URL", "").split(",") if h)
    if not hosts:
        raise ValueError("SUMMIT_SEARCH_BACKEND=opensearch needs SUMMIT_SEARCH_OPENSEARCH_URL")
    return ClusterSettings(
        hosts,
        index=env.get("SUMMIT_SEARCH_OPENSEARCH_INDEX") or "summit-search",
        username=env.get("SUMMIT_SEARCH_OPENSEARCH_USER", ""),
        password=env.get("SUMMIT_SEARCH_OPENSEARCH_PASSWORD", ""),
        verify_certs=env.get("SUMMIT_SEARCH_OPENSEARCH_VERIFY_CERTS", "1") not in ("0", "false"),
    )


def _paths(value: str) -> tuple[Path, ...]:
    return tuple(Path(p) for p in value.split(os.pathsep) if p)


def default_index_dir() -> Path:
    """The index folder the environment names (for callers that need nothing else)."""
    return Config.from_env().index_dir
