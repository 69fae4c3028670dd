"""Shared look and plumbing of logreg's plotly figures: colours, layout, sampling, clean arrays.

Everything here is private to :mod:`logreg.figures`. The builders there stay short by calling
these helpers, and every figure gets the same fonts, margins, height and class colours from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from ._figure_spec import FigureSpec

# Okabe & Ito (2008): eight colours that colour-blind readers can tell apart. Classes 0-7 use them
# in this order; the extension (after Paul Tol's palettes) keeps up to 20 classes distinct, though
# no palette that large is colour-blind safe, so hover text always names the class too.
_OKABE_ITO = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
)
_EXTENSION = (
    "#882255", "#44AA99", "#332288", "#999933", "#AA4499", "#117733",
    "#661100", "#6699CC", "#66A61E", "#A6761D", "#E7298A", "#9C9EDE",
)
CLASS_COLORS: tuple[str, ...] = _OKABE_ITO + _EXTENSION

# Lines that are not classes (loss, accuracy, chance lines, markers) stay neutral so they never
# look like they belong to a class.
INK = "#222222"
MUTED = "#8c8c8c"
GUIDE = "#b0b0b0"
ZERO_GREY = "#bdbdbd"
ALERT = "#C0392B"

FONT_SIZE = 14
TICK_SIZE = 14
TITLE_SIZE = 19
HEIGHT = 520
TEMPLATE = "plotly_white"
# The parts of plotly_white's layout that 2-D charts use. Setting the template by name makes
# plotly deep-copy the whole template (all trace types, 3-D scenes, maps): ~35 ms per figure,
# a fifth of a page's time budget. This trimmed copy looks the same here and costs ~5 ms.
_TEMPLATE_LAYOUT_KEYS = (
    "autotypenumbers", "colorway", "font", "hovermode", "hoverlabel", "paper_bgcolor",
    "plot_bgcolor", "xaxis", "yaxis", "shapedefaults", "annotationdefaults", "title",
)
# Above this many points SVG markers get slow to draw and to hover; WebGL stays smooth.
WEBGL_THRESHOLD = 2000
# Strength of the class colour in region/heatmap tints (0 = white, 1 = the full colour): light
# enough that full-colour points drawn on top stay readable.
TINT_STRENGTH = 0.45
# Regions cover the whole plot in one flat colour, so they need an even lighter tint than the
# heatmap (whose colour fades to white near the boundary anyway).
REGION_TINT_STRENGTH = 0.28


@cache
def template() -> go.layout.Template:
    """plotly_white, trimmed to its 2-D layout (see ``_TEMPLATE_LAYOUT_KEYS``)."""
    full = pio.templates[TEMPLATE].layout.to_plotly_json()
    return go.layout.Template(layout={k: full[k] for k in _TEMPLATE_LAYOUT_KEYS if k in full})


def play_pause_buttons(frame_ms: int, *, redraw: bool, font_size: int) -> dict:
    """Play (always from the first frame) and Pause buttons for a figure's animation frames,
    at the bottom left under the plot; ``redraw``: whether each frame redraws the whole plot.

    Play runs from frame 0: an animated figure opens at its last frame, where "from the current
    frame" would have nothing left to play. Animating to ``[None]`` with zero duration is
    plotly's documented way to stop an animation.
    """
    play = dict(label="▶  Play", method="animate", args=[None, dict(
        frame=dict(duration=frame_ms, redraw=redraw), fromcurrent=False,
        transition=dict(duration=0), mode="immediate")])
    pause = dict(label="❚❚  Pause", method="animate", args=[[None], dict(
        frame=dict(duration=0, redraw=redraw), transition=dict(duration=0), mode="immediate")])
    return dict(type="buttons", direction="left", buttons=[play, pause], showactive=False,
                x=0.0, xanchor="left", y=0.0, yanchor="top", pad=dict(t=62, r=10, b=0, l=0),
                font=dict(size=font_size), bgcolor="#f2f2f2", bordercolor=GUIDE)


def reversed_range(n: int) -> list[float]:
    """Axis range listing ``n`` categories (or rows 0..n-1) top to bottom: what
    ``autorange="reversed"`` gives, written out (a redrawn chart then costs nothing, see
    ui/chart_look.py)."""
    return [n - 0.5, -0.5]


def class_color(i: int) -> str:
    """Colour of class ``i`` (an integer code), the same in every figure.

    Parameters
    ----------
    i : int
        Class code, 0-based. Codes past the palette (20 colours) wrap around.

    Returns
    -------
    str
        Hex colour such as ``"#0072B2"``.
    """
    return CLASS_COLORS[int(i) % len(CLASS_COLORS)]


def tint(color: str, strength: float = TINT_STRENGTH) -> str:
    """Mix a hex colour with white: ``strength=1`` keeps the colour, ``0`` gives white.

    Returns
    -------
    str
        ``"rgb(r, g, b)"``.
    """
    rgb = np.array([int(color.lstrip("#")[k:k + 2], 16) for k in (0, 2, 4)], dtype=float)
    mixed = 255.0 - (255.0 - rgb) * strength
    r, g, b = (int(round(v)) for v in mixed)
    return f"rgb({r}, {g}, {b})"


def probability_colorscale() -> list[list]:
    """Diverging scale for p(class 1): class 0's tint at 0, white at 0.5, class 1's tint at 1."""
    return [[0.0, tint(class_color(0))], [0.5, "rgb(255, 255, 255)"], [1.0, tint(class_color(1))]]


def region_colorscale(k: int) -> list[list]:
    """Stepped scale so integer ``z = m`` (with ``zmin=-0.5, zmax=k-0.5``) is class m's tint."""
    scale = []
    for m in range(k):
        color = tint(class_color(m), REGION_TINT_STRENGTH)
        scale.append([m / k, color])
        scale.append([(m + 1) / k, color])
    return scale


