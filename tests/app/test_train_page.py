"""Train page: every control changes the figure it should, checked against a fresh logreg run."""

from __future__ import annotations

import numpy as np
import pytest

from logreg import metrics
from logreg.pipeline import boundary_grid
from logreg.replay_figure import replay_frame_epochs
from ui import presets
from ui.compute import REPLAY_RES
from ui.state import durable_key

from .conftest import (annotation_texts, assert_clean, bad_numbers, chart, charts, contour_level,
                       goto, heatmap_z, metric_value, reference_run, replay_picture, state,
                       subtitle, texts, title,
                       trace,
                       values, weights)


def loss_y(at):
    return values(trace(chart(at, "loss_chart"), "train loss")["y"]).astype(float)


def loss_x(at):
    return values(trace(chart(at, "loss_chart"), "train loss")["x"]).astype(float)


def pct(text: str) -> float:
    return float(text.rstrip("%")) / 100


def train_page(app, **data):
    """Run the app, set generator settings on the Data page, open Train."""
    at = app.run()
    for name, value in data.items():
        widget = {"kind": at.selectbox, "noise": at.slider, "n_samples": at.slider,
                  "data_seed": at.number_input}[name]
        widget(key=f"w_{name}").set_value(value).run()
    return goto(at, "train")


def test_default_run_matches_logreg(app):
    at = train_page(app, n_samples=200)
    ref = reference_run(at)
    np.testing.assert_allclose(loss_y(at), ref.model.history_["data_loss"], rtol=1e-9)
    np.testing.assert_array_equal(loss_x(at), np.arange(state(at, "epochs") + 1))
    boundary = chart(at, "boundary_chart")
    assert contour_level(boundary) == 0.5
    assert "epoch 200</b>" in trace(boundary, "epoch")["text"][0]
    w = weights(chart(at, "coef_chart"))
    for name, value in zip(ref.features.names, ref.model.coef_.ravel()):
        assert w[name] == pytest.approx(value, rel=1e-9, abs=1e-12)
    accuracy = np.mean((ref.p_train >= 0.5) == (ref.y_train == 1))
    assert metric_value(at, "Training accuracy") == f"{accuracy:.1%}"
    assert metric_value(at, "Epochs run") == "200"


def test_learning_rate_epochs_batch_and_solver(app):
    at = train_page(app, n_samples=200)
    before = loss_y(at)

    at.select_slider(key="w_learning_rate").set_value(0.03).run()
    assert_clean(at)
    slow = loss_y(at)
    assert slow.shape == before.shape and not np.allclose(slow, before)
    assert slow[-1] > before[-1]  # smaller steps: less progress in the same epochs
    np.testing.assert_allclose(slow, reference_run(at).model.history_["data_loss"], rtol=1e-9)

    at.select_slider(key="w_epochs").set_value(50).run()
    assert_clean(at)
    assert loss_x(at).tolist() == list(range(51))
    np.testing.assert_allclose(loss_y(at), slow[:51], rtol=1e-9)  # same path, cut at 50

    at.select_slider(key="w_batch_size").set_value(32).run()
    assert_clean(at)
    minibatch = loss_y(at)
    assert minibatch.shape == (51,) and not np.allclose(minibatch, slow[:51])
    np.testing.assert_allclose(minibatch, reference_run(at).model.history_["data_loss"],
                               rtol=1e-9)

    at.select_slider(key="w_batch_size").set_value(0).run()
    at.radio(key="w_solver").set_value("newton").run()
    assert_clean(at)
    ref = reference_run(at)
    assert ref.model.n_iter_ < 50  # Newton converges and stops early
    np.testing.assert_allclose(loss_y(at), ref.model.history_["data_loss"], rtol=1e-9)
    assert metric_value(at, "Epochs run") == str(ref.model.n_iter_)


def test_l1_penalty_zeroes_weights_on_breast_cancer(app):
    at = app.run()
    at.radio(key="w_source").set_value("builtin").run()
    goto(at, "train")
    dense = weights(chart(at, "coef_chart"))
    assert len(dense) == 30 and all(v != 0 for v in dense.values())
    assert at.select_slider(key="w_reg_strength").disabled  # no penalty: λ is off

    at.selectbox(key="w_penalty").set_value("l1").run()
    at.select_slider(key="w_reg_strength").set_value(0.03).run()
    assert_clean(at)
    fig = chart(at, "coef_chart")
    sparse = weights(fig)
    zeros = {n for n, v in sparse.items() if v == 0.0}
    ref = reference_run(at)
    expected = {n for n, v in zip(ref.features.names, ref.model.coef_.ravel()) if v == 0.0}
    assert zeros == expected and 5 <= len(zeros) < 30
    assert trace(fig, "exactly 0")["type"] == "scatter"
    assert f"{len(zeros)} of 30 weights are exactly 0" in subtitle(fig)

    # A stronger λ keeps fewer features.
    at.select_slider(key="w_reg_strength").set_value(0.1).run()
    stronger = {n for n, v in weights(chart(at, "coef_chart")).items() if v == 0.0}
    assert len(stronger) > len(zeros)


