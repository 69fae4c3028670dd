"""The multinomial (softmax) objective, with the same protocol as :class:`~logreg.objective.BinaryObjective`.

The solvers in :mod:`logreg.solvers` only call the methods below, so gradient descent, mini-batches,
L1/L2 penalties and Newton work for softmax regression without knowing about it.

Shapes and conventions
----------------------
``X`` is ``(n_samples, n_features)``, ``W`` is ``(n_features, n_classes)``, ``b`` is ``(n_classes,)``
and ``Y`` is the one-hot target matrix ``(n_samples, n_classes)``. With sample weights ``s``::

    J(W, b) = sum_i s_i * [logsumexp(z_i) - z_i[y_i]] / sum_i s_i  +  lambda * sum_m R(w_m)
    z_i = x_i W + b

The classes are *one* problem (their probabilities sum to 1), so the objective has a single
"group": losses are reported as shape ``(1,)`` and the line search picks one step for all classes.
This is scikit-learn's multinomial ``LogisticRegression`` objective divided by ``C * n_samples``.

Identifiability: adding the same vector to every class's weights (and the same number to every
intercept) leaves every probability unchanged. Gradients never move along that direction (each
row of ``P - Y`` sums to 0), so starting from zeros keeps ``W.sum(axis=1) == 0`` and
``b.sum() == 0``: the symmetric parametrization, which is also the L2-penalized optimum.
"""

from __future__ import annotations

import numpy as np

from .objective import ObjectiveData, Penalty


def _shift_by_row_max(Z: np.ndarray) -> np.ndarray:
    # Subtracting the row maximum makes every exponent <= 0, so exp cannot overflow and the
    # largest term is exactly 1 (the sum cannot underflow to 0). A gap beyond the float range,
    # such as 1e308 - (-1e308), becomes -inf: the log of a probability that rounds to 0 anyway.
    Z = np.asarray(Z, dtype=np.float64)
    with np.errstate(over="ignore"):
        return Z - Z.max(axis=-1, keepdims=True)


def softmax(Z: np.ndarray) -> np.ndarray:
    """Class probabilities ``exp(z_m) / sum_k exp(z_k)`` along the last axis, for any finite logits."""
    E = np.exp(_shift_by_row_max(Z))
    return E / E.sum(axis=-1, keepdims=True)


def _row_max(Z: np.ndarray) -> np.ndarray:
    """Maximum of each row of ``Z`` (n, M), shape (n,).

    One ``maximum`` per class column: with few classes per row this is several times faster than
    ``Z.max(axis=1)``, whose reduction restarts on every short row.
    """
    zmax = Z[:, 0].copy()
    for k in range(1, Z.shape[1]):
        np.maximum(zmax, Z[:, k], out=zmax)
    return zmax


def _log_normalizer_and_proba(Z: np.ndarray):
    """``logsumexp`` of each row (n,) and ``softmax(Z)`` (n, M), sharing one ``exp``.

    Row sums go through a matrix-vector product (BLAS) for the same reason as ``_row_max``.
    """
    zmax = _row_max(Z)
    E = Z - zmax[:, None]
    np.exp(E, out=E)
    S = E @ np.ones(Z.shape[1])
    E /= S[:, None]
    return zmax + np.log(S), E


