"""The blocked passes over ``X`` behind the binary objective's 0/1 targets, and their block sizes.

For 0/1 targets (what the estimators pass) the loss, gradient and Hessian come from the signed
logit ``t = (1 - 2y) z`` in one blocked pass over ``X``: each block is multiplied by ``w`` and by
the residual while it is in cache, with every temporary in a reused buffer. Other targets (soft
labels) take the plain formulas in :mod:`logreg.objective`.

Each function here sums over one row range ``lo:hi``; :func:`logreg._parallel.sum_over_row_ranges`
splits the rows across threads and adds the ranges' results.
"""

from __future__ import annotations

import numpy as np

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


def block_sizes(n_features: int, n_outputs: int) -> tuple[int, int, int]:
    """Rows per block of ``(the loss/gradient pass, the plain formulas, the Hessian pass)`` over an
    ``X`` of ``n_features`` columns with ``n_outputs`` outputs."""
    # A row of the block: d features plus three temporaries per output.
    row_bytes = 8 * (n_features + 3 * n_outputs)
    rows = min(_TEMP_BYTES // (24 * n_outputs), _X_BLOCK_BYTES // (8 * n_features))
    block_rows = int(np.clip(rows, _MIN_BLOCK_ROWS, _MAX_BLOCK_ROWS))
    # The plain formulas (soft labels, softmax) allocate their temporaries per block: those
    # stay in L2 (about 1 MiB, at most 8192 rows), as before the threaded kernel.
    plain_block_rows = int(np.clip(_PLAIN_BLOCK_BYTES // row_bytes, _MIN_BLOCK_ROWS,
                                   _MAX_PLAIN_BLOCK_ROWS))
    newton_block_rows = int(np.clip(_NEWTON_BLOCK_BYTES // row_bytes, _MIN_BLOCK_ROWS,
                                    _MAX_BLOCK_ROWS))
    return block_rows, plain_block_rows, newton_block_rows


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


def loss_rows(Z, sign, sw, lo, hi, block_rows):
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


def loss_grad_rows(X, sign, sign_w, sw, W, b, lo, hi, block_rows):
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


def newton_rows(X, Z, sign, sign_w, sw, sqrt_sw, lo, hi, block_rows):
    """Sums over rows ``lo:hi`` of loss, gradient and Hessian terms at logits ``Z``, 0/1 targets.

    The Hessian of output m is ``[X 1]^T diag(c) [X 1]`` with ``c = s_w p (1 - p)``. Its feature
    block is ``V^T V`` with ``V = sqrt(c) X`` built in one reused buffer: a symmetric rank-k update
    (BLAS syrk, half the work of a general product); the intercept row is ``V^T sqrt(c)``.
    ``log(p (1 - p)) = log sigmoid(t) + log sigmoid(-t)``, both from :func:`_signed_loss`.
    Arguments as :func:`loss_grad_rows` (one output as vectors), plus the logits ``Z``, (n,) or
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
