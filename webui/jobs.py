"""The reindex button's background job and its progress, polled by the admin page."""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask, current_app

from indexer.config import Config
from indexer.ingest import index_sources
from indexer.store import IndexError_

_KEY = "summit_search.reindex"


class ReindexJob:
    """At most one incremental reindex at a time, with progress readable from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._status: dict[str, Any] = {"state": "idle", "done": 0, "total": 0}

    def start(self, config: Config) -> bool:
        """Start reindexing the source folders and the library; False if one is running."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return False
            self._status = {"state": "running", "done": 0, "total": 0, "started": time.time()}
            self._thread = threading.Thread(target=self._run, args=(config,), daemon=True)
            self._thread.start()
        return True

    def _update(self, **values: Any) -> None:
        with self._lock:
            self._status = {**self._status, **values}

    def _run(self, config: Config) -> None:
        def progress(done: int, total: int, name: str) -> None:
            self._update(done=done, total=total, current=name)

        def waiting(message: str) -> None:
            self._update(message=message)

        try:
            report = index_sources(config, progress=progress, on_wait=waiting)
        except (IndexError_, OSError) as exc:
            self._update(state="failed", message=str(exc), finished=time.time())
            return
        self._update(
            state="done",
            summary=report.summary(),
            counts={
                "added": len(report.added),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
                "removed": len(report.removed),
                "failed": len(report.failed),
            },
            failed=[[f.source, f.reason] for f in report.failed],
            finished=time.time(),
        )

    def status(self) -> dict[str, Any]:
        """A copy of the current progress: state, done, total, current, summary, failed."""
        with self._lock:
            return dict(self._status)

    def join(self, timeout: float | None = None) -> None:
        """Wait for a running job (tests and shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)


def get_job() -> ReindexJob:
    """The app's reindex job."""
    return current_app.extensions[_KEY]


def init_app(app: Flask) -> None:
    """Give the app its (idle) reindex job."""
    app.extensions[_KEY] = ReindexJob()
