"""The admin pages: token login, uploads, pasted articles, reindex with progress."""

from __future__ import annotations

import hmac
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from indexer.ingest import IndexReport, add_files, add_paste
from indexer.store import IndexError_
from webui import i18n
from webui.csrf import FIELD as CSRF_FIELD
from webui.jobs import get_job
from webui.library import get_config

bp = Blueprint("admin", __name__, url_prefix="/admin")


def is_admin() -> bool:
    """True if this session logged in with the admin token."""
    return session.get("admin") is True


def admin_required(view: Any) -> Any:
    """Refuse the view with 403 unless the session is logged in."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_admin():
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _page(report: IndexReport | None = None, error: str = "", status: int = 200) -> Any:
    return render_template(
        "admin.html", report=report, error=error, job=get_job().status(), sources=_sources()
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
        return render_template("login.html", error=i18n.t("bad_token")), 403
    # A new session on login: a token planted before login must not outlive it.
    session.clear()
    session["admin"] = True
    return redirect(url_for("admin.index"), code=303)


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
