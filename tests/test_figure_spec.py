"""FigureSpec must mean what the same calls mean on a live go.Figure (the reference here)."""

import numpy as np
import plotly.graph_objects as go
import pytest

from logreg._figure_spec import FigureSpec


def _apply(fig, secondary_axis):
    fig.add_trace(dict(type="scatter", x=np.arange(3.0), y=[1, 2, 3], name="a"))
    fig.add_trace(go.Bar(x=[1, 2], y=["u", "v"], orientation="h", name="b"))
    fig.update_layout(title=dict(text="t", font=dict(size=19)), height=400,
                      legend=dict(orientation="h", x=0.0))
    fig.update_layout(legend_title=dict(text="class"), title=dict(x=0.0))  # merge, not replace
    fig.update_layout({"margin": dict(l=70, t=90)}, margin=dict(b=60))
    if secondary_axis:
        fig.update_layout(yaxis2=dict(overlaying="y", side="right"))
    fig.update_xaxes(range=[0, 1], showgrid=False)
    fig.update_yaxes(zeroline=False, title=dict(text="y"))
    fig.update_layout(yaxis_type="log", xaxis=dict(dtick=0.2))
    fig.add_annotation(dict(text="first", x=0.5, y=0.5, xref="paper", yref="paper"),
                       font_size=15)
    fig.add_annotation(text="second", x=1, y=2, showarrow=False, font=dict(color="red"))
    fig.add_shape(type="line", x0=0.3, x1=0.3, y0=0, y1=1, yref="paper",
                  line=dict(color="black", dash="dot"))
    return fig


@pytest.mark.parametrize("secondary_axis", [False, True])
def test_same_figure_as_plotly_methods(secondary_axis):
    ours = _apply(FigureSpec(), secondary_axis).figure().to_dict()
    reference = _apply(go.Figure(), secondary_axis).to_dict()
    # Both get plotly's default template here; the builders always set their own.
    assert ours["layout"].pop("template") == reference["layout"].pop("template")
    assert ours == reference


def test_caller_dicts_are_not_changed_by_later_updates():
    legend = dict(orientation="h")
    fig = FigureSpec()
    fig.update_layout(legend=legend)
    fig.update_layout(legend=dict(x=0.5))
    assert legend == dict(orientation="h")
    assert fig.figure().layout.legend.x == 0.5


def test_frames_pass_through():
    frames = [dict(name="3", data=[dict(type="heatmap", z=[[0.1, 0.2]])], traces=[0])]
    fig = FigureSpec([dict(type="heatmap", z=[[0.0, 1.0]])], frames=frames).figure()
    assert [f.name for f in fig.frames] == ["3"]
    assert np.array_equal(fig.frames[0].data[0].z, [[0.1, 0.2]])


def test_update_layout_replaces_lists():
    fig = FigureSpec().add_annotation(text="old", x=0, y=0)
    fig.update_layout(annotations=[dict(text="new", x=1, y=1)])
    assert [a.text for a in fig.figure().layout.annotations] == ["new"]
