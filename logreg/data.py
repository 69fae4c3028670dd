"""Datasets for the playground: generated, built-in and uploaded, with plain-language errors.

Everything between "I have data" and the arrays a model sees lives here:

- :class:`Dataset`, the one type every other part of ``logreg`` and the app receives (defined in
  ``logreg/dataset.py`` with :class:`DataError` and the table limits, re-exported here);
- :func:`make_dataset` and the registered generators in :data:`DATASETS`
  (``make_<kind>(n_samples, noise, rng, ...)``, always with a passed ``np.random.Generator``);
- :func:`load_builtin` for the small sets that ship with scikit-learn (no network);
- :func:`read_csv` for whatever file a user uploads (implemented in ``logreg/_csv.py``);
- :func:`standardize`, :func:`train_test_split` and :func:`describe`.

Every failure raises :class:`DataError` (a ``ValueError``) whose message says what is wrong and what
to do about it, in words a non-programmer can act on. No streamlit here; pandas and scikit-learn are
imported only by the functions that need them, so ``import logreg.data`` stays fast.
"""

from __future__ import annotations

import functools
import math
import numbers
from typing import Callable, NamedTuple, Sequence

import numpy as np

# The table type, its error and the table limits live in logreg/dataset.py (shared with the CSV
# reader, so imports run one way); re-exported here, where callers have always found them.
from .dataset import (
    MAX_ABS_VALUE,
    MAX_CATEGORIES,
    MAX_CLASSES,
    MAX_NUMERIC_CLASSES,
    MAX_FEATURES,
    DataError,
    Dataset,
)

__all__ = [
    "BUILTIN_NAMES",
    "DATASETS",
    "DATASET_KINDS",
    "DataError",
    "Dataset",
    "MAX_ABS_VALUE",
    "MAX_CATEGORIES",
    "MAX_CLASSES",
    "MAX_NUMERIC_CLASSES",
    "MAX_FEATURES",
    "MAX_GENERATED_SAMPLES",
    "Standardized",
    "describe",
    "load_builtin",
    "make_blobs",
    "make_circles",
    "make_dataset",
    "make_linear",
    "make_moons",
    "make_spiral",
    "make_xor",
    "read_csv",
    "standardize",
    "train_test_split",
]

#: Upper bound on ``n_samples`` for the generators (the app's largest demo is 1,000,000 rows).
MAX_GENERATED_SAMPLES = 1_000_000
#: Upper bound on ``noise`` for the generators; 0.1 is mild, 0.5 is heavy, 2 is mostly noise.
MAX_NOISE = 10.0


def describe(dataset: Dataset) -> str:
    """One plain sentence: ``"200 samples, 2 features, 2 classes (100 / 100)"``."""
    n, d, k = dataset.n_samples, dataset.n_features, dataset.n_classes
    counts = " / ".join(f"{c:,}" for c in dataset.class_counts)
    return (
        f"{n:,} sample{'s' if n != 1 else ''}, {d:,} feature{'s' if d != 1 else ''}, "
        f"{k} class{'es' if k != 1 else ''} ({counts})"
    )


