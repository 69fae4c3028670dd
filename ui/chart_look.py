"""Charts in Streamlit's look, sent without Streamlit's chart theme: drawn once, not twice.

Why (measured in chromium, issue 14): Streamlit mounts a new chart for every changed figure and
hands the figure to plotly twice, once before it has measured the chart's width and once after.
With ``theme="streamlit"`` the browser writes Streamlit's look into a fresh copy of
``layout.template`` for each call, and plotly treats any new template object as a new figure:
the second call drew the whole figure again (Train figure at 400 points: 55 ms, both calls
together 40% of a learning-rate step). It does the same for typed arrays (``{"dtype",
"bdata"}``: new objects, never equal), for a trace's ``meta`` dict and for an axis with
``autorange="reversed"`` (the builders give such axes their explicit reversed range instead).

:func:`flat` writes the look that template carries (``streamlit_look.json``, captured from
Streamlit's own frontend by ``scripts/capture_streamlit_look.py``) into the figure's own
layout, as plotly applies a template: under the figure's values, on every axis, annotation and
shape. With no template, plain lists and a fixed ``datarevision`` (a mounted chart never gets
new data: a new figure is a new chart), the second call finds nothing changed: ~6 ms.
``tests/e2e/test_chart_look.py`` draws figures both ways and compares what plotly draws.
"""

from __future__ import annotations

import base64
import json
import re
from functools import cache
from pathlib import Path

import numpy as np

from logreg._figure_spec import _json_ready
from logreg._figure_style import template

LOOK_FILE = Path(__file__).with_name("streamlit_look.json")
_AXIS = re.compile(r"^([xy])axis\d*$")
# Template parts that are defaults for each item of a layout list, and the list they apply to.
_ITEM_DEFAULTS = {"annotationdefaults": "annotations", "shapedefaults": "shapes"}
# Keys of the captured look that are not plotly attributes (the frontend's own bookkeeping).
_NOT_PLOTLY = {("title", "color"), ("title", "subtitleColor")}
# Not part of the look the browser ends up with: a themed chart has no colorway of its own
# (every trace the app draws names its colour).
_LEFT_OUT = {"colorway"}
# Axis parts a template styles only where the figure itself has them (minor ticks, range
# selector buttons): written into an axis without them, they would add them to it.
_AXIS_LEFT_OUT = {"minor", "rangeselector"}
# A mounted chart never changes its data (a changed figure is a new chart), so one constant
# revision says "the data arrays are the same" to plotly's second call.
DATA_REVISION = "mounted"


@cache
def look() -> dict:
    """Streamlit's chart look for the app's template (layout attributes, as a template's
    ``layout``), without the keys plotly does not know."""
    captured = json.loads(LOOK_FILE.read_text())
    for parent, key in _NOT_PLOTLY:
        captured.get(parent, {}).pop(key, None)
    return {k: v for k, v in captured.items() if k not in _LEFT_OUT}


@cache
def _our_template_json() -> str:
    return json.dumps(_json_ready(template().to_plotly_json()), sort_keys=True)


def has_our_template(layout: dict) -> bool:
    """True when ``layout`` carries the app's template (the one the look was captured for)."""
    found = layout.get("template")
    return found is not None and json.dumps(found, sort_keys=True) == _our_template_json()


def flat(spec: dict) -> dict | None:
    """``spec`` (a figure dict) with Streamlit's look written into its layout and nothing a
    second plotly call would take for a change; None when it does not use the app's template
    (draw it with Streamlit's theme then). Returns a new dict; ``spec`` is not changed.
    """
    layout = spec.get("layout", {})
    if not has_our_template(layout):
        return None
    out = {**spec, "data": [_plain_trace(t) for t in spec.get("data", [])],
           "layout": _looked(layout, spec.get("data", []))}
    if spec.get("frames"):
        out["frames"] = [{**f, "data": [_plain_trace(t) for t in f.get("data", [])]}
                         for f in spec["frames"]]
    return out


def _looked(layout: dict, traces: list) -> dict:
    """The layout with the look under its own values (plotly's template rules)."""
    out = {k: v for k, v in layout.items() if k != "template"}
    out.setdefault("datarevision", DATA_REVISION)
    theme = look()
    for key, value in theme.items():
        if key in _ITEM_DEFAULTS:
            items = _ITEM_DEFAULTS[key]
            if out.get(items):
                out[items] = [_under(value, item) for item in out[items]]
        elif key not in ("xaxis", "yaxis"):
            out[key] = _under(value, out.get(key))
    # The template's xaxis / yaxis style every x / y axis, the primary ones even when the
    # layout does not name them.
    for name in {"xaxis", "yaxis", *(k for k in out if _AXIS.match(k))}:
        default = {k: v for k, v in theme[_AXIS.match(name).group(1) + "axis"].items()
                   if k not in _AXIS_LEFT_OUT or k in (out.get(name) or {})}
        own = _titled(out.get(name)) or {}
        out[name] = {**_implied_flags(own, default, _gridded(name, own, traces)),
                     **_under(default, own)}
    out["title"] = _bold_title(out.get("title"))
    return out


