"""The cluster's vocabulary for completions and corrections (``search.vocabulary.Vocabulary``).

A term's document frequency is a count; the most used terms of a span come from a ``terms``
aggregation over the field (its terms loaded as fielddata on the data nodes), narrowed by a
regular expression on the span's common prefix and then to the span itself; the terms near a
word are the term suggester's, kept when their edit distance (computed here, as the embedded
backend computes it) is small enough.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from opensearchpy import OpenSearch

from indexer.backends.opensearch.encode import carry, uncarry
from indexer.search.vocabulary import Span

# Terms one aggregation returns per span, most used first.
TOP_TERMS = 500
# Candidates the term suggester returns for a word.
NEAR_TERMS = 100


def _common(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _pattern(start: str, stop: str | None) -> str:
    """A Lucene regular expression for the terms of the span (a superset where it cannot)."""
    if stop is not None and len(start) == len(stop) and start[:-1] == stop[:-1]:
        # Every span of completions: a fixed start, then one character of a range.
        low, high = start[-1], chr(ord(stop[-1]) - 1)
        if low == high:
            return _lucene_escape(start) + ".*"
        return f"{_lucene_escape(start[:-1])}[{_lucene_escape(low)}-{_lucene_escape(high)}].*"
    prefix = _common(start, stop) if stop is not None else start
    return _lucene_escape(prefix) + ".*"


def _lucene_escape(text: str) -> str:
    return "".join(c if c.isalnum() else "\\" + c for c in text)


def levenshtein(a: str, b: str) -> int:
    """Edits (insertions, deletions, substitutions) from ``a`` to ``b``."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


class ClusterVocabulary:
    """The terms of one index on the cluster."""

    def __init__(self, client: OpenSearch, index: str) -> None:
        self.client, self.index = client, index

    def frequency(self, field: str, term: str) -> int:
        """How many articles have ``term`` in ``field``."""
        body = {"query": {"term": {field: carry(term)}}}
        return int(self.client.count(index=self.index, body=body)["count"])

    def most_used(self, field: str, spans: Sequence[Span]) -> Iterator[tuple[str, int]]:
        """The terms within any of ``spans``, most articles first (then shorter, then in order)."""
        found: dict[str, int] = {}
        for start, stop in spans:
            agg: dict[str, Any] = {
                "terms": {"field": field, "size": TOP_TERMS, "include": _pattern(start, stop)}
            }
            result = self.client.search(index=self.index, body={"size": 0, "aggs": {"t": agg}})[
                "aggregations"
            ]["t"]["buckets"]
            for bucket in result:
                term = uncarry(bucket["key"])
                if term >= start and (stop is None or term < stop):
                    found[term] = int(bucket["doc_count"])
        yield from sorted(found.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))

    def near(self, field: str, word: str, edits: int, prefix: int = 1) -> set[str]:
        """Terms within ``edits`` edits of ``word`` that share its first ``prefix`` characters."""
        suggest = {
            "near": {
                "text": carry(word),
                "term": {
                    "field": field,
                    "analyzer": "terms",
                    "max_edits": max(1, min(2, edits)),
                    "prefix_length": prefix,
                    "min_word_length": 1,
                    "suggest_mode": "always",
                    "size": NEAR_TERMS,
                },
            }
        }
        result = self.client.search(index=self.index, body={"size": 0, "suggest": suggest})
        out = set()
        for entry in result["suggest"]["near"]:
            for option in entry["options"]:
                term = uncarry(option["text"])
                if term.startswith(word[:prefix]) and levenshtein(word, term) <= edits:
                    out.add(term)
        return out

    def texts(self, term: str, field: str = "body", n: int = 2) -> list[str]:
        """Title and body of up to ``n`` articles whose ``field`` has ``term``."""
        body = {"query": {"term": {field: carry(term)}}, "size": n,
                "_source": ["stored_title", "stored_body"], "sort": [{"id": "asc"}]}  # fmt: skip
        hits = self.client.search(index=self.index, body=body)["hits"]["hits"]
        return [
            f"{h['_source'].get('stored_title', '')}\n{h['_source'].get('stored_body', '')}"
            for h in hits
        ]
