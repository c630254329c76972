"""Timing and memory measurement shared by the benchmarks.

Each benchmark times the policyquant path and its baselines in the same
process on the same data, several repetitions each, and reports median times
and their ratio (baseline time / policyquant time; above 1 means policyquant
is faster).  Peak memory is measured with :mod:`tracemalloc`, which sees
numpy's and pandas' allocations.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Measurement:
    """Median wall time (and optionally peak memory) of one callable."""

    name: str
    seconds: float
    runs: list[float] = field(default_factory=list)
    peak_bytes: int | None = None


def measure(name: str, function: Callable[[], Any], repeat: int = 5, memory: bool = False) -> Measurement:
    """Time ``function`` ``repeat`` times after one warm-up call; optionally trace peak memory."""
    function()
    runs = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    peak = None
    if memory:
        gc.collect()
        tracemalloc.start()
        function()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return Measurement(name, statistics.median(runs), runs, peak)


def report(
    title: str, ours: Measurement | list[Measurement], baselines: list[Measurement], target: str = ""
) -> list[str]:
    """Lines comparing policyquant's measurements with the baselines.

    Each policyquant row shows ``baseline / policyquant`` against the first
    baseline (above 1: policyquant is faster); each baseline row shows how
    many times slower it is than the first policyquant row.
    """
    ours = [ours] if isinstance(ours, Measurement) else list(ours)
    lines = [f"## {title}" + (f"  (target: {target})" if target else "")]
    width = max(len(m.name) for m in [*ours, *baselines])
    reference = baselines[0] if baselines else None
    for m in ours:
        memory = f"  peak {m.peak_bytes / 2**20:8.1f} MiB" if m.peak_bytes is not None else ""
        ratio = f"  {reference.name} / this = {reference.seconds / m.seconds:6.2f}x" if reference else ""
        lines.append(f"  {m.name:<{width}}  {m.seconds * 1000:10.2f} ms{memory}{ratio}")
    for m in baselines:
        memory = f"  peak {m.peak_bytes / 2**20:8.1f} MiB" if m.peak_bytes is not None else ""
        lines.append(
            f"  {m.name:<{width}}  {m.seconds * 1000:10.2f} ms{memory}"
            f"  this / policyquant = {m.seconds / ours[0].seconds:6.2f}x"
        )
    return lines


def cpu_seconds(function: Callable[[], Any], repeat: int) -> float:
    """The least processor time of ``repeat`` calls: steadier than wall time on a machine other jobs share."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)
