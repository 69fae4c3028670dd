"""Issue 18 items 2, 4, 15, 16, 17, 18 on the Train page: every sentence checked against the run.

Each test runs on generated data and on an uploaded CSV whose positive class is ~3% of the rows
(a credit-default file in miniature). Numbers in sentences are parsed and compared with an
independent fit (logreg from scratch, scikit-learn for the optimum).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

from logreg import LogisticRegression
from logreg.diagnostics import find_swing
from ui import presets

from .conftest import (assert_clean, chart, goto, metric_value, reference_run, state, subtitle,
                       texts, trace, upload, values)


def rare_default_csv(n: int = 2000, seed: int = 0) -> bytes:
    """balance, income, age -> default Yes/No with about 3% Yes (age carries no signal)."""
    rng = np.random.default_rng(seed)
    balance = rng.gamma(2.0, 400.0, n)
    income = rng.normal(40_000, 12_000, n)
    age = rng.integers(20, 70, n)
    z = (-6.0 + 2.2 * (balance - balance.mean()) / balance.std()
         - 0.4 * (income - income.mean()) / income.std())
    y = rng.random(n) < 1 / (1 + np.exp(-z))
    rows = ["balance,income,age,default"] + [
        f"{b:.2f},{i:.0f},{a},{'Yes' if t else 'No'}"
        for b, i, a, t in zip(balance, income, age, y)]
    return "\n".join(rows).encode()


def test_fixture_has_a_rare_positive_class():
    text = rare_default_csv().decode().splitlines()[1:]
    share = np.mean([line.endswith(",Yes") for line in text])
    assert 0.02 <= share <= 0.04


def generated(app, **widgets):
    at = app.run()
    if widgets.get("n_samples"):
        at.slider(key="w_n_samples").set_value(widgets["n_samples"]).run()
    return goto(at, "train")


def uploaded(app):
    at = upload(app.run(), "defaults.csv", rare_default_csv())
    assert_clean(at)
    return goto(at, "train")


SOURCES = {"generated": lambda app: generated(app, n_samples=400), "uploaded": uploaded}


def set_control(at, name, value):
    widget = {"learning_rate": at.select_slider, "epochs": at.select_slider,
              "batch_size": at.select_slider, "reg_strength": at.select_slider,
              "solver": at.radio, "penalty": at.selectbox, "stop_early": at.toggle}[name]
    widget(key=f"w_{name}").set_value(value).run()
    assert_clean(at)
    return at


def boxes(at, kind):
    return texts(getattr(at, kind))


def loss_curve(at):
    t = trace(chart(at, "loss_chart"), "train loss")
    return values(t["x"]).astype(int), values(t["y"]).astype(float)


def sklearn_optimum(run):
    """The lowest unpenalized log-loss on the run's training features (sklearn lbfgs, tight)."""
    X = run.features.transform(run.X_train)
    sk = SkLogisticRegression(C=np.inf, tol=1e-12, max_iter=100_000).fit(X, run.y_train)
    p = sk.predict_proba(X)[:, 1]
    y = run.y_train
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))


# ----- item 2: the weights panel claims L1 only when L1 zeroed the weights ---------------------

def replay_epoch_zero_text(at) -> str:
    """What the replay figure says at epoch 0 (its frame's epoch line, its annotations)."""
    fig = chart(at, "boundary_chart")
    (zero,) = [f for f in fig["frames"] if f["name"] == "0"]
    return " ".join([zero["data"][0]["text"][0]]
                    + [a.get("text", "") for a in fig["layout"].get("annotations", [])])


@pytest.mark.parametrize("source", SOURCES)
def test_weights_panel_says_l1_removed_features_only_when_l1_did(app, source):
    at = SOURCES[source](app)
    # Epoch 0 (every weight at its start value 0) is a frame of the replay figure: no claim.
    assert "exactly 0" not in replay_epoch_zero_text(at)
    assert "exactly 0" not in subtitle(chart(at, "coef_chart"))  # no penalty: no claim

    set_control(at, "penalty", "l1")
    set_control(at, "reg_strength", 0.3 if source == "generated" else 0.03)
    ref = reference_run(at)
    zeros = int((ref.model.coef_ == 0).sum())
    assert zeros >= 1
    d = len(ref.features.names)
    assert f"{zeros} of {d} weights are exactly 0 (L1 removed those features)" in subtitle(
        chart(at, "coef_chart"))
    assert "exactly 0" not in replay_epoch_zero_text(at)