def _closed_level_set(z: np.ndarray, level: float) -> bool:
    """True when one side of ``z = level`` lies strictly inside the grid (a closed contour)."""
    border = np.concatenate([z[0], z[-1], z[:, 0], z[:, -1]])
    inside = z[1:-1, 1:-1]
    if (border < level).all():
        return bool((inside >= level).any())
    if (border >= level).all():
        return bool((inside < level).any())
    return False


def test_polynomial_degree_closes_the_circles_boundary(app):
    at = train_page(app, kind="circles", noise=0.1, n_samples=300)
    line = heatmap_z(chart(at, "boundary_chart"))
    assert not _closed_level_set(line, 0.5)
    flat_accuracy = pct(metric_value(at, "Training accuracy"))
    assert flat_accuracy < 0.7  # a straight line cannot split a ring from a disc

    at.slider(key="w_degree").set_value(2).run()
    assert_clean(at)
    curved = heatmap_z(chart(at, "boundary_chart"))
    assert curved.shape == line.shape and np.abs(curved - line).max() > 0.2
    assert _closed_level_set(curved, 0.5)
    assert pct(metric_value(at, "Training accuracy")) > 0.9
    names = set(weights(chart(at, "coef_chart")))
    assert names == {"x1", "x2", "x1^2", "x1 x2", "x2^2"}


def frame(fig: dict, epoch: int) -> dict:
    """The replay figure's frame for ``epoch``: epoch text, weight bars (+, -), loss marker and
    the probability picture."""
    (found,) = [f for f in fig["frames"] if f["name"] == str(epoch)]
    return found


def frame_picture(fig: dict, epoch: int):
    return replay_picture(fig, frame(fig, epoch)["layout"]["images"][0]["source"])


