"""Calibration, Brier score and the expected-cost curve against scikit-learn and brute force."""
import numpy as np
import pytest
from sklearn.calibration import calibration_curve as sk_calibration_curve
from sklearn.metrics import brier_score_loss

from logreg import metrics as m


def forecasts(seed, n=3000, prevalence=0.2, decimals=None):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < prevalence).astype(int)
    p = 1 / (1 + np.exp(-(rng.normal(size=n) * 1.5 + np.where(y, 1.0, -1.5))))
    if decimals is not None:  # values on the bin edges (0.1, 0.2, ...) test the edge rule
        p = np.round(p, decimals)
    return y, p


@pytest.mark.parametrize("seed, decimals", [(0, None), (1, 1), (2, 2), (3, None)])
@pytest.mark.parametrize("n_bins", [1, 5, 10, 17])
def test_calibration_curve_equals_sklearn(seed, decimals, n_bins):
    y, p = forecasts(seed, decimals=decimals)
    ours = m.calibration_curve(y, p, n_bins=n_bins)
    theirs = sk_calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_calibration_bins_count_every_case_once():
    y, p = forecasts(4, decimals=1)
    bins = m.calibration_bins(y, p, 10)
    assert bins["count"].sum() == len(y)
    # Each non-empty bin's count is the number of probabilities in it (edges go left, 1.0 last).
    for low, high, count in zip(bins["low"], bins["high"], bins["count"]):
        inside = (p > low) & (p <= high) if low > 0 else (p <= high)
        assert count == inside.sum()


@pytest.mark.parametrize("seed", range(4))
def test_brier_score_equals_sklearn(seed):
    y, p = forecasts(seed)
    assert m.brier_score(y, p) == pytest.approx(brier_score_loss(y, p), rel=1e-12)


def test_probabilities_outside_0_1_are_a_clear_error():
    with pytest.raises(ValueError, match="between 0 and 1"):
        m.brier_score([0, 1], [0.2, 1.5])
    with pytest.raises(ValueError, match="n_bins"):
        m.calibration_curve([0, 1], [0.2, 0.5], n_bins=0)


@pytest.mark.parametrize("prevalence", [None, 0.05, 0.5])
def test_expected_cost_curve_matches_the_cost_rule_and_brute_force(prevalence):
    y, p = forecasts(5, n=800, decimals=3)
    curve = m.expected_cost_curve(y, p, 1.0, 5.0, prevalence)
    np.testing.assert_allclose(curve["cost"],
                               [m.expected_cost(y, p, t, 1.0, 5.0, prevalence)
                                for t in curve["thresholds"]])
    # Brute force over every possible cut (each distinct score, and above the top one).
    cuts = np.r_[np.unique(p), 1.0 + 1e-9]
    brute = min(m.expected_cost(y, p, t, 1.0, 5.0, prevalence) for t in cuts)
    assert curve["best_cost"] == pytest.approx(brute, rel=1e-12)
    # The cost rule's threshold costs the same.
    choice = m.choose_threshold(y, p, "cost", cost_fp=1.0, cost_fn=5.0, prevalence=prevalence)
    assert m.expected_cost(y, p, choice.threshold, 1.0, 5.0, prevalence) == pytest.approx(
        curve["best_cost"], rel=1e-9)
    # The cheapest threshold is a short decimal that costs exactly the minimum: a label can
    # print every digit of it.
    best = curve["best_threshold"]
    assert m.expected_cost(y, p, best, 1.0, 5.0, prevalence) == pytest.approx(
        curve["best_cost"], rel=1e-12)
    assert len(repr(best).replace("0.", "", 1)) <= 4, best


def test_cheapest_threshold_is_a_short_decimal_with_the_same_predictions():
    y = np.array([0, 0, 1, 1, 0, 1])
    p = np.array([0.1, 0.169503504206, 0.169503504207, 0.5, 0.2, 0.9])
    curve = m.expected_cost_curve(y, p, 1.0, 1.0)
    # Any T in (0.169503504206, 0.169503504207] flags the same cases; that interval has no
    # short decimal, so all the digits stay.
    assert 0.169503504206 < curve["best_threshold"] <= 0.169503504207
    y2, p2 = np.array([0, 1, 1, 0]), np.array([0.1, 0.169503504206, 0.6, 0.05])
    curve2 = m.expected_cost_curve(y2, p2, 1.0, 1.0)
    assert curve2["best_threshold"] == 0.1695  # the same two cases flagged as at 0.169503504206
