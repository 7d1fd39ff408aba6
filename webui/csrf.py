"""CSRF protection: a per-session token that every POST must echo back."""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, abort, request, session

FIELD = "csrf_token"


def csrf_token() -> str:
    """This session's token (created on first use), for a hidden form field."""
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return session[FIELD]


def _check() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.routing_exception is not None:
        # No view will run (no such page, or not this method): let the 404 or 405 answer.
        return
    expected = session.get(FIELD)
    given = request.form.get(FIELD) or request.headers.get("X-CSRF-Token") or ""
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        abort(400, description="csrf")


def init_app(app: Flask) -> None:
    """Check every state-changing request and offer ``csrf_token()`` to templates."""
    app.before_request(_check)
    app.jinja_env.globals["csrf_token"] = csrf_token
