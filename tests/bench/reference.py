"""A fixed piece of work timed beside the latencies, so figures compare across machine states.

The benchmarks run on a shared machine whose load changes from one run to the next. A search
does Python steps, pickle and zlib decoding and numpy array work; the reference does a fixed
amount of each, in the same process, just before the figures it is set beside. A latency
divided by it (``ratio``) moves with the code, much less with the load.
"""

from __future__ import annotations

import pickle
import random
import statistics
import time
import zlib
from collections import Counter

import numpy as np

REPEATS = 7


def _work() -> int:
    rng = random.Random(0)
    words = ["".join(rng.choices("가나다라마바사아자차카타파하", k=3)) for _ in range(4000)]
    counts = Counter(words)
    blob = zlib.compress(pickle.dumps(tuple(range(30_000)), 2))
    decoded = pickle.loads(zlib.decompress(blob))
    values = np.random.default_rng(0).random(300_000)
    order = np.argsort(values)
    return len(counts) + len(decoded) + int(np.cumsum(values[order] > 0.5)[-1])


def reference_ms() -> float:
    """Milliseconds of the fixed work now: the median of ``REPEATS`` runs."""
    spent = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        _work()
        spent.append((time.perf_counter() - started) * 1000)
    return statistics.median(spent)


def ratio(ms: float, reference: float) -> float:
    """``ms`` in units of the reference work measured beside it."""
    return ms / reference if reference > 0 else 0.0
