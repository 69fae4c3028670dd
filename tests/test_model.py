"""LogisticRegression against scikit-learn on the same objective, and its contract: labels,
threshold, mini-batches, history, divergence, separable data, bad input, estimator checks."""
import warnings

import numpy as np
import pytest
from scipy.special import expit
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.metrics import log_loss
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from logreg import DivergenceWarning, LogisticRegression, SeparableWarning
from logreg.objective import BinaryObjective, Penalty


@pytest.fixture(scope="module")
def cancer():
    """Breast-cancer data, standardized (569 x 30), and the raw features."""
    X_raw, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X_raw), y, X_raw


@pytest.fixture(scope="module")
def blobs():
    """Small overlapping two-class data (not separable), 120 x 3."""
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 60)
    X = rng.normal(size=(120, 3)) + np.outer(y - 0.5, [1.5, -1.0, 0.5])
    return X, y


def our_objective(X, y, penalty, coef, intercept):
    """Our objective J(w, b) at any coefficients (sklearn's too), from the objective module."""
    obj = BinaryObjective(X, np.asarray(y, dtype=float)[:, None])
    W = np.asarray(coef, dtype=float).reshape(-1, 1)
    b = np.asarray(intercept, dtype=float).reshape(1)
    return float(obj.loss(W, b)[0] + penalty.value(W)[0])


def quiet_fit(model, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(*args, **kwargs)


# ----- agreement with scikit-learn ---------------------------------------------------------

@pytest.fixture(scope="module")
def sklearn_l2(cancer):
    X, y, _ = cancer
    return SkLogisticRegression(C=1.0, tol=1e-12, max_iter=100_000).fit(X, y)


def test_newton_matches_sklearn_lbfgs_on_breast_cancer(cancer, sklearn_l2):
    X, y, _ = cancer
    # sklearn's C = 1 is our lambda = 1 / (C * n_samples).
    model = LogisticRegression(solver="newton", penalty="l2", reg_strength=1 / len(y),
                               epochs=100).fit(X, y)
    np.testing.assert_allclose(model.coef_, sklearn_l2.coef_, atol=1e-4, rtol=0)
    np.testing.assert_allclose(model.intercept_, sklearn_l2.intercept_, atol=1e-4, rtol=0)
    assert model.converged_ and model.n_iter_ < 20


def test_gradient_descent_matches_sklearn_lbfgs_on_breast_cancer(cancer, sklearn_l2):
    X, y, _ = cancer
    model = LogisticRegression(solver="gd", learning_rate=1.0, epochs=2500, penalty="l2",
                               reg_strength=1 / len(y)).fit(X, y)
    np.testing.assert_allclose(model.coef_, sklearn_l2.coef_, atol=1e-2, rtol=0)
    np.testing.assert_allclose(model.intercept_, sklearn_l2.intercept_, atol=1e-2, rtol=0)


@pytest.mark.parametrize("penalty, l1_ratio, epochs", [("l1", 1.0, 3000),
                                                       ("elasticnet", 0.5, 1000)])
def test_l1_and_elasticnet_reach_sklearn_saga_objective_with_the_same_zeros(
        cancer, penalty, l1_ratio, epochs):
    X, y, _ = cancer
    C = 0.05
    lam = 1 / (C * len(y))
    # sklearn >= 1.8 selects the penalty by l1_ratio (penalty= is deprecated).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        saga = SkLogisticRegression(C=C, l1_ratio=l1_ratio, solver="saga", tol=1e-10,
                                    max_iter=100_000).fit(X, y)
    ours = LogisticRegression(solver="gd", learning_rate=1.0, epochs=epochs, penalty=penalty,
                              reg_strength=lam, l1_ratio=l1_ratio).fit(X, y)
    pen = Penalty.from_params(penalty, lam, l1_ratio)
    assert (our_objective(X, y, pen, ours.coef_, ours.intercept_)
            <= our_objective(X, y, pen, saga.coef_, saga.intercept_) + 1e-6)
    sk_zero = saga.coef_ == 0
    assert sk_zero.sum() >= 10  # the test means something only if the penalty zeroes many
    np.testing.assert_array_equal(ours.coef_[sk_zero], 0.0)
    assert np.all(ours.coef_[np.abs(saga.coef_) > 1e-3] != 0)


