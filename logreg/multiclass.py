"""Multiclass logistic regression two ways: one-vs-rest (M binary models) and softmax (one model).

``OneVsRestLogisticRegression`` is the seed's construction: one binary model per class ("this class
or not"), all trained together as the columns of one weight matrix, so every epoch is a single
pass over ``X``. ``SoftmaxRegression`` is the multinomial model, whose class probabilities are
coupled and sum to 1 by construction. Both share ``LogisticBase`` (parameters, solvers, history,
warnings) and differ only in how labels become targets and scores become probabilities.
"""

from __future__ import annotations

import numpy as np

from .model import LogisticBase, LogisticRegression
from .objective import log1pexp, sigmoid
from .softmax_objective import SoftmaxObjective, softmax


def _one_hot(y, classes) -> np.ndarray:
    """0/1 matrix (n_samples, n_classes): column m marks the samples labelled ``classes[m]``."""
    return (np.asarray(y)[:, None] == np.asarray(classes)[None, :]).astype(np.float64)


def _squeeze_groups(history: dict) -> dict:
    """Turn per-group loss columns of shape (n_epochs, 1) into (n_epochs,); keep the rest."""
    return {name: values[:, 0] if name.endswith("loss") else values
            for name, values in history.items()}


# The constructor parameters of both multiclass estimators (they take the same ones), written
# once and put into each class docstring in place of ``{parameters}``.
_PARAMETERS_DOC = """\
    Parameters
    ----------
    learning_rate, epochs, batch_size, solver, penalty, reg_strength, l1_ratio
        As in ``LogisticRegression`` (same defaults; newton takes penalty "none" or "l2").
    fit_intercept, tol, init, random_state
        As in ``LogisticRegression``. ``init="random"`` draws one vector shared by all classes.
    threshold : float, default=0.5
        Used only with two classes; with M >= 3 ``predict`` is the argmax.
"""


class _MulticlassBase(LogisticBase):
    """What one-vs-rest and softmax share: labels of at least two classes, and the two-class case.

    Subclasses define how labels become targets and scores become probabilities. Their docstrings
    hold ``{parameters}``, replaced by the shared parameter list when the class is created.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__doc__:
            cls.__doc__ = cls.__doc__.replace("    {parameters}\n", _PARAMETERS_DOC)

    def _binary(self) -> bool:
        # Unfitted models answer False so the multiclass path raises sklearn's NotFittedError.
        return len(getattr(self, "classes_", ())) == 2

    def _check_n_classes(self, classes):
        if len(classes) < 2:
            raise ValueError(
                f"y has only one class ({classes[0] if len(classes) else 'none'}) among the "
                "samples used: training needs examples of at least two classes."
            )


class OneVsRestLogisticRegression(_MulticlassBase):
    """One-vs-rest logistic regression: one binary model ``p_m = sigmoid(x . w_m + b_m)`` per class.

    Model ``m`` answers "is it class ``m`` or any other?", minimizing its own binary objective
    (see ``LogisticRegression``). The M models never interact: they are trained together only for
    speed, as the M columns of one weight matrix, so every epoch is one pass over ``X`` for all
    classes, and each model's history equals a binary fit on its own (same seed and parameters).
    One exception: training stops for all classes together (divergence, ``tol``, callback).

    With two classes this *is* ``LogisticRegression``: one model, not two, ``coef_`` of shape
    (1, n_features) and ``predict`` using ``threshold``. The shapes below are for M >= 3 classes.

    {parameters}

    Attributes
    ----------
    coef_ : ndarray of shape (M, n_features)
        Row ``m`` is model ``m``'s weights.
    intercept_ : ndarray of shape (M,)
    classes_ : ndarray of shape (M,)
    n_iter_ : int
    converged_, diverged_, stopped_early_ : bool
        As in ``LogisticRegression``, for the M models together.
    history_ : dict of ndarray, indexed by epoch ``0..n_iter_``
        ``"loss"``, ``"data_loss"`` and (with ``eval_set``) ``"val_loss"`` of shape
        (n_iter_+1, M), one column per class's binary model; ``"coef"`` (n_iter_+1, M, n_features);
        ``"intercept"`` (n_iter_+1, M).
    fit_warnings_ : tuple of str

    Examples
    --------
    >>> from logreg import OneVsRestLogisticRegression
    >>> X = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]]
    >>> model = OneVsRestLogisticRegression(solver="newton", penalty="l2", reg_strength=0.01)
    >>> model.fit(X, ["a", "a", "b", "b", "c", "c"]).predict([[0.1], [4.9]]).tolist()
    ['a', 'c']
    """

    def _encode_targets(self, y, classes):
        if len(classes) == 2:
            return LogisticRegression._encode_targets(self, y, classes)
        return _one_hot(y, classes)

    def _shape_history(self, history):
        if self._binary():
            return LogisticRegression._shape_history(self, history)
        return history

    def decision_function(self, X):
        """Each model's logit ``x . w_m + b_m``, shape (n_samples, M); (n_samples,) for two classes."""
        if self._binary():
            return LogisticRegression.decision_function(self, X)
        X = self._validated(X)
        return X @ self.coef_.T + self.intercept_

    def predict_proba_ovr(self, X):
        """Each model's own probability ``p_m = sigmoid(x . w_m + b_m)``, *not* normalized.

        Rows do not sum to 1: each column is the answer of an independent binary model, and
        ``p_m = 0.5`` is class ``m``'s own decision boundary. Shape (n_samples, M). With two
        classes there is one model and this equals ``predict_proba``.
        """
        if self._binary():
            return self.predict_proba(X)
        return sigmoid(self.decision_function(X))

    def predict_proba(self, X):
        """Per-class probabilities ``p_m / sum_k p_k`` (the OvR sigmoids normalized), (n_samples, M).

        The M models are trained separately, so their sigmoids need not sum to 1; dividing by the
        sum is the usual way to turn them into one distribution (scikit-learn's
        ``OneVsRestClassifier`` does the same). It keeps the argmax. For two classes it is
        ``[1 - p, p]`` of the single model.
        """
        if self._binary():
            return LogisticRegression.predict_proba(self, X)
        # Normalize in log space: log p_m = -log(1 + e^{-z_m}); where every p_m underflows to 0
        # (all logits very negative) the plain ratio would be 0 / 0.
        return softmax(-log1pexp(-self.decision_function(X)))

    def predict(self, X):
        """The class whose model is most confident (argmax of the logits), shape (n_samples,).

        With two classes: ``classes_[1]`` where ``p >= threshold``, as ``LogisticRegression``.
        """
        if self._binary():
            return LogisticRegression.predict(self, X)
        # Argmax of the logits, not of the sigmoids: the sigmoids of two large logits can both
        # round to 1.0 and tie.
        scores = self.decision_function(X)
        return self.classes_[np.argmax(scores, axis=1)]


