"""The one pipeline and the source library: every origin one way, nothing a user gave lost."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import make_app

from indexer.backends.whoosh import store
from indexer.backends.whoosh.check import check_index
from indexer.config import CORPUS_DIR, Config
from indexer.ingest import run as ingest
from indexer.ingest.sources import Library as SourceLibrary
from indexer.search.library import Library

SEEDS = sorted(p.name for p in CORPUS_DIR.glob("0*.txt"))
UPLOAD = "업로드 기사\n\n서울에서 열린 회의에서 업로드어휘 라는 말이 처음 나왔다.\n"
PASTE = {
    "title": "붙여 넣은 기사",
    "text": "zebrapaste 는 이 기사에만 있다.",
    "outlet": "가상일보",
}


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """An index, its library beside it, and a source folder with two seeds."""
    src = tmp_path / "src"
    src.mkdir()
    for name in SEEDS[:2]:
        shutil.copy(CORPUS_DIR / name, src / name)
    return Config.at(tmp_path / "index", source_dirs=(src,))


def found(config: Config, word: str) -> list[str]:
    return [h.id for h in Library(config.index_dir).search(word).hits]


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The labels of the sources of every job that ``ingest.run`` took."""
    seen: list[list[str]] = []
    original = ingest.run

    def counting(config: Config, sources: object, **kwargs: object) -> ingest.IndexReport:
        listed = list(sources)  # type: ignore[call-overload]
        seen.append([s.label for s in listed])
        return original(config, listed, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest, "run", counting)
    return seen


def test_a_folder_goes_through_the_pipeline(config: Config, runs: list[list[str]]) -> None:
    report = ingest.index_sources(config)
    assert runs == [SEEDS[:2]]
    assert (sorted(report.added), report.library) == (SEEDS[:2], [])


def test_a_jsonl_file_goes_through_the_pipeline(
    config: Config, tmp_path: Path, runs: list[list[str]]
) -> None:
    feed = tmp_path / "feed.jsonl"
    rows = [{"id": "a", "text": "첫째 피드어휘 기사."}, {"id": "b", "text": "둘째 기사."}]
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    report = ingest.index_sources(config, [feed])
    assert (runs, report.added) == ([["feed.jsonl"]], ["a", "b"])
    assert found(config, "피드어휘") == ["a"]


def test_an_upload_goes_through_the_pipeline(config: Config, runs: list[list[str]]) -> None:
    report = ingest.add_files(config, [("../업로드 기사.txt", UPLOAD.encode())])
    assert runs == [["uploads/업로드_기사.txt"]]
    assert (report.added, report.library) == (
        ["uploads/업로드_기사.txt"],
        ["uploads/업로드_기사.txt"],
    )
    kept = config.library_dir / "uploads" / "업로드_기사.txt"
    assert kept.read_bytes() == UPLOAD.encode()
    assert found(config, "업로드어휘") == ["uploads/업로드_기사.txt"]
    assert not any((config.library_dir / ".incoming").rglob("*.txt"))  # settled, not staged


def test_a_paste_goes_through_the_pipeline(config: Config, runs: list[list[str]]) -> None:
    report = ingest.add_paste(config, PASTE)
    assert runs == [["pasted/396d3409add2.jsonl"]]
    assert report.added == ["pasted/396d3409add2"]
    record = json.loads((config.library_dir / "pasted" / "396d3409add2.jsonl").read_text())
    assert record == {"id": "pasted/396d3409add2", **PASTE}
    (hit,) = Library(config.index_dir).search("zebrapaste").hits
    assert (hit.id, hit.title, hit.outlet) == (
        "pasted/396d3409add2",
        "붙여 넣은 기사",
        "가상일보",
    )


def _both(config: Config) -> None:
    ingest.index_sources(config)
    ingest.add_files(config, [("업로드 기사.txt", UPLOAD.encode())])
    ingest.add_paste(config, PASTE)


def test_uploads_and_pastes_survive_a_rebuild(config: Config, tmp_path: Path) -> None:
    _both(config)
    report = ingest.index_sources(config, rebuild=True)
    assert sorted(report.added) == sorted(
        [*SEEDS[:2], "uploads/업로드_기사.txt", "pasted/396d3409add2"]
    )
    assert sorted(report.library) == ["pasted/396d3409add2", "uploads/업로드_기사.txt"]
    assert report.summary().endswith("(2 from the library)")
    # A rebuild of other paths keeps the library too, and says so.
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(CORPUS_DIR / SEEDS[2], other / SEEDS[2])
    report = ingest.index_sources(config, [other], rebuild=True)
    assert sorted(report.added) == sorted(
        [SEEDS[2], "uploads/업로드_기사.txt", "pasted/396d3409add2"]
    )
    assert found(config, "업로드어휘") == ["uploads/업로드_기사.txt"]
    assert found(config, "zebrapaste") == ["pasted/396d3409add2"]


