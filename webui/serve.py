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
import json
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.http import errors
from gunicorn.workers.gthread import ThreadWorker

from indexer.backends.errors import IndexError_
from webui import create_app
from webui.library import get_library
from webui.params import MAX_REQUEST_LINE

# Threads per worker: searches are short; an upload or a reindex runs beside them.
THREADS = 8
# Seconds a request may take before the master replaces its worker (a large upload).
TIMEOUT = 300
# Requests gunicorn refuses before the app sees them, with the status each gets.
REFUSED: tuple[tuple[type[Exception], int, str], ...] = (
    (errors.LimitRequestLine, 414, "URI Too Long"),
    (errors.LimitRequestHeaders, 431, "Request Header Fields Too Large"),
    (errors.InvalidRequestLine, 400, "Bad Request"),
    (errors.InvalidRequestMethod, 400, "Bad Request"),
    (errors.InvalidHTTPVersion, 400, "Bad Request"),
    (errors.InvalidHeader, 400, "Bad Request"),
    (errors.InvalidHeaderName, 400, "Bad Request"),
)


def default_workers() -> int:
    """One worker process per core."""
    return max(1, len(os.sched_getaffinity(0)))


class ServeError(Exception):
    """The server cannot start (the port is taken, the address is not this machine's)."""


def refusal(exc: Exception) -> tuple[int, str, str] | None:
    """(status, reason, what to do) for a request gunicorn refused to parse, or None."""
    found = next(((st, reason) for kind, st, reason in REFUSED if isinstance(exc, kind)), None)
    if found is None:
        return None
    status, reason = found
    if status == 414:
        return status, reason, f"The request line is longer than {MAX_REQUEST_LINE} bytes."
    if isinstance(exc, errors.InvalidRequestLine) and any(ord(c) > 0x7E for c in str(exc.req)):
        # curl and scripts send what they are given; browsers encode Korean themselves.
        return status, reason, ENCODE_ADVICE
    return status, reason, "The request is not valid HTTP/1.1."


ENCODE_ADVICE = (
    "The address has characters that must be percent-encoded (UTF-8), such as Korean: "
    "curl -G --data-urlencode 'q=서울' http://HOST/api/search"
)


class JsonErrorWorker(ThreadWorker):
    """gunicorn's threaded worker, answering the requests it cannot parse in JSON.

    Such a request never reaches the app (its path is not even known), so the answer has the
    API's error shape, ``error`` and ``status``, plus a ``message`` saying what to change.
    """

    def handle_error(self, req: Any, client: socket.socket, addr: Any, exc: Exception) -> None:
        """A JSON answer for a refused request; anything else as gunicorn answers it."""
        refused = refusal(exc)
        if refused is None:
            super().handle_error(req, client, addr, exc)
            return
        status, reason, message = refused
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        answer = {"error": reason, "status": status, "message": message}
        body = json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode()
        head = (
            f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            "Content-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        try:
            util.write_nonblock(client, head.encode("ascii") + body)
        except OSError:
            self.log.debug("Failed to send error message.")


class Server(BaseApplication):
    """gunicorn serving one already-built Flask app from an already-bound socket."""

    def __init__(self, app: Flask, sock: socket.socket, workers: int) -> None:
        self.app, self.sock = app, sock
        self.options: dict[str, Any] = {
            "bind": [f"fd://{sock.fileno()}"],
            "workers": workers,
            # gunicorn's gthread worker, its parse errors answered in JSON.
            "worker_class": JsonErrorWorker,
            "limit_request_line": MAX_REQUEST_LINE,
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
