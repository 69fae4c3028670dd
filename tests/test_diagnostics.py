"""Convergence criterion, swing detection, reference optimum and the run diagnosis (issue 18).

References: finite differences for the gradient, scikit-learn (lbfgs, saga) for the optimum of
the same penalized objective (C = 1 / (lambda n)), closed forms for the sequences.
"""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.preprocessing import StandardScaler

from logreg import LogisticRegression, diagnostics
from logreg import data as lrdata
from logreg import pipeline
from logreg.io import model_from_json, model_to_json
from logreg.objective import BinaryObjective, Penalty
from logreg.solvers import gradient_criterion

LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 3.0, 10.0, 30.0,
                  100.0)


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def moons():
    ds = lrdata.make_dataset("moons", n_samples=400, noise=0.2, random_state=0)
    train, test = lrdata.train_test_split(ds, test_size=0.25, random_state=0)
    return train, test


def objective_value(X, y, penalty, w, b):
    obj = BinaryObjective(X, np.asarray(y, float)[:, None])
    W = np.asarray(w, float).reshape(-1, 1)
    return float(obj.loss(W, np.array([b], float))[0] + penalty.value(W)[0])


def run_moons(moons, **settings):
    train, test = moons
    return pipeline.fit_binary(train.X, train.y, test.X, test.y,
                               feature_names=train.feature_names, class_names=train.class_names,
                               settings=pipeline.TrainSettings(**settings),
                               learning_rates=LEARNING_RATES)


def numbers(text):
    return [float(x) for x in re.findall(r"-?\d[\d,]*\.?\d*(?:e[-+]?\d+)?", text.replace(",", ""))]


# ----- the criterion --------------------------------------------------------------------------

def test_criterion_is_the_largest_entry_of_the_penalized_gradient_by_finite_differences(cancer):
    X, y = cancer
    X = X[:, :5]
    rng = np.random.default_rng(1)
    w, b = rng.normal(size=5), 0.3
    pen = Penalty(l2=0.1)
    obj = BinaryObjective(X, y.astype(float)[:, None])
    _, gW, gb = obj.loss_gradient(w[:, None], np.array([b]))
    h = 1e-6
    fd = [(objective_value(X, y, pen, w + h * e, b) - objective_value(X, y, pen, w - h * e, b))
          / (2 * h) for e in np.eye(5)]
    fd.append((objective_value(X, y, pen, w, b + h) - objective_value(X, y, pen, w, b - h))
              / (2 * h))
    assert gradient_criterion(gW, gb, w[:, None], pen) == pytest.approx(np.max(np.abs(fd)),
                                                                         rel=1e-6)


def test_l1_criterion_is_the_minimum_norm_subgradient():
    pen = Penalty(l1=0.5)
    W = np.array([[0.0], [0.0], [2.0], [-1.0]])
    G = np.array([[0.3], [-0.8], [0.1], [0.1]])
    # zero weight inside the band: 0; zero outside: |g| - l1 = 0.3; nonzero: g + l1 sign(w).
    expected = max(0.0, 0.8 - 0.5, abs(0.1 + 0.5), abs(0.1 - 0.5))
    assert gradient_criterion(G, np.array([0.05]), W, pen) == pytest.approx(expected)


