"""From a dataset and the app's settings to a trained run, and the numbers the pages draw.

The app's pages call these functions and never do math themselves. Everything here is pure
(numpy, scikit-learn's ``PolynomialFeatures``): the app caches the results on a content hash of
the data plus the settings.

Coordinates: points and boundary grids are in the *original* units of the two drawn features;
``FeatureMap`` turns raw features into model features (standardize, polynomial terms, standardize).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import asdict, dataclass, field
from typing import Optional

import numpy as np
from sklearn.preprocessing import PolynomialFeatures

from . import diagnostics
from .model import LogisticRegression
from .multiclass import OneVsRestLogisticRegression, SoftmaxRegression
from .objective import sigmoid

# Polynomial terms grow as C(d + degree, degree); past this many model features the live view
# stops being live, so the user is asked for a lower degree instead.
MAX_MODEL_FEATURES = 1000
# Rows used for per-epoch accuracy curves: an estimate from a fixed sample keeps the cost flat
# for big uploads (the curve of a 1M-row set computed on 50k rows is accurate to ~0.5%).
ACCURACY_SAMPLE = 50_000


@dataclass(frozen=True)
class TrainSettings:
    """The model and feature settings the Train page exposes (defaults are a good first demo)."""

    learning_rate: float = 0.5
    epochs: int = 200
    batch_size: Optional[int] = None
    solver: str = "gd"
    penalty: str = "none"
    reg_strength: float = 0.0
    l1_ratio: float = 0.5
    degree: int = 1
    init: str = "zeros"
    seed: int = 0
    standardize: bool = True
    stop_early: bool = False  # stop at the first epoch where the model has converged

    def model_params(self) -> dict:
        """Constructor arguments of the logreg estimators."""
        return dict(learning_rate=self.learning_rate, epochs=self.epochs,
                    batch_size=self.batch_size, solver=self.solver, penalty=self.penalty,
                    reg_strength=self.reg_strength, l1_ratio=self.l1_ratio, init=self.init,
                    random_state=self.seed, stop_early=self.stop_early)

    def key(self) -> tuple:
        """A hashable summary for caches."""
        return tuple(sorted(asdict(self).items()))


class FeatureMap:
    """Raw features (n, d) -> model features (n, p): standardize, polynomial terms, standardize.

    The statistics are fitted on the training rows only. The second standardization rescales the
    polynomial terms (x^5 of a standardized feature has variance ~945), so one learning rate
    suits every degree.
    """

    def __init__(self, X_train: np.ndarray, feature_names, *, standardize=True, degree=1):
        X_train = np.asarray(X_train, dtype=np.float64)
        d = X_train.shape[1]
        self.degree = int(degree)
        self.standardize = bool(standardize)
        self.input_names = tuple(feature_names)
        self.mean, self.scale = _moments(X_train) if standardize else (np.zeros(d), np.ones(d))
        self.poly = None
        if self.degree > 1:
            self.poly = PolynomialFeatures(self.degree, include_bias=False)
            self.poly.fit(np.zeros((1, d)))
            p = self.poly.n_output_features_
            if p > MAX_MODEL_FEATURES:
                raise ValueError(
                    f"Polynomial terms of degree {self.degree} on {d} features make {p:,} model "
                    f"features (the limit is {MAX_MODEL_FEATURES:,}). Choose a lower degree, or "
                    "load fewer feature columns."
                )
        inner = self._expand(X_train)
        self.mean2, self.scale2 = _moments(inner) if (standardize and self.poly) else (None, None)

    def _expand(self, X):
        Z = (np.asarray(X, dtype=np.float64) - self.mean) / self.scale
        return self.poly.transform(Z) if self.poly is not None else Z

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Model features of raw rows ``X`` (n, d) -> (n, p)."""
        Z = self._expand(X)
        if self.mean2 is not None:
            Z = (Z - self.mean2) / self.scale2
        return Z

    @property
    def names(self) -> tuple:
        """Names of the model features, e.g. ``("x1", "x2", "x1^2", "x1 x2", "x2^2")``."""
        if self.poly is None:
            return self.input_names
        return tuple(self.poly.get_feature_names_out(list(self.input_names)))

    def to_dict(self) -> dict:
        """What a model export needs to rebuild the features: plain lists and numbers."""
        out = {"raw_feature_names": list(self.input_names), "standardize": self.standardize,
               "polynomial_degree": self.degree, "mean": self.mean.tolist(),
               "scale": self.scale.tolist()}
        if self.mean2 is not None:
            out["poly_mean"], out["poly_scale"] = self.mean2.tolist(), self.scale2.tolist()
        return out

    @classmethod
    def from_dict(cls, spec: dict) -> "FeatureMap":
        """Rebuild from :meth:`to_dict` output (a loaded model file); ValueError if malformed."""
        try:
            names = [str(n) for n in spec["raw_feature_names"]]
            mean = np.asarray(spec["mean"], dtype=np.float64)
            scale = np.asarray(spec["scale"], dtype=np.float64)
            degree = int(spec["polynomial_degree"])
            fmap = cls(np.zeros((1, len(names))), names, standardize=False, degree=degree)
            fmap.standardize = bool(spec["standardize"])
            fmap.mean, fmap.scale = mean, scale
            if "poly_mean" in spec:
                fmap.mean2 = np.asarray(spec["poly_mean"], dtype=np.float64)
                fmap.scale2 = np.asarray(spec["poly_scale"], dtype=np.float64)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(
                "The model file does not say how its features were prepared (standardization, "
                f"polynomial degree): {exc}. Export the model again from this app."
            ) from None
        if mean.shape != (len(names),) or scale.shape != (len(names),) or not (scale > 0).all():
            raise ValueError("The model file's standardization does not match its features.")
        return fmap