# ----- item 4: a run that has not finished says so, with its distance to the optimum ----------

@pytest.mark.parametrize("source", SOURCES)
def test_unfinished_training_says_how_far_it_is_from_the_optimum(app, source):
    at = SOURCES[source](app)
    ref = reference_run(at)
    assert not ref.model.converged_
    text = boxes(at, "info")
    assert "Not finished after 200 epochs" in text
    match = re.search(r"It is ([\d.]+), ([\d.e+-]+) above the lowest it can "
                      r"reach \(([\d.]+), found with Newton's method\)", text)
    assert match, text
    now, gap, best = (float(g) for g in match.groups())
    optimum = sklearn_optimum(ref)
    decimals = len(match.group(3).split(".")[1])
    assert best == pytest.approx(optimum, abs=0.6 * 10 ** -decimals)
    assert now == pytest.approx(ref.model.history_["loss"][-1], abs=0.6 * 10 ** -decimals)
    assert gap == pytest.approx(ref.model.history_["loss"][-1] - optimum, rel=0.05)
    grad = re.search(r"gradient, below 1e-04; it is ([\d.e+-]+?)\.\)", text).group(1)
    assert float(grad) == pytest.approx(ref.model.convergence_["value"], rel=0.05)
    assert "raise the epochs" in text and "Newton" in text


# ----- item 15: a loss that cycles or swings is flagged, with a rate that was tried ------------

@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("rate", [30.0, 100.0])
def test_swinging_loss_is_flagged_with_a_tried_learning_rate(app, source, rate):
    at = SOURCES[source](app)
    set_control(at, "learning_rate", rate)
    text = boxes(at, "warning")
    assert "The loss is not settling" in text, text
    first, last = map(int, re.search(r"in epochs ([\d,]+)-([\d,]+)", text).groups())
    low, high = map(float, re.search(r"between (\d+(?:\.\d+)?) and (\d+(?:\.\d+)?)", text).groups())
    x, y = loss_curve(at)
    window = y[(x >= first) & (x <= last)]
    assert low == pytest.approx(window.min(), rel=1e-3) and high == pytest.approx(window.max(),
                                                                                   rel=1e-3)
    rises = int(re.search(r"went up (\d+) times", text).group(1))
    assert rises == int((np.diff(window) > 0).sum()) >= 2
    suggested = float(re.search(r"Learning rate (\d+(?:\.\d+)?) works", text).group(1))
    assert suggested < rate
    check = reference_run(at, learning_rate=suggested)
    assert not check.model.diverged_
    assert find_swing(check.model.history_["loss"]) is None
    late = check.model.history_["loss"][-51:]
    assert np.all(np.diff(late) <= 1e-12)


def test_moons_at_30_is_called_a_two_epoch_cycle(app):
    at = generated(app, n_samples=400)
    set_control(at, "learning_rate", 30.0)
    assert "repeating every 2 epochs" in boxes(at, "warning")


def test_about_page_promise_is_what_the_train_page_does(app):
    at = goto(app.run(), "about")
    text = texts(at.markdown)
    assert "it names one only after trying it" in text
    assert f"below {LogisticRegression().gtol:g}" in text


# ----- item 16: one loss in the message and the curve; checked rates; clean axes ---------------

@pytest.mark.parametrize("source", SOURCES)
def test_divergence_message_uses_the_curves_loss_and_a_checked_rate(app, source):
    at = SOURCES[source](app)
    set_control(at, "penalty", "l2")
    set_control(at, "reg_strength", 1.0)
    set_control(at, "learning_rate", 100.0)
    ref = reference_run(at)
    assert ref.model.diverged_
    text = boxes(at, "warning")
    before = float(re.search(r"the log-loss jumped from ([\d.e+-]+) to", text).group(1))
    x, y = loss_curve(at)
    assert before == pytest.approx(y[-1], rel=2e-3)  # the curve's last point, 3 digits
    assert "penalty not counted" in text
    assert "such as 10" not in text
    suggested = float(re.search(r"Learning rate (\d+(?:\.\d+)?) works", text).group(1))
    check = reference_run(at, learning_rate=suggested)
    assert not check.model.diverged_ and find_swing(check.model.history_["loss"]) is None
    if len(x) == 1:  # a one-point curve: a readable axis, not 19 digits
        axis = chart(at, "loss_chart")["layout"]["yaxis"]
        assert axis["tickformat"] == ".3~g"
        low, high = axis["range"]
        assert low < y[0] < high and high - low >= 0.02


