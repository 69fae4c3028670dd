"""Property tests: on any small dataset with both classes (values up to 1e3), any solver, penalty
and learning rate, LogisticRegression stays finite and keeps its promises about shapes,
probabilities and the history. Example counts come from the profiles in conftest.py."""
import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import expit

from logreg import DivergenceWarning, LogisticRegression, SeparableWarning

VALUES = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@st.composite
def datasets(draw):
    """``(X, y)``: n in 4..60 rows, d in 1..5 features, labels 0/1 with both present."""
    n = draw(st.integers(4, 60))
    d = draw(st.integers(1, 5))
    X = draw(arrays(np.float64, (n, d), elements=VALUES))
    y = draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    y[:2] = [0, 1]
    return X, y


SETTINGS = st.fixed_dictionaries({
    "solver": st.sampled_from(["gd", "newton"]),
    "penalty": st.sampled_from(["none", "l2", "l1", "elasticnet"]),
    "reg_strength": st.sampled_from([0.0, 1e-3, 0.1, 10.0]),
    "learning_rate": st.sampled_from([1e-4, 0.01, 0.1, 1.0, 10.0]),
    "epochs": st.integers(1, 8),
    "batch_size": st.sampled_from([None, 1, 3, 16]),
    "fit_intercept": st.booleans(),
    "init": st.sampled_from(["zeros", "random"]),
})


def fit(X, y, **params):
    """Fit with the expected warnings (divergence, separable data) silenced and every numpy
    RuntimeWarning (overflow, invalid value) turned into an error."""
    if params.get("solver") == "newton" and params.get("penalty") in ("l1", "elasticnet"):
        params["penalty"] = "l2"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        warnings.simplefilter("ignore", SeparableWarning)
        warnings.simplefilter("error", RuntimeWarning)
        return LogisticRegression(random_state=0, **params).fit(X, y)


@given(data=datasets(), params=SETTINGS)
def test_fit_is_finite_with_consistent_history(data, params):
    X, y = data
    model = fit(X, y, **params)
    n_iter, d = model.n_iter_, X.shape[1]
    assert 0 <= n_iter <= params["epochs"]
    assert np.isfinite(model.coef_).all() and np.isfinite(model.intercept_).all()
    assert model.coef_.shape == (1, d) and model.intercept_.shape == (1,)
    for name, values in model.history_.items():
        assert values.shape[0] == n_iter + 1, name
        assert np.isfinite(values).all(), name
    assert model.history_["coef"].shape == (n_iter + 1, d)
    np.testing.assert_array_equal(model.history_["coef"][-1], model.coef_[0])
    np.testing.assert_array_equal(model.history_["intercept"][-1], model.intercept_[0])
    if not params["fit_intercept"]:
        np.testing.assert_array_equal(model.history_["intercept"], 0.0)


@given(data=datasets(), params=SETTINGS, threshold=st.floats(0, 1))
def test_probabilities_are_in_0_1_and_rows_sum_to_1(data, params, threshold):
    X, y = data
    model = fit(X, y, threshold=threshold, **params)
    proba = model.predict_proba(X)
    assert np.all((proba >= 0) & (proba <= 1))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=2.3e-16)
    with np.errstate(over="ignore"):
        z = X @ model.coef_[0] + model.intercept_[0]
    np.testing.assert_allclose(proba[:, 1], expit(z), rtol=1e-12, atol=1e-300)
    np.testing.assert_array_equal(model.predict(X), (proba[:, 1] >= threshold).astype(int))


@given(data=datasets(), l2=st.sampled_from([0.0, 1e-3, 1.0]), epochs=st.integers(1, 20))
def test_newton_loss_never_increases(data, l2, epochs):
    X, y = data
    model = fit(X, y, solver="newton", penalty="l2", reg_strength=l2, epochs=epochs)
    loss = model.history_["loss"]
    assert not model.diverged_
    # Armijo's rule accepts only decreasing steps; allow the rounding of two summation orders.
    assert np.all(np.diff(loss) <= 1e-12 * np.abs(loss[:-1]) + 1e-300)


@given(data=datasets(), learning_rate=st.sampled_from([1e-3, 0.1, 1.0]),
       batch_size=st.sampled_from([None, 2]), penalty=st.sampled_from(["l1", "elasticnet"]))
def test_huge_l1_penalty_gives_exactly_zero_coefficients(data, learning_rate, batch_size, penalty):
    X, y = data
    # The data gradient is at most max|x| = 1e3 per coefficient, so any soft-threshold of
    # learning_rate * 0.5 * 1e5 sets every coefficient to 0 after the first step.
    model = fit(X, y, solver="gd", penalty=penalty, reg_strength=1e5, l1_ratio=0.5,
                learning_rate=learning_rate, batch_size=batch_size, epochs=3)
    np.testing.assert_array_equal(model.coef_, 0.0)
    np.testing.assert_array_equal(model.history_["coef"][1:], 0.0)