def test_l1_criterion_is_near_zero_at_sklearn_saga_optimum_and_not_elsewhere(cancer):
    X, y = cancer
    C = 0.05
    lam = 1 / (C * len(y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        saga = SkLogisticRegression(C=C, l1_ratio=1.0, solver="saga", tol=1e-12,
                                    max_iter=200_000).fit(X, y)
    obj = BinaryObjective(X, y.astype(float)[:, None])
    W = saga.coef_.T.copy()
    _, gW, gb = obj.loss_gradient(W, saga.intercept_)
    at_optimum = gradient_criterion(gW, gb, W, Penalty(l1=lam))
    assert at_optimum < 1e-5
    W[W != 0] *= 1.1
    _, gW, gb = obj.loss_gradient(W, saga.intercept_)
    assert gradient_criterion(gW, gb, W, Penalty(l1=lam)) > 100 * at_optimum


def test_converged_means_the_criterion_at_the_final_weights(cancer):
    X, y = cancer
    short = LogisticRegression(learning_rate=1.0, epochs=20, penalty="l2",
                               reg_strength=0.01).fit(X, y)
    long = LogisticRegression(learning_rate=1.0, epochs=3000, penalty="l2",
                              reg_strength=0.01).fit(X, y)
    for model in (short, long):
        obj = BinaryObjective(X, y.astype(float)[:, None])
        _, gW, gb = obj.loss_gradient(model.coef_.T, model.intercept_)
        value = gradient_criterion(gW, gb, model.coef_.T, Penalty(l2=0.01))
        assert model.convergence_["value"] == pytest.approx(value, rel=1e-9)
        assert model.history_["grad_norm"][-1] == pytest.approx(value, rel=1e-9)
        assert model.converged_ == (value <= 1e-4)
    assert not short.converged_ and long.converged_


# (Unpenalized, breast cancer is separable: no finite optimum, hence the small L2.)
@pytest.mark.parametrize("kwargs", [dict(solver="gd", learning_rate=1.0, penalty="l2",
                                         reg_strength=0.01),
                                    dict(solver="newton", penalty="l2", reg_strength=0.01),
                                    dict(solver="gd", learning_rate=3.0, penalty="l1",
                                         reg_strength=0.03)])
def test_stop_early_ends_at_the_first_epoch_that_meets_the_criterion(cancer, kwargs):
    X, y = cancer
    full = LogisticRegression(epochs=3000, random_state=0, **kwargs).fit(X, y)
    first = int(np.flatnonzero(full.history_["grad_norm"] <= 1e-4)[0])
    stopped = LogisticRegression(epochs=3000, random_state=0, stop_early=True, **kwargs).fit(X, y)
    assert stopped.n_iter_ == first < 3000
    assert stopped.converged_ and stopped.convergence_["value"] <= 1e-4
    np.testing.assert_array_equal(stopped.coef_[0], full.history_["coef"][first])


def test_model_file_states_the_criterion_and_its_value(cancer):
    X, y = cancer
    model = LogisticRegression(learning_rate=0.5, epochs=50).fit(X, y)
    doc = json.loads(model_to_json(model))
    assert doc["training"]["converged"] is False
    conv = doc["training"]["convergence"]
    assert conv["criterion"] == "largest |gradient| of the penalized objective"
    assert conv["value"] == model.convergence_["value"] > conv["tol"] == 1e-4
    assert model_from_json(json.dumps(doc)).convergence_ == model.convergence_
    bad = json.loads(json.dumps(doc))
    bad["training"]["convergence"]["value"] = -1
    with pytest.raises(ValueError, match="convergence.value"):
        model_from_json(json.dumps(bad))


# ----- swings ---------------------------------------------------------------------------------

def test_find_swing_on_closed_form_sequences():
    falling = 0.3 + 0.4 * 0.9 ** np.arange(200)
    assert diagnostics.find_swing(falling) is None
    cycle = np.concatenate([np.linspace(0.7, 0.32, 100), np.tile([0.31, 0.33], 50)])
    swing = diagnostics.find_swing(cycle)
    assert swing.period == 2 and (swing.low, swing.high) == (0.31, 0.33)
    assert swing.last_epoch == 199 and swing.first_epoch == 199 - 49
    assert swing.rises == 25  # every other epoch of the 50 looked at goes up
    noisy = falling + np.random.default_rng(0).normal(0, 0.05, 200)
    s = diagnostics.find_swing(noisy)
    assert s is not None and s.period is None


def test_moons_at_learning_rate_30_cycles_and_the_tried_rate_does_not(moons):
    run = run_moons(moons, learning_rate=30.0, epochs=200)
    d = run.diagnosis
    assert d.status == "swinging" and d.swing.period == 2
    curve = run.model.history_["data_loss"]
    window = curve[d.swing.first_epoch:]
    assert (d.swing.low, d.swing.high) == (window.min(), window.max())
    assert d.swing.low == pytest.approx(0.3102, abs=1e-4)
    assert d.swing.high == pytest.approx(0.3292, abs=1e-4)
    # The suggestion was fitted: refit it independently and check it neither swings nor blows up.
    check = LogisticRegression(learning_rate=d.suggestion, epochs=200).fit(
        run.features.transform(run.X_train), run.y_train)
    late = check.history_["loss"][-51:]
    assert not check.diverged_ and np.all(np.diff(late) <= 1e-12)
    text = d.sentences[0][1]
    assert f"between {window.min():.4g} and {window.max():.4g}" in text
    assert "every 2 epochs" in text and f"Learning rate {d.suggestion:g} works" in text


def test_moons_at_learning_rate_100_swings_widely(moons):
    run = run_moons(moons, learning_rate=100.0, epochs=200)
    d = run.diagnosis
    assert d.status == "swinging" and d.swing.high / d.swing.low > 5
    assert d.suggestion is not None and d.suggestion < 100


def test_a_smooth_run_is_not_flagged(moons):
    for lr in (0.5, 3.0, 10.0):
        assert run_moons(moons, learning_rate=lr, epochs=200).diagnosis.swing is None


# ----- divergence: the curve's loss and a checked rate -----------------------------------------

def test_divergence_message_uses_the_curves_log_loss_and_a_checked_rate(moons):
    run = run_moons(moons, learning_rate=100.0, epochs=200, penalty="l2", reg_strength=1.0)
    assert run.model.diverged_
    curve = run.model.history_["data_loss"]
    (message,) = run.messages
    jumped = re.search(r"jumped from ([\d.e+-]+) to", message).group(1)
    assert float(jumped) == pytest.approx(curve[-1], rel=1e-3)
    assert "penalty not counted" in message
    d = run.diagnosis
    assert d.status == "diverged" and d.suggestion is not None
    check = LogisticRegression(learning_rate=d.suggestion, epochs=200, penalty="l2",
                               reg_strength=1.0).fit(run.features.transform(run.X_train),
                                                     run.y_train)
    assert not check.diverged_ and diagnostics.find_swing(check.history_["loss"]) is None
    # Every rate named as tried-and-failed does fail.
    for tried in d.tried:
        if not tried.works:
            assert tried.learning_rate > d.suggestion


# ----- the optimum and the gap -----------------------------------------------------------------

def test_not_finished_run_reports_its_gap_to_the_sklearn_optimum(moons):
    run = run_moons(moons, learning_rate=0.5, epochs=200)
    d = run.diagnosis
    assert d.status == "not_finished" and not run.model.converged_
    X = run.features.transform(run.X_train)
    sk = SkLogisticRegression(C=np.inf, tol=1e-12, max_iter=100_000).fit(X, run.y_train)
    best = objective_value(X, run.y_train, Penalty(), sk.coef_, sk.intercept_[0])
    assert d.reference.exact and d.reference.value == pytest.approx(best, abs=1e-9)
    gap = run.model.history_["loss"][-1] - best
    assert d.gap == pytest.approx(gap, rel=1e-4)
    text = d.sentences[0][1]
    assert "Not finished after 200 epochs" in text and f"{gap:.2g}" in text
    # The faster rate is searched for only when a refit is cheap; without the run's own time the
    # search always runs: 1 does not converge in 200 epochs, 3 does (checked independently).
    again = diagnostics.diagnose_run(run.model, pipeline.TrainSettings(learning_rate=0.5),
                                     X, run.y_train, LEARNING_RATES)
    assert [t.learning_rate for t in again.tried] == [1.0, 3.0] and again.suggestion == 3.0
    assert "raise the learning rate to 3 (tried: it converges within 200 epochs)" in \
        again.sentences[0][1]
    assert not LogisticRegression(learning_rate=1.0, epochs=200).fit(X, run.y_train).converged_
    assert LogisticRegression(learning_rate=3.0, epochs=200).fit(X, run.y_train).converged_


@pytest.mark.parametrize("penalty, l1_ratio", [("l1", 1.0), ("elasticnet", 0.5)])
def test_l1_reference_matches_sklearn_saga(cancer, penalty, l1_ratio):
    X, y = cancer
    C = 0.05
    lam = 1 / (C * len(y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        saga = SkLogisticRegression(C=C, l1_ratio=l1_ratio, solver="saga", tol=1e-12,
                                    max_iter=200_000).fit(X, y)
    pen = Penalty.from_params(penalty, lam, l1_ratio)
    best = objective_value(X, y, pen, saga.coef_, saga.intercept_[0])
    ref = diagnostics.reference_optimum(X, y, dict(penalty=penalty, reg_strength=lam,
                                                   l1_ratio=l1_ratio, gtol=1e-4))
    assert ref.exact and ref.value == pytest.approx(best, abs=1e-8)


def test_l2_reference_matches_sklearn_lbfgs(cancer):
    X, y = cancer
    lam = 0.01
    sk = SkLogisticRegression(C=1 / (lam * len(y)), tol=1e-12, max_iter=100_000).fit(X, y)
    best = objective_value(X, y, Penalty(l2=lam), sk.coef_, sk.intercept_[0])
    ref = diagnostics.reference_optimum(X, y, dict(penalty="l2", reg_strength=lam, l1_ratio=0.5,
                                                   gtol=1e-4))
    assert ref.exact and ref.value == pytest.approx(best, abs=1e-10)


@pytest.mark.filterwarnings("ignore::logreg.SeparableWarning")
def test_separable_data_without_penalty_has_no_gap_claim():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = (X[:, 0] > 0).astype(int)
    X[:, 0] += np.where(y == 1, 1.0, -1.0)  # a clear margin
    model = LogisticRegression(learning_rate=0.5, epochs=100).fit(X, y)
    d = diagnostics.diagnose(model, X, y, full_batch=True)
    assert d.status == "never_finishes" and d.gap is None
    assert "Add an L2 penalty" in d.sentences[0][1]


def test_converged_run_says_when(moons):
    run = run_moons(moons, learning_rate=3.0, epochs=200)
    d = run.diagnosis
    first = int(np.flatnonzero(run.model.history_["grad_norm"] <= 1e-4)[0])
    assert d.status == "converged" and d.converged_epoch == first
    assert f"converged at epoch {first}" in d.sentences[0][1]
    stopped = run_moons(moons, learning_rate=3.0, epochs=200, stop_early=True)
    assert stopped.model.n_iter_ == first
    assert "Training stopped there" in stopped.diagnosis.sentences[0][1]


def test_with_a_penalty_the_gap_sentence_says_which_loss(moons):
    run = run_moons(moons, learning_rate=0.1, epochs=50, penalty="l2", reg_strength=0.01)
    d = run.diagnosis
    assert d.status == "not_finished" and d.gap is not None
    text = d.sentences[0][1]
    assert "The log-loss plus penalty (the curve shows the log-loss alone) is" in text
    J = run.model.history_["loss"][-1]
    now = float(re.search(r"alone\) is ([\d.]+),", text).group(1))
    assert now == pytest.approx(J, abs=1e-4) and now != pytest.approx(
        run.model.history_["data_loss"][-1], abs=1e-4)


class _CountingStore(dict):
    """``fitted`` for diagnose_binary: counts the look-ups that found a model."""

    hits = 0

    def get(self, rate):
        model = super().get(rate)
        self.hits += model is not None
        return model


def test_refits_taken_from_runs_already_trained_give_the_same_diagnosis():
    """The Train page hands the diagnosis the runs of the rates the user came from: the result
    (rates tried, what each did, every sentence) is the one fresh refits give."""
    data = lrdata.make_dataset("moons", n_samples=400, noise=0.2, random_state=0)
    train, test = lrdata.train_test_split(data, test_size=0.25, random_state=0)
    rates = (0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 3.0)

    def fit(rate, **options):
        return pipeline.fit_binary(train.X, train.y, test.X, test.y,
                                   feature_names=train.feature_names,
                                   class_names=train.class_names,
                                   settings=pipeline.TrainSettings(epochs=200, learning_rate=rate),
                                   **options)

    fresh = fit(0.1, learning_rates=rates).diagnosis
    assert fresh.status == "not_finished" and len(fresh.tried) == 2  # it refitted 0.3 and 0.5
    store = _CountingStore({r: fit(r, diagnose=False).model for r in (0.3, 0.5)})
    run = fit(0.1, diagnose=False)
    assert run.diagnosis is None
    reused = pipeline.diagnose_binary(run, pipeline.TrainSettings(epochs=200, learning_rate=0.1),
                                      rates, fitted=store)
    assert store.hits == 2 and set(store) == {0.3, 0.5}  # no refit was needed
    assert reused.tried == fresh.tried
    assert reused.sentences == fresh.sentences
    # Without a store, the late diagnosis is the one fit_binary computes itself.
    assert pipeline.diagnose_binary(run, pipeline.TrainSettings(epochs=200, learning_rate=0.1),
                                    rates).sentences == fresh.sentences


# ----- the one line other pages show (Diagnosis.in_short) -----------------------------------

@pytest.mark.filterwarnings("ignore::logreg.SeparableWarning")
def test_in_short_is_one_line_built_from_the_run_with_what_to_do(moons):
    swinging = run_moons(moons, learning_rate=30.0, epochs=200).diagnosis
    assert swinging.status == "swinging"
    assert swinging.in_short == (
        "The loss swings at learning rate 30: these probabilities depend on the last "
        f"epoch. On the Train page, lower the learning rate to {swinging.suggestion:g}.")
    unfinished = run_moons(moons, learning_rate=0.1, epochs=50, penalty="l2",
                           reg_strength=0.01).diagnosis
    assert unfinished.status == "not_finished"
    assert unfinished.in_short.startswith(
        "Not finished after 50 epochs, so these probabilities may still change. On the Train "
        "page, raise the ")
    assert unfinished.in_short.endswith(" or switch to Newton.")  # L2: Newton can do it
    converged = run_moons(moons, learning_rate=3.0, epochs=200).diagnosis
    assert converged.status == "converged" and converged.in_short == ""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = (X[:, 0] > 0).astype(int)
    X[:, 0] += np.where(y == 1, 1.0, -1.0)
    model = LogisticRegression(learning_rate=0.5, epochs=100).fit(X, y)
    never = diagnostics.diagnose(model, X, y, full_batch=True)
    assert never.in_short == ("Never finishes (classes separated after 100 epochs, no "
                              "penalty): these probabilities drift to 0 and 1. On the Train "
                              "page, add an L2 penalty.")
    for d in (swinging, unfinished, never):
        assert len(d.in_short) <= 140, d.in_short
