"""Probabilities over the drawn plane (the two drawn features vary, the others sit at their
mean), in the features' original units: the boundary of a binary run at any epoch, and the
per-class grids of a multiclass run."""

from __future__ import annotations

import numpy as np

from .replay import epoch_logits
from .runs import BinaryRun, MulticlassRun


def grid_axes(X, drawn=(0, 1), resolution=200, pad=0.08):
    """Grid axes ``xs`` (resolution,), ``ys`` (resolution,) covering the drawn features with a margin."""
    axes = []
    for j in drawn:
        lo, hi = float(np.min(X[:, j])), float(np.max(X[:, j]))
        span = hi - lo if hi > lo else 1.0
        axes.append(np.linspace(lo - pad * span, hi + pad * span, resolution))
    return axes[0], axes[1]


def grid_rows(X_ref, xs, ys, drawn=(0, 1)):
    """Raw rows for every grid point: the drawn features vary, the others sit at their mean."""
    gx, gy = np.meshgrid(xs, ys)
    rows = np.tile(X_ref.mean(axis=0), (gx.size, 1))
    rows[:, drawn[0]] = gx.ravel()
    rows[:, drawn[1]] = gy.ravel()
    return rows


def boundary_grid(run: BinaryRun, epochs=None, resolution=200):
    """Probability of the positive class over the drawn plane.

    Returns ``xs`` (r,), ``ys`` (r,) and ``proba``: (r, r) for the final model when ``epochs`` is
    None, else (len(epochs), r, r), one grid per listed epoch (from ``history_``, no refit).
    """
    xs, ys = grid_axes(run.X_train, run.drawn, resolution)
    rows = grid_rows(run.X_train, xs, ys, run.drawn)
    final = epochs is None
    idx = [run.model.n_iter_] if final else list(epochs)
    with np.errstate(over="ignore", invalid="ignore"):
        logits = epoch_logits(run.model, run.features, rows, idx)  # (rows, E)
    proba = _sigmoid_in_place(logits).T.reshape(len(idx), len(ys), len(xs))
    return xs, ys, (proba[0] if final else proba)


def _sigmoid_in_place(z: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-z))`` written into ``z`` (float64), for pictures of whole grids.

    A quarter of the time of ``objective.sigmoid`` (one pass, no branches, no temporaries), which
    the replay pays for 32 grids of 40,000 points on every retrain. ``exp(-z)`` overflows to inf
    for ``z < -709``, giving exactly 0 where the two-branch form gives < 1e-308; the same at
    +-inf, and nan stays nan (a diverged model).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        np.negative(z, out=z)
        np.exp(z, out=z)
        z += 1.0
        return np.reciprocal(z, out=z)


def class_grids(run: MulticlassRun, resolution=150):
    """Per-class probabilities over the drawn plane: ``xs``, ``ys``, grids (k, r, r).

    One-vs-rest gives each class's own sigmoid (not normalized), so ``grid[m] = 0.5`` is class m's
    own boundary; softmax gives the softmax probabilities. The argmax over classes is the same
    either way.
    """
    xs, ys = grid_axes(run.X_train, run.drawn, resolution)
    Phi = run.features.transform(grid_rows(run.X_train, xs, ys, run.drawn))
    if run.kind == "ovr" and hasattr(run.model, "predict_proba_ovr"):
        proba = run.model.predict_proba_ovr(Phi)
    else:
        proba = run.model.predict_proba(Phi)
    return xs, ys, proba.T.reshape(proba.shape[1], len(ys), len(xs))