def _sample_losses(lse: np.ndarray, Y: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """Cross-entropy of each sample, ``logsumexp(z_i) - y_i . z_i``, shape (n,)."""
    return lse - np.einsum("im,im->i", Y, Z)


class SoftmaxObjective(ObjectiveData):
    """Data term of multinomial logistic regression over ``n_outputs`` classes.

    Parameters as :class:`~logreg.objective.ObjectiveData`, with ``Y`` one-hot: each row has a
    single 1 in its class's column.
    """

    # One group: the softmax couples the classes, so losses and line-search steps are shared.
    @property
    def n_groups(self) -> int:
        return 1

    def group_sum(self, per_output: np.ndarray) -> np.ndarray:
        """Sum a per-class quantity (..., n_outputs) or a per-group one (..., 1) to shape (..., 1)."""
        return np.sum(per_output, axis=-1, keepdims=True)

    def expand_groups(self, per_group: np.ndarray) -> np.ndarray:
        """The single group's value (1,) repeated for every class, shape (n_outputs,)."""
        return np.repeat(np.asarray(per_group, dtype=np.float64), self.n_outputs)

    def loss_gradient(self, W, b, rows=None):
        """Mean cross-entropy, shape (1,), and its gradient, in one blocked pass over ``X``.

        Parameters and gradient shapes: :meth:`logreg.objective.ObjectiveData.loss_gradient`.
        """
        loss = 0.0
        grad_W = np.zeros_like(W, dtype=np.float64)
        grad_b = np.zeros(self.n_outputs)
        total = 0.0
        for Xb, Yb, swb in self._blocks(rows):
            Zb = Xb @ W
            Zb += b
            lse, rb = _log_normalizer_and_proba(Zb)
            lb = _sample_losses(lse, Yb, Zb)
            rb -= Yb
            if swb is not None:
                rb *= swb[:, None]
                loss += swb @ lb
                total += swb.sum()
            else:
                loss += lb.sum()
                total += Xb.shape[0]
            grad_W += Xb.T @ rb
            grad_b += np.ones(len(rb)) @ rb
        return self._mean_over_rows(total, np.array([loss]), grad_W, grad_b)

    def loss_from_logits(self, Z):
        """Mean cross-entropy from precomputed logits ``Z`` (n_samples, n_outputs), shape ``(1,)``."""
        lz = _sample_losses(_log_normalizer_and_proba(Z)[0], self.Y, Z)
        if self.sw is None:
            return np.array([lz.mean()])
        return np.array([(self.sw @ lz) / self.sw_sum])

    def newton_system(self, Z):
        """Loss, gradient and the full Hessian at logits ``Z``, in one blocked pass over ``X``.

        The parameters are ``theta = [W; b]`` of shape ``(n_features + 1, n_outputs)``, flattened in
        C order (feature ``j`` of class ``m`` at ``j * n_outputs + m``, the intercepts last). With
        ``x~ = [x, 1]`` and ``p = softmax(z)``::

            H = sum_i s_i (x~_i x~_i^T) kron (diag(p_i) - p_i p_i^T) / sum_i s_i

        Returns
        -------
        loss : (1,); grad_W : (n_features, n_outputs); grad_b : (n_outputs,)
        H : ndarray ((n_features + 1) * n_outputs, (n_features + 1) * n_outputs)
        """
        d, M = self.n_features, self.n_outputs
        D = (d + 1) * M
        H = np.zeros((D, D))
        diag_blocks = np.zeros((d + 1, D))
        loss = 0.0
        grad_W = np.zeros((d, M))
        grad_b = np.zeros(M)
        for Xb, Yb, Zb, swb in self._blocks_with_logits(Z):
            lse, P = _log_normalizer_and_proba(Zb)
            lb, rb = _sample_losses(lse, Yb, Zb), P - Yb
            Xa = np.empty((Xb.shape[0], d + 1))
            Xa[:, :d] = Xb
            Xa[:, d] = 1.0
            # A_i = x~_i kron p_i: both Hessian terms come from it in two BLAS calls, instead
            # of one call per pair of classes.
            A = (Xa[:, :, None] * P[:, None, :]).reshape(-1, D)
            if swb is not None:
                lb, rb, Aw = lb * swb, rb * swb[:, None], A * swb[:, None]
            else:
                Aw = A
            loss += lb.sum()
            grad_W += Xb.T @ rb
            grad_b += rb.sum(axis=0)
            diag_blocks += Xa.T @ Aw  # [j, k*M + m] = sum_i s_i x~_ij x~_ik p_im
            H -= A.T @ Aw             # the p p^T part
        # Scatter the diag(p) part onto the class-diagonal entries (j*M + m, k*M + m).
        H4 = H.reshape(d + 1, M, d + 1, M)
        classes = np.arange(M)
        H4[:, classes, :, classes] += diag_blocks.reshape(d + 1, d + 1, M).transpose(2, 0, 1)
        if not self.fit_intercept:
            grad_b[:] = 0.0
        scale = self.sw_sum if self.sw_sum > 0 else 1.0
        return np.array([loss / scale]), grad_W / scale, grad_b / scale, H / scale

    def newton_direction(self, grad_W, grad_b, H, W, penalty: Penalty):
        """Newton step ``-(H + l2 I_W)^{-1} (g + l2 W)`` over all classes at once.

        The softmax Hessian is singular along "shift every class equally" (see the module
        docstring). The gradient has no component there, so adding a positive curvature along
        exactly those directions leaves the step unchanged and makes the system solvable:
        always for the (unpenalized) intercepts, and for the weights when there is no L2 term
        (with L2 their curvature there is ``l2 > 0`` already and must stay, to shrink a shared
        random start). A tiny ridge then guards separable data, as in the binary objective.

        Returns
        -------
        dW : ndarray (n_features, n_outputs); db : ndarray (n_outputs,)
        """
        d, M = self.n_features, self.n_outputs
        D = (d + 1) * M
        g = np.concatenate([grad_W + penalty.l2 * W, grad_b[None, :]], axis=0).ravel()
        A = H.copy()
        weights = np.arange(d * M)
        A[weights, weights] += penalty.l2
        scale = max(np.trace(A) / D, 1e-300)
        A4 = A.reshape(d + 1, M, d + 1, M)
        shared = np.full((M, M), scale / M)
        rows = range(d + 1) if penalty.l2 == 0 else [d]
        for j in rows:
            A4[j, :, j, :] += shared
        if not self.fit_intercept:
            A4[d, :, :, :] = 0.0
            A4[:, :, d, :] = 0.0
            A4[d, np.arange(M), d, np.arange(M)] = 1.0
            g[d * M:] = 0.0
        A[np.arange(D), np.arange(D)] += 1e-12 * max(np.trace(A), 1e-300)
        step = -np.linalg.solve(A, g).reshape(d + 1, M)
        return step[:d], step[d]