class SoftmaxRegression(_MulticlassBase):
    """Multinomial (softmax) logistic regression: ``p(y = m | x) = softmax(x W + b)_m``.

    One model for all classes: the probabilities ``exp(z_m) / sum_k exp(z_k)`` with
    ``z_m = x . w_m + b_m`` sum to 1 by construction. Minimizes the mean cross-entropy plus
    ``reg_strength * sum_m R(w_m)`` (intercepts unpenalized), which is scikit-learn's multinomial
    ``LogisticRegression`` with ``C = 1 / (reg_strength * n_samples)``.

    Adding the same vector to every class's weights changes no probability, so without a penalty
    ``coef_`` is defined only up to such a shift. Starting from zeros, training keeps the
    symmetric solution (``coef_.sum(axis=0) == 0``, ``intercept_.sum() == 0``), which is also what
    the L2 penalty selects.

    With two classes the model keeps two weight rows (as scikit-learn's multinomial does), so an L2
    penalty acts on ``w_1 - w_0`` half as strongly as in ``LogisticRegression``.

    {parameters}

    Attributes
    ----------
    coef_ : ndarray of shape (M, n_features)
    intercept_ : ndarray of shape (M,)
    classes_ : ndarray of shape (M,)
    n_iter_ : int
    converged_, diverged_, stopped_early_ : bool
        As in ``LogisticRegression``.
    history_ : dict of ndarray, indexed by epoch ``0..n_iter_``
        ``"loss"``, ``"data_loss"`` and (with ``eval_set``) ``"val_loss"`` of shape (n_iter_+1,);
        ``"coef"`` (n_iter_+1, M, n_features); ``"intercept"`` (n_iter_+1, M).
    fit_warnings_ : tuple of str

    Examples
    --------
    >>> from logreg import SoftmaxRegression
    >>> X = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]]
    >>> model = SoftmaxRegression(solver="newton", penalty="l2", reg_strength=0.01)
    >>> model.fit(X, ["a", "a", "b", "b", "c", "c"]).predict([[0.1], [4.9]]).tolist()
    ['a', 'c']
    """

    _objective_class = SoftmaxObjective

    def _encode_targets(self, y, classes):
        return _one_hot(y, classes)

    def _shape_history(self, history):
        return _squeeze_groups(history)

    @staticmethod
    def _separable(objective, result) -> bool:
        # Separable for softmax: every sample's own class has the strictly largest logit, so
        # scaling W up lowers the loss forever.
        with np.errstate(all="ignore"):
            Z = objective.linear(result.W, result.b)
        own = np.einsum("im,im->i", objective.Y, Z)
        other = np.where(objective.Y > 0.5, -np.inf, Z).max(axis=1)
        margin = own - other
        if objective.sw is not None:
            margin = margin[objective.sw > 0]
        return bool(np.all(margin > 0))

    def _logits(self, X):
        X = self._validated(X)
        return X @ self.coef_.T + self.intercept_

    def decision_function(self, X):
        """Logits ``x W + b``, shape (n_samples, M).

        With two classes, the log-odds ``z_1 - z_0`` of ``classes_[1]``, shape (n_samples,):
        positive means ``p(classes_[1]) > 0.5``.
        """
        Z = self._logits(X)
        return Z[:, 1] - Z[:, 0] if self._binary() else Z

    def predict_proba(self, X):
        """Softmax probabilities, shape (n_samples, M); rows sum to 1, finite for any logits."""
        return softmax(self._logits(X))

    def predict(self, X):
        """The most probable class, shape (n_samples,).

        With two classes: ``classes_[1]`` where ``p >= threshold`` (the argmax at 0.5).
        """
        Z = self._logits(X)
        if self._binary():
            p = softmax(Z)[:, 1]
            return self.classes_[(p >= self.threshold).astype(int)]
        return self.classes_[np.argmax(Z, axis=1)]

