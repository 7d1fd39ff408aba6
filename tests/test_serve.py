"""``summit-search serve`` as it runs: gunicorn, two worker processes, one index."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.bench.load import children, free_port

TOKEN = "serve-test-token"


@pytest.fixture
def server(corpus_index: Path, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """The real server over a copy of the corpus index, with two workers, on a free port."""
    index = tmp_path / "index"
    shutil.copytree(corpus_index, index)
    port = free_port()
    script = Path(sys.executable).with_name("summit-search")
    env = {**os.environ, "SUMMIT_SEARCH_ADMIN_TOKEN": TOKEN, "SUMMIT_SEARCH_RATELIMIT": "0"}
    command = [str(script), "serve", "--index", str(index), "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line == f"Summit Search: http://127.0.0.1:{port}/  (Ctrl+C stops it)\n"
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while len(children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(20)
        proc.stdout.close()


def _get(url: str) -> dict:
    # A new connection for every request: the kernel hands each to either worker.
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def _admin(base: str) -> tuple[urllib.request.OpenerDirector, str]:
    """A logged-in admin session and its CSRF token."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(f"{base}/admin", timeout=30).read().decode()
    csrf = re.findall(r'name="csrf_token" value="([^"]+)"', page)[0]
    form = urllib.parse.urlencode({"token": TOKEN, "csrf_token": csrf}).encode()
    page = opener.open(f"{base}/admin/login", data=form, timeout=30).read().decode()
    return opener, re.findall(r'name="csrf_token" value="([^"]+)"', page)[0]


def test_two_workers_serve_and_an_upload_is_seen_by_both(
    server: tuple[str, subprocess.Popen],
) -> None:
    base, proc = server
    assert len(children(proc.pid)) == 2
    opener, csrf = _admin(base)
    form = urllib.parse.urlencode(
        {"csrf_token": csrf, "title": "양쪽 작업자 확인", "text": "작업자검증어 기사의 본문이다."}
    ).encode()
    with opener.open(f"{base}/admin/paste", data=form, timeout=60) as response:
        assert response.status == 200
    # Whichever worker answers, the pasted article is there at once.
    found = [
        [
            h["title"]
            for h in _get(f"{base}/api/search?q=" + urllib.parse.quote("작업자검증어"))["hits"]
        ]
        for _ in range(20)
    ]
    assert found == [["양쪽 작업자 확인"]] * 20


def test_the_reindex_progress_is_the_same_from_every_worker(
    server: tuple[str, subprocess.Popen],
) -> None:
    base, _ = server
    opener, csrf = _admin(base)
    form = urllib.parse.urlencode({"csrf_token": csrf}).encode()
    opener.open(f"{base}/admin/reindex", data=form, timeout=30).read()
    deadline = time.monotonic() + 60
    states = []
    while time.monotonic() < deadline:
        states = [json.loads(opener.open(f"{base}/admin/reindex/status").read()) for _ in "abcd"]
        if all(s["state"] == "done" for s in states):
            break
        time.sleep(0.2)
    assert [s["state"] for s in states] == ["done"] * 4
    assert {s["summary"] for s in states} == {
        "0 added, 0 updated, 5 unchanged, 0 removed, 0 failed"
    }


def test_one_reindex_at_a_time_across_processes(tmp_path: Path) -> None:
    from indexer.config import Config
    from webui.jobs import STATE_FILE, ReindexJob

    here, there = ReindexJob(tmp_path), ReindexJob(tmp_path)
    held = there._take_lock()  # a job running in another worker process
    assert held is not None
    assert here.start(Config.at(tmp_path / "index")) is False
    (tmp_path / STATE_FILE).write_text('{"state": "running", "done": 1, "total": 3}')
    assert here.status() == {"state": "running", "done": 1, "total": 3}
    held.close()  # that process died: its lock went with it
    assert here.status() == {
        "state": "failed",
        "done": 1,
        "total": 3,
        "message": "interrupted: its server process stopped",
    }


def test_sigterm_stops_the_server_and_its_workers(server: tuple[str, subprocess.Popen]) -> None:
    _, proc = server
    workers = children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists()] == []
