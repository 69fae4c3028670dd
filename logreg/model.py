"""Binary logistic regression trained by gradient descent or Newton, with its training history.

``LogisticBase`` holds what every logreg estimator shares (parameters, validation, the training
run, history and warnings); subclasses say how labels become 0/1 target columns and how scores
become probabilities.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._validation import check_finite_features, check_params, make_rng
from .objective import BinaryObjective, Penalty, sigmoid
from .solvers import HistoryAt, gradient_descent, newton

# Scale of the random initial weights: big enough to start from a visibly tilted boundary,
# small enough that the first epochs are not spent undoing it.
_RANDOM_INIT_SCALE = 0.1
# What "converged" means, in words (the model file and the pages quote it).
CONVERGENCE_CRITERION = "largest |gradient| of the penalized objective"


class DivergenceWarning(UserWarning):
    """Training stopped because the loss blew up (usually: the learning rate is too large)."""


class SeparableWarning(UserWarning):
    """The classes are perfectly separable and unpenalized: the weights grow without limit."""


def _check_sample_weight(sample_weight, n_samples):
    sw = np.asarray(sample_weight, dtype=np.float64)
    if sw.ndim == 0:
        sw = np.full(n_samples, float(sw))
    if sw.ndim != 1 or sw.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight has shape {sw.shape} but X has {n_samples} samples: "
            "give one weight per sample."
        )
    if not np.isfinite(sw).all() or (sw < 0).any():
        raise ValueError("sample_weight must be finite and non-negative.")
    if sw.sum() <= 0:
        raise ValueError("Every sample weight is zero: at least one sample needs a positive weight.")
    # The loss is a weighted *mean*, so only ratios of weights matter; scaling by the largest
    # keeps weights like 1e300 from overflowing the weighted gradient.
    return sw / sw.max()


def _classes_and_counts(y, used=None):
    """Sorted distinct labels (``np.unique(y)``) and how many samples of each are ``used``.

    ``used`` is a boolean mask of the samples that count (positive weight), or None for all.
    Integer labels spanning a modest range are counted (``bincount``, linear time: 2 ms instead
    of 22 ms for a million labels); others take one sort. Labels must sort (``classes_`` is
    sorted): text mixed with numbers or empty cells does not.
    """
    if y.dtype.kind in "iu" and y.size:
        low, high = int(y.min()), int(y.max())
        limits = np.iinfo(np.intp)
        if limits.min <= low and high <= limits.max and high - low <= max(y.size, 1 << 16):
            offsets = y.astype(np.intp, copy=False)
            offsets = offsets - low if low else offsets
            everyone = np.bincount(offsets)
            present = np.flatnonzero(everyone)
            counts = everyone if used is None else np.bincount(offsets[used],
                                                               minlength=everyone.size)
            return (present + low).astype(y.dtype), counts[present]
    try:
        classes, codes = np.unique(y, return_inverse=True)
    except TypeError:
        raise ValueError(
            "The labels mix text with numbers or empty cells, so they cannot be sorted into "
            "classes. Make every label text (or every label a number) and fill empty labels."
        ) from None
    return classes, np.bincount(codes if used is None else codes[used], minlength=len(classes))


def _check_same_length(X, y):
    """A length mismatch in the user's words, before sklearn's "inconsistent numbers of samples"."""
    try:
        shape = getattr(X, "shape", None)  # sparse matrices have a shape but no length
        n_rows = shape[0] if shape else len(X)
        n_labels = len(y)
    except (TypeError, IndexError):
        return  # not sequences: validate_data says what is wrong
    if n_rows != n_labels:
        raise ValueError(
            f"X has {n_rows} rows but y has {n_labels} labels: give exactly one label per row."
        )


class _ValidationLoss:
    """The monitor of ``eval_set``: its mean log-loss per group at given weights.

    ``monitor(W, b)`` gives one epoch's; ``many(Ws, bs)`` a block of E epochs' at once
    (``Ws`` (E, d, M), ``bs`` (E, M)), which lets the solver record it after training in one
    matrix product (see :mod:`logreg.solvers`).
    """

    def __init__(self, val):
        self.val = val
        self.values_per_epoch = val.n_samples * val.n_outputs  # logits per epoch of a block

    def __call__(self, W, b):
        return {"val_loss": self.val.group_sum(self.val.loss(W, b))}

    def many(self, Ws, bs):
        return {"val_loss": self.val.group_sum(self.val.loss_many(Ws, bs))}


class LogisticBase(ClassifierMixin, BaseEstimator):
    """Shared parameters and training loop of logreg's estimators (see ``LogisticRegression``)."""

    _objective_class = BinaryObjective

    def __init__(self, *, learning_rate=0.1, epochs=100, batch_size=None, solver="gd",
                 penalty="none", reg_strength=0.0, l1_ratio=0.5, fit_intercept=True, tol=0.0,
                 init="zeros", random_state=None, threshold=0.5, gtol=1e-4, stop_early=False):
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.solver = solver
        self.penalty = penalty
        self.reg_strength = reg_strength
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.init = init
        self.random_state = random_state
        self.threshold = threshold
        self.gtol = gtol
        self.stop_early = stop_early

    # ----- hooks for subclasses -------------------------------------------------------------
    def _encode_targets(self, y, classes):
        """0/1 target matrix ``(n_samples, n_outputs)`` for labels ``y`` given ``classes_``."""
        raise NotImplementedError

    def _check_n_classes(self, classes):
        raise NotImplementedError

    def _shape_history(self, history: dict) -> dict:
        return history

    def _set_weights(self, W, b):
        self.coef_ = np.array(W.T, dtype=np.float64)
        self.intercept_ = np.array(b, dtype=np.float64)

    # ----- fit ------------------------------------------------------------------------------
    def fit(self, X, y, sample_weight=None, eval_set=None, callback=None):
        """Train on ``X`` (n_samples, n_features) and labels ``y`` (n_samples,).

        Parameters
        ----------
        sample_weight : array of shape (n_samples,), optional
            Per-sample weights; the loss is their weighted mean.
        eval_set : (X_val, y_val) or [(X_val, y_val)], optional
            Validation data: ``history_["val_loss"]`` records its log-loss every epoch.
        callback : callable(epoch, model) -> bool, optional
            Called after every epoch with ``coef_``, ``intercept_`` and ``history_`` set to that
            epoch's values; returning True stops training (for live progress and time budgets).

        Returns
        -------
        self
        """
        check_params(self.get_params())
        if self.solver == "newton" and self.penalty in ("l1", "elasticnet"):
            raise ValueError(
                f"solver='newton' cannot use penalty={self.penalty!r} (the L1 term has no second "
                "derivative at 0). Use solver='gd', or penalty='l2' or 'none'."
            )
        _check_same_length(X, y)
        X, y = validate_data(self, X, y, dtype=np.float64, ensure_all_finite=False, order="C")
        check_finite_features(X)
        classes, counts = _classes_and_counts(y)
        # The label type (binary, multiclass, continuous...) depends only on the distinct
        # values: checking those is the same test as checking y, without its O(n log n) sort.
        check_classification_targets(classes)
        sw = None if sample_weight is None else _check_sample_weight(sample_weight, X.shape[0])
        if sw is not None:  # only the samples that weigh anything count
            counts = _classes_and_counts(y, sw > 0)[1]
        self._check_n_classes(classes[counts > 0])
        self.classes_ = classes
        Y = self._encode_targets(y, classes)
        penalty = Penalty.from_params(self.penalty, self.reg_strength, self.l1_ratio)
        objective = self._objective_class(X, Y, sw, fit_intercept=self.fit_intercept)
        rng = make_rng(self.random_state)
        W, b = self._initial_weights(objective, rng)
        monitor = self._monitor(eval_set)
        progress = None if callback is None else self._progress(callback)

        stopping = dict(tol=self.tol, gtol=self.gtol, stop_early=bool(self.stop_early),
                        monitor=monitor, callback=progress)
        if self.solver == "newton":
            result = newton(objective, penalty, W, b, epochs=self.epochs, **stopping)
        else:
            result = gradient_descent(objective, penalty, W, b, learning_rate=self.learning_rate,
                                      epochs=self.epochs, batch_size=self.batch_size, rng=rng,
                                      **stopping)

        self._set_weights(result.W, result.b)
        self.history_ = self._shape_history(result.history)
        self.n_iter_ = int(result.n_iter)
        self.converged_ = bool(result.converged)
        self.convergence_ = {"criterion": CONVERGENCE_CRITERION,
                             "value": float(result.grad_norm), "tol": float(self.gtol)}
        self.diverged_ = bool(result.diverged)
        self.stopped_early_ = bool(result.stopped_by_callback)
        self.fit_warnings_ = tuple(self._warn(result, objective, penalty))
        return self

    def _initial_weights(self, objective, rng):
        d, M = objective.n_features, objective.n_outputs
        W = np.zeros((d, M))
        if self.init == "random":
            # One draw shared by every output, so each one-vs-rest column starts exactly where a
            # binary model with the same seed would.
            W[:] = rng.normal(0.0, _RANDOM_INIT_SCALE, size=d)[:, None]
        return W, np.zeros(M)

    def _monitor(self, eval_set):
        if eval_set is None:
            return None
        if isinstance(eval_set, list):
            if len(eval_set) != 1:
                raise ValueError("eval_set takes one (X_val, y_val) pair.")
            eval_set = eval_set[0]
        try:
            X_val, y_val = eval_set
        except (TypeError, ValueError):
            raise ValueError("eval_set must be a pair (X_val, y_val).") from None
        X_val = validate_data(self, X_val, reset=False, dtype=np.float64,
                              ensure_all_finite=False, order="C")
        check_finite_features(X_val, "The validation X")
        y_val = np.asarray(y_val)
        if y_val.shape != (X_val.shape[0],):
            raise ValueError(
                f"The validation set has {X_val.shape[0]} rows in X but y has shape {y_val.shape}."
            )
        unknown = np.setdiff1d(np.unique(y_val), self.classes_)
        if unknown.size:
            raise ValueError(
                f"The validation labels {list(unknown)} do not occur in the training labels "
                f"{list(self.classes_)}."
            )
        val = self._objective_class(X_val, self._encode_targets(y_val, self.classes_), None,
                                    fit_intercept=self.fit_intercept)
        return _ValidationLoss(val)

    def _progress(self, callback):
        def progress(epoch, W, b, history):
            self._set_weights(W, b)
            self.n_iter_ = epoch
            # Shaped only if the callback reads it (most only check the time).
            self.history_ = HistoryAt(lambda: self._shape_history(history))
            return bool(callback(epoch, self))
        return progress

    def _warn(self, result, objective, penalty):
        messages = []
        if result.diverged:
            lr = self.learning_rate
            # The log-loss (penalty not counted): the quantity history_["data_loss"] holds and
            # the loss curves draw. No smaller rate is named here: one that was not tried could
            # diverge too (the app names one it has checked).
            messages.append((DivergenceWarning,
                f"Training diverged at epoch {result.diverged_epoch} with learning rate {lr:g}: "
                f"the log-loss jumped from {result.data_loss_before_divergence:.3g} to "
                f"{result.data_loss_at_divergence:.3g} (penalty not counted). The weights of "
                f"epoch {result.n_iter} are kept. Try a smaller learning rate."))
        elif (self.tol > 0 and not result.stopped_by_callback
              and result.n_iter >= self.epochs and not result.converged):
            messages.append((ConvergenceWarning,
                f"Training did not reach tol={self.tol:g} in {self.epochs} epochs. "
                "Train for more epochs or raise the learning rate."))
        if penalty.l1 == 0 and penalty.l2 == 0 and self._separable(objective, result):
            messages.append((SeparableWarning,
                "The classes are perfectly separable and there is no penalty: the weights keep "
                "growing the longer you train (the loss approaches 0 but never reaches it). "
                "Add an L2 penalty for stable coefficients."))
        for category, text in messages:
            warnings.warn(text, category, stacklevel=3)
        return [text for _, text in messages]

    @staticmethod
    def _separable(objective, result) -> bool:
        """Every (weighted) sample on its own side of every boundary, checked block by block.

        Data that is not separable (nearly always) stops at the first block with a misclassified
        sample: a few milliseconds instead of a pass over X and several (n, M) temporaries.
        """
        step = objective.block_rows
        for start in range(0, objective.n_samples, step):
            rows = slice(start, start + step)
            with np.errstate(all="ignore"):
                Z = objective.linear(result.W, result.b, X=objective.X[rows])
            margin = np.where(objective.Y[rows] > 0.5, Z, -Z)
            if objective.sw is not None:
                margin = margin[objective.sw[rows] > 0]
            if not np.all(margin > 0):
                return False
        return True

    # ----- predict --------------------------------------------------------------------------
    def _validated(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64, ensure_all_finite=False,
                          order="C")
        check_finite_features(X, doing="predicting")
        return X


