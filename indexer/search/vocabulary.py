"""What completions, corrections and the check for unwritten words read of an index's terms.

Each backend provides a ``Vocabulary``; nothing above the backends reads terms another way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol


class Vocabulary(Protocol):
    """What completions and corrections read of an index's terms."""

    def frequency(self, field: str, term: str) -> int:
        """How many articles have ``term`` in ``field``."""
        ...

    def most_used(self, field: str, spans: Sequence[Span]) -> Iterator[tuple[str, int]]:
        """The terms within any of ``spans`` with their frequencies, most articles first
        (then shorter, then in order), lazily: a caller takes what it needs."""
        ...

    def near(self, field: str, word: str, edits: int, prefix: int = 1) -> set[str]:
        """The terms within ``edits`` character edits of ``word`` that begin with its first
        ``prefix`` characters."""
        ...

    def texts(self, term: str, field: str = "body", n: int = 2) -> list[str]:
        """The stored texts of up to ``n`` articles that have ``term`` (how it is written)."""
        ...


# Terms from ``start`` up to (without) ``stop``; no ``stop``: every term from ``start`` on.
Span = tuple[str, str | None]


def prefix_span(prefix: str) -> Span:
    """The span of the terms that begin with ``prefix``."""
    stripped = prefix.rstrip("\U0010ffff")
    if not stripped:
        return prefix, None
    return prefix, stripped[:-1] + chr(ord(stripped[-1]) + 1)
