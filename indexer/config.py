"""Where things live by default: the bundled corpus and the per-user index location."""

from __future__ import annotations

import os
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"


def default_index_dir() -> Path:
    """``$SUMMIT_SEARCH_INDEX``, else ``$XDG_DATA_HOME/summit-search/index`` (~/.local/share)."""
    explicit = os.environ.get("SUMMIT_SEARCH_INDEX")
    if explicit:
        return Path(explicit)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "summit-search" / "index"
