"""Seeded generator of realistic articles for scale runs, built from real text.

Each article takes a title sentence and runs of consecutive sentences from several different
source documents (the dev collections and the bundled seeds), about 3 KB of UTF-8, mostly
Korean with some English. Every sentence of the sources is drawn about equally often, so
words keep document frequencies close to a real corpus instead of one in every article.
Usage: ``python -m tests.bench.gen --articles N --seed S OUT.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.documents.articles import Article, load_file
from tests.bench import DEFAULT_DATA, REPO_ROOT

SEEDS_DIR = REPO_ROOT / "corpus"
SOURCES = ("news-dev", "korquad-dev")
TARGET_BYTES = 2800  # mean size lands near 3.1 KB: the last paragraph overshoots
ENGLISH_SHARE = 0.15  # share of paragraphs taken from English sources
_SENTENCE_END = re.compile(r"(?<=[.!?。…])\s+")
_HANGUL = re.compile("[\uac00-\ud7a3]")


@dataclass(frozen=True)
class Source:
    """One real document cut into sentences, and whether it is mostly Korean."""

    korean: bool
    sentences: tuple[str, ...]


def sentences(text: str) -> list[str]:
    """Split text into sentences at line breaks and sentence-final punctuation."""
    out = []
    for line in text.split("\n"):
        out.extend(s.strip() for s in _SENTENCE_END.split(line) if len(s.strip()) > 1)
    return out


def _is_korean(text: str) -> bool:
    letters = sum(1 for ch in text if ch.isalpha())
    return bool(letters) and len(_HANGUL.findall(text)) > letters / 2


def load_sources(data_dir: Path = DEFAULT_DATA, seeds_dir: Path = SEEDS_DIR) -> list[Source]:
    """Every source document in a fixed order: dev corpora first, then the seed articles."""
    texts: list[str] = []
    for name in SOURCES:
        with (data_dir / name / "corpus.jsonl").open(encoding="utf-8") as f:
            texts.extend(json.loads(line)["text"] for line in f if line.strip())
    for path in sorted(seeds_dir.glob("*.txt")):
        # The seeds are saved web pages: the product's own extraction keeps just the article.
        texts.extend(a.body for a in load_file(path, seeds_dir) if isinstance(a, Article))
    out = []
    for text in texts:
        cut = tuple(sentences(text))
        if cut:
            out.append(Source(_is_korean(text), cut))
    return out


def _title(rng: random.Random, source: Source) -> str:
    words = rng.choice(source.sentences).split()
    return " ".join(words[: rng.randint(4, 10)]).rstrip(".,")


def _paragraph(rng: random.Random, source: Source) -> str:
    n = len(source.sentences)
    start = rng.randrange(n)
    return " ".join(source.sentences[start : start + rng.randint(2, 5)])


def generate(n: int, seed: int, sources: Sequence[Source]) -> Iterator[dict[str, str]]:
    """Yield ``n`` articles (id, title, text); the same seed and sources give the same ones."""
    rng = random.Random(seed)
    korean = [s for s in sources if s.korean]
    english = [s for s in sources if not s.korean] or korean
    for i in range(n):
        first = rng.choice(korean)
        paragraphs = [_paragraph(rng, first)]
        size = len(paragraphs[0].encode())
        target = rng.randint(TARGET_BYTES * 3 // 4, TARGET_BYTES * 5 // 4)
        while size < target:
            pool = english if rng.random() < ENGLISH_SHARE else korean
            paragraphs.append(_paragraph(rng, rng.choice(pool)))
            size += len(paragraphs[-1].encode()) + 2
        yield {
            "id": f"gen-{seed}-{i:06d}",
            "title": _title(rng, first),
            "text": "\n\n".join(paragraphs),
        }


def write(out: Path, n: int, seed: int, data_dir: Path = DEFAULT_DATA) -> int:
    """Write ``n`` articles to ``out`` as JSONL; return the bytes of title and text written."""
    total = 0
    with out.open("w", encoding="utf-8") as f:
        for article in generate(n, seed, load_sources(data_dir)):
            total += len(article["title"].encode()) + len(article["text"].encode())
            f.write(json.dumps(article, ensure_ascii=False) + "\n")
    return total


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.gen")
    parser.add_argument("out", type=Path, help="JSONL file to write")
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="dev collections folder")
    args = parser.parse_args(argv)
    size = write(args.out, args.articles, args.seed, args.data)
    print(f"{args.out}: {args.articles} articles, {size / 1e6:.1f} MB of text", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
