"""`summit-search check`: a clean index passes; changed, deleted and new files are reported."""

from __future__ import annotations

import gc
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import index_paths, make_app
from whoosh import index as whoosh_index

from indexer.backends.whoosh.store import open_index
from indexer.cli import main
from indexer.config import CORPUS_DIR

FIRST = "000_c757f4b4d642b6d7.txt"
SECOND = "001_7ad3c6ee62ab7cbe.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the corpus and an index of it, built once for the module."""
    root = tmp_path_factory.mktemp("check")
    shutil.copytree(CORPUS_DIR, root / "corpus")
    result = CliRunner().invoke(
        main, ["index", "--index", str(root / "index"), str(root / "corpus")]
    )
    assert result.exit_code == 0, result.output
    return root / "corpus", root / "index"


@pytest.fixture
def copy(built: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A private corpus copy and an index built from it, for tests that change them."""
    shutil.copytree(built[0], tmp_path / "corpus")
    index_paths(tmp_path / "index", [tmp_path / "corpus"])
    return tmp_path / "corpus", tmp_path / "index"


def check(corpus: Path, index: Path) -> Result:
    """Run `summit-search check --index INDEX CORPUS` in process."""
    return CliRunner().invoke(main, ["check", "--index", str(index), str(corpus)])


def postings_counts(index: Path) -> tuple[int, int]:
    """Terms and postings of every indexed field, counted through Whoosh's own statistics."""
    with open_index(index).reader() as r:
        terms = [(f, t) for f in r.indexed_field_names() for t in r.lexicon(f)]
        return len(terms), sum(r.doc_frequency(f, t) for f, t in terms)


def test_clean_index_is_ok_with_counts(built: tuple[Path, Path]) -> None:
    result = check(*built)
    terms, postings = postings_counts(built[1])
    assert terms > 1000 and postings > terms
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"ok: 5 articles, {terms} terms, {postings} postings read; 5 source articles compared"
    ]


def test_changed_deleted_and_new_files_are_reported(copy: tuple[Path, Path]) -> None:
    corpus, index = copy
    with (corpus / FIRST).open("a", encoding="utf-8") as f:
        f.write("\n정정 보도: 회의 일정이 바뀌었다.\n")
    (corpus / SECOND).unlink()
    shutil.copy(corpus / "002_4eef7aca86074d55.txt", corpus / "new.txt")
    result = check(corpus, index)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:3] == [
        f"stale: {FIRST} (the source file has changed)",
        f"missing: {SECOND} ({(corpus / SECOND).resolve()} is gone)",
        "not indexed: new.txt (new.txt)",
    ]
    assert re.fullmatch(r"3 problems: 5 articles, \d+ terms, \d+ postings read; "
                        r"5 source articles compared", lines[3])  # fmt: skip


def test_duplicate_ids_are_reported(copy: tuple[Path, Path]) -> None:
    corpus, index = copy
    ix = whoosh_index.open_dir(str(index))
    with ix.searcher() as s:
        fields = s.document(id=FIRST)
    w = ix.writer()
    w.add_document(**fields)  # what a plain Whoosh add of the same id twice leaves
    w.commit()
    result = check(corpus, index)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"duplicate id: {FIRST} (2 copies)"


def two_segments(corpus: Path, index: Path) -> tuple[str, str]:
    """Index ``corpus`` as two segments: the first file alone, then the rest; their names."""
    files = sorted(corpus.glob("0*.txt"))
    index_paths(index, [corpus], rebuild=True)
    shutil.rmtree(index)
    index_paths(index, files[:1])
    index_paths(index, files[1:])
    first, second = open_index(index)._segments()
    assert (first.doc_count(), second.doc_count()) == (1, 4)
    return first.segment_id(), second.segment_id()


# Whoosh leaves the torn file open when it fails to read it; that is not under test here.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("damage", ["truncated", "overwritten"])
def test_a_damaged_segment_is_named_and_the_others_are_read(
    copy: tuple[Path, Path], damage: str
) -> None:
    corpus, index = copy
    _, second = two_segments(corpus, index)
    path = index / f"{second}.trm"  # the segment's terms
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_bytes(data[:64] + b"\xff" * (len(data) - 64))
    result = CliRunner().invoke(main, ["check", "--index", str(index), str(corpus)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"unreadable segment: {second} (")
    # The first segment's article is read; the four in the damaged one are not in the index.
    assert [line.split(" (")[0] for line in lines[1:-1]] == [
        f"not indexed: {name}" for name in sorted(p.name for p in corpus.glob("0*.txt"))[1:]
    ]
    assert lines[-1].startswith("5 problems: 1 articles, ")
    gc.collect()


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_opening_a_damaged_index_says_what_to_do(copy: tuple[Path, Path]) -> None:
    from indexer.backends.whoosh.store import IndexCorrupt
    from indexer.search.library import Library

    corpus, index = copy
    _, second = two_segments(corpus, index)
    path = index / f"{second}.trm"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(IndexCorrupt) as caught:
        Library(index).search("AI")
    assert str(caught.value).startswith(
        f"the index at {index} is damaged (segment {second} cannot be read: "
    )
    assert str(caught.value).endswith(
        "`summit-search check` names every damaged file, and `summit-search index --rebuild` "
        "rebuilds the index from the sources and the library"
    )
    result = CliRunner().invoke(main, ["search", "--index", str(index), "AI"])
    assert result.exit_code == 1
    assert result.output == f"Error: {caught.value}\n"
    page = make_app(index).test_client().get("/?q=AI", headers={"Accept-Language": "ko"})
    assert page.status_code == 503
    assert "색인 파일이 손상되었습니다. `summit-search check`로 어느 파일인지" in page.text
    path.unlink()  # a segment file gone altogether
    with pytest.raises(IndexCorrupt, match=f"damaged \\({second}.trm cannot be read"):
        Library(index).search("AI")
    # Whoosh leaves the damaged file open, referenced from the tracebacks kept above: drop
    # them so that it is collected here, under this test's filters.
    del caught, result
    gc.collect()


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    result = check(CORPUS_DIR, tmp_path / "none")
    assert result.exit_code == 1
    assert "no index at" in result.output
