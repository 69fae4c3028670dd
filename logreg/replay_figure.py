"""The training replay: one plotly figure whose frames carry every recorded epoch.

Replay and Play are the same figure: the decision boundary (left), the loss curve with a marker
at the shown epoch (top right) and the weights at that epoch (bottom right), all moved by ONE
plotly slider and a Play/Pause button. Scrubbing runs entirely in the browser (no server rerun),
and the boundary, the loss marker and the weights always show the same epoch because one frame
updates all three. The probabilities travel as one small palette PNG per epoch (a layout image,
with the boundary line drawn into it), so a frame never makes plotly redraw the points.

Numpy arrays in, ``go.Figure`` out; no streamlit.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from html import unescape as html_unescape

import numpy as np

from ._figure_spec import FigureSpec
from ._figure_style import (
    ALERT,
    GUIDE,
    INK,
    MUTED,
    TITLE_SIZE,
    apply_layout,
    as_1d,
    class_color,
    class_label,
    finite_pairs,
    fmt_p,
    html_escape,
    join_notes,
    play_pause_buttons,
    probability_colorscale,
    reversed_range,
    wrap_note,
)
from ._png import data_url, palette_pngs
from .figures import _boundary_points, _grid_axes, _uncrossed_note

__all__ = ["training_replay_figure", "replay_frame_epochs", "replay_grids", "ReplayGrids",
           "narrow", "large", "REPLAY_FRAME_MS"]

# Milliseconds per frame while playing: slow enough to follow one epoch's change, and a steady
# pace even with 10,000 WebGL points redrawn per frame on a slow machine.
REPLAY_FRAME_MS = 150
# Panels (paper fractions): the boundary on the left, loss and weights stacked on the right.
BOUNDARY_X = (0.0, 0.57)
SIDE_X = (0.74, 1.0)
LOSS_Y = (0.62, 1.0)
WEIGHTS_Y = (0.0, 0.34)
# Height in px: the whole figure (title to Play) fits a 1280x720 projector under the controls.
REPLAY_HEIGHT = 490
# Weights drawn in the side panel (largest |w| after the last epoch first).
MAX_WEIGHTS = 8


def replay_frame_epochs(n_iter: int, wanted=None, max_frames: int = 40) -> np.ndarray:
    """Epochs that get a frame: all when few, else geometrically spaced (early epochs change the
    boundary most), always with 0, the last epoch and ``wanted`` (the epoch to open at).

    Returns int array, sorted and unique, values in ``0..n_iter``.
    """
    if n_iter + 1 <= max_frames:
        picks = np.arange(n_iter + 1)
    else:
        picks = np.round(np.geomspace(1, n_iter + 1, max_frames)).astype(int) - 1
    extra = [0, n_iter] + ([] if wanted is None else [int(np.clip(wanted, 0, n_iter))])
    return np.unique(np.concatenate([picks, extra])).astype(int)


def _epoch_text(epoch, loss, notes):
    """The line over the boundary plot: "epoch 37 · loss 0.412", then notes in smaller type."""
    text = f"<b>epoch {int(epoch)}</b>"
    if loss is not None and np.isfinite(loss):
        text += f" · loss {float(loss):.3f}"
    # Notes go over the plot, never on the points (issue 13: no box covering epoch 0).
    for note, color in notes:
        if note:
            text += f"<br><span style='font-size:13px;color:{color}'>{note}</span>"
    return text


def _note_lines(note) -> int:
    """How many lines the figure's subtitle ``note`` takes once wrapped (0 without one)."""
    return wrap_note(note).count("<br>") + 1 if note else 0


def _marker_xy(epoch, loss):
    """The loss marker at ``epoch`` (no point where the loss is not finite: a diverged run)."""
    ok = bool(np.isfinite(loss))
    return dict(x=[int(epoch)] if ok else [], y=[float(loss)] if ok else [])


def _hex_rgb(color: str) -> np.ndarray:
    if color.startswith("#"):
        return np.array([int(color[k:k + 2], 16) for k in (1, 3, 5)], dtype=float)
    return np.array([float(v) for v in color[color.index("(") + 1:-1].split(",")])


