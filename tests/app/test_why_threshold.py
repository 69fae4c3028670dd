"""Threshold page's calibration and expected-cost charts against fresh logreg.metrics calls."""
from __future__ import annotations

import numpy as np
import pytest

from logreg.decisions import threshold_text

from logreg import metrics

from .conftest import assert_clean, chart, charts, goto, reference_run, state, trace, values


@pytest.fixture
def threshold_page(app):
    at = app.run()
    at.slider(key="w_n_samples").set_value(300).run()
    at.slider(key="w_noise").set_value(0.5).run()
    goto(at, "threshold")
    return at, reference_run(at)


def test_reliability_diagram_matches_calibration_bins_and_brier(threshold_page):
    at, ref = threshold_page
    fig = chart(at, "calibration_chart")
    bins = metrics.calibration_bins(ref.y_test, ref.p_test, 10)
    model = trace(fig, "this model")
    np.testing.assert_allclose(values(model["x"]), bins["prob_pred"], rtol=1e-12)
    np.testing.assert_allclose(values(model["y"]), bins["prob_true"], rtol=1e-12)
    assert [int(t.replace(",", "")) for t in model["text"]] == bins["count"].tolist()
    brier = metrics.brier_score(ref.y_test, ref.p_test)
    assert f"Brier score {brier:.4f}" in fig["layout"]["title"]["subtitle"]["text"]


def test_cost_curve_matches_the_cost_rule(threshold_page):
    at, ref = threshold_page
    at.selectbox(key="w_rule").set_value("cost").run()
    assert_clean(at)
    fig = chart(at, "cost_curve_chart")
    curve = metrics.expected_cost_curve(ref.y_test, ref.p_test, state(at, "cost_fp"),
                                        state(at, "cost_fn"), float(ref.y_test.mean()))
    line = trace(fig, "expected cost")
    np.testing.assert_allclose(values(line["x"]), curve["thresholds"])
    np.testing.assert_allclose(values(line["y"]), curve["cost"], rtol=1e-12)
    best = trace(fig, "cheapest")
    assert values(best["y"])[0] == pytest.approx(curve["best_cost"])
    # One value, one number: the label prints the T the star stands at, and the cases counted.
    x = float(values(best["x"])[0])
    assert best["name"].startswith(f"cheapest: T = {threshold_text(x)},")
    assert len(threshold_text(x)) <= 6
    assert "Counted on the test set" in fig["layout"]["title"]["subtitle"]["text"]
    current = trace(fig, "current")
    t = state(at, "threshold")
    assert values(current["x"])[0] == pytest.approx(t)
    expected_now = metrics.expected_cost(ref.y_test, ref.p_test, t, state(at, "cost_fp"),
                                         state(at, "cost_fn"))
    assert values(current["y"])[0] == pytest.approx(expected_now)
    # The rule chooses on the training set (the honest default): its T costs the minimum of the
    # training set's curve, while the chart shows what that T costs on the test set.
    assert state(at, "tune_on") == "train"
    train_curve = metrics.expected_cost_curve(ref.y_train, ref.p_train, state(at, "cost_fp"),
                                              state(at, "cost_fn"), float(ref.y_train.mean()))
    at_t_on_train = metrics.expected_cost(ref.y_train, ref.p_train, t, state(at, "cost_fp"),
                                          state(at, "cost_fn"))
    assert at_t_on_train == pytest.approx(train_curve["best_cost"], rel=1e-9)


def test_cost_curve_minimum_is_the_rules_cost_when_chosen_on_the_test_set(threshold_page):
    at, ref = threshold_page
    at.selectbox(key="w_rule").set_value("cost").run()
    at.radio(key="w_tune_on").set_value("test").run()
    assert_clean(at)
    curve = metrics.expected_cost_curve(ref.y_test, ref.p_test, state(at, "cost_fp"),
                                        state(at, "cost_fn"), float(ref.y_test.mean()))
    t = state(at, "threshold")
    expected_now = metrics.expected_cost(ref.y_test, ref.p_test, t, state(at, "cost_fp"),
                                         state(at, "cost_fn"))
    assert values(trace(chart(at, "cost_curve_chart"), "current")["y"])[0] == \
        pytest.approx(expected_now)
    assert expected_now == pytest.approx(curve["best_cost"], rel=1e-9)


def test_the_curves_under_the_first_screens_are_drawn_only_while_their_expander_is_open(app):
    """Closed (the default), the Threshold page sends three charts, not seven (a page switch
    draws them all at once); opened by the user, PR, sweep, cost and calibration are there."""
    from ui.state import durable_key
    from ui.thresholds import MORE_CURVES_LABEL

    more = {"pr_chart", "sweep_chart", "cost_curve_chart", "calibration_chart"}
    app.query_params["threshold_curves"] = "False"
    at = app.run()
    goto(at, "threshold")
    assert_clean(at)
    drawn = set(charts(at))
    assert {"roc_chart", "confusion_chart", "hist_chart"} <= drawn
    assert not more & drawn
    assert [e for e in at.expander if e.label == MORE_CURVES_LABEL]
    at.session_state[durable_key("threshold_curves")] = True  # the user opens it
    at.run()
    assert_clean(at)
    assert more <= set(charts(at))