def test_replay_frames_carry_every_epoch_s_boundary_loss_and_weights(app):
    at = train_page(app, n_samples=200)
    at.slider(key="w_threshold").set_value(0.35).run()
    assert_clean(at)
    ref = reference_run(at)
    fig = chart(at, "boundary_chart")
    assert [f["name"] for f in fig["frames"]] == [str(e) for e in replay_frame_epochs(200)]
    assert contour_level(fig) == 0.35
    assert not bad_numbers(fig)
    history = ref.model.history_
    middle = int(replay_frame_epochs(200)[len(fig["frames"]) // 2])
    for epoch in (0, middle, 200):
        text, positive, negative, marker = frame(fig, epoch)["data"]
        # The picture is the recorded model's grid at that epoch (replayed by logreg), in whole
        # percent, with the p = 0.35 line drawn where the grid crosses 0.35.
        xs, ys, p = boundary_grid(ref, epochs=[epoch], resolution=REPLAY_RES)
        percent, line = frame_picture(fig, epoch)
        np.testing.assert_allclose(percent[~line], p[0][~line] * 100, atol=0.5 + 1e-4)
        crossing = np.diff(p[0] >= 0.35, axis=1)
        assert (line[:, :-1] | line[:, 1:])[crossing].all()  # the line is where p crosses
        assert crossing.any() or not line.any()
        assert line.mean() < 0.05
        # The loss marker sits on the loss curve at that epoch; the bars are that epoch's weights.
        assert marker["x"] == [epoch]
        assert marker["y"][0] == pytest.approx(history["data_loss"][epoch], rel=1e-9)
        w = values(positive["x"]).astype(float) + values(negative["x"]).astype(float)
        np.testing.assert_allclose(sorted(w), sorted(history["coef"][epoch]), rtol=1e-6,
                                   atol=1e-7)
        assert (values(positive["x"]) >= 0).all() and (values(negative["x"]) <= 0).all()
        assert f"epoch {epoch}</b> ·" in text["text"][0]
    # Epoch 0: zero weights, p = 50% everywhere, loss log 2, no line; said over the plot, not
    # in a box on the points.
    percent, line = frame_picture(fig, 0)
    assert (percent == 50).all() and not line.any()
    assert "p = 0.50 everywhere" in frame(fig, 0)["data"][0]["text"][0]
    assert frame(fig, 0)["data"][3]["y"][0] == pytest.approx(np.log(2))
    assert not annotation_texts(fig)
    # It opens at the last epoch, the epoch the cards describe.
    assert fig["layout"]["sliders"][0]["active"] == len(fig["frames"]) - 1
    assert "epoch 200</b>" in trace(fig, "epoch")["text"][0]
    assert fig["layout"]["images"][0]["source"] == frame(fig, 200)["layout"]["images"][0]["source"]
    assert metric_value(at, "Epochs run") == "200"


def test_replay_epoch_from_the_link_survives_page_switches_until_a_new_run(app):
    app.query_params["replay_epoch"] = "37"
    at = train_page(app, n_samples=200)
    fig = chart(at, "boundary_chart")
    names = [f["name"] for f in fig["frames"]]
    assert "37" in names and fig["layout"]["sliders"][0]["active"] == names.index("37")
    assert "epoch 37</b>" in trace(fig, "epoch")["text"][0]
    assert fig["layout"]["images"][0]["source"] == frame(fig, 37)["layout"]["images"][0]["source"]
    assert at.query_params["replay_epoch"] in ("37", ["37"])  # a copied link reopens it
    for page in ("threshold", "data", "train"):
        goto(at, page)
    assert "epoch 37</b>" in trace(chart(at, "boundary_chart"), "epoch")["text"][0]
    # A new run (another learning rate) opens at its last epoch.
    at.select_slider(key="w_learning_rate").set_value(0.3).run()
    assert_clean(at)
    assert "epoch 200</b>" in trace(chart(at, "boundary_chart"), "epoch")["text"][0]
    assert state(at, "replay_epoch") == -1


def test_threshold_is_one_value_everywhere(app):
    at = train_page(app, n_samples=200)
    ref = reference_run(at)

    def check_threshold_page(t):
        conf = metrics.confusion_at(ref.y_test, ref.p_test, t)
        roc = chart(at, "roc_chart")
        marker = trace(roc, "current threshold")
        assert values(marker["x"]).astype(float) == pytest.approx([conf["fpr"]])
        assert values(marker["y"]).astype(float) == pytest.approx([conf["tpr"]])
        cells = chart(at, "confusion_chart")["data"][0]["text"]
        counts = [[int(str(c).split("<br>")[0]) for c in row] for row in cells]
        assert counts == [[conf["tn"], conf["fp"]], [conf["fn"], conf["tp"]]]
        assert f"At T = {t:.2f}," in texts(at.info)

    at.slider(key="w_threshold").set_value(0.3).run()
    assert contour_level(chart(at, "boundary_chart")) == pytest.approx(0.3)
    accuracy = np.mean((ref.p_train >= 0.3) == (ref.y_train == 1))
    assert metric_value(at, "Training accuracy") == f"{accuracy:.1%}"

    goto(at, "threshold")
    check_threshold_page(0.3)

    at.slider(key="w_threshold").set_value(0.72).run()
    assert_clean(at)
    check_threshold_page(0.72)

    goto(at, "train")
    assert contour_level(chart(at, "boundary_chart")) == pytest.approx(0.72)
    assert "**Threshold:** 0.72" in texts(at.sidebar.markdown)


def test_threshold_slider_shows_the_shared_value_right_after_a_page_switch(app):
    at = train_page(app, n_samples=100)
    at.slider(key="w_threshold").set_value(0.3).run()
    goto(at, "threshold")
    assert at.slider(key="w_threshold").value == pytest.approx(0.3)
    at.slider(key="w_threshold").set_value(0.72).run()
    goto(at, "train")
    assert at.slider(key="w_threshold").value == pytest.approx(0.72)


def test_presets_set_data_and_controls_and_say_what_to_notice(app):
    at = goto(app.run(), "train")
    widgets = {"learning_rate": at.select_slider, "epochs": at.select_slider,
               "degree": at.slider, "penalty": at.selectbox}
    for title_, name in (("Circles need polynomial terms", "degree"),
                         ("L1 makes weights zero", "penalty"),
                         ("Learning rate too high", "learning_rate")):
        preset = presets.BY_TITLE[title_]
        at.selectbox[0].set_value(title_).run()
        at.button[0].click().run()
        assert not at.exception, title_
        for setting, value in preset.settings.items():
            assert state(at, setting) == value, (title_, setting)
        assert widgets[name](key=f"w_{name}").value == preset.settings[name]
        assert preset.explain(reference_run(at), state(at, "threshold")) in texts(at.info)
    # The last preset (learning rate 100): the loss jumps up and down instead of gliding down.
    loss = loss_y(at)
    assert len(loss) == 51 and (np.diff(loss) > 0).sum() >= 5 and loss[-1] > loss.min() + 0.5


def test_divergence_is_explained_and_no_figure_has_nan(app):
    at = app.run()
    at.radio(key="w_source").set_value("builtin").run()
    at.toggle(key="w_standardize").set_value(False).run()
    goto(at, "train")
    at.select_slider(key="w_learning_rate").set_value(100.0).run()
    assert_clean(at)
    assert reference_run(at).model.diverged_  # independent check that this setting diverges
    warnings = texts(at.warning)
    assert "diverged" in warnings and "learning rate" in warnings
    figs = charts(at)
    assert {"boundary_chart", "loss_chart", "coef_chart"} <= set(figs)
    for key, fig in figs.items():
        assert not bad_numbers(fig), (key, bad_numbers(fig)[:5])
    assert any("diverged" in a for a in annotation_texts(figs["loss_chart"]))
    assert len(loss_y(at)) >= 1  # not an empty plot

    for page in ("threshold", "compare"):
        goto(at, page)
        for key, fig in charts(at).items():
            assert not bad_numbers(fig), (page, key, bad_numbers(fig)[:5])


def test_bad_numbers_finds_nan_in_a_plotly_figure():
    """The NaN detector used above can fail: plotly writes NaN as a typed array or as null."""
    import json

    import plotly.graph_objects as go

    fig = json.loads(go.Figure(go.Scatter(x=[0, 1], y=np.array([1.0, np.nan]))).to_json())
    assert bad_numbers(fig)
    fig = json.loads(go.Figure(go.Scatter(x=[0, 1], y=[1.0, float("nan")])).to_json())
    assert bad_numbers(fig)
    fig = json.loads(go.Figure(go.Scatter(x=[0, 1], y=[1.0, 2.0])).to_json())
    assert not bad_numbers(fig)


def test_newton_with_l1_explains_instead_of_failing(app):
    at = goto(app.run(), "train")
    at.radio(key="w_solver").set_value("newton").run()
    at.selectbox(key="w_penalty").set_value("l1").run()
    assert not at.exception and not at.error
    assert any("Newton's method cannot use an L1" in w.value for w in at.warning)
    assert "boundary_chart" not in charts(at)
    # The sidebar still shows (the page did not stop the app's script).
    assert any("Solver" in m.value for m in at.sidebar.markdown)
    at.selectbox(key="w_penalty").set_value("l2").run()
    assert_clean(at)
    assert "boundary_chart" in charts(at)


def test_returning_to_train_shows_the_last_epoch_the_cards_describe(app):
    at = train_page(app, n_samples=200)
    for page in ("threshold", "data", "train"):
        goto(at, page)
    fig = chart(at, "boundary_chart")
    assert "epoch 200</b>" in trace(fig, "epoch")["text"][0]
    assert fig["layout"]["sliders"][0]["active"] == len(fig["frames"]) - 1
    percent, _ = replay_picture(fig)
    assert np.ptp(percent) > 50  # the trained model, not "p = 0.50 everywhere"
    assert metric_value(at, "Epochs run") == "200"
    assert "last epoch, 200" in texts(at.caption)


def test_accuracy_and_weights_charts_are_built_only_while_their_expander_is_open(app):
    """Closed (the default), the page sends no accuracy/weights charts, so a retrain redraws one
    figure in the browser; opened, both are there and agree with the run."""
    app.query_params["train_curves"] = "False"
    at = train_page(app, n_samples=200)
    assert "boundary_chart" in charts(at)
    assert not {"loss_chart", "coef_chart"} & set(charts(at))
    assert [e.label for e in at.expander if e.label.startswith("Accuracy by epoch")]
    at.session_state[durable_key("train_curves")] = True  # the user opens it
    at.run()
    assert_clean(at)
    assert {"loss_chart", "coef_chart"} <= set(charts(at))
    # Both views show the same run: the loss chart's training loss is the replay figure's.
    replay_loss = values(trace(chart(at, "boundary_chart"), "train loss")["y"]).astype(float)
    np.testing.assert_allclose(loss_y(at), replay_loss, rtol=1e-6)


def test_the_files_panel_is_built_only_while_it_is_open(app):
    """Closed (the default), the page sends none of the files' widgets (a first visit skips their
    code in the browser); opened, the report, script, model and predictions files and the model
    upload are all there."""
    app.query_params["train_files"] = "False"
    at = train_page(app, n_samples=200)
    panel = [e for e in at.expander if e.label.startswith("Take this run with you")]
    assert len(panel) == 1
    assert not at.get("download_button") and not at.get("file_uploader")
    assert not [b for b in at.button if b.label.startswith("Prepare the report")]
    at.session_state[durable_key("train_files")] = True  # the user opens it
    at.run()
    assert_clean(at)
    labels = {b.proto.label for b in at.get("download_button")}
    assert labels == {"Download a Python script that rebuilds it", "Download this model (JSON)",
                      "Download predictions (CSV)"}
    assert [b for b in at.button if b.label == "Prepare the report (HTML)"]
    assert len(at.get("file_uploader")) == 1
