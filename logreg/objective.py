"""The logistic objective: one place owns the loss, its gradient, Hessian and penalty.

Every solver (gradient descent, Newton) and every model (binary, one-vs-rest, softmax) calls
these functions; none re-derives the math.

Shapes and conventions
----------------------
``X`` is ``(n_samples, n_features)`` float64, C-contiguous. Weights are a matrix ``W`` of shape
``(n_features, n_outputs)`` and an intercept ``b`` of shape ``(n_outputs,)``. A binary model has one
output; one-vs-rest has one output per class, each an independent binary problem. ``Y`` holds the
0/1 targets, ``(n_samples, n_outputs)``.

The objective of output ``m`` is, with sample weights ``s`` (all ones by default)::

    J_m(w, b) = sum_i s_i * logloss(y_im, x_i . w_m + b_m) / sum_i s_i  +  lambda * R(w_m)

    logloss(y, z) = log(1 + exp(z)) - y * z          (the negative log-likelihood of the seed)
    R(w) = l1 * ||w||_1 + l2 * ||w||^2 / 2           (the intercept is never penalized)

This is scikit-learn's ``LogisticRegression`` objective divided by ``C * n_samples``, so
``lambda = 1 / (C * n_samples)`` gives the same minimizer.

Speed
-----
For 0/1 targets (what the estimators pass) the loss, gradient and Hessian come from the signed
logit ``t = (1 - 2y) z`` in one blocked pass over ``X``: each block is multiplied by ``w`` and by
the residual while it is in cache, with every temporary in a reused buffer. Other targets (soft
labels) take the plain formulas.

Threads. On large data (``n * (d + 3 M)`` of at least ``_THREADED_MIN_VALUES``) a pass splits
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
from dataclasses import dataclass

import numpy as np
from threadpoolctl import ThreadpoolController

# Rows per block of the loss/gradient pass. Each block makes about a dozen numpy calls, and
# threaded, each call is also a GIL hand-off (~10 us on this VM), so one output wants long
# blocks: 2k-8k rows made the threaded epoch at n = 1M 15-30% slower than 16k-64k (X_b^T r then
# reads X_b from L3, which is still fast). With M outputs the three (rows, M) temporaries must
# stay in L2 (2 MiB here) and BLAS gemm with k = d, n = M is fastest on short blocks: at M = 10
# 4k rows beat 8k-64k by 10-40%. Hence: temporaries of about _TEMP_BYTES, a block of X of at
# most _X_BLOCK_BYTES (for large d), within the row bounds.
_TEMP_BYTES, _X_BLOCK_BYTES = 1 << 20, 8 << 20
_MIN_BLOCK_ROWS, _MAX_BLOCK_ROWS = 256, 32768

_PLAIN_BLOCK_BYTES, _MAX_PLAIN_BLOCK_ROWS = 1 << 20, 8192

# The Hessian pass makes a block's scaled copy V = sqrt(c) X_b and reads it in a BLAS syrk: both
# stay in L2 with blocks this size (measured: 4-8k rows at d = 20 beat 22k by ~20%).
_NEWTON_BLOCK_BYTES = 1 << 20
# Passes over at least this many values per row-and-temporaries (n * (d + 3 M), as in the block
# size) split their rows across threads; smaller ones run in the calling thread, where BLAS
# still uses every core. Measured on 2 vCPUs (d = 20): the loss/gradient pass of one output
# gains from n ~ 200k on (0.85x of one thread at 200k, 0.6x at 1M; 1.06x at 100k), of ten
# outputs from n ~ 100k on; whole Newton fits 0.8x at n = 300k and 1M, but 1.2x at 100k.
_THREADED_MIN_VALUES = 1 << 22


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
_N_RANGES = min(_available_cpus(), _MAX_THREADS)
_POOL = _RowPool(_N_RANGES - 1)
# Ranges per thread, at most: more let the threads rebalance when a core is slowed down by other
# work (a shared machine), but each range pays its own set-up (buffers, partial sums), so a
# range gets at least _MIN_BLOCKS_PER_RANGE blocks (measured: the Hessian pass at n = 100k takes
# 5.1 ms with one range per thread, 6.4 ms with four).
_RANGES_PER_THREAD = 4
_MIN_BLOCKS_PER_RANGE = 8


def _sum_over_row_ranges(func, n_rows, n_threads, block_rows):
    """Sum of ``func(lo, hi)`` (a tuple of arrays) over row ranges covering ``0..n_rows``.

    One thread (``n_threads <= 1``) runs everything in the caller; more split the rows into
    ranges of whole blocks shared by the caller and :data:`_POOL`'s workers, with BLAS limited
    to one thread. Every pass of a large problem comes through here, even over a few rows: a
    multi-threaded BLAS call leaves BLAS's helper thread spinning on the other core for a while
    afterwards, which halved the speed of the threaded passes right after it.
    """
    if n_threads <= 1:
        return func(0, n_rows)
    blocks = -(-n_rows // block_rows)
    if blocks < n_threads:  # a slice of a large problem: one thread, BLAS kept in it too
        with _POOL.one_blas_thread():
            return func(0, n_rows)
    per_thread = min(_RANGES_PER_THREAD, max(1, blocks // (_MIN_BLOCKS_PER_RANGE * n_threads)))
    n_ranges = n_threads * per_thread
    cuts = [min(n_rows, block_rows * (blocks * k // n_ranges)) for k in range(n_ranges + 1)]
    ranges = [(lo, hi) for lo, hi in zip(cuts[:-1], cuts[1:]) if hi > lo]
    parts = _POOL.map(func, ranges, n_threads)
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

    threads = _N_RANGES if X.size >= _THREADED_MIN_VALUES else 1
    return float(_sum_over_row_ranges(rows, n, threads, max(1, -(-n // (8 * threads))))[0])


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function ``1 / (1 + exp(-z))`` without overflow for any finite ``z``.

    ``exp(-|z|)`` is in ``(0, 1]``, so neither branch can overflow:
    ``z >= 0: 1 / (1 + e)``, ``z < 0: e / (1 + e)`` with ``e = exp(-|z|)``.
    """
    z = np.asarray(z, dtype=np.float64)
    # exp(-|z|) underflows to 0 for |z| > 745, which is the right value, not an error.
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0, e) / (1.0 + e)


