"""One ``Library`` per app, opened on first use; index problems become a clear 503 page."""

from __future__ import annotations

import threading

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.wrappers import Response

from indexer.backends.errors import IndexError_
from indexer.config import Config
from indexer.search.library import Library
from webui import i18n

_KEY = "summit_search.library"
CONFIG_KEY = "summit_search.config"
_LOCK = threading.Lock()


def get_library() -> Library:
    """The app's Library; raises ``IndexError_`` while the index is missing or outdated."""
    ext = current_app.extensions
    # Opening is cheap but not free, and waitress serves from several threads at once.
    with _LOCK:
        if ext.get(_KEY) is None:
            config = get_config()
            ext[_KEY] = Library(config, settings=config.search)
        return ext[_KEY]


def get_config() -> Config:
    """The app's core settings (index, library, source folders, indexing and search)."""
    return current_app.extensions[CONFIG_KEY]


def _index_error(exc: IndexError_) -> tuple[Response | str, int]:
    if request.path.startswith("/api/") or request.path == "/suggest":
        body = {"error": str(exc), "status": 503, "code": exc.code}
        return jsonify(**body, message=i18n.index_problem(exc)), 503
    return render_template("error.html", code=503, message=i18n.index_problem(exc)), 503


def init_app(app: Flask, config: Config) -> None:
    """Keep the app's core settings; turn index problems into a 503 instead of a crash."""
    app.extensions[CONFIG_KEY] = config
    app.extensions[_KEY] = None
    app.register_error_handler(IndexError_, _index_error)
