"""One-vs-rest figures you can explain: one class's own model alone, and labelled class lines.

Arrays in, plotly figure out (no streamlit, no fitting), on top of :mod:`logreg.figures`.
"""

from __future__ import annotations

import numpy as np

from ._figure_style import class_color, class_label, html_escape
from .figures import boundary_figure


def _on_line_near(xs, ys, grid, target_xy, level=0.5):
    """The grid point on the ``grid == level`` line closest to ``target_xy`` (in axis-scaled
    units), or None when the line does not cross the grid.

    Line cells are where the grid changes side between horizontal or vertical neighbours.
    """
    side = grid >= level
    cross = np.zeros_like(side)
    cross[:, 1:] |= side[:, 1:] != side[:, :-1]
    cross[1:, :] |= side[1:, :] != side[:-1, :]
    iy, ix = np.nonzero(cross)
    if iy.size == 0:
        return None
    sx = (xs[-1] - xs[0]) or 1.0
    sy = (ys[-1] - ys[0]) or 1.0
    # Keep labels off the plot's edges, where they would be cut.
    inner = ((ix > 0.06 * xs.size) & (ix < 0.94 * xs.size)
             & (iy > 0.06 * ys.size) & (iy < 0.94 * ys.size))
    if inner.any():
        iy, ix = iy[inner], ix[inner]
    d = ((xs[ix] - target_xy[0]) / sx) ** 2 + ((ys[iy] - target_xy[1]) / sy) ** 2
    best = int(np.argmin(d))
    return float(xs[ix[best]]), float(ys[iy[best]])


def line_labels(xs, ys, class_proba, X, y, class_names):
    """Annotations naming each class's p = 0.5 line, placed on the line near the class's points.

    Parameters
    ----------
    xs : (nx,), ys : (ny,) grid axes; class_proba : (k, ny, nx) each class's own probability.
    X : (n, 2) drawn points; y : (n,) class codes.

    Returns
    -------
    list of dict
        Plotly annotations (data coordinates), one per class whose line crosses the plot.
    """
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    P = np.nan_to_num(np.asarray(class_proba, float), nan=0.0)
    X, y = np.asarray(X, float), np.asarray(y)
    out = []
    for m in range(P.shape[0]):
        pts = X[y == m]
        centre = pts.mean(axis=0) if len(pts) else X.mean(axis=0)
        spot = _on_line_near(xs, ys, P[m], centre)
        if spot is None:
            continue
        out.append(dict(
            x=spot[0], y=spot[1], xref="x", yref="y", showarrow=False,
            text=f"<b>{html_escape(class_label(class_names, m))}</b> vs rest",
            font=dict(size=14, color=class_color(m)), bgcolor="rgba(255, 255, 255, 0.8)",
            bordercolor=class_color(m), borderwidth=1, borderpad=2))
    return out


def label_class_lines(fig, xs, ys, class_proba, X, y, class_names):
    """Add :func:`line_labels` to a one-vs-rest figure (returns the same figure)."""
    for ann in line_labels(xs, ys, class_proba, X, y, class_names):
        fig.add_annotation(ann)
    return fig


def one_class_figure(xs, ys, grid, X_train, y_train, *, m, class_names, feature_names,
                     X_test=None, y_test=None, subtitle=None):
    """Class ``m``'s own one-vs-rest model alone: its p(m) heatmap, its p = 0.5 line, the points
    as "m" against "the rest", and the "yes" and "no" sides labelled.

    Parameters
    ----------
    xs : (nx,), ys : (ny,) grid axes; grid : (ny, nx) class m's own sigmoid probability.
    X_train : (n, 2) drawn points; y_train : (n,) class codes (all classes); same for test.
    m : int, the class shown.
    """
    name = str(class_label(class_names, m))
    names = (f"not {name}", name)

    def yes(y):
        return None if y is None else (np.asarray(y) == m).astype(np.int64)

    fig = boundary_figure(
        xs, ys, grid, X_train, yes(y_train), class_names=names, feature_names=feature_names,
        threshold=0.5, X_test=X_test, y_test=yes(y_test),
        title=f"{name}'s own model: {name} or not?", subtitle=subtitle)
    g = np.nan_to_num(np.asarray(grid, float), nan=0.5)
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    sides = ((f"yes side: {name} (p > 0.5)", np.argmax, class_color(1), g.max() >= 0.5),
             ("no side: the rest (p < 0.5)", np.argmin, class_color(0), g.min() < 0.5))
    for text, pick, color, in_view in sides:
        if not in_view:
            continue
        iy, ix = np.unravel_index(pick(g), g.shape)
        fig.add_annotation(
            x=float(np.clip(xs[ix], xs[0] + 0.15 * (xs[-1] - xs[0]), xs[-1] - 0.15 * (xs[-1] - xs[0]))),
            y=float(np.clip(ys[iy], ys[0] + 0.08 * (ys[-1] - ys[0]), ys[-1] - 0.08 * (ys[-1] - ys[0]))),
            xref="x", yref="y", showarrow=False, text=f"<b>{html_escape(text)}</b>",
            font=dict(size=14, color=color), bgcolor="rgba(255, 255, 255, 0.85)",
            bordercolor=color, borderwidth=1, borderpad=4)
    return fig


def where_it_matters(class_proba):
    """Each class's own probability grid with its p = 0.5 line kept only where that class is
    the winner or the runner-up (elsewhere another two classes decide, so its line changes
    nothing): there the grid is pushed just below 0.5, so no line is drawn. (k, ny, nx)."""
    P = np.nan_to_num(np.asarray(class_proba, float), nan=0.0)
    if P.shape[0] < 3:
        return P
    second = np.sort(P, axis=0)[-2]
    return np.where(P >= second, P, np.minimum(P, 0.499))


def clip_class_lines(fig, xs, ys, class_proba):
    """Redraw a one-vs-rest figure's class lines (its contour traces, in class order) only where
    they matter (:func:`where_it_matters`). Returns the same figure."""
    from .figures import _contour_grid  # the same thinning the figure used for its lines

    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    kept = where_it_matters(class_proba)
    contours = [t for t in fig.data if t.type == "contour"]
    for m, trace in enumerate(contours[:kept.shape[0]]):
        trace.z = _contour_grid(xs, ys, kept[m].astype(np.float32))[2]
    return fig