# ----- item 17: controls that do nothing are greyed out and explained --------------------------

@pytest.mark.parametrize("source", SOURCES)
def test_newton_greys_out_learning_rate_and_batch_and_counts_iterations(app, source):
    at = SOURCES[source](app)
    assert not at.select_slider(key="w_learning_rate").disabled
    set_control(at, "solver", "newton")
    assert at.select_slider(key="w_learning_rate").disabled
    assert at.select_slider(key="w_batch_size").disabled
    assert "Newton's method ignores the learning rate and the batch size" in texts(at.caption)
    sidebar = texts(at.sidebar.markdown)
    assert "Learning rate:" not in sidebar and "not used by Newton" in sidebar
    assert f"Iterations:** {state(at, 'epochs'):,}" in sidebar
    layout = chart(at, "loss_chart")["layout"]
    assert layout["xaxis"]["title"]["text"] == "iteration"


def test_batch_larger_than_training_rows_says_full_batch(app):
    at = generated(app, n_samples=200)
    set_control(at, "batch_size", 512)
    n_train = reference_run(at).X_train.shape[0]
    assert (f"A batch of 512 is at least the {n_train:,} training rows: each step uses all of "
            "them, the same as a full batch.") in texts(at.caption)
    set_control(at, "batch_size", 32)
    assert "same as a full batch" not in texts(at.caption)


def test_data_page_points_slider_has_the_settings_range(app):
    from ui.state import BY_NAME

    at = app.run()
    slider = at.slider(key="w_n_samples")
    assert (slider.min, slider.max) == (BY_NAME["n_samples"].lo, BY_NAME["n_samples"].hi)
    assert slider.max == 100_000


# ----- item 18: converged by a stated criterion; stop early on it ------------------------------

@pytest.mark.parametrize("source", SOURCES)
def test_stop_when_converged_ends_at_the_first_converged_epoch(app, source):
    at = SOURCES[source](app)
    set_control(at, "learning_rate", 3.0 if source == "generated" else 10.0)
    full = reference_run(at)
    first = int(np.flatnonzero(full.model.history_["grad_norm"] <= 1e-4)[0])
    assert f"Finished: converged at epoch {first:,}" in boxes(at, "success")
    assert metric_value(at, "Epochs run") == f"{state(at, 'epochs'):,}"
    assert "Stop early" not in texts(at.sidebar.markdown)
    set_control(at, "stop_early", True)
    assert metric_value(at, "Epochs run") == f"{first:,}"
    assert "Stop early:** at convergence" in texts(at.sidebar.markdown)
    text = boxes(at, "success")
    assert f"converged at epoch {first:,}" in text and "Training stopped there" in text
    value = float(re.search(r"its gradient, is ([\d.e+-]+) at the end", text).group(1))
    assert value == pytest.approx(reference_run(at).model.convergence_["value"], rel=0.05)
    assert value <= 1e-4


def test_l1_demo_shows_a_finished_model(app):
    at = goto(app.run(), "train")
    title = next(p.title for p in presets.PRESETS if "L1" in p.title)
    at.selectbox[0].set_value(title).run()
    at.button[0].click().run()
    assert_clean(at)
    ref = reference_run(at)
    assert ref.model.converged_
    assert "Finished: converged" in boxes(at, "success")
    zeros = int((ref.model.coef_ == 0).sum())
    assert f"{zeros} of 30 weights are exactly 0" in subtitle(chart(at, "coef_chart"))


def test_model_file_carries_convergence_and_stop_early_back_to_the_controls(app):
    import json

    from logreg import pipeline

    at = generated(app, n_samples=400)
    set_control(at, "learning_rate", 3.0)
    set_control(at, "stop_early", True)
    ref = reference_run(at)
    text = pipeline.export_model(ref, "moons", 0.5)
    training = json.loads(text)["training"]
    assert training["converged"] is True
    assert training["convergence"]["value"] == pytest.approx(ref.model.convergence_["value"])
    assert training["convergence"]["value"] <= training["convergence"]["tol"] == 1e-4
    set_control(at, "stop_early", False)
    at.get("file_uploader")[0].set_value(("model.json", text.encode(), "application/json")).run()
    assert_clean(at)
    next(b for b in at.button if b.label == "Use its settings and threshold").click().run()
    assert state(at, "stop_early") is True
