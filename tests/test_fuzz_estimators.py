"""Fuzzing every estimator's fit / predict_proba with random, extreme and malformed inputs.

The contract (issue 9): for any input, either a fitted model whose weights are finite and whose
probabilities lie in [0, 1] with rows summing to 1, or a ``ValueError`` with a message. Never
another exception, and never a numpy ``RuntimeWarning`` (overflow, invalid value, division by
zero), which would mean a NaN or inf was computed somewhere and merely happened not to escape.

Each example is tiny (at most 8 rows, 4 columns, 5 epochs), so the CI profile's 200 examples per
test stay fast.
"""

import math

import numpy as np
import pytest
from hypothesis import event, given, note
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from logreg import LogisticRegression, OneVsRestLogisticRegression, SoftmaxRegression

# Every test here fails on a numpy RuntimeWarning (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("runtime_warnings_are_errors")

ESTIMATORS = [LogisticRegression, OneVsRestLogisticRegression, SoftmaxRegression]

# Bugs found by these tests and reported to the owner of logreg/model.py. Each has a strict xfail
# reproducer at the end of this file and narrows a strategy while listed. When a fix lands, its
# reproducer passes, strict xfail turns that into a failure: delete the name here and the marker
# there, and the fuzzing covers the input again.

EXTREMES = [0.0, -0.0, 1.0, -1.0, 0.5, 1e300, -1e300, 1e-300, -1e-300, 5e-324, 1e100, -1e100,
            1e99, 2.0**53, 1e15, math.nan, math.inf, -math.inf]
FINITE_EXTREMES = [v for v in EXTREMES if math.isfinite(v)]
# Values training accepts (features up to 1e100 in size), extremes included.
TRAINABLE_EXTREMES = [v for v in FINITE_EXTREMES if abs(v) <= 1e100]

MAX_ROWS, MAX_COLS = 8, 4


# ----- strategies -----------------------------------------------------------------------------
def _elements(allow_bad):
    pool = EXTREMES if allow_bad else TRAINABLE_EXTREMES
    return st.one_of(st.sampled_from(pool), st.floats(-1e3, 1e3), st.integers(-5, 5).map(float))


@st.composite
def float_matrices(draw, n_rows=None, n_cols=None, allow_bad=None):
    """(n, d) float arrays, one in four with NaN/inf/too large values, constant or duplicate
    columns."""
    n = draw(st.integers(0, MAX_ROWS)) if n_rows is None else n_rows
    d = draw(st.integers(0, MAX_COLS)) if n_cols is None else n_cols
    if allow_bad is None:
        allow_bad = draw(st.integers(0, 3)) == 0
    X = draw(hnp.arrays(np.float64, (n, d), elements=_elements(allow_bad)))
    if d >= 2 and draw(st.booleans()):
        i, j = draw(st.integers(0, d - 1)), draw(st.integers(0, d - 1))
        X[:, j] = X[:, i]  # duplicate column
    if d >= 1 and draw(st.booleans()):
        X[:, draw(st.integers(0, d - 1))] = draw(st.sampled_from(FINITE_EXTREMES))  # constant
    return X


@st.composite
def feature_inputs(draw, n_rows=None, n_cols=None, valid=False):
    """``(X, (n, d))``: what a user may pass as X (float arrays, Python lists mixing int and
    float, object arrays of numbers and strings, int and bool arrays), and its shape. ``valid``
    keeps to values and forms training accepts."""
    X = draw(float_matrices(n_rows, n_cols, allow_bad=False if valid else None))
    return _as_form(draw, X, valid), X.shape


def _as_form(draw, X, valid):
    forms = ["array", "mixed list", "object strings", "int", "bool"]
    form = draw(st.sampled_from(forms if valid else forms + ["object text", "float32"]))
    if form == "mixed list":
        return [[int(v) if math.isfinite(v) and v == int(v) and abs(v) < 1e15 and k % 2 else v
                 for k, v in enumerate(row)] for row in X.tolist()]
    if form == "object strings":
        return np.array([[repr(v) for v in row] for row in X.tolist()], dtype=object).reshape(
            X.shape)
    if form == "object text":
        texts = st.one_of(st.text(max_size=4), st.sampled_from(["1.5", "", "nan", "1e999", "x"]))
        out = np.empty(X.shape, dtype=object)
        for idx in np.ndindex(X.shape):
            out[idx] = draw(texts) if draw(st.booleans()) else float(X[idx])
        return out
    if form == "int":
        return np.nan_to_num(X, posinf=7, neginf=-7).clip(-1e6, 1e6).astype(np.int64)
    if form == "bool":
        return X > 0
    if form == "float32":
        with np.errstate(over="ignore"):  # 1e300 -> inf is the point of this form
            return X.astype(np.float32)
    return X


