"""Presentation mode, the lesson setting and the home page's doors, without a browser
(issue 13 items 2 and 4; the layout itself is checked in tests/e2e/test_layout.py)."""

from __future__ import annotations

import pytest

from ui import lesson

from .conftest import assert_clean, chart, goto, new_app, state


def keys(at) -> set:
    """Keys of every widget drawn on this run."""
    found = set()
    for kind in ("slider", "select_slider", "selectbox", "radio", "toggle", "button",
                 "number_input", "segmented_control"):
        for w in at.get(kind):
            key = getattr(w, "key", None)
            if key:
                found.add(key)
    return found


def open_train(app, query: dict):
    for name, value in query.items():
        app.query_params[name] = value
    at = app.run()
    return goto(at, "train")


@pytest.mark.parametrize("value", ["1", "true", "True"])
def test_present_in_the_url_turns_presentation_mode_on(app, value):
    at = open_train(app, {"present": value})
    assert state(at, "present") is True
    assert at.query_params.get("present") in (["True"], "True")


def test_presentation_mode_hides_expert_controls_and_draws_large_fonts(app):
    at = open_train(app, {"present": "1", "penalty": "elasticnet"})
    drawn = keys(at)
    # Expert controls are gone; the lesson's few sliders stay.
    assert "w_batch_size" not in drawn and "w_l1_ratio" not in drawn
    assert {"w_learning_rate", "w_epochs", "w_degree", "w_threshold"} <= drawn
    for key in ("boundary_chart", "loss_chart", "coef_chart"):
        layout = chart(at, key)["layout"]
        assert layout["xaxis"]["tickfont"]["size"] >= 16, key
        assert layout["yaxis"]["tickfont"]["size"] >= 16, key
        assert layout["title"]["font"]["size"] >= 24, key


def test_normal_mode_keeps_every_control_and_the_normal_fonts(app):
    at = open_train(app, {"penalty": "elasticnet"})
    drawn = keys(at)
    assert {"w_batch_size", "w_l1_ratio", "w_solver", "w_learning_rate"} <= drawn
    layout = chart(at, "boundary_chart")["layout"]
    assert layout["font"]["size"] < 16
    assert "tickfont" not in layout["xaxis"] or layout["xaxis"]["tickfont"].get("size", 0) < 16


def test_leaving_presentation_mode_from_the_train_page(app):
    at = open_train(app, {"present": "1"})
    next(b for b in at.button if b.label == "Leave presentation mode").click().run()
    assert_clean(at)
    assert state(at, "present") is False
    assert "present" not in at.query_params
    assert "w_batch_size" in keys(at)


def test_present_survives_a_page_switch_and_the_toggle_shows_it(app):
    at = open_train(app, {"present": "1"})
    goto(at, "threshold")
    assert state(at, "present") is True
    assert at.toggle(key="w_present").value is True
    assert "present" in at.query_params
    at.toggle(key="w_present").set_value(False).run()
    assert state(at, "present") is False


# A step past the tour's last opens its last step (the screen and the address agree).
@pytest.mark.parametrize("value,expected", [("3", 3), ("0", 0), ("20", len(lesson.STEPS)),
                                            ("21", 0), ("-1", 0), ("two", 0)])
def test_lesson_setting_reads_a_step_from_the_url_and_rejects_bad_ones(app, value, expected):
    app.query_params["lesson"] = value
    at = app.run()
    assert state(at, "lesson") == expected


# ------------------------------------------------------------------------------------------------
# Home page: three doors
# ------------------------------------------------------------------------------------------------

def home():
    at = new_app("home").run()
    assert_clean(at)
    return at


def test_home_page_is_the_first_page_and_says_what_the_app_is():
    at = home()
    assert at.title[0].value == "Watch a computer learn to separate groups"
    assert "logistic regression" in at.markdown[0].value
    labels = [b.label for b in at.button]
    for door in ("Take the guided tour", "Explore the settings", "Choose a threshold for my data"):
        assert door in labels


def test_tour_door_opens_train_at_step_1():
    at = home()
    at.button(key="door_btn_tour").click().run()
    assert_clean(at)
    assert at.title[0].value == "Train"
    assert state(at, "lesson") == 1
    assert at.query_params.get("lesson") in (["1"], "1")


def test_explore_door_opens_train_without_a_tour():
    at = home()
    at.button(key="door_btn_explore").click().run()
    assert_clean(at)
    assert at.title[0].value == "Train"
    assert state(at, "lesson") == 0


def test_my_data_door_opens_the_upload_and_then_points_to_threshold():
    at = home()
    at.button(key="door_btn_mydata").click().run()
    assert_clean(at)
    assert at.title[0].value == "Data"
    assert state(at, "source") == "upload"
    assert at.get("file_uploader")
    csv = "a,b,y\n" + "\n".join(f"{i % 7},{(i * 3) % 5},{'yes' if i % 3 == 0 else 'no'}"
                                for i in range(60))
    at.get("file_uploader")[0].set_value(("mine.csv", csv.encode(), "text/csv")).run()
    assert_clean(at)
    links = [p.proto.page for p in at.get("page_link")]
    assert any("threshold" in str(p) for p in links), links


def test_start_over_keeps_presentation_mode_and_resets_the_model(app):
    at = open_train(app, {"present": "1", "learning_rate": "0.03"})
    assert state(at, "learning_rate") == 0.03
    next(b for b in at.sidebar.button if b.label.startswith("Start over")).click().run()
    assert_clean(at)
    assert state(at, "learning_rate") == 0.5
    assert state(at, "present") is True


def test_home_page_names_every_page_of_the_menu():
    """The caption under the doors lists the menu: every page app.py registers, by its title."""
    import re
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "app.py").read_text()
    titles = re.findall(r'st\.Page\([^)]*?title="([^"]+)"', source, flags=re.S)
    assert len(titles) >= 8, titles
    caption = " ".join(c.value for c in home().caption)
    missing = [t for t in titles if t != "Start here" and f"**{t}**" not in caption]
    assert not missing, (missing, caption)
