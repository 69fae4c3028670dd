"""Presentation mode (setting ``present``, URL ``present=1``): the app as a projector shows it.

In presentation mode the sidebar starts collapsed, expert controls are not drawn, and every
plot on every page is drawn in the large style (ticks >= 16 px, larger titles;
``logreg._figure_style.styled_layout``). During a tour step a page's control row keeps only the
settings the step is about (:func:`control_places`; the rest wait in "More"). Other modules ask
:func:`active` and draw their charts with :func:`chart` (the Train figure with
``fill_screen=True`` in presentation mode: as tall as the screen allows).
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from logreg._figure_style import styled_layout

from . import chart_look, glossary, state

# Page padding: Streamlit's default leaves 6rem above the first line and 5rem at each side of a
# wide page, a sixth of a 1280x720 projector. The header bar (menu button) stays usable.
_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.6rem; padding-bottom: 3rem;
    padding-left: 2rem; padding-right: 2rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.1rem; padding-top: 0; padding-bottom: 0.25rem; }
/* The header bar is only the menu (and the sidebar button): let the page show through it. */
[data-testid="stHeader"] { background: transparent; pointer-events: none; }
[data-testid="stHeader"] button, [data-testid="stHeader"] a,
[data-testid="stHeader"] [data-testid="stToolbar"] { pointer-events: auto; }
%s
</style>
"""
# Presentation mode: larger text for the room (widget labels, captions, metrics).
_LARGE_CSS = """
[data-testid="stMainBlockContainer"] { font-size: 1.2rem; }
[data-testid="stMainBlockContainer"] [data-testid="stWidgetLabel"] p { font-size: 1.15rem; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
"""


def active() -> bool:
    """True in presentation mode (the ``present`` setting)."""
    return bool(state.get("present"))


def page_config() -> None:
    """The page configuration for this run: a collapsed sidebar in presentation mode.

    Call from app.py after ``state.init()``; ``st.set_page_config`` may be called again in a run
    and applies ``initial_sidebar_state`` when it changes.
    """
    st.set_page_config(initial_sidebar_state="collapsed" if active() else "auto")


def page_style() -> None:
    """Compact padding on every page; larger text in presentation mode."""
    st.html(_CSS % (_LARGE_CSS if active() else ""))


def toggle(where=st) -> None:
    """The presentation-mode switch, bound to the ``present`` setting (draw it once per run)."""
    where.toggle("Presentation mode", help=glossary.tip("For a projector: hides the sidebar and the expert "
                 "controls, and draws the plots with large text. The address keeps it "
                 "(present=True), so a shared link opens the same way."), **state.bind("present"))


def control_places(names, row, more, *, page: str) -> list:
    """Where a page's row controls are drawn: ``row`` with ``more`` in place of the columns
    whose control is set aside (``names[i]`` is the setting drawn in ``row[i]``).

    In presentation mode during a tour step on ``page`` only the settings the step is about
    (``lesson.focus()``) stay in the row; the others go in ``more`` (the "More" popover: out of
    the audience's way, still in the teacher's reach). Otherwise ``row`` as it is.
    """
    from . import lesson  # lesson imports compute and the data; presentation stays light

    if not (active() and lesson.on_page(page)):
        return list(row)
    focus = lesson.focus()
    return [more if i < len(names) and names[i] not in focus else place
            for i, place in enumerate(row)]


class _StyledFigure(go.Figure):
    """A ready figure dict posing as a ``go.Figure`` for ``st.plotly_chart``.

    ``st.plotly_chart`` validates a plain dict again (as slow as building the figure); a
    ``go.Figure`` it only asks for ``to_dict()``. No plotly machinery is initialised here: the
    dict was validated when the original figure was built, and only fonts/height changed.
    """

    def __init__(self, spec: dict):  # noqa: D107 - deliberately no super().__init__
        self.__dict__["_spec"] = spec

    def to_dict(self):
        return self.__dict__["_spec"]


def styled(fig: go.Figure, *, height: int | None = None, reshape=None) -> go.Figure:
    """``fig`` in the current mode's style (and at ``height`` px when given; ``reshape``: a
    function of the figure dict returning a new one, e.g. a narrow layout); ``fig`` itself when
    nothing changes. Figures from ``ui.compute`` are shared between sessions: never edited."""
    if height is None and not active() and reshape is None:
        return fig
    spec = fig.to_dict()
    if reshape is not None:
        spec = reshape(spec)
    traces = spec.get("data", [])
    return _StyledFigure({**spec, "layout": styled_layout(
        spec.get("layout", {}), large=active(), height=height, legend_names=legend_names(traces),
        legend_grouped=any(t.get("legendgroup") for t in traces))})


# Trace types plotly lists in the legend unless told otherwise.
_IN_LEGEND = {"scatter", "scattergl", "bar", "histogram", "box", "violin", "pie"}


def legend_names(traces) -> list:
    """The entries of a figure's legend: names of the traces it lists."""
    return [str(t.get("name", "")) for t in traces
            if t.get("showlegend") is True or (t.get("showlegend") is None
                                               and t.get("type", "scatter") in _IN_LEGEND)]


# A figure that fills the screen (``chart(..., fill_screen=True)``): as tall as the window
# under the page's first rows (title, controls: at most ABOVE_FIGURE_PX with the margin under
# the figure), never shorter than its own height (so a 1280x720 screen shows what it always did)
# nor taller than FILL_MAX_PX or FILL_MAX_VW of the window's width (a portrait window keeps a
# wide figure). Streamlit sizes a ``height="stretch"`` chart to its container and passes that
# height to plotly, so plain CSS on the container is enough. (The container is a flex item with
# a zero basis: its ``height`` counts only with ``flex: 0 0 auto``.)
ABOVE_FIGURE_PX = 230
FILL_MAX_PX = 960
FILL_MAX_VW = 55
_FILL_CSS = ("<style>.st-key-%s { height: clamp(%dpx, min(calc(100vh - %dpx), %dvw), %dpx); "
             "flex: 0 0 auto !important; }</style>")


def chart(fig: go.Figure, *, key: str | None = None, height: int | None = None, where=st,
          reshape=None, fill_screen: bool = False, **kwargs):
    """``st.plotly_chart`` of ``fig`` in the current mode's style, full width of its column.

    ``fill_screen``: as tall as the screen allows (see ``ABOVE_FIGURE_PX``), at least the
    figure's own height; the chart then sits in a container keyed ``<key>_screen``.
    """
    kwargs.setdefault("width", "stretch")
    shown = styled(fig, height=height, reshape=reshape)
    if "theme" not in kwargs and (spec := chart_look.flat(shown.to_dict())) is not None:
        # Streamlit's look, written into the figure: the browser then draws it once, not twice
        # (see ui/chart_look.py).
        shown, kwargs["theme"] = _StyledFigure(spec), None
    if not fill_screen:
        return where.plotly_chart(shown, key=key, **kwargs)
    own = int(shown.to_dict().get("layout", {}).get("height") or 450)
    box = f"{key}_screen"
    where.html(_FILL_CSS % (box, own, ABOVE_FIGURE_PX, FILL_MAX_VW, max(own, FILL_MAX_PX)))
    return where.container(key=box).plotly_chart(shown, key=key, height="stretch", **kwargs)