LABEL_POOLS = {
    "int": [0, 1, 2, -1, 7],
    "str": ["no", "yes", "maybe", "=1+1", "ü"],
    "bool": [False, True],
    "float": [0.0, 1.0, 2.0, -3.0, 0.5],
    "mixed": [0, 1.5, None, "a"],
    "nan": [0.0, 1.0, math.nan],
}


@st.composite
def labels(draw, n, valid=False):
    """Labels for n rows; ``valid``: at least two classes, the right length, no NaN."""
    if valid:
        pool = LABEL_POOLS[draw(st.sampled_from(["int", "str", "bool", "float"]))]
        k = draw(st.integers(2, min(len(pool), n)))
        y = pool[:2] + draw(st.lists(st.sampled_from(pool[:k]), min_size=n - 2, max_size=n - 2))
        return np.array(y)
    kind = draw(st.sampled_from(sorted(LABEL_POOLS)))
    pool = LABEL_POOLS[kind]
    k = draw(st.integers(1, len(pool)))
    length = n if draw(st.integers(0, 9)) else draw(st.integers(0, MAX_ROWS + 1))
    y = draw(st.lists(st.sampled_from(pool[:k]), min_size=length, max_size=length))
    if kind in ("mixed", "nan"):
        return np.array(y, dtype=object) if draw(st.booleans()) else y
    return np.array(y) if y else np.array([], dtype=type(pool[0]))


def params(valid_only=True):
    learning_rate = st.one_of(st.sampled_from([1e-8, 1e-3, 0.1, 1.0, 10.0, 100.0]),
                              st.floats(1e-6, 100))
    reg_strength = st.one_of(st.sampled_from([0.0, 1e-3, 1.0, 1e3]), st.floats(0, 1e3))
    out = dict(
        learning_rate=learning_rate,
        epochs=st.integers(1, 5),
        batch_size=st.one_of(st.none(), st.integers(1, MAX_ROWS + 2)),
        solver=st.sampled_from(["gd", "newton"]),
        penalty=st.sampled_from(["none", "l2", "l1", "elasticnet"]),
        reg_strength=reg_strength,
        l1_ratio=st.floats(0, 1),
        fit_intercept=st.booleans(),
        tol=st.sampled_from([0.0, 1e-12, 1e-4, 1.0]),
        init=st.sampled_from(["zeros", "random"]),
        random_state=st.one_of(st.none(), st.integers(0, 2**32 - 1)),
        threshold=st.floats(0, 1),
    )
    if not valid_only:
        bad = st.sampled_from([0, -1, 0.0, -1e-9, math.nan, math.inf, -math.inf, "1", None, True,
                               [1], 1.5, 10**30, "auto", ""])
        out = {name: st.one_of(value, bad) for name, value in out.items()}
    return st.fixed_dictionaries(out)


# ----- the contract ---------------------------------------------------------------------------
def _check_probabilities(model, X):
    P = model.predict_proba(X)
    k = len(model.classes_)
    n = len(X)
    assert P.shape == (n, k)
    assert np.isfinite(P).all()
    assert ((P >= 0) & (P <= 1)).all()
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-9)
    predicted = model.predict(X)
    assert predicted.shape == (n,)
    assert set(predicted.tolist()) <= set(model.classes_.tolist())


def _fit_or_value_error(cls, kwargs, X, y, sample_weight=None):
    """The fitted model, or None after checking the ValueError's message."""
    try:
        model = cls(**kwargs).fit(X, y, sample_weight=sample_weight)
    except ValueError as exc:
        assert str(exc).strip(), f"ValueError without a message: {exc!r}"
        note(f"refused: {exc}")
        event("refused")
        return None
    event("fitted")  # --hypothesis-show-statistics shows both outcomes are exercised
    return model


@pytest.mark.parametrize("cls", ESTIMATORS)
@given(data=st.data(), kwargs=params())
def test_fit_on_any_features_gives_a_sound_model_or_a_value_error(cls, data, kwargs):
    # Two examples in three are inputs training should accept, so both outcomes get exercised.
    valid = data.draw(st.integers(0, 2), label="valid") > 0
    if valid:
        shape = (data.draw(st.integers(2, MAX_ROWS)), data.draw(st.integers(1, MAX_COLS)))
        X, (n, d) = data.draw(feature_inputs(*shape, valid=True), label="X")
    else:
        X, (n, d) = data.draw(feature_inputs(), label="X")
    y = data.draw(labels(n, valid), label="y")
    model = _fit_or_value_error(cls, kwargs, X, y)
    if model is None:
        return
    assert np.isfinite(model.coef_).all() and np.isfinite(model.intercept_).all()
    assert model.coef_.shape[1] == d and len(model.classes_) >= 2
    assert isinstance(model.fit_warnings_, tuple)
    _check_probabilities(model, X)  # data it was fitted on must be accepted
    X_new, _ = data.draw(feature_inputs(n_cols=d), label="X_new")
    try:
        _check_probabilities(model, X_new)
    except ValueError as exc:
        assert str(exc).strip()


