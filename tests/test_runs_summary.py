"""logreg.runs_summary, logreg.report and logreg.reproduce without the app: names, differences,
scores against scikit-learn, the Wilson interval against statsmodels, the report's HTML."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

from logreg import data as lrdata
from logreg import pipeline, report, runs_summary

BASE = dict(source="generate", kind="moons", n_samples=300, noise=0.3, n_classes=2, balance=0.5,
            data_seed=1, builtin="iris", upload_name="", standardize=True, test_size=0.25,
            learning_rate=0.5, epochs=200, batch_size=0, solver="gd", penalty="none",
            reg_strength=0.01, l1_ratio=0.5, degree=1, init="zeros", train_seed=0, positive="",
            threshold=0.5, rule="slider")


def fit(**changes):
    s = {**BASE, **changes}
    ds = lrdata.make_dataset(s["kind"], n_samples=s["n_samples"], noise=s["noise"],
                             random_state=s["data_seed"])
    train, test = lrdata.train_test_split(ds, test_size=s["test_size"], random_state=s["data_seed"])
    settings = pipeline.TrainSettings(
        learning_rate=s["learning_rate"], epochs=s["epochs"], batch_size=s["batch_size"] or None,
        solver=s["solver"], penalty=s["penalty"], reg_strength=s["reg_strength"],
        degree=s["degree"])
    return s, pipeline.fit_binary(train.X, train.y, test.X, test.y,
                                  feature_names=ds.feature_names, class_names=ds.class_names,
                                  settings=settings)


@pytest.mark.parametrize("changes, name", [
    ({}, "GD, α 0.5, degree 1"),
    ({"penalty": "l2", "reg_strength": 0.01, "degree": 2}, "GD, α 0.5, L2 λ 0.01, degree 2"),
    ({"solver": "newton", "learning_rate": 3.0}, "Newton, degree 1"),
    ({"batch_size": 32, "penalty": "elasticnet", "l1_ratio": 0.25},
     "GD, α 0.5, batch 32, elastic net λ 0.01 (L1 share 0.25), degree 1"),
])
def test_run_name(changes, name):
    assert runs_summary.run_name({**BASE, **changes}) == name


def test_differences_only_name_settings_that_shape_the_run():
    a = {**BASE, "reg_strength": 0.3}  # λ without a penalty shapes nothing
    assert runs_summary.changes_text(a, BASE) == ""
    b = {**BASE, "learning_rate": 0.1, "degree": 3, "test_size": 0.3}
    assert (runs_summary.changes_text(b, BASE)
            == "test share 25% → 30%, α 0.5 → 0.1, degree 1 → 3")
    c = {**BASE, "source": "builtin"}
    assert runs_summary.changes_text(c, BASE) == "data source generate → builtin"
    d = {**BASE, "penalty": "l2"}  # not "penalty no penalty → L2"
    assert runs_summary.changes_text(d, {**BASE, "penalty": "none"}) == "penalty none → L2"


def test_scores_match_sklearn():
    s, run = fit(degree=2)
    scores = runs_summary.run_scores(run, 0.4)
    assert scores.test_accuracy == pytest.approx(accuracy_score(run.y_test, run.p_test >= 0.4))
    assert scores.auc == pytest.approx(roc_auc_score(run.y_test, run.p_test), abs=1e-12)
    assert scores.test_loss == pytest.approx(log_loss(run.y_test, run.p_test), rel=1e-9)
    assert scores.train_loss == pytest.approx(log_loss(run.y_train, run.p_train), rel=1e-9)
    assert scores.epochs == run.model.n_iter_ and scores.threshold == 0.4


def test_pair_sentence_is_built_from_the_runs():
    sa, a = fit(learning_rate=0.01, epochs=50)
    sb, b = fit()
    ka, kb = runs_summary.run_scores(a, 0.5), runs_summary.run_scores(b, 0.5)
    text = runs_summary.pair_sentence("#2", sa, ka, "#1", sb, kb)
    assert text.startswith("#2 differs from #1 in α (0.01 against 0.5), epochs (50 against 200)")
    assert f"test log-loss ({ka.test_loss:.3f} against {kb.test_loss:.3f})" in text
    assert ("a worse test log-loss" in text) == (ka.test_loss > kb.test_loss)
    same = runs_summary.pair_sentence("#3", sb, kb, "#1", sb, kb)
    assert same.startswith("#3 has the same settings as #1")


@pytest.mark.parametrize("k, n", [(0, 10), (3, 10), (10, 10), (87, 100), (1, 2000)])
def test_wilson_interval_matches_statsmodels(k, n):
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = runs_summary.wilson_interval(k, n)
    ref = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert (lo, hi) == pytest.approx(ref, abs=1e-12)


def test_html_report_is_self_contained_and_escapes_text():
    from logreg import figures

    s, run = fit()
    described = report.describe_run(run, label="<b>run</b>", settings=s, threshold=0.5)
    fig = figures.loss_figure(run.epochs, run.model.history_["data_loss"])
    text = report.html_report(title="A & B", data_summary=["moons </script> data"],
                              runs=[described], figures=[("Loss", fig)])
    assert "<b>run</b>" not in text and "&lt;b&gt;run&lt;/b&gt;" in text
    assert "moons </script>" not in text and "A &amp; B" in text
    first = text[text.index("<script>") + 8:text.index("</script>")]
    assert len(first) > 1_000_000 and "plotly.js" in first[:2000]  # inside, not linked
    assert not re.search(r"<script[^>]*\bsrc=", text)  # nothing to fetch: it opens offline
    block = re.search(r"class='figure-data'[^>]*>(.*?)</script>", text, re.S).group(1)
    spec = json.loads(block)
    assert spec["data"][0]["name"] == "train loss"


def test_threshold_reason_follows_the_rule():
    from logreg import metrics

    s, run = fit()
    from logreg.decisions import rule_threshold, threshold_text

    assert report.threshold_reason(run, s, 0.5) == "Threshold 0.50, set by hand."
    for tune_on, y, p, where in (("train", run.y_train, run.p_train, "training set"),
                                 ("test", run.y_test, run.p_test, "test set")):
        choice = metrics.choose_threshold(y, p, "youden", positive_name="'class 1' cases",
                                          negative_name="'class 0' cases")
        youden = {**s, "rule": "youden", "tune_on": tune_on}
        stored = rule_threshold(choice)
        text = report.threshold_reason(run, youden, stored)
        assert text.endswith(choice.reason) and f"chosen by a rule on the {where}" in text
        assert text.startswith(f"Threshold {threshold_text(stored)},")
        # A stored threshold the rule would not choose is said to be so.
        other = report.threshold_reason(run, youden, 0.99)
        assert f"would pick {threshold_text(stored)}" in other
        assert np.isfinite(choice.threshold)