def _moments(X):
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    # A constant column has no spread to divide by; leaving it unscaled keeps it constant (and
    # harmless) instead of turning it into NaN.
    scale[~(scale > 1e-12)] = 1.0
    return mean, scale


@dataclass
class BinaryRun:
    """A trained binary model with the data and numbers the Train and Threshold pages show.

    Arrays ``X_*`` are raw rows (n, d) in original units; ``y_*`` are 0/1 with 1 = the positive
    class ``class_names[1]``; ``p_*`` are final predicted probabilities of the positive class.
    """

    model: LogisticRegression
    features: FeatureMap
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: Optional[np.ndarray]
    y_test: Optional[np.ndarray]
    p_train: np.ndarray
    p_test: Optional[np.ndarray]
    feature_names: tuple
    class_names: tuple
    drawn: tuple
    seconds: float
    messages: tuple = field(default_factory=tuple)
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
               time_budget: Optional[float] = None, learning_rates=()) -> BinaryRun:
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
    """
    t0 = time.perf_counter()
    y01, names = binary_labels(y_train, class_names, positive)
    y01_test = None if y_test is None else binary_labels(y_test, class_names, positive)[0]
    model = LogisticRegression(**settings.model_params())
    features, Phi, Phi_test, messages = _train(model, settings, X_train, y01, X_test, y01_test,
                                               feature_names, time_budget, t0)
    p_train = model.predict_proba(Phi)[:, 1]
    p_test = None if Phi_test is None else model.predict_proba(Phi_test)[:, 1]
    diagnosis = diagnostics.diagnose_run(model, settings, Phi, y01,
                                         learning_rates, time_budget)
    return BinaryRun(model=model, features=features, X_train=np.asarray(X_train, float),
                     y_train=y01, X_test=None if X_test is None else np.asarray(X_test, float),
                     y_test=y01_test, p_train=p_train, p_test=p_test,
                     feature_names=tuple(feature_names), class_names=names, drawn=tuple(drawn),
                     seconds=time.perf_counter() - t0, messages=messages, diagnosis=diagnosis)


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


def epoch_logits(model, features: FeatureMap, X, epochs=None) -> np.ndarray:
    """Logits of raw rows ``X`` (n, d) at several epochs of a binary model's history: (n, E).

    One matrix product with the stacked history coefficients, so replaying any epoch needs no refit.
    """
    hist = model.history_
    idx = np.arange(model.n_iter_ + 1) if epochs is None else np.asarray(epochs, dtype=int)
    Phi = features.transform(X)
    return Phi @ hist["coef"][idx].T + hist["intercept"][idx]


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
        return ((Z >= logit_t) == (y[:, None] == 1)).mean(axis=0)

    return curve(run.X_train, run.y_train), curve(run.X_test, run.y_test)


def _logit(p: float) -> float:
    """Logit of a threshold, with 0 and 1 mapped to -inf and +inf (everything / nothing positive)."""
    if p <= 0.0:
        return -np.inf
    if p >= 1.0:
        return np.inf
    return float(np.log(p) - np.log1p(-p))


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
        proba = sigmoid(epoch_logits(run.model, run.features, rows, idx))
    proba = proba.T.reshape(len(idx), len(ys), len(xs))
    return xs, ys, (proba[0] if final else proba)


def animation_epochs(n_iter: int, max_frames: int = 50) -> np.ndarray:
    """Epochs to show as animation frames: all of them when few, else geometrically spaced.

    Early epochs change the boundary most, so they get more frames; the last epoch is always in.
    """
    if n_iter + 1 <= max_frames:
        return np.arange(n_iter + 1)
    picks = np.unique(np.round(np.geomspace(1, n_iter + 1, max_frames)).astype(int) - 1)
    return np.unique(np.concatenate([[0], picks, [n_iter]]))


def informative_pair(X, y) -> tuple:
    """Indices of the two features that separate the classes best on their own (ANOVA F score).

    The default plane to draw when a table has more than two features: iris drawn on its sepal
    measurements hides a whole class, on its petal measurements it shows all three.
    """
    from sklearn.feature_selection import f_classif

    X = np.asarray(X, dtype=np.float64)
    if X.shape[1] <= 2:
        return (0, min(1, X.shape[1] - 1))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # constant columns make F undefined: they rank last
        scores, _ = f_classif(X, y)
    scores = np.nan_to_num(scores, nan=-1.0, posinf=np.finfo(float).max)
    first, second = np.argsort(-scores, kind="stable")[:2]
    return (int(first), int(second))


def drawn_note(feature_names, drawn) -> Optional[str]:
    """A sentence saying which features are drawn and that the others are held at their mean."""
    if len(feature_names) <= 2:
        return None
    others = len(feature_names) - 2
    return (f"Drawn in the plane of '{feature_names[drawn[0]]}' and '{feature_names[drawn[1]]}'; "
            f"the other {others} feature{'s' if others > 1 else ''} are held at their mean.")


@dataclass
class MulticlassRun:
    """A trained one-vs-rest or softmax model over every class (codes ``0..k-1``).

    ``proba_*`` are (n, k) class probabilities (one-vs-rest: the per-class sigmoids normalized to
    sum 1; softmax: the softmax).
    """

    model: object
    kind: str
    features: FeatureMap
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: Optional[np.ndarray]
    y_test: Optional[np.ndarray]
    proba_train: np.ndarray
    proba_test: Optional[np.ndarray]
    feature_names: tuple
    class_names: tuple
    drawn: tuple
    seconds: float
    messages: tuple = field(default_factory=tuple)


def fit_multiclass(X_train, y_train, X_test, y_test, *, feature_names, class_names,
                   settings: TrainSettings, kind: str = "ovr", drawn=(0, 1),
                   time_budget: Optional[float] = None) -> MulticlassRun:
    """Train one-vs-rest (``kind="ovr"``) or softmax (``"softmax"``) on raw features."""
    t0 = time.perf_counter()
    estimator = OneVsRestLogisticRegression if kind == "ovr" else SoftmaxRegression
    model = estimator(**settings.model_params())
    features, Phi, Phi_test, messages = _train(model, settings, X_train, y_train, X_test, y_test,
                                               feature_names, time_budget, t0)
    return MulticlassRun(
        model=model, kind=kind, features=features, X_train=np.asarray(X_train, float),
        y_train=np.asarray(y_train), X_test=None if X_test is None else np.asarray(X_test, float),
        y_test=None if y_test is None else np.asarray(y_test),
        proba_train=model.predict_proba(Phi),
        proba_test=None if Phi_test is None else model.predict_proba(Phi_test),
        feature_names=tuple(feature_names), class_names=tuple(class_names), drawn=tuple(drawn),
        seconds=time.perf_counter() - t0, messages=messages)


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


def export_model(run: BinaryRun, dataset_name: str, threshold: float) -> str:
    """The run's model (with the chosen ``threshold``) as JSON, plus how to prepare raw rows."""
    import copy

    from .io import model_to_json

    model = copy.copy(run.model).set_params(threshold=threshold)  # the cached run stays as is

    preprocessing = {**run.features.to_dict(), "positive_class": run.class_names[1],
                     "negative_class": run.class_names[0], "drawn_features": list(run.drawn)}
    return model_to_json(model, feature_names=list(run.features.names),
                         preprocessing=preprocessing, metadata={"dataset": dataset_name})


