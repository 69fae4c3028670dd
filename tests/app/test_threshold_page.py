"""Threshold page: rules give what logreg.metrics.choose_threshold gives on the same scores."""

from __future__ import annotations

import re

import numpy as np
import pytest

from logreg import decisions, metrics

from .conftest import (assert_clean, chart, contour_level, goto, metric_value, reference_run,
                       state, texts, trace, values)

RULES = ("youden", "target_tpr", "max_fpr", "cost", "f1")


@pytest.fixture
def threshold_page(app):
    at = app.run()
    at.slider(key="w_n_samples").set_value(300).run()
    at.slider(key="w_noise").set_value(0.5).run()  # overlapping classes: the rules disagree
    goto(at, "threshold")
    return at, reference_run(at)


def expected_choice(at, y, p, rule):
    names = ("class 0", "class 1")
    return metrics.choose_threshold(
        y, p, rule, target_tpr=state(at, "target_tpr"), max_fpr=state(at, "max_fpr"),
        cost_fp=state(at, "cost_fp"), cost_fn=state(at, "cost_fn"),
        prevalence=state(at, "prevalence") or None,  # 0 = the data's own share
        positive_name=f"'{names[1]}' cases", negative_name=f"'{names[0]}' cases")


def marker_point(at):
    marker = trace(chart(at, "roc_chart"), "current threshold")
    return float(values(marker["x"])[0]), float(values(marker["y"])[0])


def check_rule(at, y, p, rule, *, shown_on=None, where="training set"):
    """The rule chose on (y, p); the threshold stored is its shown decimal, which reproduces its
    counts there; the ROC marker is the confusion at that value on the set shown (shown_on)."""
    choice = expected_choice(at, y, p, rule)
    t = decisions.rule_threshold(choice)
    assert state(at, "threshold") == t, rule
    assert decisions.threshold_text(t) in choice.reason
    ours = metrics.confusion_at(y, p, t)
    assert (ours["tpr"], ours["fpr"]) == (choice.tpr, choice.fpr), rule  # same counts
    assert f"Chosen on the {where}: {choice.reason}" in texts(at.success), rule
    ys, ps = shown_on if shown_on is not None else (y, p)
    conf = metrics.confusion_at(ys, ps, t)
    assert marker_point(at) == pytest.approx((conf["fpr"], conf["tpr"])), rule
    assert at.slider(key="w_threshold").disabled  # the rule sets it, not the slider
    return choice


def test_each_rule_sets_the_threshold_choose_threshold_gives(threshold_page):
    at, ref = threshold_page
    chosen = {}
    for rule in RULES:
        at.selectbox(key="w_rule").set_value(rule).run()
        assert_clean(at)
        chosen[rule] = check_rule(at, ref.y_train, ref.p_train, rule,
                                  shown_on=(ref.y_test, ref.p_test)).threshold
    assert len(set(np.round(list(chosen.values()), 6))) >= 3  # the rules really differ here

    # The rule's parameters move the threshold too.
    at.selectbox(key="w_rule").set_value("target_tpr").run()
    at.slider(key="w_target_tpr").set_value(0.99).run()
    high = check_rule(at, ref.y_train, ref.p_train, "target_tpr", shown_on=(ref.y_test, ref.p_test))
    assert high.tpr >= 0.99 and high.threshold < chosen["target_tpr"]

    at.selectbox(key="w_rule").set_value("max_fpr").run()
    at.slider(key="w_max_fpr").set_value(0.02).run()
    strict = check_rule(at, ref.y_train, ref.p_train, "max_fpr", shown_on=(ref.y_test, ref.p_test))
    assert strict.fpr <= 0.02 and strict.threshold > chosen["max_fpr"]

    at.selectbox(key="w_rule").set_value("cost").run()
    at.number_input(key="w_cost_fn").set_value(50.0).run()
    costly_misses = check_rule(at, ref.y_train, ref.p_train, "cost", shown_on=(ref.y_test, ref.p_test))
    assert costly_misses.threshold < chosen["cost"]  # misses cost more: flag more

    # Shown on the training set: the same choice (it was made there).
    at.radio(key="w_eval_on").set_value("train").run()
    assert_clean(at)
    check_rule(at, ref.y_train, ref.p_train, "cost")
    # The optimistic option chooses on the test set, and says it is optimistic.
    at.radio(key="w_eval_on").set_value("test").run()
    at.radio(key="w_tune_on").set_value("test").run()
    assert_clean(at)
    check_rule(at, ref.y_test, ref.p_test, "cost", where="test set")
    assert "Optimistic" in texts(at.warning)

    # One threshold everywhere: the Train page draws the rule's threshold.
    t = state(at, "threshold")
    goto(at, "train")
    assert contour_level(chart(at, "boundary_chart")) == pytest.approx(t)


