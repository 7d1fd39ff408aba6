"""Measuring tools, not part of the product: quality, cleaning, speed, crash soak, load.

Run as modules from the repository (``python -m tests.bench.quality``, ``.cleaning``,
``.speed``, ``.gen``, ``.soak``, ``.load``). They use the product's public API with its
parameters (``Config``, ``Settings``, ``store.create_index(schema=...)``), read the dev
collections from ``../shared/data`` beside the repository, and write only to temporary
folders and the files named on their command lines.
"""

from __future__ import annotations

import shutil
import statistics
import sys
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


def summit_command() -> list[str]:
    """The installed ``summit-search`` command, for tools that run it as a subprocess."""
    script = Path(sys.executable).with_name("summit-search")
    if script.exists():
        return [str(script)]
    found = shutil.which("summit-search")
    if found is None:
        raise SystemExit("summit-search is not installed in this environment")
    return [found]
