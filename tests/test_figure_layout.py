"""Layout of the figures on a projector (issue 18 item 11, issue 13 item 2): axis ranges, one
name for the held-back points, subtitles that fit, every weight labelled, the large style."""

from __future__ import annotations

import json

import numpy as np
import pytest

from logreg import figures as F
from logreg._figure_style import LEGEND_GAP_PX, NOTE_LINE_CHARS, styled_layout, wrap_note


def loss_fig(n_epochs, current=None):
    epochs = np.arange(n_epochs + 1)
    loss = 0.7 * np.exp(-epochs / (n_epochs / 5 + 1)) + 0.2
    return F.loss_figure(epochs, loss, val_loss=loss + 0.01, train_accuracy=np.full_like(loss, 0.8),
                         val_accuracy=np.full_like(loss, 0.75),
                         current_epoch=n_epochs if current is None else current).to_dict()


@pytest.mark.parametrize("n_epochs", [1, 200, 5000])
def test_loss_epoch_axis_runs_from_0_to_the_last_epoch(n_epochs):
    xaxis = loss_fig(n_epochs)["layout"]["xaxis"]
    assert xaxis["range"] == [0, n_epochs]
    assert xaxis.get("autorange") is False


def test_epoch_label_of_a_late_marker_stays_inside_the_plot():
    late = [a for a in loss_fig(200)["layout"]["annotations"] if a["text"] == "epoch 200"][0]
    assert late["xanchor"] == "right" and late["xshift"] < 0
    early = [a for a in loss_fig(200, current=10)["layout"]["annotations"]
             if a["text"] == "epoch 10"][0]
    assert early["xanchor"] == "left"


def test_held_back_points_are_called_test_everywhere():
    loss = loss_fig(50)
    compare = F.compare_loss_figure([("A", np.arange(3), [0.7, 0.6, 0.5], [0.7, 0.65, 0.6])])
    for fig in (loss, compare.to_dict()):
        text = json.dumps(fig).lower()
        assert "validation" not in text
    assert [t["name"] for t in loss["data"]][:2] == ["train loss", "test loss"]
    assert [t["name"] for t in compare.to_dict()["data"]] == ["A: train loss", "A: test loss"]


def test_loss_legend_is_short_and_far_enough_under_the_axis():
    layout = loss_fig(200)["layout"]
    shown = [t["name"] for t in loss_fig(200)["data"] if t.get("showlegend", True)]
    assert shown == ["train loss", "test loss"]
    # The legend's top is at least LEGEND_GAP_PX below the axis line for the plot height plotly
    # will use (figure height minus the margins and the legend itself), at any chart height.
    # (The browser test checks the real boxes: tests/e2e/test_layout.py.)
    legend = layout["legend"]
    assert legend["yanchor"] == "top" and legend["y"] < 0
    for height in (300, 375, 520, 700):
        small = styled_layout(layout, large=False, height=height)
        plot_h = height - layout["margin"]["t"] - layout["margin"]["b"] - 46
        assert -small["legend"]["y"] * plot_h >= LEGEND_GAP_PX - 1e-9


def test_long_subtitles_are_wrapped_into_lines_that_fit():
    names = [f"feature number {i}" for i in range(30)]
    coef = np.zeros(30)
    coef[:13] = np.linspace(1, 2, 13)
    fig = F.coef_figure(coef, names, intercept=0.5, max_features=20, l1_zeros=True).to_dict()
    sub = fig["layout"]["title"]["subtitle"]["text"]
    lines = sub.split("<br>")
    assert len(lines) >= 2
    assert all(len(line) <= NOTE_LINE_CHARS for line in lines), lines
    # Nothing is lost by the wrapping.
    assert " ".join(lines) == wrap_note(sub).replace("<br>", " ")
    assert "17 of 30 weights are exactly 0" in " ".join(lines)
    # The top margin grows with the lines.
    one_line = F.coef_figure(coef[:3], names[:3]).to_dict()["layout"]["margin"]["t"]
    assert fig["layout"]["margin"]["t"] >= one_line + 17 * (len(lines) - 1)


def test_wrap_note_keeps_words_whole_and_existing_breaks():
    assert wrap_note("a b c", width=3) == "a b<br>c"
    assert wrap_note("x<br>y") == "x<br>y"
    assert wrap_note("averyveryverylongword tail", width=5) == "averyveryverylongword<br>tail"


def test_thirty_weights_each_get_a_label_and_room():
    names = [f"f{i}" for i in range(30)]
    fig = F.coef_figure(np.linspace(-1, 1, 30), names).to_dict()
    yaxis = fig["layout"]["yaxis"]
    assert yaxis["tickmode"] == "linear" and yaxis["dtick"] == 1
    assert len(yaxis["categoryarray"]) == 30
    plot_h = fig["layout"]["height"] - fig["layout"]["margin"]["t"] - fig["layout"]["margin"]["b"]
    assert plot_h / 30 >= 18  # px per label row: more than the 14 px font
    # The long axis title is on two lines.
    assert "<br>" in fig["layout"]["xaxis"]["title"]["text"]


def test_boundary_legend_sits_right_of_the_plot_under_the_colour_bar():
    xs = ys = np.linspace(-1, 1, 5)
    X = np.array([[0.0, 0.0], [0.5, 0.5]])
    fig = F.boundary_figure(xs, ys, np.full((5, 5), 0.3), X, np.array([0, 1]),
                            class_names=["a", "b"], feature_names=["u", "v"]).to_dict()
    legend = fig["layout"]["legend"]
    bar = fig["data"][0]["colorbar"]
    assert legend["orientation"] == "v" and legend["x"] > 1
    assert bar["y"] - bar["len"] >= legend["y"]  # the colour bar ends above the legend's top


