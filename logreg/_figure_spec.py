"""A figure under construction as plain dicts, turned into one ``go.Figure`` at the end.

Why not build on a ``go.Figure`` directly: every ``add_trace``, ``update_layout`` or
``add_annotation`` on a live figure validates its arguments, walks plotly's property tree to
resolve paths and fires layout callbacks. A builder making a dozen such calls spent 25-50 ms on
them (measured: coefficient bars 27 ms, loss curves 33 ms, the 10k-point boundary 51 ms), more
than the model's training. Collecting the same calls into dicts and handing plotly the finished
figure validates everything once: 4, 5 and 6 ms for those three. The app builds these figures
on every slider move, so this is most of a rerun's time.

:class:`FigureSpec` offers the few ``go.Figure`` methods the builders use, with plotly's
meaning: ``update_layout`` merges nested dicts and accepts ``a_b=...`` for ``a=dict(b=...)``;
a list (``annotations=[...]``) replaces the one before (plotly would update its items in
place: no builder relies on that); ``update_xaxes`` / ``update_yaxes`` update every x (y) axis
in the layout, the primary one included. Traces may be dicts (``type`` names the trace) or
plotly trace objects.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.basedatatypes import BasePlotlyType
from _plotly_utils.basevalidators import ColorscaleValidator
from _plotly_utils.utils import is_skipped_key, to_typed_array_spec

_AXIS_NAME = {"x": re.compile(r"^xaxis\d*$"), "y": re.compile(r"^yaxis\d*$")}


def _expand(props: dict) -> dict:
    """``{"legend_title": t}`` -> ``{"legend": {"title": t}}`` (plotly's "magic underscores")."""
    out: dict = {}
    for key, value in props.items():
        *parents, leaf = key.split("_")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        if isinstance(value, dict) and isinstance(node.get(leaf), dict):
            _merge(node[leaf], value)
        else:
            node[leaf] = value
    return out


def _merge(into: dict, update: dict) -> dict:
    """Merge ``update`` into ``into`` recursively: dicts merge, anything else replaces."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, dict):
            into[key] = _merge({}, value)  # a copy: later merges must not edit the caller's dict
        else:
            into[key] = value
    return into


def _trace_dict(trace) -> dict:
    return trace if isinstance(trace, dict) else trace.to_plotly_json()


class FigureSpec:
    """Traces, layout and frames of a figure, as plain dicts, until :meth:`figure`.

    Parameters
    ----------
    data : iterable of dict or plotly trace, optional
        Initial traces.
    frames : list of dict, optional
        Animation frames (``name``, ``data``, ``traces``, ``layout``).
    """

    def __init__(self, data=None, frames=None):
        self.data: list[dict] = [_trace_dict(t) for t in (data or [])]
        self.layout: dict = {}
        self.frames = frames

    def add_trace(self, trace) -> "FigureSpec":
        self.data.append(_trace_dict(trace))
        return self

    def update_layout(self, props: dict | None = None, **kwargs) -> "FigureSpec":
        _merge(self.layout, _expand(props or {}))
        _merge(self.layout, _expand(kwargs))
        return self

    def _update_axes(self, letter: str, props: dict) -> "FigureSpec":
        names = {f"{letter}axis"} | {k for k in self.layout if _AXIS_NAME[letter].match(k)}
        for name in sorted(names):
            _merge(self.layout.setdefault(name, {}), _expand(props))
        return self

    def update_xaxes(self, **props) -> "FigureSpec":
        return self._update_axes("x", props)

    def update_yaxes(self, **props) -> "FigureSpec":
        return self._update_axes("y", props)

    def add_annotation(self, annotation: dict | None = None, **props) -> "FigureSpec":
        self.layout.setdefault("annotations", []).append(
            _merge(dict(annotation or {}), _expand(props)))
        return self

    def add_shape(self, **props) -> "FigureSpec":
        self.layout.setdefault("shapes", []).append(_expand(props))
        return self

    def figure(self) -> "LazyFigure":
        """The finished figure: a ``go.Figure`` that plotly validates only when its plotly
        objects are first used (``fig.data``, ``fig.layout``, ``update_layout``...);
        ``to_dict()`` (all that ``st.plotly_chart`` reads) never builds them."""
        return LazyFigure(self.data, self.layout, self.frames)


def _json_ready(value):
    """``value`` as ``go.Figure.to_dict()`` would give it, in new containers: numpy arrays as
    plotly.js typed arrays (``{"dtype", "bdata"[, "shape"]}``, except under the keys plotly
    leaves alone, such as ``range``), plotly objects as their dicts, properties set to None
    left out."""
    if isinstance(value, dict):
        # None means "not set" to plotly: such properties are left out.
        return {k: (v if is_skipped_key(k) else _colorscale(v) if k == "colorscale"
                    else _json_ready(v)) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        return to_typed_array_spec(value)
    if isinstance(value, BasePlotlyType):
        return _json_ready(value.to_plotly_json())
    return value


def _colorscale(value):
    """A colour scale as plotly sends it: a named one ("Blues") as its list of stops, which
    plotly.js would otherwise take from its own, different, table of that name."""
    if isinstance(value, str):
        return [[stop, color] for stop, color in _COLORSCALES.validate_coerce(value)]
    return _json_ready(value)


_COLORSCALES = ColorscaleValidator("colorscale", "figure")


@cache
def _default_template() -> dict:
    """The template ``go.Figure`` gives a layout without one (plotly's default)."""
    return pio.templates[pio.templates.default].to_plotly_json()


class LazyFigure(go.Figure):
    """A ``go.Figure`` whose plotly objects are built on first use.

    Why: building a ``go.Figure`` validates every property of every trace and frame, and its
    ``to_dict()`` deep-copies them all again; for the Train page's figures that was 40-60 ms a
    rerun (the replay figure's 32 frames most of it), more than training the model. The app only
    hands figures to ``st.plotly_chart``, which reads ``to_dict()``: that is served from the
    builder's dicts (numpy arrays encoded as plotly encodes them). Any other use (``fig.data``,
    ``fig.layout.title``, ``update_layout``, ``==``...) builds the real, validated figure once and
    from then on this is an ordinary ``go.Figure``. Tests check that both ways give the same
    dict (tests/conftest.py validates every figure the figure tests build).
    """

    def __init__(self, data, layout, frames=None):  # noqa: D107 - no super().__init__ until used
        self.__dict__["_lazy_parts"] = (data, layout, frames)

    def _build(self) -> None:
        data, layout, frames = self.__dict__.pop("_lazy_parts")
        self.__dict__.pop("_frozen_dict", None)
        self.__dict__.update(go.Figure(data=data, layout=layout, frames=frames).__dict__)

    def __getattr__(self, name):
        # Only reached when ordinary lookup fails: before _build the plotly internals
        # (``_data``, ``_layout_obj``...) are missing.
        if "_lazy_parts" not in self.__dict__ or name.startswith("__"):
            raise AttributeError(name)
        self._build()
        return getattr(self, name)

    def to_dict(self) -> dict:
        """What ``go.Figure.to_dict()`` gives, without validating (a new dict each call, unless
        :meth:`freeze` kept one)."""
        if "_lazy_parts" not in self.__dict__:
            return super().to_dict()
        frozen = self.__dict__.get("_frozen_dict")
        if frozen is not None:
            return frozen
        data, layout, frames = self.__dict__["_lazy_parts"]
        out = {"data": _json_ready(data), "layout": _json_ready(layout)}
        if "template" not in layout:
            out["layout"]["template"] = _json_ready(_default_template())
        if frames:
            out["frames"] = _json_ready(frames)
        return out

    def freeze(self) -> "LazyFigure":
        """Keep one ``to_dict()`` and return it from now on: for figures shared read-only
        (cached between reruns and sessions), whose dict must not be rebuilt every rerun."""
        if "_lazy_parts" in self.__dict__:
            self.__dict__["_frozen_dict"] = self.to_dict()
        return self

    def validated_dict(self) -> dict:
        """``to_dict()`` of the real ``go.Figure`` built from the same parts (for tests)."""
        if "_lazy_parts" not in self.__dict__:
            return super().to_dict()
        data, layout, frames = self.__dict__["_lazy_parts"]
        return go.Figure(data=data, layout=layout, frames=frames).to_dict()
