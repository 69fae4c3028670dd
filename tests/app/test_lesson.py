"""The guided tour (``lesson=k``): every step's sentences against a fresh fit of its settings,
Back / Next through all steps, the step in the address, and the demo notices' lifetime."""

from __future__ import annotations

import numpy as np
import pytest

from logreg import data as lrdata
from logreg import lesson_text, pipeline
from ui import lesson, presets

from .conftest import (
    assert_clean, chart, goto, reference_run, reference_settings, state, texts, values,
)

N = len(lesson.STEPS)


def lesson_app(app, k: int, **params):
    app.query_params["lesson"] = str(k)
    for name, value in params.items():
        app.query_params[name] = str(value)
    at = app.run()
    assert_clean(at)
    return at


def panel_text(at) -> str:
    return texts(at.markdown)


def step_settings_in_place(at, k):
    for name, value in lesson.STEPS[k - 1].settings.items():
        assert state(at, name) == value, (k, name)


TRAIN_STEPS = [k for k in range(1, N + 1) if lesson.STEPS[k - 1].page == "train"]
MULTICLASS_STEPS = [k for k in range(1, N + 1) if lesson.STEPS[k - 1].page == "multiclass"]


@pytest.mark.parametrize("k", TRAIN_STEPS)
def test_each_train_step_says_what_a_fresh_fit_of_its_settings_shows(app, k):
    at = lesson_app(app, k)
    step = lesson.STEPS[k - 1]
    assert step.page == "train"
    step_settings_in_place(at, k)
    assert f"step {k} of {N}" in panel_text(at)
    ref = reference_run(at)  # fitted from scratch with logreg, not through the app's cache
    other = reference_run(at, **step.compare) if step.compare else None
    expected = step.explain(ref, state(at, "threshold"), other)
    assert expected in panel_text(at)
    # The sentences carry the run's own numbers (spot checks against the fresh fit).
    loss = ref.model.history_["data_loss"]
    if k in (2, 3, 5):
        assert f"{loss[-1]:.3f}" in expected
    if k == 9:
        zeros = int((ref.model.coef_ == 0).sum())
        assert f"sets {zeros} of the 30 weights" in expected
        # ...and the weights chart shows exactly those zeros as diamonds.
        fig = chart(at, "coef_chart")
        (diamonds,) = [t for t in fig["data"] if t.get("marker", {}).get("symbol") == "diamond"]
        assert len(values(diamonds["x"])) == zeros
    if k in (10, 11):
        y, p = ref.y_test, ref.p_test
        t = state(at, "threshold")
        assert f"catches {int(((p >= t) & (y == 1)).sum())} of" in expected
        assert f"{int(((p >= t) & (y == 0)).sum())} false alarms" in expected


@pytest.mark.parametrize("k", MULTICLASS_STEPS)
def test_multiclass_steps_explain_the_hardest_class_from_fresh_fits(app, k):
    at = lesson_app(app, k)
    step_settings_in_place(at, k)
    ds = lrdata.load_builtin("iris")
    train, test = lrdata.train_test_split(ds, test_size=state(at, "test_size"),
                                          random_state=state(at, "data_seed"))
    fits = {kind: pipeline.fit_multiclass(
        train.X, train.y, test.X, test.y, feature_names=ds.feature_names,
        class_names=ds.class_names, settings=reference_settings(at), kind=kind,
        drawn=pipeline.informative_pair(ds.X, ds.y)) for kind in ("ovr", "softmax")}
    losses = fits["ovr"].model.history_["data_loss"][-1]
    worst = ds.class_names[int(np.argmax(losses))]
    if state(at, "compare_softmax"):
        expected = lesson_text.softmax_comparison(fits["ovr"], fits["softmax"])
        assert f"on **{worst}**, the class one-vs-rest finds hardest" in expected
    else:
        expected = lesson_text.one_vs_rest(fits["ovr"])
        assert f"**{worst}**'s own model ends with the highest loss, {losses.max():.3f}" in expected
        # The step shows that class's own model alone.
        assert any(e.proto.id.endswith("-one_class_chart") for e in at.get("plotly_chart"))
    assert expected in panel_text(at)


def test_back_and_next_walk_every_step_and_follow_it_to_its_page(app):
    at = lesson_app(app, 1)
    for k in range(2, N + 1):
        at.button(key="lesson_next").click().run()
        assert_clean(at)
        assert state(at, "lesson") == k
        assert at.query_params["lesson"] == str(k)
        step_settings_in_place(at, k)
        assert f"step {k} of {N}" in panel_text(at)
    assert at.button(key="lesson_next").label == "Finish"  # the last step ends the tour
    assert at.get("plotly_chart") and "regions_ovr" in {e.proto.id.split("-", 2)[-1]
                                                         for e in at.get("plotly_chart")}
    for k in range(N - 1, 0, -1):
        at.button(key="lesson_back").click().run()
        assert_clean(at)
        assert state(at, "lesson") == k
        step_settings_in_place(at, k)
    assert at.button(key="lesson_back").disabled
    at.button(key="lesson_exit").click().run()
    assert state(at, "lesson") == 0 and "lesson" not in at.query_params
    assert "Guided tour" not in panel_text(at)


