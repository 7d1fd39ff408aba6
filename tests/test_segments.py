"""The bulk segment writer and the streaming merge against Whoosh's own writer, posting for
posting: the same terms, the same posting blocks byte for byte, the same stored fields,
lengths and columns."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from whoosh.index import Index

from indexer.backends.whoosh import schema as schema_mod
from indexer.backends.whoosh import store
from indexer.backends.whoosh.merging import merge_segments
from indexer.backends.whoosh.schema import to_document
from indexer.backends.whoosh.segments import SegmentBuilder
from indexer.config import CORPUS_DIR
from indexer.documents.articles import load_file

WORDS = [
    *("정상회의", "인공지능", "안전", "서울", "파리", "선언", "기업", "서약", "연구소", "규범"),
    *("협력", "국제", "summit", "safety", "model", "frontier", "risk", "declaration"),
    *("seoul", "paris", "北京", "人工智能", "安全", "峰会"),
]


def documents() -> list[dict[str, Any]]:
    """The bundled articles and 400 generated ones: terms in more than one posting block."""
    schema = schema_mod.build_schema()
    docs = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        for article in load_file(path, CORPUS_DIR):
            docs.append(to_document(article, str(path), schema, "bundled", None))
    rng = random.Random(7)
    for n in range(400):
        words = rng.choices(WORDS, k=rng.randint(3, 60))
        body = " ".join(words) + "."
        doc = {
            "id": f"gen/{n}",
            "title": " ".join(words[:4]),
            "_stored_title": " ".join(words[:4]),
            "body": body,
            "_stored_body": body,
            "outlet": rng.choice(["한빛일보", "", "Daily"]),
            "lang": rng.choice(["ko", "en", "ko,en"]),
            "source": f"/src/{n % 7}.jsonl",
            "content_hash": f"h{n}",
            "origin": "folder",
        }
        if n % 3:
            doc["published"] = __import__("datetime").datetime(2024, 5, 1 + n % 28)
        for name, grams in (("title", "title_grams"), ("body", "body_grams")):
            doc[grams] = doc[name]
        docs.append({k: v for k, v in doc.items() if v != ""})
    return docs


def contents(ix: Index) -> dict[str, Any]:
    """Everything a search can see of an index, with every term's raw posting blocks."""
    out: dict[str, Any] = {}
    with ix.reader() as r:
        out["docs"] = r.doc_count()
        live = list(r.all_doc_ids())
        out["stored"] = [r.stored_fields(d) for d in live]
        names = [n for n in r.schema.names() if r.schema[n].indexed]
        out["lengths"] = {n: [r.doc_field_length(d, n) for d in live] for n in names}
        scorable = [n for n in names if r.schema[n].scorable]
        # (Whoosh's max_field_length fails for a field no document has.)
        out["field_length"] = {
            n: (r.field_length(n), r.max_field_length(n) if r.field_length(n) else 0)
            for n in scorable
        }
        out["columns"] = {
            n: [r.column_reader(n, translate=False)[d] for d in live]
            for n in r.schema.names()
            if r.schema[n].column_type and r.has_column(n)
        }
        terms = {}
        for fieldname, btext in r.all_terms():
            info = r.term_info(fieldname, btext)
            m = r.postings(fieldname, btext)
            postings = []
            while m.is_active():
                postings.append((m.id(), m.weight(), m.value()))
                m.next()
            stats = (info.doc_frequency(), info.weight(), info.min_length(), info.max_length())
            blocks = _blocks(r, fieldname, btext)
            terms[(fieldname, btext)] = (stats, info.max_weight(), postings, blocks)
        out["terms"] = terms
    return out


def _blocks(reader: Any, fieldname: str, btext: bytes) -> bytes:
    """The raw bytes of a term's posting blocks, when the index has one segment."""
    leaf = reader if not hasattr(reader, "readers") else None
    if leaf is None:
        return b""
    info = leaf._terms.term_info(fieldname, btext)
    offset, length = info.extent()
    # whoosh3 reads the extent's length back as a 1-tuple.
    length = length[0] if isinstance(length, tuple) else length
    return bytes(leaf._terms._postfile.get(offset, length))


def build_with_whoosh(index_dir: Path, docs: list[dict[str, Any]]) -> Index:
    ix = store.create_index(index_dir)
    w = ix.writer()
    for doc in docs:
        w.add_document(**doc)
    w.commit()
    return store.open_index(index_dir)


def build_in_bulk(index_dir: Path, docs: list[dict[str, Any]]) -> Index:
    ix = store.create_index(index_dir)
    builder = SegmentBuilder(ix.storage, ix.schema)
    for doc in docs:
        builder.add_document(**doc)
    segment = builder.finish()
    w = ix.writer()
    w.commit(mergetype=lambda _w, segments: [*segments, segment])
    return store.open_index(index_dir)


def test_the_bulk_writer_writes_what_whoosh_writes(tmp_path: Path) -> None:
    docs = documents()
    expected = contents(build_with_whoosh(tmp_path / "whoosh", docs))
    found = contents(build_in_bulk(tmp_path / "bulk", docs))
    assert found["docs"] == expected["docs"] == len(docs)
    for key in ("stored", "lengths", "field_length", "columns"):
        assert found[key] == expected[key], key
    assert found["terms"].keys() == expected["terms"].keys()
    differing = [k for k in expected["terms"] if found["terms"][k] != expected["terms"][k]]
    assert differing == []
    # Some terms span several blocks, so block boundaries were compared too.
    assert max(len(v[2]) for v in expected["terms"].values()) > 300


def three_segments(index_dir: Path, docs: list[dict[str, Any]]) -> Index:
    """An index of ``docs`` in three commits, with a few documents of each deleted."""
    ix = store.create_index(index_dir)
    for part in (docs[:150], docs[150:300], docs[300:]):
        w = ix.writer()
        for doc in part:
            w.add_document(**doc)
        w.commit(merge=False)
    w = ix.writer()
    for n in (3, 40, 151, 152, 299, 350, 404):
        w.delete_by_term("id", docs[n]["id"])
    w.commit(merge=False)
    return store.open_index(index_dir)


def test_a_streamed_merge_equals_whooshs_optimize(tmp_path: Path) -> None:
    docs = documents()
    ix = three_segments(tmp_path / "whoosh", docs)
    assert len(ix._segments()) == 3
    shutil.copytree(tmp_path / "whoosh", tmp_path / "streamed")
    w = ix.writer()
    w.commit(optimize=True)
    expected = contents(store.open_index(tmp_path / "whoosh"))
    streamed = store.open_index(tmp_path / "streamed")
    w = streamed.writer()
    merged = merge_segments(streamed.storage, streamed.schema, list(w.segments))
    w.commit(mergetype=lambda _w, _segments: [merged])
    found = contents(store.open_index(tmp_path / "streamed"))
    assert found["docs"] == expected["docs"] == len(docs) - 7
    for key in ("stored", "lengths", "field_length", "columns"):
        assert found[key] == expected[key], key
    differing = [k for k in expected["terms"] if found["terms"].get(k) != expected["terms"][k]]
    assert differing == [] and found["terms"].keys() == expected["terms"].keys()


@pytest.mark.parametrize("size", [0, 1])
def test_tiny_batches(tmp_path: Path, size: int) -> None:
    docs = documents()[:size]
    expected = contents(build_with_whoosh(tmp_path / "whoosh", docs))
    assert contents(build_in_bulk(tmp_path / "bulk", docs)) == expected
