"""The command line, through click's CliRunner, over the session's corpus index."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from indexer.cli import main, passage_text
from indexer.search.snippets import Passage

S002, S003 = "002_4eef7aca86074d55.txt", "003_d2343a382aed7d1a.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_search_json(corpus_index: Path) -> None:
    code, out, _ = run("search", "기본법", "--index", str(corpus_index), "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["query"], data["total"]) == ("기본법", 1)
    (hit,) = data["hits"]
    # The API's shape: one JSON form of a search result everywhere.
    assert set(hit) == {
        *("id", "title", "title_html", "outlet", "author", "published", "url"),
        *("lang", "summit", "score", "strict", "passages"),
    }
    assert hit["id"] == S003 and hit["outlet"] == "대한민국 정책브리핑"
    assert '인공지능(AI)<mark data-c="0">기본법</mark>, 올해' in hit["passages"][0]["html"]


def test_search_text_lists_aliases_and_hits(corpus_index: Path) -> None:
    code, out, _ = run("search", "UNESCO", "--index", str(corpus_index), "--limit", "1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "also searched for 유네스코 (alias of UNESCO)"
    assert lines[1].startswith("2 articles (")
    assert lines[2].startswith(
        "1. 유네스코 협약·발전 방안 논의…AI 정상회의에 기업도 ‘분주’  [쿠키뉴스, 2024-05-23]"
    )


def test_batch_mode(corpus_index: Path, tmp_path: Path) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text("a\t기본법\nb\tMOOC\nc\t***\n", encoding="utf-8")
    code, out, _ = run(
        "search", "--queries", str(queries), "--json", "--index", str(corpus_index), "--limit", "3"
    )
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["qid"], [h["id"] for h in r["hits"]]) for r in rows] == [
        ("a", [S003]),
        ("b", [S002]),
        ("c", []),
    ]


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run("search", "AI", "--index", str(tmp_path / "none"))
    assert code == 1
    assert "no index at" in err and "run `summit-search index` first" in err


def test_index_remove_stats(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.jsonl").write_text(
        '{"id": "a1", "text": "첫 기사 본문."}\n{"id": "a2", "text": "둘째 기사."}\nnot json\n',
        encoding="utf-8",
    )
    index = str(tmp_path / "index")
    code, out, err = run("index", str(src), "--index", index)
    assert code == 1  # one line failed
    assert out.strip().endswith("2 added, 0 updated, 0 unchanged, 0 removed, 1 failed")
    assert err.strip() == "failed: a.jsonl#3: invalid JSON: Expecting value at column 1"
    assert run("remove", "a1", "zz", "--index", index)[1].splitlines() == [
        "removed: a1",
        "not found: zz",
    ]
    code, out, _ = run("stats", "--index", index, "--json")
    assert code == 0 and json.loads(out)["articles"] == 1


# --- passages: plain text when piped, bold matches in a terminal -------------------------------

BOLD, RESET = "\x1b[1m", "\x1b[0m"


def _passages(corpus_index: Path, query: str) -> list[str]:
    """The first hit's passages, as the JSON form gives their text."""
    _, out, _ = run("search", query, "--index", str(corpus_index), "--limit", "1", "--json")
    return [p["text"] for p in json.loads(out)["hits"][0]["passages"]]


def test_piped_passages_are_the_plain_text(corpus_index: Path) -> None:
    code, out, _ = run("search", "서울 정상회의", "--index", str(corpus_index), "--limit", "1")
    assert code == 0
    passages = [line[3:] for line in out.splitlines() if line.startswith("   ")]
    assert passages == _passages(corpus_index, "서울 정상회의")
    assert len(passages) == 2
    assert not any(c in out for c in ("<", ">", "&", "\x1b"))


def test_a_terminal_gets_every_match_in_bold_and_nothing_of_the_markup(
    corpus_index: Path,
) -> None:
    script = Path(sys.executable).with_name("summit-search")
    leader, follower = pty.openpty()
    command = [str(script), "search", "기본법", "--index", str(corpus_index), "--limit", "1"]
    child = subprocess.Popen(command, stdout=follower, stderr=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes with the child
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert child.wait(timeout=60) == 0
    lines = b"".join(chunks).decode("utf-8").replace("\r\n", "\n").splitlines()
    (passage,) = [line[3:] for line in lines if line.startswith("   ")]
    (plain,) = _passages(corpus_index, "기본법")
    assert passage.count(BOLD) == passage.count(RESET) == plain.count("기본법") == 1
    assert passage == plain.replace("기본법", f"{BOLD}기본법{RESET}")


def test_control_characters_of_an_article_never_reach_the_terminal() -> None:
    text = "가\x1b[2J나 다\r라"
    passage = Passage(10, 10 + len(text), text, "", ((12, 15, 0),))
    assert passage_text(passage) == f"가 {BOLD}[2J{RESET}나 다 라"


def test_the_index_bar_counts_articles_and_names_the_final_merge(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    rows = [{"id": f"a{n}", "text": f"기사 {n} 본문입니다."} for n in range(5)]
    (src / "big.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    script = Path(sys.executable).with_name("summit-search")
    command = [str(script), "index", str(src), "--index", str(tmp_path / "index")]
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [*command, "--commit-every", "2"], stdout=subprocess.DEVNULL, stderr=follower
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes with the child
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert child.wait(timeout=60) == 0
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode())  # cursor codes
    frames = [" ".join(f.split()) for f in text.split("\r") if f.strip()]
    # Each frame: the bar, articles done of expected, the share, the time left (once known),
    # then the file or the stage.
    frame = re.compile(r" (\d+/5) +\d+% (?:\d\d:\d\d:\d\d )?(.+)$")
    shown = [(m.group(1), m.group(2)) for f in frames if (m := frame.search(f))]
    assert [pos for pos, _ in shown] == ["0/5", "2/5", "4/5", "5/5", "5/5"]
    assert shown[-1] == ("5/5", "merging the batches")
    assert {name for _, name in shown[:-1]} == {"big.jsonl"}
