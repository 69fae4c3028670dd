"""Safe model export/import as plain JSON, and the per-row results table as CSV.

A model file is a JSON document, never pickle: loading one parses JSON (numbers, strings, lists,
objects), checks every field against what a fitted logreg estimator can contain, and builds the
estimator from an explicit allow-list of classes. Nothing in a file is ever imported, evaluated or
looked up by name in a module, so a hostile file can at worst be refused with a ``ValueError``.

Document (``format_version`` 1)::

    {
      "format": "logreg-model", "format_version": 1, "library_version": "0.1.0",
      "estimator": "LogisticRegression",          # a key of ESTIMATORS
      "params": {"learning_rate": 0.1, ...},      # get_params(), JSON scalars only
      "classes": [0, 1], "classes_dtype": "int",  # "int", "float", "bool" or "str"
      "coef": [[...d numbers...], ...M rows],     # coef_, shape (M, d)
      "intercept": [...M numbers...],             # intercept_, shape (M,)
      "n_features_in": d,
      "feature_names": ["x1", ...] or null,
      "fitted_with_feature_names": false,         # the model has feature_names_in_
      "threshold": 0.5,
      "preprocessing": {...},                     # free, for the app (standardization, ...)
      "metadata": {"key": "text or number"},
      "training": {"n_iter": 100, "converged": false, "diverged": false,
                   "convergence": {"criterion": "largest |gradient| of the penalized objective",
                                   "value": 0.0031, "tol": 0.0001}}
    }

``converged`` is true when the criterion's value at the final weights is at most ``tol``
(``value`` is null when it is not finite: a diverged run). Files without ``convergence`` load.

The training history (``history_``) is not exported: it holds the weights of every epoch and can
be far larger than the model. A loaded model predicts exactly like the original but has an empty
``history_``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import __version__
from ._validation import check_params
from .model import LogisticRegression
from .multiclass import OneVsRestLogisticRegression, SoftmaxRegression

__all__ = [
    "ESTIMATORS",
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_DOCUMENT_BYTES",
    "ModelBundle",
    "load_model_bundle",
    "model_from_json",
    "model_to_json",
    "results_to_csv",
]

FORMAT = "logreg-model"
FORMAT_VERSION = 1
# Real exports are kilobytes (1000 classes x 100 features is about 2.5 MB). The cap is checked
# before parsing, so an oversized upload costs nothing but its length.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_CLASSES = 1000
# predict accepts features up to MAX_ABS_FEATURE (1e100) in size; with weights up to 1e150 a logit
# is at most d * 1e250, finite for any number of features a 20 MB file can hold, so a loaded model
# never computes inf - inf. Gradient descent cannot get near this bound (each step moves a weight
# by at most learning_rate * 1e100).
MAX_ABS_WEIGHT = 1e150
# Free-form sections (preprocessing, metadata) are data for the app, not structures: keep them flat.
_MAX_FREE_DEPTH = 16
# More digits than any class label, seed or epoch count needs; Python would parse 4300 digits.
_MAX_INT_DIGITS = 40

# The only classes a file can name. A file's "estimator" is looked up here and nowhere else.
ESTIMATORS: dict[str, type] = {
    "LogisticRegression": LogisticRegression,
    "OneVsRestLogisticRegression": OneVsRestLogisticRegression,
    "SoftmaxRegression": SoftmaxRegression,
}
# Rows of coef_ (outputs) for k classes, and the class counts each estimator takes. One-vs-rest
# with two classes is a single binary model (coef_ of shape (1, d)); softmax keeps k rows.
_N_OUTPUTS = {
    "LogisticRegression": lambda k: 1,
    "OneVsRestLogisticRegression": lambda k: 1 if k == 2 else k,
    "SoftmaxRegression": lambda k: k,
}
_N_CLASSES_ALLOWED = {
    "LogisticRegression": (2, 2),
    "OneVsRestLogisticRegression": (2, MAX_CLASSES),
    "SoftmaxRegression": (2, MAX_CLASSES),
}

_REQUIRED_KEYS = ("format", "format_version", "estimator", "params", "classes", "classes_dtype",
                  "coef", "intercept", "n_features_in")
_OPTIONAL_KEYS = ("library_version", "feature_names", "fitted_with_feature_names", "threshold",
                  "preprocessing", "metadata", "training")
_CLASS_DTYPES = ("int", "float", "bool", "str")
_INT64 = np.iinfo(np.int64)


@dataclass(frozen=True)
class ModelBundle:
    """A loaded model file: the estimator plus what the app needs to use it on new data.

    Attributes
    ----------
    model : LogisticRegression, OneVsRestLogisticRegression or SoftmaxRegression
        Fitted: ``predict`` / ``predict_proba`` work and match the exported model.
    feature_names : tuple of str or None
        One name per column of ``X``, in order (length ``n_features_in_``).
    preprocessing : dict
        What the app did to the raw columns before the model saw them (standardization, ...).
    metadata : dict of str -> str, number or bool
    library_version : str
        The logreg version that wrote the file.
    """

    model: Any
    feature_names: tuple | None
    preprocessing: dict
    metadata: dict
    library_version: str


# ----- export ---------------------------------------------------------------------------------
def model_to_json(model, *, feature_names=None, preprocessing=None, metadata=None) -> str:
    """Serialize a fitted logreg estimator to a JSON string (see the module docstring).

    Parameters
    ----------
    model : LogisticRegression, OneVsRestLogisticRegression or SoftmaxRegression, fitted
    feature_names : sequence of str of length n_features_in_, optional
        Defaults to the model's ``feature_names_in_`` (set when it was fitted on a DataFrame).
    preprocessing : dict, optional
        Free data for the app, e.g. ``{"standardize": {"mean": [...], "scale": [...]},
        "polynomial_degree": 3}``: nested dicts with string keys, lists, strings, finite numbers,
        booleans and None (numpy arrays and scalars are converted).
    metadata : dict of str -> str, finite number or bool, optional

    Returns
    -------
    str
        The document; ``model_from_json`` rebuilds an estimator predicting identically. The
        training history is not included. A ``random_state`` that is a numpy Generator is
        exported as None (a generator's state is not a parameter a file should carry).

    Raises
    ------
    ValueError
        The model is not fitted, or an argument holds something JSON cannot carry faithfully.
    TypeError
        ``model`` is not one of logreg's estimators.
    """
    name = type(model).__name__
    if ESTIMATORS.get(name) is not type(model):
        raise TypeError(
            f"model_to_json exports logreg's estimators ({', '.join(ESTIMATORS)}); "
            f"got {type(model).__module__}.{name}."
        )
    try:
        coef, intercept, classes = model.coef_, model.intercept_, model.classes_
        n_features = model.n_features_in_
    except AttributeError:
        raise ValueError("fit the model before exporting it") from None

    classes, classes_dtype = _export_classes(classes)
    model_names = getattr(model, "feature_names_in_", None)
    if model_names is not None:
        model_names = [str(n) for n in model_names]
    if feature_names is not None:
        feature_names = list(feature_names)
        if model_names is not None and feature_names != model_names:
            raise ValueError(
                f"feature_names {feature_names} differ from the names the model was fitted with "
                f"({model_names}); leave feature_names out to use the model's."
            )
    else:
        feature_names = model_names

    params = {}
    for key, value in model.get_params().items():
        if key == "random_state" and isinstance(value, (np.random.Generator,
                                                        np.random.RandomState)):
            value = None
        params[key] = _export_scalar(value, f"parameter {key}")

    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "library_version": __version__,
        "estimator": name,
        "params": params,
        "classes": classes,
        "classes_dtype": classes_dtype,
        "coef": np.asarray(coef, dtype=np.float64).tolist(),
        "intercept": np.asarray(intercept, dtype=np.float64).tolist(),
        "n_features_in": int(n_features),
        "feature_names": feature_names,
        "fitted_with_feature_names": model_names is not None,
        "threshold": params.get("threshold"),
        "preprocessing": _export_free({} if preprocessing is None else preprocessing,
                                      "preprocessing"),
        "metadata": _export_free({} if metadata is None else metadata, "metadata"),
        "training": {
            "n_iter": int(getattr(model, "n_iter_", 0)),
            "converged": bool(getattr(model, "converged_", False)),
            "diverged": bool(getattr(model, "diverged_", False)),
            **_export_convergence(getattr(model, "convergence_", None)),
        },
    }
    # One validation path: a file this function writes is always one load_model_bundle accepts.
    _bundle_from_document(doc)
    # allow_nan=False: never write the non-standard NaN/Infinity tokens (already refused above).
    return json.dumps(doc, allow_nan=False, indent=1)


def _export_scalar(value, what):
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{what} is {value!r}, which a model file cannot hold.")
        return value
    raise ValueError(f"{what} is a {type(value).__name__}, which a model file cannot hold.")


def _export_classes(classes):
    classes = np.asarray(classes)
    values = [c.item() if isinstance(c, np.generic) else c for c in classes.tolist()]
    if classes.dtype.kind == "b" or all(isinstance(v, bool) for v in values):
        return [bool(v) for v in values], "bool"
    if all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in values):
        return [int(v) for v in values], "int"
    if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values):
        return [float(v) for v in values], "float"
    if all(isinstance(v, str) for v in values):
        return values, "str"
    kinds = sorted({type(v).__name__ for v in values})
    raise ValueError(f"Class labels of type {', '.join(kinds)} cannot be exported; "
                     "labels must be all integers, all numbers, all booleans or all text.")


def _export_free(value, what, depth=0):
    """Copy of ``value`` as plain JSON data (dict/list/str/finite number/bool/None)."""
    if depth > _MAX_FREE_DEPTH:
        raise ValueError(f"{what} is nested more than {_MAX_FREE_DEPTH} levels deep.")
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{what} has a key {key!r}; keys must be text.")
            out[key] = _export_free(item, f"{what}[{key!r}]", depth + 1)
        return out
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_export_free(v, f"{what}[{i}]", depth + 1) for i, v in enumerate(value)]
    return _export_scalar(value, what)


# ----- import ---------------------------------------------------------------------------------
def model_from_json(text):
    """Rebuild a fitted estimator from ``model_to_json`` output (str or UTF-8 bytes).

    Returns the model of :func:`load_model_bundle`; raises ``ValueError`` for anything that is
    not a valid model file.
    """
    return load_model_bundle(text).model


def load_model_bundle(text) -> ModelBundle:
    """Parse and validate a model file; return the fitted estimator with its companions.

    Parameters
    ----------
    text : str or bytes
        The JSON document (bytes are decoded as UTF-8; a byte-order mark is allowed).

    Returns
    -------
    ModelBundle

    Raises
    ------
    ValueError
        For any input that is not a valid model file, with a sentence saying what is wrong: too
        large, not UTF-8, not JSON, NaN/Infinity, not a logreg model, written by a newer version,
        unknown estimator or parameter, wrong shapes, duplicate classes, ...
    TypeError
        ``text`` is neither str nor bytes.
    """
    return _bundle_from_document(_parse(text))


def _parse(text):
    if isinstance(text, (bytes, bytearray, memoryview)):
        data = bytes(text)
        _check_size(len(data))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"The model file is not UTF-8 text (invalid byte at position {exc.start}); "
                "upload the .json file that was downloaded from the app."
            ) from None
    elif isinstance(text, str):
        _check_size(len(text))  # characters <= UTF-8 bytes: cheap and never under-counts by much
        text = text.removeprefix("\ufeff")
    else:
        raise TypeError(f"A model file is text (str) or bytes, not {type(text).__name__}.")
    if not text.strip():
        raise ValueError("The model file is empty.")
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float,
                          parse_int=_bounded_int, object_pairs_hook=_unique_keys)
    except _NotAModelFile as exc:
        raise ValueError(str(exc)) from None
    except RecursionError:
        raise ValueError("The model file is nested too deeply to be a model file.") from None
    except ValueError as exc:  # json.JSONDecodeError and int conversion limits
        raise ValueError(f"The model file is not valid JSON: {exc}.") from None


def _check_size(n):
    if n > MAX_DOCUMENT_BYTES:
        raise ValueError(
            f"The model file is {n / 2**20:.1f} MB; model files are at most "
            f"{MAX_DOCUMENT_BYTES // 2**20} MB (a real export is a few kilobytes)."
        )


class _NotAModelFile(ValueError):
    """Raised inside the JSON parser; re-raised as a plain ValueError with the same message."""


def _refuse_constant(token):
    raise _NotAModelFile(f"The model file contains {token}; every number must be finite.")


def _finite_float(token):
    value = float(token)
    if not math.isfinite(value):
        raise _NotAModelFile(f"The model file contains the number {token[:30]}, too large to "
                             "be finite; every number must be finite.")
    return value


def _bounded_int(token):
    if len(token.lstrip("-")) > _MAX_INT_DIGITS:
        raise _NotAModelFile(f"The model file contains an integer with {len(token)} digits; "
                             "no field of a model needs that many.")
    return int(token)


def _unique_keys(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise _NotAModelFile(f"The model file repeats the key {key[:50]!r}; each key may "
                                 "appear once per object.")
        out[key] = value
    return out


def _bundle_from_document(doc) -> ModelBundle:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError("This is not a logreg model file (its 'format' is not "
                         f"{FORMAT!r}); upload a .json file downloaded from the app.")
    version = doc.get("format_version")
    if not _is_int(version) or version < 1:
        raise ValueError(f"The model file has an invalid format_version {_short(version)}.")
    if version > FORMAT_VERSION:
        raise ValueError(
            f"The model file has format version {version}: it was made by a newer version of "
            f"logreg (this is {__version__}, which reads version {FORMAT_VERSION}); upgrade."
        )
    missing = [k for k in _REQUIRED_KEYS if k not in doc]
    if missing:
        raise ValueError(f"The model file lacks {', '.join(missing)}.")
    unknown = sorted(set(doc) - set(_REQUIRED_KEYS) - set(_OPTIONAL_KEYS))
    if unknown:
        raise ValueError(f"The model file has unknown fields: {_names(unknown)}.")

    name = doc["estimator"]
    if not isinstance(name, str) or name not in ESTIMATORS:
        raise ValueError(f"Unknown estimator {_short(name)}: a model file can hold "
                         f"{', '.join(ESTIMATORS)}.")
    cls = ESTIMATORS[name]
    model = _build_estimator(cls, doc["params"])

    classes = _load_classes(doc["classes"], doc["classes_dtype"], name)
    n_out = _N_OUTPUTS[name](len(classes))
    coef = _number_matrix(doc["coef"], "coef")
    intercept = _number_vector(doc["intercept"], "intercept")
    n_features = doc["n_features_in"]
    if not _is_int(n_features) or n_features < 1:
        raise ValueError(f"n_features_in must be a whole number >= 1; got {_short(n_features)}.")
    if coef.shape != (n_out, n_features):
        raise ValueError(
            f"coef has shape {coef.shape}, but a {name} with {len(classes)} classes and "
            f"{n_features} features has shape ({n_out}, {n_features})."
        )
    if intercept.shape != (n_out,):
        raise ValueError(f"intercept has {intercept.shape[0]} values; {name} with "
                         f"{len(classes)} classes needs {n_out}.")

    feature_names = doc.get("feature_names")
    if feature_names is not None:
        if not isinstance(feature_names, list) or not all(_is_text(n) for n in feature_names):
            raise ValueError("feature_names must be a list of text, one per feature.")
        if len(feature_names) != n_features:
            raise ValueError(f"feature_names has {len(feature_names)} names for "
                             f"{n_features} features.")
    with_names = doc.get("fitted_with_feature_names", False)
    if not isinstance(with_names, bool) or (with_names and feature_names is None):
        raise ValueError("fitted_with_feature_names must be true or false, and true only "
                         "with feature_names.")

    threshold = doc.get("threshold")
    if threshold is not None and threshold != model.threshold:
        raise ValueError(f"threshold {_short(threshold)} differs from the parameter threshold "
                         f"{model.threshold!r}.")

    n_iter, converged, diverged, convergence = _load_training(doc.get("training", {}))
    preprocessing = _load_free(doc.get("preprocessing", {}), "preprocessing")
    metadata = _load_metadata(doc.get("metadata", {}))
    library_version = doc.get("library_version", "")
    if not _is_text(library_version) or len(library_version) > 50:
        raise ValueError("library_version must be a short text such as '0.1.0'.")

    model.classes_ = classes
    model.coef_ = coef
    model.intercept_ = intercept
    model.n_features_in_ = int(n_features)
    if with_names:
        model.feature_names_in_ = np.asarray(feature_names, dtype=object)
    model.n_iter_ = n_iter
    model.converged_ = converged
    if convergence is not None:
        model.convergence_ = convergence
    model.diverged_ = diverged
    model.stopped_early_ = False
    model.history_ = {}
    model.fit_warnings_ = ()
    return ModelBundle(model=model,
                       feature_names=None if feature_names is None else tuple(feature_names),
                       preprocessing=preprocessing, metadata=metadata,
                       library_version=library_version)


def _build_estimator(cls, params):
    if not isinstance(params, dict):
        raise ValueError("params must be an object mapping parameter names to values.")
    known = cls._get_param_names()
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise ValueError(f"Unknown parameter(s) {_names(unknown)} for {cls.__name__}; "
                         f"it takes {', '.join(known)}.")
    for key, value in params.items():
        if not (value is None or isinstance(value, (bool, int, float)) or _is_text(value)):
            raise ValueError(f"Parameter {key} must be a single number, text, true/false or "
                             f"null; got {_short(value)}.")
    model = cls(**params)
    check_params(model.get_params())  # the same rules and messages as fit
    return model


def _load_classes(values, dtype, name):
    if dtype not in _CLASS_DTYPES:
        raise ValueError(f"classes_dtype must be one of {', '.join(_CLASS_DTYPES)}; "
                         f"got {_short(dtype)}.")
    if not isinstance(values, list):
        raise ValueError("classes must be a list of class labels.")
    low, high = _N_CLASSES_ALLOWED[name]
    if not low <= len(values) <= high:
        needs = f"exactly {low}" if low == high else f"from {low} to {high}"
        raise ValueError(f"{name} needs {needs} classes; the file lists {len(values)}.")
    ok = {
        "int": lambda v: _is_int(v) and _INT64.min <= v <= _INT64.max,
        "float": lambda v: (isinstance(v, (int, float)) and not isinstance(v, bool)
                            and math.isfinite(v)),
        "bool": lambda v: isinstance(v, bool),
        "str": _is_text,
    }[dtype]
    bad = [v for v in values if not ok(v)]
    if bad:
        raise ValueError(f"classes_dtype is {dtype!r} but the classes include {_short(bad[0])}.")
    if any(not a < b for a, b in zip(values, values[1:])):
        raise ValueError("classes must be distinct and sorted, as fit stores them; got "
                         f"{_short(values)}.")
    numpy_dtype = {"int": np.int64, "float": np.float64, "bool": np.bool_, "str": object}[dtype]
    return np.array(values, dtype=numpy_dtype)


def _number_vector(values, what):
    if not isinstance(values, list) or not values:
        raise ValueError(f"{what} must be a non-empty list of numbers.")
    for v in values:
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise ValueError(f"{what} must hold numbers only; found {_short(v)}.")
        if not math.isfinite(v):
            raise ValueError(f"{what} holds {v!r}; every weight must be finite.")
        if abs(v) > MAX_ABS_WEIGHT:
            raise ValueError(f"{what} holds {v:.3g}; weights are at most {MAX_ABS_WEIGHT:g} "
                             "in size.")
    return np.array(values, dtype=np.float64)


def _number_matrix(rows, what):
    if not isinstance(rows, list) or not rows:
        raise ValueError(f"{what} must be a non-empty list of rows (lists of numbers).")
    out = [_number_vector(r, f"{what}[{i}]") for i, r in enumerate(rows)]
    widths = {len(r) for r in out}
    if len(widths) != 1:
        raise ValueError(f"The rows of {what} have different lengths ({sorted(widths)[:5]}).")
    return np.array(out, dtype=np.float64)


def _export_convergence(convergence) -> dict:
    """The ``convergence`` entry of ``training`` ({} for a model without one)."""
    if not convergence:
        return {}
    value = float(convergence["value"])
    return {"convergence": {"criterion": str(convergence["criterion"]),
                            "value": value if math.isfinite(value) else None,
                            "tol": float(convergence["tol"])}}


def _load_convergence(convergence):
    if convergence is None:
        return None
    if not isinstance(convergence, dict) or set(convergence) != {"criterion", "value", "tol"}:
        raise ValueError("training.convergence must be an object with criterion, value and tol.")
    criterion, value, tol = convergence["criterion"], convergence["value"], convergence["tol"]
    if not _is_text(criterion) or len(criterion) > 200:
        raise ValueError("training.convergence.criterion must be a short text.")
    for name, number in (("value", value), ("tol", tol)):
        if number is None and name == "value":
            continue
        if isinstance(number, bool) or not isinstance(number, numbers.Real) or not (
                math.isfinite(number) and number >= 0):
            raise ValueError(f"training.convergence.{name} must be a number >= 0; "
                             f"got {_short(number)}.")
    return {"criterion": criterion, "value": math.inf if value is None else float(value),
            "tol": float(tol)}


def _load_training(training):
    if not isinstance(training, dict):
        raise ValueError("training must be an object with n_iter, converged and diverged.")
    unknown = sorted(set(training) - {"n_iter", "converged", "diverged", "convergence"})
    if unknown:
        raise ValueError(f"training has unknown fields: {_names(unknown)}.")
    n_iter = training.get("n_iter", 0)
    converged = training.get("converged", False)
    diverged = training.get("diverged", False)
    if not _is_int(n_iter) or n_iter < 0:
        raise ValueError(f"training.n_iter must be a whole number >= 0; got {_short(n_iter)}.")
    if not isinstance(converged, bool) or not isinstance(diverged, bool):
        raise ValueError("training.converged and training.diverged must be true or false.")
    return int(n_iter), converged, diverged, _load_convergence(training.get("convergence"))


def _load_free(value, what, depth=0):
    if depth > _MAX_FREE_DEPTH:
        raise ValueError(f"{what} is nested more than {_MAX_FREE_DEPTH} levels deep.")
    if depth == 0 and not isinstance(value, dict):
        raise ValueError(f"{what} must be an object.")
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            _check_text(key, f"a key of {what}")
            out[key] = _load_free(item, what, depth + 1)
        return out
    if isinstance(value, list):
        return [_load_free(v, what, depth + 1) for v in value]
    if isinstance(value, str):
        _check_text(value, f"a text in {what}")
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{what} holds {value!r}; numbers must be finite.")
    elif not (value is None or isinstance(value, (bool, int, float))):
        raise ValueError(f"{what} holds a {type(value).__name__}; only JSON data is allowed.")
    return value


def _load_metadata(metadata):
    if not isinstance(metadata, dict):
        raise ValueError("metadata must be an object mapping names to text or numbers.")
    for key, value in metadata.items():
        _check_text(key, "a metadata key")
        if not (isinstance(value, (bool, int, float)) or _is_text(value)):
            raise ValueError(f"metadata {key[:50]!r} must be text or a number; "
                             f"got {_short(value)}.")
    return dict(metadata)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_text(v) -> bool:
    """A str that can be written back out: JSON allows lone surrogates ("\\ud800"), UTF-8 not."""
    if not isinstance(v, str):
        return False
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_text(v, what) -> bool:
    if not _is_text(v):
        raise ValueError(f"{what} is not valid text: {_short(v)}.")
    return True


def _short(value, limit=60) -> str:
    """repr of a value from the file, cut so a hostile file cannot flood the error message."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _names(names) -> str:
    shown = ", ".join(_short(n, 40) for n in names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


# ----- results table --------------------------------------------------------------------------
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection"): a
# label such as '=HYPERLINK(...)' from an uploaded file must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))  # shortest text that reads back to the same float
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def results_to_csv(X, y_true, proba, *, feature_names, class_names, threshold=None) -> str:
    """The per-row results table offered for download, as CSV text.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Feature values, as the model saw them.
    y_true : array-like of shape (n_samples,) or None
        True labels; None leaves the ``true_class`` column out (unlabeled data).
    proba : array-like of shape (n_samples, n_classes)
        ``predict_proba`` output; column ``j`` is the probability of ``class_names[j]``.
    feature_names : sequence of str, length n_features
    class_names : sequence, length n_classes
        The model's ``classes_``, in the order of ``proba``'s columns.
    threshold : float in [0, 1] or None
        Two classes: ``class_names[1]`` is predicted where its probability is >= threshold
        (default 0.5). More classes: the most probable class, and threshold is ignored. With
        ``threshold=model.threshold`` the column equals ``model.predict`` for every estimator.

    Returns
    -------
    str
        Header ``feature..., true_class, predicted_class, p_<class>...`` then one line per sample.
        Numbers are written at full precision; text cells that a spreadsheet would run as a
        formula (starting with ``= + - @``, tab or carriage return) get a leading ``'``.
    """
    X = np.asarray(X)
    proba = np.asarray(proba, dtype=np.float64)
    feature_names = list(feature_names)
    class_names = list(class_names)
    if X.ndim != 2:
        raise ValueError(f"X must be a table (n_samples, n_features); got shape {X.shape}.")
    n, d = X.shape
    if len(feature_names) != d:
        raise ValueError(f"{len(feature_names)} feature names for {d} columns of X.")
    k = len(class_names)
    if k < 2:
        raise ValueError("class_names needs at least two classes.")
    if proba.shape != (n, k):
        raise ValueError(f"proba has shape {proba.shape}; expected ({n}, {k}): one row per "
                         "sample of X and one column per class.")
    if y_true is not None:
        y_true = np.asarray(y_true)
        if y_true.shape != (n,):
            raise ValueError(f"y_true has shape {y_true.shape}; expected ({n},).")
    if k == 2:
        t = 0.5 if threshold is None else threshold
        if isinstance(t, bool) or not isinstance(t, numbers.Real) or not 0 <= t <= 1:
            raise ValueError(f"threshold must be a number from 0 to 1; got {threshold!r}.")
        predicted_index = (proba[:, 1] >= t).astype(int)
    else:
        predicted_index = np.argmax(proba, axis=1) if n else np.zeros(0, dtype=int)

    header = list(feature_names) + (["true_class"] if y_true is not None else [])
    header += ["predicted_class"] + [f"p_{c}" for c in class_names]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_cell(str(h)) for h in header])
    for i in range(n):
        row = [_cell(v) for v in X[i]]
        if y_true is not None:
            row.append(_cell(y_true[i]))
        row.append(_cell(class_names[predicted_index[i]]))
        row.extend(_cell(p) for p in proba[i])
        writer.writerow(row)
    return out.getvalue()
