"""The OpenAPI 3.1 description of the JSON interface, served at ``/api/openapi.json``.

Schemas are strict (no properties beyond those listed): a test checks real responses of every
endpoint against them, so the description cannot drift from what the server sends.
"""

from __future__ import annotations

from typing import Any

from indexer.search.library import FACETS, MATCHES, SORTS
from webui.params import MAX_LIMIT, MAX_PAGE, MAX_QUERY, MAX_REQUEST_LINE

STRING = {"type": "string"}
INTEGER = {"type": "integer", "minimum": 0}
STRINGS = {"type": "array", "items": STRING}


def _object(properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": [k for k in properties if k not in optional],
        "additionalProperties": False,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


META = {
    "id": {**STRING, "description": "The article's id: its file, or the id its record gives."},
    "title": STRING,
    "outlet": STRING,
    "author": STRING,
    "published": {
        "type": ["string", "null"],
        "description": "Publication time, ISO 8601 without a zone; null when unknown.",
    },
    "url": {**STRING, "description": "The original article's address (may be empty)."},
    "lang": {**STRINGS, "description": "Languages: ko, en, zh."},
    "summit": {**STRINGS, "description": "Summit ids from corpus/summits.json."},
}
SPAN = {"start": INTEGER, "end": INTEGER, "text": STRING, "html": STRING}

SCHEMAS: dict[str, Any] = {
    "Passage": _object(SPAN),
    "Hit": _object(
        {
            **META,
            "title_html": {**STRING, "description": "The title, matches in <mark>."},
            "score": {"type": "number"},
            "strict": {"type": "boolean", "description": "In the match set (not relaxed)."},
            "passages": {"type": "array", "items": _ref("Passage")},
        }
    ),
    "FacetValue": _object({"value": STRING, "count": INTEGER}),
    "SearchResult": _object(
        {
            "query": STRING,
            "total": {**INTEGER, "description": "Articles in the match set."},
            "relaxed_total": {**INTEGER, "description": "More with only some of the words."},
            "concepts": INTEGER,
            "need": INTEGER,
            "match": {"enum": list(MATCHES)},
            "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            "pagesize": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            "sort": {"enum": list(SORTS)},
            "took_ms": {"type": "number"},
            "hits": {"type": "array", "items": _ref("Hit")},
            "facets": _object(
                {name: {"type": "array", "items": _ref("FacetValue")} for name in FACETS}
            ),
            "expansions": {
                "type": "array",
                "items": _object({"matched": STRING, "added": STRINGS}),
            },
            "phrases": {"type": "array", "items": _object({"phrase": STRING, "count": INTEGER})},
            "notices": {
                "type": "array",
                "items": _object({"code": STRING, "params": {"type": "object"}, "message": STRING}),
            },
            "suggestion": {"type": ["string", "null"]},
            "ignored": {**STRINGS, "description": "Malformed parameters that were ignored."},
        }
    ),
    "Article": _object(
        {
            **META,
            "body": STRING,
            "raw": {**STRING, "description": "Everything saved, before cleaning."},
            "matches": INTEGER,
            "paragraphs": {
                "type": "array",
                "items": _object(
                    {
                        "anchor": STRING,
                        **SPAN,
                        "sentences": {
                            "type": "array",
                            "description": "The paragraph's sentences: anchor s<n>, offsets.",
                            "items": _object({"anchor": STRING, "start": INTEGER, "end": INTEGER}),
                        },
                    }
                ),
            },
        }
    ),
    "Suggestions": _object(
        {
            "query": STRING,
            "terms": {
                "type": "array",
                "items": _object({"text": STRING, "word": STRING, "articles": INTEGER}),
            },
            "titles": {
                "type": "array",
                "items": _object({"id": STRING, "title": STRING, "url": STRING}),
            },
        }
    ),
    "OpenSearchSuggestions": {
        "type": "array",
        "description": "[query, completions, descriptions, links] (OpenSearch suggestions).",
        "prefixItems": [STRING, STRINGS, STRINGS, STRINGS],
        "minItems": 4,
        "maxItems": 4,
    },
    "Error": _object(
        {
            "error": STRING,
            "status": INTEGER,
            "query": STRING,
            "code": {**STRING, "description": "index_missing, index_outdated or index_busy."},
            "message": {**STRING, "description": "The problem in the interface language."},
        },
        optional=("query", "code", "message"),
    ),
}


def _param(name: str, schema: dict[str, Any], text: str, where: str = "query") -> dict:
    return {"name": name, "in": where, "schema": schema, "description": text}


def _json(schema: str, text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": _ref(schema)}}}


ERRORS = {
    "414": _json("Error", f"The request line is longer than {MAX_REQUEST_LINE} bytes."),
    "429": _json("Error", "Too many requests from this address; see Retry-After."),
    "503": _json("Error", "The index is missing, outdated or busy."),
}
# What every path may answer besides its own responses.
ANY = {"414": ERRORS["414"], "503": ERRORS["503"]}
FILTERS = [
    _param(name, STRINGS, f"Only this {name} (repeat for several; '-' for unknown).")
    for name in FACETS
]
SEARCH_PARAMS = [
    _param(
        "q",
        # Something besides spaces: a blank query is a 400, not an empty result.
        {**STRING, "minLength": 1, "pattern": r"\S"},
        f"The query as typed in the search box; its first {MAX_QUERY:,} characters are searched.",
    )
    | {"required": True},
    _param("page", {"type": "integer", "minimum": 1}, f"Page (capped at {MAX_PAGE})."),
    _param("limit", {"type": "integer", "minimum": 1}, f"Hits per page (capped at {MAX_LIMIT})."),
    _param("sort", {"enum": list(SORTS)}, "Order of the hits."),
    _param("match", {"enum": list(MATCHES)}, "any: articles with any of the words."),
    *FILTERS,
    _param("from", {"type": "string", "format": "date"}, "Published on or after."),
    _param("to", {"type": "string", "format": "date"}, "Published on or before."),
    _param("undated", {"enum": ["1"]}, "With a date range: keep undated articles."),
    _param("noalias", STRINGS, "Alias expansions to switch off, by the word matched."),
]


def describe(server: str) -> dict[str, Any]:
    """The OpenAPI document, with ``server`` as the base address."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Summit Search",
            "version": "1",
            "description": "Search news coverage of the AI summits (Korean, English, Chinese).",
        },
        "servers": [{"url": server}],
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Ranked hits with passages, facets and notices",
                    "parameters": SEARCH_PARAMS,
                    "responses": {
                        "200": _json("SearchResult", "A page of results."),
                        "400": _json("Error", "No query, a blank one, or one that failed."),
                        **ERRORS,
                    },
                }
            },
            "/api/articles/{id}": {
                "get": {
                    "operationId": "article",
                    "summary": "One article, its paragraphs, matches of q highlighted",
                    "parameters": [
                        _param("id", STRING, "The article's id.", "path") | {"required": True},
                        _param("q", STRING, "A query whose matches to highlight."),
                    ],
                    "responses": {
                        "200": _json("Article", "The article."),
                        "404": _json("Error", "No such article."),
                        **ANY,
                    },
                }
            },
            "/api/suggest": {
                "get": {
                    "operationId": "suggest",
                    "summary": "Completions of the last word typed, then matching titles",
                    "parameters": [_param("q", STRING, "What was typed so far.")],
                    "responses": {
                        "200": _json("Suggestions", "Words, then titles."),
                        **ANY,
                    },
                }
            },
            "/suggest": {
                "get": {
                    "operationId": "opensearchSuggest",
                    "summary": "The same suggestions in the OpenSearch format",
                    "parameters": [_param("q", STRING, "What was typed so far.")],
                    "responses": {
                        "200": {
                            "description": "OpenSearch suggestions.",
                            "content": {
                                "application/x-suggestions+json": {
                                    "schema": _ref("OpenSearchSuggestions")
                                }
                            },
                        },
                        **ANY,
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