# Axis parts plotly shows only when one of their attributes is set in the figure itself (a
# template's value does not count; without one, a grid and a zero line show on axes without
# heatmap-like traces or categories): the template's colours, written into the axis, would
# turn them on. So the flags are written out as plotly would have chosen them.
_SHOWN_BY = {"showline": ("linecolor", "linewidth"),
             "showgrid": ("gridcolor", "gridwidth", "griddash"),
             "zeroline": ("zerolinecolor", "zerolinewidth")}
_NO_GRID_TRACES = {"heatmap", "heatmapgl", "contour", "histogram2d", "histogram2dcontour"}


def _implied_flags(own: dict, default: dict, gridded: bool) -> dict:
    """The show-flags an axis had under the template, now that the template's colours become
    the axis's own (``gridded``: plotly's own default for grid and zero line on this axis)."""
    base = {"showline": False, "showgrid": gridded, "zeroline": gridded}
    return {flag: base[flag] or any(own.get(a) is not None for a in attrs)
            for flag, attrs in _SHOWN_BY.items() if flag not in own and flag not in default}


def _gridded(name: str, axis: dict, traces: list) -> bool:
    """Whether plotly draws a grid and zero line on axis ``name`` by default: not on category
    axes nor on the axes of heatmap-like traces."""
    letter, ref = name[0], name[0] + name[5:]  # "xaxis2" -> "x2"
    if axis.get("type") == "category" or axis.get("categoryarray") is not None:
        return False
    for t in traces:
        if t.get("type", "scatter") in _NO_GRID_TRACES and t.get(letter + "axis", letter) == ref:
            return False
        if t.get("type") == "bar" and t.get(letter + "axis", letter) == ref and \
                (t.get("orientation") == "h") == (letter == "y"):
            return False  # the bars' category axis
    return True


def _titled(axis):
    """An axis whose title is a plain string, with the title as ``{"text": ...}``."""
    if isinstance(axis, dict) and isinstance(axis.get("title"), str):
        return {**axis, "title": {"text": axis["title"]}}
    return axis


def _bold_title(title):
    """The figure title in bold, as Streamlit's theme draws it (it wraps the text in <b>;
    a bold font does the same and leaves the text as the figure has it)."""
    if isinstance(title, str):
        title = {"text": title}
    if not isinstance(title, dict) or not title.get("text"):
        return title
    font = title.get("font") or {}
    return title if "weight" in font else {**title, "font": {**font, "weight": 700}}


def _under(default, own):
    """``own`` with ``default`` filling what it leaves unset (dicts merge recursively)."""
    if own is None:
        return json.loads(json.dumps(default))  # a copy: the cached look is shared
    if isinstance(default, dict) and isinstance(own, dict):
        merged = dict(own)
        for key, value in default.items():
            merged[key] = _under(value, own.get(key))
        return merged
    return own


def _plain_trace(trace: dict) -> dict:
    """A trace with typed arrays as plain lists and a ``meta`` dict in a one-item list."""
    out = {k: _plain(v) for k, v in trace.items()}
    if isinstance(out.get("meta"), dict):
        out["meta"] = [out["meta"]]
    return out


def _plain(value):
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            return _decoded(value)
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value] if any(isinstance(v, (dict, list)) for v in value) \
            else value
    if isinstance(value, np.ndarray):
        return _listed(value)
    return value


def _decoded(spec: dict) -> list:
    """A plotly.js typed-array spec (``{"dtype", "bdata"[, "shape"]}``) as (nested) lists."""
    arr = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]))
    if "shape" in spec:
        arr = arr.reshape([int(n) for n in str(spec["shape"]).split(",")])
    return _listed(arr)


def _listed(arr: np.ndarray) -> list:
    """Numbers as a list; float32 values to 9 significant digits (their float64 expansions
    would take ~19 characters each in the JSON; 9 digits give the float32 value back exactly
    and differ from it by less than 5e-9 relative)."""
    if arr.dtype == np.float32:
        return _nine_digits(arr).tolist()
    return arr.tolist()


def _nine_digits(arr: np.ndarray) -> np.ndarray:
    """``arr`` (float32) as float64 rounded to 9 significant digits; zeros and non-finite
    values unchanged."""
    wide = arr.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        exponent = np.floor(np.log10(np.abs(wide)))
    usable = np.isfinite(exponent)  # not zero, not NaN or infinite: those stay as they are
    scale = 10.0 ** (8 - np.where(usable, exponent, 0.0))
    return np.where(usable, np.round(wide * scale) / scale, wide)