# --------------------------------------------------------------------------------------------------
# Generators
# --------------------------------------------------------------------------------------------------


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _class_counts(n_samples, n_classes, class_balance) -> np.ndarray:
    """Samples per class for ``n_samples`` split as ``class_balance`` says (see make_dataset)."""
    if not _is_int(n_classes) or not 2 <= n_classes <= MAX_CLASSES:
        raise DataError(f"n_classes must be a whole number from 2 to {MAX_CLASSES}; got {n_classes!r}.")
    k = int(n_classes)
    if not _is_int(n_samples):
        raise DataError(f"n_samples must be a whole number; got {n_samples!r}.")
    n = int(n_samples)
    if n < 2 * k:
        raise DataError(
            f"n_samples={n} is too few for {k} classes: every class needs at least 2 samples, "
            f"so use n_samples of at least {2 * k}."
        )
    if n > MAX_GENERATED_SAMPLES:
        raise DataError(
            f"n_samples={n:,} is more than the {MAX_GENERATED_SAMPLES:,} the generators make; "
            "use fewer samples."
        )
    if class_balance is None:
        props = np.full(k, 1.0 / k)
    elif isinstance(class_balance, numbers.Real) and not isinstance(class_balance, bool):
        p = float(class_balance)
        if not 0.0 < p < 1.0:
            raise DataError(
                f"class_balance must be the share of class 1, between 0 and 1 (e.g. 0.1 for an "
                f"imbalanced demo); got {class_balance!r}."
            )
        props = np.full(k, (1.0 - p) / (k - 1))
        props[1] = p
    else:
        try:
            props = np.asarray(class_balance, dtype=np.float64)
        except (TypeError, ValueError):
            props = np.array([np.nan])
        if (
            props.ndim != 1
            or props.shape[0] != k
            or not np.all(np.isfinite(props))
            or np.any(props < 0)
            or props.sum() <= 0
        ):
            raise DataError(
                f"class_balance must be None (balanced), a share of class 1 between 0 and 1, or {k} "
                f"non-negative proportions, one per class; got {class_balance!r}."
            )
        props = props / props.sum()
    ideal = props * n
    counts = np.floor(ideal).astype(np.int64)
    # Largest remainders get the leftover samples; stable sort keeps ties in class order.
    order = np.argsort(-(ideal - counts), kind="stable")
    counts[order[: n - int(counts.sum())]] += 1
    if counts.min() < 2:
        small = int(np.argmin(counts))
        raise DataError(
            f"With n_samples={n} and class_balance={class_balance!r}, class {small} gets only "
            f"{counts[small]} sample(s); every class needs at least 2. Use more samples or a more "
            "even balance."
        )
    return counts


def _labels(counts: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(len(counts), dtype=np.int64), counts)


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    # Generators build class by class; shuffle so row order carries no class information.
    order = rng.permutation(len(y))
    return np.ascontiguousarray(X[order]), y[order]


def _two_classes_only(kind: str, n_classes) -> None:
    if n_classes != 2:
        raise DataError(
            f"The '{kind}' data always has 2 classes; for 3 or more classes choose 'blobs' or "
            f"'spiral' (got n_classes={n_classes!r})."
        )


def make_blobs(n_samples, noise, rng, n_classes=2, class_balance=None):
    """Round Gaussian clouds, one per class, centres evenly spaced on a circle.

    The spread is ``0.5 + 4 * noise``: noise 0 gives well separated clouds, 0.1 a little overlap,
    0.5 heavy overlap. Returns ``(X, y)``.
    """
    counts = _class_counts(n_samples, n_classes, class_balance)
    k = len(counts)
    # Keep neighbouring centres at least 3 apart however many classes there are.
    radius = max(2.0, 1.5 / math.sin(math.pi / k))
    angles = math.pi / 4 + 2 * math.pi * np.arange(k) / k
    centres = radius * np.column_stack([np.cos(angles), np.sin(angles)])
    y = _labels(counts)
    X = centres[y] + rng.normal(scale=0.5 + 4.0 * noise, size=(len(y), 2))
    return _shuffled(X, y, rng)


def make_moons(n_samples, noise, rng, n_classes=2, class_balance=None):
    """Two interleaving half circles (class 0 on top), centred on the origin; noise is the std."""
    _two_classes_only("moons", n_classes)
    counts = _class_counts(n_samples, n_classes, class_balance)
    t0 = rng.uniform(0, math.pi, counts[0])
    t1 = rng.uniform(0, math.pi, counts[1])
    top = np.column_stack([np.cos(t0), np.sin(t0)])
    bottom = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([top, bottom]) - [0.5, 0.25]
    X += rng.normal(scale=noise, size=X.shape)
    return _shuffled(X, _labels(counts), rng)


def make_circles(n_samples, noise, rng, n_classes=2, class_balance=None):
    """An outer ring (class 0, radius 1) around an inner ring (class 1, radius 0.5).

    No straight line separates them: a linear model needs polynomial terms (degree 2).
    Noise is the standard deviation of the Gaussian jitter.
    """
    _two_classes_only("circles", n_classes)
    counts = _class_counts(n_samples, n_classes, class_balance)
    y = _labels(counts)
    angle = rng.uniform(0, 2 * math.pi, len(y))
    radius = np.where(y == 0, 1.0, 0.5)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X += rng.normal(scale=noise, size=X.shape)
    return _shuffled(X, y, rng)