# --------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------

def fmt_p(value: float) -> str:
    """Threshold text, the same as every other label shows it: 0.5 -> "0.50", 0.03298 -> "0.03298".

    All the digits the value has (``logreg.decisions.threshold_text``): a label that rounded
    0.03298 to 0.033 would name a threshold whose metrics differ from those drawn.
    """
    from .decisions import threshold_text

    return threshold_text(value)


def fmt_count(n: int) -> str:
    """Integer with thousands separators: 20000 -> "20,000"."""
    return f"{int(n):,}"


def html_escape(text: str) -> str:
    """Escape user-supplied names (CSV headers) before they go into plotly's HTML-ish labels."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def hover_escape(text: str) -> str:
    """Escape a name for a hovertemplate: HTML, and the braces of a ``%{...}`` placeholder."""
    return html_escape(text).replace("{", "&#123;").replace("}", "&#125;")


def class_label(class_names: Sequence[str] | None, m: int) -> str:
    """Name of class code ``m``, falling back to ``"class m"`` when names are missing."""
    if class_names is not None and 0 <= m < len(class_names):
        return str(class_names[m])
    return f"class {m}"


# --------------------------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------------------------

# A subtitle longer than this many characters is broken into lines: plotly never wraps text,
# and a plot in a third of a 1280 px screen is about 360 px wide (55 characters at 13 px).
NOTE_LINE_CHARS = 52
# Gap in px between the bottom axis line and a legend under the plot: room for the tick labels
# and the axis title, so the legend never covers them.
LEGEND_GAP_PX = 58
# Height in px assumed for a legend under the plot (two rows of 13 px entries).
LEGEND_ROWS_PX = 46


def wrap_note(text: str, width: int = NOTE_LINE_CHARS) -> str:
    """``text`` with ``<br>`` so no line is longer than ``width`` characters.

    Lines break between the notes of a joined subtitle (" · ") where they can, else between
    words (a longer single word stays whole). Existing ``<br>`` breaks are kept.
    """
    lines = []
    for paragraph in str(text).split("<br>"):
        line = ""
        for note in paragraph.split(" · "):
            if line and len(line) + 3 + len(note) <= width:
                line = f"{line} · {note}"
                continue
            if line:
                lines.append(line)
            line = ""
            for word in note.split(" "):
                if line and len(line) + 1 + len(word) > width:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}" if line else word
        lines.append(line)
    return "<br>".join(lines)


def top_margin(subtitle: str | None) -> int:
    """Top margin in px for a title and a subtitle of any number of lines."""
    if not subtitle:
        return 70
    return 80 + 17 * (str(subtitle).count("<br>") + 1)


def _plot_height(height: float, top: float, bottom: float,
                 legend_px: float = LEGEND_ROWS_PX) -> float:
    """The plot area's height in px once plotly has made room for a legend (``legend_px``
    tall) under it."""
    return max(60.0, float(height) - float(top) - max(float(bottom), LEGEND_GAP_PX)
               - float(legend_px))


def legend_below_y(height: float, top: float, bottom: float = 60,
                   gap: float = LEGEND_GAP_PX, legend_px: float = LEGEND_ROWS_PX) -> float:
    """``legend.y`` (paper units, negative) that puts a legend ``gap`` px under the plot.

    Paper units are fractions of the plot area's height, which plotly shrinks to make room for
    the legend itself, so a fixed fraction (-0.16) covered the axis title on short plots.
    """
    return -float(gap) / _plot_height(height, top, bottom, legend_px)


def legend_gap_px(layout: dict) -> float:
    """The gap in px that a layout's legend-under-the-plot ``y`` stands for."""
    margin = layout.get("margin") or {}
    return -float(layout["legend"]["y"]) * _plot_height(
        layout.get("height", HEIGHT), margin.get("t", 70), margin.get("b", 60))


