"""One-vs-rest figures you can explain: one class's own model alone, and each class's p = 0.5
line drawn where it matters (solid inside its own region, dotted where a more confident model
wins), labelled, inside the plot, with a sentence saying how much of each line is solid.

Arrays in, plotly figure out (no streamlit, no fitting), on top of :mod:`logreg.figures`.
"""

from __future__ import annotations

import numpy as np

from ._figure_spec import FigureSpec
from ._figure_style import class_color, class_label, hover_escape, html_escape
from .figures import boundary_figure


# Label boxes, estimated in plot units (each axis scaled to its range) for a plot at least
# LABEL_PLOT_PX wide and tall: 14 px bold text is about 8 px a character and 24 px high.
LABEL_PLOT_PX = (330, 250)


def _label_box(text_len, u, v, horizontal):
    """(u0, u1, v0, v1) of a label anchored at (u, v): above a flat line, right of a steep one."""
    w = (8 * text_len + 10) / LABEL_PLOT_PX[0]
    h = 26 / LABEL_PLOT_PX[1]
    return (u - w / 2, u + w / 2, v, v + h) if horizontal else (u, u + w, v - h / 2, v + h / 2)


def line_labels(xs, ys, lines, X, y, class_names):
    """Annotations naming each class's p = 0.5 line: beside its solid part (where the class has
    the highest p; its dotted part when it has none), near the class's points, inside the plot,
    not covering the line (above a flat stretch, right of a steep one) nor another label.

    Parameters
    ----------
    xs : (nx,), ys : (ny,) grid axes; lines : :func:`class_lines` of the same grid.
    X : (n, 2) drawn points; y : (n,) class codes.

    Returns
    -------
    list of dict
        Plotly annotations (data coordinates), one per class whose line crosses the plot; the
        point (x, y) is on the line, the box beside it.
    """
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    X, y = np.asarray(X, float), np.asarray(y)
    sx = (xs[-1] - xs[0]) or 1.0
    sy = (ys[-1] - ys[0]) or 1.0
    placed, out = [], []
    for m, pieces in enumerate(lines):
        if not pieces:
            continue
        name = str(class_label(class_names, m))
        pts = X[y == m]
        centre = pts.mean(axis=0) if len(pts) else X.mean(axis=0)
        cands = []
        for rank, group in enumerate(([p for p in pieces if p["wins"]],
                                      [p for p in pieces if not p["wins"]])):
            for p in group:
                u, v = (p["x"] - xs[0]) / sx, (p["y"] - ys[0]) / sy
                du, dv = np.gradient(u), np.gradient(v)  # pieces have 2 points or more
                flat = np.abs(dv) * LABEL_PLOT_PX[1] <= np.abs(du) * LABEL_PLOT_PX[0]
                d = (u - (centre[0] - xs[0]) / sx) ** 2 + (v - (centre[1] - ys[0]) / sy) ** 2
                cands += [(rank, d[i], u[i], v[i], bool(flat[i])) for i in range(len(u))]
        cands.sort(key=lambda c: (c[0], c[1]))
        text_len = len(name) + len(" vs rest")

        def fits(c):
            u0, u1, v0, v1 = _label_box(text_len, c[2], c[3], c[4])
            inside = u0 >= 0.01 and u1 <= 0.99 and v0 >= 0.01 and v1 <= 0.99
            return inside and all(u1 < b[0] or u0 > b[1] or v1 < b[2] or v0 > b[3]
                                  for b in placed)

        pick = next((c for c in cands if fits(c)), cands[0])
        placed.append(_label_box(text_len, pick[2], pick[3], pick[4]))
        flat = pick[4]
        out.append(dict(
            x=float(xs[0] + pick[2] * sx), y=float(ys[0] + pick[3] * sy), xref="x", yref="y",
            showarrow=False, xanchor="center" if flat else "left",
            yanchor="bottom" if flat else "middle", xshift=0 if flat else 4,
            yshift=3 if flat else 0,
            text=f"<b>{html_escape(name)}</b> vs rest",
            font=dict(size=14, color=class_color(m)), bgcolor="rgba(255, 255, 255, 0.8)",
            bordercolor=class_color(m), borderwidth=1, borderpad=2))
    return out


def explained_lines(fig, xs, ys, class_proba, X, y, class_names):
    """A one-vs-rest figure's class lines drawn where they matter and labelled:
    :func:`draw_class_lines` plus :func:`line_labels`. Returns ``(figure, note)`` with the
    sentence (:func:`lines_note`) that says how to read them."""
    lines = class_lines(xs, ys, class_proba)
    labels = line_labels(xs, ys, lines, X, y, class_names)
    out = draw_class_lines(fig, xs, ys, lines, class_names, annotations=labels)
    return out, lines_note(xs, ys, lines, class_names)


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


