"""The one table type every part of ``logreg`` and the app receives, its error and its limits.

:class:`Dataset` (a validated, read-only classification table), :class:`DataError` (a
``ValueError`` whose message says what is wrong and what to do) and the limits a loaded table
must respect. Their home is here, below both :mod:`logreg.data` (generators, built-in sets,
splitting) and :mod:`logreg._csv` (the CSV reader), so imports run one way:
``data -> dataset`` and ``_csv -> dataset``. Import them from :mod:`logreg.data` as before.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field

import numpy as np

#: At most this many feature columns (after one-hot encoding) in a loaded table.
MAX_FEATURES = 1000
#: At most this many classes in a target column; more looks like a number to predict.
MAX_CLASSES = 20
#: At most this many different numbers in a numeric target column: class codes (0/1, ratings 1-5,
#: digits 0-9); more is a count or a measurement (an age, a number of purchases), not a class.
MAX_NUMERIC_CLASSES = 10
#: Any feature value with a larger absolute value is rejected (usually a unit or parsing problem).
MAX_ABS_VALUE = 1e12
#: A text column with at most this many different values is one-hot encoded; more is left out.
MAX_CATEGORIES = 20


class DataError(ValueError):
    """Data could not be made or loaded. The message says what is wrong and what to do."""


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """A classification table ready for a model.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float64
        Feature values, all finite. Stored read-only (a view, never a copy of a float64 input).
    y : ndarray of shape (n_samples,), int64
        Class codes ``0 .. n_classes - 1``; code ``i`` means ``class_names[i]``.
    feature_names : tuple of str
        One name per column of ``X``.
    class_names : tuple of str
        The original labels as strings, in code order (sorted like scikit-learn's ``LabelEncoder``
        for uploaded data; scikit-learn's ``target_names`` for built-in sets).
    name : str
        Short name to show ("moons", "iris", the uploaded file's name).
    notes : tuple of str
        Plain-language sentences about what loading did ("Dropped 25 rows with missing values ...").
    source_rows : ndarray of shape (n_samples,), int64, or None
        Where each row comes from in the user's file: its 0-based position among the file's data
        rows (0 = the first data row under the header; blank lines are not counted). Set by
        :func:`logreg.data.read_csv` when rows were dropped; None when the rows are the source's
        rows in order (generated and built-in data, a file with no row dropped).

    Equality compares contents (``X``, ``y``, names and notes); ``content_hash`` is a hex digest of
    ``X``, ``y``, ``feature_names``, ``class_names`` (and ``source_rows`` when set) for use as a
    cache key.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    name: str = "data"
    notes: tuple[str, ...] = field(default=())
    source_rows: np.ndarray | None = None

    def __post_init__(self) -> None:
        X = np.asarray(self.X, dtype=np.float64)
        y = np.asarray(self.y)
        if X.ndim != 2:
            raise DataError(f"Dataset X must be a 2-D table (rows x columns); got {X.ndim} dimensions.")
        if y.ndim != 1 or y.shape[0] != X.shape[0]:
            raise DataError(
                f"Dataset y must have one label per row of X ({X.shape[0]} rows); got shape {y.shape}."
            )
        if y.dtype.kind not in "iub" and y.size:
            if y.dtype.kind not in "f" or not np.all(np.mod(y, 1) == 0):
                raise DataError("Dataset y must hold whole-number class codes 0, 1, 2, ...")
        y = y.astype(np.int64, copy=False)
        feature_names = tuple(str(n) for n in self.feature_names)
        class_names = tuple(str(n) for n in self.class_names)
        if len(feature_names) != X.shape[1]:
            raise DataError(
                f"Dataset has {X.shape[1]} feature columns but {len(feature_names)} feature names."
            )
        if y.size and (y.min() < 0 or y.max() >= len(class_names)):
            raise DataError(
                f"Dataset y must hold codes 0..{len(class_names) - 1} (one per class name); "
                f"got values from {y.min()} to {y.max()}."
            )
        # Views, so a caller's own arrays stay writable; ours are read-only so content_hash stays true.
        X = X.view()
        X.setflags(write=False)
        y = y.view()
        y.setflags(write=False)
        notes = (self.notes,) if isinstance(self.notes, str) else tuple(str(n) for n in self.notes)
        source_rows = _source_rows(self.source_rows, X.shape[0])
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "feature_names", feature_names)
        object.__setattr__(self, "class_names", class_names)
        object.__setattr__(self, "name", str(self.name))
        object.__setattr__(self, "notes", notes)
        object.__setattr__(self, "source_rows", source_rows)

    @property
    def n_samples(self) -> int:
        return int(self.X.shape[0])

    @property
    def n_features(self) -> int:
        return int(self.X.shape[1])

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def class_counts(self) -> np.ndarray:
        """Number of samples per class, in code order (shape ``(n_classes,)``)."""
        return np.bincount(self.y, minlength=self.n_classes)

    # cached_property writes to the instance __dict__ directly, which a frozen dataclass (no slots)
    # allows; the arrays are read-only, so the cached digest cannot go stale.
    @functools.cached_property
    def content_hash(self) -> str:
        """Hex digest of ``X``, ``y``, ``feature_names`` and ``class_names`` (not name or notes).

        Independent of memory layout (C or Fortran order), so equal data gives equal digests.
        """
        h = hashlib.blake2b(digest_size=20)
        header = json.dumps(
            {
                "shape": list(self.X.shape),
                "features": list(self.feature_names),
                "classes": list(self.class_names),
            }
        )
        h.update(header.encode("utf-8"))
        X = self.X
        if X.flags.c_contiguous:
            h.update(memoryview(X).cast("B"))
        else:
            # Row blocks keep the digest layout-independent without copying all of X at once.
            step = max(1, (1 << 22) // max(1, X.shape[1]))
            for start in range(0, X.shape[0], step):
                h.update(np.ascontiguousarray(X[start : start + step]).tobytes())
        h.update(np.ascontiguousarray(self.y, dtype="<i8").tobytes())
        if self.source_rows is not None:
            # The same values from other rows of a file are other data for a row-numbered export.
            h.update(b"source_rows")
            h.update(np.ascontiguousarray(self.source_rows, dtype="<i8").tobytes())
        return h.hexdigest()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return (
            self.content_hash == other.content_hash
            and self.name == other.name
            and self.notes == other.notes
        )

    def __hash__(self) -> int:
        return hash(self.content_hash)

    def __repr__(self) -> str:
        return (
            f"Dataset(name={self.name!r}, n_samples={self.n_samples}, n_features={self.n_features}, "
            f"class_names={self.class_names!r})"
        )

    def subset(self, indices, name: str | None = None) -> "Dataset":
        """The rows at ``indices`` (integer positions or a boolean mask) as a new Dataset.

        Feature names, class names (and so the class codes) and notes are kept; each row keeps
        its source row number.
        """
        idx = np.asarray(indices)
        return Dataset(
            X=self.X[idx],
            y=self.y[idx],
            feature_names=self.feature_names,
            class_names=self.class_names,
            name=self.name if name is None else name,
            notes=self.notes,
            source_rows=self.file_rows()[idx],
        )

    def file_rows(self) -> np.ndarray:
        """Each row's 0-based position among the source's data rows (``source_rows``, or
        ``0 .. n_samples - 1`` when it is None); int64 of shape ``(n_samples,)``."""
        if self.source_rows is None:
            return np.arange(self.n_samples, dtype=np.int64)
        return self.source_rows

    def to_frame(self, target_name: str = "class"):
        """A pandas DataFrame of the features plus a column of class names (for previews)."""
        import pandas as pd

        frame = pd.DataFrame(np.asarray(self.X), columns=list(self.feature_names))
        label = target_name
        while label in frame.columns:
            label = f"{label}_"
        frame[label] = np.asarray(self.class_names, dtype=object)[self.y] if self.n_samples else []
        return frame


def _source_rows(rows, n: int):
    """``rows`` as a read-only int64 array of length ``n``; None when it is None or ``0 .. n-1``."""
    if rows is None:
        return None
    arr = np.asarray(rows)
    if arr.shape != (n,) or (arr.size and arr.dtype.kind not in "iu"):
        raise DataError(f"Dataset source_rows must hold one whole row number per row ({n} rows).")
    arr = arr.astype(np.int64, copy=True)
    if np.array_equal(arr, np.arange(n)):
        return None
    arr.setflags(write=False)
    return arr
