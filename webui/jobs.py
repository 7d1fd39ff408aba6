"""The reindex button's background job and its progress, shared by every server process.

The server runs several worker processes (``webui.serve``), and the admin page's progress poll
may reach any of them. So the job's state is a small JSON file beside the index, replaced
atomically at each step, and one job at a time is held by an advisory lock on a file there:
whichever process started the job holds the lock while it runs, any process reads the state,
and a job whose process died (its lock released with it) reads as interrupted.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import time
from pathlib import Path
from typing import IO, Any

from flask import Flask, current_app

from indexer.backends.errors import IndexError_
from indexer.config import Config
from indexer.ingest.run import index_sources

_KEY = "summit_search.reindex"
STATE_FILE = ".reindex.json"
LOCK_FILE = ".reindex.lock"
IDLE: dict[str, Any] = {"state": "idle", "done": 0, "total": 0}


class ReindexJob:
    """At most one incremental reindex at a time across processes, with readable progress."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._held: IO[bytes] | None = None
        self._status: dict[str, Any] = dict(IDLE)

    def start(self, config: Config) -> bool:
        """Start reindexing the source folders and the library; False if one is running."""
        with self._lock:
            held = self._take_lock()
            if held is None:
                return False
            self._held = held
            self._status = {"state": "running", "done": 0, "total": 0, "started": time.time()}
            self._save()
            self._thread = threading.Thread(target=self._run, args=(config,), daemon=True)
            self._thread.start()
        return True

    def _take_lock(self) -> IO[bytes] | None:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(self.index_dir / LOCK_FILE, "ab")  # noqa: SIM115 (held while the job runs)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return None
        return handle

    def _update(self, **values: Any) -> None:
        with self._lock:
            self._status = {**self._status, **values}
            self._save()

    def _save(self) -> None:
        path = self.index_dir / STATE_FILE
        tmp = path.with_name(f"{STATE_FILE}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self._status, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)

    def _run(self, config: Config) -> None:
        def progress(done: int, total: int, name: str) -> None:
            self._update(done=done, total=total, current=name)

        def waiting(message: str) -> None:
            self._update(message=message)

        try:
            report = index_sources(config, progress=progress, on_wait=waiting)
        except (IndexError_, OSError) as exc:
            self._finish(state="failed", message=str(exc), finished=time.time())
            return
        self._finish(
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

    def _finish(self, **values: Any) -> None:
        self._update(**values)
        with self._lock:
            if self._held is not None:
                self._held.close()  # releases the lock
                self._held = None

    def status(self) -> dict[str, Any]:
        """The current progress as any process sees it: state, done, total, current, summary."""
        try:
            found = json.loads((self.index_dir / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return dict(IDLE)
        if found.get("state") == "running" and not self._running_somewhere():
            # The process that ran it is gone (killed or restarted) with the job unfinished.
            return {
                **found,
                "state": "failed",
                "message": "interrupted: its server process stopped",
            }
        return found

    def _running_somewhere(self) -> bool:
        with self._lock:
            if self._held is not None:
                return True
        held = self._take_lock()
        if held is None:
            return True
        with contextlib.closing(held):
            return False

    def join(self, timeout: float | None = None) -> None:
        """Wait for a job this process started (tests and shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)


def get_job() -> ReindexJob:
    """The app's reindex job."""
    return current_app.extensions[_KEY]


def init_app(app: Flask) -> None:
    """Give the app its reindex job, kept beside its index."""
    app.extensions[_KEY] = ReindexJob(Path(app.config["INDEX_DIR"]))