def make_xor(n_samples, noise, rng, n_classes=2, class_balance=None):
    """Four squares in a checkerboard: class 1 where x1 * x2 > 0, class 0 elsewhere.

    Points keep a small gap (0.1) from the axes before the Gaussian jitter (std ``noise``) is added.
    Not linearly separable; the product term x1 * x2 (degree 2) separates it.
    """
    _two_classes_only("xor", n_classes)
    counts = _class_counts(n_samples, n_classes, class_balance)
    y = _labels(counts)
    magnitude = rng.uniform(0.1, 1.0, size=(len(y), 2))
    s1 = rng.choice([-1.0, 1.0], size=len(y))
    # Class 1 has both signs equal, class 0 opposite signs.
    s2 = np.where(y == 1, s1, -s1)
    X = magnitude * np.column_stack([s1, s2])
    X += rng.normal(scale=noise, size=X.shape)
    return _shuffled(X, y, rng)


def make_spiral(n_samples, noise, rng, n_classes=2, class_balance=None):
    """Interleaved spiral arms, one per class, 1.5 turns out to radius 1; jitter std ``noise / 2``.

    The hard case: a straight line gets about 65% right; it takes high-degree polynomial terms
    (around 5) to follow the arms.
    """
    counts = _class_counts(n_samples, n_classes, class_balance)
    k = len(counts)
    y = _labels(counts)
    t = rng.uniform(0, 1, len(y))
    radius = 0.05 + 0.95 * t
    angle = 3 * math.pi * t + 2 * math.pi * y / k
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X += rng.normal(scale=noise / 2, size=X.shape)
    return _shuffled(X, y, rng)


def make_linear(n_samples, noise, rng, n_classes=2, class_balance=None):
    """Points spread evenly over a square, split by a random straight line through the centre.

    Class 1 lies on the side the line's normal points to; Gaussian jitter (std ``noise``) then
    moves points near the line across it. Linearly separable when noise is 0.
    """
    _two_classes_only("linear", n_classes)
    counts = _class_counts(n_samples, n_classes, class_balance)
    theta = rng.uniform(0, 2 * math.pi)
    normal = np.array([math.cos(theta), math.sin(theta)])
    parts = []
    for label, count in enumerate(counts):
        got, need = [], int(count)
        while need > 0:
            # Half the square is on each side, so a batch of 2 * need + 16 almost always suffices.
            cand = rng.uniform(-1, 1, size=(2 * need + 16, 2))
            side = (cand @ normal > 0) == bool(label)
            keep = cand[side][:need]
            got.append(keep)
            need -= len(keep)
        parts.append(np.vstack(got))
    X = np.vstack(parts)
    X += rng.normal(scale=noise, size=X.shape)
    return _shuffled(X, _labels(counts), rng)


#: Generator registry: kind -> ``make_<kind>(n_samples, noise, rng, n_classes=2, class_balance=None)``
#: returning ``(X, y)``. ``make_dataset`` wraps the result in a :class:`Dataset`.
DATASETS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "blobs": make_blobs,
    "moons": make_moons,
    "circles": make_circles,
    "xor": make_xor,
    "spiral": make_spiral,
    "linear": make_linear,
}
DATASET_KINDS: tuple[str, ...] = tuple(DATASETS)
#: Kinds that can make 3 or more classes.
MULTICLASS_KINDS: tuple[str, ...] = ("blobs", "spiral")


