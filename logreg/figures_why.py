"""Plotly builders of the "why" views: effects with uncertainty, the regularization path, the
loss surface with the solver's path, calibration and the expected-cost curve (issue 15).

Same contract as :mod:`logreg.figures`: arrays (or a table) in, a ``go.Figure`` out, no math
beyond choosing what to draw; the numbers come from :mod:`logreg.inference` and
:mod:`logreg.metrics`.
"""

from __future__ import annotations

import numpy as np

from ._figure_spec import FigureSpec
from ._figure_style import (
    ALERT, GUIDE, INK, MUTED, apply_layout, chance_line, class_color, fmt_count, fmt_p,
    html_escape, join_notes, play_pause_buttons, reversed_range, top_margin, unit_square_axes, wrap_note,
)
from .inference import INTERCEPT
from .replay_figure import replay_frame_epochs  # the Train replay's choice of epochs

MAX_LINES = 30
# Lines of a path named in the legend (the largest); the others are named on hover only, so a
# 30-feature path keeps its plot area.
LEGEND_LINES = 8


def _log_vline(fig, x, *, color, label, dash="dot", label_at="above"):
    """A vertical line at data value ``x`` on a log x axis, labelled at its top.

    ``label_at``: "above" the plot area, or "inside" it under its top edge (where a subtitle of
    several lines cannot run into it), or "below" it (under an axis drawn on top).
    Shapes take data values on a log axis, annotations take log10 of them (plotly's rule).
    """
    fig.add_shape(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                  line=dict(color=color, dash=dash, width=2))
    if label:
        y, anchor = {"above": (1.0, "bottom"), "inside": (1.0, "top"),
                     "below": (0.0, "top")}[label_at]
        fig.add_annotation(x=float(np.log10(x)), y=y, xref="x", yref="paper", text=label,
                           showarrow=False, xanchor="left", yanchor=anchor, xshift=4,
                           font=dict(size=13, color=color), bgcolor="rgba(255, 255, 255, 0.8)")


def _lambda_axis(fig, lams):
    """A log axis of penalty strengths: ticks at powers of ten written as plain numbers
    (0.0001, 0.001... not plotly's "100μ"), no "2"/"5" minor labels; the same range on both
    path figures (the λ range and a margin, so end markers are whole)."""
    lo, hi = float(np.log10(np.min(lams))), float(np.log10(np.max(lams)))
    pad = 0.03 * max(hi - lo, 1.0)
    powers = 10.0 ** np.arange(np.floor(lo), np.ceil(hi) + 1)
    ticks = powers[(np.log10(powers) >= lo - pad) & (np.log10(powers) <= hi + pad)]
    fig.update_xaxes(type="log", range=[lo - pad, hi + pad],
                     tickvals=ticks.tolist(), ticktext=[f"{t:g}" for t in ticks])


_NICE_RATIOS = np.array([1e-4, 1e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0,
                        50.0, 100.0, 1e3, 1e4])