def probability_palette() -> np.ndarray:
    """(102, 3) uint8: the heatmap's colour scale at p = 0%, 1%, ..., 100%, then the line's ink
    (index ``LINE_INDEX``)."""
    stops = probability_colorscale()
    pos = np.array([s[0] for s in stops]) * 100.0
    rgb = np.array([_hex_rgb(s[1]) for s in stops])
    pct = np.arange(101.0)
    # Linear in RGB between stops, as plotly interpolates a colour scale.
    cols = np.stack([np.interp(pct, pos, rgb[:, c]) for c in range(3)], axis=1)
    return np.vstack([np.rint(cols), _hex_rgb(INK)[None, :]]).astype(np.uint8)


LINE_INDEX = 101
# Half the boundary line's width, in grid cells (the picture is stretched ~2-3x on screen).
LINE_HALF_WIDTH = 0.75


@dataclass(frozen=True)
class ReplayGrids:
    """The replay's probability grids, with everything that does not depend on the threshold
    computed once (:func:`replay_grids`): a threshold step only draws the line and the notes.

    ``grids`` (k, ny, nx) float32: p clipped to [0, 1], non-finite cells (a diverged model) as
    0.5, "undecided"; ``any_finite`` (k,) bool: the grid had a finite cell; ``percent``
    (k, ny, nx) uint8: the palette index of each cell, whole percent (row 0 = the first y).
    Read-only arrays (shared by every figure built from them).
    """

    grids: np.ndarray
    any_finite: np.ndarray
    percent: np.ndarray

    @property
    def shape(self):
        return self.grids.shape


def replay_grids(probas, overwrite: bool = False) -> ReplayGrids:
    """:class:`ReplayGrids` of probability grids ``probas`` (k, ny, nx).

    ``overwrite``: ``probas`` (float64) may be clipped in place, as a cache that keeps only the
    prepared grids allows: a fresh 10 MB array costs more in page faults than the clip itself.
    """
    probas = np.asarray(probas, dtype=float)
    finite = np.isfinite(probas)
    # Clipped, then rounded to float32; the non-finite cells (clipped to 0 or 1, or left nan)
    # become 0.5. (np.clip straight into a float32 ``out`` is 10x slower on these grids.)
    in_place = overwrite and probas.flags.writeable
    grids = np.clip(probas, 0.0, 1.0, out=probas if in_place else None).astype(np.float32)
    if not finite.all():
        np.copyto(grids, np.float32(0.5), where=~finite)
    any_finite = finite.reshape(len(probas), -1).any(axis=1)
    percent = _percent(grids, clipped=True)
    for array in (grids, any_finite, percent):
        array.flags.writeable = False
    return ReplayGrids(grids, any_finite, percent)


def _percent(g, clipped=False) -> np.ndarray:
    """Palette index (whole percent) of float32 probabilities ``g`` (``clipped``: already in
    [0, 1], as :func:`replay_grids` makes them)."""
    scaled = np.multiply(g if clipped else np.clip(g, 0.0, 1.0), np.float32(100.0))
    return np.rint(scaled, out=scaled).astype(np.uint8)


def probability_picture(grid, threshold, percent=None) -> np.ndarray:
    """Palette indices of probability grids (..., ny, nx): whole percent, and ``LINE_INDEX`` on
    the cells next to where p crosses ``threshold`` and within ``LINE_HALF_WIDTH`` cells of it.
    Row 0 is the TOP of the picture (the grid's last y). Works on one grid or a stack.
    ``percent``: the grids' whole-percent indices when already known (``ReplayGrids.percent``).
    """
    return _picture(np.asarray(grid, dtype=np.float32), threshold, percent)[0]