def test_uploads_and_pastes_survive_a_prune(config: Config) -> None:
    _both(config)
    (config.source_dirs[0] / SEEDS[0]).unlink()
    assert ingest.index_sources(config, prune=True).removed == [SEEDS[0]]
    # Pruning other paths never touches the library's articles either.
    assert ingest.index_sources(config, list(config.source_dirs), prune=True).removed == []
    assert found(config, "업로드어휘") == ["uploads/업로드_기사.txt"]
    assert found(config, "zebrapaste") == ["pasted/396d3409add2"]


def test_uploads_survive_the_admin_reindex(config: Config) -> None:
    _both(config)
    app = make_app(config.index_dir, SOURCE_DIRS=list(config.source_dirs))
    client = app.test_client()
    with client.session_transaction() as session:
        session["admin"] = True
        session["csrf_token"] = "t"
    assert client.post("/admin/reindex", data={"csrf_token": "t"}).status_code == 303
    app.extensions["summit_search.reindex"].join(30)
    status = client.get("/admin/reindex/status").json
    assert (status["state"], status["counts"]["unchanged"], status["counts"]["removed"]) == (
        "done",
        4,
        0,
    )
    assert found(config, "업로드어휘") == ["uploads/업로드_기사.txt"]


def test_remove_deletes_the_library_copy(config: Config) -> None:
    _both(config)
    rows = [{"id": "w1", "text": "첫째 와이어어휘 기사."}, {"id": "w2", "text": "둘째 와이어어휘."}]
    wire = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    assert ingest.add_files(config, [("wire.jsonl", wire)]).added == ["w1", "w2"]
    library = config.library_dir
    assert ingest.remove_ids(config, ["uploads/업로드_기사.txt", "pasted/396d3409add2"]) == [
        "uploads/업로드_기사.txt",
        "pasted/396d3409add2",
    ]
    assert not (library / "uploads" / "업로드_기사.txt").exists()
    assert not (library / "pasted" / "396d3409add2.jsonl").exists()
    # One record of a JSONL file: the file keeps the other.
    assert ingest.remove_ids(config, ["w1"]) == ["w1"]
    left = (library / "uploads" / "wire.jsonl").read_text(encoding="utf-8")
    assert [json.loads(x)["id"] for x in left.splitlines() if x.strip()] == ["w2"]
    assert found(config, "와이어어휘") == ["w2"]
    # And nothing comes back with the next rebuild.
    report = ingest.index_sources(config, rebuild=True)
    assert sorted(report.added) == sorted([*SEEDS[:2], "w2"])


def test_check_compares_the_index_with_the_library(config: Config) -> None:
    _both(config)
    assert check_index(config, list(config.source_dirs)).ok
    # A file put into the library by hand, and a library file deleted behind the index's back.
    (config.library_dir / "uploads" / "hand.txt").write_text(UPLOAD, encoding="utf-8")
    (config.library_dir / "pasted" / "396d3409add2.jsonl").unlink()
    report = check_index(config, list(config.source_dirs))
    assert [(p.kind, p.item) for p in report.problems] == [
        ("missing", "pasted/396d3409add2"),
        ("not indexed", "uploads/hand.txt"),
    ]


def test_a_library_that_cannot_be_written_changes_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the library folder should be", encoding="utf-8")
    config = Config.at(tmp_path / "index", library_dir=blocked)
    ingest.index_sources(config, [CORPUS_DIR / SEEDS[0]])
    before = store.existing(store.open_index(config.index_dir))
    report = ingest.add_files(config, [("업로드 기사.txt", UPLOAD.encode())])
    ((where, why),) = [(f.source, f.reason) for f in report.failed]
    assert where == "uploads/업로드_기사.txt"
    assert why.startswith(f"cannot keep uploads/업로드_기사.txt in {blocked}")
    assert report.added == []
    assert store.existing(store.open_index(config.index_dir)) == before


UPLOADER = """
import sys
from pathlib import Path
from indexer.ingest import run as ingest
from indexer.config import Config

config = Config.at(Path(sys.argv[1]))
for n in range(1000):
    text = f"업로드 {n}\\n\\n킬테스트어휘{n} 는 이 기사에만 있다. 서울에서 열린 회의.\\n"
    ingest.add_files(config, [(f"kill-{n}.txt", text.encode())])
    print(n, flush=True)
"""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_kill_during_an_upload_leaves_both_or_neither(tmp_path: Path, seed: int) -> None:
    config = Config.at(tmp_path / "index")
    ingest.index_sources(config, [CORPUS_DIR / SEEDS[0]])
    script = tmp_path / "uploader.py"
    script.write_text(UPLOADER, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), str(config.index_dir)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert child.stdout is not None
    done = [int(child.stdout.readline())]  # the first upload is answered: the job is warm
    time.sleep(random.Random(seed).uniform(0.0, 0.5))
    child.send_signal(signal.SIGKILL)
    child.wait()
    done += [int(x) for x in child.stdout.read().split()]
    child.stdout.close()
    # The next job finishes whatever the killed one staged.
    ingest.run(config, [])
    indexed = set(store.existing(store.open_index(config.index_dir)))
    kept = {p.name for p in (config.library_dir / "uploads").glob("*.txt")}
    tried = range(max(done) + 2)  # every upload answered, and the one under way
    for n in tried:
        name = f"kill-{n}.txt"
        assert (name in kept) == (f"uploads/{name}" in indexed), name
    assert all(f"kill-{n}.txt" in kept for n in done)  # an answered upload is never lost
    assert not list((config.library_dir / ".incoming").rglob("*.txt"))
    assert check_index(config, [CORPUS_DIR / SEEDS[0]]).ok


