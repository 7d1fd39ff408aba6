"""Benchmarks: retrieval quality on the dev collections, and indexing and query speed at scale.

Run as modules (``python -m indexer.benchmarks.quality``, ``.speed``, ``.gen``). They read the
dev collections from ``../shared/data`` beside the repository and write only to temporary
folders and the files named on their command lines.
"""

from __future__ import annotations

import statistics
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"


def read_tsv(path: Path) -> list[list[str]]:
    """Tab-separated rows of a file, blank lines skipped."""
    with path.open(encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile (0-100) with linear interpolation; 0.0 for no values."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(pct) - 1]
