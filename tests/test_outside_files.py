"""What a build and a search leave outside the index: nothing in the temporary folder.

The analyzer's caches (the compiled mecab user dictionary, jieba's prefix dictionary) go to
the user cache folder, and the index folder keeps no scratch folder of its build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from indexer.backends.whoosh.writer import BUILDING
from indexer.config import CORPUS_DIR, cache_dir
from indexer.ingest import pipeline
from indexer.text import korean


def test_the_cache_folder_is_the_users() -> None:
    assert cache_dir({"XDG_CACHE_HOME": "/c"}) == Path("/c/summit-search")
    assert cache_dir({}) == Path.home() / ".cache" / "summit-search"


def test_a_build_with_workers_and_a_search_write_nothing_to_the_temporary_folder(
    tmp_path: Path,
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    text = (CORPUS_DIR / "000_c757f4b4d642b6d7.txt").read_text(encoding="utf-8")
    rows = [{"id": f"a{n}", "text": f"{n}번째 기사.\n{text}"} for n in range(420)]
    (src / "big.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    # Over the size at which analysis runs in worker processes.
    assert (src / "big.jsonl").stat().st_size > pipeline.PARALLEL_MIN_BYTES
    temp, cache, index = tmp_path / "tmp", tmp_path / "cache", tmp_path / "index"
    temp.mkdir()
    env = {
        **os.environ,
        "TMPDIR": str(temp),
        "XDG_CACHE_HOME": str(cache),
        "SUMMIT_SEARCH_WORKERS": "2",
    }
    script = str(Path(sys.executable).with_name("summit-search"))
    for command in (
        [script, "index", str(src), "--index", str(index)],
        [script, "search", "人工智能 정상회의", "--index", str(index)],
    ):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert sorted(os.listdir(temp)) == []
    user_dict = korean.compile_userdict(korean.read_userdict(), tmp_path / "expected")
    assert sorted(os.listdir(cache / "summit-search")) == sorted(["jieba.cache", user_dict.name])
    left = [p.relative_to(index).as_posix() for p in index.rglob("*")]
    assert [p for p in left if p.startswith(BUILDING) or p.endswith(".tmp")] == []