@pytest.mark.parametrize("solver, kwargs", [("newton", {}), ("gd", {"learning_rate": 0.5}),
                                            ("gd", {"penalty": "l1", "reg_strength": 0.01})])
def test_integer_sample_weights_equal_duplicated_rows(blobs, solver, kwargs):
    X, y = blobs
    weights = np.random.default_rng(1).integers(1, 4, size=len(y))
    params = dict(solver=solver, epochs=60, penalty="l2", reg_strength=0.01) | kwargs
    weighted = LogisticRegression(**params).fit(X, y, sample_weight=weights)
    repeated = LogisticRegression(**params).fit(np.repeat(X, weights, axis=0),
                                                np.repeat(y, weights))
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(weighted.intercept_, repeated.intercept_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(weighted.history_["loss"], repeated.history_["loss"], rtol=1e-10)


def test_zero_sample_weight_equals_dropping_the_row(blobs):
    X, y = blobs
    weights = np.ones(len(y))
    weights[::7] = 0
    keep = weights > 0
    a = LogisticRegression(solver="newton", epochs=30).fit(X, y, sample_weight=weights)
    b = LogisticRegression(solver="newton", epochs=30).fit(X[keep], y[keep])
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-9, atol=1e-12)


# ----- labels, probabilities, threshold ----------------------------------------------------

@pytest.mark.parametrize("labels", [("cat", "dog"), (-1, 1), (False, True), (0.0, 1.0)])
def test_any_two_labels_give_the_same_model_as_zero_one(blobs, labels):
    X, y = blobs
    y_labels = np.array(labels)[y]
    reference = LogisticRegression(solver="newton").fit(X, y)
    # Shuffled rows so the first label seen is not the smaller one.
    order = np.random.default_rng(2).permutation(len(y))
    model = LogisticRegression(solver="newton").fit(X[order], y_labels[order])
    assert list(model.classes_) == sorted(labels)
    np.testing.assert_allclose(model.coef_, reference.coef_, rtol=1e-9)
    predicted = model.predict(X)
    assert set(predicted) <= set(labels)
    np.testing.assert_array_equal(predicted == labels[1], reference.predict(X) == 1)


