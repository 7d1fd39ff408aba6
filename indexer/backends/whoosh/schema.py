"""The Whoosh schema and its version: the only place fields get their options."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from whoosh import fields, formats
from whoosh.system import pack_uint

from indexer.documents.articles import Article
from indexer.search.scoring import GRAM_FIELDS
from indexer.text.analysis import bigram_analyzer, index_terms, summit_analyzer
from indexer.text.joins import JOIN_MARK
from indexer.text.lead import body_for_index

# Bump when fields, their options or the analysis change, or what a document gives them (7:
# outlets and authors read from bylines; 8: adjacent nouns joined; 9: the analyzer's classes,
# which Whoosh pickles with the schema, moved to indexer.text): an index built with another
# version is refused with a message asking for `summit-search index --rebuild`.
SCHEMA_VERSION = 9

# (term, frequency counted in the field's length, weight, encoded value) of one term.
Posting = tuple[str, int, float, bytes]

# Fields a user may name in a query (`outlet:조선비즈`), with the field searched.
QUERY_FIELDS = ("title", "body", "outlet", "author", "lang", "summit", "published", "id")


class SummitPositions(formats.Positions):
    """Whoosh's positions, except that a join (``joins``) is no word of its own: it adds nothing
    to the field's length, as Lucene's BM25 leaves overlapping tokens out of a field's norm;
    writing 국제 협력 apart does not make an article longer."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Posting]:
        """(term, frequency in the length, weight, encoded positions) for each term."""
        poses: dict[str, list[int]] = defaultdict(list)
        weights: dict[str, float] = defaultdict(float)
        kwargs["positions"] = True
        kwargs["boosts"] = True
        for t in formats.tokens(value, analyzer, kwargs):
            poses[t.text].append(t.pos)
            weights[t.text] += t.boost
        for w, poslist in poses.items():
            yield w, _length(w, len(poslist)), weights[w] * self.field_boost, self.encode(poslist)


class SummitFrequency(formats.Frequency):
    """Whoosh's frequencies, a join left out of the field's length (``SummitPositions``)."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Posting]:
        """(term, frequency in the length, weight, encoded frequency) for each term."""
        freqs: dict[str, int] = defaultdict(int)
        weights: dict[str, float] = defaultdict(float)
        kwargs["boosts"] = True
        for t in formats.tokens(value, analyzer, kwargs):
            freqs[t.text] += 1
            weights[t.text] += t.boost
        for w, n in freqs.items():
            yield w, _length(w, n), weights[w] * self.field_boost, pack_uint(n)


def _length(term: str, frequency: int) -> int:
    """What a term's occurrences add to the field's length: nothing for a join."""
    return 0 if term.startswith(JOIN_MARK) else frequency


class SummitText(fields.TEXT):
    """The product's analyzed text fields: Whoosh's TEXT, its postings computed in one pass."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = SummitPositions if isinstance(self.format, formats.Positions) else SummitFrequency
        self.format = kind(field_boost=self.format.field_boost)

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        """(term, frequency, weight, encoded value) for each term, as ``TEXT.index`` gives them."""
        terms = index_terms(self.analyzer, value) if isinstance(value, str) else None
        if terms is None or kwargs:
            yield from super().index(value, **kwargs)
            return
        fmt = self.format
        boost = fmt.field_boost
        positions: dict[str, list[int]] = {}
        for term, pos in terms:
            found = positions.get(term)
            if found is None:
                positions[term] = [pos]
            else:
                found.append(pos)
        # Whoosh sums a boost of 1.0 per occurrence, then multiplies by the field's boost.
        if isinstance(fmt, formats.Positions):
            for term, poslist in positions.items():
                n = len(poslist)
                yield term.encode(), _length(term, n), float(n) * boost, fmt.encode(poslist)
        else:
            assert isinstance(fmt, formats.Frequency)
            for term, poslist in positions.items():
                n = len(poslist)
                yield term.encode(), _length(term, n), float(n) * boost, pack_uint(n)


def to_document(
    article: Article,
    origin: str,
    schema: fields.Schema,
    kind: str = "",
    added: datetime | None = None,
) -> dict[str, object]:
    """The Whoosh document for ``article``, read from the file ``origin`` (of ``kind``)."""
    doc: dict[str, object] = {
        "id": article.id,
        "title": article.indexed_title,
        "_stored_title": article.title,
        "body": body_for_index(article.body),
        "_stored_body": article.body,
        "raw": article.raw,
        "outlet": article.outlet,
        "author": article.author,
        "lang": ",".join(article.lang),
        "summit": ",".join(article.summit),
        "url": article.url,
        "source": origin,
        "content_hash": article.content_hash,
        "origin": kind,
    }
    if added is not None:
        doc["added"] = added
    if article.published is not None:
        doc["published"] = article.published
    for name, grams in GRAM_FIELDS.items():
        if grams in schema:  # a baseline index (benchmarks) has no bigram fields
            doc[grams] = doc[name]
    return doc


def build_schema() -> fields.Schema:
    """Return the schema every index is created with."""
    analyzer = summit_analyzer()
    grams = bigram_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        title=SummitText(analyzer=analyzer, stored=True, field_boost=2.0),
        body=SummitText(analyzer=analyzer, stored=True),
        raw=fields.STORED(),
        outlet=fields.ID(stored=True, sortable=True),
        author=SummitText(analyzer=analyzer, stored=True, phrase=False),
        # Scored only, never matched alone, never stored: the bigram view of title and body.
        title_grams=SummitText(analyzer=grams, phrase=False, field_boost=2.0),
        body_grams=SummitText(analyzer=grams, phrase=False),
        published=fields.DATETIME(stored=True, sortable=True),
        lang=fields.KEYWORD(stored=True, commas=True, lowercase=True),
        summit=fields.KEYWORD(stored=True, commas=True),
        url=fields.STORED(),
        source=fields.ID(stored=True, sortable=True),
        content_hash=fields.ID(stored=True, sortable=True),
        # Where the article came from (sources.ORIGINS) and when its file arrived: the admin
        # list filters and sorts by them.
        origin=fields.ID(stored=True, sortable=True),
        added=fields.DATETIME(stored=True, sortable=True),
    )
