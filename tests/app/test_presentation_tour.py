"""Presentation mode during the guided tour (issue 13 item 2: "keeps only the lesson controls and
the few sliders the current step needs"): on every Train step the control row holds the step's
focus settings only, the others wait in the "More" popover, and the step still says what a
fresh fit of its settings shows."""

from __future__ import annotations

import re

import pytest

from ui import lesson

from .conftest import assert_clean, goto, reference_run, state, texts

N = len(lesson.STEPS)
TRAIN_STEPS = [k for k in range(1, N + 1) if lesson.STEPS[k - 1].page == "train"]
# The Train page's control row: setting -> its widget's key.
ROW = {name: f"w_{name}" for name in ("learning_rate", "epochs", "degree", "penalty",
                                      "reg_strength", "threshold")}
EXPERT = ("w_batch_size", "w_l1_ratio")


def widget_places(at) -> tuple[set, set]:
    """Keys of the widgets on the page itself and of those inside a popover ("More")."""
    out, inside = set(), set()

    def walk(node, in_popover):
        in_popover = in_popover or getattr(node, "type", None) == "popover"
        key = getattr(node, "key", None)
        if key:
            (inside if in_popover else out).add(key)
        for child in getattr(node, "children", {}).values():
            walk(child, in_popover)

    walk(at.main, False)
    return out, inside


def open_step(app, k: int, present: bool = True):
    app.query_params["lesson"] = str(k)
    if present:
        app.query_params["present"] = "1"
    at = goto(app.run(), "train")  # the step moved the first run there; later runs too
    assert at.title[0].value == "Train"
    return at


@pytest.mark.parametrize("k", TRAIN_STEPS)
def test_presentation_keeps_only_the_steps_focus_controls_in_the_row(app, k):
    step = lesson.STEPS[k - 1]
    at = open_step(app, k)
    out, inside = widget_places(at)
    shown = {name for name, key in ROW.items() if key in out}
    assert shown == set(step.focus), (k, step.title, shown, step.focus)
    # The others are still there for the teacher, behind "More"; the expert ones stay hidden.
    assert {ROW[n] for n in ROW if n not in step.focus} <= inside, (k, inside)
    assert not (set(EXPERT) & (out | inside))
    # The lesson's own controls stay on screen.
    assert {"lesson_back", "lesson_next", "lesson_exit"} <= out
    # The step's sentences are still those of a fresh fit of its settings.
    other = reference_run(at, **step.compare) if step.compare else None
    expected = step.explain(reference_run(at), state(at, "threshold"), other)
    assert expected in texts(at.markdown)
    assert f"step {k} of {N}" in texts(at.markdown)


def test_a_control_moved_to_more_still_works_and_the_text_follows(app):
    """Step 2 (learning rate too small) keeps only the learning rate in the row; the epochs,
    behind "More", still change the run and the sentence says so."""
    at = open_step(app, 2)
    assert "w_epochs" in widget_places(at)[1]
    at.select_slider(key="w_epochs").set_value(500).run()
    assert_clean(at)
    assert state(at, "epochs") == 500
    expected = lesson.STEPS[1].explain(reference_run(at), state(at, "threshold"), None)
    assert "after 500 epochs" in expected and expected in texts(at.markdown)


def test_out_of_presentation_mode_the_tour_keeps_every_control_in_the_row(app):
    at = open_step(app, 2, present=False)
    out, _ = widget_places(at)
    assert set(ROW.values()) <= out
    assert "w_batch_size" in widget_places(at)[1]


def test_presentation_without_the_tour_keeps_todays_row(app):
    app.query_params["present"] = "1"
    at = goto(app.run(), "train")
    out, inside = widget_places(at)
    assert set(ROW.values()) <= out
    assert not (set(EXPERT) & (out | inside))


# Words of the Train controls, as a step's title or invitation names them.
CONTROL_WORDS = {"learning rate": "learning_rate", "epochs": "epochs", "degree": "degree",
                 "polynomial": "degree", "penalty": "penalty", "λ": "reg_strength",
                 "threshold": "threshold"}


@pytest.mark.parametrize("k", TRAIN_STEPS)
def test_each_focus_holds_the_controls_its_step_asks_the_audience_to_watch(k):
    """A control the step's title or invitation names is in its focus (so presentation mode
    keeps it in the row), and every focus setting is a control of the Train row."""
    step = lesson.STEPS[k - 1]
    words = f"{step.title} {step.try_this}".lower()
    named = {name for word, name in CONTROL_WORDS.items() if re.search(re.escape(word), words)}
    assert named <= set(step.focus), (step.title, named, step.focus)
    assert set(step.focus) <= set(ROW), (step.title, step.focus)
