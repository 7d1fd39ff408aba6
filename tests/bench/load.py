"""Load test: concurrent clients against ``summit-search serve`` on loopback, one upload midway.

Builds (or reuses) an index of generated articles, starts the server on a free 127.0.0.1 port,
runs the clients for a fixed time mixing JSON searches, search pages, article pages and article
JSON, uploads a file through the admin page halfway, then reports requests per second,
latency percentiles, errors and the server's memory before and after.
Usage: ``python -m tests.bench.load --articles 10000 --clients 16 --seconds 60``.

With ``--opensearch``, run inside ``python -m tests.opensearch.cluster run --``: the articles
are indexed into the test cluster, the server searches it, and a data node is killed
(SIGKILL) before the upload, at two fifths of the run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

from indexer.backends.whoosh.store import index_exists, open_index
from tests.bench import summit_command
from tests.bench.corpus import write_corpus
from tests.opensearch.cluster import ENV_VAR, Cluster

_HANGUL_WORD = re.compile(r"^[\uac00-\ud7a3]{2,}$")


@dataclass
class Tally:
    """Latencies and errors, shared by the client threads."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str | None) -> None:
        """Record one request."""
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile by nearest rank (0.0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Memory of process ``pid`` and its children (the server's workers) in MB, summed.

    ``field`` is a line of /proc/PID/status: ``VmRSS`` now, ``VmHWM`` the peak.
    """
    total = 0.0
    for p in [pid, *children(pid)]:
        try:
            lines = Path(f"/proc/{p}/status").read_text().splitlines()
        except OSError:
            continue
        total += sum(int(x.split()[1]) / 1024 for x in lines if x.startswith(f"{field}:"))
    return total


def children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid``."""
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        found = [Path(f"{t}/children").read_text().split() for t in tasks]
    except OSError:
        return []
    return [int(c) for group in found for c in group]


def cluster_env(cluster: Cluster) -> dict[str, str]:
    """The environment that points the product at the test cluster."""
    return {
        "SUMMIT_SEARCH_BACKEND": "opensearch",
        "SUMMIT_SEARCH_OPENSEARCH_URL": ",".join(cluster.urls),
        "SUMMIT_SEARCH_OPENSEARCH_INDEX": "bench-load",
    }


def build_index(
    index_dir: Path, articles: int, env: dict[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """Reuse or build an index of ``articles`` generated articles; return (ids, keywords).

    With ``env`` (a cluster's), the index is always built into that cluster.
    """
    src = index_dir.parent / "corpus"
    corpus = write_corpus(src, articles, per_file=500, size=1000, seed=11)
    embedded_ready = env is None and index_exists(index_dir)
    if not (embedded_ready and open_index(index_dir).doc_count() == articles):
        print(f"building an index of {articles} articles at {index_dir} ...", flush=True)
        started = time.monotonic()
        command = [*summit_command(), "index", "--rebuild", "--index", str(index_dir), str(src)]
        environ = {**os.environ, **(env or {})}
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environ)
        print(f"built in {time.monotonic() - started:.0f} s", flush=True)
    words: dict[str, int] = {}
    for title in corpus.titles.values():
        for word in title.split()[1:]:
            if _HANGUL_WORD.match(word):
                words[word] = words.get(word, 0) + 1
    keywords = sorted(words, key=lambda w: -words[w])[:300]
    return corpus.all_ids, keywords


def free_port() -> int:
    """A TCP port nothing listens on at 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, timeout: float = 120.0) -> None:
    """Poll the server until its search page answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer on port {port} within {timeout:.0f} s")


def client(port: int, ids: list[str], words: list[str], stop: float, tally: Tally, seed: int):
    """One client: a keep-alive connection sending a random mix until ``stop``."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < stop:
        kind = rng.random()
        q = urllib.parse.quote(" ".join(rng.sample(words, rng.choice((1, 1, 2)))))
        doc = urllib.parse.quote(rng.choice(ids))
        if kind < 0.4:
            path = f"/api/search?q={q}"
        elif kind < 0.7:
            path = f"/?q={q}"
        elif kind < 0.85:
            path = f"/articles/{doc}?q={q}"
        else:
            path = f"/api/articles/{doc}"
        started = time.perf_counter()
        error = None
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                error = f"{response.status} {path}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__} {path}"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        tally.add(time.perf_counter() - started, error)
    conn.close()


def upload(port: int, token: str) -> str:
    """Log in to the admin page and upload a 20-article JSONL file; return the outcome."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/admin", timeout=30).read().decode()
    csrf = re.findall(r'name="csrf_token" value="([^"]+)"', page)[0]
    form = urllib.parse.urlencode({"token": token, "csrf_token": csrf}).encode()
    page = opener.open(f"{base}/admin/login", data=form, timeout=30).read().decode()
    csrf = re.findall(r'name="csrf_token" value="([^"]+)"', page)[0]
    records = [
        {"id": f"load-upload-{n}", "title": f"업로드 {n}", "text": "서울 정상회의 " * 40}
        for n in range(20)
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    boundary = secrets.token_hex(12)
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="load.jsonl"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n" + "\n".join(lines) + "\n\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    request = urllib.request.Request(
        f"{base}/admin/upload", data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )  # fmt: skip
    started = time.perf_counter()
    with opener.open(request, timeout=120) as response:
        status = response.status
    took = time.perf_counter() - started
    # Searched until found, a new connection each time: any worker process may answer.
    query = f"{base}/api/search?q=" + urllib.parse.quote('"업로드 19"')
    while time.perf_counter() - started < 30:
        with urllib.request.urlopen(query, timeout=30) as r:
            hits = json.loads(r.read())["hits"]
        if any(h["id"] == "load-upload-19" for h in hits):
            break
        time.sleep(0.05)
    found = time.perf_counter() - started
    return f"HTTP {status} in {took:.2f} s, searchable {found:.2f} s after the upload started"


def run(
    articles: int,
    clients: int,
    seconds: float,
    index_dir: Path,
    workers: int | None = None,
    cluster: Cluster | None = None,
) -> dict[str, object]:
    """Build or reuse the index, serve it, load it; return the figures.

    With ``cluster``, the index is the cluster's and a data node dies before the upload.
    """
    backend = cluster_env(cluster) if cluster else {}
    ids, words = build_index(index_dir, articles, backend if cluster else None)
    port, token = free_port(), secrets.token_urlsafe(18)
    # All clients share one address: per-client rate limits would measure the limiter.
    env = {
        **os.environ, **backend,
        "SUMMIT_SEARCH_RATELIMIT": "0", "SUMMIT_SEARCH_ADMIN_TOKEN": token,
    }  # fmt: skip
    chosen = ["--workers", str(workers)] if workers else []
    # The server's log is kept beside the index: an error the clients saw is explained there.
    log = (index_dir.parent / "server.log").open("wb")
    server = subprocess.Popen(
        [*summit_command(), "serve", "--index", str(index_dir), "--port", str(port), *chosen],
        env=env, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    try:
        wait_ready(port)
        rss_before = rss_mb(server.pid)
        tally = Tally()
        stop = time.monotonic() + seconds
        threads = [
            threading.Thread(target=client, args=(port, ids, words, stop, tally, n))
            for n in range(clients)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        killed = ""
        if cluster:
            time.sleep(seconds * 0.4)
            cluster.kill("node1")
            killed = f"node1 at {time.monotonic() - started:.1f} s"
            time.sleep(seconds * 0.1)
        else:
            time.sleep(seconds / 2)
        uploaded = upload(port, token)
        for t in threads:
            t.join(seconds + 60)
        elapsed = time.monotonic() - started
        rss_after = rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    ms = [s * 1000 for s in tally.latencies]
    return {
        "requests": len(ms),
        "requests_per_s": round(len(ms) / elapsed, 1),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms, default=0.0), 1),
        "errors": len(tally.errors),
        "error_examples": tally.errors[:5],
        "upload": uploaded,
        "killed": killed or "none",
        "rss_mb_before": round(rss_before, 1),
        "rss_mb_after": round(rss_after, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; exit status 1 if any request failed."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.load")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=None, help="server processes")
    parser.add_argument(
        "--index", type=Path, default=None,
        help="index folder to build or reuse [default: a folder under the system temp dir]",
    )  # fmt: skip
    parser.add_argument(
        "--opensearch", action="store_true",
        help=f"search the test cluster ({ENV_VAR} names its state file) and kill a data node",
    )  # fmt: skip
    args = parser.parse_args(argv)
    cluster = None
    if args.opensearch:
        state = os.environ.get(ENV_VAR)
        if not state:
            parser.error(f"run it inside the test cluster ({ENV_VAR} names its state file)")
        cluster = Cluster.load(state)
    index_dir = args.index or Path(tempfile.gettempdir()) / f"summit-load-{args.articles}" / "index"
    figures = run(args.articles, args.clients, args.seconds, index_dir, args.workers, cluster)
    for key, value in figures.items():
        print(f"{key}: {value}")
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
