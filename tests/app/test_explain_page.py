"""The "why" views (issue 15, issue 18 item 3): every figure's JSON against fresh logreg calls."""
from __future__ import annotations

import numpy as np
import pytest

from logreg import inference, metrics, why

from .conftest import assert_clean, chart, goto, reference_run, state, trace, values

PAGE = "pages/explain.py"


def texts_of(elements):
    return [e.value for e in elements]


@pytest.fixture
def explain(app):
    at = app.run()
    at.slider(key="w_n_samples").set_value(300).run()
    goto(at, "train")
    # Newton finishes: the table is the run's own model.
    at.radio(key="w_solver").set_value("newton").run()
    goto(at, PAGE)
    return at


def view(at, name):
    at.segmented_control(key="w_why_view").set_value(name).run()
    assert_clean(at)
    return at


def test_coefficient_table_and_sentences_match_a_fresh_unit_summary(explain):
    at = explain
    ref = reference_run(at)
    expected = inference.unit_summary(ref.model, ref.features, ref.X_train, ref.y_train)
    shown = at.dataframe[0].value
    np.testing.assert_allclose(shown["coefficient (per +1 unit)"], expected["coef"], rtol=1e-9)
    np.testing.assert_allclose(shown["std. error"], expected["std_err"], rtol=1e-9)
    np.testing.assert_allclose(shown["p-value"], expected["p_value"], rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(shown["odds ratio per +1 SD"].iloc[1:],
                               expected["or_per_sd"].iloc[1:], rtol=1e-9)
    # The intercept has no SD (it is not a column): its per-SD cells are empty, shown as a dash.
    assert shown.loc["intercept", ["1 SD (in units)", "odds ratio per +1 SD"]].isna().all()
    assert at.dataframe[0].proto.placeholder == "—"
    target = ref.class_names[1]
    markdown = " ".join(texts_of(at.markdown))
    for _, sentence in inference.top_effects(expected, target):
        assert sentence in markdown
    for line in inference.fit_lines(expected):
        assert line in markdown
    fig = chart(at, "effects_chart")
    points = fig["data"][0]
    order = list(points["y"])
    np.testing.assert_allclose(values(points["x"]), expected.loc[order, "or_per_sd"], rtol=1e-9)
    # The axis on top (a tall chart scrolls in its box); "no effect" labelled under the plot.
    assert fig["layout"]["xaxis"]["side"] == "top"
    label = next(a for a in fig["layout"]["annotations"] if a["text"] == "no effect")
    assert (label["y"], label["yanchor"]) == (0.0, "top")
    markdown = " ".join(texts_of(at.markdown))
    assert "**The strongest effects, in words**" in markdown  # Newton finished: its own fit


def test_unfinished_run_says_the_table_is_the_finished_fit(app):
    at = app.run()
    at.slider(key="w_n_samples").set_value(300).run()
    goto(at, "train")
    at.select_slider(key="w_epochs").set_value(5).run()  # GD far from the optimum
    goto(at, PAGE)
    infos = " ".join(texts_of(at.info))
    assert "Training stopped before the optimum" in infos
    # The sentences say whose numbers they are where they stand (the note is under the plot).
    assert "**The strongest effects of the finished fit (your run stopped before it" in \
        " ".join(texts_of(at.markdown))
    ref = reference_run(at)
    w, b = why.finished_weights(ref)
    shown = at.dataframe[0].value
    w_raw, b_raw = inference.to_raw_units(ref.features, w, b)
    np.testing.assert_allclose(shown["coefficient (per +1 unit)"], np.r_[b_raw, w_raw],
                               rtol=1e-6)


def test_penalized_run_shows_coefficients_without_p_values(explain):
    at = explain
    goto(at, "train")
    at.selectbox(key="w_penalty").set_value("l2").run()
    goto(at, PAGE)
    shown = at.dataframe[0].value
    assert "p-value" not in shown.columns and "std. error" not in shown.columns
    assert any("do not apply" in t for t in texts_of(at.info))


def test_path_figures_match_a_fresh_regularization_path(explain):
    at = explain
    goto(at, "train")
    at.radio(key="w_solver").set_value("gd").run()
    at.selectbox(key="w_penalty").set_value("l1").run()
    goto(at, PAGE)
    view(at, "Penalty path")
    ref = reference_run(at)
    Phi = ref.features.transform(ref.X_train)
    lam = state(at, "reg_strength")
    fig = chart(at, "path_chart")
    first = fig["data"][0]
    lams = values(first["x"])
    assert np.any(np.isclose(lams, lam))  # the current lambda is on the path
    coefs, _ = inference.regularization_path(Phi, ref.y_train, lams, penalty="l1")
    j = list(ref.features.names).index(first["name"])
    np.testing.assert_allclose(values(first["y"]), coefs[:, j], atol=1e-8)
    assert (coefs[-1] == 0).all()  # the strongest lambda removes every weight
    shapes = fig["layout"]["shapes"]
    assert any(np.isclose(s["x0"], lam) for s in shapes)
    loss = chart(at, "path_loss_chart")
    test = trace(loss, "test")
    _, intercepts = inference.regularization_path(Phi, ref.y_train, lams, penalty="l1")
    expected = inference.path_log_loss(ref.features.transform(ref.X_test), ref.y_test, coefs,
                                       intercepts)
    np.testing.assert_allclose(values(test["y"]), expected, rtol=1e-6)


def test_surface_follows_the_run_and_marks_the_optimum(explain):
    at = explain
    view(at, "Loss surface")
    ref = reference_run(at)
    fig = chart(at, "surface_chart")
    path = trace(fig, "solver's path")
    i, j = why.drawn_weights(ref)
    hist = ref.model.history_["coef"]
    np.testing.assert_allclose(values(path["x"]), hist[:, i], rtol=1e-9)
    np.testing.assert_allclose(values(path["y"]), hist[:, j], rtol=1e-9)
    star = trace(fig, "optimum")
    w, _ = why.finished_weights(ref)
    assert values(star["x"])[0] == pytest.approx(w[i], rel=1e-6)
    # The contour's objective at its lowest grid point is the objective's minimum on the grid.
    surface = why.run_surface(ref)
    contour = trace(fig, "training objective", kind="contour")
    np.testing.assert_allclose(values(contour["customdata"]), surface.surface.objective,
                               rtol=1e-9)


def test_surface_draws_the_penalty_level_set(explain):
    at = explain
    goto(at, "train")
    at.selectbox(key="w_penalty").set_value("l2").run()
    goto(at, PAGE)
    view(at, "Loss surface")
    fig = chart(at, "surface_chart")
    level = trace(fig, "penalty's level set", kind="contour")
    assert "circle" in level["name"]
    ref = reference_run(at)
    i, j = why.drawn_weights(ref)
    w, _ = why.finished_weights(ref)
    lam = state(at, "reg_strength")
    others = np.delete(w, [i, j])
    expected = 0.5 * lam * float(w @ w)
    assert level["contours"]["start"] == pytest.approx(expected, rel=1e-2)
    assert float(0.5 * lam * others @ others) < expected


def test_train_weights_hover_states_effects_in_the_columns_units(app):
    """Issue 18 item 3: the weights chart's hover says per +1 unit and per +1 SD (in units)."""
    at = app.run()
    at.slider(key="w_n_samples").set_value(300).run()
    goto(at, "train")
    ref = reference_run(at)
    fig = chart(at, "coef_chart")
    sentences = why.weight_hover_sentences(ref, ref.model.coef_[0], ref.model.intercept_[0])
    hover = [t for tr in fig["data"] if tr["type"] == "bar" for t in tr["hovertext"]]
    assert sorted(h.replace("<br>", "; ") for h in hover) == sorted(sentences.values())
    sd = ref.X_train.std(axis=0)
    for name, s in zip(ref.feature_names, sd):
        assert f"per standard deviation (= {s:.3g} of {name})" in sentences[name]
    assert "standard deviation" in fig["layout"]["xaxis"]["title"]["text"]


def test_about_page_shows_the_current_runs_effects_in_units(app):
    at = app.run()
    at.slider(key="w_n_samples").set_value(300).run()
    goto(at, "about")
    ref = reference_run(at)
    effects = why.unit_effects(ref, ref.model.coef_[0], ref.model.intercept_[0])
    markdown = " ".join(texts_of(at.markdown))
    for effect in effects:
        assert why.unit_effect_sentence(effect, ref.class_names[1]) in markdown


def test_surface_follows_the_replay_epoch_setting(app, monkeypatch):
    """The replay epoch is a setting (issue 18 item 1, engineer h14): the surface reads it.

    Until that setting lands, a stand-in with the name ui.why looks for is added to the table.
    """
    from ui import state as ui_state

    if "replay_epoch" not in ui_state.BY_NAME:
        monkeypatch.setitem(ui_state.BY_NAME, "replay_epoch",
                            ui_state.Setting("replay_epoch", -1, int))
    at = app.run()
    at.slider(key="w_n_samples").set_value(300).run()
    goto(at, "train")
    at.session_state["s_replay_epoch"] = 7
    goto(at, PAGE)
    view(at, "Loss surface")
    fig = chart(at, "surface_chart")
    ref = reference_run(at)
    i, j = why.drawn_weights(ref)
    shown = trace(fig, "solver's path")
    np.testing.assert_allclose(values(shown["x"]), ref.model.history_["coef"][:8, i], rtol=1e-9)
    marker = trace(fig, "the run at the slider's epoch")
    assert values(marker["x"])[0] == pytest.approx(ref.model.history_["coef"][7, i], rel=1e-9)
    assert fig["layout"]["sliders"][0]["steps"][fig["layout"]["sliders"][0]["active"]][
        "label"] == "7"
    n = ref.model.n_iter_
    assert any(f"It opened at epoch 7 of {n:,}, the replay epoch in the page's link" in c.value
               for c in at.caption)


def test_surface_replays_the_path_in_the_browser(explain):
    """The loss surface has its own epoch slider and Play (plotly frames): each frame draws the
    run's own path up to its epoch and the marker at that epoch. Without a replay epoch in the
    link it opens at the last epoch and says so, not "the Train page's replay epoch" (the
    Train replay runs in the browser; the server never learns where its slider was left)."""
    at = explain
    goto(at, "train")
    at.radio(key="w_solver").set_value("gd").run()
    goto(at, PAGE)
    view(at, "Loss surface")
    ref = reference_run(at)
    hist = ref.model.history_["coef"]
    i, j = why.drawn_weights(ref)
    fig = chart(at, "surface_chart")
    names = [t.get("name") for t in fig["data"]]
    shown = names.index("solver's path, epoch by epoch")
    frames = fig["frames"]
    assert len(frames) >= 20 and frames[0]["name"] == "0"
    assert frames[-1]["name"] == str(ref.model.n_iter_)
    for frame in frames:
        e = int(frame["name"])
        assert frame["traces"] == [shown, shown + 1]
        path, marker = frame["data"]
        np.testing.assert_allclose(values(path["x"]), hist[: e + 1, i], rtol=1e-9)
        np.testing.assert_allclose(values(path["y"]), hist[: e + 1, j], rtol=1e-9)
        assert values(path["customdata"]).tolist() == list(range(e + 1))
        assert values(marker["x"])[0] == pytest.approx(hist[e, i], rel=1e-9)
        assert values(marker["y"])[0] == pytest.approx(hist[e, j], rel=1e-9)
    slider = fig["layout"]["sliders"][0]
    assert [s["label"] for s in slider["steps"]] == [f["name"] for f in frames]
    assert slider["steps"][slider["active"]]["label"] == str(ref.model.n_iter_)
    captions = " ".join(c.value for c in at.caption)
    assert f"It opened at the last epoch, {ref.model.n_iter_:,}" in captions
    assert "the Train page's replay epoch" not in captions


def test_path_axes_caption_and_lowest_point_say_what_they_show(app):
    """Both path charts share one λ axis in plain numbers (no "100μ"); the lowest test log-loss
    at an end of the grid says it may lie beyond; the caption gives the finished fit's test
    log-loss at the run's λ next to the run's own, each against a fresh computation."""
    at = app.run()
    at.slider(key="w_n_samples").set_value(300).run()
    goto(at, "train")
    at.select_slider(key="w_learning_rate").set_value(0.1).run()
    at.slider(key="w_degree").set_value(3).run()
    at.selectbox(key="w_penalty").set_value("l2").run()
    at.select_slider(key="w_reg_strength").set_value(0.1).run()
    goto(at, PAGE)
    view(at, "Penalty path")
    ref = reference_run(at)
    path = why.run_path(ref)
    weights, loss = chart(at, "path_chart"), chart(at, "path_loss_chart")
    assert weights["layout"]["xaxis"]["range"] == pytest.approx(loss["layout"]["xaxis"]["range"])
    lo, hi = loss["layout"]["xaxis"]["range"]
    assert lo < np.log10(path.reg_strengths.min()) and hi > np.log10(path.reg_strengths.max())
    for fig in (weights, loss):
        ticks = fig["layout"]["xaxis"]["ticktext"]
        assert ticks and all("μ" not in t for t in ticks)
        np.testing.assert_allclose([float(t) for t in ticks], fig["layout"]["xaxis"]["tickvals"])
    test = path.test_loss[np.argsort(path.reg_strengths)]
    best = int(np.argmin(test))
    star = trace(loss, "lowest test log-loss")
    assert star["name"].startswith(f"lowest test log-loss ({test[best]:.4f} at λ = ")
    assert ("the smallest λ tried" in star["name"]) == (best == 0)
    assert ("the largest λ tried" in star["name"]) == (best == len(test) - 1)
    at_lam = path.test_loss[np.isclose(path.reg_strengths, 0.1)][0]
    own = ref.model.history_["val_loss"][-1]
    caption = " ".join(c.value for c in at.caption)
    assert "Each point of both curves is a model trained to the optimum" in caption
    if f"{at_lam:.3f}" != f"{own:.3f}":
        assert (f"At your λ = 0.1 its test log-loss is {at_lam:.3f}; your run's, after "
                f"{ref.model.n_iter_:,} epochs, is {own:.3f}") in caption
    else:
        assert f"At your λ = 0.1 its test log-loss, {at_lam:.3f}, is your run's." in caption


def test_the_chosen_view_is_a_setting_a_link_opens_on(explain):
    """A link copied on the loss surface opens on the loss surface (it opened on Coefficients)."""
    at = view(explain, "Loss surface")
    assert state(at, "why_view") == "Loss surface"
    assert at.query_params.get("why_view") in ("Loss surface", ["Loss surface"])
    assert chart(at, "surface_chart")
    # Clicking the chosen view again leaves it chosen (the control would show none).
    at.segmented_control(key="w_why_view").set_value(None).run()
    assert state(at, "why_view") == "Loss surface"
    assert at.segmented_control(key="w_why_view").value == "Loss surface"
    assert chart(at, "surface_chart")
