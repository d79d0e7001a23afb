"""Time a piece of work in a benchmark: median and slowest of several runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Run ``work`` ``repeat`` times; the median and slowest run, in milliseconds."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), max(runs)