def make_dataset(
    kind: str,
    n_samples: int = 200,
    noise: float = 0.1,
    n_classes: int = 2,
    class_balance: float | Sequence[float] | None = None,
    random_state=None,
) -> Dataset:
    """Generate a 2-feature toy dataset. Same ``random_state``, same data.

    Parameters
    ----------
    kind : {"blobs", "moons", "circles", "xor", "spiral", "linear"}
        The shape of the data (see :data:`DATASETS`). circles and xor are not linearly separable.
    n_samples : int, default=200
        Total number of points (at least 2 per class, at most ``MAX_GENERATED_SAMPLES``).
    noise : float, default=0.1
        How much the classes blur into each other: 0 is clean, 0.1 a mild demo, 0.5 heavy.
    n_classes : int, default=2
        3 or more only for "blobs" and "spiral".
    class_balance : None, float or sequence of float, default=None
        None gives (nearly) equal class sizes. A float is the share of class 1, e.g. 0.1 for an
        imbalanced demo with 10% positives (with more than 2 classes the other classes share the
        rest equally). A sequence gives one proportion per class (normalised to sum to 1).
    random_state : None, int or numpy.random.Generator
        Seed for ``np.random.default_rng``; None gives fresh data each call.

    Returns
    -------
    Dataset
        Features ``("x1", "x2")``, classes ``("class 0", "class 1", ...)``, name ``kind``.

    Examples
    --------
    >>> ds = make_dataset("moons", n_samples=100, random_state=0)
    >>> describe(ds)
    '100 samples, 2 features, 2 classes (50 / 50)'
    """
    if not isinstance(kind, str) or kind.strip().lower() not in DATASETS:
        raise DataError(f"Unknown dataset kind {kind!r}; choose one of: {', '.join(DATASET_KINDS)}.")
    kind = kind.strip().lower()
    if n_classes != 2 and kind not in MULTICLASS_KINDS:
        _two_classes_only(kind, n_classes)
    if (
        not isinstance(noise, numbers.Real)
        or isinstance(noise, bool)
        or not math.isfinite(float(noise))
        or not 0 <= float(noise) <= MAX_NOISE
    ):
        raise DataError(f"noise must be a number from 0 to {MAX_NOISE:g} (0.1 is mild); got {noise!r}.")
    try:
        rng = np.random.default_rng(random_state)
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"random_state must be a whole number (a seed), None, or a numpy Generator; got "
            f"{random_state!r}."
        ) from exc
    X, y = DATASETS[kind](n_samples, float(noise), rng, n_classes=n_classes, class_balance=class_balance)
    k = int(n_classes)
    seed = f", seed {random_state}" if _is_int(random_state) else ""
    notes = [f"Generated '{kind}' data: {len(y):,} samples, noise {float(noise):g}{seed}."]
    if class_balance is not None:
        counts = np.bincount(y, minlength=k)
        shares = ", ".join(f"class {i} {100 * c / len(y):.0f}%" for i, c in enumerate(counts))
        notes.append(f"Classes are imbalanced on purpose: {shares}.")
    return Dataset(
        X=X,
        y=y,
        feature_names=("x1", "x2"),
        class_names=tuple(f"class {i}" for i in range(k)),
        name=kind,
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------------------------------
# Built-in datasets (shipped with scikit-learn, read from its package files, no network)
# --------------------------------------------------------------------------------------------------

_BUILTINS = {
    "iris": (
        "load_iris",
        "Fisher's iris flowers: 4 measurements in cm of 150 flowers from 3 species.",
    ),
    "breast_cancer": (
        "load_breast_cancer",
        "Wisconsin breast cancer: 30 measurements of cell nuclei from 569 tumour images, "
        "malignant or benign.",
    ),
    "wine": (
        "load_wine",
        "Wine recognition: 13 chemical measurements of 178 Italian wines from 3 growers.",
    ),
}
BUILTIN_NAMES: tuple[str, ...] = tuple(_BUILTINS)


@functools.lru_cache(maxsize=None)
def _load_builtin_cached(name: str) -> Dataset:
    from sklearn import datasets as skd

    loader, description = _BUILTINS[name]
    bunch = getattr(skd, loader)()
    return Dataset(
        X=np.asarray(bunch.data, dtype=np.float64),
        y=np.asarray(bunch.target, dtype=np.int64),
        feature_names=tuple(str(f) for f in bunch.feature_names),
        class_names=tuple(str(c) for c in bunch.target_names),
        name=name,
        notes=(description,),
    )


def load_builtin(name: str) -> Dataset:
    """Load ``"iris"``, ``"breast_cancer"`` or ``"wine"`` from scikit-learn's bundled files.

    ``class_names`` are scikit-learn's ``target_names`` (so codes match its ``target``). The result is
    cached and immutable, so repeated calls are instant and share one object.
    """
    key = name.strip().lower().replace(" ", "_").replace("-", "_") if isinstance(name, str) else None
    if key not in _BUILTINS:
        raise DataError(
            f"There is no built-in dataset called {name!r}; choose one of: {', '.join(BUILTIN_NAMES)}."
        )
    return _load_builtin_cached(key)


# --------------------------------------------------------------------------------------------------
# Uploaded tables
# --------------------------------------------------------------------------------------------------


def read_csv(source, target: str | None = None, features: Sequence[str] | None = None) -> Dataset:
    """Read a CSV table into a :class:`Dataset`, or raise :class:`DataError` saying what to fix.

    Parameters
    ----------
    source : str, os.PathLike, bytes or file object
        A path to a file; the file's bytes; or an open file (binary or text, e.g. Streamlit's
        ``UploadedFile``). A ``str`` containing a line break is taken as the CSV text itself.
    target : str, optional
        Name of the column holding the classes; default the last (non-empty) column. Header names
        are matched after stripping spaces, and case-insensitively if there is no exact match.
    features : sequence of str, optional
        Names of the feature columns to use; default every other column. An unknown name raises a
        DataError listing the available columns.

    What it does
    ------------
    - Detects the separator (``,`` ``;`` tab ``|``, else runs of spaces) and a decimal comma
      (``1,5;2,3``) from the first 64 KB, then parses once with pandas' C engine.
    - UTF-8 with or without BOM; UTF-16 with BOM; anything else is read as Latin-1 (with a note).
    - Strips spaces around header names and labels. A first row of only numbers is taken as data.
    - Target: string labels are kept as ``class_names`` (sorted, like ``LabelEncoder``); numeric labels
      (0/1, 1/2, -1/1) become their string forms ("0", "1"). 2 to ``MAX_CLASSES`` classes (2 to
      ``MAX_NUMERIC_CLASSES`` for a numeric target: more numbers are a count, not a class), each
      with at least 2 samples.
    - Features: text columns with at most ``MAX_CATEGORIES`` values are one-hot encoded (the first
      value in sorted order is the baseline); columns with more text values, ID columns (a
      different whole number or text in every row, or an ID-like name such as "id"), columns missing
      in most rows and constant columns are left out, each with a note. A column that is numeric
      apart from a few placeholders such as "?" or "n/a" keeps its numbers and treats those as
      missing.
    - Rows with a missing value in a used column are dropped, with a note.

    Every problem raises :class:`DataError`, never another exception, whatever the bytes.
    """
    from logreg import _csv

    return _csv.read_csv(source, target=target, features=features)


def csv_columns(source) -> tuple[str, ...]:
    """Column names of a CSV (path, bytes or file object) as :func:`read_csv` names them.

    Reads only the start of the file, so an app can offer a target picker before the full parse.
    Raises :class:`DataError` when the bytes are not a table.
    """
    from logreg import _csv

    return _csv.csv_columns(source)


# --------------------------------------------------------------------------------------------------
# Standardization and splitting
# --------------------------------------------------------------------------------------------------


class Standardized(NamedTuple):
    """Result of :func:`standardize`; unpacks as ``X_train, X_test, mean, scale``.

    ``X_std = (X - mean) / scale``; ``scale`` is the training standard deviation, or 1 for a
    constant column (so it becomes all zeros rather than a division by zero).
    """

    X_train: np.ndarray
    X_test: np.ndarray | None
    mean: np.ndarray
    scale: np.ndarray

    def transform(self, X) -> np.ndarray:
        """Standardize new rows (e.g. a plotting grid) with the training mean and scale."""
        X = _as_table(X, "X")
        if X.shape[1] != self.mean.shape[0]:
            raise DataError(
                f"Expected {self.mean.shape[0]} feature columns to standardize; got {X.shape[1]}."
            )
        return (X - self.mean) / self.scale


def _as_table(X, what: str) -> np.ndarray:
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{what} must be a table of numbers.") from exc
    if arr.ndim != 2:
        raise DataError(f"{what} must be 2-D (rows x feature columns); got {arr.ndim} dimensions.")
    if not np.all(np.isfinite(arr)):
        raise DataError(f"{what} contains NaN or infinite values; remove or fill them first.")
    return arr


def standardize(X_train, X_test=None) -> Standardized:
    """Scale features to mean 0 and standard deviation 1, fitted on the training rows only.

    Parameters
    ----------
    X_train : array of shape (n_train, n_features)
    X_test : array of shape (n_test, n_features), optional
        Transformed with the training mean and scale (never used to fit them).

    Returns
    -------
    Standardized
        A named tuple ``(X_train, X_test, mean, scale)`` of new float64 arrays (``X_test`` is None if
        not given). ``mean`` and ``scale`` have shape ``(n_features,)``; a constant training column
        gets scale 1. ``result.transform(X)`` applies the same scaling to other rows.
    """
    Xtr = _as_table(X_train, "X_train")
    if Xtr.shape[0] == 0:
        raise DataError("X_train has no rows; standardizing needs at least one training row.")
    mean = Xtr.mean(axis=0)
    scale = Xtr.std(axis=0)
    # Exactly constant columns, and spreads that are only rounding error relative to the mean.
    tiny = (scale == 0) | (scale <= 10 * np.finfo(np.float64).eps * np.abs(mean))
    scale = np.where(tiny, 1.0, scale)
    Xtr_std = (Xtr - mean) / scale
    Xte_std = None
    if X_test is not None:
        Xte = _as_table(X_test, "X_test")
        if Xte.shape[1] != Xtr.shape[1]:
            raise DataError(
                f"X_test has {Xte.shape[1]} columns but X_train has {Xtr.shape[1]}; they must match."
            )
        Xte_std = (Xte - mean) / scale
    return Standardized(Xtr_std, Xte_std, mean, scale)


def train_test_split(
    dataset: Dataset, test_size: float = 0.25, random_state=None
) -> tuple[Dataset, Dataset | None]:
    """Stratified split into ``(train, test)`` Datasets; ``test_size=0`` gives ``(dataset, None)``.

    Parameters
    ----------
    dataset : Dataset
    test_size : float in [0, 1) or int, default=0.25
        Share (or number) of samples for the test set; rounded up, as scikit-learn does. Each class
        gives the same share (as near as whole samples allow) and keeps at least one training sample.
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    (Dataset, Dataset or None)
        Rows in shuffled order; feature names, class names (and codes) and notes unchanged; names get
        " (train)" / " (test)". A class too small to appear in both may be missing from the test set.
    """
    if not isinstance(dataset, Dataset):
        raise DataError(
            "train_test_split needs a Dataset (from make_dataset, load_builtin or read_csv)."
        )
    n, k = dataset.n_samples, dataset.n_classes
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        raise DataError(
            f"test_size must be a share between 0 and 1, or a number of rows; got {test_size!r}."
        )
    if _is_int(test_size):
        n_test = int(test_size)
        if not 0 <= n_test < n:
            raise DataError(f"test_size={n_test} rows is not possible with {n} samples; use fewer.")
    else:
        share = float(test_size)
        if not (math.isfinite(share) and 0 <= share < 1):
            raise DataError(
                f"test_size must be at least 0 and below 1 (e.g. 0.25 for a quarter); got {test_size!r}."
            )
        n_test = math.ceil(share * n)
    if n_test == 0:
        return dataset, None
    present = dataset.class_counts
    n_present = int(np.count_nonzero(present))
    if n - n_test < n_present:
        raise DataError(
            f"A test share of {test_size} leaves {n - n_test} training samples for {n_present} "
            "classes, but every class needs at least one training sample. Use a smaller test share."
        )
    try:
        rng = np.random.default_rng(random_state)
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"random_state must be a whole number, None or a numpy Generator; got {random_state!r}."
        ) from exc
    # Proportional allocation with largest remainders, capped so each class keeps one training row.
    cap = np.maximum(present - 1, 0)
    ideal = present * (n_test / n)
    per_class = np.minimum(np.floor(ideal).astype(np.int64), cap)
    remaining = n_test - int(per_class.sum())
    order = np.argsort(-(ideal - per_class), kind="stable")
    while remaining > 0:
        progressed = False
        for c in order:
            if remaining == 0:
                break
            if per_class[c] < cap[c]:
                per_class[c] += 1
                remaining -= 1
                progressed = True
        if not progressed:  # unreachable given the check above; kept as a guard against looping
            raise DataError("This split is not possible; use a smaller test share.")
    test_parts, train_parts = [], []
    for c in range(k):
        members = np.flatnonzero(dataset.y == c)
        members = members[rng.permutation(len(members))]
        test_parts.append(members[: per_class[c]])
        train_parts.append(members[per_class[c] :])
    train_idx = np.concatenate(train_parts)
    test_idx = np.concatenate(test_parts)
    train_idx = train_idx[rng.permutation(len(train_idx))]
    test_idx = test_idx[rng.permutation(len(test_idx))]
    return (
        dataset.subset(train_idx, name=f"{dataset.name} (train)"),
        dataset.subset(test_idx, name=f"{dataset.name} (test)"),
    )
