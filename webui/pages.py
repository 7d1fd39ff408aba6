"""The public HTML pages: search, article view, syntax help, language switch, error pages."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Response

from indexer.backends.errors import IndexError_
from indexer.documents.meta import ArticleMeta
from indexer.search.library import FACETS
from indexer.search.results import ArticleView, Hit, Paragraph, SearchResult
from webui import cite, i18n
from webui.library import get_library
from webui.params import SearchParams, page_window
from webui.quote import Quote, http_url, loopback, make_quote, opening

bp = Blueprint("pages", __name__)

EXAMPLES = ("기본법", "서울 정상회의", '"AI 안전 서약"', "Anthropic", "유네스코 -MOOC")


def source_of(item: Hit | ArticleView) -> ArticleMeta:
    """What a citation of a hit or an article names (links only to http(s) addresses)."""
    return item.meta(url=http_url(item.url))


def external(endpoint: str, anchor: str = "", **values: Any) -> str:
    """An absolute URL to this site: under the public address when one is set."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        url = base.rstrip("/") + url_for(endpoint, **values)
    else:
        url = url_for(endpoint, _external=True, **values)
    return f"{url}#{anchor}" if anchor else url


def quote_for(item: Hit | ArticleView, text: str, sentence: int, q: str) -> Quote:
    """The Quote of ``text`` (the article's own words, in its sentence ``sentence``)."""
    return quote_at(item, text, f"s{sentence}", q)


def quote_at(item: Hit | ArticleView, text: str, anchor: str, q: str) -> Quote:
    """The Quote of ``text`` (the article's own words), linked to ``anchor`` (s<n> or p<n>)."""
    link = external("pages.article", anchor, doc_id=item.id)
    search = external("pages.article", anchor, doc_id=item.id, q=q) if q else ""
    return make_quote(text, source_of(item), link, date.today(), i18n.t("accessed"), search)


@dataclass(frozen=True)
class ArticleQuote:
    """A Quote menu of the article view and what it covers: a sentence or a whole paragraph."""

    quote: Quote
    # The anchor it links to: ``s<n>`` for a sentence, ``p<n>`` for a paragraph.
    target: str
    # The sentence's first words, which tell its menu from its neighbours'; "" for a paragraph.
    opening: str = ""


def paragraph_quotes(view: ArticleView, p: Paragraph, q: str) -> list[ArticleQuote]:
    """The Quote menus of paragraph ``p``: one per sentence with a match, else the paragraph.

    A reader who searched expects the highlighted sentence, with its own link; a paragraph
    with no match is quoted whole (linked to itself), and selecting text quotes any part.
    """
    marked = [s for s in p.sentences if any(s.start <= start < s.end for start, _, _ in p.marks)]
    if not marked and len(p.sentences) > 1:
        return [ArticleQuote(quote_at(view, p.text.strip(), p.anchor, q), p.anchor)]
    several = len(p.sentences) > 1
    return [
        ArticleQuote(
            quote_at(view, view.body[s.start : s.end], f"s{s.number}", q),
            f"s{s.number}",
            opening(view.body[s.start : s.end]) if several else "",
        )
        for s in marked or p.sentences
    ]


def run_search(params: SearchParams) -> tuple[SearchResult | None, bool]:
    """Search for ``params``; (None, True) when the search itself failed."""
    if not params.q:
        return None, False
    library = get_library()
    try:
        result = library.search(
            params.q,
            page=params.page,
            pagesize=params.limit or current_app.config["PAGE_SIZE"],
            sort=params.sort,
            filters=params.filters,
            disabled_aliases=frozenset(params.noalias),
            match=params.match,
        )
    except IndexError_:
        raise
    except Exception:
        # Whatever a user types must never become a 500: log it and say what to try.
        current_app.logger.exception("search failed for %r", params.q)
        return None, True
    return result, False


@bp.get("/")
def search() -> str:
    """The search page: box, results, facets, pagination; all state in the URL."""
    params = SearchParams.from_args(request.args)
    result, failed = run_search(params)
    pages = math.ceil(result.total / result.pagesize) if result and result.total else 0
    quotes = {}
    if result:
        for hit in result.hits:
            for p in hit.passages:
                quotes[(hit.id, p.start)] = quote_for(hit, p.text, p.sentence, params.q)
    return render_template(
        "search.html",
        params=params,
        result=result,
        failed=failed,
        pages=pages,
        window=page_window(params.page, pages) if pages else [],
        quotes=quotes,
        facets=FACETS,
        examples=EXAMPLES,
    )


def _span(value: str | None) -> tuple[int, int] | None:
    try:
        start, end = (int(x) for x in (value or "").split("-", 1))
    except ValueError:
        return None
    return (start, end) if 0 <= start <= end else None


@bp.get("/articles/<path:doc_id>")
def article(doc_id: str) -> str:
    """One article: metadata, highlighted text with anchors, raw text on request."""
    q = request.args.get("q", "")[:1000].strip()
    library = get_library()
    try:
        view = library.article(doc_id, q)
    except IndexError_:
        raise
    except Exception:
        current_app.logger.exception("highlighting failed for %r", q)
        view = library.article(doc_id)
    if view is None:
        abort(404)
    at = _span(request.args.get("at"))
    cited = next((p.anchor for p in view.paragraphs if at and p.start <= at[0] < p.end), None)
    quotes = {p.anchor: paragraph_quotes(view, p, q) for p in view.paragraphs if p.quotable}
    link = external("pages.article", doc_id=view.id)
    meta = source_of(view)
    if not meta.url and not loopback(link):
        # Without an original address the citation names where it was read: this page.
        meta = view.meta(url=link)
    citations = cite.every_format(meta, date.today(), i18n.t("accessed"))
    if citations["markdown"] == citations["plain"]:
        del citations["markdown"]  # nothing to link: the same text twice helps nobody
    return render_template(
        "article.html",
        article=view,
        q=q,
        raw=request.args.get("view") == "raw",
        cited=cited,
        quotes=quotes,
        citations=citations,
        cite_html=cite.unbroken_html,
        cite_plain=citations["plain"],
        link=link,
        midnight=time(0, 0),
    )


@bp.get("/help")
def help_page() -> str:
    """How to write queries."""
    return render_template("help.html")


@bp.get("/ui/<code>")
def switch_language(code: str) -> Response:
    """Remember the chosen interface language and go back to the page it was chosen on."""
    if code not in i18n.LANGUAGES:
        abort(404)
    target = request.args.get("next", "")
    # Only same-site paths: an open redirect here would lend the site's name to phishing.
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = url_for("pages.search")
    response = redirect(target)
    response.set_cookie(i18n.COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB" if n >= 1024 * 1024 else f"{n / 1024:g} KB"


@bp.app_errorhandler(HTTPException)
def http_error(exc: HTTPException) -> Any:
    """Error pages in the interface language (JSON under /api)."""
    code = exc.code or 500
    # A 405 names the methods the address takes (RFC 9110), in JSON as on a page.
    allowed = (
        {"Allow": ", ".join(sorted(exc.valid_methods))} if isinstance(exc, MethodNotAllowed) else {}
    )
    if request.path.startswith("/api/") or request.path == "/suggest":
        return {"error": exc.name, "status": code}, code, allowed
    key = f"error_{code}"
    if code == 400 and exc.description == "csrf":
        key = "error_csrf"
    message = (
        i18n.t(key, limit=_size(current_app.config.get("MAX_CONTENT_LENGTH") or 0))
        if key in i18n.STRINGS["en"]
        else exc.name
    )
    page = render_template("error.html", code=code, message=message)
    return make_response(page, code, allowed)