@pytest.mark.parametrize("cls", ESTIMATORS)
@given(data=st.data(), kwargs=params())
def test_extreme_settings_on_clean_data_always_train(cls, data, kwargs):
    """Learning rates up to 100, lambda up to 1e3, batch size 1, every solver and penalty, on
    finite data: training ends with a usable model; the only refusal allowed is Newton with an
    L1 penalty (documented)."""
    n = data.draw(st.integers(2, MAX_ROWS), label="n")
    d = data.draw(st.integers(1, MAX_COLS), label="d")
    X = data.draw(hnp.arrays(np.float64, (n, d), elements=st.one_of(
        st.floats(-1e6, 1e6), st.sampled_from([0.0, 1e99, -1e99, 1e-300]))), label="X")
    k = data.draw(st.integers(2, n if cls is not LogisticRegression else 2), label="k")
    y = np.arange(n) % k  # every class present
    y = data.draw(st.permutations(y.tolist()), label="y")
    # Newton refuses an L1 or elastic-net penalty whatever its strength (documented).
    if kwargs["solver"] == "newton" and kwargs["penalty"] in ("l1", "elasticnet"):
        with pytest.raises(ValueError, match="newton"):
            cls(**kwargs).fit(X, y)
        return
    model = cls(**kwargs).fit(X, y)
    assert np.isfinite(model.coef_).all() and np.isfinite(model.intercept_).all()
    assert 0 <= model.n_iter_ <= kwargs["epochs"]
    assert model.history_["loss"].shape[0] == model.n_iter_ + 1
    assert np.isfinite(model.history_["loss"]).all()
    _check_probabilities(model, X)
    if model.diverged_:
        assert any("diverged" in w for w in model.fit_warnings_)


@pytest.mark.parametrize("cls", ESTIMATORS)
@given(kwargs=params(valid_only=False), X=float_matrices(n_rows=6, n_cols=2))
def test_invalid_parameters_are_refused_with_a_message(cls, kwargs, X):
    _fit_or_value_error(cls, kwargs, X, [0, 1, 0, 1, 0, 1])


@pytest.mark.parametrize("cls", ESTIMATORS)
@given(data=st.data())
def test_sample_weights_of_any_kind_give_a_model_or_a_value_error(cls, data):
    X = data.draw(float_matrices(n_rows=5, n_cols=2), label="X")
    huge = 1e300
    good = hnp.arrays(np.float64, 5, elements=st.one_of(
        st.floats(0, 10), st.sampled_from([0.0, 1e-300, 5e-324, 1e15, huge])))
    bad = st.one_of(
        hnp.arrays(np.float64, st.integers(0, 6), elements=st.one_of(
            st.floats(-1e3, 1e3), st.sampled_from([math.nan, math.inf, -math.inf, -huge]))),
        st.sampled_from([0.0, 1.0, -1.0, math.nan, huge, "1", [[1.0] * 5]]))
    sw = data.draw(st.integers(0, 2).flatmap(lambda i: good if i else bad), label="sample_weight")
    model = _fit_or_value_error(cls, dict(epochs=3, learning_rate=10.0), X, [0, 1, 1, 0, 1],
                                sample_weight=sw)
    if model is not None:
        assert np.isfinite(model.coef_).all()
        _check_probabilities(model, X)


@pytest.mark.parametrize("cls", ESTIMATORS)
@given(X=feature_inputs())
def test_predict_proba_before_fit_is_a_value_error(cls, X):
    with pytest.raises(ValueError, match=r"\w"):
        cls().predict_proba(X[0])


# ----- reproducers of bugs found by fuzzing, fixed since ------------------------------------------
@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("y", [["a", 0, 0], ["a", "b", None]], ids=["text+int", "text+None"])
def test_labels_mixing_text_and_numbers_are_refused_in_words(cls, y):
    with pytest.raises(ValueError, match="mix text with numbers"):
        cls(epochs=2).fit([[0.0], [1.0], [2.0]], np.array(y, dtype=object))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_huge_sample_weights_with_huge_features_stay_finite(cls):
    X = np.array([[0.0, 0.0]] * 4 + [[0.0, 1e100]])
    y = [0, 1, 1, 0, 1]
    model = cls(epochs=3).fit(X, y, sample_weight=1e300)
    assert np.isfinite(model.coef_).all()
    # Only ratios of weights matter (the loss is a weighted mean): equal weights = no weights.
    np.testing.assert_allclose(model.coef_, cls(epochs=3).fit(X, y).coef_, rtol=1e-12)
