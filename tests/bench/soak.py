"""Crash soak: SIGKILL ``summit-search index`` at random moments, then prove nothing was lost.

Each trial rebuilds an index of a generated corpus with a commit every few files, kills the
job at a random moment (a third of the trials uniformly over the whole run, a third just after
a commit's segment file appears, i.e. during a batch's move, table-of-contents rename or fsync,
and a third during the final merge of the batches into one segment), and checks that:

* the index opens, and holds exactly the articles of its last committed generation, each once
  and readable, with every posting list readable;
* nothing a poller saw committed before the kill is lost;
* ``summit-search index`` run again takes the lock at once (Whoosh's lock is an ``flock``,
  which the kernel drops with the dead process), completes, and yields the full corpus.

With ``--size`` large enough for the input to pass ``pipeline.PARALLEL_MIN_BYTES``, the
batches are built by worker processes, which die with the job.
Usage: ``python -m tests.bench.soak --trials 60 [--articles 600] [--size 600] [--seed 1]``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from indexer.backends.whoosh.check import check_index
from indexer.backends.whoosh.store import index_exists, open_index
from indexer.config import Config
from tests.bench import summit_command
from tests.bench.corpus import Generated, write_corpus

WAIT_MESSAGE = "another job is writing"
# Every subprocess run is bounded: a hang is a failure, not a stuck soak.
RUN_TIMEOUT = 600.0


@dataclass
class Trial:
    """What one kill did and what the checks found."""

    number: int
    mode: str
    delay: float
    generation: int = -1
    seen_generation: int = -1
    present: int = 0
    lost: int = 0
    problems: list[str] = field(default_factory=list)


def _index(index_dir: Path, src: Path, commit_every: int, rebuild: bool = True) -> list[str]:
    """The ``summit-search index`` command line of one run."""
    flags = ["--rebuild"] if rebuild else []
    every = ["--commit-every", str(commit_every)]
    return [*summit_command(), "index", *flags, *every, "--index", str(index_dir), str(src)]


def _generation(index_dir: Path) -> int:
    """The newest committed generation on disk (-1: none), read from TOC file names."""
    best = -1
    try:
        names = os.listdir(index_dir)
    except OSError:
        return best
    for name in names:
        if name.startswith("_MAIN_") and name.endswith(".toc"):
            try:
                best = max(best, int(name[6:-4]))
            except ValueError:
                continue
    return best


def _expected(corpus: Generated, generation: int, commit_every: int) -> list[str]:
    # Files are indexed in name order and a commit follows every ``commit_every`` articles,
    # so generation g (0 = the empty index a rebuild creates) holds the first g batches.
    ids = corpus.all_ids
    return ids[: min(max(generation, 0) * commit_every, len(ids))]


def full_run_seconds(src: Path, work: Path, commit_every: int, commits: int) -> tuple[float, float]:
    """Time one uninterrupted rebuild, and when its final merge began (kill delays' ranges)."""
    index_dir = work / "calibrate"
    started = time.monotonic()
    job = subprocess.Popen(
        _index(index_dir, src, commit_every), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    merging = 0.0
    while job.poll() is None:
        # Generation 0 is the empty index; the last batch is committed with the merge.
        if not merging and _generation(index_dir) >= commits - 1:
            merging = time.monotonic() - started
        time.sleep(0.003)
    if job.wait(RUN_TIMEOUT) != 0:
        raise RuntimeError("the calibration run failed")
    shutil.rmtree(index_dir)
    full = time.monotonic() - started
    return full, merging or full


def run_trial(
    number: int, corpus: Generated, src: Path, work: Path, commit_every: int,
    timing: tuple[float, float], rng: random.Random,
) -> Trial:  # fmt: skip
    """Kill one indexing run, verify what survived, then finish the job and verify again."""
    index_dir = work / f"trial-{number}"
    mode = ("merge", "uniform", "commit")[number % 3]
    commits = -(-len(corpus.all_ids) // commit_every)
    target = rng.randint(1, commits)
    full, merging = timing
    # A merge kill falls between the last batch's commit starting and the job's end.
    delay = rng.uniform(merging, full) if mode == "merge" else rng.uniform(0.0, full * 1.05)
    job = subprocess.Popen(
        _index(index_dir, src, commit_every), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    started = time.monotonic()
    seen = -1
    before: set[str] | None = None
    while job.poll() is None:
        seen = max(seen, _generation(index_dir))
        elapsed = time.monotonic() - started
        if mode in ("uniform", "merge") and elapsed >= delay:
            break
        if mode == "commit" and seen >= target - 1:
            # A file name not there after the previous commit: the next flush has begun.
            names = _names(index_dir)
            if before is None:
                before = names
            elif names - before:
                time.sleep(rng.uniform(0.0, 0.05))
                break
        if elapsed > RUN_TIMEOUT:
            break
        time.sleep(0.003)
    trial = Trial(number, mode, time.monotonic() - started, seen_generation=seen)
    if job.poll() is None:
        job.send_signal(signal.SIGKILL)
    job.wait()
    _verify_killed(trial, corpus, index_dir, commit_every)
    _verify_rerun(trial, corpus, src, index_dir, commit_every)
    shutil.rmtree(index_dir, ignore_errors=True)
    return trial


def _names(index_dir: Path) -> set[str]:
    try:
        return {n for n in os.listdir(index_dir) if not n.endswith(".toc")}
    except OSError:
        return set()


def _verify_killed(trial: Trial, corpus: Generated, index_dir: Path, commit_every: int) -> None:
    if not index_exists(index_dir):
        if trial.seen_generation >= 0:
            trial.problems.append("the index vanished after a commit was seen")
        return
    try:
        ix = open_index(index_dir)
        trial.generation = ix.latest_generation()
        with ix.searcher() as s:
            stored = list(s.all_stored_fields())
    except Exception as exc:
        trial.problems.append(f"killed index unreadable: {type(exc).__name__}: {exc}")
        return
    counts = Counter(f["id"] for f in stored)
    expected = _expected(corpus, trial.generation, commit_every)
    committed = set(_expected(corpus, trial.seen_generation, commit_every))
    trial.present = len(counts)
    trial.lost = len(committed - set(counts))
    if dupes := [i for i, c in counts.items() if c > 1]:
        trial.problems.append(f"{len(dupes)} duplicated ids, e.g. {dupes[0]}")
    if set(counts) != set(expected):
        trial.problems.append(
            f"generation {trial.generation} should hold {len(expected)} articles, "
            f"holds {len(counts)}"
        )
    if bad := [f["id"] for f in stored if f.get("title") != corpus.titles.get(f["id"])]:
        trial.problems.append(f"{len(bad)} articles with a wrong title, e.g. {bad[0]}")
    report = check_index(Config.at(index_dir))
    trial.problems.extend(p.line() for p in report.problems)


def _verify_rerun(
    trial: Trial, corpus: Generated, src: Path, index_dir: Path, commit_every: int
) -> None:
    try:
        done = subprocess.run(
            _index(index_dir, src, commit_every, rebuild=False), capture_output=True,
            text=True, timeout=RUN_TIMEOUT,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        trial.problems.append(f"the rerun did not finish in {RUN_TIMEOUT:.0f} s")
        return
    if WAIT_MESSAGE in done.stderr:
        trial.problems.append("the rerun waited for the dead job's lock")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        trial.problems.append(f"the rerun failed ({done.returncode}): {last}")
        return
    report = check_index(Config.at(index_dir), [src])
    trial.problems.extend(f"after rerun: {p.line()}" for p in report.problems)
    if report.articles != len(corpus.all_ids):
        trial.problems.append(f"after rerun: {report.articles} of {len(corpus.all_ids)}")


def soak(
    trials: int, articles: int = 600, per_file: int = 10, commit_every: int = 20,
    seed: int = 1, work: Path | None = None, log: bool = True, size: int = 600,
) -> list[Trial]:  # fmt: skip
    """Run ``trials`` kill trials over a generated corpus; return each trial's findings."""
    if commit_every % per_file:
        raise ValueError("commit_every must be a multiple of per_file")
    owned = work is None
    work = Path(tempfile.mkdtemp(prefix="summit-soak-")) if work is None else work
    try:
        src = work / "corpus"
        corpus = write_corpus(src, articles, per_file=per_file, size=size, seed=seed)
        commits = -(-articles // commit_every)
        timing = full_run_seconds(src, work, commit_every, commits)
        if log:
            print(f"corpus: {articles} articles in {len(corpus.files)} files; "
                  f"commit every {commit_every}; full run {timing[0]:.1f} s, "
                  f"final merge from {timing[1]:.1f} s", flush=True)  # fmt: skip
        rng = random.Random(seed)
        results = []
        for n in range(1, trials + 1):
            trial = run_trial(n, corpus, src, work, commit_every, timing, rng)
            results.append(trial)
            if log:
                state = "ok" if not trial.problems else "FAIL: " + "; ".join(trial.problems)
                print(f"trial {n:3d} {trial.mode:7s} kill at {trial.delay:5.2f} s "
                      f"gen {trial.generation:3d} (seen {trial.seen_generation:3d}) "
                      f"{trial.present:4d} articles, lost {trial.lost}: {state}",
                      flush=True)  # fmt: skip
        return results
    finally:
        if owned:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; exit status 1 if any trial failed."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.soak")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--per-file", type=int, default=10)
    parser.add_argument("--commit-every", type=int, default=20)
    parser.add_argument("--size", type=int, default=600, help="bytes of text per article")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.monotonic()
    results = soak(
        args.trials, args.articles, args.per_file, args.commit_every, args.seed, size=args.size
    )
    failed = [t for t in results if t.problems]
    lost = sum(t.lost for t in results)
    mid = sum(1 for t in results if 0 < t.present < args.articles)
    modes = Counter(t.mode for t in results)
    print(f"{len(results)} trials ({', '.join(f'{n} {m}' for m, n in sorted(modes.items()))}), "
          f"{len(failed)} failures, {lost} committed articles lost, "
          f"{mid} kills left a partial index; {time.monotonic() - started:.0f} s")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