def _ratio_ticks(values):
    """Tick values on a log axis of odds ratios: 0.1, 0.2, 0.5, 1, 2, 5... within the data."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    lo, hi = (min(v.min(), 1.0), max(v.max(), 1.0)) if v.size else (0.5, 2.0)
    ticks = _NICE_RATIOS[(_NICE_RATIOS >= lo / 1.5) & (_NICE_RATIOS <= hi * 1.5)]
    if ticks.size > 9:  # a wide range: keep 1, 10, 100... and their reciprocals
        ticks = ticks[np.isclose(np.log10(ticks), np.round(np.log10(ticks)))]
    return ticks.tolist(), [f"{t:g}" for t in ticks]


def effects_figure(table, *, target, title="Effect of +1 standard deviation",
                   max_terms=MAX_LINES):
    """Odds ratio per +1 SD of each raw term (log axis), with 95% whiskers when the table has them.

    Parameters
    ----------
    table : DataFrame from ``inference.unit_summary`` (columns ``or_per_sd`` and, unpenalized,
        ``or_per_sd_low`` / ``or_per_sd_high``; ``sd``).
    target : name of the positive class ("the odds of <target>").
    """
    rows = table.drop(index=INTERCEPT, errors="ignore")
    strength = np.abs(np.log(rows["or_per_sd"].to_numpy(dtype=float)))
    order = np.argsort(-np.nan_to_num(strength, nan=-1.0), kind="stable")[:max_terms]
    rows = rows.iloc[order]
    names = [html_escape(str(n)) for n in rows.index]
    ratio = rows["or_per_sd"].to_numpy(dtype=float)
    has_ci = "or_per_sd_low" in rows.columns
    fig = FigureSpec()
    hover = [f"+1 SD = {s:.3g} of {n}" for n, s in zip(names, rows["sd"].to_numpy(dtype=float))]
    trace = dict(type="scatter", x=ratio, y=names, mode="markers", name="odds ratio per +1 SD",
                 marker=dict(color=INK, size=11, symbol="diamond"), hovertext=hover,
                 hovertemplate="<b>%{y}</b><br>%{hovertext}<br>odds × %{x:.3g}<extra></extra>")
    if has_ci:
        low = rows["or_per_sd_low"].to_numpy(dtype=float)
        high = rows["or_per_sd_high"].to_numpy(dtype=float)
        spans_one = (low <= 1.0) & (high >= 1.0)
        trace["marker"]["color"] = [MUTED if s else INK for s in spans_one]
        trace["error_x"] = dict(type="data", symmetric=False, array=high - ratio,
                                arrayminus=ratio - low, color=MUTED, thickness=2, width=6)
        trace["customdata"] = np.column_stack([low, high])
        trace["hovertemplate"] = ("<b>%{y}</b><br>%{hovertext}<br>odds × %{x:.3g} "
                                  "(95%: %{customdata[0]:.3g} to %{customdata[1]:.3g})"
                                  "<extra></extra>")
        note = "whiskers: 95% intervals<br>grey: the interval includes 1 (no evidence)"
        spread = np.concatenate([ratio, low, high])
    else:
        removed = ratio == 1.0
        trace["marker"]["color"] = [GUIDE if r else INK for r in removed]
        note = "no intervals: the fit is penalized" + (
            f"<br>grey: {int(removed.sum())} removed by the penalty (weight exactly 0)"
            if removed.any() else "")
        spread = ratio
    fig.add_trace(trace)
    _log_vline(fig, 1.0, color=GUIDE, label="no effect", dash="dash", label_at="below")
    height = max(320, 190 + 42 * len(names))
    apply_layout(fig, title=title, x_title=f"odds of {html_escape(target)} × (log scale)",
                 subtitle=note, height=height)
    tickvals, ticktext = _ratio_ticks(spread)
    # The axis on top, under the title: a chart of many terms scrolls inside its box on the
    # page, and an axis at the bottom was then out of sight.
    fig.update_xaxes(type="log", tickvals=tickvals, ticktext=ticktext, side="top",
                     title=dict(standoff=6))
    # The title at the very top (plotly centres it in the top margin, which the axis on top
    # makes tall: it then stood ~70 px below the sentences beside the chart).
    fig.update_layout(margin=dict(t=top_margin(wrap_note(note)) + 44, b=36),
                      title=dict(yref="container", y=1 - 8 / height, yanchor="top"))
    fig.update_yaxes(categoryorder="array", categoryarray=names, range=reversed_range(len(names)),
                     automargin=True)
    return fig.figure()


def path_figure(reg_strengths, coefs, feature_names, *, current=None, penalty="l2",
                title="Weights as the penalty grows", max_lines=MAX_LINES):
    """Each weight against lambda (log axis), the current lambda marked.

    ``coefs`` (k, d) in model units (per +1 SD of a standardized feature); lines beyond
    ``max_lines`` (the smallest weights) are left out and counted in the subtitle.
    """
    lams = np.asarray(reg_strengths, dtype=float)
    C = np.asarray(coefs, dtype=float)
    order = np.argsort(lams)
    lams, C = lams[order], C[order]
    keep = np.argsort(-np.abs(C).max(axis=0), kind="stable")[:max_lines]
    fig = FigureSpec()
    for rank, j in enumerate(keep):
        name = html_escape(str(feature_names[j]))
        fig.add_trace(dict(type="scatter", x=lams, y=C[:, j], mode="lines", name=name,
                           showlegend=rank < LEGEND_LINES,
                           line=dict(color=class_color(rank % 20), width=2.5),
                           hovertemplate=f"<b>{name}</b><br>λ = %{{x:.3g}}<br>"
                                         "w = %{y:.4g}<extra></extra>"))
    if current is not None and current > 0:
        _log_vline(fig, current, color=ALERT, label=f"your λ = {current:g}", label_at="inside")
    nonzero = (C != 0).sum(axis=1)
    notes = []
    if penalty in ("l1", "elasticnet"):
        notes.append(f"weights left: {int(nonzero[0])} of {C.shape[1]} at the smallest λ, "
                     f"{int(nonzero[-1])} at the largest")
    if C.shape[1] > max_lines:
        notes.append(f"showing the {max_lines} largest of {C.shape[1]} weights")
    if len(keep) > LEGEND_LINES:
        notes.append(f"legend: the {LEGEND_LINES} largest; hover a line for its name")
    apply_layout(fig, title=title, x_title="penalty strength λ (log scale; stronger →)",
                 y_title="weight w (per +1 SD)", subtitle=join_notes(*notes),
                 legend_below=False)
    _lambda_axis(fig, lams)
    fig.update_yaxes(zeroline=True, zerolinecolor=GUIDE, zerolinewidth=2)
    return fig.figure()


def path_loss_figure(reg_strengths, test_loss, train_loss=None, *, current=None,
                     title="Log-loss as the penalty grows"):
    """Test (and training) log-loss of each path point against lambda, the minimum marked."""
    lams = np.asarray(reg_strengths, dtype=float)
    order = np.argsort(lams)
    lams = lams[order]
    fig = FigureSpec()
    notes = []
    if train_loss is not None:
        fig.add_trace(dict(type="scatter", x=lams, y=np.asarray(train_loss, float)[order],
                           mode="lines", name="training", line=dict(color=MUTED, width=2.5),
                           hovertemplate="λ = %{x:.3g}<br>training log-loss = %{y:.4f}"
                                         "<extra></extra>"))
    if test_loss is not None:
        test = np.asarray(test_loss, float)[order]
        fig.add_trace(dict(type="scatter", x=lams, y=test, mode="lines+markers", name="test",
                           line=dict(color=INK, width=3), marker=dict(size=5),
                           hovertemplate="λ = %{x:.3g}<br>test log-loss = %{y:.4f}"
                                         "<extra></extra>"))
        best = int(np.nanargmin(test))
        # At an end of the grid the lowest point may lie beyond it: say so, not "the best λ".
        edge = ("; the smallest λ tried: less may be lower still" if best == 0 else
                "; the largest λ tried: more may be lower still" if best == len(lams) - 1 else "")
        fig.add_trace(dict(type="scatter", x=[lams[best]], y=[test[best]], mode="markers",
                           name=f"lowest test log-loss ({test[best]:.4f} at λ = "
                                f"{lams[best]:.3g}{edge})",
                           marker=dict(color=class_color(2), size=14, symbol="star"),
                           hoverinfo="skip"))
    else:
        notes.append("no test set: training log-loss only")
    if current is not None and current > 0:
        _log_vline(fig, current, color=ALERT, label=f"your λ = {current:g}", label_at="inside")
    apply_layout(fig, title=title, x_title="penalty strength λ (log scale; stronger →)",
                 y_title="log-loss (lower is better)", subtitle=join_notes(*notes))
    _lambda_axis(fig, lams)
    return fig.figure()


# The loss surface's replay: at most this many epochs get a frame (geometrically spaced, as the
# Train page's replay), and the drawn path keeps at most PATH_POINTS epochs (dense early, where
# a gradient-descent path bends; a 10,000-epoch run would otherwise send 10,000 points per frame).
SURFACE_FRAMES = 40
PATH_POINTS = 400
SURFACE_FRAME_MS = 150


def surface_figure(surface, path, epoch, optimum, *, names, penalty="none",
                   title="How the solver walked downhill on the loss surface"):
    """Contours of the training objective over two weights, with the solver's path to ``epoch``.

    The figure replays the path in the browser: an epoch slider and Play under the plot move the
    solid part of the path and the run's marker (plotly frames, no server rerun); it opens at
    ``epoch``.

    Parameters
    ----------
    surface : ``inference.Surface``
    path : (E, 2) the two weights after every epoch (``history_["coef"][:, [i, j]]``)
    epoch : the epoch shown first (the path is solid up to it, faint after)
    optimum : (2,) the optimum's two weights, marked with a star; None when there is none
        (separable data without a penalty)
    names : the two weights' names
    """
    P = np.asarray(path, dtype=float)
    last = len(P) - 1
    J = surface.objective
    finite = np.isfinite(J)
    low = float(J[finite].min()) if finite.any() else 0.0
    # Colour by the objective's height above the grid's lowest point on a log scale: near the
    # optimum the contours stay visible, far away they do not crowd.
    z = np.log10(np.where(finite, J - low, np.nan) + 1e-4)
    fig = FigureSpec()
    fig.add_trace(dict(
        type="contour", x=surface.w1, y=surface.w2, z=z, customdata=J,
        colorscale="Blues", reversescale=True, ncontours=24, showscale=False,
        contours=dict(coloring="heatmap", showlines=True), line=dict(width=0.6, color="white"),
        name="training objective",
        hovertemplate=(f"{html_escape(names[0])} = %{{x:.3g}}<br>{html_escape(names[1])} = "
                       "%{y:.3g}<br>objective = %{customdata:.4f}<extra></extra>")))
    if surface.penalty is not None and optimum is not None and np.all(np.isfinite(optimum)):
        level = _penalty_at(surface, optimum)
        shape = {"l2": "circle", "l1": "diamond", "elasticnet": "rounded diamond"}.get(penalty, "")
        fig.add_trace(dict(
            type="contour", x=surface.w1, y=surface.w2, z=surface.penalty, showscale=False,
            contours=dict(coloring="none", start=level, end=level, size=1.0, showlabels=False),
            line=dict(color=class_color(1), width=3, dash="dash"),
            name=f"penalty's level set through the optimum ({shape})", showlegend=True,
            hoverinfo="skip"))
    upto = min(max(int(epoch), 0), last)
    frame_epochs = replay_frame_epochs(last, upto, max_frames=SURFACE_FRAMES)
    drawn = np.union1d(replay_frame_epochs(last, upto, max_frames=PATH_POINTS), frame_epochs)
    ok = np.isfinite(P).all(axis=1)
    drawn = drawn[ok[drawn]]
    fig.add_trace(dict(type="scatter", x=P[drawn, 0], y=P[drawn, 1], mode="lines",
                       line=dict(color=MUTED, width=1.5, dash="dot"), name="rest of the run",
                       hoverinfo="skip"))

    def path_to(e):
        idx = drawn[drawn <= e]
        return dict(x=P[idx, 0], y=P[idx, 1], customdata=idx)

    def marker_at(e):
        return dict(x=[P[e, 0] if ok[e] else None], y=[P[e, 1] if ok[e] else None])

    shown_index = len(fig.data)
    fig.add_trace(dict(type="scatter", mode="lines+markers", **path_to(upto),
                       line=dict(color=ALERT, width=2.5), marker=dict(size=5, color=ALERT),
                       name="solver's path, epoch by epoch",
                       hovertemplate="epoch %{customdata}<br>(%{x:.3g}, %{y:.3g})<extra></extra>"))
    fig.add_trace(dict(type="scatter", mode="markers", **marker_at(upto),
                       marker=dict(size=15, color=ALERT, line=dict(color="white", width=2)),
                       name="the run at the slider's epoch", hoverinfo="skip"))
    if optimum is not None:
        fig.add_trace(dict(type="scatter", x=[optimum[0]], y=[optimum[1]], mode="markers",
                           marker=dict(size=18, color=class_color(6), symbol="star",
                                       line=dict(color=INK, width=1)),
                           name="optimum",
                           hovertemplate="optimum (%{x:.3g}, %{y:.3g})<extra></extra>"))
    fig.frames = [dict(name=str(int(e)), data=[path_to(e), marker_at(e)],
                       traces=[shown_index, shown_index + 1]) for e in frame_epochs]
    # One line each (a second subtitle line would take its height from the square plot).
    notes = ["other weights and intercept held at the optimum" if optimum is not None
             else "other weights held where the run ended"]
    if surface.rows_used < surface.n_rows:
        notes.append(f"objective on a sample of {fmt_count(surface.rows_used)} of "
                     f"{fmt_count(surface.n_rows)} training rows")
    apply_layout(fig, title=title, x_title=f"weight of {html_escape(names[0])}",
                 y_title=f"weight of {html_escape(names[1])}", subtitle=join_notes(*notes),
                 legend_below=False)
    fig.update_xaxes(range=[surface.w1[0], surface.w1[-1]], zeroline=True, zerolinecolor=GUIDE)
    # One unit is as long on both axes, so an L2 level set is drawn as the circle it is.
    fig.update_yaxes(range=[surface.w2[0], surface.w2[-1]], zeroline=True, zerolinecolor=GUIDE,
                     scaleanchor="x", scaleratio=1, constrain="domain")
    fig.update_xaxes(constrain="domain")
    names_of = [str(int(e)) for e in frame_epochs]
    # The legend at the right (the square plot leaves room there), Play and the epoch slider
    # under the x axis: the height goes to the plot.
    fig.update_layout(
        height=600, margin=dict(b=140),
        # redraw=True: with redraw off, chromium dropped the contour while frames played (seen in
        # the browser); a redraw of a 60 x 60 contour per frame is cheap.
        updatemenus=[play_pause_buttons(SURFACE_FRAME_MS, redraw=True, font_size=15)],
        sliders=[_surface_slider(names_of, names_of.index(str(upto)))])
    return fig.figure()


def _surface_slider(frame_names, active):
    """One step per frame; its current value reads "epoch 37"."""
    steps = [dict(label=name, method="animate", args=[[name], dict(
        frame=dict(duration=0, redraw=True), transition=dict(duration=0), mode="immediate")])
        for name in frame_names]
    return dict(active=int(active), steps=steps, x=0.0, xanchor="left", len=1.0, y=0.0,
                yanchor="top", pad=dict(t=52, l=190), font=dict(size=11), ticklen=3,
                currentvalue=dict(prefix="epoch ", visible=True, xanchor="left",
                                  font=dict(size=15, color=INK)),
                transition=dict(duration=0))


def _penalty_at(surface, point):
    """The penalty grid's value at ``point``, by the grid's own formula (bilinear read)."""
    a = np.interp(point[1], surface.w2, np.arange(surface.w2.size))
    b = np.interp(point[0], surface.w1, np.arange(surface.w1.size))
    i0, j0 = int(np.floor(a)), int(np.floor(b))
    i1, j1 = min(i0 + 1, surface.w2.size - 1), min(j0 + 1, surface.w1.size - 1)
    fa, fb = a - i0, b - j0
    G = surface.penalty
    return float((1 - fa) * ((1 - fb) * G[i0, j0] + fb * G[i0, j1])
                 + fa * ((1 - fb) * G[i1, j0] + fb * G[i1, j1]))


def reliability_figure(bins, brier, *, target, n_bins, title="Calibration: do the probabilities "
                       "come true?"):
    """Reliability diagram: mean predicted probability vs observed share per bin, counts shown.

    ``bins`` is ``metrics.calibration_bins`` output; ``brier`` the Brier score of the same cases.
    """
    fig = FigureSpec()
    fig.add_trace(chance_line() | dict(name="perfectly calibrated"))
    counts = np.asarray(bins["count"])
    fig.add_trace(dict(
        type="scatter", x=bins["prob_pred"], y=bins["prob_true"], mode="lines+markers+text",
        name="this model", line=dict(color=INK, width=2.5),
        marker=dict(size=10 + 14 * np.sqrt(counts / max(counts.max(), 1)), color=INK),
        text=[fmt_count(int(c)) for c in counts], textposition="top left",
        textfont=dict(size=12, color=MUTED),
        customdata=np.column_stack([bins["low"], bins["high"], counts]),
        hovertemplate=("probabilities %{customdata[0]:.1f}–%{customdata[1]:.1f}: "
                       "%{customdata[2]:,} cases<br>mean predicted %{x:.3f}<br>"
                       f"share that really are {html_escape(target)}: %{{y:.3f}}<extra></extra>")))
    apply_layout(fig, title=title, x_title=f"predicted probability of {html_escape(target)} "
                 f"(mean of each of {n_bins} bins)",
                 y_title=f"share that really are {html_escape(target)}",
                 subtitle=f"Brier score {brier:.4f} (0 = perfect; lower is better) · "
                          "numbers: cases per bin")
    unit_square_axes(fig)
    return fig.figure()


def cost_curve_figure(thresholds, cost, *, best_threshold, best_cost, current, current_cost,
                      set_words=None, title="Expected cost per 1,000 cases at every threshold"):
    """The cost curve with its minimum and the current threshold marked (``set_words``: the
    cases the costs are counted on, e.g. "test set", named in the subtitle)."""
    fig = FigureSpec()
    fig.add_trace(dict(type="scatter", x=thresholds, y=cost, mode="lines", name="expected cost",
                       line=dict(color=INK, width=2.5, shape="hv"),
                       hovertemplate="T = %{x:.3f}<br>cost per 1,000 = %{y:,.1f}<extra></extra>"))
    fig.add_trace(dict(type="scatter", x=[best_threshold], y=[best_cost], mode="markers",
                       marker=dict(size=16, color=class_color(2), symbol="star",
                                   line=dict(color=INK, width=1)),
                       name=f"cheapest: T = {fmt_p(best_threshold)}, {best_cost:,.1f}",
                       hoverinfo="skip"))
    fig.add_trace(dict(type="scatter", x=[current], y=[current_cost], mode="markers",
                       marker=dict(size=14, color=ALERT, line=dict(color="white", width=2)),
                       name=f"current: T = {fmt_p(current)}, {current_cost:,.1f}",
                       hoverinfo="skip"))
    apply_layout(fig, title=title, x_title="threshold T",
                 y_title="expected cost per 1,000 cases",
                 subtitle=f"Counted on the {html_escape(set_words)}" if set_words else None)
    fig.update_xaxes(range=[-0.01, 1.01])
    fig.update_yaxes(rangemode="tozero")
    return fig.figure()


__all__ = ["effects_figure", "path_figure", "path_loss_figure", "surface_figure",
           "reliability_figure", "cost_curve_figure"]
