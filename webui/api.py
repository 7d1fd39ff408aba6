"""Machine interfaces: JSON search and articles, OpenSearch description and suggestions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import quoteattr

from flask import Blueprint, Response, abort, current_app, jsonify, request, url_for

from indexer.backends.errors import IndexError_
from indexer.search.complete import Completion
from indexer.search.results import article_json, result_json
from webui import i18n
from webui.library import get_library
from webui.openapi import describe
from webui.pages import external, run_search
from webui.params import SearchParams

bp = Blueprint("api", __name__)

# Completed words, and article titles, the search box offers.
SUGGESTIONS = 6
TITLES = 4


@bp.get("/api/search")
def search() -> Any:
    """The search page's parameters in, JSON out."""
    params = SearchParams.from_args(request.args)
    result, failed = run_search(params)
    if failed:
        return jsonify(error="the search could not be run", status=400, query=params.q), 400
    if result is None:
        return jsonify(error="missing q", status=400, query=""), 400
    # Parts of the address that were ignored (a malformed page, limit, sort or date).
    return jsonify({**result_json(result, i18n.notice), "ignored": list(params.ignored)})


@bp.get("/api/openapi.json")
def openapi_json() -> Any:
    """The OpenAPI 3.1 description of this interface."""
    return jsonify(describe(external("pages.search").rstrip("/")))


@bp.get("/api/articles/<path:doc_id>")
def article(doc_id: str) -> Any:
    """One article as JSON; ``q`` highlights matches."""
    view = get_library().article(doc_id, request.args.get("q", "")[:1000])
    if view is None:
        abort(404)
    return jsonify(article_json(view))


OPENSEARCH = """<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>Summit Search</ShortName>
  <Description>News coverage of the AI summits / AI 정상회의 보도 검색</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Url type="text/html" method="get" template={html}/>
  <Url type="application/x-suggestions+json" method="get" template={suggest}/>
  <Url type="application/json" method="get" template={json}/>
  <Url type="application/opensearchdescription+xml" rel="self" template={self}/>
</OpenSearchDescription>
"""


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    """The OpenSearch description that lets a browser add this site as a search engine."""
    terms = "?q={searchTerms}"
    body = OPENSEARCH.format(
        html=quoteattr(url_for("pages.search", _external=True) + terms),
        suggest=quoteattr(url_for("api.suggest", _external=True) + terms),
        json=quoteattr(url_for("api.search", _external=True) + terms),
        self=quoteattr(url_for("api.opensearch", _external=True)),
    )
    return Response(body, mimetype="application/opensearchdescription+xml")


@dataclass(frozen=True)
class Suggestions:
    """What the search box offers for ``query``: completed words, then matching titles."""

    query: str
    terms: list[Completion]
    titles: list[tuple[str, str]]


def suggestions(typed: str) -> Suggestions:
    """Completions of ``typed`` and the titles of the best articles for the first of them."""
    q = typed[:200].strip()
    if not q:
        return Suggestions(q, [], [])
    library = get_library()
    try:
        terms = library.complete(typed[:200].lstrip(), SUGGESTIONS)
        best = terms[0].text if terms else q
        result = library.search(best, pagesize=TITLES, facets=False)
    except IndexError_:
        raise
    except Exception:
        # A suggestion is never worth an error page: log it and offer nothing.
        current_app.logger.exception("suggestions failed for %r", q)
        return Suggestions(q, [], [])
    titles = [(h.id, h.title) for h in result.hits if h.strict and h.title]
    return Suggestions(q, terms, titles)


@bp.get("/api/suggest")
def suggest_json() -> Any:
    """The search box's suggestions: words that complete the query, then article titles."""
    found = suggestions(request.args.get("q", ""))
    return jsonify(
        query=found.query,
        terms=[{"text": c.text, "word": c.word, "articles": c.articles} for c in found.terms],
        titles=[
            {"id": i, "title": t, "url": url_for("pages.article", doc_id=i)}
            for i, t in found.titles
        ],
    )


@bp.get("/suggest")
def suggest() -> Response:
    """OpenSearch suggestions (the browser's address bar): completed queries, then titles."""
    found = suggestions(request.args.get("q", ""))
    texts = [c.text for c in found.terms] + [t for _, t in found.titles]
    notes = [i18n.t("suggest_articles", n=c.articles) for c in found.terms]
    notes += [i18n.t("suggest_title")] * len(found.titles)
    links = [url_for("pages.search", q=c.text, _external=True) for c in found.terms]
    links += [url_for("pages.article", doc_id=i, _external=True) for i, _ in found.titles]
    body = json.dumps([found.query, texts, notes, links], ensure_ascii=False)
    return Response(body, mimetype="application/x-suggestions+json")
