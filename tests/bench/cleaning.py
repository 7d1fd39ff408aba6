"""How much of known-clean article text the cleaner removes, and by which rule.

The texts of the dev collections carry no page furniture (dataset articles and Wikipedia
passages), so everything the cleaner drops from them is a false removal. Each record goes
through the product's own JSONL cleaning (``documents.record_rules``). Characters are counted
without whitespace. Usage: ``python -m tests.bench.cleaning [--json OUT]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexer.documents.articles import record_rules
from tests.bench import DEFAULT_DATA

COLLECTIONS = ("korquad-dev", "news-dev")
# The targets: at most this share of characters removed, no article losing more.
TARGET_REMOVED = 0.005
TARGET_ARTICLE_LOSS = 0.10
WORST_SHOWN = 5


@dataclass
class Removals:
    """What the cleaner took out of one collection."""

    collection: str
    articles: int = 0
    chars: int = 0
    removed: int = 0
    over_10: int = 0
    over_30: int = 0
    by_rule_chars: Counter[str] = field(default_factory=Counter)
    by_rule_lines: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    worst: list[tuple[float, str]] = field(default_factory=list)

    @property
    def share(self) -> float:
        """Removed characters as a share of all characters."""
        return self.removed / self.chars if self.chars else 0.0


def _chars(text: str) -> int:
    return len("".join(text.split()))


def measure(corpus: Path, name: str) -> Removals:
    """Run the cleaner over every record of ``corpus`` and count what it removes."""
    out = Removals(name)
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            lines, rules = record_rules(record)
            total = sum(_chars(x) for x in lines)
            gone = 0
            for text, rule in zip(lines, rules, strict=True):
                size = _chars(text)
                if rule is None or not size:
                    continue
                gone += size
                out.by_rule_chars[rule] += size
                out.by_rule_lines[rule] += 1
                shown = out.examples.setdefault(rule, [])
                if len(shown) < 3:
                    shown.append(text.strip()[:80])
            out.articles += 1
            out.chars += total
            out.removed += gone
            loss = gone / total if total else 0.0
            out.over_10 += loss > 0.10
            out.over_30 += loss > 0.30
            if gone:
                out.worst.append((loss, str(record.get("id"))))
    out.worst = sorted(out.worst, reverse=True)[:WORST_SHOWN]
    return out


def markdown(results: Sequence[Removals]) -> str:
    """A summary table, then the rules that removed anything, per collection."""
    lines = [
        "| collection | articles | characters | removed | articles losing > 10% | > 30% |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.collection} | {r.articles} | {r.chars} | {r.share:.3%} | {r.over_10} "
            f"| {r.over_30} |"
        )
    lines.append(f"| target | | | <= {TARGET_REMOVED:.1%} | 0 | 0 |")
    for r in results:
        if not r.by_rule_chars:
            continue
        lines += [
            "",
            f"{r.collection}, removed by rule:",
            "",
            "| rule | lines | characters | e.g. |",
        ]
        lines.append("|---|---|---|---|")
        for rule, size in r.by_rule_chars.most_common():
            example = r.examples[rule][0].replace("|", "/")
            lines.append(f"| {rule} | {r.by_rule_lines[rule]} | {size} | {example} |")
        worst = ", ".join(f"{doc} ({loss:.0%})" for loss, doc in r.worst)
        lines += ["", f"Most cut: {worst}"]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.cleaning")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="dev collections folder")
    parser.add_argument("--json", type=Path, default=None, help="also write figures as JSON")
    args = parser.parse_args(argv)
    results = [measure(args.data / name / "corpus.jsonl", name) for name in COLLECTIONS]
    print(markdown(results))
    if args.json:
        rows = [
            {
                **{k: v for k, v in vars(r).items() if not k.startswith("by_rule")},
                "by_rule_chars": dict(r.by_rule_chars),
                "by_rule_lines": dict(r.by_rule_lines),
                "share": r.share,
            }
            for r in results
        ]
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
