"""The OpenSearch test cluster: real nodes on 127.0.0.1, started from the pinned Maven project.

    python -m tests.opensearch.cluster run --nodes 3 -- .venv/bin/python -m pytest
    python -m tests.opensearch.cluster start --folder /tmp/os   # prints the state file
    python -m tests.opensearch.cluster stop /tmp/os/cluster.json

``run`` starts the cluster, runs the command with ``SUMMIT_SEARCH_TEST_CLUSTER`` naming the
state file (nodes, ports, pids), and stops every node when the command ends, whatever its
outcome. With three nodes the first is manager-only (256 MB), so any one node can be killed and
the cluster keeps a manager; the others hold the data (512 MB each).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENV_VAR = "SUMMIT_SEARCH_TEST_CLUSTER"
MAIN = "summitsearch.testcluster.TestNode"
JAVA_FLAGS = [
    "-XX:+UseG1GC",
    "-Xss1m",
    # C1 only: the nodes are green in about half the time, and test queries are no slower.
    "-XX:TieredStopAtLevel=1",
    "-Dfile.encoding=UTF-8",
    "-Djava.locale.providers=SPI,COMPAT",
    "-Dio.netty.noUnsafe=true",
    "-Dio.netty.noKeySetOptimization=true",
    "-Dio.netty.recycler.maxCapacityPerThread=0",
    "-Dlog4j2.disable.jmx=true",
    "-Djna.nosys=true",
]


def build() -> Path:
    """Build the launcher and its jars once (Maven, offline when they are already fetched)."""
    lib = HERE / "target" / "lib"
    jar = HERE / "target" / "testcluster-1.jar"
    if not (jar.exists() and lib.is_dir()):
        mvn = shutil.which("mvn")
        if mvn is None:
            raise SystemExit("the test cluster needs Maven (mvn) and a JDK 17")
        subprocess.run([mvn, "-q", "-B", "package"], cwd=HERE, check=True)
    return jar


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Node:
    """One node of the cluster: its name, roles, ports and process."""

    name: str
    roles: str
    heap_mb: int
    http: int
    transport: int
    pid: int = 0

    @property
    def url(self) -> str:
        """The node's HTTP address."""
        return f"http://127.0.0.1:{self.http}"


