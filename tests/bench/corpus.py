"""A seeded, deterministic corpus of small articles in several JSONL files, for soak and load."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from indexer.config import CORPUS_DIR
from indexer.documents.articles import Article, load_file

# The dev collection beside the repository, used when present for more varied text.
DEV_CORPUS = CORPUS_DIR.parent.parent / "shared" / "data" / "news-dev" / "corpus.jsonl"
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+")


@dataclass(frozen=True)
class Generated:
    """The files written, in indexing order, and the ids and titles each holds."""

    files: list[Path]
    ids: list[list[str]]
    titles: dict[str, str]

    @property
    def all_ids(self) -> list[str]:
        """Every id, in the order the indexer reaches them."""
        return [i for batch in self.ids for i in batch]


def sentences(dev_corpus: Path = DEV_CORPUS) -> list[str]:
    """Sentences of the bundled articles, plus the dev collection's when it is there."""
    texts = [a.body for p in sorted(CORPUS_DIR.glob("*.txt")) for a in load_file(p, CORPUS_DIR)
             if isinstance(a, Article)]  # fmt: skip
    if dev_corpus.is_file():
        with dev_corpus.open(encoding="utf-8") as f:
            texts.extend(json.loads(line)["text"] for line in f if line.strip())
    out = []
    for text in texts:
        for line in text.split("\n"):
            out.extend(s.strip() for s in _SENTENCE_END.split(line) if len(s.strip()) > 10)
    return out


def write_corpus(
    out_dir: Path, articles: int, per_file: int = 20, size: int = 600, seed: int = 0
) -> Generated:
    """Write ``articles`` articles of about ``size`` bytes, ``per_file`` to a JSONL file."""
    rng = random.Random(seed)
    pool = sentences()
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    ids: list[list[str]] = []
    titles: dict[str, str] = {}
    for start in range(0, articles, per_file):
        path = out_dir / f"part-{start // per_file:05d}.jsonl"
        batch = []
        with path.open("w", encoding="utf-8") as f:
            for n in range(start, min(start + per_file, articles)):
                text: list[str] = []
                while sum(len(s.encode()) for s in text) < size:
                    text.append(rng.choice(pool))
                doc_id = f"soak-{n:06d}"
                title = f"{doc_id} " + " ".join(rng.choice(pool).split()[:6])
                record = {"id": doc_id, "title": title, "text": "\n".join(text)}
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
                batch.append(doc_id)
                titles[doc_id] = title
        files.append(path)
        ids.append(batch)
    return Generated(files, ids, titles)
