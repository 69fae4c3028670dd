"""A binary run at any epoch of its history, without refitting: logits and accuracy curves.
(The epochs the replay figure carries as frames: ``logreg.replay_figure.replay_frame_epochs``.)"""

from __future__ import annotations

import numpy as np

from .features import FeatureMap
from .runs import BinaryRun

# Rows used for per-epoch accuracy curves: an estimate from a fixed sample keeps the cost flat
# for big uploads (the curve of a 1M-row set computed on 50k rows is accurate to ~0.5%).
ACCURACY_SAMPLE = 50_000


def epoch_logits(model, features: FeatureMap, X, epochs=None) -> np.ndarray:
    """Logits of raw rows ``X`` (n, d) at several epochs of a binary model's history: (n, E).

    One matrix product with the stacked history coefficients, so replaying any epoch needs no refit.
    """
    hist = model.history_
    idx = np.arange(model.n_iter_ + 1) if epochs is None else np.asarray(epochs, dtype=int)
    Phi = features.transform(X)
    Z = Phi @ hist["coef"][idx].T
    Z += hist["intercept"][idx]  # in place: no second (n, E) array (the replay's is 10 MB)
    return Z


def accuracy_history(run: BinaryRun, threshold: float, sample: int = ACCURACY_SAMPLE):
    """Accuracy at ``threshold`` after every epoch, on train and test: two arrays (E,) (test None).

    Computed on at most ``sample`` rows of each set (a fixed, seeded sample).
    """
    logit_t = _logit(threshold)

    def curve(X, y):
        if X is None or len(y) == 0:
            return None
        if len(y) > sample:
            rows = np.sort(np.random.default_rng(0).choice(len(y), sample, replace=False))
            X, y = X[rows], y[rows]
        with np.errstate(over="ignore", invalid="ignore"):
            Z = epoch_logits(run.model, run.features, X)
        # Counted, not averaged: the same numbers (a sum of ones is exact), a little faster.
        return np.count_nonzero((Z >= logit_t) == (y[:, None] == 1), axis=0) / len(y)

    return curve(run.X_train, run.y_train), curve(run.X_test, run.y_test)


def _logit(p: float) -> float:
    """Logit of a threshold, with 0 and 1 mapped to -inf and +inf (everything / nothing positive)."""
    if p <= 0.0:
        return -np.inf
    if p >= 1.0:
        return np.inf
    return float(np.log(p) - np.log1p(-p))
