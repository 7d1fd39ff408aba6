"""Run the app under gunicorn, a pre-fork production server: one process per core.

Every request's Python runs on one core at a time in one process, so a single process serves
one core's worth of searches whatever its threads. gunicorn forks ``workers`` processes from a
master that has already built the app and loaded the Korean dictionary (shared by the forks),
each serving ``THREADS`` requests at once; the master restarts a worker that dies. The index is
read-only to the workers' searches and each search opens the latest commit, so an upload taken
by any worker is found by every worker's next search; writes are serialised by the index's
write lock, and the reindex job's progress is a file every worker reads (``webui.jobs``).
"""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from indexer.store import IndexError_
from webui import create_app
from webui.library import get_library

# Threads per worker: searches are short; an upload or a reindex runs beside them.
THREADS = 8
# Seconds a request may take before the master replaces its worker (a large upload).
TIMEOUT = 300


def default_workers() -> int:
    """One worker process per core."""
    return max(1, len(os.sched_getaffinity(0)))


class ServeError(Exception):
    """The server cannot start (the port is taken, the address is not this machine's)."""


class Server(BaseApplication):
    """gunicorn serving one already-built Flask app from an already-bound socket."""

    def __init__(self, app: Flask, sock: socket.socket, workers: int) -> None:
        self.app, self.sock = app, sock
        self.options: dict[str, Any] = {
            "bind": [f"fd://{sock.fileno()}"],
            "workers": workers,
            "worker_class": "gthread",
            "threads": THREADS,
            "timeout": TIMEOUT,
            "graceful_timeout": 10,
            # The app is built, and the dictionary loaded, before the fork: shared, not copied.
            "preload_app": True,
            "proc_name": "summit-search",
            # Only warnings and errors: the URL and the token are the lines that matter.
            "loglevel": "warning",
            "accesslog": None,
        }
        super().__init__()

    def load_config(self) -> None:
        """Give gunicorn the options above (it reads no command line or config file)."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """The app every worker serves."""
        return self.app


def serve(
    index_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    prepare: Callable[[], None] | None = None,
    workers: int | None = None,
) -> None:
    """Serve the search UI for ``index_dir`` at http://host:port/ until interrupted.

    ``prepare`` (building a missing index) runs once the port is ours, before the first request.
    """
    app = create_app({"INDEX_DIR": index_dir})
    # Bind first: a taken port must fail before a URL or an admin token is printed.
    sock = _bound(host, port)
    server = Server(app, sock, workers or default_workers())
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
    # gunicorn owns the socket from here and ends the process (and each worker) with
    # SystemExit when it stops.
    server.run()


def _bound(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``; raise ``ServeError`` with one line if it cannot be."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}: {exc.strerror}; check --host") from exc
    sock = socket.socket(family, kind, proto)
    try:
        # gunicorn's workers inherit it across the fork.
        sock.set_inheritable(True)
        # As waitress does: a restart may reuse the port at once.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(2048)
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