def _picture(g, threshold, percent=None):
    """:func:`probability_picture` of float32 grids ``g``, and whether each grid (axis 0 of a
    stack; one value for one grid) has cells on both sides of ``threshold``: where some do,
    two neighbours differ (a grid is connected), so that is where a crossing was found."""
    idx = _percent(g) if percent is None else np.array(percent, dtype=np.uint8)
    above = g >= threshold
    row_flip = above[..., :, :-1] != above[..., :, 1:]
    col_flip = above[..., :-1, :] != above[..., 1:, :]
    crossing = np.zeros_like(above)
    crossing[..., :, :-1] |= row_flip
    crossing[..., :, 1:] |= row_flip
    crossing[..., :-1, :] |= col_flip
    crossing[..., 1:, :] |= col_flip
    # Of the cells next to a crossing, keep those within LINE_HALF_WIDTH cells of the level
    # (first-order distance |p - T| / |grad p|): an even line instead of a staircase.
    # The same cells in the same (C) order as np.nonzero(crossing), 3-4x faster on a stack.
    cells = np.unravel_index(np.flatnonzero(crossing), crossing.shape)
    gy, gx = _gradient_at(g, cells, -2), _gradient_at(g, cells, -1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        distance = np.abs(g[cells] - threshold) / np.hypot(gx, gy)  # flat: inf, never on the line
    near = ~(distance > LINE_HALF_WIDTH)
    idx[tuple(c[near] for c in cells)] = LINE_INDEX
    crossed = (np.bincount(cells[0], minlength=g.shape[0]) > 0 if g.ndim == 3
               else np.array(cells[0].size > 0))
    return idx[..., ::-1, :], crossed


def _gradient_at(g, cells, axis):
    """``np.gradient(g, axis=axis)[cells]`` computed at those cells only (the few next to the
    line, not the whole stack): central differences inside, one-sided at the edges, in g's dtype.
    """
    n = g.shape[axis]
    if n < 2:
        return np.gradient(g, axis=axis)[cells]
    at = cells[axis]
    up, down = np.minimum(at + 1, n - 1), np.maximum(at - 1, 0)
    ahead, behind = list(cells), list(cells)
    ahead[axis], behind[axis] = up, down
    step = g[tuple(ahead)] - g[tuple(behind)]
    # Halving is exact, so this equals np.gradient's (f[i+1] - f[i-1]) / 2 bit for bit.
    return np.where(up - down == 2, step * g.dtype.type(0.5), step)


def training_replay_figure(xs, ys, probas, epochs, losses, coefs, intercepts, X_train, y_train, *,
                           class_names, feature_names, weight_names, threshold=0.5, start=None,
                           loss_epochs=None, train_loss=None, val_loss=None, X_test=None,
                           y_test=None, p_train=None, p_test=None, subtitle=None,
                           max_points=20000, seed=0):
    """Decision boundary, loss marker and weights for every listed epoch, in one animated figure.

    Each frame changes only the picture of the probabilities (a layout image with the
    ``p = threshold`` line drawn into it), the epoch line over the plot, the loss marker and the
    weight bars: none of them needs plotly to redraw the points, so a frame is drawn in a few
    milliseconds whatever the number of points.

    Parameters
    ----------
    xs, ys : array-like of shape (nx,) / (ny,)
        Grid values of the two drawn features (evenly spaced).
    probas : array-like of shape (k, ny, nx), or their :class:`ReplayGrids`
        p(class 1) on the grid at each listed epoch (a cache keeps :func:`replay_grids` of
        them, so that a threshold step does not prepare them again).
    epochs : array-like of int, shape (k,)
        Epoch of each grid (the frame names), increasing.
    losses : array-like of shape (k,)
        Training loss (the loss curve's value) at each listed epoch.
    coefs : array-like of shape (k, d)
        Weights at each listed epoch; ``intercepts`` (k,) the intercept.
    X_train, y_train : arrays (n, 2) / (n,)
        Points (they do not move between frames).
    class_names, feature_names : sequences of str (2 feature names: the drawn axes)
    weight_names : sequence of d str
        Name of each weight (model features, e.g. "x1^2").
    threshold : float
        Level of the boundary line.
    start : int, optional
        Epoch the figure opens at (must be in ``epochs``; default the last).
    loss_epochs, train_loss, val_loss : arrays (E,), optional
        The whole loss curves (every epoch) drawn under the marker.
    X_test, y_test : optional test points ("x" markers).
    p_train, p_test : optional final probabilities per point (hover says "after the last epoch").
    subtitle : str, optional
        A static note (e.g. which features are drawn).

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: 0 epoch text, 1-2 weight bars (w > 0, w < 0), 3 colour bar, 4 the boundary
        line's legend entry, then the loss lines, the loss marker and the points. One frame per
        epoch (named by the epoch number) updates the text, the bars, the marker and
        ``layout.images[0]``; the slider's current value reads "epoch 37".
    """
    xs, ys = _grid_axes(xs, ys)
    if not isinstance(probas, ReplayGrids):
        probas = np.asarray(probas, dtype=float)
    epochs = np.asarray(epochs).astype(int).ravel()
    k = epochs.size
    if k == 0 or probas.shape != (k, ys.size, xs.size):
        raise ValueError(f"probas must have shape (len(epochs), ny, nx) = ({k}, {ys.size}, "
                         f"{xs.size}), got {probas.shape}.")
    losses = as_1d(losses, "losses")
    coefs = np.asarray(coefs, dtype=float).reshape(k, -1)
    intercepts = as_1d(intercepts, "intercepts")
    start = int(epochs[-1] if start is None else start)
    if start not in epochs:
        raise ValueError(f"start epoch {start} has no frame.")
    i0 = int(np.flatnonzero(epochs == start)[0])

    # Weights: a fixed order (largest |w| at the last epoch on top) so bars do not jump around.
    final = np.where(np.isfinite(coefs[-1]), np.abs(coefs[-1]), -1.0)
    order = np.argsort(-final, kind="stable")[:MAX_WEIGHTS]
    full_names = [html_escape(weight_names[j]) for j in order]
    names = short_labels(full_names, WEIGHT_LABEL_CHARS)  # the axis; hover shows full_names
    shown_w = np.where(np.isfinite(coefs[:, order]), coefs[:, order], 0.0)
    w_span = float(np.max(np.abs(shown_w))) if shown_w.size else 1.0
    w_span = w_span * 1.1 if w_span > 0 else 1.0

    palette = probability_palette()
    # Non-finite cells (a diverged model) are drawn as 0.5, "undecided", as in the heatmaps.
    prepared = probas if isinstance(probas, ReplayGrids) else replay_grids(probas)
    grids, any_finites = prepared.grids, prepared.any_finite
    picture_idx, crossed = _picture(grids, threshold, prepared.percent)
    # Frames whose whole grid is on one side of the threshold (the only ones with a note).
    one_side = ~crossed
    frames, texts, pictures = [], [], []
    pngs = palette_pngs(picture_idx, palette)
    for i, epoch in enumerate(epochs):
        grid, any_finite = grids[i], bool(any_finites[i])
        diverged = None if any_finite else f"training diverged by epoch {int(epoch)}"
        uncrossed = _uncrossed_note(grid, threshold, class_names) \
            if any_finite and one_side[i] else None
        b = intercepts[i]
        b_note = f"intercept b = {b:.3g}" if np.isfinite(b) else None
        text = _epoch_text(epoch, losses[i], [(diverged, ALERT), (uncrossed, "#444444"),
                                              (b_note, "#555555")])
        picture = data_url(pngs[i])
        texts.append(text)
        pictures.append(picture)
        w = shown_w[i]
        frames.append(dict(
            name=str(int(epoch)),
            data=[dict(text=[text]), dict(x=np.where(w > 0, w, 0.0).tolist()),
                  dict(x=np.where(w < 0, w, 0.0).tolist()), _marker_xy(epoch, losses[i])],
            layout=dict(images=[dict(source=picture)]),
        ))

    w0 = shown_w[i0]
    # The epoch line sits on the plot's top left corner (outside it: cliponaxis=False).
    label = dict(type="scatter", x=[float(xs[0])], y=[float(ys[-1])], text=[texts[i0]],
                 mode="text", textposition="top right", textfont=dict(size=17, color=INK),
                 cliponaxis=False, showlegend=False, hoverinfo="skip", name="epoch")
    marker = dict(type="scatter", **_marker_xy(start, losses[i0]), mode="markers",
                  marker=dict(size=13, color=INK, line=dict(color="white", width=2)),
                  xaxis="x2", yaxis="y2", showlegend=False, name="shown epoch",
                  hovertemplate="epoch %{x}<br>loss %{y:.4f}<extra></extra>")
    bars = [dict(type="bar", x=np.where(sign * w0 > 0, w0, 0.0).astype(np.float32), y=names,
                 customdata=full_names, orientation="h", marker=dict(color=class_color(c)),
                 xaxis="x3", yaxis="y3", showlegend=False, name=f"weights {word}",
                 hovertemplate="<b>%{customdata}</b><br>weight w = %{x:.4g}<extra></extra>")
            for sign, c, word in ((1, 1, "> 0"), (-1, 0, "< 0"))]
    f1, f2 = (html_escape(f) for f in feature_names)
    # The colour bar of the picture: a heatmap beyond the (fixed) axis ranges, never seen.
    far_x, far_y = float(xs[-1] + 10 * (xs[-1] - xs[0])), float(ys[-1] + 10 * (ys[-1] - ys[0]))
    scale = dict(type="heatmap", x=[far_x, far_x + 1], y=[far_y, far_y + 1],
                 z=[[0, 100], [100, 0]], zmin=0, zmax=100, colorscale=probability_colorscale(),
                 hoverinfo="skip", showlegend=False, name="predicted probability",
                 colorbar=dict(
                     title=dict(text=f"p({html_escape(class_label(class_names, 1))})",
                                side="right"),
                     tickvals=[0, 25, 50, 75, 100], ticktext=["0", "0.25", "0.5", "0.75", "1"],
                     thickness=12, len=1.0, y=0.5, yanchor="middle", outlinewidth=0,
                     x=BOUNDARY_X[1] + 0.01, xanchor="left"))
    # The line is drawn into the picture; this trace (beyond the ranges) is its legend entry.
    line = dict(type="scatter", x=[far_x, far_x + 1], y=[far_y, far_y], mode="lines", line=dict(color=INK, width=3),
                name=f"p = {fmt_p(threshold)} boundary", showlegend=True, hoverinfo="skip",
                meta=dict(level=float(threshold)))  # the exact level the line is drawn at
    curves = []
    if loss_epochs is not None:
        for values, name, dash in ((train_loss, "train loss", "solid"),
                                   (val_loss, "test loss", "dash")):
            if values is None:
                continue
            x, yv = finite_pairs(loss_epochs, values)
            curves.append(dict(type="scatter", x=x, y=yv.astype(np.float32), mode="lines",
                               name=name, line=dict(color=MUTED if dash == "dash" else INK,
                                                    width=2, dash=dash),
                               xaxis="x2", yaxis="y2", showlegend=False,
                               hovertemplate=f"epoch %{{x}}<br>{name} = %{{y:.4f}}<extra></extra>"))
    point_trs, drawn_note = _boundary_points(
        X_train, y_train, X_test, y_test, p_train, p_test, class_names=class_names,
        feature_names=feature_names, max_points=max_points, seed=seed)
    for tr in point_trs:
        # The points do not move; their hover probability is the final model's, and says so.
        if "customdata" in tr:
            tr["hovertemplate"] = tr["hovertemplate"].replace(
                "<extra>", " (after the last epoch)<extra>")
    # The marker comes after the loss lines so it is drawn over them; frames name it by index.
    traces = [label] + bars + [scale, line] + curves + [marker] + point_trs
    for f in frames:
        f["traces"] = [0, 1, 2, len(curves) + 5]
    # Frames and the layout image are plain dicts of checked values (numbers, text, PNG data
    # URLs); plotly validates them only if the figure's plotly objects are used (LazyFigure).
    fig = FigureSpec(traces, frames=frames)
    # Plotly.react compares data arrays by identity unless datarevision is set: a threshold step
    # sends new copies of the same points, which would make plotly recompute every trace. The
    # digest of everything in the traces' arrays changes exactly when one of them changes.
    fig.update_layout(datarevision=_digest(
        texts[i0], w0, names, loss_epochs, train_loss, val_loss, _marker_xy(start, losses[i0]),
        X_train, y_train, X_test, y_test, p_train, p_test, max_points, seed))
    apply_layout(fig, title="Decision boundary", x_title=f1, y_title=f2, height=REPLAY_HEIGHT,
                 subtitle=join_notes(subtitle, drawn_note))
    fig.update_layout(
        # Top: the title and the epoch line; bottom: the x axis, then the slider row with Play.
        # Each subtitle line (17 px) pushes the epoch line and the plot down.
        margin=dict(t=90 + 17 * _note_lines(join_notes(subtitle, drawn_note)), b=160, l=62,
                    r=12),
        # The title on the figure's top edge, well clear of the epoch line over the plot.
        title=dict(y=1.0, yref="container", yanchor="top", pad=dict(t=6)),
        # The legend on the figure's bottom edge, under the slider: clear of every axis title.
        legend=dict(orientation="h", x=0.0, xanchor="left", y=0.0, yanchor="bottom",
                    yref="container", font=dict(size=13)),
        xaxis=dict(domain=list(BOUNDARY_X), range=[xs[0], xs[-1]], showgrid=False,
                   zeroline=False),
        yaxis=dict(range=[ys[0], ys[-1]], showgrid=False, zeroline=False),
        xaxis2=dict(domain=list(SIDE_X), anchor="y2", title=dict(text="epoch", standoff=4)),
        yaxis2=dict(domain=list(LOSS_Y), anchor="x2",
                    title=dict(text="loss (— train, -- test)", font=dict(size=13))),
        xaxis3=dict(domain=list(SIDE_X), anchor="y3", range=[-w_span, w_span], zeroline=True,
                    zerolinecolor=GUIDE, zerolinewidth=2,
                    title=dict(text="weight w" if coefs.shape[1] <= MAX_WEIGHTS else
                               f"weight w (the {MAX_WEIGHTS} largest of {coefs.shape[1]})",
                               standoff=4)),
        # The first weight on top: an explicit reversed range, the same as autorange="reversed"
        # (which made plotly redraw the whole figure when Streamlit hands it over a second
        # time, see ui/chart_look.py).
        yaxis3=dict(domain=list(WEIGHTS_Y), anchor="x3", range=reversed_range(len(names)),
                    categoryorder="array", categoryarray=names, tickfont=dict(size=12)),
        barmode="overlay",
        # Large buttons: a projector needs a big target. redraw=False: a frame only moves
        # what it changes (picture, text, marker, bars).
        updatemenus=[play_pause_buttons(REPLAY_FRAME_MS, redraw=False, font_size=18)],
        sliders=[_epoch_slider([f["name"] for f in frames], i0)],
    )
    # The margins above are fixed and hold every label (the weight names sit in the gap between
    # the colour bar and the weights panel, inside the figure). Automatic margins (the
    # template's default) made plotly measure every tick label and lay the figure out a second
    # time: half the time the browser spent drawing it.
    fig.update_layout({f"{axis}axis{k}": dict(automargin=False)
                       for axis in "xy" for k in ("", "2", "3")})
    image = dict(source=pictures[i0], xref="x", yref="y", x=float(xs[0]), y=float(ys[-1]),
                 sizex=float(xs[-1] - xs[0]), sizey=float(ys[-1] - ys[0]), sizing="stretch",
                 layer="below", xanchor="left", yanchor="top")
    fig.update_layout(images=[image])
    return fig.figure()


# The same figure in a column about 560 px wide (the guided tour's text stands beside it): the
# colour bar and the loss panel's tick labels need a wider gap than a fraction of 900 px gives.
NARROW_BOUNDARY_X = (0.0, 0.56)
NARROW_SIDE_X = (0.8, 1.0)


def narrow(spec: dict) -> dict:
    """A replay figure's dict (``fig.to_dict()``) laid out for a column about 560 px wide.

    The boundary keeps 56% of the width with the colour bar next to it; the loss and weights
    panels start further right, and the loss axis is named under its plot ("loss by epoch")
    so its title never meets the colour bar's. Returns a new dict; nested nodes that change are
    copied, the rest (frames, points) are shared with ``spec``.
    """
    layout = spec.get("layout", {})
    out = dict(layout)
    out["xaxis"] = {**(layout.get("xaxis") or {}), "domain": list(NARROW_BOUNDARY_X)}
    for key in ("xaxis2", "xaxis3"):
        out[key] = {**(layout.get(key) or {}), "domain": list(NARROW_SIDE_X)}
    out["xaxis2"]["title"] = {**(out["xaxis2"].get("title") or {}),
                              "text": "loss by epoch"}
    out["yaxis2"] = {**(layout.get("yaxis2") or {}), "title": {"text": ""}}
    # Few, unrotated epoch ticks; a weights title that fits 110 px.
    out["xaxis2"]["nticks"] = 3
    out["xaxis2"]["tickangle"] = 0
    title3 = (out["xaxis3"].get("title") or {})
    if "largest" in str(title3.get("text", "")):
        out["xaxis3"]["title"] = {**title3, "text": f"w ({MAX_WEIGHTS} largest)"}
    data, out["yaxis3"] = _shorter_weight_names(spec, layout, NARROW_WEIGHT_LABEL_CHARS)
    data = [{**t, "colorbar": {**t["colorbar"], "x": NARROW_BOUNDARY_X[1] + 0.01}}
            if "colorbar" in t else t for t in data]
    return {**spec, "data": data, "layout": out}


# Presentation style (ticks 18 px, axis titles larger): px added to the height and under the
# x axis, so the larger tick labels and titles keep clear of the slider, Play and the weights.
LARGE_EXTRA_PX = 24
LARGE_WEIGHTS_Y = (0.0, 0.3)


# The weight names stand in the gap between the colour bar and the weights panel: about 11
# characters of 12 px text in the wide figure, 8 in the tour's narrow column or at the
# presentation style's 18 px. Longer names are cut there ("worst conc…"); hover and the weights
# chart under the figure show them whole.
WEIGHT_LABEL_CHARS = 11
NARROW_WEIGHT_LABEL_CHARS = 8


def short_label(name: str, chars: int, middle: bool = False) -> str:
    """``name`` (HTML-escaped, as on the axis) cut to ``chars`` characters with an ellipsis at
    the end, or in the middle (``middle``: "worst…avity", for names sharing a beginning)."""
    raw = html_unescape(name)
    if len(raw) <= chars:
        return name
    if middle:
        head = (chars - 1) // 2
        return html_escape(raw[:head].rstrip() + "…" + raw[len(raw) - (chars - 1 - head):])
    return html_escape(raw[:chars - 1].rstrip() + "…")


def short_labels(names, chars: int) -> list:
    """Each name cut to ``chars`` at its end; names whose end cuts would be equal (breast_cancer's
    "worst concave points" and "worst concavity") cut in the middle instead; the names
    themselves if cuts still coincide."""
    end = [short_label(n, chars) for n in names]
    seen = Counter(end)
    short = [short_label(n, chars, middle=True) if seen[e] > 1 else e
             for n, e in zip(names, end)]
    return short if len(set(short)) == len(short) else list(names)


def _shorter_weight_names(spec: dict, layout: dict, chars: int):
    """(data, yaxis3) of a replay figure's dict with the weight names cut to ``chars`` (the
    bars carry the full names in ``customdata``)."""
    data, axis = list(spec.get("data", [])), dict(layout.get("yaxis3") or {})
    for i, t in enumerate(data):
        if t.get("type") == "bar" and t.get("yaxis") == "y3" and "customdata" in t:
            short = short_labels(t["customdata"], chars)
            data[i] = {**t, "y": short}
            axis["categoryarray"] = short
    return data, axis


def large(spec: dict) -> dict:
    """A replay figure's dict with room for the presentation style's larger text (apply before
    ``_figure_style.styled_layout(..., large=True)``). Returns a new dict; frames are shared."""
    layout = spec.get("layout", {})
    out = dict(layout)
    out["height"] = int(layout.get("height", REPLAY_HEIGHT)) + LARGE_EXTRA_PX
    margin = dict(layout.get("margin") or {})
    margin["b"] = int(margin.get("b", 0)) + LARGE_EXTRA_PX
    out["margin"] = margin
    for key in ("sliders", "updatemenus"):
        out[key] = [{**m, "pad": {**(m.get("pad") or {}),
                                  "t": (m.get("pad") or {}).get("t", 0) + LARGE_EXTRA_PX - 4}}
                    for m in layout.get(key) or []]
    data, axis = _shorter_weight_names(spec, layout, NARROW_WEIGHT_LABEL_CHARS)
    out["yaxis3"] = {**axis, "domain": list(LARGE_WEIGHTS_Y)}
    return {**spec, "data": data, "layout": out}


def _digest(*parts) -> str:
    """A short digest of numbers, arrays and strings (None allowed)."""
    h = hashlib.blake2b(digest_size=12)
    for part in parts:
        if isinstance(part, np.ndarray):
            h.update(str((part.dtype, part.shape)).encode())
            h.update(np.ascontiguousarray(part).tobytes())
        else:
            h.update(repr(part).encode())
        h.update(b"|")
    return h.hexdigest()


def _epoch_slider(frame_names, active):
    """One step per frame, opening at ``active``; its current value reads "epoch 37"."""
    # redraw=False: a frame only moves what it changes (picture, text, marker, bars).
    steps = [dict(label=name, method="animate", args=[[name], dict(
        frame=dict(duration=0, redraw=False), transition=dict(duration=0), mode="immediate")])
        for name in frame_names]
    return dict(
        active=int(active), steps=steps, x=0.0, xanchor="left", len=1.0, y=0.0, yanchor="top",
        pad=dict(t=50, l=240, b=0), font=dict(size=12), ticklen=4,
        currentvalue=dict(prefix="epoch ", visible=True, xanchor="left",
                          font=dict(size=TITLE_SIZE - 2, color=INK)),
        transition=dict(duration=0),
    )