def test_predict_proba_is_the_sigmoid_of_the_decision_function_and_rows_sum_to_one(blobs):
    X, y = blobs
    model = LogisticRegression(epochs=50).fit(X, y)
    proba = model.predict_proba(X)
    assert proba.shape == (len(y), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    expected = expit(X @ model.coef_[0] + model.intercept_[0])
    np.testing.assert_allclose(proba[:, 1], expected, rtol=1e-13)
    np.testing.assert_allclose(model.decision_function(X), X @ model.coef_[0] + model.intercept_[0],
                               rtol=1e-13)


def test_decision_function_sign_agrees_with_predict_at_threshold_one_half(blobs):
    X, y = blobs
    model = LogisticRegression(epochs=50).fit(X, np.where(y == 1, "yes", "no"))
    z = model.decision_function(X)
    np.testing.assert_array_equal(model.predict(X), np.where(z >= 0, "yes", "no"))
    assert model.score(X, np.where(y == 1, "yes", "no")) > 0.8


def test_threshold_moves_predictions_monotonically_without_refitting(blobs):
    X, y = blobs
    model = LogisticRegression(solver="newton").fit(X, y)
    coef = model.coef_.copy()
    p = expit(X @ coef[0] + model.intercept_[0])
    positives = []
    for threshold in [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]:
        model.set_params(threshold=threshold)
        predicted = model.predict(X)
        np.testing.assert_array_equal(predicted, (p >= threshold).astype(int))
        positives.append(predicted == 1)
    np.testing.assert_array_equal(model.coef_, coef)
    assert positives[0].all()
    for looser, stricter in zip(positives, positives[1:]):
        assert np.all(stricter <= looser)  # raising the threshold never adds a positive
    assert positives[1].sum() > positives[3].sum() > positives[5].sum()


# ----- mini-batches ------------------------------------------------------------------------

def test_minibatch_is_reproducible_with_a_seed_and_varies_with_it(blobs):
    X, y = blobs
    def fit(seed):
        return LogisticRegression(batch_size=16, epochs=15, random_state=seed).fit(X, y)
    a, b, c = fit(3), fit(3), fit(4)
    for key in ("loss", "coef", "intercept"):
        np.testing.assert_array_equal(a.history_[key], b.history_[key])
    assert not np.allclose(a.history_["coef"][1:], c.history_["coef"][1:])


@pytest.mark.parametrize("batch_size", [120, 121, 10_000])
def test_batch_at_least_n_samples_is_exactly_full_batch(blobs, batch_size):
    X, y = blobs
    full = LogisticRegression(epochs=20).fit(X, y)
    batch = LogisticRegression(epochs=20, batch_size=batch_size, random_state=0).fit(X, y)
    for key in ("loss", "coef", "intercept"):
        np.testing.assert_array_equal(batch.history_[key], full.history_[key])


def test_batch_size_one_trains(blobs):
    X, y = blobs
    model = LogisticRegression(batch_size=1, epochs=3, learning_rate=0.05,
                               random_state=0).fit(X, y)
    assert model.history_["loss"].shape == (4,)
    assert model.history_["loss"][-1] < model.history_["loss"][0]
    assert model.score(X, y) > 0.8


# ----- history, eval_set, tol, callback, init -----------------------------------------------

def test_history_shapes_and_last_entry_is_the_fitted_model(cancer):
    X, y, _ = cancer
    model = LogisticRegression(epochs=25, learning_rate=0.1).fit(X, y)
    h = model.history_
    assert model.n_iter_ == 25
    assert h["loss"].shape == h["intercept"].shape == (26,)
    assert h["coef"].shape == (26, X.shape[1])
    np.testing.assert_array_equal(h["coef"][-1], model.coef_[0])
    np.testing.assert_array_equal(h["intercept"][-1], model.intercept_[0])
    np.testing.assert_array_equal(h["coef"][0], 0.0)
    assert h["loss"][0] == pytest.approx(np.log(2))
    # Every recorded loss is the objective at that epoch's recorded weights.
    for k in (0, 7, 25):
        p = expit(X @ h["coef"][k] + h["intercept"][k])
        assert h["loss"][k] == pytest.approx(log_loss(y, p), rel=1e-12)


def test_loss_never_increases_with_a_small_learning_rate(cancer):
    X, y, _ = cancer
    model = LogisticRegression(epochs=200, learning_rate=0.1, penalty="l2",
                               reg_strength=0.01).fit(X, y)
    assert np.all(np.diff(model.history_["loss"]) <= 1e-15)
    assert model.history_["loss"][-1] < 0.2


def test_eval_set_records_the_validation_log_loss_of_every_epoch(cancer):
    X, y, _ = cancer
    labels = np.where(y == 1, "benign", "malignant")
    train, val = slice(0, 400), slice(400, None)
    model = LogisticRegression(epochs=30, learning_rate=0.3).fit(
        X[train], labels[train], eval_set=(X[val], labels[val]))
    h = model.history_
    assert h["val_loss"].shape == (31,)
    positive = labels[val] == model.classes_[1]
    for k in range(31):
        p = expit(X[val] @ h["coef"][k] + h["intercept"][k])
        assert h["val_loss"][k] == pytest.approx(log_loss(positive, p), rel=1e-10)


def test_tol_stops_early_when_the_objective_stops_moving(cancer):
    X, y, _ = cancer
    model = LogisticRegression(epochs=10_000, learning_rate=1.0, tol=1e-6, penalty="l2",
                               reg_strength=0.01).fit(X, y)
    assert 10 < model.n_iter_ < 10_000
    # Stopping by tol is not "converged": that is the gradient criterion, checked on its own.
    assert model.converged_ == (model.convergence_["value"] <= model.gtol)
    changes = np.abs(np.diff(model.history_["loss"]))
    assert changes[-1] < 1e-6 and np.all(changes[:-1] >= 1e-6)


def test_unreached_tol_warns_and_is_not_converged(cancer):
    X, y, _ = cancer
    with pytest.warns(ConvergenceWarning, match="tol"):
        model = LogisticRegression(epochs=5, tol=1e-12).fit(X, y)
    assert not model.converged_ and model.n_iter_ == 5


def test_callback_sees_every_epoch_and_can_stop_training(blobs):
    X, y = blobs
    seen = []

    def callback(epoch, model):
        seen.append((epoch, model.coef_.copy(), len(model.history_["loss"])))
        return epoch == 3

    model = LogisticRegression(epochs=50).fit(X, y, callback=callback)
    assert [epoch for epoch, _, _ in seen] == [1, 2, 3]
    assert [length for _, _, length in seen] == [2, 3, 4]
    assert model.n_iter_ == 3 and model.stopped_early_ and not model.converged_
    np.testing.assert_array_equal(seen[-1][1], model.coef_)
    assert model.history_["loss"].shape == (4,)
    # The same three epochs as a fit that simply ran three.
    three = LogisticRegression(epochs=3).fit(X, y)
    np.testing.assert_array_equal(model.coef_, three.coef_)


def test_random_init_is_seeded(blobs):
    X, y = blobs
    def start(seed):
        return LogisticRegression(init="random", random_state=seed, epochs=1).fit(X, y)
    a, b, c = start(5), start(5), start(6)
    np.testing.assert_array_equal(a.history_["coef"], b.history_["coef"])
    assert np.all(a.history_["coef"][0] != 0)
    assert not np.allclose(a.history_["coef"][0], c.history_["coef"][0])
    zeros = LogisticRegression(epochs=1).fit(X, y)
    np.testing.assert_array_equal(zeros.history_["coef"][0], 0.0)


# ----- divergence and separable data -------------------------------------------------------

def assert_all_finite(model):
    assert np.isfinite(model.coef_).all() and np.isfinite(model.intercept_).all()
    for name, values in model.history_.items():
        assert np.isfinite(values).all(), name


@pytest.mark.parametrize("scaled, learning_rate", [(True, 1e4), (False, 100.0)])
def test_huge_learning_rate_diverges_with_a_warning_and_finite_weights(cancer, scaled,
                                                                       learning_rate):
    X, y, X_raw = cancer
    with pytest.warns(DivergenceWarning) as record:
        model = LogisticRegression(learning_rate=learning_rate, epochs=50).fit(
            X if scaled else X_raw, y)
    message = str(record[0].message)
    assert f"learning rate {learning_rate:g}" in message
    # No untried rate is suggested (a tenth of it may diverge too); the numbers are the log-loss
    # the loss curve draws, penalty not counted.
    assert message.endswith("Try a smaller learning rate.")
    assert "log-loss" in message and "penalty not counted" in message
    assert model.diverged_ and not model.converged_
    assert_all_finite(model)
    assert len(model.history_["loss"]) == model.n_iter_ + 1


def test_divergence_keeps_the_last_good_epoch(cancer):
    X, y, _ = cancer
    # An L2 step with learning_rate * reg_strength = 3 multiplies w by -2 every epoch: the
    # objective grows geometrically and passes 1000 x its start after a few epochs.
    params = dict(learning_rate=3.0, penalty="l2", reg_strength=1.0)
    with pytest.warns(DivergenceWarning, match=r"epoch (\d+)"):
        model = LogisticRegression(epochs=50, **params).fit(X, y)
    assert model.diverged_ and 1 <= model.n_iter_ < 50
    assert_all_finite(model)
    np.testing.assert_array_equal(model.history_["coef"][-1], model.coef_[0])
    # A fit that stops at that epoch never sees the blow-up and ends on the same weights.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        good = LogisticRegression(epochs=model.n_iter_, **params).fit(X, y)
    assert not good.diverged_
    np.testing.assert_array_equal(good.coef_, model.coef_)


@pytest.mark.parametrize("solver, epochs", [("gd", 5000), ("newton", 100)])
def test_separable_data_without_penalty_warns_and_stays_finite(solver, epochs):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        model = LogisticRegression(solver=solver, epochs=epochs, learning_rate=1.0).fit(X, y)
    categories = [w.category for w in record]
    assert SeparableWarning in categories
    assert not any(issubclass(c, RuntimeWarning) for c in categories)  # no overflow, no NaN
    assert_all_finite(model)
    np.testing.assert_array_equal(model.predict(X), y)
    assert model.history_["loss"][-1] < 0.05 * np.log(2)


def test_separable_data_with_l2_penalty_does_not_warn():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = (X[:, 0] > 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LogisticRegression(solver="newton", penalty="l2", reg_strength=0.01).fit(X, y)


# ----- bad input and parameters ------------------------------------------------------------

X_OK = np.random.default_rng(0).normal(size=(20, 2))
Y_OK = np.repeat([0, 1], 10)


def with_value(X, row, value):
    X = X.copy()
    X[row, 1] = value
    return X


@pytest.mark.parametrize("X, y, words", [
    (with_value(X_OK, 3, np.nan), Y_OK, ["NaN", "1 row", "Remove or fill"]),
    (with_value(X_OK, 4, np.inf), Y_OK, ["inf", "1 row"]),
    (with_value(X_OK, 4, -np.inf), Y_OK, ["inf"]),
    (with_value(X_OK, 5, 1e200), Y_OK, ["too large", "standardize"]),
    (X_OK, np.zeros(20), ["only one class", "both classes"]),
    (X_OK, Y_OK[:-1], ["20 rows", "19 labels", "one label per row"]),
    (X_OK.reshape(20, 2, 1), Y_OK, ["dim 3"]),
    (X_OK[:, 0], Y_OK, ["2D array", "reshape"]),
    (X_OK, np.arange(20) % 3, ["Only binary classification is supported", "3 classes"]),
    (X_OK, np.linspace(0, 1, 20), ["continuous"]),
], ids=["nan", "inf", "-inf", "huge", "one-class", "lengths", "3d", "1d", "multiclass",
        "continuous-y"])
def test_bad_training_data_is_a_value_error_that_says_what_is_wrong(X, y, words):
    with pytest.raises(ValueError) as error:
        LogisticRegression().fit(X, y)
    for word in words:
        assert word.lower() in str(error.value).lower()


@pytest.mark.parametrize("params, words", [
    ({"learning_rate": 0}, ["learning_rate", "> 0", "got 0"]),
    ({"learning_rate": np.nan}, ["learning_rate"]),
    ({"epochs": 0}, ["epochs", ">= 1"]),
    ({"epochs": 2.5}, ["epochs", "whole number"]),
    ({"batch_size": 0}, ["batch_size"]),
    ({"solver": "sgd"}, ["solver", "'gd'", "'newton'", "'sgd'"]),
    ({"penalty": "l3"}, ["penalty", "'l1'", "'elasticnet'", "'l3'"]),
    ({"reg_strength": -1.0}, ["reg_strength", ">= 0"]),
    ({"l1_ratio": 1.5}, ["l1_ratio", "0 to 1"]),
    ({"threshold": 2}, ["threshold", "0 to 1", "got 2"]),
    ({"tol": -1}, ["tol"]),
    ({"init": "ones"}, ["init", "'zeros'", "'random'"]),
    ({"random_state": "seed"}, ["random_state"]),
])
def test_bad_parameters_are_value_errors_naming_the_parameter(params, words):
    with pytest.raises(ValueError) as error:
        LogisticRegression(**params).fit(X_OK, Y_OK)
    for word in words:
        assert word in str(error.value)


@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
def test_newton_with_l1_is_a_value_error_that_suggests_gd(penalty):
    with pytest.raises(ValueError, match=r"solver='newton'.*L1.*solver='gd'"):
        LogisticRegression(solver="newton", penalty=penalty, reg_strength=0.1).fit(X_OK, Y_OK)


def test_bad_sample_weight_and_eval_set_are_value_errors():
    with pytest.raises(ValueError, match="one weight per sample"):
        LogisticRegression().fit(X_OK, Y_OK, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match="non-negative"):
        LogisticRegression().fit(X_OK, Y_OK, sample_weight=-np.ones(20))
    with pytest.raises(ValueError, match="only one class"):
        weights = (Y_OK == 1).astype(float)  # every negative sample weighs 0
        LogisticRegression().fit(X_OK, Y_OK, sample_weight=weights)
    with pytest.raises(ValueError, match="do not occur in the training labels"):
        LogisticRegression().fit(X_OK, Y_OK, eval_set=(X_OK, Y_OK + 5))
    with pytest.raises(ValueError, match="expecting 2 features"):
        LogisticRegression().fit(X_OK, Y_OK, eval_set=(X_OK[:, :1], Y_OK))


def test_predicting_on_bad_input_is_a_value_error(blobs):
    X, y = blobs
    model = LogisticRegression(epochs=5).fit(X, y)
    with pytest.raises(ValueError, match="expecting 3 features"):
        model.predict(X[:, :2])
    with pytest.raises(ValueError, match="NaN"):
        model.predict_proba(with_value(X, 0, np.nan))


# ----- scikit-learn's estimator checks -----------------------------------------------------

@parametrize_with_checks([LogisticRegression()])
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SeparableWarning)
        check(estimator)