def log1pexp(z: np.ndarray) -> np.ndarray:
    """``log(1 + exp(z))`` computed as ``max(z, 0) + log1p(exp(-|z|))``: exact for any finite ``z``."""
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(under="ignore"):  # exp(-|z|) -> 0 is the right value for large |z|
        return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def logloss_from_logits(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Per-sample negative log-likelihood ``log(1 + e^z) - y z`` from the logit ``z`` (never ``log(p)``)."""
    return log1pexp(z) - np.asarray(y, dtype=np.float64) * z


def _loss_and_residual(z: np.ndarray, y: np.ndarray):
    """Pointwise log-loss and residual ``sigmoid(z) - y``, sharing one ``exp``. Shapes as ``z``."""
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(z))
        loss = np.maximum(z, 0.0) + np.log1p(e) - y * z
        residual = np.where(z >= 0, 1.0, e) / (1.0 + e) - y
    return loss, residual


def _signed_loss(t, e, u):
    """Per-sample losses ``u = log(1 + e^t)`` of signed logits ``t``; ``e`` is scratch.

    ``u = max(t, 0) + log1p(exp(-|t|))``, exact for any finite ``t`` (and ``inf`` for
    ``t = inf``, without a warning). The callers then form ``log sigmoid(t) = t - u <= 0``, so
    the sigmoid (and the curvature) is one ``exp`` away without a division and without
    overflow. ``t``, ``e`` and ``u`` share one shape, (m,) or (m, M). ``-|t|`` is two unary
    ufuncs: faster than ``copysign(t, -1)``.
    """
    np.abs(t, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)
    np.log1p(e, out=e)
    np.maximum(t, 0.0, out=u)
    u += e


def _loss_rows(Z, sign, sw, lo, hi, block_rows):
    """Weighted sum over rows ``lo:hi`` of the losses at logits ``Z`` (n, M), 0/1 targets.

    ``sign`` (n, M) is ``1 - 2y``, ``sw`` (n,) or None. Returns shape (M,).
    """
    rows = max(1, min(block_rows, hi - lo))
    shape = (rows, Z.shape[1])
    t, e, u = np.empty(shape), np.empty(shape), np.empty(shape)
    ones = np.ones(rows)
    loss = np.zeros(Z.shape[1])
    with np.errstate(under="ignore"):  # exp(-|t|) -> 0 for |t| > 745 is the right value
        for start in range(lo, hi, rows):
            stop = min(start + rows, hi)
            m = stop - start
            tb, eb, ub = t[:m], e[:m], u[:m]
            np.multiply(Z[start:stop], sign[start:stop], out=tb)
            _signed_loss(tb, eb, ub)
            loss += np.dot(ones[:m] if sw is None else sw[start:stop], ub)
    return loss


def _loss_grad_rows(X, sign, sign_w, sw, W, b, lo, hi, block_rows):
    """Sums over rows ``lo:hi`` of the loss and gradient terms of 0/1 targets, block by block.

    With ``s = 1 - 2y`` and ``t = s z``: ``logloss(y, z) = log(1 + e^t)`` and
    ``sigmoid(z) - y = s * sigmoid(t)``, so neither ``y * z`` nor ``p - y`` is ever formed, and
    ``sigmoid(t) = exp(t - log(1 + e^t))`` reuses the loss (see :func:`_signed_loss`).
    Every temporary lives in block-sized buffers reused across blocks, and a block of X is
    used for ``X_b w`` and ``X_b^T r`` while it is still in cache. A single output is passed as
    vectors: ``np.dot`` of a matrix and a vector (BLAS gemv) is much faster than a product with
    a one-column matrix.

    Parameters
    ----------
    X : (n, d); W : (d,) or (d, M), C-contiguous; b : (M,) or a float for a vector ``W``;
    sign : ``1 - 2y``, (n,) or (n, M) as ``W``; sign_w : ``sign * sample_weight`` or None;
    sw : (n,) or None; lo, hi : the row range; block_rows : rows per block.

    Returns
    -------
    loss : () or (M,) weighted sum of losses; grad_W : like ``W``; grad_b : () or (M,)
    """
    rows = max(1, min(block_rows, hi - lo))
    shape = (rows,) + W.shape[1:]
    t, e, u = np.empty(shape), np.empty(shape), np.empty(shape)
    # The gradient is summed transposed, (M, d) = T_b^T X_b: for small M that product is faster
    # than X_b^T T_b (about 2.6 vs 3.2 ms per 200k x 20 x 10 here).
    gT = np.empty(W.shape[::-1])
    ones = np.ones(rows)
    # Adding a same-shape array is twice as fast as broadcasting b (M,); a scalar is fast as is.
    bias = b if W.ndim == 1 else np.full(shape, b)
    loss, grad_WT, grad_b = np.zeros(W.shape[1:]), np.zeros(W.shape[::-1]), np.zeros(W.shape[1:])
    residual_sign = sign if sign_w is None else sign_w
    with np.errstate(under="ignore"):  # exp(-|t|) -> 0 for |t| > 745 is the right value
        for start in range(lo, hi, rows):
            stop = min(start + rows, hi)
            m = stop - start
            Xb, tb, eb, ub = X[start:stop], t[:m], e[:m], u[:m]
            np.dot(Xb, W, out=tb)
            tb += bias if W.ndim == 1 else bias[:m]
            tb *= sign[start:stop]
            _signed_loss(tb, eb, ub)
            loss += np.dot(ones[:m] if sw is None else sw[start:stop], ub)
            tb -= ub  # log sigmoid(t)
            np.exp(tb, out=tb)
            tb *= residual_sign[start:stop]
            grad_WT += np.dot(tb.T, Xb, out=gT)
            grad_b += np.dot(ones[:m], tb)
    return loss, grad_WT.T, grad_b


def _newton_rows(X, Z, sign, sign_w, sw, sqrt_sw, lo, hi, block_rows):
    """Sums over rows ``lo:hi`` of loss, gradient and Hessian terms at logits ``Z``, 0/1 targets.

    The Hessian of output m is ``[X 1]^T diag(c) [X 1]`` with ``c = s_w p (1 - p)``. Its feature
    block is ``V^T V`` with ``V = sqrt(c) X`` built in one reused buffer: a symmetric rank-k update
    (BLAS syrk, half the work of a general product); the intercept row is ``V^T sqrt(c)``.
    ``log(p (1 - p)) = log sigmoid(t) + log sigmoid(-t)``, both from :func:`_signed_loss`.
    Arguments as :func:`_loss_grad_rows` (one output as vectors), plus the logits ``Z``, (n,) or
    (n, M) as ``sign``, and ``sqrt_sw`` (n,) or None.

    Returns
    -------
    loss : () or (M,); grad_W : (d,) or (d, M); grad_b : () or (M,); H : (M, d + 1, d + 1)
    """
    d, per_output = X.shape[1], Z.shape[1:]
    M = per_output[0] if per_output else 1
    rows = max(1, min(block_rows, hi - lo))
    shape = (rows,) + per_output
    t, e, u = np.empty(shape), np.empty(shape), np.empty(shape)
    V = np.empty((rows, d))  # contiguous: scaling into it is faster than into a wider row
    VtV, g = np.empty((d, d)), np.empty((d,) + per_output)
    ones = np.ones(rows)
    loss, grad_W, grad_b = np.zeros(per_output), np.zeros((d,) + per_output), np.zeros(per_output)
    H = np.zeros((M, d + 1, d + 1))
    residual_sign = sign if sign_w is None else sign_w
    with np.errstate(under="ignore"):
        for start in range(lo, hi, rows):
            stop = min(start + rows, hi)
            m = stop - start
            Xb, tb, eb, ub, Vb = X[start:stop], t[:m], e[:m], u[:m], V[:m]
            np.multiply(Z[start:stop], sign[start:stop], out=tb)
            _signed_loss(tb, eb, ub)
            loss += np.dot(ones[:m] if sw is None else sw[start:stop], ub)
            tb -= ub  # log sigmoid(t)
            # log(p (1 - p)) = log sigmoid(t) + log sigmoid(-t) = (t - u) - u
            np.subtract(tb, ub, out=eb)
            eb *= 0.5
            np.exp(eb, out=eb)
            np.exp(tb, out=tb)
            tb *= residual_sign[start:stop]
            grad_W += np.dot(Xb.T, tb, out=g)
            grad_b += np.dot(ones[:m], tb)
            if sqrt_sw is not None:
                eb *= sqrt_sw[start:stop] if eb.ndim == 1 else sqrt_sw[start:stop, None]
            for k in range(M):
                root_c = eb if eb.ndim == 1 else eb[:, k]
                # einsum scales rows faster than broadcasting an (m, 1) column (inner loop of
                # length d): 1.7 vs 2.0 ms per 100k x 20 here, and no slower in threads.
                np.einsum("ij,i->ij", Xb, root_c, out=Vb)
                # np.dot hands A.T A to BLAS syrk and, unlike matmul (numpy 2.4), releases the
                # GIL during it, so row ranges in threads really run in parallel.
                H[k, :d, :d] += np.dot(Vb.T, Vb, out=VtV)
                H[k, :d, d] += np.dot(Vb.T, root_c)
                H[k, d, d] += np.dot(root_c, root_c)
    H[:, d, :d] = H[:, :d, d]
    return loss, grad_W, grad_b, H


@dataclass(frozen=True)
class Penalty:
    """The penalty ``lambda * R(w)`` split into its L1 and L2 strengths.

    Parameters
    ----------
    l1 : float
        Strength of ``||w||_1`` (already multiplied by lambda).
    l2 : float
        Strength of ``||w||^2 / 2`` (already multiplied by lambda).
    """

    l1: float = 0.0
    l2: float = 0.0

    @classmethod
    def from_params(cls, penalty: str, reg_strength: float, l1_ratio: float) -> "Penalty":
        """Build from the estimator's ``penalty``, ``reg_strength`` (lambda) and ``l1_ratio``."""
        lam = float(reg_strength)
        if penalty == "none" or lam == 0.0:
            return cls()
        if penalty == "l2":
            return cls(l2=lam)
        if penalty == "l1":
            return cls(l1=lam)
        if penalty == "elasticnet":
            return cls(l1=lam * l1_ratio, l2=lam * (1.0 - l1_ratio))
        raise ValueError(f"Unknown penalty {penalty!r}: use 'none', 'l2', 'l1' or 'elasticnet'.")

    def value(self, W: np.ndarray) -> np.ndarray:
        """Penalty of each output column, shape ``(n_outputs,)``."""
        out = np.zeros(W.shape[1])
        if self.l1:
            out += self.l1 * np.abs(W).sum(axis=0)
        if self.l2:
            out += 0.5 * self.l2 * np.einsum("dm,dm->m", W, W)
        return out

    def prox(self, W: np.ndarray, step: float) -> np.ndarray:
        """Proximal map of the L1 part for a gradient step of size ``step``: soft-thresholding.

        This is what sets weak coefficients *exactly* to zero, which a plain subgradient step never does.
        """
        if not self.l1:
            return W
        cut = step * self.l1
        return np.sign(W) * np.maximum(np.abs(W) - cut, 0.0)


class ObjectiveData:
    """What every objective holds: the data, the weights, and how ``X`` is walked in blocks.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_outputs)
        Targets, one column per output (0/1 columns, or one-hot rows for softmax).
    sample_weight : ndarray of shape (n_samples,) or None
    fit_intercept : bool
    """

    def __init__(self, X, Y, sample_weight=None, fit_intercept=True):
        self.X = np.ascontiguousarray(X, dtype=np.float64)
        self.Y = np.ascontiguousarray(Y, dtype=np.float64)
        self.n_samples, self.n_features = self.X.shape
        self.n_outputs = self.Y.shape[1]
        self.fit_intercept = fit_intercept
        if sample_weight is None:
            self.sw = None
            self.sw_sum = float(self.n_samples)
        else:
            self.sw = np.asarray(sample_weight, dtype=np.float64)
            self.sw_sum = float(self.sw.sum())
        # A row of the block: d features plus three temporaries per output.
        row_bytes = 8 * (self.n_features + 3 * self.n_outputs)
        rows = min(_TEMP_BYTES // (24 * self.n_outputs), _X_BLOCK_BYTES // (8 * self.n_features))
        self.block_rows = int(np.clip(rows, _MIN_BLOCK_ROWS, _MAX_BLOCK_ROWS))
        # The plain formulas (soft labels, softmax) allocate their temporaries per block: those
        # stay in L2 (about 1 MiB, at most 8192 rows), as before the threaded kernel.
        self.plain_block_rows = int(np.clip(_PLAIN_BLOCK_BYTES // row_bytes, _MIN_BLOCK_ROWS,
                                            _MAX_PLAIN_BLOCK_ROWS))
        self.newton_block_rows = int(np.clip(_NEWTON_BLOCK_BYTES // row_bytes, _MIN_BLOCK_ROWS,
                                             _MAX_BLOCK_ROWS))
        # Threads of a pass over X: one per CPU on large data, else one (the calling thread).
        # Instance attributes, so tests can force the threaded path on small data.
        self.n_ranges = _N_RANGES
        self.threaded_min_values = _THREADED_MIN_VALUES

    def _ranges_for(self, n_rows):
        """How many threads a pass over ``n_rows`` rows of X uses."""
        values = n_rows * (self.n_features + 3 * self.n_outputs)
        return self.n_ranges if values >= self.threaded_min_values else 1

    def linear(self, W, b, X=None):
        """Logits ``X W + b``, shape ``(n_samples, n_outputs)``.

        Large ``X`` is split by rows across the pool like the other passes: besides using both
        cores, this keeps BLAS's own threads asleep during a fit. Woken by a multi-threaded
        call, they spin for a while afterwards and slow the next threaded pass (measured: the
        Newton Hessian pass after ``X @ direction`` took 8 ms instead of 6).
        """
        X = self.X if X is None else X
        W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
        out = np.empty((X.shape[0], W.shape[1]))
        if W.shape[1] == 1:  # a matrix-vector product (BLAS gemv) is much faster than by (d, 1)
            W, target = W[:, 0].copy(), out[:, 0]
        else:
            W, target = np.ascontiguousarray(W), out

        def rows(lo, hi):
            np.dot(X[lo:hi], W, out=target[lo:hi])
            return ()

        # Threads by the problem's size, not the slice's (see _sum_over_row_ranges).
        _sum_over_row_ranges(rows, X.shape[0], self._ranges_for(self.n_samples), self.block_rows)
        out += b
        return out

    def _blocks(self, rows=None):
        """Yield ``(X_block, Y_block, sw_block)``: contiguous slices, or the given row indices."""
        if rows is not None:
            yield self.X[rows], self.Y[rows], None if self.sw is None else self.sw[rows]
            return
        step = self.plain_block_rows
        for start in range(0, self.n_samples, step):
            stop = start + step
            yield (self.X[start:stop], self.Y[start:stop],
                   None if self.sw is None else self.sw[start:stop])


class BinaryObjective(ObjectiveData):
    """Data term of ``n_outputs`` independent logistic problems sharing ``X`` (binary or one-vs-rest).

    Parameters as :class:`ObjectiveData`, with ``Y`` holding 0/1 targets, one column per output.
    """

    def __init__(self, X, Y, sample_weight=None, fit_intercept=True):
        super().__init__(X, Y, sample_weight, fit_intercept)
        # 0/1 targets (always, from the estimators) take the fast path through the signed logit
        # t = (1 - 2y) z; anything else (soft labels) the plain formulas. Read once, here.
        self._sign = self._sign_w = self._sqrt_sw = None
        # Counting zeros and ones makes one-byte temporaries, not (n, M) floats.
        if np.count_nonzero(self.Y == 0.0) + np.count_nonzero(self.Y == 1.0) == self.Y.size:
            self._sign = self.Y * -2.0
            self._sign += 1.0
            if self.sw is not None:
                self._sign_w = self._sign * self.sw[:, None]
                self._sqrt_sw = np.sqrt(self.sw)

    # The groups an output belongs to when losses are reported and steps are chosen: each output is
    # its own problem here (one-vs-rest); the softmax objective has a single group.
    @property
    def n_groups(self) -> int:
        return self.n_outputs

    def group_sum(self, per_output: np.ndarray) -> np.ndarray:
        return per_output

    def expand_groups(self, per_group: np.ndarray) -> np.ndarray:
        return per_group

    def loss_gradient(self, W, b, rows=None):
        """Mean data loss per output and its gradient, in one pass over ``X``.

        Parameters
        ----------
        W : ndarray (n_features, n_outputs); b : ndarray (n_outputs,)
        rows : ndarray of int or None
            A mini-batch of row indices; None uses every row.

        Returns
        -------
        loss : ndarray (n_outputs,)
        grad_W : ndarray (n_features, n_outputs)  ``X^T (p - y) / n`` (weighted)
        grad_b : ndarray (n_outputs,)
        """
        W = np.asarray(W, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        if self._sign is None:
            return self._loss_gradient_plain(W, b, rows)
        if rows is None:
            X, sign, sign_w, sw, total = self.X, self._sign, self._sign_w, self.sw, self.sw_sum
        else:
            # Gathered once into contiguous arrays; sorted rows (the solver sorts) gather faster.
            X, sign = self.X[rows], self._sign[rows]
            sign_w = None if self._sign_w is None else self._sign_w[rows]
            sw = None if self.sw is None else self.sw[rows]
            total = float(len(rows)) if sw is None else float(sw.sum())

        loss, grad_W, grad_b = self._loss_grad_pass(X, sign, sign_w, sw, W, b)
        total = total if total > 0 else 1.0
        if not self.fit_intercept:
            grad_b[:] = 0.0
        return loss / total, grad_W / total, grad_b / total

    def _loss_grad_pass(self, X, sign, sign_w, sw, W, b):
        """:func:`_loss_grad_rows` over every row of ``X``, threaded on large data.

        A single output goes through the kernel as vectors; results come back with shapes
        (M,), (d, M), (M,) either way.
        """
        d, M = W.shape
        if M == 1:
            W, b, sign = W[:, 0].copy(), float(b[0]), sign[:, 0]
            sign_w = None if sign_w is None else sign_w[:, 0]
        else:
            W = np.ascontiguousarray(W)

        def rows(lo, hi):
            return _loss_grad_rows(X, sign, sign_w, sw, W, b, lo, hi, self.block_rows)

        n_threads = self._ranges_for(X.shape[0])
        loss, grad_W, grad_b = _sum_over_row_ranges(rows, X.shape[0], n_threads, self.block_rows)
        return loss.reshape(M), grad_W.reshape(d, M), grad_b.reshape(M)

    def _loss_gradient_plain(self, W, b, rows=None):
        """``loss_gradient`` for targets that are not all 0 or 1 (soft labels): direct formulas."""
        loss = np.zeros(self.n_outputs)
        grad_W = np.zeros_like(W)
        grad_b = np.zeros(self.n_outputs)
        total = 0.0
        for Xb, Yb, swb in self._blocks(rows):
            lb, rb = _loss_and_residual(Xb @ W + b, Yb)
            if swb is not None:
                lb *= swb[:, None]
                rb *= swb[:, None]
                total += swb.sum()
            else:
                total += Xb.shape[0]
            loss += lb.sum(axis=0)
            grad_W += Xb.T @ rb
            grad_b += rb.sum(axis=0)
        total = total if total > 0 else 1.0
        if not self.fit_intercept:
            grad_b[:] = 0.0
        return loss / total, grad_W / total, grad_b / total

    def loss(self, W, b):
        """Mean data loss per output, shape ``(n_outputs,)``."""
        return self.loss_from_logits(self.linear(W, b))

    def loss_from_logits(self, Z):
        """Mean data loss per output from precomputed logits ``Z`` (n_samples, n_outputs)."""
        if self._sign is None:
            lz = log1pexp(Z) - self.Y * Z
            return lz.mean(axis=0) if self.sw is None else (self.sw @ lz) / self.sw_sum
        Z = np.asarray(Z, dtype=np.float64)

        def rows(lo, hi):
            return (_loss_rows(Z, self._sign, self.sw, lo, hi, self.block_rows),)

        loss, = _sum_over_row_ranges(rows, self.n_samples, self._ranges_for(self.n_samples),
                                     self.block_rows)
        return loss / (self.sw_sum if self.sw_sum > 0 else 1.0)

    def newton_system(self, Z):
        """Loss, gradient and per-output Hessians at logits ``Z``, in one blocked pass over ``X``.

        The Hessian of output ``m`` over ``[w_m, b_m]`` is ``[X 1]^T diag(s p (1 - p)) [X 1] / sum(s)``.

        Returns
        -------
        loss : (n_outputs,); grad_W : (n_features, n_outputs); grad_b : (n_outputs,)
        H : ndarray (n_outputs, n_features + 1, n_features + 1), intercept last.
        """
        Z = np.asarray(Z, dtype=np.float64)
        if self._sign is None:
            return self._newton_system_plain(Z)

        d, M = self.n_features, self.n_outputs
        sign, sign_w = self._sign, self._sign_w
        if M == 1:  # vectors: matrix-vector products instead of products with one column
            Z, sign = Z[:, 0], sign[:, 0]
            sign_w = None if sign_w is None else sign_w[:, 0]

        def rows(lo, hi):
            return _newton_rows(self.X, Z, sign, sign_w, self.sw, self._sqrt_sw, lo, hi,
                                self.newton_block_rows)

        n_threads = self._ranges_for(self.n_samples)
        loss, grad_W, grad_b, H = _sum_over_row_ranges(rows, self.n_samples, n_threads,
                                                       self.newton_block_rows)
        scale = self.sw_sum if self.sw_sum > 0 else 1.0
        return (np.reshape(loss, M) / scale, np.reshape(grad_W, (d, M)) / scale,
                np.reshape(grad_b, M) / scale, H / scale)

    def _newton_system_plain(self, Z):
        """``newton_system`` for targets that are not all 0 or 1 (soft labels): direct formulas."""
        d, M = self.n_features, self.n_outputs
        H = np.zeros((M, d + 1, d + 1))
        loss = np.zeros(M)
        grad_W = np.zeros((d, M))
        grad_b = np.zeros(M)
        step = self.plain_block_rows
        for start in range(0, self.n_samples, step):
            stop = start + step
            Xb, Yb, Zb = self.X[start:stop], self.Y[start:stop], Z[start:stop]
            lb, rb = _loss_and_residual(Zb, Yb)
            p = rb + Yb
            curv = p * (1.0 - p)
            if self.sw is not None:
                swb = self.sw[start:stop, None]
                lb, rb, curv = lb * swb, rb * swb, curv * swb
            loss += lb.sum(axis=0)
            grad_W += Xb.T @ rb
            grad_b += rb.sum(axis=0)
            # One BLAS call per output: the Hessians differ by their diagonal weights.
            for m in range(M):
                Xw = Xb * curv[:, m:m + 1]
                H[m, :d, :d] += Xb.T @ Xw
                H[m, :d, d] += Xw.sum(axis=0)
                H[m, d, d] += curv[:, m].sum()
        H[:, d, :d] = H[:, :d, d]
        scale = self.sw_sum if self.sw_sum > 0 else 1.0
        return loss / scale, grad_W / scale, grad_b / scale, H / scale

    def newton_direction(self, grad_W, grad_b, H, W, penalty: Penalty):
        """Newton step ``-(H + l2 I)^{-1} (g + l2 w)`` for each output; the intercept is unpenalized.

        A tiny ridge keeps the system solvable on separable data, where ``p (1 - p)`` underflows to 0.
        """
        d = self.n_features
        g = np.concatenate([grad_W + penalty.l2 * W, grad_b[None, :]], axis=0).T  # (M, d+1)
        A = H.copy()
        diag = np.arange(d)
        A[:, diag, diag] += penalty.l2
        if not self.fit_intercept:
            A[:, d, :] = 0.0
            A[:, :, d] = 0.0
            A[:, d, d] = 1.0
            g[:, d] = 0.0
        ridge = 1e-12 * np.maximum(np.trace(A, axis1=1, axis2=2), 1e-300)
        A[:, np.arange(d + 1), np.arange(d + 1)] += ridge[:, None]
        step = -np.linalg.solve(A, g[:, :, None])[:, :, 0]  # (M, d+1)
        return step[:, :d].T, step[:, d]
