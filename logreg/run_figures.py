"""Plotly figures that put several trained runs side by side (the Runs page and reports).

Same contract as :mod:`logreg.figures`: arrays in, figure out, no fitting; one colour per run
(``class_color(i)`` in run order), so a run has the same colour in every comparison figure.
"""

from __future__ import annotations

import numpy as np

from ._figure_spec import FigureSpec
from ._figure_style import (
    ZERO_GREY,
    add_note,
    all_finite,
    apply_layout,
    chance_line,
    class_color,
    finite_pairs,
    hover_escape,
    html_escape,
    reversed_range,
    unit_square_axes,
)


def roc_overlay_figure(curves, *, title="ROC curves on the test set"):
    """ROC curves of several runs on one axis, each named with its AUC.

    Parameters
    ----------
    curves : sequence of (label, fpr, tpr, auc or None)
        ``fpr`` and ``tpr`` are arrays of shape (n,) from :func:`logreg.metrics.roc_curve`.

    Returns
    -------
    plotly.graph_objects.Figure
        The chance diagonal, then one line per run in the given order.
    """
    fig = FigureSpec([chance_line()])
    for i, (label, fpr, tpr, auc) in enumerate(curves):
        x, y = finite_pairs(fpr, tpr)
        name = html_escape(label) + (f" (AUC {auc:.3f})" if all_finite(auc) else "")
        fig.add_trace(dict(
            type="scatter", x=x, y=y, mode="lines", name=name,
            line=dict(color=class_color(i), width=3),
            hovertemplate=f"{hover_escape(label)}<br>FPR = %{{x:.3f}}<br>TPR = %{{y:.3f}}"
                          "<extra></extra>"))
    apply_layout(fig, title=title, x_title="false positive rate (FPR)",
                 y_title="true positive rate (TPR)", legend_below=True)
    unit_square_axes(fig)
    if len(fig.data) == 1:
        add_note(fig, "No ROC curve: the runs need a test set holding both classes.")
    return fig.figure()


def weights_compare_figure(runs, *, title="Weights side by side", max_features=30):
    """Grouped horizontal bars: one bar per run for every model feature.

    Parameters
    ----------
    runs : sequence of (label, feature_names, coef)
        ``coef`` has shape (p,), one weight per name; runs may have different features (another
        polynomial degree): a feature a run does not have gets no bar.
    max_features : int
        Features shown, largest |w| over the runs first.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    order, biggest = [], {}
    for _, names, coef in runs:
        for name, w in zip(names, np.asarray(coef, dtype=float).ravel()):
            if name not in biggest:
                order.append(name)
                biggest[name] = 0.0
            if np.isfinite(w):
                biggest[name] = max(biggest[name], abs(float(w)))
    shown = sorted(order, key=lambda n: -biggest[n])[:max_features]
    fig = FigureSpec()
    for i, (label, names, coef) in enumerate(runs):
        weights = dict(zip(names, np.asarray(coef, dtype=float).ravel()))
        ys = [n for n in shown if n in weights and np.isfinite(weights[n])]
        fig.add_trace(dict(
            type="bar", orientation="h", y=[html_escape(n) for n in ys],
            x=[float(weights[n]) for n in ys], name=html_escape(label),
            marker=dict(color=class_color(i)),
            hovertemplate=f"{hover_escape(label)}<br>%{{y}}: w = %{{x:.4f}}<extra></extra>"))
    left_out = len(order) - len(shown)
    apply_layout(fig, title=title, x_title="weight (on standardized model features)",
                 subtitle=(f"the {len(shown)} largest of {len(order)} features" if left_out
                           else None),
                 height=max(420, 120 + 22 * len(shown) * max(1, len(runs)) // 2))
    fig.update_layout(barmode="group")
    # Largest weight on top, and within each feature the runs top to bottom in legend order:
    # a reversed category axis (written out, see reversed_range) stacks a group's bars from the
    # top; on a plain axis the first run's bar would sit at the bottom, under the legend's last.
    fig.update_yaxes(categoryorder="array", categoryarray=[html_escape(n) for n in shown],
                     range=reversed_range(len(shown)))
    fig.update_xaxes(zeroline=True, zerolinecolor=ZERO_GREY, zerolinewidth=2)
    if not fig.data:
        add_note(fig, "No weights to show.")
    return fig.figure()
