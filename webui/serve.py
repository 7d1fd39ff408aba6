"""Run the app under waitress, the production WSGI server (never Flask's development server)."""

from __future__ import annotations

from pathlib import Path

import waitress

from indexer.store import IndexError_
from webui import create_app
from webui.library import get_library

# Threads for concurrent requests; searches are short, uploads and reindexing run aside.
THREADS = 8


def serve(index_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the search UI for ``index_dir`` at http://host:port/ until interrupted."""
    app = create_app({"INDEX_DIR": index_dir})
    with app.app_context():
        # The first search loads the Korean dictionary (seconds): pay that before the first user.
        try:
            get_library().search("AI", facets=False)
        except IndexError_ as exc:
            print(f"warning: {exc}", flush=True)
    shown = f"[{host}]" if ":" in host else host
    print(f"Summit Search: http://{shown}:{port}/", flush=True)
    if app.config["ADMIN_TOKEN_GENERATED"]:
        # Printed once: set SUMMIT_SEARCH_ADMIN_TOKEN to keep the same token across restarts.
        print(f"admin token (this run only): {app.config['ADMIN_TOKEN']}", flush=True)
    waitress.serve(app, host=host, port=port, threads=THREADS, ident="summit-search")