def test_large_style_has_projector_fonts_and_leaves_the_original_alone():
    fig = loss_fig(100)
    before = json.dumps(fig["layout"], sort_keys=True)
    large = styled_layout(fig["layout"], large=True, height=450)
    assert json.dumps(fig["layout"], sort_keys=True) == before
    assert large["height"] == 450
    for axis in ("xaxis", "yaxis", "yaxis2"):
        assert large[axis]["tickfont"]["size"] >= 16
        assert large[axis]["title"]["font"]["size"] >= 18
    assert large["yaxis2"]["tickfont"]["color"] == fig["layout"]["yaxis2"]["tickfont"]["color"]
    assert large["font"]["size"] >= 16 and large["title"]["font"]["size"] >= 24
    assert large["legend"]["font"]["size"] >= 16
    assert all(a["font"]["size"] >= 18 for a in large["annotations"])
    normal = styled_layout(fig["layout"], large=False)
    assert normal["font"] == fig["layout"]["font"]
    assert normal["xaxis"]["tickfont"] == fig["layout"]["xaxis"]["tickfont"]


def test_normal_ticks_are_set_to_14_px_so_no_theme_shrinks_them():
    fig = loss_fig(10)["layout"]
    assert fig["xaxis"]["tickfont"]["size"] == 14 and fig["yaxis"]["tickfont"]["size"] == 14
    assert fig["yaxis2"]["tickfont"]["size"] == 14


def test_large_style_fits_a_long_y_axis_title_along_its_axis():
    """Presentation style: a y title too long for its axis at 20 px goes on two balanced lines
    (room made by automargin) at the largest size that fits; a short one stays on one line; the
    words are kept."""
    from logreg._figure_style import CHAR_EM, LARGE_AXIS_TITLE, LARGE_TICK, _y_axis_px

    fig = F.pr_figure(np.linspace(1, 0.5, 20), np.linspace(0, 1, 20), average_precision=0.9,
                      prevalence=0.5).to_dict()
    text = fig["layout"]["yaxis"]["title"]["text"]
    large = styled_layout(fig["layout"], large=True)
    title = large["yaxis"]["title"]
    length = _y_axis_px(large, "yaxis")
    # The figure is 520 px tall; title, margins and a 3-row legend leave about 260-300 px.
    assert 230 < length < 320
    assert len(text) * CHAR_EM * LARGE_AXIS_TITLE > length  # one line would not fit
    lines = title["text"].split("<br>")
    assert len(lines) == 2 and " ".join(lines) == text
    assert LARGE_TICK <= title["font"]["size"] <= LARGE_AXIS_TITLE
    assert max(map(len, lines)) * CHAR_EM * title["font"]["size"] <= length
    assert abs(len(lines[0]) - len(lines[1])) <= 8  # balanced
    assert large["yaxis"]["automargin"] is True
    # The x title (its length is not known) and a short y title: one line at the large size.
    assert large["xaxis"]["title"]["font"]["size"] == LARGE_AXIS_TITLE
    short = styled_layout(loss_fig(10)["layout"], large=True)["yaxis"]["title"]
    assert "<br>" not in short["text"] and short["font"]["size"] == LARGE_AXIS_TITLE
    # Out of the large style nothing changes.
    assert styled_layout(fig["layout"], large=False)["yaxis"]["title"] == fig["layout"]["yaxis"]["title"]


def test_large_legend_rows_follow_plotlys_layout_of_the_entries():
    """Rows the large style makes room for: one when all entries fit a row; a column per widest
    entry for plain traces (the PR curve's three entries: three rows, as drawn); rows filled
    while the next entry fits for grouped traces (one-vs-rest's six entries: four rows)."""
    from logreg._figure_style import LARGE_LEGEND_ROW_PX as ROW, large_legend_px

    assert large_legend_px(["setosa", "versicolor", "virginica"]) == ROW
    assert large_legend_px(["random model (precision = 0.50)", "model (AP 0.959)",
                            "current threshold (T = 0.50)"]) == 3 * ROW
    ovr = [f"class {c} vs rest (p = 0.5)" for c in ("setosa", "versicolor", "virginica")]
    assert large_legend_px(ovr + ["setosa", "versicolor", "virginica"], grouped=True) == 4 * ROW
    assert large_legend_px(None) == 2 * ROW and large_legend_px([]) == 0


def test_large_style_puts_a_tall_legend_further_down():
    """More legend rows: plotly shrinks the plot more, so the legend's y (a share of the plot's
    height) must grow for the same gap in px; a two-line x title gets a wider gap."""
    layout = loss_fig(10)["layout"]
    one = styled_layout(layout, large=True, legend_names=["a", "b"])
    many = styled_layout(layout, large=True, legend_names=[f"a long legend entry {i}"
                                                           for i in range(6)])
    assert many["legend"]["y"] < one["legend"]["y"] < 0
    two_lines = {**layout, "xaxis": {**layout["xaxis"], "title": {"text": "a<br>b"}}}
    assert styled_layout(two_lines, large=True, legend_names=["a", "b"])["legend"]["y"] \
        < one["legend"]["y"]


def test_large_style_enlarges_the_legend_title_too():
    fig = F.scatter_figure(np.random.default_rng(0).random((20, 2)), np.arange(20) % 2,
                           ["a", "b"], ["x", "y"], title="t").to_dict()["layout"]
    assert fig["legend"]["title"]["text"] == "true class"
    assert styled_layout(fig, large=True)["legend"]["title"]["font"]["size"] >= 16
    assert "font" not in fig["legend"]["title"]  # the original is left alone
