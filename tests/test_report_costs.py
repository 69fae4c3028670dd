"""The HTML report states the misclassification costs and the expected cost at its threshold
when the user set them; checked against a hand computation from the confusion matrix."""

from __future__ import annotations

import html

import numpy as np
import pytest

from logreg import report

from test_runs_summary import fit


def hand_costs(y, p, t, cost_fp, cost_fn, prevalence=None):
    """Expected cost per 1,000 cases from the confusion matrix's four counts."""
    flagged = p >= t
    tp, fn = int(np.sum(flagged & (y == 1))), int(np.sum(~flagged & (y == 1)))
    fp, tn = int(np.sum(flagged & (y == 0))), int(np.sum(~flagged & (y == 0)))
    if prevalence is None:  # this set's own share: simply the errors' costs per case
        return 1000 * (fp * cost_fp + fn * cost_fn) / (tp + fn + fp + tn)
    return 1000 * (prevalence * fn / (tp + fn) * cost_fn + (1 - prevalence) * fp / (fp + tn) * cost_fp)


@pytest.mark.parametrize("eval_on", ["test", "train"])
def test_report_states_the_costs_and_the_expected_cost_at_its_threshold(eval_on):
    s, run = fit(cost_fp=2.0, cost_fn=7.5, prevalence=0.12, eval_on=eval_on)
    t = 0.35
    y, p = (run.y_test, run.p_test) if eval_on == "test" else (run.y_train, run.p_train)
    own, there = hand_costs(y, p, t, 2.0, 7.5), hand_costs(y, p, t, 2.0, 7.5, 0.12)
    described = report.describe_run(run, label="run", settings=s, threshold=t, with_costs=True)
    rows = {name: value for name, value, _ in described.metrics}
    assert rows["Expected cost per 1,000 cases"] == f"{own:,.1f}"
    assert rows["Expected cost per 1,000 cases at 12.00% positives"] == f"{there:,.1f}"
    neg, pos = run.class_names
    which = "test" if eval_on == "test" else "training"
    assert (f"a false alarm (a '{neg}' case flagged as '{pos}') costs 2, a miss (a '{pos}' case "
            f"let through) costs 7.5. At T = 0.35 the expected cost is {own:,.1f} per 1,000 "
            f"cases on the {which} set, with its {np.mean(y):.2%} positives, and {there:,.1f} "
            "per 1,000 at 12.00% positives") in described.costs
    text = report.html_report(title="t", data_summary=[], runs=[described])
    assert html.escape(described.costs, quote=True) in text
    assert f"<td class=num>{own:,.1f}</td>" in text


def test_report_without_costs_set_says_nothing_about_them():
    s, run = fit(cost_fp=2.0, cost_fn=7.5)
    described = report.describe_run(run, label="run", settings=s, threshold=0.5)
    assert described.costs == ""
    assert not any("cost" in name for name, _, _ in described.metrics)
    # The sample's own share: no second cost.
    described = report.describe_run(run, label="run", settings={**s, "prevalence": 0.0},
                                    threshold=0.5, with_costs=True)
    assert [n for n, _, _ in described.metrics if "cost" in n] == ["Expected cost per 1,000 cases"]
    assert "positives, the share entered" not in described.costs
