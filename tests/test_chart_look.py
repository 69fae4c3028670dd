"""ui.chart_look.flat: the figure a chart sends without Streamlit's theme.

What the browser draws is compared with the themed chart in tests/e2e/test_chart_look.py; here,
the dict itself: nothing left that plotly's second call would take for a change (template, typed
arrays, a ``meta`` dict, no ``datarevision``), values kept (float32 exactly), the look applied
under the figure's own values, the input untouched.
"""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from plotly.utils import PlotlyJSONEncoder

from tests.test_figures import build_all, sample_data
from ui import chart_look

FIGURES = build_all(sample_data())


def as_json(spec) -> str:
    return json.dumps(spec, cls=PlotlyJSONEncoder, sort_keys=True)


def typed_arrays(obj):
    if isinstance(obj, dict):
        if "bdata" in obj:
            yield obj
        for v in obj.values():
            yield from typed_arrays(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from typed_arrays(v)


def decoded(spec):
    arr = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]))
    return arr.reshape([int(n) for n in str(spec["shape"]).split(",")]) if "shape" in spec else arr


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_flat_figure_has_nothing_a_second_plotly_call_would_redraw(name):
    spec = FIGURES[name].to_dict()
    before = as_json(spec)
    out = chart_look.flat(spec)
    assert as_json(spec) == before  # the (cached, shared) figure is not edited
    layout = out["layout"]
    assert "template" not in layout
    assert layout["datarevision"] == chart_look.DATA_REVISION
    assert not list(typed_arrays(out))
    assert not any(isinstance(t.get("meta"), dict) for t in out["data"])
    assert all(ax.get("autorange") != "reversed" for k, ax in layout.items()
               if k.startswith(("xaxis", "yaxis")))
    json.dumps(out)  # plain JSON all through


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_flat_figure_keeps_every_data_value(name):
    spec = FIGURES[name].to_dict()
    out = chart_look.flat(spec)
    for before, after in zip(spec["data"], out["data"]):
        for key, value in before.items():
            if isinstance(value, np.ndarray) or isinstance(value, dict) and "bdata" in value:
                want = value if isinstance(value, np.ndarray) else decoded(value)
                if want.dtype.kind not in "fiu":
                    assert after[key] == want.tolist(), key
                    continue
                got = np.asarray(after[key], dtype=np.float64)
                assert got.shape == want.shape
                # float32 values travel as 9 significant digits: the same float32 back.
                np.testing.assert_array_equal(got.astype(want.dtype), want)
                np.testing.assert_allclose(got, want.astype(np.float64), rtol=5e-9)
            elif key != "meta":
                assert after[key] == value, key


def test_the_look_goes_under_the_figure_s_own_values_on_every_axis():
    spec = FIGURES["replay"].to_dict() if "replay" in FIGURES else FIGURES["loss"].to_dict()
    out = chart_look.flat(spec)
    look = chart_look.look()
    layout = out["layout"]
    # The figure's own font size stays; the look's family and colour fill in.
    assert layout["font"]["size"] == spec["layout"]["font"]["size"]
    assert layout["font"]["family"] == look["font"]["family"]
    assert layout["font"]["color"] == look["font"]["color"]
    axes = [k for k in layout if k.startswith(("xaxis", "yaxis"))]
    assert {"xaxis", "yaxis"} <= set(axes)
    for name in axes:
        theme = look[name[0] + "axis"]
        own = spec["layout"].get(name, {})
        want = (own.get("tickfont") or {}).get("color", theme["tickfont"]["color"])
        assert layout[name]["tickfont"]["color"] == want, name
        for key, value in own.items():
            if not isinstance(value, dict):
                assert layout[name][key] == value, (name, key)


def test_axis_parts_keep_the_visibility_the_template_gave_them():
    """A template's grid or line colour does not switch the grid or line on; written into the
    axis it would, so the flags are written out: grids and zero lines on value axes, not on
    category or heatmap axes, no axis lines; the figure's own flags stay."""
    out = chart_look.flat(FIGURES["roc"].to_dict())["layout"]
    assert out["yaxis"]["showgrid"] is True and out["yaxis"]["showline"] is False
    assert out["xaxis"]["showgrid"] is False  # the look turns x grids off itself
    confusion = chart_look.flat(FIGURES["confusion"].to_dict())["layout"]
    assert confusion["yaxis"]["showgrid"] is False and confusion["xaxis"]["showgrid"] is False
    coef = chart_look.flat(FIGURES["coef"].to_dict())["layout"]
    assert coef["yaxis"]["showgrid"] is False  # the bars' category axis
    assert coef["xaxis"]["zeroline"] is True  # the figure's own


def test_title_is_bold_by_weight_and_keeps_its_text():
    spec = FIGURES["roc"].to_dict()
    title = chart_look.flat(spec)["layout"]["title"]
    assert title["text"] == spec["layout"]["title"]["text"]
    assert title["font"]["weight"] == 700


def test_a_figure_without_the_app_template_is_left_to_streamlit_s_theme():
    spec = FIGURES["roc"].to_dict()
    spec["layout"] = {k: v for k, v in spec["layout"].items() if k != "template"}
    assert chart_look.flat(spec) is None
    spec["layout"]["template"] = {"layout": {"font": {"size": 30}}}
    assert chart_look.flat(spec) is None


def test_a_meta_dict_travels_in_a_one_item_list():
    spec = FIGURES["roc"].to_dict()
    spec["data"][0] = {**spec["data"][0], "meta": {"level": 0.37}}
    assert chart_look.flat(spec)["data"][0]["meta"] == [{"level": 0.37}]


@pytest.mark.parametrize("values", [
    np.array([0.1, -2.5, 1e-30, 3e30, 123456.789, 0.0], dtype=np.float32),
    np.random.default_rng(1).normal(size=5000).astype(np.float32) * 1e4,
])
def test_float32_values_travel_as_at_most_9_digits_and_come_back_exactly(values):
    listed = chart_look._listed(values)
    np.testing.assert_array_equal(np.asarray(listed).astype(np.float32), values)
    for v in listed:
        digits = len(repr(abs(v)).split("e")[0].replace(".", "").lstrip("0"))
        assert digits <= 9, v


def test_non_finite_and_zero_values_are_kept():
    values = np.array([0.0, np.nan, np.inf, -np.inf], dtype=np.float32)
    listed = chart_look._listed(values)
    assert listed[0] == 0.0 and np.isnan(listed[1]) and listed[2:] == [np.inf, -np.inf]