@dataclass
class Cluster:
    """A running test cluster, saved as JSON so other processes (the tests) can use it."""

    folder: str
    nodes: list[Node] = field(default_factory=list)

    def __post_init__(self) -> None:
        # The node processes this process started (not saved: each process reaps its own).
        self._procs: dict[int, subprocess.Popen[bytes]] = {}

    @property
    def state_file(self) -> Path:
        """Where the cluster is described for other processes."""
        return Path(self.folder) / "cluster.json"

    @property
    def urls(self) -> list[str]:
        """The HTTP addresses of every node, the data nodes first."""
        return [n.url for n in sorted(self.nodes, key=lambda n: n.roles == "cluster_manager")]

    def save(self) -> None:
        """Write the state file."""
        self.state_file.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Cluster:
        """The cluster a state file describes."""
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(raw["folder"], [Node(**n) for n in raw["nodes"]])

    def refresh(self) -> None:
        """Take the nodes' processes from the state file (another process may restart one)."""
        pids = {n.name: n.pid for n in Cluster.load(self.state_file).nodes}
        for node in self.nodes:
            node.pid = pids[node.name]

    def _command(self, node: Node, jar: Path) -> list[str]:
        seeds = ",".join(f"127.0.0.1:{n.transport}" for n in self.nodes)
        managers = ",".join(n.name for n in self.nodes if "cluster_manager" in n.roles)
        home = Path(self.folder) / node.name
        settings = {
            "cluster.name": "summit-search-test",
            "node.name": node.name,
            "node.roles": node.roles,
            "path.home": str(home),
            "path.data": str(home / "data"),
            "path.logs": str(home / "logs"),
            "network.host": "127.0.0.1",
            "http.port": str(node.http),
            "transport.port": str(node.transport),
            "discovery.seed_hosts": seeds,
            "cluster.initial_cluster_manager_nodes": managers,
            # A nearly full CI disk would otherwise turn the indices read-only.
            "cluster.routing.allocation.disk.threshold_enabled": "false",
            "action.auto_create_index": "false",
        }
        classpath = f"{jar}:{jar.parent / 'lib' / '*'}"
        heap = [f"-Xms{node.heap_mb}m", f"-Xmx{node.heap_mb}m"]
        java = os.environ.get("JAVA_HOME")
        exe = str(Path(java) / "bin" / "java") if java else "java"
        return [exe, *heap, *JAVA_FLAGS, "-cp", classpath, MAIN] + [
            f"{k}={v}" for k, v in settings.items()
        ]

    def start_node(self, node: Node) -> None:
        """Start one node's JVM, its output in the node's log file."""
        home = Path(self.folder) / node.name
        (home / "config").mkdir(parents=True, exist_ok=True)
        with (home / "node.log").open("ab") as log:
            proc = subprocess.Popen(
                self._command(node, build()),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        node.pid = proc.pid
        self._procs[proc.pid] = proc
        self.save()

    def health(self, timeout: float = 2.0, params: str = "") -> dict[str, object]:
        """``/_cluster/health?params`` from the first node that answers."""
        query = params
        last: Exception | None = None
        for url in self.urls:
            try:
                with urllib.request.urlopen(
                    f"{url}/_cluster/health?{query}", timeout=timeout
                ) as resp:
                    return json.loads(resp.read())
            except urllib.error.HTTPError as exc:  # 408 or 503 while the cluster forms
                exc.close()
                last = exc
            except OSError as exc:  # a node still starting, or killed by a test
                last = exc
        raise ConnectionError(f"no node answers: {last}")

    def wait(self, status: str = "green", nodes: int | None = None, seconds: float = 120) -> None:
        """Wait until the cluster has ``nodes`` nodes and ``status``."""
        want = len(self.nodes) if nodes is None else nodes
        deadline = time.monotonic() + seconds
        while True:
            try:
                got = self.health(10, f"wait_for_status={status}&wait_for_nodes={want}&timeout=5s")
                if not got.get("timed_out") and got.get("number_of_nodes") == want:
                    return
            except (ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"the cluster did not reach {status} with {want} nodes")
            time.sleep(0.5)

    def kill(self, name: str) -> None:
        """SIGKILL one node, as a crash would."""
        node = next(n for n in self.nodes if n.name == name)
        with contextlib.suppress(ProcessLookupError):
            os.kill(node.pid, signal.SIGKILL)
        proc = self._procs.pop(node.pid, None)
        if proc is not None:  # else its parent reaps it: SIGKILL needs no wait
            proc.wait()

    def restart(self, name: str) -> None:
        """Start a killed node again with its data."""
        self.start_node(next(n for n in self.nodes if n.name == name))

    def stop(self) -> None:
        """Stop every node (SIGTERM, then SIGKILL after 20 s) and remove the folder.

        Any other node process of this cluster's folder goes too (a node restarted by a
        process that then died would otherwise outlive the cluster).
        """
        self._stop([n.pid for n in self.nodes])
        self._stop(_strays(self.folder))
        shutil.rmtree(self.folder, ignore_errors=True)

    def release(self) -> None:
        """Stop the nodes this process started in a cluster another process owns (a restart)."""
        self._stop(list(self._procs))

    def _stop(self, pids: list[int]) -> None:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for pid in pids:
            while self._alive(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            self._reap(pid)

    def _alive(self, pid: int) -> bool:
        proc = self._procs.get(pid)
        if proc is not None:
            return proc.poll() is None
        try:  # another process started it (and reaps it)
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    def _reap(self, pid: int) -> None:
        proc = self._procs.pop(pid, None)
        if proc is not None:
            proc.wait()
            return
        # Another process's child stays a zombie until that process reaps it: wait a little.
        deadline = time.monotonic() + 5
        while self._alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)


def _strays(folder: str) -> list[int]:
    """Node processes still running with their home in ``folder``."""
    mark = f"path.home={Path(folder)}/".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if mark in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def start(folder: Path, nodes: int = 3) -> Cluster:
    """Start ``nodes`` nodes in ``folder`` and wait until the cluster is green."""
    folder.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(str(folder))
    for i in range(nodes):
        manager_only = nodes >= 3 and i == 0
        roles = "cluster_manager" if manager_only else "cluster_manager,data,ingest"
        heap = 256 if manager_only else 512
        cluster.nodes.append(Node(f"node{i}", roles, heap, free_port(), free_port()))
    build()
    for node in cluster.nodes:
        cluster.start_node(node)
    try:
        cluster.wait("green")
    except BaseException:
        for node in cluster.nodes:
            log = Path(folder) / node.name / "node.log"
            if log.exists():
                sys.stderr.write(log.read_text(encoding="utf-8", errors="replace")[-3000:])
        cluster.stop()
        raise
    return cluster


def main(argv: list[str] | None = None) -> int:
    """The command line: run, start, stop."""
    parser = argparse.ArgumentParser(prog="python -m tests.opensearch.cluster")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start a cluster, run a command, stop the cluster")
    run.add_argument("--nodes", type=int, default=3)
    run.add_argument("argv", nargs=argparse.REMAINDER)
    up = sub.add_parser("start", help="start a cluster and print its state file")
    up.add_argument("--nodes", type=int, default=3)
    up.add_argument("--folder", type=Path, required=True)
    down = sub.add_parser("stop", help="stop the cluster a state file describes")
    down.add_argument("state", type=Path)
    args = parser.parse_args(argv)
    if args.command == "start":
        print(start(args.folder, args.nodes).state_file)
        return 0
    if args.command == "stop":
        Cluster.load(args.state).stop()
        return 0
    command = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    if not command:
        parser.error("run needs a command after --")
    began = time.monotonic()
    cluster = start(Path(tempfile.mkdtemp(prefix="summit-search-cluster-")), args.nodes)
    print(
        f"OpenSearch test cluster: {len(cluster.nodes)} nodes green in "
        f"{time.monotonic() - began:.1f} s at {', '.join(cluster.urls)}",
        flush=True,
    )
    try:
        env = {**os.environ, ENV_VAR: str(cluster.state_file)}
        # SIGTERM to this wrapper (CI cancelling) still stops the nodes.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        return subprocess.call(command, env=env)
    finally:
        cluster.refresh()  # a node the command restarted has a new process
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
