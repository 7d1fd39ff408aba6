"""What the core tells a user about a search, as codes with parameters.

The core never writes sentences for people: ``webui`` and the CLI turn each code into Korean
or English. Every code is listed here so that both can be checked for a rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

CODES = (
    # A published: value that is not a date or a range of dates (param: value).
    "not_a_date",
    # The query had more terms than are searched (param: limit).
    "terms_capped",
    # Nothing in the query can be searched: only punctuation or symbols.
    "nothing_searchable",
    # Every word of the query is a stop word (the, of, and ...).
    "only_stop_words",
    # No article has the quoted phrase exactly; articles with its words follow (param: phrase).
    "phrase_none",
    # A very common phrase was checked in the best articles only (params: phrase, checked).
    "phrase_capped",
    # An excluded phrase too common to check: articles with all its words left out (phrase).
    "phrase_excluded_words",
    # No article writes the word, which the analyzer read as one syllable (서얄 as 서): it was
    # searched as typed, not by that syllable (params: word, syllable).
    "unwritten_word",
)


@dataclass(frozen=True)
class Notice:
    """One thing to tell the user: a code from ``CODES`` and its parameters."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        assert self.code in CODES, self.code

    @classmethod
    def of(cls, code: str, **params: object) -> Notice:
        """A notice with keyword parameters (stored as text, in name order)."""
        return cls(code, tuple(sorted((k, str(v)) for k, v in params.items())))

    @property
    def values(self) -> dict[str, str]:
        """The parameters as a dict."""
        return dict(self.params)
