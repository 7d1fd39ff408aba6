"""Machine interfaces: JSON search and articles, OpenSearch description and suggestions."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import quoteattr

from flask import Blueprint, Response, abort, current_app, jsonify, request, url_for

from indexer.search import ArticleView, Hit, SearchResult
from webui import i18n
from webui.library import get_library
from webui.pages import run_search
from webui.params import SearchParams

bp = Blueprint("api", __name__)

SUGGESTIONS = 8


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _metadata_json(item: Hit | ArticleView) -> dict[str, Any]:
    """The metadata hits and articles share, as JSON."""
    return {
        "id": item.id,
        "title": item.title,
        "outlet": item.outlet,
        "author": item.author,
        "published": _date(item.published),
        "url": item.url,
        "lang": list(item.lang),
        "summit": list(item.summit),
    }


def hit_json(hit: Hit) -> dict[str, Any]:
    """A hit as JSON: metadata and passages (exact text, offsets and highlighted HTML)."""
    return {
        **_metadata_json(hit),
        "title_html": hit.title_html,
        "score": round(hit.score, 4),
        "strict": hit.strict,
        "passages": [
            {"start": p.start, "end": p.end, "text": p.text, "html": p.html} for p in hit.passages
        ],
    }


def result_json(result: SearchResult) -> dict[str, Any]:
    """A page of results as JSON."""
    return {
        "query": result.query,
        # The match set; ``relaxed_total`` more articles have only some of the words.
        "total": result.total,
        "relaxed_total": result.relaxed_total,
        "concepts": result.concepts,
        "need": result.need,
        "match": result.match,
        "page": result.page,
        "pagesize": result.pagesize,
        "sort": result.sort,
        "took_ms": round(result.took_ms, 1),
        "hits": [hit_json(h) for h in result.hits],
        "facets": {
            name: [{"value": f.value, "count": f.count} for f in values]
            for name, values in result.facets.items()
        },
        "expansions": [{"matched": e.matched, "added": list(e.added)} for e in result.expansions],
        "phrases": [{"phrase": p.phrase, "count": p.count} for p in result.phrases],
        "notices": [
            {"code": n.code, "params": n.values, "message": i18n.notice(n)} for n in result.notices
        ],
        "suggestion": result.suggestion,
    }


def article_json(view: ArticleView) -> dict[str, Any]:
    """An article as JSON, paragraphs with anchors and highlighted HTML."""
    return {
        **_metadata_json(view),
        "body": view.body,
        "raw": view.raw,
        "matches": view.matches,
        "paragraphs": [
            {"anchor": p.anchor, "start": p.start, "end": p.end, "text": p.text, "html": p.html}
            for p in view.paragraphs
        ],
    }


@bp.get("/api/search")
def search() -> Any:
    """The search page's parameters in, JSON out."""
    params = SearchParams.from_args(request.args)
    result, failed = run_search(params)
    if failed:
        return jsonify(error="the search could not be run", query=params.q), 400
    if result is None:
        return jsonify(error="missing q", query=""), 400
    return jsonify(result_json(result))


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