def export_results(run: BinaryRun, threshold: float) -> str:
    """Per-row results (test set if there is one, else training set) as CSV text."""
    from .io import results_to_csv

    test = run.X_test is not None and len(run.y_test) > 0
    X, y, p = (run.X_test, run.y_test, run.p_test) if test else (run.X_train, run.y_train,
                                                                 run.p_train)
    names = np.asarray(run.class_names, dtype=object)
    return results_to_csv(X, names[y], np.column_stack([1 - p, p]),
                          feature_names=list(run.feature_names),
                          class_names=list(run.class_names), threshold=threshold)


@dataclass(frozen=True)
class LoadedModel:
    """A model file read back, and how it does on the current data (None when it cannot apply)."""

    description: str
    params: dict
    threshold: float
    accuracy: Optional[float]
    auc: Optional[float]
    mismatch: Optional[str]


def load_model(text, X, y_codes, class_names, feature_names) -> LoadedModel:
    """Read a model file (ValueError if it is not a valid one) and score it on raw rows ``X``.

    Scoring needs the file's raw feature names to equal the current data's and its positive
    class to be one of the current classes; otherwise ``mismatch`` says why it was not scored.
    """
    from .io import load_model_bundle
    from .metrics import roc_auc

    bundle = load_model_bundle(text)
    model = bundle.model
    params = model.get_params()
    spec = bundle.preprocessing or {}
    description = (f"{type(model).__name__} with {model.n_features_in_} model features, classes "
                   f"{', '.join(map(str, model.classes_))}, made by logreg "
                   f"{bundle.library_version}.")
    mismatch, accuracy, auc = None, None, None
    raw = [str(n) for n in spec.get("raw_feature_names", [])]
    positive = spec.get("positive_class")
    if not raw or positive is None or not hasattr(model, "predict_proba"):
        mismatch = "The file was not exported by this app, so it cannot be applied to this data."
    elif raw != [str(n) for n in feature_names]:
        mismatch = (f"The model was trained on features {', '.join(raw[:6])}; the current data "
                    f"has {', '.join(map(str, feature_names[:6]))}.")
    elif str(positive) not in [str(c) for c in class_names]:
        mismatch = f"The model's positive class '{positive}' is not a class of the current data."
    else:
        features = FeatureMap.from_dict(spec)
        y01 = (np.asarray(y_codes) == [str(c) for c in class_names].index(str(positive)))
        p = model.predict_proba(features.transform(X))[:, -1]
        accuracy = float(((p >= model.threshold) == y01).mean())
        auc = roc_auc(y01.astype(int), p) if 0 < y01.sum() < len(y01) else None
    return LoadedModel(description, params, float(model.threshold), accuracy, auc, mismatch)
