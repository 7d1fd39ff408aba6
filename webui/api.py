"""Machine interfaces: JSON search and articles, OpenSearch description and suggestions."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import quoteattr

from flask import Blueprint, Response, abort, current_app, jsonify, request, url_for

from indexer.results import article_json, result_json
from webui import i18n
from webui.library import get_library
from webui.pages import run_search
from webui.params import SearchParams

bp = Blueprint("api", __name__)

SUGGESTIONS = 8


@bp.get("/api/search")
def search() -> Any:
    """The search page's parameters in, JSON out."""
    params = SearchParams.from_args(request.args)
    result, failed = run_search(params)
    if failed:
        return jsonify(error="the search could not be run", query=params.q), 400
    if result is None:
        return jsonify(error="missing q", query=""), 400
    return jsonify(result_json(result, i18n.notice))


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


@bp.get("/suggest")
def suggest() -> Response:
    """OpenSearch suggestions: titles of the best matching articles for what was typed."""
    q = request.args.get("q", "")[:200].strip()
    titles: list[str] = []
    if q:
        try:
            result = get_library().search(q, pagesize=SUGGESTIONS, facets=False)
        except Exception:
            current_app.logger.exception("suggestions failed for %r", q)
        else:
            titles = list(dict.fromkeys(h.title for h in result.hits if h.title))
    body = json.dumps([q, titles], ensure_ascii=False)
    return Response(body, mimetype="application/x-suggestions+json")