def apply_layout(
    fig: FigureSpec,
    *,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    subtitle: str | None = None,
    height: int = HEIGHT,
    legend_below: bool = True,
) -> FigureSpec:
    """Give ``fig`` the shared look: template, fonts, title (+ subtitle), axis titles, margins.

    Parameters
    ----------
    fig : FigureSpec
        Figure under construction, changed in place.
    title : str
        Figure title.
    x_title, y_title : str, optional
        Axis titles (meaning and unit), set on the primary axes.
    subtitle : str, optional
        Smaller line under the title (notes such as "showing 20,000 of 1,000,000 points").
    height : int, default=520
        Fixed height in pixels, so plots in a wide layout look the same on every page.
    legend_below : bool, default=True
        Horizontal legend under the plot (keeps the plot area wide); else vertical at the right.

    Returns
    -------
    FigureSpec
        ``fig`` itself.
    """
    subtitle = wrap_note(subtitle) if subtitle else None
    title_dict = dict(text=title, x=0.0, xanchor="left", font=dict(size=TITLE_SIZE))
    if subtitle:
        title_dict["subtitle"] = dict(text=subtitle, font=dict(size=13, color="#555555"))
    top = top_margin(subtitle)
    if legend_below:
        legend = dict(orientation="h", x=0.0, xanchor="left", y=legend_below_y(height, top),
                      yanchor="top", font=dict(size=13))
    else:
        legend = dict(orientation="v", x=1.02, xanchor="left", y=1.0, yanchor="top",
                      font=dict(size=13))
    fig.update_layout(
        template=template(),
        title=title_dict,
        height=height,
        font=dict(size=FONT_SIZE),
        # Top margin leaves room for title and subtitle; automargin grows it for long legends.
        margin=dict(l=70, r=30, t=top, b=60),
        legend=legend,
        hoverlabel=dict(font=dict(size=13)),
    )
    # Tick labels as large as the text: Streamlit's chart theme draws them at 12 px otherwise,
    # too small for the back of a room.
    fig.update_layout(xaxis=dict(tickfont=dict(size=TICK_SIZE)),
                      yaxis=dict(tickfont=dict(size=TICK_SIZE)))
    # layout.xaxis / layout.yaxis are the primary axes, also in figures with a secondary y axis.
    if x_title is not None:
        fig.update_layout(xaxis=dict(title=dict(text=x_title, font=dict(size=FONT_SIZE))))
    if y_title is not None:
        fig.update_layout(yaxis=dict(title=dict(text=y_title, font=dict(size=FONT_SIZE))))
    return fig


