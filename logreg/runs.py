"""From a dataset's rows and a :class:`~logreg.settings.TrainSettings` to a trained run.

A run holds the model, its feature map, the raw train/test rows and the final probabilities:
everything the Train, Threshold and Multiclass pages draw. :func:`fit_binary` trains one class
against the rest (or the two classes); :func:`fit_multiclass` one-vs-rest or softmax over all of
them. Pure (numpy, scikit-learn's ``PolynomialFeatures``): the app caches runs on a content hash
of the data plus the settings. What is computed *from* a run lives beside it: replay over the
epochs (:mod:`logreg.replay`), grids over the drawn plane (:mod:`logreg.grids`), model files
(:mod:`logreg.model_files`).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from . import diagnostics
from .features import FeatureMap
from .model import LogisticRegression
from .multiclass import OneVsRestLogisticRegression, SoftmaxRegression
from .settings import TrainSettings


@dataclass(kw_only=True)
class _Run:
    """What every trained run holds, binary or multiclass (fields by keyword only).

    ``model`` is the fitted estimator and ``features`` the map from raw rows to its inputs.
    Arrays ``X_*`` are raw rows (n, d) in original units, ``X_test``/``y_test`` None without a
    test set; ``drawn`` holds the two raw feature indices the plots draw; ``seconds`` the wall
    time of the whole fit; ``messages`` the sentences for the page.
    """

    model: object
    features: FeatureMap
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: Optional[np.ndarray]
    y_test: Optional[np.ndarray]
    feature_names: tuple
    class_names: tuple
    drawn: tuple
    seconds: float
    messages: tuple = field(default_factory=tuple)


def _run_fields(model, features, X_train, X_test, feature_names, drawn, messages, t0) -> dict:
    """The :class:`_Run` fields both fits fill the same way; ``seconds`` is measured now."""
    return dict(model=model, features=features, X_train=np.asarray(X_train, float),
                X_test=None if X_test is None else np.asarray(X_test, float),
                feature_names=tuple(feature_names), drawn=tuple(drawn),
                seconds=time.perf_counter() - t0, messages=messages)


@dataclass(kw_only=True)
class BinaryRun(_Run):
    """A trained binary model with the data and numbers the Train and Threshold pages show.

    Fields as :class:`_Run`; ``y_*`` are 0/1 with 1 = the positive class ``class_names[1]``;
    ``p_*`` are final predicted probabilities of the positive class.
    """

    model: LogisticRegression
    p_train: np.ndarray
    p_test: Optional[np.ndarray]
    diagnosis: Optional[object] = None  # logreg.diagnostics.Diagnosis: finished or not, and why

    @property
    def epochs(self) -> np.ndarray:
        """Epoch numbers ``0..n_iter_`` of the history."""
        return np.arange(self.model.n_iter_ + 1)


def binary_labels(y_codes, class_names, positive: int):
    """0/1 labels for "class ``positive`` vs the rest" and the two class names to show.

    With two classes the names are the original ones; with more, the negative side reads
    "not <positive>".
    """
    y01 = (np.asarray(y_codes) == positive).astype(np.int64)
    if len(class_names) == 2:
        names = (str(class_names[1 - positive]), str(class_names[positive]))
    else:
        names = (f"not {class_names[positive]}", str(class_names[positive]))
    return y01, names


def fit_binary(X_train, y_train, X_test, y_test, *, feature_names, class_names,
               settings: TrainSettings, positive: int = 1, drawn=(0, 1),
               time_budget: Optional[float] = None, learning_rates=(),
               diagnose: bool = True) -> BinaryRun:
    """Train a binary model on raw features and return everything the pages draw.

    Parameters
    ----------
    X_train, X_test : ndarray (n, d) raw features; ``X_test`` may be None.
    y_train, y_test : ndarray (n,) class codes 0..k-1.
    class_names : names of the codes; ``positive`` is the code treated as class 1.
    drawn : the two raw feature indices drawn on the boundary plot.
    time_budget : seconds; training stops after this long (the live view's budget), and a
        message says so.
    learning_rates : the rates the app offers; a run that swings, blows up or does not finish
        gets one of them suggested after a refit checked that it works.
    diagnose : fill ``diagnosis`` now; False leaves it None for :func:`diagnose_binary` to
        compute later (the Train page draws its figures first: the diagnosis may refit).
    """
    t0 = time.perf_counter()
    y01, names = binary_labels(y_train, class_names, positive)
    y01_test = None if y_test is None else binary_labels(y_test, class_names, positive)[0]
    model = LogisticRegression(**settings.model_params())
    features, Phi, Phi_test, messages = _train(model, settings, X_train, y01, X_test, y01_test,
                                               feature_names, time_budget, t0)
    p_train = model.predict_proba(Phi)[:, 1]
    p_test = None if Phi_test is None else model.predict_proba(Phi_test)[:, 1]
    diagnosis = diagnostics.diagnose_run(model, settings, Phi, y01, learning_rates, time_budget,
                                         fit_seconds=time.perf_counter() - t0) if diagnose else None
    return BinaryRun(**_run_fields(model, features, X_train, X_test, feature_names, drawn,
                                   messages, t0),
                     y_train=y01, y_test=y01_test, class_names=names, p_train=p_train,
                     p_test=p_test, diagnosis=diagnosis)


def diagnose_binary(run: BinaryRun, settings: TrainSettings, learning_rates=(),
                    time_budget: Optional[float] = None, fitted=None):
    """The :class:`logreg.diagnostics.Diagnosis` of a run fitted with ``diagnose=False``: the
    same call :func:`fit_binary` makes (``settings`` and ``time_budget`` those of the fit), with
    the fit's own time (``run.seconds``) as the pace of a refit. ``fitted``: models of the same
    data and settings at other learning rates, as in :func:`logreg.diagnostics.diagnose_run`."""
    Phi = run.features.transform(run.X_train)
    return diagnostics.diagnose_run(run.model, settings, Phi, run.y_train, learning_rates,
                                    time_budget, fit_seconds=run.seconds, fitted=fitted)


def _train(model, settings, X_train, y_train, X_test, y_test, feature_names, time_budget, t0):
    """Fit ``model`` on the mapped features (test set as eval_set), within the time budget.

    Returns the feature map, the mapped train and test features, and the messages for the page:
    the model's warnings in words, and a sentence when the budget stopped training.
    """
    features = FeatureMap(X_train, feature_names, standardize=settings.standardize,
                          degree=settings.degree)
    Phi = features.transform(X_train)
    Phi_test = None if X_test is None else features.transform(X_test)
    eval_set = (Phi_test, y_test) if Phi_test is not None and len(y_test) else None

    def over_budget(epoch, _model):
        return time.perf_counter() - t0 > time_budget

    # The model's warnings reach the page as plain sentences (fit_warnings_), not as log noise.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(Phi, y_train, eval_set=eval_set,
                  callback=over_budget if time_budget is not None else None)
    messages = list(model.fit_warnings_)
    if model.stopped_early_:
        messages.append(
            f"Training stopped at epoch {model.n_iter_:,} of {settings.epochs:,}: the live view "
            f"trains for at most {time_budget:g} s. Use fewer epochs, a larger batch size or "
            "the Newton solver to finish.")
    return features, Phi, Phi_test, tuple(messages)


@dataclass(kw_only=True)
class MulticlassRun(_Run):
    """A trained one-vs-rest or softmax model over every class (codes ``0..k-1``).

    Fields as :class:`_Run`; ``kind`` is ``"ovr"`` or ``"softmax"``; ``proba_*`` are (n, k) class
    probabilities (one-vs-rest: the per-class sigmoids normalized to sum 1; softmax: the softmax).
    """

    kind: str
    proba_train: np.ndarray
    proba_test: Optional[np.ndarray]


def fit_multiclass(X_train, y_train, X_test, y_test, *, feature_names, class_names,
                   settings: TrainSettings, kind: str = "ovr", drawn=(0, 1),
                   time_budget: Optional[float] = None) -> MulticlassRun:
    """Train one-vs-rest (``kind="ovr"``) or softmax (``"softmax"``) on raw features."""
    t0 = time.perf_counter()
    estimator = OneVsRestLogisticRegression if kind == "ovr" else SoftmaxRegression
    model = estimator(**settings.model_params())
    features, Phi, Phi_test, messages = _train(model, settings, X_train, y_train, X_test, y_test,
                                               feature_names, time_budget, t0)
    proba_train = model.predict_proba(Phi)
    proba_test = None if Phi_test is None else model.predict_proba(Phi_test)
    return MulticlassRun(**_run_fields(model, features, X_train, X_test, feature_names, drawn,
                                       messages, t0),
                         kind=kind, y_train=np.asarray(y_train),
                         y_test=None if y_test is None else np.asarray(y_test),
                         class_names=tuple(class_names), proba_train=proba_train,
                         proba_test=proba_test)
