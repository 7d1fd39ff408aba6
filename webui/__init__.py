"""Flask front end: ``create_app`` declares the configuration and wires the blueprints."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from indexer.config import Config


def _flag(value: str) -> bool:
    return value.strip().lower() not in ("0", "off", "no", "false")


# Environment variables that override a web setting, and how their text becomes a value.
# The index, the library, the source folders and the indexing settings are the core's
# (``indexer.config.Config.from_env``: $SUMMIT_SEARCH_INDEX, ..._LIBRARY, ..._SOURCE_DIRS).
ENV_OVERRIDES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "PAGE_SIZE": ("SUMMIT_SEARCH_PAGE_SIZE", int),
    "ADMIN_TOKEN": ("SUMMIT_SEARCH_ADMIN_TOKEN", str),
    "MAX_CONTENT_LENGTH": ("SUMMIT_SEARCH_MAX_UPLOAD", int),
    "SECRET_KEY": ("SUMMIT_SEARCH_SECRET_KEY", str),
    "RATELIMIT_ENABLED": ("SUMMIT_SEARCH_RATELIMIT", _flag),
    "PUBLIC_URL": ("SUMMIT_SEARCH_PUBLIC_URL", str),
}


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then environment overrides, then ``test_config``."""
    app = Flask(__name__)
    # JSON in UTF-8 as it is: Korean readable, not \uXXXX escapes.
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    core = Config.from_env()
    app.config.from_mapping(
        # The index to search; the CLI builds it (`summit-search index`) at the same place.
        INDEX_DIR=core.index_dir,
        # Where uploads and pasted articles are kept (None: `library` beside the index).
        LIBRARY_DIR=None,
        # Results per page.
        PAGE_SIZE=10,
        # The address others reach this site at (behind a proxy); None: the request's own.
        # Quotes and permalinks use it, so they never point at 127.0.0.1.
        PUBLIC_URL=None,
        # The admin password. None: one is generated below and `serve` prints it once.
        ADMIN_TOKEN=None,
        # Largest request body accepted (uploads); bigger ones get a 413 page.
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        # Folders the admin page's reindex button indexes incrementally, with the library.
        SOURCE_DIRS=list(core.source_dirs),
        # An OpenSearch cluster holding the index (``ClusterSettings``); None: INDEX_DIR.
        CLUSTER=core.cluster,
        # Signs the session cookie (admin login, CSRF token). Random: restarts log admins out.
        SECRET_KEY=secrets.token_hex(32),
        # The session cookie never goes to scripts or to cross-site requests.
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Per-client-address limits (429 with Retry-After). Off for a load test from one address.
        RATELIMIT_ENABLED=True,
        # The JSON search API: bursts of 60, then 10 a second (the search page is not limited).
        RATELIMIT_SEARCH_PER_MINUTE=600,
        RATELIMIT_SEARCH_BURST=60,
        # Admin login attempts: 10, then one every 6 s, so guessing the token goes nowhere.
        RATELIMIT_LOGIN_PER_MINUTE=10,
        RATELIMIT_LOGIN_BURST=10,
    )
    for key, (name, parse) in ENV_OVERRIDES.items():
        if os.environ.get(name):
            app.config[key] = parse(os.environ[name])
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["INDEX_DIR"] = Path(app.config["INDEX_DIR"])
    app.config["SOURCE_DIRS"] = [Path(p) for p in app.config["SOURCE_DIRS"]]
    # The core's settings, once, from the same values: every view passes this down.
    core = Config.at(
        app.config["INDEX_DIR"],
        app.config["LIBRARY_DIR"],
        source_dirs=tuple(app.config["SOURCE_DIRS"]),
        commit_every=core.commit_every,
        workers=core.workers,
        search=core.search,
        cluster=app.config["CLUSTER"],
    )
    app.config["ADMIN_TOKEN_GENERATED"] = not app.config["ADMIN_TOKEN"]
    if not app.config["ADMIN_TOKEN"]:
        app.config["ADMIN_TOKEN"] = secrets.token_urlsafe(18)

    from webui import admin, api, csrf, i18n, jobs, library, pages, ratelimit, security
    from webui.quote import http_url

    library.init_app(app, core)
    jobs.init_app(app)
    security.init_app(app)
    # Before CSRF: a flood of login attempts is refused before any other work.
    ratelimit.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    app.jinja_env.filters["http_url"] = http_url
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(admin.bp)
    return app
