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
For 0/1 targets (what the estimators pass) the loss, gradient and Hessian come from blocked
passes over ``X`` (:mod:`logreg._blocks`), split by rows across threads on large data
(:mod:`logreg._parallel`). Other targets (soft labels) take the plain formulas below.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _parallel
from ._blocks import block_sizes, loss_grad_rows, loss_rows, newton_rows
from ._parallel import sum_over_row_ranges


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
        # Rows per block of the fast passes, the plain formulas and the Hessian pass.
        self.block_rows, self.plain_block_rows, self.newton_block_rows = block_sizes(
            self.n_features, self.n_outputs)
        # Threads of a pass over X: one per CPU on large data, else one (the calling thread).
        # Instance attributes, so tests can force the threaded path on small data.
        self.n_ranges = _parallel.N_RANGES
        self.threaded_min_values = _parallel.THREADED_MIN_VALUES

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

        # Threads by the problem's size, not the slice's (see _parallel.sum_over_row_ranges).
        sum_over_row_ranges(rows, X.shape[0], self._ranges_for(self.n_samples), self.block_rows)
        out += b
        return out

    def _row_slices(self):
        """Contiguous row slices of ``plain_block_rows`` rows that cover every sample in order."""
        step = self.plain_block_rows
        for start in range(0, self.n_samples, step):
            yield slice(start, start + step)

    def _blocks(self, rows=None):
        """Yield ``(X_block, Y_block, sw_block)``: contiguous slices, or the given row indices."""
        if rows is not None:
            yield self.X[rows], self.Y[rows], None if self.sw is None else self.sw[rows]
            return
        for block in self._row_slices():
            yield self.X[block], self.Y[block], None if self.sw is None else self.sw[block]

    def _blocks_with_logits(self, Z):
        """Yield ``(X_block, Y_block, Z_block, sw_block)`` over :meth:`_row_slices`, ``Z`` as ``Y``.

        ``sw_block`` is None without sample weights. The plain Newton passes walk ``X`` this way.
        """
        for block in self._row_slices():
            yield (self.X[block], self.Y[block], Z[block],
                   None if self.sw is None else self.sw[block])

    def _mean_over_rows(self, total, loss, grad_W, grad_b):
        """Sums over rows divided by their total sample weight ``total`` (1 where that is 0).

        The intercept gradient is zeroed (in place) when there is no intercept to fit.
        """
        total = total if total > 0 else 1.0
        if not self.fit_intercept:
            grad_b[:] = 0.0
        return loss / total, grad_W / total, grad_b / total

    # The protocol the solvers call (logreg.solvers); each objective implements it. Losses are per
    # group (``n_groups``): per output for independent binary problems, one for softmax.
    def loss_gradient(self, W, b, rows=None):
        """Mean data loss of each group and its gradient, in one pass over ``X``.

        Parameters
        ----------
        W : ndarray (n_features, n_outputs); b : ndarray (n_outputs,)
        rows : ndarray of int or None
            A mini-batch of row indices; None uses every row.

        Returns
        -------
        loss : ndarray (n_groups,)
        grad_W : ndarray (n_features, n_outputs)  ``X^T (P - Y) / n`` (weighted)
        grad_b : ndarray (n_outputs,)             zero when ``fit_intercept`` is False
        """
        raise NotImplementedError

    def loss_from_logits(self, Z):
        """Mean data loss of each group from precomputed logits ``Z`` (n_samples, n_outputs)."""
        raise NotImplementedError

    def loss(self, W, b):
        """Mean data loss of each group at ``(W, b)``, shape ``(n_groups,)``."""
        return self.loss_from_logits(self.linear(W, b))

    def loss_many(self, Ws, bs):
        """:meth:`loss` at several weights at once: ``Ws`` (E, d, M), ``bs`` (E, M) -> (E, n_groups).

        Here one :meth:`loss` per weight; the binary objective computes every logit in one
        matrix product and every loss in one blocked pass.
        """
        return np.stack([self.loss(W, b) for W, b in zip(Ws, bs)]).reshape(len(Ws), -1)


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
        """Mean data loss per output, shape (n_outputs,), and its gradient, in one pass over ``X``.

        Parameters and the gradient's shapes as :meth:`ObjectiveData.loss_gradient`.
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

        return self._mean_over_rows(total, *self._loss_grad_pass(X, sign, sign_w, sw, W, b))

    def _loss_grad_pass(self, X, sign, sign_w, sw, W, b):
        """:func:`logreg._blocks.loss_grad_rows` over every row of ``X``, threaded on large data.

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
            return loss_grad_rows(X, sign, sign_w, sw, W, b, lo, hi, self.block_rows)

        n_threads = self._ranges_for(X.shape[0])
        loss, grad_W, grad_b = sum_over_row_ranges(rows, X.shape[0], n_threads, self.block_rows)
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
        return self._mean_over_rows(total, loss, grad_W, grad_b)

    def loss_from_logits(self, Z):
        """Mean data loss per output from precomputed logits ``Z`` (n_samples, n_outputs)."""
        if self._sign is None:
            lz = log1pexp(Z) - self.Y * Z
            return lz.mean(axis=0) if self.sw is None else (self.sw @ lz) / self.sw_sum
        Z = np.asarray(Z, dtype=np.float64)

        def rows(lo, hi):
            return (loss_rows(Z, self._sign, self.sw, lo, hi, self.block_rows),)

        loss, = sum_over_row_ranges(rows, self.n_samples, self._ranges_for(self.n_samples),
                                     self.block_rows)
        return loss / (self.sw_sum if self.sw_sum > 0 else 1.0)

    def loss_many(self, Ws, bs):
        """Mean data loss per output at several weights, ``Ws`` (E, d, M), ``bs`` (E, M): (E, M).

        One product ``X [W_1 ... W_E]`` and one blocked loss pass over its (n, E M) logits
        instead of E passes of each: the loss history of a validation set is computed after
        training, a block of epochs at a time (see :mod:`logreg.solvers`). Equal to
        :meth:`loss` per epoch up to rounding (the same sums, grouped differently).
        """
        Ws, bs = np.asarray(Ws, dtype=np.float64), np.asarray(bs, dtype=np.float64)
        E, d, M = Ws.shape
        if self._sign is None or E == 1:
            return super().loss_many(Ws, bs)
        Z = self.linear(Ws.transpose(1, 0, 2).reshape(d, E * M), bs.reshape(E * M))
        sign = np.tile(self._sign, (1, E))  # column e * M + m is output m at epoch e
        block_rows = block_sizes(d, E * M)[0]

        def rows(lo, hi):
            return (loss_rows(Z, sign, self.sw, lo, hi, block_rows),)

        loss, = sum_over_row_ranges(rows, self.n_samples, self._ranges_for(self.n_samples),
                                     block_rows)
        return (loss / (self.sw_sum if self.sw_sum > 0 else 1.0)).reshape(E, M)

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
            return newton_rows(self.X, Z, sign, sign_w, self.sw, self._sqrt_sw, lo, hi,
                                self.newton_block_rows)

        n_threads = self._ranges_for(self.n_samples)
        loss, grad_W, grad_b, H = sum_over_row_ranges(rows, self.n_samples, n_threads,
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
        for Xb, Yb, Zb, swb in self._blocks_with_logits(Z):
            lb, rb = _loss_and_residual(Zb, Yb)
            p = rb + Yb
            curv = p * (1.0 - p)
            if swb is not None:
                swb = swb[:, None]
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
