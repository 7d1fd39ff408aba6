"""Hostile input: queries that try to break the CLI, the API and the page; files that are bad."""

from __future__ import annotations

import json
import os
import re
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ADMIN_TOKEN, make_app
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.backends.whoosh.store import open_index
from indexer.cli import main
from indexer.documents import articles as documents
from webui.ratelimit import TokenBucket

# A guard against hangs only: Whoosh alone took 26-50 s on `*` and `*a*`. Not 5 s: 64 unknown
# words (the term cap) cost one spelling suggestion each, about 3 s on a busy 2-CPU machine.
MAX_SECONDS = 10.0
HANGUL = "서울"
HANGUL_NFD = unicodedata.normalize("NFD", HANGUL)
PIECES = [
    '"', "(", ")", "((((", "))))", "*", "*a*", "*울", "?", "~", "^2", "\\", "+", "-",
    "foo:bar", "title:", ":", "published:2024-99-99", "outlet:", "OR", "AND", "NOT",
    "\u202e", "\u200f", "\u2066", "\x00", "\x1b[1m", "\r\n", "\t", "\ufeff", "\u200b",
    HANGUL, HANGUL_NFD, "정상회의", "AI", "<script>", "&amp;", "%00", "🤖", "\U0010ffff",
]  # fmt: skip
QUERIES = st.lists(st.one_of(st.text(max_size=30), st.sampled_from(PIECES)), max_size=12).map(
    " ".join
) | st.text(max_size=200)
# Large inputs hypothesis rarely builds on its own: each is tried on every query path.
EXTREMES = [
    "*",
    "*a*",
    "*울*",
    "(" * 5000 + "서울" + ")" * 4000,
    '"' * 999,
    "a" * 10_000,
    " OR ".join(f"w{i}" for i in range(2000)),
    " ".join(f"-x{i}" for i in range(500)),
    " ".join(f"+{HANGUL}" for _ in range(500)),
    "title:" * 2000,
    "\u202e" * 3000 + "서울",
    "\x00\x01\x02\x7f" * 500,
    "published:0000-00-00..9999-99-99",
]
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class Worst:
    """The slowest single search seen, checked against MAX_SECONDS."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.query = ""

    def time(self, query: str, run: Callable[[], object]) -> object:
        started = time.perf_counter()
        result = run()
        took = time.perf_counter() - started
        if took > self.seconds:
            self.seconds, self.query = took, query
        assert took < MAX_SECONDS, f"{took:.1f} s for {query[:80]!r}"
        return result


@pytest.fixture(scope="module")
def web(corpus_index: Path) -> FlaskClient:
    """One client for the whole module: hypothesis runs many examples per test."""
    # Hundreds of searches from one address: rate limiting has its own tests below.
    return make_app(corpus_index, RATELIMIT_ENABLED=False).test_client()


def cli_search(index: Path, query: str) -> tuple[int, str, BaseException | None]:
    """Run `summit-search search --json -- QUERY` in process; (exit code, stdout, exception)."""
    result = CliRunner().invoke(main, ["search", "--index", str(index), "--json", "--", query])
    crashed = result.exception if not isinstance(result.exception, SystemExit) else None
    return result.exit_code, result.stdout, crashed


def assert_cli_survives(index: Path, query: str, worst: Worst) -> None:
    code, out, crashed = worst.time(query, lambda: cli_search(index, query))  # type: ignore[misc]
    assert crashed is None, f"{query!r}: {crashed!r}"
    if query.strip("\x00"):
        assert code == 0, (query, out)
        assert isinstance(json.loads(out)["total"], int)


def assert_api_survives(web: FlaskClient, query: str, worst: Worst) -> None:
    response = worst.time(query, lambda: web.get("/api/search", query_string={"q": query}))
    assert response.status_code in (200, 400), (query, response.status_code)  # type: ignore[union-attr]
    assert "total" in response.get_json() or "error" in response.get_json()  # type: ignore[union-attr]


def assert_page_survives(web: FlaskClient, query: str, worst: Worst) -> None:
    response = worst.time(query, lambda: web.get("/", query_string={"q": query}))
    assert response.status_code == 200, (query, response.status_code)  # type: ignore[union-attr]
    assert b"<script>" not in response.data.replace(b'<script src="', b"")  # type: ignore[union-attr]


@SETTINGS
@given(query=QUERIES)
def test_cli_search_never_crashes(corpus_index: Path, query: str) -> None:
    assert_cli_survives(corpus_index, query, Worst())


@SETTINGS
@given(query=QUERIES)
def test_api_search_never_500s(web: FlaskClient, query: str) -> None:
    assert_api_survives(web, query, Worst())


@SETTINGS
@given(query=QUERIES)
def test_search_page_never_500s(web: FlaskClient, query: str) -> None:
    assert_page_survives(web, query, Worst())


@pytest.mark.parametrize("query", EXTREMES, ids=lambda q: repr(q[:12]) + f"x{len(q)}")
def test_extreme_queries_on_every_path(corpus_index: Path, web: FlaskClient, query: str) -> None:
    worst = Worst()
    assert_cli_survives(corpus_index, query, worst)
    assert_api_survives(web, query, worst)
    assert_page_survives(web, query, worst)


def api_ids(web: FlaskClient, query: str) -> list[str]:
    """The top ids the JSON API returns for ``query``."""
    return [h["id"] for h in web.get("/api/search", query_string={"q": query}).get_json()["hits"]]


def test_decomposed_hangul_finds_the_same_articles(corpus_index: Path, web: FlaskClient) -> None:
    assert HANGUL_NFD != HANGUL and len(HANGUL_NFD) == 5
    composed = api_ids(web, HANGUL)
    assert composed, "the corpus has articles about Seoul"
    assert api_ids(web, HANGUL_NFD) == composed
    _, out, _ = cli_search(corpus_index, HANGUL_NFD)
    assert [h["id"] for h in json.loads(out)["hits"]] == composed


# Bad (and awkward but valid) files in one batch with good ones: name -> (bytes, outcome).
# Outcome: the ids indexed from the file, or the one-line reasons it was rejected with.
KOREAN = (
    "서울에서 열린 인공지능 정상회의는 안전과 혁신을 함께 논의했다.\n"
    "각국 대표단은 위험 관리 방안을 발표했다.\n"
    "회의는 이틀 동안 이어졌고 공동 선언문이 채택되었다.\n"
)
HTML = (
    "<html><head><title>AI &amp; 안전 회의</title><script>alert('x')</script></head><body>"
    + "<script>document.write('nope')</script>" * 50
    + "<article><p>AI &amp; 안전 &lt;기본법&gt; 논의가 서울에서 &#52824;&#50676;했다.</p>"
    + f"<p>{KOREAN}</p></article><script>evil()</script></body></html>"
)
GOOD_JSONL = json.dumps({"id": "ok-1", "text": KOREAN}, ensure_ascii=False)
BIG = 100 * 1024 * 1024
FILES: dict[str, tuple[bytes, list[str]]] = {
    "good.txt": (KOREAN.encode(), ["good.txt"]),
    "cp949.txt": (KOREAN.encode("cp949"), ["cp949.txt"]),
    "euckr.txt": (KOREAN.encode("euc-kr"), ["euckr.txt"]),
    "utf16.txt": (KOREAN.encode("utf-16"), ["utf16.txt"]),
    "scripts.html": (HTML.encode(), ["scripts.html"]),
    "binary.txt": (b"PK\x03\x04\x00\x00\x01binary", ["binary file: contains NUL bytes"]),
    "empty.txt": (b"", ["empty file"]),
    "invalid-utf8.txt": (
        KOREAN.encode() + b"\xff\xfe\xc3(",
        ["cannot decode: not UTF-8, UTF-16 or CP949"],
    ),
    "broken.jsonl": (
        (GOOD_JSONL + '\n{"id": "ok-2", "text": \n' + GOOD_JSONL.replace("ok-1", "ok-3")).encode(),
        ["ok-1", "#2: invalid JSON: Expecting value at column 24", "ok-3"],
    ),
    "dupes-in-file.jsonl": (
        (GOOD_JSONL.replace("ok-1", "twice") + "\n" + GOOD_JSONL.replace("ok-1", "twice")).encode(),
        ["#1: duplicate id 'twice': replaced by line 2", "twice"],
    ),
    "dupe-across-files.jsonl": (
        GOOD_JSONL.encode(),
        ["duplicate id 'ok-1', first in broken.jsonl"],
    ),
    "unreadable.txt": (KOREAN.encode(), ["cannot read: Permission denied"]),
    "huge.txt": (b"", [f"too large: {BIG} bytes (limit {documents.MAX_BYTES})"]),
    "huge.jsonl": (b"", [f"#1: line too large (limit {documents.MAX_BYTES} bytes)"]),
}


@pytest.fixture
def bad_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding every file of FILES plus a symlink loop."""
    src = tmp_path / "src"
    src.mkdir()
    for name, (content, _) in FILES.items():
        (src / name).write_bytes(content)
    for name in ("huge.txt", "huge.jsonl"):
        with (src / name).open("r+b") as f:
            f.truncate(BIG)  # sparse: 100 MB of zeros without writing them
    (src / "loop").symlink_to(src)  # a directory loop: each file is still read once
    (src / "self-loop.txt").symlink_to(src / "self-loop.txt")  # ELOOP: reported, not read
    unreadable = src / "unreadable.txt"
    if os.geteuid() == 0:
        # root reads a chmod 000 file anyway: fail its read the way the kernel would for others
        real = Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self.name == unreadable.name:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    else:
        unreadable.chmod(0)
    return src