def add_note(fig: FigureSpec, text: str, *, color: str = "#444444", y: float = 0.5,
             bgcolor: str = "rgba(255, 255, 255, 0.85)") -> None:
    """Put a boxed sentence in the middle of the plot area (why a figure is empty, a warning)."""
    fig.add_annotation(
        text=text, xref="paper", yref="paper", x=0.5, y=y, showarrow=False,
        font=dict(size=15, color=color), bgcolor=bgcolor, bordercolor=color, borderwidth=1,
        borderpad=6,
    )


def note_annotation(text: str, *, color: str = "#444444", y: float = 0.5) -> dict:
    """The same boxed note as :func:`add_note`, as a plain dict (animation frames need dicts)."""
    return dict(
        text=text, xref="paper", yref="paper", x=0.5, y=y, showarrow=False,
        font=dict(size=15, color=color), bgcolor="rgba(255, 255, 255, 0.85)",
        bordercolor=color, borderwidth=1, borderpad=6,
    )


def join_notes(*parts: str | None) -> str | None:
    """Join the non-empty notes with " · " (None if there is none)."""
    kept = [p for p in parts if p]
    return " · ".join(kept) if kept else None


# --------------------------------------------------------------------------------------------
# Clean arrays: plotly must never see NaN or inf
# --------------------------------------------------------------------------------------------