def test_the_address_opens_a_step_and_keeps_what_else_the_link_says(app):
    at = lesson_app(app, 4, learning_rate=30.0)
    assert state(at, "lesson") == 4
    assert state(at, "learning_rate") == 30.0        # the link's own value wins...
    assert state(at, "kind") == "moons"              # ...over the step's, the rest is the step's
    assert "You changed some of this step's settings" in texts(at.caption)
    at.button(key="lesson_restore").click().run()
    assert state(at, "learning_rate") == 100.0


def test_a_link_to_the_app_root_opens_the_multiclass_step_on_its_page(app):
    at = lesson_app(app, N)
    assert f"step {N} of {N}" in panel_text(at)
    assert any(e.proto.id.endswith("-regions_ovr") for e in at.get("plotly_chart"))


def test_a_train_step_seen_from_another_page_points_to_its_page(app):
    at = lesson_app(app, 3)
    goto(at, "multiclass")
    assert "This step is on the Train page." in panel_text(at)


# ------------------------------------------------------------------------------------------
# Demo notices
# ------------------------------------------------------------------------------------------

def apply_demo(at, title):
    next(s for s in at.selectbox if s.label == "Guided demo").set_value(title).run()
    next(b for b in at.button if b.label == "Apply demo").click().run()
    assert_clean(at)
    return at


def test_demo_notice_is_built_from_the_run_and_goes_when_its_setting_changes(app):
    at = goto(app.run(), "train")
    apply_demo(at, "Learning rate too high")
    ref = reference_run(at)
    assert lesson_text.learning_rate(ref, 0.5) in texts(at.info)
    at.select_slider(key="w_learning_rate").set_value(0.5).run()
    assert "learning rate" not in texts(at.info)
    # Back to 100: the notice does not come back (the user did not ask for it again).
    at.select_slider(key="w_learning_rate").set_value(100.0).run()
    assert "learning rate 100" not in texts(at.info)


def test_start_over_clears_the_notice_and_resets_to_what_its_tooltip_says(app):
    at = goto(app.run(), "train")
    apply_demo(at, "L1 makes weights zero")
    assert "weights to exactly 0" in texts(at.info)
    button = at.sidebar.button[0]
    help_text = button.help
    button.click().run()
    assert_clean(at)
    assert "exactly 0" not in texts(at.info)
    assert presets.NOTICE_KEY not in at.session_state
    for fragment in (f"{state(at, 'n_samples')} generated '{state(at, 'kind')}' points",
                     f"learning rate {state(at, 'learning_rate'):g}",
                     f"{state(at, 'epochs')} epochs", f"threshold {state(at, 'threshold'):.2f}",
                     f"polynomial degree {state(at, 'degree')}"):
        assert fragment in help_text
    assert state(at, "source") == "generate" and state(at, "penalty") == "none"


def test_demo_notices_say_only_what_the_run_shows(app):
    at = goto(app.run(), "train")
    apply_demo(at, "L1 makes weights zero")
    ref = reference_run(at)
    zeros = int((ref.model.coef_ == 0).sum())
    notice = texts(at.info)
    assert "grey bars" not in notice and "a few of the 30" not in notice
    assert f"sets {zeros} of the 30 weights to exactly 0 (the grey diamonds" in notice
    apply_demo(at, "Too few epochs")
    ref = reference_run(at)
    notice = texts(at.info)
    assert "barely moved" not in notice
    acc = ((ref.p_test >= 0.5) == (ref.y_test == 1)).mean()
    assert f"{100 * acc:.1f}% of the test points are on the right side" in notice
    assert f"to {ref.model.history_['data_loss'][-1]:.3f}" in notice


def test_the_demo_menu_waits_for_the_tour_to_end_and_a_step_ends_the_demo_notice(app):
    at = lesson_app(app, 2)
    assert not [s for s in at.selectbox if s.label == "Guided demo"]
    at.button(key="lesson_exit").click().run()
    # AppTest reruns the page it was switched to (Data), not the one the tour routed to.
    goto(at, "train")
    apply_demo(at, "Too few epochs")
    assert "One epoch is one step downhill" in texts(at.info)
    # A control elsewhere that sets the step (the home page's door): the step's settings win
    # over the demo's, and the demo's notice is gone.
    at.session_state["s_lesson"] = 1
    at.run()
    assert_clean(at)
    step_settings_in_place(at, 1)
    assert presets.NOTICE_KEY not in at.session_state
    assert "One epoch is one step downhill" not in texts(at.info)


def test_each_step_names_the_controls_it_is_about():
    from ui import state as app_state

    for step in lesson.STEPS:
        assert step.focus, step.title
        for name in step.focus:
            assert name in app_state.BY_NAME and name in step.settings, (step.title, name)
    # One cause at a time: the three learning-rate steps differ in the learning rate only.
    a, b, c = (lesson.STEPS[i].settings for i in (1, 2, 3))
    assert {n for n in a if a[n] != b[n]} == {n for n in b if b[n] != c[n]} == {"learning_rate"}


def test_finish_on_the_last_step_ends_the_tour(app):
    at = lesson_app(app, N)
    at.button(key="lesson_next").click().run()
    assert_clean(at)
    assert state(at, "lesson") == 0
    assert "lesson" not in at.query_params
    assert not [b for b in at.button if b.key == "lesson_next"]