class LogisticRegression(LogisticBase):
    """Binary logistic regression: ``p(y=1|x) = sigmoid(x . w + b)``, predicted positive if ``p >= threshold``.

    Minimizes, over the weights ``w`` and intercept ``b`` (never penalized)::

        J(w, b) = mean_i logloss(y_i, x_i . w + b) + reg_strength * R(w)

    with ``R = ||w||^2 / 2`` (``"l2"``), ``||w||_1`` (``"l1"``) or
    ``l1_ratio * ||w||_1 + (1 - l1_ratio) * ||w||^2 / 2`` (``"elasticnet"``). This is
    scikit-learn's ``LogisticRegression`` objective with ``C = 1 / (reg_strength * n_samples)``.

    Parameters
    ----------
    learning_rate : float, default=0.1
        Step size alpha of gradient descent (``solver="gd"``).
    epochs : int, default=100
        Passes over the data (gd) or Newton iterations (newton), at most.
    batch_size : int or None, default=None
        Mini-batch size for gd; None uses the full batch. Batches are reshuffled every epoch.
    solver : {"gd", "newton"}, default="gd"
        Gradient descent (L1 by proximal soft-thresholding) or Newton-Raphson / IRLS with a
        backtracking line search (penalties "none" and "l2" only).
    penalty : {"none", "l2", "l1", "elasticnet"}, default="none"
    reg_strength : float, default=0.0
        lambda, the penalty's strength.
    l1_ratio : float, default=0.5
        Share of L1 in the elastic net.
    fit_intercept : bool, default=True
    tol : float, default=0.0
        Stop when the objective changes by less than ``tol`` in an epoch; 0 runs every epoch.
    gtol : float, default=1e-4
        Convergence criterion: the model has converged when the largest |entry| of the penalized
        objective's gradient (with L1: its minimum-norm subgradient) is at most ``gtol``.
    stop_early : bool, default=False
        Stop at the first epoch where the criterion holds (otherwise run every epoch).
    init : {"zeros", "random"}, default="zeros"
        Starting weights: zeros, or small normal values (sd 0.1) drawn from ``random_state``.
    random_state : int, Generator or None, default=None
        Seeds the random start and the mini-batch shuffling.
    threshold : float, default=0.5
        ``predict`` labels a sample positive (``classes_[1]``) when ``p >= threshold``.

    Attributes
    ----------
    coef_ : ndarray of shape (1, n_features)
    intercept_ : ndarray of shape (1,)
    classes_ : ndarray of shape (2,)
        The two labels, sorted; ``classes_[1]`` is the positive class.
    n_iter_ : int
        Epochs run.
    converged_, diverged_, stopped_early_ : bool
        The convergence criterion holds at the final weights (``convergence_["value"] <= gtol``);
        stopped because the loss blew up (the last finite weights are kept); stopped by the
        callback.
    convergence_ : dict
        ``{"criterion": str, "value": float, "tol": gtol}``: the criterion at the final weights.
    history_ : dict of ndarray, indexed by epoch ``0..n_iter_``
        ``"loss"`` (n_iter_+1,) objective on the training data; ``"data_loss"`` the same without
        the penalty; ``"val_loss"`` log-loss on ``eval_set``; ``"coef"`` (n_iter_+1, n_features);
        ``"intercept"`` (n_iter_+1,); ``"grad_norm"`` (n_iter_+1,) the convergence criterion.
        Enough to redraw the model at any epoch.
    fit_warnings_ : tuple of str
        Plain-language warnings from the last fit (divergence, separable data, no convergence).

    Examples
    --------
    >>> from logreg import LogisticRegression
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> model = LogisticRegression(solver="newton", penalty="l2", reg_strength=0.1).fit(X, [0, 0, 1, 1])
    >>> model.predict([[0.2], [2.8]]).tolist()
    [0, 1]
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def _check_n_classes(self, classes):
        if len(classes) > 2:
            shown = ", ".join(map(str, classes[:5])) + (", ..." if len(classes) > 5 else "")
            raise ValueError(
                f"Only binary classification is supported. y has {len(classes)} classes "
                f"({shown}); use OneVsRestLogisticRegression or SoftmaxRegression for more."
            )
        if len(classes) < 2:
            raise ValueError(
                f"y has only one class ({classes[0] if len(classes) else 'none'}) among the "
                "samples used: training needs examples of both classes."
            )

    def _encode_targets(self, y, classes):
        return (np.asarray(y) == classes[1]).astype(np.float64)[:, None]

    def _shape_history(self, history):
        shaped = {}
        for name, values in history.items():
            if values.ndim == 1:  # one value per epoch already (grad_norm)
                shaped[name] = values
            else:
                shaped[name] = values[:, 0] if name != "coef" else values[:, 0, :]
        return shaped

    def decision_function(self, X):
        """Logits ``X w + b``, shape (n_samples,). Positive means ``p > 0.5``."""
        X = self._validated(X)
        return X @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X):
        """Probabilities ``[p(classes_[0]), p(classes_[1])]``, shape (n_samples, 2)."""
        z = self.decision_function(X)
        return np.column_stack([sigmoid(-z), sigmoid(z)])

    def predict(self, X):
        """``classes_[1]`` where ``p >= threshold``, else ``classes_[0]``; shape (n_samples,)."""
        p = self.predict_proba(X)[:, 1]
        return self.classes_[(p >= self.threshold).astype(int)]
