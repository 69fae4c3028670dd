"""Presentation mode on every page (issue 13 item 2): each plotly chart of Data, Train,
Threshold, Why (its three views), Multiclass (softmax and one class alone), Runs and About is
drawn in the large style (ticks >= 16 px on every axis, titles larger), and out of presentation
mode the same charts keep the normal style. The browser's resolved fonts: tests/e2e/
test_presentation_pages.py."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from logreg import _figure_style as style
from ui import presentation

from .conftest import assert_clean, charts, goto

WHY_VIEWS = ("Coefficients", "Penalty path", "Loss surface")


def axes(layout: dict) -> list:
    return [k for k in layout if k.startswith(("xaxis", "yaxis"))]


def assert_large(figs: dict, where: str) -> None:
    assert figs, f"{where}: no chart"
    for key, fig in figs.items():
        layout = fig["layout"]
        assert axes(layout), (where, key)
        for axis in axes(layout):
            assert layout[axis]["tickfont"]["size"] >= 16, (where, key, axis, layout[axis])
        title = layout.get("title")
        if isinstance(title, dict) and title.get("text"):
            assert title["font"]["size"] > style.TITLE_SIZE, (where, key, title)
        assert layout["font"]["size"] >= 16, (where, key)


def assert_normal(figs: dict, where: str) -> None:
    assert figs, f"{where}: no chart"
    for key, fig in figs.items():
        layout = fig["layout"]
        assert layout["font"]["size"] < 16, (where, key)
        for axis in axes(layout):
            assert layout[axis].get("tickfont", {}).get("size", style.TICK_SIZE) < 16, \
                (where, key, axis)


def pages_charts(at) -> dict:
    """Every page's keyed charts, by ``page/key`` (Why: all three views; Multiclass on iris
    with softmax and one class alone; Runs comparing two runs)."""
    found = {}

    def take(page):
        for key, fig in charts(at).items():
            found[f"{page}/{key}"] = fig

    for page in ("data", "train", "threshold", "about"):
        goto(at, page)
        take(page)
    goto(at, "pages/explain.py")
    for view in WHY_VIEWS:
        at.segmented_control(key="w_why_view").set_value(view).run()
        assert_clean(at)
        take(f"why-{view}")
    # A second run for the Runs page, then two runs compared.
    goto(at, "train")
    at.select_slider(key="w_learning_rate").set_value(0.1).run()
    assert_clean(at)
    goto(at, "compare")
    numbers = [e.number for e in at.session_state["run_history"]][:2]
    at.multiselect(key="runs_compare_widget").set_value(numbers).run()
    assert_clean(at)
    take("compare")
    goto(at, "data")
    at.radio(key="w_source").set_value("builtin").run()
    at.selectbox(key="w_builtin").set_value("iris").run()
    goto(at, "multiclass")
    at.toggle(key="w_compare_softmax").set_value(True).run()
    at.segmented_control(key="w_ovr_class").set_value("versicolor").run()
    assert_clean(at)
    take("multiclass")
    return found


EXPECTED = {"data/data_chart", "train/boundary_chart", "train/loss_chart", "train/coef_chart",
            "threshold/roc_chart", "threshold/hist_chart", "threshold/confusion_chart",
            "threshold/pr_chart", "threshold/sweep_chart", "threshold/cost_curve_chart",
            "threshold/calibration_chart", "about/sigmoid_chart",
            "why-Coefficients/effects_chart", "why-Penalty path/path_chart",
            "why-Penalty path/path_loss_chart", "why-Loss surface/surface_chart",
            "compare/cmp_loss", "compare/cmp_roc", "compare/cmp_weights",
            "multiclass/regions_ovr", "multiclass/regions_softmax",
            "multiclass/one_class_chart", "multiclass/ovr_loss", "multiclass/ovr_roc",
            "multiclass/ovr_confusion", "multiclass/ovr_coef"}


@pytest.mark.slow
def test_every_chart_of_every_page_is_large_in_presentation_mode(app):
    app.query_params["present"] = "1"
    figs = pages_charts(app.run())
    assert EXPECTED <= set(figs), EXPECTED - set(figs)
    assert any(k.startswith("compare/cmp_boundary_") for k in figs), sorted(figs)
    assert_large(figs, "present=1")


@pytest.mark.slow
def test_every_chart_keeps_the_normal_style_out_of_presentation_mode(app):
    figs = pages_charts(app.run())
    assert EXPECTED <= set(figs), EXPECTED - set(figs)
    assert_normal(figs, "normal")


def test_styled_returns_the_figure_itself_when_nothing_changes(monkeypatch):
    """Out of presentation mode a chart is the page's own figure object (byte-identical)."""
    fig = go.Figure(go.Scatter(x=[0, 1], y=[1, 0]))
    monkeypatch.setattr(presentation, "active", lambda: False)
    assert presentation.styled(fig) is fig
    monkeypatch.setattr(presentation, "active", lambda: True)
    large = presentation.styled(fig)
    assert large is not fig
    assert large.to_dict()["layout"]["xaxis"]["tickfont"]["size"] == style.LARGE_TICK
    assert "tickfont" not in fig.to_dict()["layout"].get("xaxis", {})  # not edited in place
