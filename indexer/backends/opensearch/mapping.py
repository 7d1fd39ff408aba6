"""The index's settings and mapping: encoded term fields, exact fields, dates, stored text.

Only modules every OpenSearch distribution ships are used (``analysis-common`` for the
``pattern_capture`` filter). Text fields use BM25 with the embedded backend's k1 and b; every
token counts in a field's length (``discount_overlaps`` false), as Whoosh counts a
compound's parts. What the result pages show is kept in ``_source``; the encoded terms are
indexed only.
"""

from __future__ import annotations

from typing import Any

from indexer.backends.opensearch.encode import GAP, SAME_POSITION
from indexer.search.ranking import K1, B
from indexer.text.korean import analysis_fingerprint

# Bump when the mapping, the encoding or what a document gives it changes: an index built
# with another version is refused with a message asking for `summit-search index --rebuild`.
MAPPING_VERSION = 1

# Analyzed fields: each one's terms are the product analyzer's, sent encoded.
TEXT_FIELDS = ("title", "body", "author", "title_grams", "body_grams")
# Exact values: facets and filters, and the job's bookkeeping.
EXACT_FIELDS = ("id", "outlet", "lang", "summit", "origin", "source", "content_hash")
DATE_FIELDS = ("published", "added")
# Stored for the pages (``_source``), not searched.
STORED_FIELDS = ("stored_title", "stored_body", "raw", "url", "author_name")
# Several values each (an article may be in two languages).
LIST_FIELDS = ("lang", "summit")


def version_meta() -> dict[str, object]:
    """What the mapping's ``_meta`` records of the version that built the index."""
    return {"schema_version": MAPPING_VERSION, "analysis": analysis_fingerprint()}


def index_body(shards: int = 2, replicas: int = 1) -> dict[str, Any]:
    """The body of the create-index request."""
    text = {"type": "text", "analyzer": "terms", "similarity": "summit_bm25", "norms": True}
    properties: dict[str, Any] = {name: dict(text) for name in TEXT_FIELDS}
    for name in ("title", "body"):
        # Completions list a span's most used terms by a terms aggregation (``vocabulary``).
        properties[name]["fielddata"] = True
    properties.update({name: {"type": "keyword"} for name in EXACT_FIELDS})
    properties.update({name: {"type": "date"} for name in DATE_FIELDS})
    properties.update({name: {"type": "text", "index": False} for name in STORED_FIELDS})
    properties["schema"] = {"type": "integer"}
    return {
        "settings": {
            "index": {
                "number_of_shards": shards,
                "number_of_replicas": replicas,
                "similarity": {
                    "summit_bm25": {"type": "BM25", "k1": K1, "b": B, "discount_overlaps": False}
                },
                "analysis": {
                    "filter": {
                        "same_position": {
                            "type": "pattern_capture",
                            "preserve_original": False,
                            "patterns": [f"([^{SAME_POSITION}]+)"],
                        },
                        "gaps": {"type": "stop", "stopwords": [GAP], "ignore_case": False},
                    },
                    "analyzer": {
                        "terms": {
                            "type": "custom",
                            "tokenizer": "whitespace",
                            "filter": ["same_position", "gaps"],
                        }
                    },
                },
            }
        },
        "mappings": {
            "dynamic": "strict",
            "_source": {"excludes": list(TEXT_FIELDS)},
            "properties": properties,
        },
    }
