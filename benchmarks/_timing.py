"""Timing helpers every benchmark shares: best-of-N on a quiet CPU, and the target verdict."""

from __future__ import annotations

import time


def _cpu_idle_fraction(window):
    """Share of all CPUs' time spent idle over the next ``window`` seconds (Linux), else None."""
    def read():
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        return values[3] + values[4], sum(values)  # idle + iowait, total
    try:
        idle0, total0 = read()
        time.sleep(window)
        idle1, total1 = read()
    except OSError:
        return None
    return (idle1 - idle0) / max(total1 - total0, 1)


def wait_for_quiet(max_wait=3.0, window=0.05, idle=0.9):
    """Wait (at most ``max_wait`` s) until other processes leave the CPUs idle for ``window`` s.

    On a shared machine, best-of-N only measures the code if some run was not disturbed; starting
    each run right after a quiet moment makes that likely.
    """
    deadline = time.perf_counter() + max_wait
    while time.perf_counter() < deadline:
        fraction = _cpu_idle_fraction(window)
        if fraction is None or fraction >= idle:
            return


def best_time(func, repeats):
    """Fastest of ``repeats`` runs of ``func()``, in seconds, each started on a quiet CPU."""
    best = float("inf")
    for _ in range(repeats):
        wait_for_quiet()
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def verdict(ratio: float, target) -> tuple[str, bool]:
    """``("  target <= 2.0x: ok", True)`` for a ratio against an optional target (None: no text)."""
    if target is None:
        return "", True
    ok = ratio <= target
    return f"  target <= {target:.1f}x: {'ok' if ok else 'MISSED'}", ok