def test_bad_files_get_one_line_reasons_and_good_files_are_indexed(
    bad_batch: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["index", "--index", str(index), str(bad_batch)])
    assert time.perf_counter() - started < 60, "100 MB files must be refused without reading"
    assert result.exit_code == 1, result.output
    failures = sorted(line for line in result.stderr.splitlines() if line.startswith("failed:"))
    expected_failures = sorted(
        f"failed: {name}{'' if reason.startswith('#') else ': '}{reason}"
        for name, (_, outcomes) in FILES.items()
        for reason in outcomes
        if " " in reason  # ids have no spaces, reasons do
    )
    # The self-referencing symlink is not in FILES (it has no content to write).
    loop = "failed: self-loop.txt: cannot read: Too many levels of symbolic links"
    assert failures == sorted([*expected_failures, loop])
    with open_index(index).searcher() as s:
        stored = {f["id"]: f for f in s.all_stored_fields()}
    good = sorted(o for _, outcomes in FILES.values() for o in outcomes if " " not in o)
    assert sorted(stored) == good
    # Every valid encoding decodes to the same text; HTML loses its scripts, keeps its text.
    assert {stored[n]["body"] for n in ("good.txt", "cp949.txt", "euckr.txt", "utf16.txt")} == {
        KOREAN.strip()
    }
    page = stored["scripts.html"]
    assert page["title"] == "AI & 안전 회의"
    assert "AI & 안전 <기본법> 논의가 서울에서 치열했다." in page["body"]
    assert "alert" not in page["body"] and "evil" not in page["body"]


