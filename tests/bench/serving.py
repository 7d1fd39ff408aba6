"""Time from ``summit-search serve`` start to its first answered search, and its memory."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.bench.load import rss_mb

START_TIMEOUT_S = 120.0
# Searches after the first, so the server's peak memory includes some real work.
FOLLOW_UP = ("정상회담", "인공지능 안전", "AI summit", "반도체 수출 규제", "서울 선언")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        # The server is up and answered; an error status is still its answer.
        return {"status": exc.code}
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def first_search(index_dir: Path, log: Callable[[str], None]) -> dict:
    """Start the server on a free loopback port over ``index_dir`` and time the first search."""
    port = _free_port()
    script = Path(sys.executable).with_name("summit-search")
    command = [str(script), "serve", "--index", str(index_dir), "--port", str(port)]
    base = f"http://127.0.0.1:{port}/api/search?q="
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while (answer := _get(base + urllib.parse.quote("인공지능"))) is None:
            if server.poll() is not None:
                return {"skipped": f"the server exited with status {server.returncode}"}
            if time.perf_counter() - started > START_TIMEOUT_S:
                return {"skipped": f"no answer within {START_TIMEOUT_S:.0f} s"}
            time.sleep(0.05)
        first = time.perf_counter() - started
        log(f"serve: first search answered after {first:.2f} s")
        for q in FOLLOW_UP:
            _get(base + urllib.parse.quote(q))
        return {
            "first_search_s": first,
            "total": answer.get("total"),
            "peak_rss_mb": rss_mb(server.pid, "VmHWM"),
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
