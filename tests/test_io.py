"""Model export/import (logreg.io): exact round trips, hostile files refused, results CSV."""

import ast
import copy
import csv
import io as stdio
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

import logreg
import logreg.io as lio
from logreg import LogisticRegression, OneVsRestLogisticRegression, SoftmaxRegression
from logreg.io import (ModelBundle, load_model_bundle, model_from_json, model_to_json,
                       results_to_csv)

ESTIMATORS = [LogisticRegression, OneVsRestLogisticRegression, SoftmaxRegression]
LABELS = {
    "int": [3, -7],
    "str": ["=cmd|' /C calc'!A0", "yes"],
    "bool": [False, True],
    "float": [2.0, -1.0],  # sklearn calls 0.5 "continuous"; integral floats are labels
}


def _data(labels, n=40, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = np.array([labels[i % len(labels)] for i in range(n)], dtype=object)
    y = np.array(y.tolist())  # the natural dtype of the labels: int, <U, bool, float
    X[:, 0] += 1.5 * (y == y[1])  # some signal, so the weights are not all equal
    return X, y


def _fit(cls, labels, **params):
    X, y = _data(labels)
    defaults = dict(epochs=30, learning_rate=0.5, penalty="l2", reg_strength=0.01)
    return cls(**{**defaults, **params}).fit(X, y), X, y


def _valid_doc(cls=LogisticRegression, labels=(0, 1)):
    model, _, _ = _fit(cls, list(labels))
    return json.loads(model_to_json(model))


def _assert_same_predictions(a, b, X):
    assert np.array_equal(a.predict(X), b.predict(X))
    np.testing.assert_allclose(b.predict_proba(X), a.predict_proba(X), rtol=0, atol=1e-12)
    np.testing.assert_allclose(b.decision_function(X), a.decision_function(X), rtol=0, atol=1e-12)


# ----- round trips ----------------------------------------------------------------------------
@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("kind", sorted(LABELS))
def test_round_trip_predicts_identically_and_keeps_label_types(cls, kind):
    model, X, _ = _fit(cls, LABELS[kind], threshold=0.3, solver="gd", batch_size=7,
                       random_state=3, init="random")
    text = model_to_json(model)
    loaded = model_from_json(text)
    assert type(loaded) is cls
    _assert_same_predictions(model, loaded, X)
    # Fresh points far from the training data, where rounding would show.
    X_new = np.random.default_rng(9).normal(scale=50, size=(25, X.shape[1]))
    _assert_same_predictions(model, loaded, X_new)
    assert loaded.get_params() == model.get_params()
    assert loaded.classes_.tolist() == model.classes_.tolist()
    # The JSON keeps Python's types: an int label is not written as 3.0, a bool not as 0.
    doc = json.loads(text)
    assert [type(c) for c in doc["classes"]] == [type(c) for c in model.classes_.tolist()]
    assert doc["classes_dtype"] == kind
    assert [type(c) for c in loaded.predict(X).tolist()] == [type(c)
                                                             for c in model.predict(X).tolist()]


@pytest.mark.parametrize("cls", [OneVsRestLogisticRegression, SoftmaxRegression])
def test_multiclass_round_trip_with_many_string_classes(cls):
    labels = ["a", "b", "c", "d", "e"]
    model, X, _ = _fit(cls, labels, solver="newton", epochs=5)
    loaded = model_from_json(model_to_json(model))
    assert loaded.coef_.shape == (5, 3)
    _assert_same_predictions(model, loaded, X)


def test_document_holds_the_documented_fields():
    model, X, _ = _fit(LogisticRegression, [0, 1], epochs=7, tol=0.0)
    doc = json.loads(model_to_json(model, metadata={"dataset": "moons", "rows": 40}))
    assert doc["format"] == "logreg-model"
    assert doc["format_version"] == 1
    assert doc["library_version"] == logreg.__version__
    assert doc["estimator"] == "LogisticRegression"
    assert doc["params"]["epochs"] == 7 and doc["params"]["penalty"] == "l2"
    assert doc["classes"] == [0, 1]
    assert np.array_equal(doc["coef"], model.coef_) and np.array_equal(doc["intercept"],
                                                                        model.intercept_)
    assert doc["n_features_in"] == 3
    assert doc["threshold"] == 0.5
    assert doc["training"] == {
        "n_iter": 7, "converged": False, "diverged": False,
        "convergence": {"criterion": "largest |gradient| of the penalized objective",
                        "value": model.convergence_["value"], "tol": 1e-4}}
    assert model.convergence_["value"] > 1e-4  # 7 epochs: not converged, and the file says so
    assert doc["metadata"] == {"dataset": "moons", "rows": 40}
    assert "history" not in json.dumps(doc)


def test_history_is_not_exported_so_the_file_does_not_grow_with_epochs():
    short, _, _ = _fit(LogisticRegression, [0, 1], epochs=2)
    long, _, _ = _fit(LogisticRegression, [0, 1], epochs=2000)
    assert len(long.history_["loss"]) == 2001
    assert abs(len(model_to_json(long)) - len(model_to_json(short))) < 100
    loaded = model_from_json(model_to_json(long))
    assert loaded.history_ == {} and loaded.fit_warnings_ == ()
    # 2000 epochs reach the gradient criterion: the file says converged, with its value.
    assert (loaded.n_iter_, loaded.converged_, loaded.diverged_) == (2000, True, False)
    assert loaded.convergence_ == long.convergence_ and long.convergence_["value"] <= 1e-4


def test_fitted_attributes_restored_so_the_loaded_model_can_be_refitted():
    model, X, y = _fit(SoftmaxRegression, [0, 1, 2], epochs=5)
    loaded = model_from_json(model_to_json(model))
    refit = loaded.fit(X, y)
    np.testing.assert_allclose(refit.coef_, model.coef_, rtol=0, atol=1e-12)


def test_feature_names_from_a_dataframe_fit_are_restored():
    X, y = _data(["no", "yes"])
    frame = pd.DataFrame(X, columns=["age", "income", "tenure"])
    model = LogisticRegression(epochs=10).fit(frame, y)
    bundle = load_model_bundle(model_to_json(model))
    assert bundle.feature_names == ("age", "income", "tenure")
    assert bundle.model.feature_names_in_.tolist() == ["age", "income", "tenure"]
    _assert_same_predictions(model, bundle.model, frame)
    # sklearn still checks the columns: a frame with other names is refused, as by the original.
    with pytest.raises(ValueError, match="feature names"):
        bundle.model.predict(frame.rename(columns={"age": "AGE"}))


def test_feature_names_argument_is_stored_without_changing_how_the_model_predicts():
    model, X, _ = _fit(LogisticRegression, [0, 1])
    bundle = load_model_bundle(model_to_json(model, feature_names=["a", "b", "c"]))
    assert bundle.feature_names == ("a", "b", "c")
    assert not hasattr(bundle.model, "feature_names_in_")  # numpy input predicts as before
    _assert_same_predictions(model, bundle.model, X)


def test_feature_names_argument_that_contradicts_the_model_is_refused():
    X, y = _data([0, 1])
    model = LogisticRegression(epochs=3).fit(pd.DataFrame(X, columns=["a", "b", "c"]), y)
    with pytest.raises(ValueError, match="differ from the names"):
        model_to_json(model, feature_names=["a", "b", "x"])
    with pytest.raises(ValueError, match="3 features"):
        model_to_json(_fit(LogisticRegression, [0, 1])[0], feature_names=["a", "b"])


def test_bundle_carries_preprocessing_metadata_and_version():
    model, _, _ = _fit(LogisticRegression, [0, 1])
    preprocessing = {
        "standardize": {"mean": np.array([0.5, -1.0, 2.0]), "scale": [1, 2.5, np.float32(3.0)]},
        "polynomial_degree": np.int64(3),
        "drawn_features": ("x1", "x2"),
        "enabled": True,
        "note": None,
    }
    bundle = load_model_bundle(model_to_json(model, preprocessing=preprocessing,
                                             metadata={"source": "upload.csv", "auc": 0.91}))
    assert isinstance(bundle, ModelBundle)
    assert bundle.preprocessing == {
        "standardize": {"mean": [0.5, -1.0, 2.0], "scale": [1, 2.5, 3.0]},
        "polynomial_degree": 3, "drawn_features": ["x1", "x2"], "enabled": True, "note": None,
    }
    assert bundle.metadata == {"source": "upload.csv", "auc": 0.91}
    assert bundle.library_version == logreg.__version__
    with pytest.raises(AttributeError):
        bundle.model = None  # frozen


@pytest.mark.parametrize("preprocessing, message", [
    ({"mean": [float("nan")]}, "nan"),
    ({"scale": np.inf}, "inf"),
    ({1: "x"}, "keys must be text"),
    ({"fn": print}, "builtin_function_or_method"),
    ({"obj": object()}, "object"),
    ({"deep": json.loads("[" * 40 + "]" * 40)}, "nested"),
])
def test_preprocessing_that_json_cannot_carry_is_refused_at_export(preprocessing, message):
    model, _, _ = _fit(LogisticRegression, [0, 1])
    with pytest.raises(ValueError, match=message):
        model_to_json(model, preprocessing=preprocessing)


@pytest.mark.parametrize("metadata", [{"a": [1, 2]}, {"a": {"b": 1}}, {"a": float("inf")}])
def test_metadata_must_be_flat_text_or_numbers(metadata):
    model, _, _ = _fit(LogisticRegression, [0, 1])
    with pytest.raises(ValueError, match="metadata"):
        model_to_json(model, metadata=metadata)


def test_generator_random_state_is_exported_as_none():
    model, _, _ = _fit(LogisticRegression, [0, 1], random_state=np.random.default_rng(0),
                       init="random")
    assert json.loads(model_to_json(model))["params"]["random_state"] is None


def test_unfitted_model_is_refused():
    with pytest.raises(ValueError, match="fit the model before exporting it"):
        model_to_json(LogisticRegression())


def test_only_logreg_estimators_are_exported():
    X, y = _data([0, 1])
    with pytest.raises(TypeError, match="logreg's estimators"):
        model_to_json(SkLogisticRegression().fit(X, y))

    class Sub(LogisticRegression):
        pass

    with pytest.raises(TypeError):
        model_to_json(Sub(epochs=2).fit(X, y))


def test_bytes_with_byte_order_mark_and_str_are_both_read():
    model, X, _ = _fit(LogisticRegression, [0, 1])
    text = model_to_json(model)
    for form in (text, text.encode(), b"\xef\xbb\xbf" + text.encode(), bytearray(text.encode()),
                 "\ufeff" + text):
        _assert_same_predictions(model, model_from_json(form), X)


# ----- hostile and malformed files ------------------------------------------------------------
def _mutated(change, cls=LogisticRegression, labels=(0, 1)):
    doc = copy.deepcopy(_VALID[(cls, tuple(labels))])
    change(doc)
    return json.dumps(doc)


_VALID = {
    (LogisticRegression, (0, 1)): _valid_doc(),
    (SoftmaxRegression, (0, 1, 2)): _valid_doc(SoftmaxRegression, (0, 1, 2)),
}


def _set(path, value):
    def change(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _delete(key):
    return lambda doc: doc.pop(key)


MALFORMED = [
    # (id, text or change, expected message fragment)
    ("empty", "", "empty"),
    ("whitespace", " \n\t", "empty"),
    ("not json", "this is not json", "not valid JSON"),
    ("truncated", json.dumps(_VALID[(LogisticRegression, (0, 1))])[:-5], "not valid JSON"),
    ("json list", "[1, 2, 3]", "not a logreg model file"),
    ("json string", '"logreg-model"', "not a logreg model file"),
    ("json null", "null", "not a logreg model file"),
    ("other format", _set(("format",), "sklearn-pickle"), "not a logreg model file"),
    ("no format", _delete("format"), "not a logreg model file"),
    ("newer version", _set(("format_version",), 2), "made by a newer version of logreg.*upgrade"),
    ("version text", _set(("format_version",), "1"), "format_version"),
    ("version bool", _set(("format_version",), True), "format_version"),
    ("version zero", _set(("format_version",), 0), "format_version"),
    ("missing coef", _delete("coef"), "lacks coef"),
    ("unknown field", _set(("__reduce__",), ["os.system", ["echo hacked"]]), "unknown fields"),
    ("class field", _set(("__class__",), "LogisticRegression"), "unknown fields"),
    ("dotted estimator", _set(("estimator",), "os.system"), "Unknown estimator"),
    ("builtins estimator", _set(("estimator",), "__builtins__"), "Unknown estimator"),
    ("module path estimator", _set(("estimator",), "logreg.model.LogisticRegression"),
     "Unknown estimator"),
    ("base class", _set(("estimator",), "LogisticBase"), "Unknown estimator"),
    ("estimator list", _set(("estimator",), ["LogisticRegression"]), "Unknown estimator"),
    ("param __class__", _set(("params", "__class__"), "x"), "Unknown parameter"),
    ("param __reduce__", _set(("params", "__reduce__"), ["os.system", ["id"]]),
     "Unknown parameter"),
    ("param list", _set(("params", "epochs"), [5]), "Parameter epochs"),
    ("param object", _set(("params", "random_state"), {"seed": 1}), "Parameter random_state"),
    ("param bad solver", _set(("params", "solver"), "lbfgs"), "solver must be"),
    ("param float epochs", _set(("params", "epochs"), 1.5), "epochs must be"),
    ("param negative lr", _set(("params", "learning_rate"), -1), "learning_rate must be"),
    ("params list", _set(("params",), [["epochs", 5]]), "params must be an object"),
    ("coef nan token", None, "NaN"),
    ("coef infinity token", None, "Infinity"),
    ("coef overflowing literal", None, "finite"),
    ("coef string", _set(("coef", 0, 0), "1.0"), "numbers only"),
    ("coef bool", _set(("coef", 0, 0), True), "numbers only"),
    ("coef huge", _set(("coef", 0, 0), 1e200), "at most"),
    ("coef flat", _set(("coef",), [0.1, 0.2, 0.3]), "coef"),
    ("coef ragged", _set(("coef",), [[0.1, 0.2, 0.3], [0.1]]), "coef"),
    ("coef empty", _set(("coef",), []), "non-empty"),
    ("coef two rows for binary", _set(("coef",), [[0.1, 0.2, 0.3]] * 2), r"shape \(1, 3\)"),
    ("coef wrong width", _set(("coef",), [[0.1, 0.2]]), r"shape \(1, 3\)"),
    ("intercept long", _set(("intercept",), [0.0, 1.0]), "intercept"),
    ("intercept scalar", _set(("intercept",), 0.0), "intercept"),
    ("n_features mismatch", _set(("n_features_in",), 4), r"shape \(1, 4\)"),
    ("n_features zero", _set(("n_features_in",), 0), "n_features_in"),
    ("n_features text", _set(("n_features_in",), "3"), "n_features_in"),
    ("classes duplicate", _set(("classes",), [1, 1]), "distinct and sorted"),
    ("classes unsorted", _set(("classes",), [1, 0]), "distinct and sorted"),
    ("one class", _set(("classes",), [0]), "exactly 2"),
    ("three classes binary", _set(("classes",), [0, 1, 2]), "exactly 2"),
    ("classes dtype mismatch", _set(("classes",), ["a", "b"]), "classes_dtype is 'int'"),
    ("classes dtype unknown", _set(("classes_dtype",), "object"), "classes_dtype must be"),
    ("classes int overflow", _set(("classes",), [0, 2**70]), "classes_dtype is 'int'"),
    ("classes object", _set(("classes",), {"0": 0, "1": 1}), "list"),
    ("feature names short", _set(("feature_names",), ["a"]), "feature_names has 1"),
    ("feature names numbers", _set(("feature_names",), [1, 2, 3]), "feature_names"),
    ("names flag without names", _set(("fitted_with_feature_names",), True),
     "fitted_with_feature_names"),
    ("threshold mismatch", _set(("threshold",), 0.9), "threshold"),
    ("training text", _set(("training",), "done"), "training"),
    ("training n_iter", _set(("training", "n_iter"), -1), "n_iter"),
    ("training unknown", _set(("training", "history"), [1, 2]), "unknown fields"),
    ("preprocessing list", _set(("preprocessing",), [1]), "preprocessing"),
    ("preprocessing deep", _set(("preprocessing",), {"a": json.loads("[" * 30 + "]" * 30)}),
     "nested"),
    ("metadata nested", _set(("metadata",), {"a": {"b": 1}}), "metadata"),
    ("library version object", _set(("library_version",), {"v": 1}), "library_version"),
    ("lone surrogate name", None, "list of text"),
    ("lone surrogate metadata", _set(("metadata",), {"\udc00": "x"}), "not valid text"),
    ("duplicate key", None, "repeats the key"),
    ("deep nesting", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("long integer", "1" * 5000, "digits"),
    ("invalid utf-8", b'{"format": "\xff"}', "not UTF-8"),
    ("utf-16", json.dumps({"format": "logreg-model"}).encode("utf-16"), "not UTF-8"),
]


def _special_text(name):
    valid = json.dumps(_VALID[(LogisticRegression, (0, 1))])
    coef = _VALID[(LogisticRegression, (0, 1))]["coef"][0][0]
    if name == "coef nan token":
        return valid.replace(repr(coef), "NaN", 1)
    if name == "coef infinity token":
        return valid.replace(repr(coef), "-Infinity", 1)
    if name == "coef overflowing literal":
        return valid.replace(repr(coef), "1e999", 1)
    if name == "lone surrogate name":
        doc = copy.deepcopy(_VALID[(LogisticRegression, (0, 1))])
        doc["feature_names"] = ["a", "\ud800", "c"]
        return json.dumps(doc)  # ensure_ascii writes "\ud800", which json.loads accepts
    if name == "duplicate key":
        return valid.replace('"format": "logreg-model"',
                             '"format": "logreg-model", "format": "logreg-model"', 1)
    raise KeyError(name)


@pytest.mark.parametrize("name, source, message", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_or_hostile_file_is_refused_with_a_clear_message(name, source, message):
    if source is None:
        text = _special_text(name)
    elif callable(source):
        text = _mutated(source)
    else:
        text = source
    assert text != json.dumps(_VALID[(LogisticRegression, (0, 1))])  # the mutation happened
    with pytest.raises(ValueError, match=message):
        load_model_bundle(text)
    with pytest.raises(ValueError, match=message):
        model_from_json(text.encode() if isinstance(text, str) else text)


@pytest.mark.parametrize("change, message", [
    (_set(("classes",), list(range(1001))), "from 2 to 1000"),
    (_set(("coef",), [[0.0, 0.0, 0.0]] * 2), r"shape \(3, 3\)"),
    (_set(("intercept",), [0.0, 0.0]), "needs 3"),
])
def test_multiclass_shapes_are_checked(change, message):
    with pytest.raises(ValueError, match=message):
        model_from_json(_mutated(change, SoftmaxRegression, (0, 1, 2)))


def test_the_valid_documents_used_above_do_load():
    for (cls, labels), doc in _VALID.items():
        model = model_from_json(json.dumps(doc))
        assert type(model) is cls and model.classes_.tolist() == list(labels)


@pytest.mark.parametrize("cls, labels", [(LogisticRegression, (0, 1)),
                                         (SoftmaxRegression, (0, 1, 2))])
def test_largest_allowed_weights_never_give_nan_probabilities(cls, labels):
    """The weight bound is what keeps a hostile file from making predict compute inf - inf."""
    doc = copy.deepcopy(_VALID[(cls, labels)])
    big = lio.MAX_ABS_WEIGHT
    doc["coef"] = [[big, -big, big][: doc["n_features_in"]] for _ in doc["coef"]]
    doc["coef"][0] = [-v for v in doc["coef"][0]]
    doc["intercept"] = [big] * len(doc["intercept"])
    model = model_from_json(json.dumps(doc))
    X = np.array([[1e100, 1e100, -1e100], [-1e100, 1e100, 1e100], [1e100, -1e100, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        P = model.predict_proba(X)
    assert np.isfinite(P).all() and ((P >= 0) & (P <= 1)).all()
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="at most"):
        doc["coef"][0][0] = big * 1.0000001
        model_from_json(json.dumps(doc))


def test_oversized_file_is_refused_before_parsing(monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("json.loads was called on an oversized file")

    monkeypatch.setattr(lio.json, "loads", no_parsing)
    huge = b" " * (lio.MAX_DOCUMENT_BYTES + 1)
    with pytest.raises(ValueError, match="at most 20 MB"):
        model_from_json(huge)
    with pytest.raises(ValueError, match="at most 20 MB"):
        model_from_json(huge.decode())


def test_a_file_at_the_size_limit_is_still_parsed():
    doc = json.dumps(_VALID[(LogisticRegression, (0, 1))])
    padded = doc + " " * (lio.MAX_DOCUMENT_BYTES - len(doc))
    assert len(padded.encode()) == lio.MAX_DOCUMENT_BYTES
    assert model_from_json(padded).coef_.shape == (1, 3)


@pytest.mark.parametrize("value", [None, 42, ["{}"], Path("model.json")])
def test_non_text_argument_is_a_type_error(value):
    with pytest.raises(TypeError, match="str"):
        model_from_json(value)


def test_io_module_never_uses_pickle_eval_or_dynamic_lookup():
    """The safety claim of SECURITY.md, checked on the source: no pickle, eval, exec or imports
    by name, and getattr only with a literal attribute name (never a name read from a file)."""
    tree = ast.parse(Path(lio.__file__).read_text())
    forbidden = {"pickle", "cPickle", "dill", "marshal", "shelve", "eval", "exec", "compile",
                 "__import__", "importlib", "import_module", "globals", "locals", "vars"}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            assert not forbidden & {n.split(".")[0] for n in names}, ast.dump(node)
        elif isinstance(node, ast.Name):
            assert node.id not in forbidden, node.id
        elif isinstance(node, ast.Attribute):
            assert node.attr not in forbidden, node.attr
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "setattr", "hasattr")):
            assert isinstance(node.args[1], ast.Constant), ast.unparse(node)
    assert set(lio.ESTIMATORS) == {"LogisticRegression", "OneVsRestLogisticRegression",
                                   "SoftmaxRegression"}


# ----- results CSV ----------------------------------------------------------------------------
def _read_csv(text):
    return list(csv.reader(stdio.StringIO(text)))


@pytest.mark.parametrize("cls, labels", [
    (LogisticRegression, ["no", "yes"]),
    (OneVsRestLogisticRegression, [1, 2, 3]),
    (SoftmaxRegression, ["a", "b", "c", "d"]),
    (SoftmaxRegression, [False, True]),
])
def test_results_csv_rows_match_the_model(cls, labels):
    model, X, y = _fit(cls, labels, threshold=0.3)
    proba = model.predict_proba(X)
    text = results_to_csv(X, y, proba, feature_names=["f1", "f2", "f3"],
                          class_names=model.classes_, threshold=model.threshold)
    rows = _read_csv(text)
    assert rows[0] == ["f1", "f2", "f3", "true_class", "predicted_class"] + [
        f"p_{c}" for c in model.classes_]
    assert len(rows) == X.shape[0] + 1
    body = rows[1:]
    # Full precision: the numbers read back bit for bit.
    assert np.array_equal(np.array([r[:3] for r in body], dtype=float), X)
    assert np.array_equal(np.array([r[5:] for r in body], dtype=float), proba)
    assert [r[3] for r in body] == [str(v) for v in y.tolist()]
    assert [r[4] for r in body] == [str(v) for v in model.predict(X).tolist()]


def test_results_csv_binary_threshold_decides_the_predicted_class():
    proba = np.array([[0.8, 0.2], [0.45, 0.55], [0.1, 0.9]])
    X = np.zeros((3, 1))
    for threshold, expected in [(None, ["a", "b", "b"]), (0.2, ["b", "b", "b"]),
                                (0.9, ["a", "a", "b"]), (0.95, ["a", "a", "a"])]:
        rows = _read_csv(results_to_csv(X, None, proba, feature_names=["x"],
                                        class_names=["a", "b"], threshold=threshold))
        assert rows[0] == ["x", "predicted_class", "p_a", "p_b"]
        assert [r[1] for r in rows[1:]] == expected


def test_results_csv_neutralizes_spreadsheet_formulas_in_text_cells_only():
    X = np.array([[-1.5, 2.0], [3.0, -4.0]])
    y = np.array(["=HYPERLINK(\"http://x\")", "+1"], dtype=object)
    text = results_to_csv(X, y, np.array([[0.4, 0.6], [0.7, 0.3]]),
                          feature_names=["@SUM(A1)", "\tname"],
                          class_names=["=HYPERLINK(\"http://x\")", "+1"])
    rows = _read_csv(text)
    assert rows[0] == ["'@SUM(A1)", "'\tname", "true_class", "predicted_class",
                       "p_=HYPERLINK(\"http://x\")", "p_+1"]
    assert rows[1] == ["-1.5", "2.0", "'=HYPERLINK(\"http://x\")", "'+1", "0.4", "0.6"]
    assert rows[2] == ["3.0", "-4.0", "'+1", "'=HYPERLINK(\"http://x\")", "0.7", "0.3"]
    # Negative numbers stay numbers; only text is prefixed.
    assert results_to_csv(np.array([[-1.0]]), np.array([-1]), np.array([[0.5, 0.5]]),
                          feature_names=["x"], class_names=[-1, 1]).splitlines()[1] == \
        "-1.0,-1,1,0.5,0.5"


@pytest.mark.parametrize("kwargs, message", [
    (dict(X=np.zeros(3)), "table"),
    (dict(feature_names=["a"]), "feature names"),
    (dict(class_names=["a"]), "two classes"),
    (dict(proba=np.full((2, 2), 0.5)), "proba has shape"),
    (dict(y_true=[0, 1]), "y_true has shape"),
    (dict(threshold=1.5), "threshold"),
    (dict(threshold=True), "threshold"),
])
def test_results_csv_checks_its_inputs(kwargs, message):
    args = dict(X=np.zeros((3, 2)), y_true=[0, 1, 0], proba=np.full((3, 2), 0.5),
                feature_names=["a", "b"], class_names=[0, 1], threshold=None)
    with pytest.raises(ValueError, match=message):
        results_to_csv(**{**args, **kwargs})