def test_slider_rule_confusion_and_metrics_table(threshold_page):
    at, ref = threshold_page
    at.slider(key="w_threshold").set_value(0.4).run()
    assert_clean(at)
    conf = metrics.confusion_at(ref.y_test, ref.p_test, 0.4)
    assert marker_point(at) == pytest.approx((conf["fpr"], conf["tpr"]))
    cells = chart(at, "confusion_chart")["data"][0]["text"]
    counts = [[int(str(c).split("<br>")[0]) for c in row] for row in cells]
    assert counts == [[conf["tn"], conf["fp"]], [conf["fn"], conf["tp"]]]
    table = at.table[0].value["value"]  # indexed by metric
    assert table["True positive rate (recall)"] == f"{conf['tpr']:.1%}"
    assert table["False positive rate"] == f"{conf['fpr']:.1%}"
    assert table["Accuracy"] == f"{conf['accuracy']:.1%}"
    line = chart(at, "hist_chart")["layout"]["shapes"][0]  # the threshold line
    assert line["x0"] == line["x1"] == pytest.approx(0.4)


def test_expected_cost_follows_the_prevalence_input(threshold_page):
    at, ref = threshold_page
    t, cfp, cfn = state(at, "threshold"), state(at, "cost_fp"), state(at, "cost_fn")

    def shown_cost():
        return metric_value(at, "Expected cost per 1,000 cases")

    def iso_slope():
        line = trace(chart(at, "roc_chart"), "same expected cost")
        x, y = values(line["x"]).astype(float), values(line["y"]).astype(float)
        return (y[-1] - y[0]) / (x[-1] - x[0])

    sample = metrics.expected_cost(ref.y_test, ref.p_test, t, cfp, cfn)
    assert shown_cost() == f"{sample:,.1f}"  # 0 = the sample's own share of positives
    results = {}
    for prevalence in (0.05, 0.3):
        at.number_input(key="w_prevalence").set_value(prevalence).run()
        assert_clean(at)
        cost = metrics.expected_cost(ref.y_test, ref.p_test, t, cfp, cfn, prevalence=prevalence)
        assert shown_cost() == f"{sample:,.1f}"  # the sample's stays, next to the entered one
        assert metric_value(at, f"… at {prevalence:.2%} positives") == f"{cost:,.1f}"
        assert iso_slope() == pytest.approx(metrics.iso_cost_slope(cfp, cfn, prevalence))
        results[prevalence] = metric_value(at, f"… at {prevalence:.2%} positives")
    assert results[0.05] != results[0.3]


def test_cost_rule_is_cheapest_at_the_entered_prevalence(threshold_page):
    """Brute force over every candidate threshold: the rule's choice has the lowest expected cost
    at the prevalence the user entered (it once used the sample's share instead)."""
    at, ref = threshold_page
    at.number_input(key="w_prevalence").set_value(0.05).run()
    at.selectbox(key="w_rule").set_value("cost").run()
    assert_clean(at)
    cfp, cfn = state(at, "cost_fp"), state(at, "cost_fn")
    at.radio(key="w_eval_on").set_value("train").run()  # the set the rule chose on
    candidates = np.unique(np.r_[ref.p_train, 1.0])
    costs = metrics.expected_cost(ref.y_train, ref.p_train, candidates, cfp, cfn, prevalence=0.05)
    shown = float(metric_value(at, "… at 5.00% positives").replace(",", ""))
    assert shown == pytest.approx(costs.min(), abs=0.05)
    check_rule(at, ref.y_train, ref.p_train, "cost")  # and the reason sentence says so


# ---- a run that has not finished training is flagged on the Threshold page too --------------

def test_unfinished_run_is_flagged_on_the_threshold_page_and_a_converged_one_is_not(app):
    at = goto(app.run(), "train")
    at.select_slider(key="w_epochs").set_value(20).run()
    assert_clean(at)
    ref = reference_run(at)
    assert not ref.model.converged_ and not ref.model.diverged_  # stopped early by few epochs
    goto(at, "threshold")
    warned = [c.value for c in at.caption if "Not finished" in c.value]
    assert len(warned) == 1, texts(at.caption)
    sentence = warned[0]
    # Built from the run: its epochs, what to do on the Train page; one line (<= 140 characters).
    assert f"Not finished after {ref.model.n_iter_:,} epochs, so these probabilities may still " \
        "change. On the Train page, raise the " in sentence
    assert ref.model.n_iter_ == 20
    assert "or switch to Newton." in sentence  # no penalty: Newton can finish it
    text = sentence.split("hourglass_top: ", 1)[1].rstrip("]")
    assert len(text) <= 140, text
    # The same run, converged (Newton): no warning.
    goto(at, "train")
    at.radio(key="w_solver").set_value("newton").run()
    assert_clean(at)
    assert reference_run(at).model.converged_
    goto(at, "threshold")
    assert not any("Not finished" in c.value or "probabilities" in c.value for c in at.caption)
    assert not any("Not finished" in w.value for w in at.warning)