def level_lines(xs, ys, grid, level=0.5):
    """Where ``grid == level``, as polylines (marching squares, linear along the cell edges).

    Parameters
    ----------
    xs : (nx,), ys : (ny,) grid axes; grid : (ny, nx) values (NaN counts as below ``level``).

    Returns
    -------
    list of (edges, t)
        One entry per polyline: ``edges`` (n, 2, 2) int, the two grid nodes ``(iy, ix)`` of the
        cell edge each vertex lies on; ``t`` (n,) float in [0, 1], how far along that edge.
        A vertex is ``node0 + t * (node1 - node0)``; a closed loop repeats its first vertex.
    """
    v = np.nan_to_num(np.asarray(grid, float) - level, nan=-1.0)
    ny, nx = v.shape
    above = v >= 0

    def h(iy, ix):  # the edge from (iy, ix) to (iy, ix + 1)
        return iy * nx + ix

    def vert(iy, ix):  # the edge from (iy, ix) to (iy + 1, ix)
        return ny * nx + iy * nx + ix

    links = {}

    def join(a, b):
        links.setdefault(a, []).append(b)
        links.setdefault(b, []).append(a)

    a, b = above[:-1, :-1], above[:-1, 1:]
    c, d = above[1:, 1:], above[1:, :-1]  # corners counter-clockwise from (iy, ix)
    mixed = ~((a == b) & (b == c) & (c == d))
    for iy, ix in zip(*np.nonzero(mixed)):
        bottom, right, top, left = h(iy, ix), vert(iy, ix + 1), h(iy + 1, ix), vert(iy, ix)
        ca, cb, cc, cd = a[iy, ix], b[iy, ix], c[iy, ix], d[iy, ix]
        crossed = [e for e, on in ((bottom, ca != cb), (right, cb != cc), (top, cc != cd),
                                   (left, cd != ca)) if on]
        if len(crossed) == 2:
            join(*crossed)
            continue
        # Saddle: the cell's centre decides which corners its two lines cut off.
        centre = v[iy:iy + 2, ix:ix + 2].mean() >= 0
        if centre == ca:  # the centre joins a and c: the lines cut off b and d
            join(bottom, right)
            join(top, left)
        else:
            join(left, bottom)
            join(right, top)

    def nodes(e):
        if e < ny * nx:
            iy, ix = divmod(e, nx)
            return (iy, ix), (iy, ix + 1)
        iy, ix = divmod(e - ny * nx, nx)
        return (iy, ix), (iy + 1, ix)

    seen, lines = set(), []
    starts = [e for e, nb in links.items() if len(nb) == 1] + list(links)
    for first in starts:
        if first in seen:
            continue
        chain, prev, cur = [first], None, first
        seen.add(first)
        while True:
            nxt = [e for e in links[cur] if e != prev and (e not in seen or e == first)]
            if not nxt:
                break
            prev, cur = cur, nxt[0]
            chain.append(cur)
            if cur == first:
                break
            seen.add(cur)
        if len(chain) < 2:
            continue
        edges = np.array([nodes(e) for e in chain], dtype=np.int64)
        va = v[edges[:, 0, 0], edges[:, 0, 1]]
        vb = v[edges[:, 1, 0], edges[:, 1, 1]]
        lines.append((edges, va / (va - vb)))
    return lines


def _at(values, edges, t):
    """``values`` (..., ny, nx) interpolated at polyline vertices: (..., n)."""
    v0 = values[..., edges[:, 0, 0], edges[:, 0, 1]]
    v1 = values[..., edges[:, 1, 0], edges[:, 1, 1]]
    return v0 + t * (v1 - v0)


def class_line_parts(xs, ys, class_proba, m, level=0.5):
    """Class ``m``'s own p = 0.5 line, split where class ``m`` has the highest p on it (its own
    region: "wins") and where another class's model is more confident ("overruled": that class
    wins on both sides of the line, so crossing it changes nothing).

    Parameters
    ----------
    xs : (nx,), ys : (ny,) grid axes; class_proba : (k, ny, nx) one-vs-rest probabilities.

    Returns
    -------
    list of dict
        One per piece: ``x``, ``y`` (n,) coordinates along the line, ``wins`` (bool), and
        ``winner`` (n,) int, the class with the highest p at each point. Pieces meet where the
        argmax changes along the line (the point is interpolated on the segment).
    """
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    P = np.nan_to_num(np.asarray(class_proba, float), nan=0.0)
    pieces = []
    for edges, t in level_lines(xs, ys, P[m], level):
        gx = np.arange(xs.size, dtype=float)
        fx = _at(np.broadcast_to(gx, P[m].shape), edges, t)
        fy = _at(np.broadcast_to(np.arange(ys.size, dtype=float)[:, None], P[m].shape), edges, t)
        x = np.interp(fx, gx, xs)
        y = np.interp(fy, np.arange(ys.size, dtype=float), ys)
        pv = _at(P, edges, t)                       # (k, n) every class's p at each vertex
        margin = pv[m] - np.delete(pv, m, axis=0).max(axis=0)  # >= 0: m has the highest p
        winner = pv.argmax(axis=0)
        wins = margin >= 0
        cur = dict(x=[x[0]], y=[y[0]], winner=[winner[0]], wins=bool(wins[0]))
        found = [cur]
        for i in range(1, x.size):
            if wins[i] != wins[i - 1]:  # the argmax changes between two vertices: meet there
                s = margin[i - 1] / (margin[i - 1] - margin[i])
                mx, my = x[i - 1] + s * (x[i] - x[i - 1]), y[i - 1] + s * (y[i] - y[i - 1])
                cur["x"].append(mx), cur["y"].append(my), cur["winner"].append(winner[i - 1])
                cur = dict(x=[mx], y=[my], winner=[winner[i]], wins=bool(wins[i]))
                found.append(cur)
            cur["x"].append(x[i]), cur["y"].append(y[i]), cur["winner"].append(winner[i])
        pieces += [dict(x=np.array(f["x"]), y=np.array(f["y"]), wins=f["wins"],
                        winner=np.array(f["winner"], dtype=np.int64))
                   for f in found if len(f["x"]) >= 2]
    return pieces


