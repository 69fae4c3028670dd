"""Row ranges in threads: the pool shared by every objective, the BLAS limit, and when a pass
over ``X`` is split across threads.

The objectives (:mod:`logreg.objective`, :mod:`logreg.softmax_objective`) hand a function of a
row range ``func(lo, hi)`` to :func:`sum_over_row_ranges`; this module decides how many threads
compute it and adds the per-range results. Nothing here knows the loss.

Threads. On large data (``n * (d + 3 M)`` of at least ``THREADED_MIN_VALUES``) a pass splits
its rows into ranges of whole blocks, computed by one Python thread per CPU (the caller and a
shared module-level pool) that each take the next range until none is left; the per-range sums
are added in range order, so results do not depend on the scheduling.

Why threads: with BLAS alone using both cores, only the matrix products are parallel; the
element-wise work between them (exp, log1p, ...) is about half of an epoch and runs on one
core, and one thread reads X at only about half the memory bandwidth of two. numpy releases
the GIL inside ufuncs on large arrays and inside ``np.dot`` (not inside ``matmul``, which is why
the kernels call ``np.dot``), so the ranges really run in parallel. Each numpy call is still a
GIL hand-off (~10 us on this VM), so blocks make only about a dozen calls each, on long arrays,
and small passes (the app's fits) stay in the calling thread.

Why BLAS is limited to one thread inside the ranges: the ranges already occupy every core, and a
BLAS call splitting itself again would oversubscribe them (measured: slower than one thread
per range); small-matrix syrk and gemm are even slower with two BLAS threads than with one. The
limit is process-wide (OpenBLAS has no per-thread setting), so the pool reference-counts the
passes in flight and restores the limit when the last one ends. Concurrent fits (the app is a
multi-user server) share the pool safely: each call waits only for its own ranges, and a worker
never waits on anything, so no call can deadlock another.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager

import numpy as np
from threadpoolctl import ThreadpoolController

# Passes over at least this many values per row-and-temporaries (n * (d + 3 M), as in the block
# size) split their rows across threads; smaller ones run in the calling thread, where BLAS
# still uses every core. Measured on 2 vCPUs (d = 20): the loss/gradient pass of one output
# gains from n ~ 200k on (0.85x of one thread at 200k, 0.6x at 1M; 1.06x at 100k), of ten
# outputs from n ~ 100k on; whole Newton fits 0.8x at n = 300k and 1M, but 1.2x at 100k.
THREADED_MIN_VALUES = 1 << 22


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class _RowPool:
    """Worker threads shared by every objective (and every fit running at once) for row ranges.

    ``map`` runs ``func(lo, hi)`` over contiguous row ranges in the calling thread and the
    workers, with BLAS limited to one thread while any such pass is in flight (a process-wide
    setting, so it is reference-counted: set by the first pass, restored by the last). Each call
    waits only for its own futures. Workers never wait on anything, so concurrent callers cannot
    deadlock. The only mutable state is the executor, the limit and its count, under one lock.
    """

    def __init__(self, n_workers: int):
        self.n_workers = max(1, n_workers)
        self._lock = threading.Lock()
        self._executor = None
        self._controller = None
        self._limits = None
        self._in_flight = 0

    @contextmanager
    def one_blas_thread(self):
        """BLAS limited to one thread inside the block (and in every thread, while it lasts)."""
        with self._lock:
            if self._executor is None:
                self._controller = ThreadpoolController()
                self._executor = ThreadPoolExecutor(self.n_workers, "logreg-rows")
            if self._in_flight == 0:
                self._limits = self._controller.limit(limits=1, user_api="blas")
            self._in_flight += 1
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1
                if self._in_flight == 0:
                    self._limits.restore_original_limits()
                    self._limits = None

    def map(self, func, ranges, n_threads):
        """``[func(lo, hi) for lo, hi in ranges]``, computed by ``n_threads`` threads (the caller
        and ``n_threads - 1`` workers) that each take the next range until none is left.

        Taking ranges on demand keeps both cores busy when one is slowed down by other work
        (a shared machine); the results come back in the order of ``ranges`` whoever computed
        them, so sums over them do not depend on the scheduling.
        """
        results = [None] * len(ranges)
        pending = iter(range(len(ranges)))
        take = threading.Lock()
        failed = []

        def drain():
            while True:
                with take:
                    k = None if failed else next(pending, None)
                if k is None:
                    return
                try:
                    results[k] = func(*ranges[k])
                except BaseException:
                    failed.append(k)  # the other threads stop taking ranges
                    raise

        with self.one_blas_thread():
            futures = [self._executor.submit(drain) for _ in range(n_threads - 1)]
            try:
                drain()
            finally:
                # Workers still queued behind other fits' passes are not needed any more; every
                # one that started finishes before this call returns (none outlives it).
                started = [future for future in futures if not future.cancel()]
                wait(started)
            for future in started:
                future.result()  # a worker's error, raised here
        return results


# One thread per CPU (the caller and the pool's workers), at most _MAX_THREADS: the threads take
# turns holding the GIL between numpy calls, so beyond a few the hand-offs eat the gain
# (measured only on this project's 2-vCPU machines).
_MAX_THREADS = 4
N_RANGES = min(_available_cpus(), _MAX_THREADS)
POOL = _RowPool(N_RANGES - 1)
# Ranges per thread, at most: more let the threads rebalance when a core is slowed down by other
# work (a shared machine), but each range pays its own set-up (buffers, partial sums), so a
# range gets at least _MIN_BLOCKS_PER_RANGE blocks (measured: the Hessian pass at n = 100k takes
# 5.1 ms with one range per thread, 6.4 ms with four).
_RANGES_PER_THREAD = 4
_MIN_BLOCKS_PER_RANGE = 8


def sum_over_row_ranges(func, n_rows, n_threads, block_rows):
    """Sum of ``func(lo, hi)`` (a tuple of arrays) over row ranges covering ``0..n_rows``.

    One thread (``n_threads <= 1``) runs everything in the caller; more split the rows into
    ranges of whole blocks shared by the caller and :data:`POOL`'s workers, with BLAS limited
    to one thread. Every pass of a large problem comes through here, even over a few rows: a
    multi-threaded BLAS call leaves BLAS's helper thread spinning on the other core for a while
    afterwards, which halved the speed of the threaded passes right after it.
    """
    if n_threads <= 1:
        return func(0, n_rows)
    blocks = -(-n_rows // block_rows)
    if blocks < n_threads:  # a slice of a large problem: one thread, BLAS kept in it too
        with POOL.one_blas_thread():
            return func(0, n_rows)
    per_thread = min(_RANGES_PER_THREAD, max(1, blocks // (_MIN_BLOCKS_PER_RANGE * n_threads)))
    n_ranges = n_threads * per_thread
    cuts = [min(n_rows, block_rows * (blocks * k // n_ranges)) for k in range(n_ranges + 1)]
    ranges = [(lo, hi) for lo, hi in zip(cuts[:-1], cuts[1:]) if hi > lo]
    parts = POOL.map(func, ranges, n_threads)
    return tuple(sum(values[1:], values[0]) for values in zip(*parts))


def sum_of_squares(X: np.ndarray) -> float:
    """``sum(X ** 2)`` of a C-contiguous float64 ``X``: BLAS dots, split by rows across the pool
    when ``X`` is large.

    Through the pool rather than one two-thread BLAS call because a multi-threaded BLAS call
    leaves BLAS's helper thread spinning on the other core for a while afterwards, which halved
    the speed of the threaded passes right after it (the first epochs of a fit).
    """
    n = X.shape[0]

    def rows(lo, hi):
        flat = X[lo:hi].reshape(-1)
        return (np.dot(flat, flat),)

    threads = N_RANGES if X.size >= THREADED_MIN_VALUES else 1
    return float(sum_over_row_ranges(rows, n, threads, max(1, -(-n // (8 * threads))))[0])