def test_a_staged_upload_is_finished_by_the_next_job(config: Config) -> None:
    ingest.index_sources(config)
    # What a kill between keeping the file and committing the index leaves behind.
    library = SourceLibrary(config.library_dir)
    library.stage("uploads/half.txt", UPLOAD.encode())
    assert check_index(config, list(config.source_dirs)).problems[0].kind == "unfinished upload"
    report = ingest.run(config, [])
    assert (report.added, report.library) == (["uploads/half.txt"], ["uploads/half.txt"])
    assert (config.library_dir / "uploads" / "half.txt").read_bytes() == UPLOAD.encode()
    assert library.staged() == []
    assert found(config, "업로드어휘") == ["uploads/half.txt"]


def test_a_staged_file_with_no_article_is_thrown_away(config: Config) -> None:
    library = SourceLibrary(config.library_dir)
    library.stage("uploads/empty.txt", b"")
    assert ingest.run(config, []).added == []
    assert library.staged() == []
    assert not (config.library_dir / "uploads" / "empty.txt").exists()


def test_a_half_removed_article_is_removed_by_the_next_job(config: Config) -> None:
    ingest.add_files(config, [("업로드 기사.txt", UPLOAD.encode())])
    library = SourceLibrary(config.library_dir)
    library.trash("uploads/업로드_기사.txt")  # a kill after this, before the index commit
    report = ingest.run(config, [])
    assert report.removed == ["uploads/업로드_기사.txt"]
    assert library.trashed() == []
    assert found(config, "업로드어휘") == []


def test_an_upload_keeps_the_details_it_was_given(config: Config) -> None:
    details = {"outlet": "가상일보", "published": "2024-05-22", "url": "https://example.com/a",
               "lang": "ko", "summit": "Seoul 2024", "csrf_token": "ignored"}  # fmt: skip
    ingest.add_files(config, [("업로드 기사.txt", UPLOAD.encode())], details)
    entries = json.loads((config.library_dir / "uploads" / "metadata.json").read_text())
    assert entries == {"업로드_기사.txt": {k: v for k, v in details.items() if k != "csrf_token"}}
    # A rebuild reads them again with the file.
    ingest.index_sources(config, rebuild=True)
    (hit,) = Library(config.index_dir).search("업로드어휘").hits
    assert (hit.outlet, hit.url, hit.summit, hit.lang) == (
        "가상일보",
        "https://example.com/a",
        ("Seoul 2024",),
        ("ko",),
    )
    assert hit.published is not None and hit.published.date().isoformat() == "2024-05-22"


@pytest.mark.parametrize(
    ("text", "outlet", "summit"),
    [
        ("서울 정상회의 소식이다.\nCopyright © 한빛일보", "한빛일보", ("Seoul 2024",)),
        ("(서울=연합뉴스) 홍길동 기자 = AI 서울 정상회의가 열렸다.", "연합뉴스", ("Seoul 2024",)),
        ("파리에서 AI 행동 정상회의가 열렸다.\nⓒ 매체명", "매체명", ("Paris 2025",)),
        ("<저작권자 © 가상일보, 무단전재 및 재배포 금지>\n블레츨리에서 회의가 열렸다.", "가상일보",
         ("Bletchley 2023",)),
    ],
)  # fmt: skip
def test_outlet_and_summit_read_from_the_text(
    config: Config, text: str, outlet: str, summit: tuple[str, ...]
) -> None:
    ingest.add_files(config, [("a.txt", text.encode())])
    view = Library(config.index_dir).article("uploads/a.txt")
    assert view is not None
    assert (view.outlet, view.summit) == (outlet, summit)


def test_a_summit_is_named_only_near_its_date(config: Config) -> None:
    record = {
        "id": "old",
        "text": "AI 서울 정상회의 같은 회의가 또 열린다.",
        "published": "2019-01-01",
    }
    ingest.add_files(config, [("old.jsonl", json.dumps(record, ensure_ascii=False).encode())])
    view = Library(config.index_dir).article("old")
    assert view is not None and view.summit == ()
