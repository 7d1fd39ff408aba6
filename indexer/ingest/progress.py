"""A job's progress in articles, for the command line's bar and the admin page."""

from __future__ import annotations

from collections.abc import Callable

# Called with the articles done, the articles expected, and the file being read or the stage.
ProgressCallback = Callable[[int, int, str], None]


class Progress:
    """A job's progress in articles, told to a callback whenever it moves.

    An article is done once it is refused, found unchanged, or analyzed and written in its
    batch: so a bar moves as the batches are built, one large JSONL file included, and not
    ahead of them as the articles are read.
    """

    def __init__(self, callback: ProgressCallback | None = None, total: int = 0) -> None:
        self.callback, self.total = callback, total
        self.taken = 0  # articles read and decided
        self.pending = 0  # of those, the ones in batches not yet built
        self.label = ""
        self._told: tuple[int, int, str] | None = None

    @property
    def done(self) -> int:
        """Articles refused, unchanged, or analyzed and written."""
        return self.taken - self.pending

    def tell(self, label: str | None = None) -> None:
        """Report, under ``label`` (a file) if given, unless nothing moved since last time."""
        if label is not None:
            self.label = label
        # A JSONL file's odd lines (a byte-order mark alone) can make the count read ahead of
        # the job a little off: the total never falls short of what is done.
        told = (self.done, max(self.total, self.done), self.label)
        if self.callback is None or self._told == told:
            return
        self._told = told
        self.callback(*told)

    def settle(self) -> None:
        """Every article is done: the total is what was done."""
        self.total = self.done
        self.tell()

    def stage(self, name: str) -> None:
        """Every article done; say what the job does now (it may take a while)."""
        self.total = self.done
        self.tell(name)
