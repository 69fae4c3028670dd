"""Solvers: plain functions that take an objective and return coefficients plus history.

Both solvers share one epoch loop (:func:`_train`) that records the history, detects divergence,
applies ``tol`` and calls the progress callback, so the two differ only in how one epoch moves
the weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Callable, Optional

import numpy as np

from .objective import Penalty

# Divergence: the objective grew by more than this factor over its starting value (floored at
# log 2, the loss of a model that knows nothing, so a near-perfect start does not trip it).
DIVERGENCE_GROWTH = 1e3
_ARMIJO = 1e-4
_MAX_HALVINGS = 40
# A full Newton step taken where the decrement g^T H^-1 g is below this share of the objective
# is the last one: convergence is quadratic, so the next decrement would be of order its square
# (1e-20 here), beyond double precision; computing one more Hessian to learn that is skipped.
_FINAL_DECREMENT = 1e-10


@dataclass
class FitResult:
    """What a solver hands back to the estimator.

    ``history`` maps a name to an array whose first axis is the epoch ``0..n_iter``:
    ``"loss"`` (objective, per group), ``"data_loss"`` (objective without the penalty),
    ``"coef"`` (n_outputs, n_features) per epoch, ``"intercept"`` (n_outputs,) per epoch, and
    whatever the monitor adds (``"val_loss"``).
    """

    W: np.ndarray
    b: np.ndarray
    history: dict
    n_iter: int
    converged: bool = False
    diverged: bool = False
    stopped_by_callback: bool = False
    diverged_epoch: Optional[int] = None
    loss_before_divergence: float = math.nan
    loss_at_divergence: float = math.nan
    # The same two moments as the log-loss the loss curve draws (penalty not counted).
    data_loss_before_divergence: float = math.nan
    data_loss_at_divergence: float = math.nan
    # Convergence criterion at the final weights: see :func:`gradient_criterion`.
    grad_norm: float = math.nan


# Deferred history values are computed a block of epochs at a time: at most about this many
# values of the monitor's (rows, outputs) logits per block (8 MB), so a large validation set
# does not hold every epoch's logits at once.
_BLOCK_VALUES = 1 << 20


@dataclass
class _Recorder:
    """Preallocated per-epoch arrays, trimmed to the epochs actually run.

    Two kinds of values may be recorded late, a block of epochs at once, from the weights and
    gradients kept per epoch: the convergence criterion (``criterion_penalty`` set: the
    gradients are kept as ``_grad_W``/``_grad_b`` and :func:`gradient_criteria` fills
    ``grad_norm``), and a monitor's values (``monitor.many``: one matrix product for the block
    instead of one pass per epoch). Epoch 0 records both at once, which fixes their names,
    shapes and order. :meth:`view` fills whatever is pending, so every view is complete.
    """

    epochs: int
    arrays: dict = field(default_factory=dict)
    count: int = 0
    monitor: Optional[object] = None
    criterion_penalty: Optional[Penalty] = None
    block_epochs: int = 1 << 30
    filled: int = 0  # epochs whose deferred values are computed

    def add(self, **values):
        for name, value in values.items():
            value = np.asarray(value, dtype=np.float64)
            if name not in self.arrays:
                self.arrays[name] = np.full((self.epochs + 1,) + value.shape, np.nan)
            self.arrays[name][self.count] = value
        self.count += 1
        if self.count - self.filled >= self.block_epochs:
            self.fill()

    def fill(self):
        """Compute the deferred values of epochs ``filled..count - 1`` (one block)."""
        lo, hi = self.filled, self.count
        if hi <= lo:
            return
        W = self.arrays["coef"][lo:hi].transpose(0, 2, 1)  # (E, d, M)
        b = self.arrays["intercept"][lo:hi]
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            if self.criterion_penalty is not None and "_grad_W" in self.arrays:
                self.arrays["grad_norm"][lo:hi] = gradient_criteria(
                    self.arrays["_grad_W"][lo:hi], self.arrays["_grad_b"][lo:hi], W,
                    self.criterion_penalty)
            if self.monitor is not None:
                for name, values in self.monitor.many(W, b).items():
                    self.arrays[name][lo:hi] = values
        self.filled = hi

    def view(self, upto: Optional[int] = None) -> dict:
        """The history of epochs ``0..upto - 1`` (default: every epoch recorded so far)."""
        self.fill()
        upto = self.count if upto is None else upto
        return {name: arr[:upto] for name, arr in self.arrays.items() if not name.startswith("_")}


class HistoryAt(Mapping):
    """The history as it stood after a given epoch, built only if it is read.

    A callback (a time limit, a progress bar) is called after every epoch but rarely reads the
    history: building it each time would fill the deferred values one epoch at a time.
    ``build()`` returns the history dict; it is called at most once.
    """

    def __init__(self, build: Callable[[], dict]):
        self._build, self._history = build, None

    def _get(self) -> dict:
        if self._history is None:
            self._history, self._build = self._build(), None
        return self._history

    def __getitem__(self, name):
        return self._get()[name]

    def __iter__(self):
        return iter(self._get())

    def __len__(self):
        return len(self._get())


def gradient_criterion(grad_W, grad_b, W, penalty: Penalty) -> float:
    """Largest |entry| of the penalized objective's gradient: the convergence criterion.

    ``grad_W`` (n_features, n_outputs) and ``grad_b`` (n_outputs,) are the data term's gradient
    at ``W``; the L2 part adds ``l2 * W``. With an L1 part the objective has no gradient at 0, so
    this is its *minimum-norm subgradient*: ``g + l1 * sign(w)`` where ``w != 0``, and
    ``max(|g| - l1, 0)`` where ``w == 0`` (a zero weight whose pull is within the L1 band is
    exactly where it belongs). It is 0 exactly at the optimum, and it is in the units of the
    loss per unit of weight, so one tolerance fits every data set with standardized features.
    """
    G = np.asarray(grad_W, dtype=np.float64) + penalty.l2 * W
    if penalty.l1:
        G = np.where(W != 0, G + penalty.l1 * np.sign(W),
                     np.maximum(np.abs(G) - penalty.l1, 0.0))
    parts = [np.abs(G).ravel(), np.abs(np.asarray(grad_b, dtype=np.float64)).ravel()]
    with np.errstate(invalid="ignore"):
        value = float(np.max(np.concatenate(parts))) if any(p.size for p in parts) else 0.0
    return value if math.isfinite(value) else math.inf


def _diverged(total_loss: float, start_loss: float, W, b) -> bool:
    if not math.isfinite(total_loss) or not (np.isfinite(W).all() and np.isfinite(b).all()):
        return True
    return total_loss > DIVERGENCE_GROWTH * max(start_loss, math.log(2.0))


def gradient_criteria(grad_W, grad_b, W, penalty: Penalty) -> np.ndarray:
    """:func:`gradient_criterion` of E epochs at once: ``grad_W`` and ``W`` (E, d, M),
    ``grad_b`` (E, M) -> (E,). The same element-wise arithmetic, so the same values exactly."""
    grad_W, W = np.asarray(grad_W, dtype=np.float64), np.asarray(W, dtype=np.float64)
    E = grad_W.shape[0]
    G = grad_W + penalty.l2 * W
    if penalty.l1:
        G = np.where(W != 0, G + penalty.l1 * np.sign(W),
                     np.maximum(np.abs(G) - penalty.l1, 0.0))
    with np.errstate(invalid="ignore"):
        value = np.maximum(np.max(np.abs(G).reshape(E, -1), axis=1, initial=-np.inf),
                           np.max(np.abs(np.asarray(grad_b, dtype=np.float64)).reshape(E, -1),
                                  axis=1, initial=-np.inf))
    return np.where(np.isfinite(value), value, np.inf)


def _train(step, state, objective, penalty: Penalty, *, epochs, tol, monitor, callback,
           gtol=0.0, stop_early=False):
    """Shared epoch loop.

    ``step(state) -> new_state`` moves the weights by one epoch; a state is a dict holding at
    least ``W``, ``b`` and ``data_loss`` (per group, at those weights), and usually the data
    gradient ``grad_W``, ``grad_b`` there (computed here when missing). A step may flag its state
    ``"stalled"`` (nothing moved: stop) or ``"final"`` (record it, then stop).

    Every epoch records ``"grad_norm"``, the convergence criterion (:func:`gradient_criterion`).
    ``converged`` means it is at most ``gtol`` at the final weights; ``stop_early`` ends the run
    at the first epoch where that holds.
    """
    # The criterion is needed at every epoch only to stop early; else it is computed after
    # training (or a block of epochs at a time) from the gradients each epoch has anyway, and
    # so is a monitor that can take many epochs at once (``monitor.many``).
    deferred_monitor = monitor if hasattr(monitor, "many") else None
    rec = _Recorder(epochs, monitor=deferred_monitor,
                    criterion_penalty=None if stop_early else penalty,
                    block_epochs=max(1, _BLOCK_VALUES // max(
                        1, getattr(deferred_monitor, "values_per_epoch", 1))))

    def objective_value(st):
        return st["data_loss"] + objective.group_sum(penalty.value(st["W"]))

    def gradient(st):
        if "grad_W" not in st:
            _, st["grad_W"], st["grad_b"] = objective.loss_gradient(st["W"], st["b"])
        return st["grad_W"], st["grad_b"]

    def criterion(st):
        return gradient_criterion(*gradient(st), st["W"], penalty)

    def record(st, loss):
        first = rec.count == 0  # records everything at once: names, shapes and order
        extra = {}
        if stop_early or first:
            st["grad_norm"] = criterion(st)
            extra["grad_norm"] = st["grad_norm"]
        if monitor is not None and (first or deferred_monitor is None):
            extra.update(monitor(st["W"], st["b"]))
        if not stop_early:
            grad_W, grad_b = gradient(st)
            extra["_grad_W"], extra["_grad_b"] = grad_W, grad_b
        rec.add(loss=loss, data_loss=st["data_loss"], coef=st["W"].T, intercept=st["b"],
                **extra)
        if first:
            rec.filled = 1

    loss = objective_value(state)
    start_total = float(np.sum(loss))
    record(state, loss)
    result = FitResult(state["W"], state["b"], {}, 0)
    for epoch in range(1, epochs + 1):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            new_state = step(state)
            new_loss = objective_value(new_state)
        if new_state.get("stalled", False):
            # Nothing moved: the solver is at machine precision (or cannot descend further).
            break
        total = float(np.sum(new_loss))
        if _diverged(total, start_total, new_state["W"], new_state["b"]):
            result.diverged = True
            result.diverged_epoch = epoch
            result.loss_before_divergence = float(np.sum(loss))
            result.loss_at_divergence = total
            result.data_loss_before_divergence = float(np.sum(state["data_loss"]))
            result.data_loss_at_divergence = float(np.sum(new_state["data_loss"]))
            break
        change = np.abs(new_loss - loss)
        state, loss = new_state, new_loss
        record(state, loss)
        result.n_iter = epoch
        if new_state.get("final", False) or (tol > 0 and np.all(change < tol)):
            break
        if stop_early and state["grad_norm"] <= gtol:
            break
        if callback is not None and callback(epoch, state["W"], state["b"],
                                             HistoryAt(lambda upto=rec.count: rec.view(upto))):
            result.stopped_by_callback = True
            break
    result.W, result.b, result.history = state["W"], state["b"], rec.view()
    result.grad_norm = float(result.history["grad_norm"][-1])
    result.converged = bool(result.grad_norm <= gtol) and not result.diverged
    return result


def gradient_descent(objective, penalty: Penalty, W, b, *, learning_rate, epochs, batch_size=None,
                     tol=0.0, rng=None, monitor=None, callback=None, gtol=0.0,
                     stop_early=False) -> FitResult:
    """The seed's update ``w <- w - alpha * grad J``, full batch or shuffled mini-batches.

    The smooth part (data term + L2) takes the gradient step; the L1 part is applied by its
    proximal map (soft-thresholding), so coefficients can reach exactly zero.

    Full batch costs one pass over ``X`` per epoch: the pass that computes the gradient at the new
    weights also yields their loss. Mini-batches add one loss pass per epoch for the history.
    """
    n = objective.n_samples
    alpha = float(learning_rate)
    full_batch = batch_size is None or batch_size >= n
    rng = np.random.default_rng() if rng is None else rng

    def update(W, b, grad_W, grad_b):
        W = penalty.prox(W - alpha * (grad_W + penalty.l2 * W), alpha)
        return W, b - alpha * grad_b

    def at(W, b):
        # The state at (W, b): one full pass gives the loss for the history and the full gradient
        # for the next full-batch step and the convergence criterion.
        data_loss, grad_W, grad_b = objective.loss_gradient(W, b)
        return {"W": W, "b": b, "data_loss": objective.group_sum(data_loss),
                "grad_W": grad_W, "grad_b": grad_b}

    if full_batch:
        def step(st):
            return at(*update(st["W"], st["b"], st["grad_W"], st["grad_b"]))
    else:
        def step(st):
            W, b = st["W"], st["b"]
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                rows = np.sort(order[start:start + batch_size])  # sorted rows gather faster
                _, grad_W, grad_b = objective.loss_gradient(W, b, rows=rows)
                W, b = update(W, b, grad_W, grad_b)
            # One full pass for the history's loss; it also gives the full gradient that the
            # convergence criterion needs (the mini-batch gradients do not add up to it).
            return at(W, b)

    state = at(W, b)
    return _train(step, state, objective, penalty, epochs=epochs, tol=tol,
                  monitor=monitor, callback=callback, gtol=gtol, stop_early=stop_early)


def newton(objective, penalty: Penalty, W, b, *, epochs, tol=0.0, monitor=None,
           callback=None, gtol=0.0, stop_early=False) -> FitResult:
    """Newton-Raphson (IRLS) with a backtracking (Armijo) line search, one step per epoch.

    Each epoch makes one blocked pass over ``X`` for loss, gradient and Hessian at the full step
    (which also gives the Armijo test its loss), and one pass for ``X @ direction``; if the full
    step fails, the line search halves it along the precomputed logits without touching ``X``.
    Each group (output) gets its own step length, so one-vs-rest problems stay independent.
    Stops early once the Newton decrement is at machine precision: further steps cannot change
    the coefficients. A full step from a point whose decrement is already tiny is known to land
    there (quadratic convergence), so it ends the run without one more Hessian.
    """
    if penalty.l1:
        raise ValueError(
            "solver='newton' cannot use an L1 or elastic-net penalty (the L1 term has no second "
            "derivative at 0). Use solver='gd', or penalty='l2' or 'none'."
        )

    def system(W, b, Z):
        data_loss, grad_W, grad_b, H = objective.newton_system(Z)
        return {"W": W, "b": b, "Z": Z, "data_loss": objective.group_sum(data_loss),
                "grad_W": grad_W, "grad_b": grad_b, "H": H}

    def step(st):
        W, b, Z = st["W"], st["b"], st["Z"]
        dW, db = objective.newton_direction(st["grad_W"], st["grad_b"], st["H"], W, penalty)
        if not (np.isfinite(dW).all() and np.isfinite(db).all()):
            return {**st, "W": W + np.nan}
        slope = objective.group_sum(
            np.einsum("dm,dm->m", st["grad_W"] + penalty.l2 * W, dW) + st["grad_b"] * db)
        current = st["data_loss"] + objective.group_sum(penalty.value(W))
        # Newton decrement^2 / 2 estimates how much the objective can still fall.
        if np.all(-slope <= 1e-20 + 1e-16 * np.abs(current)):
            return {**st, "stalled": True}
        XD = objective.linear(dW, db)
        final = np.all(-slope <= _FINAL_DECREMENT * np.abs(current))
        # Try the full step first. It is almost always accepted, and then its Hessian pass is
        # needed anyway and yields its loss too: no separate loss evaluation for the line search.
        W1, b1, Z1 = W + dW, b + db, Z + XD
        full = None if final else system(W1, b1, Z1)
        data1 = (objective.group_sum(objective.loss_from_logits(Z1)) if final
                 else full["data_loss"])
        accepted = data1 + objective.group_sum(penalty.value(W1)) <= current + _ARMIJO * slope
        if accepted.all():
            # A last step's loss comes from its logits: no Hessian is computed for it.
            return {"W": W1, "b": b1, "Z": Z1, "data_loss": data1, "final": True} if final else full
        # Backtrack the groups that failed, along the precomputed logits (no pass over X).
        t = np.where(accepted, 1.0, 0.5)
        for _ in range(_MAX_HALVINGS - 1):
            tc = objective.expand_groups(t)
            trial = (objective.group_sum(objective.loss_from_logits(Z + XD * tc))
                     + objective.group_sum(penalty.value(W + dW * tc)))
            accepted |= trial <= current + _ARMIJO * t * slope
            if accepted.all():
                break
            t = np.where(accepted, t, t * 0.5)
        if not accepted.any():
            return {**st, "stalled": True}
        tc = objective.expand_groups(np.where(accepted, t, 0.0))
        return system(W + dW * tc, b + db * tc, Z + XD * tc)

    state = system(W, b, objective.linear(W, b))
    return _train(step, state, objective, penalty, epochs=epochs, tol=tol,
                  monitor=monitor, callback=callback, gtol=gtol, stop_early=stop_early)