def test_token_bucket_allows_a_burst_then_refills() -> None:
    now = [100.0]
    bucket = TokenBucket(per_minute=60, burst=3, clock=lambda: now[0])
    assert [bucket.take("a") for _ in range(4)] == [0.0, 0.0, 0.0, 1.0]
    assert bucket.take("b") == 0.0  # each client has its own bucket
    now[0] += 1.0
    assert bucket.take("a") == 0.0
    assert bucket.take("a") == pytest.approx(1.0)


def test_search_api_answers_429_with_retry_after(corpus_index: Path) -> None:
    client = make_app(
        corpus_index, RATELIMIT_SEARCH_BURST=3, RATELIMIT_SEARCH_PER_MINUTE=6
    ).test_client()
    codes = [client.get("/api/search?q=서울").status_code for _ in range(3)]
    refused = client.get("/api/search?q=서울")
    assert codes == [200, 200, 200]
    assert refused.status_code == 429
    retry = refused.headers["Retry-After"]
    assert 1 <= int(retry) <= 10  # a token every 10 s, less what refilled since the first
    assert refused.get_json() == {
        "error": f"too many requests: try again in {retry} s",
        "status": 429,
    }
    assert refused.headers["X-Content-Type-Options"] == "nosniff"
    other = client.get("/api/search?q=서울", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200
    assert client.get("/?q=서울").status_code == 200  # the page itself is not limited


def test_admin_login_answers_429_with_retry_after(corpus_index: Path) -> None:
    client = make_app(
        corpus_index, RATELIMIT_LOGIN_BURST=2, RATELIMIT_LOGIN_PER_MINUTE=1
    ).test_client()
    page = client.get("/admin").get_data(as_text=True)
    token = re.findall(r'name="csrf_token" value="([^"]+)"', page)[0]
    wrong = {"token": "guess", "csrf_token": token}
    assert [client.post("/admin/login", data=wrong).status_code for _ in range(2)] == [403, 403]
    refused = client.post("/admin/login", data={"token": ADMIN_TOKEN, "csrf_token": token})
    assert refused.status_code == 429
    retry = refused.headers["Retry-After"]
    assert 1 <= int(retry) <= 60
    assert f"too many requests: try again in {retry} s" in refused.get_data(as_text=True)
