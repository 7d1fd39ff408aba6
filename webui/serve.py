"""Run the app under waitress, the production WSGI server (never Flask's development server)."""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from pathlib import Path

import waitress

from indexer.store import IndexError_
from webui import create_app
from webui.library import get_library

# Threads for concurrent requests; searches are short, uploads and reindexing run aside.
THREADS = 8


class ServeError(Exception):
    """The server cannot start (the port is taken, the address is not this machine's)."""


def serve(
    index_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    prepare: Callable[[], None] | None = None,
) -> None:
    """Serve the search UI for ``index_dir`` at http://host:port/ until interrupted.

    ``prepare`` (building a missing index) runs once the port is ours, before the first request.
    """
    app = create_app({"INDEX_DIR": index_dir})
    # Bind first: a taken port must fail before a URL or an admin token is printed.
    server = waitress.create_server(
        app, sockets=[_bound(host, port)], threads=THREADS, ident="summit-search"
    )
    if prepare is not None:
        prepare()
    with app.app_context():
        # The first search loads the Korean dictionary (seconds): pay that before the first user.
        try:
            get_library().search("AI", facets=False)
        except IndexError_ as exc:
            print(f"warning: {exc}", flush=True)
    shown = f"[{host}]" if ":" in host else host
    print(f"Summit Search: http://{shown}:{port}/  (Ctrl+C stops it)", flush=True)
    if app.config["ADMIN_TOKEN_GENERATED"]:
        # Printed once: set SUMMIT_SEARCH_ADMIN_TOKEN to keep the same token across restarts.
        print(f"admin token (this run only): {app.config['ADMIN_TOKEN']}", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _bound(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``; raise ``ServeError`` with one line if it cannot be."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}: {exc.strerror}; check --host") from exc
    sock = socket.socket(family, kind, proto)
    try:
        # As waitress does: a restart may reuse the port at once.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ServeError(_bind_problem(exc, host, port)) from exc
    return sock


def _bind_problem(exc: OSError, host: str, port: int) -> str:
    """One line saying why ``host:port`` cannot be served, and which option changes it."""
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is in use: stop what uses it, or choose another with --port"
    if exc.errno == errno.EACCES:
        return f"port {port} needs more privileges: choose one above 1023 with --port"
    return f"cannot listen on {host}:{port} ({exc.strerror}): check --host and --port"
