"""Every page on every kind of data; About, the sidebar, and the URL round trip (the Runs page:
test_runs_page.py)."""

from __future__ import annotations

import numpy as np
import pytest

from logreg.data import make_dataset

from .conftest import (PAGES, assert_clean, chart, charts, goto, new_app, state, texts, trace,
                       upload, values)
from .test_data_page import good_csv, scatter_points, sorted_rows


def _all_pages(at):
    for page in PAGES:
        goto(at, page)  # asserts: no exception, no st.error
        assert at.title, page
    return at


@pytest.mark.parametrize("source", ["moons", "breast_cancer", "iris", "upload"])
def test_every_page_renders(app, source):
    at = app.run()
    if source == "upload":
        upload(at, "pets.csv", good_csv())
    elif source != "moons":
        at.radio(key="w_source").set_value("builtin").run()
        at.selectbox(key="w_builtin").set_value(source).run()
    assert_clean(at)
    _all_pages(at)
    # The Train page drew its figures on this data (not an empty or "no data" page).
    goto(at, "train")
    assert {"boundary_chart", "loss_chart", "coef_chart"} <= set(charts(at))


def loss(at, key):
    return values(trace(chart(at, key), "train loss")["y"]).astype(float)


def test_about_page_math(app):
    at = goto(app.run(), "about")
    assert len(at.latex) >= 6
    fig = chart(at, 0)
    curve = trace(fig, "σ(z)")
    z, p = values(curve["x"]).astype(float), values(curve["y"]).astype(float)
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-z)), atol=1e-12)


def sidebar_text(at):
    return texts(at.sidebar.markdown)


def test_sidebar_shows_current_data_and_settings(app):
    at = app.run()
    text = sidebar_text(at)
    assert "**Data:** moons" in text and "400 samples" in text
    assert "**Learning rate:** 0.5" in text and "**Threshold:** 0.50" in text
    assert any("about" in str(link.proto.page) for link in at.sidebar.get("page_link"))

    at.radio(key="w_source").set_value("builtin").run()
    goto(at, "train")
    at.select_slider(key="w_learning_rate").set_value(0.1).run()
    at.selectbox(key="w_penalty").set_value("l2").run()
    text = sidebar_text(at)
    assert "breast_cancer" in text and "569 samples" in text
    assert "**Learning rate:** 0.1 " in text and "L2 (λ = 0.01)" in text


def test_query_params_follow_the_settings(app):
    at = app.run()
    assert dict(at.query_params) == {}  # defaults are left out of the link
    at.selectbox(key="w_kind").set_value("circles").run()
    at.number_input(key="w_data_seed").set_value(42).run()
    goto(at, "train")
    at.select_slider(key="w_learning_rate").set_value(0.1).run()
    at.slider(key="w_threshold").set_value(0.35).run()
    params = {k: str(v) for k, v in at.query_params.items()}
    assert params == {"kind": "circles", "data_seed": "42", "learning_rate": "0.1",
                      "threshold": "0.35"}
    at.select_slider(key="w_learning_rate").set_value(0.5).run()  # back to the default
    assert "learning_rate" not in at.query_params


def test_link_restores_data_and_model_in_a_new_session(app):
    # Session A: change settings, then open its link in a fresh session B.
    at = app.run()
    at.selectbox(key="w_kind").set_value("circles").run()
    at.number_input(key="w_data_seed").set_value(7).run()
    at.slider(key="w_n_samples").set_value(200).run()
    goto(at, "train")
    at.select_slider(key="w_learning_rate").set_value(0.1).run()
    at.slider(key="w_degree").set_value(2).run()
    link = {k: str(v) for k, v in at.query_params.items()}
    a_loss = loss(at, "loss_chart")

    b = new_app()
    for k, v in link.items():
        b.query_params[k] = v
    b.run()
    assert_clean(b)
    for name in ("kind", "data_seed", "n_samples", "learning_rate", "degree"):
        assert state(b, name) == state(at, name), name
    assert b.selectbox(key="w_kind").value == "circles"
    assert b.number_input(key="w_data_seed").value == 7
    expected = make_dataset("circles", n_samples=200, noise=0.2, n_classes=2, random_state=7)
    np.testing.assert_allclose(scatter_points(chart(b, 0)), sorted_rows(expected.X))
    goto(b, "train")
    assert b.select_slider(key="w_learning_rate").value == 0.1
    np.testing.assert_allclose(loss(b, "loss_chart"), a_loss, rtol=1e-12)


def test_invalid_query_params_fall_back_to_defaults(app):
    for key, value in {"learning_rate": "banana", "epochs": "7", "noise": "nan",
                       "kind": "<script>", "data_seed": "-5", "threshold": "0.25"}.items():
        app.query_params[key] = value
    at = app.run()
    assert_clean(at)
    assert state(at, "learning_rate") == 0.5 and state(at, "epochs") == 200
    assert state(at, "noise") == 0.2 and state(at, "kind") == "moons"
    assert state(at, "data_seed") == 0
    assert state(at, "threshold") == 0.25  # the one valid value is kept


def test_start_over_restores_every_default_setting(app):
    at = app.run()
    at.selectbox(key="w_kind").set_value("circles").run()
    goto(at, "train")
    at.select_slider(key="w_learning_rate").set_value(3.0).run()
    assert state(at, "learning_rate") == 3.0 and state(at, "kind") == "circles"
    next(b for b in at.sidebar.button if b.label.startswith("Start over")).click().run()
    assert_clean(at)
    from ui.state import SETTINGS
    for setting in SETTINGS:
        assert state(at, setting.name) == setting.default, setting.name
    assert dict(at.query_params) == {}


@pytest.mark.parametrize("page", ["train", "threshold", "multiclass", "compare"])
def test_upload_source_without_a_file_says_how_to_get_data(app, page):
    at = app.run()
    at.radio(key="w_source").set_value("upload").run()
    at = goto(at, page)
    assert any("No data yet" in i.value for i in at.info)
    assert not charts(at)
