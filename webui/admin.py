"""The admin pages: token login, uploads, pasted articles, reindex with progress."""

from __future__ import annotations

import hmac
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from indexer.backends.errors import IndexError_
from indexer.ingest.removal import removal_step, same_file_ids, source_holds
from indexer.ingest.run import IndexReport, add_files, add_paste, remove_ids
from indexer.ingest.sources import ORIGINS, LibraryError
from indexer.search.catalog import Entry, find_entry, list_articles
from indexer.search.results import Filters
from webui import i18n
from webui.csrf import FIELD as CSRF_FIELD
from webui.jobs import get_job
from webui.library import get_config, get_library
from webui.params import MAX_PAGE, MAX_QUERY, page_window, parse_date

# Rows of the admin article list per page.
LIST_PAGE = 25

bp = Blueprint("admin", __name__, url_prefix="/admin")


def is_admin() -> bool:
    """True if this session logged in with the admin token."""
    return session.get("admin") is True


def admin_required(view: Any) -> Any:
    """Refuse the view with 403 unless the session is logged in."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_admin():
            if request.method == "GET" and not request.path.endswith("/status"):
                # A page: the login form right here, coming back to this page once logged in.
                return render_template(
                    "login.html", error="", next=request.full_path.rstrip("?")
                ), 403
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _page(report: IndexReport | None = None, error: str = "", status: int = 200) -> Any:
    try:
        count = get_library().article_count()
    except IndexError_:
        count = None
    return render_template(
        "admin.html",
        report=report,
        error=error,
        job=get_job().status(),
        sources=_sources(),
        count=count,
    ), status


def _sources() -> list[str]:
    return [str(p) for p in current_app.config["SOURCE_DIRS"]]


@bp.get("")
def index() -> Any:
    """The login form, or the admin page once logged in."""
    if not is_admin():
        return render_template("login.html", error="")
    return _page()


@bp.post("/login")
def login() -> Any:
    """Log in with the admin token (compared in constant time)."""
    given = request.form.get("token", "").encode()
    expected = current_app.config["ADMIN_TOKEN"].encode()
    if not hmac.compare_digest(given, expected):
        page = render_template(
            "login.html", error=i18n.t("bad_token"), next=request.form.get("next", "")
        )
        return page, 403
    # A new session on login: a token planted before login must not outlive it.
    session.clear()
    session["admin"] = True
    return redirect(_local_admin_path(request.form.get("next", "")), code=303)


def _local_admin_path(given: str) -> str:
    """``given`` if it is an admin page of this site (never another host), else the admin page."""
    home = url_for("admin.index")
    if given.startswith(home + "/") and not given.startswith("//") and "\\" not in given:
        return given
    return home


@bp.post("/logout")
def logout() -> Any:
    """Forget the login."""
    session.pop("admin", None)
    session.pop(CSRF_FIELD, None)
    return redirect(url_for("pages.search"), code=303)


@bp.post("/upload")
@admin_required
def upload() -> Any:
    """Index the uploaded files and show what happened to each."""
    files = [f for f in request.files.getlist("files") if f.filename]
    if not files:
        return _page(error=i18n.t("nothing_sent"), status=400)
    try:
        # The bytes as sent; the client's file name only ever names the library copy safely.
        sent = [(f.filename or "", f.read()) for f in files]
        report = add_files(get_config(), sent, request.form.to_dict())
    except IndexError_ as exc:
        return _page(error=i18n.index_problem(exc), status=503)
    return _page(report)


@bp.post("/paste")
@admin_required
def paste() -> Any:
    """Index one pasted article."""
    try:
        report = add_paste(get_config(), request.form.to_dict())
    except IndexError_ as exc:
        return _page(error=i18n.index_problem(exc), status=503)
    return _page(report, status=200 if not report.failed else 422)


@bp.post("/reindex")
@admin_required
def reindex() -> Any:
    """Start the incremental reindex of the source folders in the background."""
    if not get_job().start(get_config()):
        return _page(error=i18n.t("reindex_running"), status=409)
    return redirect(url_for("admin.index"), code=303)


@bp.get("/reindex/status")
@admin_required
def reindex_status() -> Any:
    """The reindex progress as JSON, for the admin page's progress bar."""
    return jsonify(get_job().status())


@bp.get("/articles")
@admin_required
def articles() -> Any:
    """The paginated article list, searchable and filtered by origin and date added."""
    args = request.args
    origin = args.get("origin", "")
    chosen = {
        "q": args.get("q", "")[:MAX_QUERY].strip(),
        "origin": origin if origin in ORIGINS else "",
        "from": parse_date(args.get("from")),
        "to": parse_date(args.get("to")),
    }
    try:
        page = min(MAX_PAGE, max(1, int(args.get("page", "1"))))
    except ValueError:
        page = 1
    filters = Filters(
        origin=(chosen["origin"],) if chosen["origin"] else (),
        added_from=chosen["from"],
        added_to=chosen["to"],
    )
    try:
        listing = list_articles(get_library(), chosen["q"], filters, page, LIST_PAGE)
    except IndexError_ as exc:
        return render_template("error.html", code=503, message=i18n.index_problem(exc)), 503
    link = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in chosen.items() if v}
    return render_template(
        "admin_articles.html",
        listing=listing,
        chosen=chosen,
        link=link,
        origins=ORIGINS,
        window=page_window(listing.page, listing.pages),
    )


@bp.get("/articles/delete")
@admin_required
def confirm_delete() -> Any:
    """Ask before deleting: say what goes (the library copy too), or how a folder gives it up."""
    entry = find_entry(get_library(), request.args.get("id", ""))
    if entry is None:
        abort(404)
    return _confirm(entry)


def _confirm(entry: Entry, error: str = "", status: int = 200) -> Any:
    """The confirmation page of ``entry``: what goes with it, or the steps its folder needs."""
    ids = same_file_ids(get_library(), entry)
    step, line = removal_step(entry, ids)
    page = render_template(
        "admin_delete.html",
        entry=entry,
        others=len(ids) - 1,
        step=step,
        line=line,
        # A folder's article: does its file still hold it (the first step not done yet)?
        held=not entry.deletable and source_holds(entry),
        error=error,
    )
    return page, status


@bp.post("/articles/delete")
@admin_required
def delete() -> Any:
    """Delete one article: an upload or a paste with its library copy, or a folder's article
    once its file no longer holds it (so that no reindex brings it back)."""
    doc_id = request.form.get("id", "")
    entry = find_entry(get_library(), doc_id)
    if entry is None:
        abort(404)
    if not entry.deletable and source_holds(entry):
        return _confirm(entry, i18n.t("remove_still_held", file=entry.source), 409)
    try:
        removed = remove_ids(get_config(), [doc_id])
    except IndexError_ as exc:
        return _page(error=i18n.index_problem(exc), status=503)
    except LibraryError as exc:
        return _page(error=str(exc), status=503)
    if not removed:
        abort(404)
    # The list says what went by its title, once (not an id in the address).
    flash(entry.title or entry.id, "removed")
    return redirect(url_for("admin.articles"), code=303)