def as_1d(values, name: str) -> np.ndarray:
    """``values`` as a 1-D float array, or a ValueError naming the argument."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}.")
    return arr


def finite_pairs(x, y, *extra) -> tuple[np.ndarray, ...]:
    """Keep positions where ``x``, ``y`` (and every ``extra`` array) are all finite.

    A line then simply skips the bad points instead of drawing NaN (which plotly would serialize
    as null and break the JSON tests and some renderers).
    """
    arrays = [np.asarray(a, dtype=float).ravel() for a in (x, y, *extra)]
    n = arrays[0].shape[0]
    if any(a.shape[0] != n for a in arrays):
        raise ValueError(f"Arrays of different lengths: {[a.shape[0] for a in arrays]}.")
    keep = np.ones(n, dtype=bool)
    for a in arrays:
        keep &= np.isfinite(a)
    return tuple(a[keep] for a in arrays)


def clean_probability_grid(
    proba, shape: tuple[int, int], name: str = "proba"
) -> tuple[np.ndarray, bool]:
    """A probability grid clipped to [0, 1] with non-finite cells set to 0.5.

    Parameters
    ----------
    proba : array-like of shape (ny, nx)
    shape : (ny, nx)
        Expected shape (lengths of the grid's y and x axes).

    Returns
    -------
    grid : ndarray of shape (ny, nx)
    any_finite : bool
        False when not a single cell was finite (a diverged model): nothing real to draw.
    """
    grid = np.asarray(proba, dtype=float)
    if grid.shape != tuple(shape):
        raise ValueError(
            f"{name} has shape {grid.shape} but the grid axes give "
            f"(len(ys), len(xs)) = {tuple(shape)}."
        )
    finite = np.isfinite(grid)
    # 0.5 is "undecided": neutral white on the diverging scale, and never a fake prediction.
    # float32 halves the JSON sent to the browser (animations carry one grid per frame).
    clean = np.clip(np.where(finite, grid, 0.5), 0.0, 1.0).astype(np.float32)
    return clean, bool(finite.any())


def check_points(X, y, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Validate (n, 2) points and (n,) integer codes, dropping rows with non-finite features."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"{name} must have shape (n, 2) (the two features drawn), got {X.shape}.")
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"{name} has {X.shape[0]} rows but its labels have shape {y.shape}.")
    keep = np.isfinite(X).all(axis=1)
    return X[keep], y[keep].astype(int)


# --------------------------------------------------------------------------------------------
# Big data: draw a stratified sample
# --------------------------------------------------------------------------------------------

def stratified_sample(y: np.ndarray, max_points: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of at most ``max_points`` rows, keeping each class's share (and every class seen).

    Parameters
    ----------
    y : ndarray of shape (n,)
        Integer class codes.
    max_points : int
        Upper bound on the number of indices returned.
    rng : numpy.random.Generator
        Seeded generator, so the same data always shows the same sample.

    Returns
    -------
    ndarray of shape (min(n, max_points),)
        Sorted row indices.
    """
    if max_points < 1:
        raise ValueError(f"max_points must be at least 1, got {max_points}.")
    n = y.shape[0]
    if n <= max_points:
        return np.arange(n)
    classes, counts = np.unique(y, return_counts=True)
    exact = counts * (max_points / n)
    quota = np.floor(exact).astype(int)
    if classes.size <= max_points:
        # A rare class must not vanish from the picture: it is often the one the user cares about.
        quota = np.maximum(quota, 1)
    short = max_points - quota.sum()
    order = np.argsort(-(exact - np.floor(exact)))
    for j in order:
        if short <= 0:
            break
        extra = min(short, counts[j] - quota[j])
        quota[j] += extra
        short -= extra
    while short < 0:  # the minimum of one per class overshot: take back from the biggest class
        j = int(np.argmax(quota))
        quota[j] -= min(-short, quota[j] - 1)
        short = max_points - quota.sum()
    picked = [rng.choice(np.flatnonzero(y == c), size=q, replace=False)
              for c, q in zip(classes, quota) if q > 0]
    return np.sort(np.concatenate(picked))


def sample_note(shown: int, total: int) -> str | None:
    """"showing 20,000 of 1,000,000 points" when a sample was drawn, else None."""
    if shown >= total:
        return None
    return f"showing {fmt_count(shown)} of {fmt_count(total)} points (stratified sample)"


def split_budget(sizes: Sequence[int], max_points: int) -> list[int]:
    """Share ``max_points`` between point sets (train, test) in proportion to their sizes."""
    total = int(sum(sizes))
    if total <= max_points:
        return [int(s) for s in sizes]
    budget = [int(max_points * s // total) for s in sizes]
    budget[int(np.argmax(sizes))] += max_points - sum(budget)
    return budget


# --------------------------------------------------------------------------------------------
# Point traces
# --------------------------------------------------------------------------------------------

def point_traces(
    X: np.ndarray,
    y: np.ndarray,
    *,
    class_names: Sequence[str],
    feature_names: Sequence[str],
    symbol: str = "circle",
    split: str | None = None,
    p: np.ndarray | None = None,
    p_label: str | None = None,
    webgl: bool = False,
    size: float = 8,
    show_legend: bool = True,
) -> list:
    """One scatter trace per class present in ``y``, in that class's colour.

    Parameters
    ----------
    X : ndarray of shape (n, 2)
        Already sampled and finite.
    y : ndarray of shape (n,)
        Integer class codes.
    class_names, feature_names : sequence of str
    symbol : str
        Marker symbol ("circle" for training points, "x" for test points).
    split : str, optional
        "train" or "test": shown in the legend and hover.
    p : ndarray of shape (n,), optional
        Predicted probability shown in hover (skipped unless every value is finite).
    p_label : str, optional
        What ``p`` is, e.g. "p(spam)".
    webgl : bool
        Draw with WebGL (``scattergl``: fast for thousands of points).

    Returns
    -------
    list of dict
        Plotly traces as dicts (``type`` names the trace).
    """
    f1, f2 = (hover_escape(f) for f in feature_names)
    show_p = p is not None and p.shape[0] == y.shape[0] and np.isfinite(p).all()
    trace_type = "scattergl" if webgl else "scatter"
    traces = []
    for m in np.unique(y):
        mask = y == m
        name = html_escape(class_label(class_names, int(m)))
        suffix = f" ({split})" if split else ""
        hover = (f"<b>true class: {hover_escape(class_label(class_names, int(m)))}</b>{suffix}<br>"
                 f"{f1} = %{{x:.3g}}<br>{f2} = %{{y:.3g}}")
        kwargs = {}
        if show_p:
            hover += f"<br>predicted {hover_escape(p_label or 'p')} = %{{customdata:.3f}}"
            kwargs["customdata"] = p[mask].astype(np.float32)
        color = class_color(int(m))
        # float32 halves what travels to the browser on every rerun; hover shows 3 digits.
        traces.append(dict(
            type=trace_type, x=X[mask, 0].astype(np.float32), y=X[mask, 1].astype(np.float32),
            mode="markers", name=name + suffix, legendgroup=f"class{int(m)}",
            marker=dict(
                color=color, symbol=symbol, size=size if symbol == "circle" else size + 1,
                opacity=0.9, line=dict(width=0.8, color="rgba(30, 30, 30, 0.7)"),
            ),
            hovertemplate=hover + "<extra></extra>", showlegend=show_legend, **kwargs,
        ))
    return traces


# --------------------------------------------------------------------------------------------
# Pieces shared by several builders
# --------------------------------------------------------------------------------------------

def vline(fig, x, *, color, label, dash="dot", width=2, label_side="right"):
    """A vertical line over the whole plot height (a shape), with an optional label on top,
    right (default) or left of the line."""
    fig.add_shape(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                  line=dict(color=color, dash=dash, width=width))
    if label:
        left = label_side == "left"
        fig.add_annotation(x=x, y=1.0, xref="x", yref="paper", text=label, showarrow=False,
                           xanchor="right" if left else "left", yanchor="bottom",
                           xshift=-4 if left else 4,
                           font=dict(size=13, color=color), bgcolor="rgba(255, 255, 255, 0.8)")


def threshold_hovertext(thresholds, n):
    """Hover text per curve point: "threshold = 0.370", or a phrase where it is not finite.

    sklearn-style curves start at threshold +inf and precision-recall thresholds are one shorter
    than the curve, so both cases get words instead of a number.
    """
    if thresholds is None:
        return None
    t = np.asarray(thresholds, dtype=float).ravel()
    texts = []
    for i in range(n):
        if i >= t.size:
            texts.append("threshold: none (end of curve)")
        elif np.isposinf(t[i]) or t[i] > 1e300:
            texts.append("threshold: above every score (nothing predicted positive)")
        elif not np.isfinite(t[i]):
            texts.append("threshold: not available")
        else:
            texts.append(f"threshold = {t[i]:.3f}")
    return texts


def marker_trace(x, y, threshold, extra_hover):
    """Big red point at the current threshold, labelled "T = 0.37"."""
    label = f"T = {fmt_p(threshold)}" if threshold is not None else "current threshold"
    return dict(
        type="scatter", x=[float(x)], y=[float(y)], mode="markers+text",
        name=f"current threshold ({label})",
        # Label on the side with room: near the right edge it would be cut off.
        text=[label], textposition="bottom left" if float(x) > 0.7 else "bottom right",
        textfont=dict(size=15, color=ALERT),
        marker=dict(color=ALERT, size=16, line=dict(color="white", width=2)),
        hovertemplate=f"<b>{label}</b><br>{extra_hover}<extra></extra>",
    )


def unit_square_axes(fig):
    """Both axes 0-1 with equal scale, so a curve's shape (and its AUC) reads correctly."""
    fig.update_xaxes(range=[-0.01, 1.01], constrain="domain", zeroline=False, dtick=0.2)
    fig.update_yaxes(range=[-0.01, 1.01], scaleanchor="x", scaleratio=1, constrain="domain",
                     zeroline=False, dtick=0.2)


def chance_line():
    """The diagonal of a model that guesses at random (TPR = FPR)."""
    return dict(type="scatter", x=[0, 1], y=[0, 1], mode="lines", name="chance (random guessing)",
                line=dict(color=GUIDE, dash="dot", width=2), hoverinfo="skip")


def as_list(value):
    """None -> [], one dict -> [dict], a sequence of dicts -> list."""
    if value is None:
        return []
    return [value] if isinstance(value, dict) else list(value)


def all_finite(*values):
    """True when every value is a finite number (None, NaN, inf or non-numbers give False)."""
    try:
        return all(v is not None and np.isfinite(float(v)) for v in values)
    except (TypeError, ValueError):
        return False


def safe_divide(a, b):
    """a / b with 0 where b == 0 (an empty row has no rate, and must not become NaN)."""
    b = np.broadcast_to(b, a.shape)
    out = np.zeros_like(a, dtype=float)
    np.divide(a, b, out=out, where=b > 0)
    return out


# --------------------------------------------------------------------------------------------
# Presentation (projector) style: the same figure, readable from the back of a room
# --------------------------------------------------------------------------------------------

# Font sizes in px of the large style. Plotly draws axis ticks in ``layout.font`` unless an axis
# sets its own ``tickfont``, so both are set (a test reads ``_fullLayout`` in the browser).
LARGE_FONT = 18
LARGE_TICK = 18
LARGE_TITLE = 26
LARGE_SUBTITLE = 17
LARGE_AXIS_TITLE = 20
LARGE_LEGEND = 17
LARGE_NOTE_MIN = 18


def _with_font(node: dict | None, size: int, *, grow_only: bool = False) -> dict:
    """A copy of a layout node whose ``font.size`` is ``size`` (or at least ``size``)."""
    node = dict(node or {})
    font = dict(node.get("font") or {})
    old = font.get("size")
    font["size"] = max(size, old) if (grow_only and old) else size
    node["font"] = font
    return node


# Average width of a character of the app's sans-serif font, in font sizes (measured on the
# axis titles drawn: 0.33-0.39; a little more for safety).
CHAR_EM = 0.4


# The large style's legend rows: px per row, and the width assumed for the entries (a little
# less than a chart in half of a 1280 px page, so a legend is never given fewer rows than it
# takes; a wider chart only gets some room to spare). Plotly lays a horizontal legend out in
# columns as wide as its widest entry, or, when its traces are in legend groups, fills each row
# while the next entry fits. Checked: PR curve 3 rows, one-vs-rest regions 4, penalty path 3.
LARGE_LEGEND_ROW_PX = 35
LARGE_LEGEND_WIDTH_PX = 400
LEGEND_CHAR_EM = 0.45


def large_legend_px(names, grouped: bool = False) -> float:
    """Height in px of a legend of these entry names in the large style (2 rows if unknown)."""
    if names is None:
        return 2 * LARGE_LEGEND_ROW_PX
    if not names:
        return 0.0
    widths = [45 + LEGEND_CHAR_EM * LARGE_LEGEND * len(str(n)) for n in names]  # symbol, text
    if sum(widths) <= LARGE_LEGEND_WIDTH_PX:
        return LARGE_LEGEND_ROW_PX
    if not grouped:
        per_row = max(1, int(LARGE_LEGEND_WIDTH_PX // max(widths)))
        return -(-len(names) // per_row) * LARGE_LEGEND_ROW_PX
    rows, used = 1, 0.0
    for width in widths:
        if used and used + width > LARGE_LEGEND_WIDTH_PX:
            rows, used = rows + 1, 0.0
        used += width
    return rows * LARGE_LEGEND_ROW_PX


def _y_axis_px(layout: dict, key: str, legend_px: float = LEGEND_ROWS_PX) -> float | None:
    """Estimated length in px of a y axis once drawn in the large style (None for x axes)."""
    if not key.startswith("yaxis"):
        return None
    margin = layout.get("margin") or {}
    top, bottom = margin.get("t", 70) + 20, margin.get("b", 60) + 20
    legend = layout.get("legend") or {}
    below = legend.get("orientation") == "h" and legend.get("yref") != "container"
    plot = (_plot_height(layout.get("height", HEIGHT), top, bottom, legend_px) if below
            else float(layout.get("height", HEIGHT)) - top - bottom)
    lo, hi = (layout.get(key) or {}).get("domain") or (0.0, 1.0)
    return max(0.0, plot * (float(hi) - float(lo)))


def _two_lines(text: str) -> tuple[str, str] | None:
    """``text`` split at the space that makes its longer line shortest (None: one word)."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return None
    i = min(spaces, key=lambda i: max(i, len(text) - i - 1))
    return text[:i], text[i + 1:]


def _large_axis_title(title: dict, length_px: float | None) -> dict:
    """An axis title in the large style that fits along its axis: LARGE_AXIS_TITLE on one line
    when it fits, else the largest size from there down to LARGE_TICK on two balanced lines,
    else the size it had (no longer than in the normal style). ``length_px`` None: no limit."""
    text = title.get("text")
    if length_px is None or not isinstance(text, str) or "<" in text:
        return _with_font(title, LARGE_AXIS_TITLE)
    halves = _two_lines(text)
    for size in range(LARGE_AXIS_TITLE, LARGE_TICK - 1, -1):
        per_line = length_px / (CHAR_EM * size)
        if len(text) <= per_line:
            return _with_font(title, size)
        if halves and max(map(len, halves)) <= per_line:
            return {**_with_font(title, size), "text": "<br>".join(halves)}
    return dict(title)


def styled_layout(layout: dict, *, large: bool, height: int | None = None,
                  legend_names=None, legend_grouped: bool = False) -> dict:
    """A copy of a figure's layout dict in the normal or the large (presentation) style.

    Parameters
    ----------
    layout : dict
        A plotly layout as plain dicts (``fig.to_dict()["layout"]``); not changed.
    large : bool
        True: fonts for a projector (ticks 18 px, titles 26 px, legend 17 px, notes >= 18 px) and
        margins to match. False: the layout as built (only ``height`` may change).
    height : int, optional
        Figure height in px (the page chooses it to fit the screen); None keeps the figure's.
    legend_names : sequence of str, optional
        The legend's entries: the large style makes room for as many rows as they need.
    legend_grouped : bool
        True when the traces are in legend groups (plotly then packs the rows differently).

    Returns
    -------
    dict
        A new layout; nested nodes that change are copied, the rest are shared with ``layout``.
    """
    out = dict(layout)
    if height is not None:
        out["height"] = int(height)
    legend = out.get("legend") or {}
    below = legend.get("orientation") == "h" and legend.get("yanchor") == "top" \
        and isinstance(legend.get("y"), (int, float)) and legend["y"] < 0
    legend_px = large_legend_px(legend_names, legend_grouped) if large else LEGEND_ROWS_PX
    if below and (height is not None or large):
        # Keep the legend as many px under the plot at the new height (more for larger
        # tick labels and axis titles, and room for its larger rows).
        margin = out.get("margin") or {}
        # Larger ticks, and 12 px more per line of the x axis title.
        x_title = ((layout.get("xaxis") or {}).get("title") or {}).get("text") or ""
        gap = legend_gap_px(layout) + (5 + 12 * (str(x_title).count("<br>") + 1) if large else 0)
        top = margin.get("t", 70) + (20 if large else 0)
        out["legend"] = {**legend, "y": legend_below_y(out.get("height", HEIGHT), top,
                                                        margin.get("b", 60), gap, legend_px)}
    if not large:
        return out
    out = _with_font(out, LARGE_FONT)
    title = out.get("title")
    if isinstance(title, dict):
        title = _with_font(title, LARGE_TITLE)
        if isinstance(title.get("subtitle"), dict):
            title["subtitle"] = _with_font(title["subtitle"], LARGE_SUBTITLE)
        out["title"] = title
    for key in [k for k in out if k.startswith(("xaxis", "yaxis"))] or ["xaxis", "yaxis"]:
        axis = dict(out.get(key) or {})
        tickfont = dict(axis.get("tickfont") or {})
        tickfont["size"] = LARGE_TICK
        axis["tickfont"] = tickfont
        if isinstance(axis.get("title"), dict):
            axis["title"] = _large_axis_title(axis["title"], _y_axis_px(out, key, legend_px))
            if "<br>" in str(axis["title"].get("text")):
                axis["automargin"] = True  # room for the second line
        out[key] = axis
    if "legend" in out:
        out["legend"] = _with_font(out["legend"], LARGE_LEGEND)
        if isinstance(out["legend"].get("title"), dict):
            out["legend"]["title"] = _with_font(out["legend"]["title"], LARGE_LEGEND)
    out["hoverlabel"] = _with_font(out.get("hoverlabel"), LARGE_LEGEND)
    if out.get("annotations"):
        out["annotations"] = [_with_font(a, LARGE_NOTE_MIN, grow_only=True)
                              for a in out["annotations"]]
    if out.get("sliders"):
        out["sliders"] = [_with_font(s, LARGE_FONT) for s in out["sliders"]]
    if out.get("updatemenus"):
        out["updatemenus"] = [_with_font(m, LARGE_FONT) for m in out["updatemenus"]]
    margin = dict(out.get("margin") or {})
    for side, extra in (("l", 20), ("t", 20), ("b", 20)):
        if side in margin:
            margin[side] = int(margin[side]) + extra
    out["margin"] = margin
    return out