def class_lines(xs, ys, class_proba):
    """Every class's :func:`class_line_parts`: a list (one per class) of pieces."""
    P = np.asarray(class_proba, float)
    return [class_line_parts(xs, ys, P, m) for m in range(P.shape[0])]


def _length(piece, xs, ys):
    """A piece's length in plot units (each axis scaled to its range)."""
    sx = (xs[-1] - xs[0]) or 1.0
    sy = (ys[-1] - ys[0]) or 1.0
    return float(np.hypot(np.diff(piece["x"]) / sx, np.diff(piece["y"]) / sy).sum())


def winning_shares(xs, ys, lines):
    """For each class, the share (0-1) of its p = 0.5 line in view that lies in its own region
    (where it has the highest p), or None when its line does not cross the plot."""
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    out = []
    for pieces in lines:
        total = sum(_length(p, xs, ys) for p in pieces)
        won = sum(_length(p, xs, ys) for p in pieces if p["wins"])
        out.append(won / total if total > 0 else None)
    return out


def lines_note(xs, ys, lines, class_names):
    """One sentence saying how to read the lines, with each class's solid share from ``lines``."""
    shares = winning_shares(xs, ys, lines)
    parts = [f"{class_label(class_names, m)} {share:.0%}" for m, share in enumerate(shares)
             if share is not None]
    missing = [str(class_label(class_names, m)) for m, share in enumerate(shares) if share is None]
    text = ("Each class's own p = 0.5 line is solid inside that class's region and dotted where "
            "a more confident model wins, so crossing it changes nothing there")
    if parts:
        text += " (solid: " + ", ".join(parts) + " of its line)"
    if missing:
        text += f"; {', '.join(missing)}: no line in view"
    return text + "."


def draw_class_lines(fig, xs, ys, lines, class_names, annotations=()):
    """Replace a one-vs-rest figure's class lines (its contour traces) with ``lines``
    (:func:`class_lines`): solid where the class has the highest p, thin and dotted where
    another class overrules it; one legend entry per class; ``annotations`` (plotly dicts)
    added. Returns a new figure."""
    data, layout = _parts(fig)
    at = next((i for i, t in enumerate(data) if t.get("type") == "contour"), len(data))
    kept = [t for t in data if t.get("type") != "contour"]
    new = []
    for m, pieces in enumerate(lines):
        name = class_label(class_names, m)
        color = class_color(m)
        shown = False
        for piece in sorted(pieces, key=lambda p: not p["wins"]):
            if piece["wins"]:
                hover = (f"{hover_escape(name)}'s own model: p = 0.5; {hover_escape(name)} has "
                         "the highest p here")
                line = dict(color=color, width=3)
                text = None
            else:
                hover = (f"{hover_escape(name)}'s own model: p = 0.5; overruled: %{{text}} is "
                         "more confident here")
                line = dict(color=color, width=2, dash="dot")
                text = [hover_escape(class_label(class_names, w)) for w in piece["winner"]]
            new.append(dict(
                type="scatter", x=piece["x"], y=piece["y"], mode="lines", line=line, text=text,
                opacity=1.0 if piece["wins"] else 0.75, legendgroup=f"line{m}",
                name=f"{html_escape(name)} vs rest (p = 0.5)", showlegend=not shown,
                hovertemplate=hover + "<extra></extra>"))
            shown = True
    # Where the contours were: over the regions, under the points.
    layout["annotations"] = list(layout.get("annotations", [])) + list(annotations)
    spec = FigureSpec(kept[:at] + new + kept[at:])
    spec.layout = layout
    return spec.figure()


def _parts(fig):
    """A figure's traces and layout as dicts: an unbuilt ``LazyFigure``'s own (copied
    containers: building them into a ``go.Figure`` would validate the big heatmap), else the
    figure's ``to_dict()``."""
    lazy = fig.__dict__.get("_lazy_parts")
    if lazy is not None:
        data, layout, _ = lazy
        return list(data), dict(layout)
    full = fig.to_dict()
    return list(full["data"]), dict(full["layout"])
