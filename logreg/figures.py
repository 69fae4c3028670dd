"""Plotly figure builders for the logreg playground: numpy arrays in, ``go.Figure`` out.

Every builder is pure: no streamlit, no fitting, no metric math (the caller passes the numbers it
computed with :mod:`logreg.metrics`). They share one look (``_figure_style``): ``plotly_white``,
fonts >= 13 px, a fixed height, a title and axis titles, and one colour per class everywhere
(``class_color(i)``). No NaN or inf ever reaches a trace: non-finite values are dropped or
replaced, and a figure with nothing to show says why in an annotation.

Example
-------
>>> import numpy as np
>>> fig = loss_figure(np.arange(1, 4), np.array([0.69, 0.5, 0.41]))
>>> fig.layout.xaxis.title.text
'epoch'
"""

from __future__ import annotations

import numpy as np
from ._figure_spec import FigureSpec
from ._figure_style import (
    ALERT,
    CLASS_COLORS,
    GUIDE,
    HEIGHT,
    INK,
    LEGEND_GAP_PX,
    MUTED,
    WEBGL_THRESHOLD,
    ZERO_GREY,
    add_note,
    all_finite,
    apply_layout,
    as_1d,
    as_list,
    chance_line,
    check_points,
    class_color,
    class_label,
    clean_probability_grid,
    finite_pairs,
    fmt_count,
    fmt_p,
    hover_escape,
    html_escape,
    join_notes,
    legend_below_y,
    marker_trace,
    note_annotation,
    point_traces,
    probability_colorscale,
    region_colorscale,
    reversed_range,
    safe_divide,
    sample_note,
    split_budget,
    stratified_sample,
    threshold_hovertext,
    top_margin,
    unit_square_axes,
    vline,
    wrap_note,
)

__all__ = [
    "CLASS_COLORS",
    "class_color",
    "scatter_figure",
    "boundary_figure",
    "loss_figure",
    "coef_figure",
    "roc_figure",
    "pr_figure",
    "histogram_figure",
    "confusion_figure",
    "ovr_figure",
    "per_class_loss_figure",
    "per_class_roc_figure",
    "threshold_sweep_figure",
    "sigmoid_figure",
]

# ============================================================================================
# Data and decision boundary
# ============================================================================================

def _sampled_points(X, y, max_points, rng, name):
    """Validate points and draw a stratified sample; returns (X, y, kept_index, total)."""
    X, y = check_points(X, y, name)
    idx = stratified_sample(y, max_points, rng)
    return X[idx], y[idx], idx, X.shape[0]


def scatter_figure(X2, y, class_names, feature_names, *, title="Your data", max_points=20000,
                   seed=0):
    """Scatter plot of two features, one colour per class.

    Parameters
    ----------
    X2 : array-like of shape (n_samples, 2)
        The two features to draw. Rows with a non-finite value are left out.
    y : array-like of shape (n_samples,)
        Integer class codes (0-based), indexing ``class_names``.
    class_names : sequence of str
    feature_names : sequence of 2 str
    title : str, default="Your data"
    max_points : int, default=20000
        At most this many points are drawn (stratified sample by class, said in the subtitle).
    seed : int, default=0
        Seed of the sample, so the same data always shows the same points.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    rng = np.random.default_rng(seed)
    X, yy, _, total = _sampled_points(X2, y, max_points, rng, "X2")
    fig = FigureSpec(point_traces(
        X, yy, class_names=class_names, feature_names=feature_names,
        webgl=X.shape[0] > WEBGL_THRESHOLD, size=7 if X.shape[0] > WEBGL_THRESHOLD else 9,
    ))
    apply_layout(fig, title=title, x_title=html_escape(feature_names[0]),
                 y_title=html_escape(feature_names[1]), subtitle=sample_note(X.shape[0], total))
    fig.update_layout(legend_title=dict(text="true class"))
    if total == 0:
        add_note(fig, "No rows with finite values in these two features.")
    return fig.figure()


def _percent_grid(grid):
    """p in whole percent (uint8 0..100): what the probability heatmap draws.

    A quarter of float32's bytes, sent on every rerun (and per animation frame); 1% steps are
    finer than the eye tells apart on this colour scale, and the threshold line is drawn from
    the exact grid, not from these.
    """
    return np.rint(np.asarray(grid, dtype=float) * 100.0).astype(np.uint8)


def _probability_heatmap(xs, ys, grid, class_names, feature_names):
    """Heatmap of p(class 1) in percent on the diverging class-tint scale (zmin=0, zmax=100)."""
    f1, f2 = (hover_escape(f) for f in feature_names)
    c1 = hover_escape(class_label(class_names, 1))
    return dict(
        type="heatmap", x=xs, y=ys, z=_percent_grid(grid), zmin=0, zmax=100,
        colorscale=probability_colorscale(),
        zsmooth="best", name="predicted probability",
        colorbar=dict(
            title=dict(text=f"p({html_escape(class_label(class_names, 1))})", side="right"),
            tickvals=[0, 25, 50, 75, 100], ticktext=["0", "0.25", "0.5", "0.75", "1"],
            # The top half of the right side: the legend sits under it (boundary_figure).
            thickness=14, len=0.48, y=1.0, yanchor="top", outlinewidth=0,
        ),
        hovertemplate=(f"{f1} = %{{x:.3g}}<br>{f2} = %{{y:.3g}}<br>"
                       f"model: p({c1}) ≈ %{{z}}%<extra></extra>"),
    )


# The threshold line is interpolated between grid points: from a 100 x 100 grid it looks the same
# as from the heatmap's 200 x 200, and it is a quarter of the bytes sent on every rerun.
CONTOUR_MAX_STEPS = 100


def _contour_grid(xs, ys, grid):
    """``(xs, ys, grid)`` thinned to at most ~``CONTOUR_MAX_STEPS`` points per axis, ends kept."""
    def keep(n):
        step = -(-n // CONTOUR_MAX_STEPS)  # ceil(n / max)
        return np.unique(np.r_[np.arange(0, n, step), n - 1])

    ix, iy = keep(xs.size), keep(ys.size)
    return xs[ix], ys[iy], grid[np.ix_(iy, ix)]


def _threshold_contour(xs, ys, grid, threshold, *, color=INK, name=None, dash="solid"):
    """A single contour line where ``grid == threshold`` (line only, labelled with its level)."""
    xs, ys, grid = _contour_grid(xs, ys, grid)
    return dict(
        type="contour", x=xs, y=ys, z=grid, autocontour=False,
        # start == end gives exactly one level; size only has to be positive.
        contours=dict(start=threshold, end=threshold, size=1.0, coloring="none", showlabels=True,
                      labelfont=dict(size=13, color=color), labelformat=".3~f"),
        line=dict(color=color, width=3, dash=dash, smoothing=0.6),
        showscale=False, showlegend=True, hoverinfo="skip",
        name=name or f"p = {fmt_p(threshold)} boundary",
    )


def _uncrossed_note(grid, threshold, class_names):
    """Sentence when the whole grid is on one side of the threshold, else None."""
    if (grid >= threshold).all():
        side = class_label(class_names, 1)
    elif (grid < threshold).all():
        side = class_label(class_names, 0)
    else:
        return None
    if np.ptp(grid) < 1e-6:
        # A flat grid (zero weights: epoch 0, or L1 removed both features) gets its own reason.
        return (f"p = {float(grid.flat[0]):.2f} everywhere (weights are 0): "
                f"all predicted {html_escape(side)}")
    return (f"every point in view is predicted {html_escape(side)} "
            f"(p never crosses {fmt_p(threshold)} here)")


def _boundary_title(title, epoch, loss=None):
    text = title or "Decision boundary"
    if epoch is not None:
        text += f" · epoch {int(epoch)}"
    if loss is not None and np.isfinite(loss):
        text += f" · loss {float(loss):.3f}"
    return text


def _grid_axes(xs, ys):
    xs, ys = as_1d(xs, "xs"), as_1d(ys, "ys")
    if not (np.isfinite(xs).all() and np.isfinite(ys).all()):
        raise ValueError("The grid axes xs and ys must be finite.")
    return xs, ys


def boundary_figure(xs, ys, proba, X_train, y_train, *, class_names, feature_names, threshold=0.5,
                    X_test=None, y_test=None, p_train=None, p_test=None, epoch=None, title=None,
                    subtitle=None, max_points=20000, note=None, seed=0):
    """Decision boundary: p(class 1) heatmap, the ``p = threshold`` line, train and test points.

    Parameters
    ----------
    xs : array-like of shape (nx,)
        Grid values of the first feature.
    ys : array-like of shape (ny,)
        Grid values of the second feature.
    proba : array-like of shape (ny, nx)
        Probability of ``class_names[1]`` at each grid point (row = y, column = x).
        Non-finite cells are drawn as 0.5 (undecided).
    X_train : array-like of shape (n_train, 2)
    y_train : array-like of shape (n_train,)
        Integer class codes; points are coloured by true class.
    class_names : sequence of str
    feature_names : sequence of 2 str
    threshold : float, default=0.5
        Probability at which the prediction switches class; drawn as a contour line.
    X_test, y_test : array-like, optional
        Test points, drawn as "x" markers.
    p_train, p_test : array-like of shape (n_train,) / (n_test,), optional
        Predicted p(class 1) per point, shown in hover.
    epoch : int, optional
        Added to the title ("Decision boundary · epoch 37").
    title, subtitle : str, optional
    max_points : int, default=20000
        Cap on drawn points (train and test together), stratified by class.
    note : str, optional
        Sentence shown over the plot, e.g. "Training diverged at epoch 3".
    seed : int, default=0
        Seed of the point sample.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: heatmap, contour, then one scatter per class for train, then for test.
    """
    xs, ys = _grid_axes(xs, ys)
    grid, any_finite = clean_probability_grid(proba, (ys.size, xs.size))
    traces = [_probability_heatmap(xs, ys, grid, class_names, feature_names),
              _threshold_contour(xs, ys, grid, threshold)]
    point_trs, drawn_note = _boundary_points(
        X_train, y_train, X_test, y_test, p_train, p_test, class_names=class_names,
        feature_names=feature_names, max_points=max_points, seed=seed)
    fig = FigureSpec(traces + point_trs)
    apply_layout(fig, title=_boundary_title(title, epoch), x_title=html_escape(feature_names[0]),
                 y_title=html_escape(feature_names[1]), subtitle=join_notes(subtitle, drawn_note),
                 legend_below=False)
    # Legend under the colour bar, both right of the plot: a legend under the plot took a third
    # of a short (projector) figure's height in two or three rows.
    fig.update_layout(legend=dict(x=1.02, y=0.46, yanchor="top", tracegroupgap=4),
                      margin=dict(r=20))
    fig.update_xaxes(range=[xs[0], xs[-1]], showgrid=False, zeroline=False)
    fig.update_yaxes(range=[ys[0], ys[-1]], showgrid=False, zeroline=False)
    for ann in _boundary_annotations(grid, any_finite, threshold, class_names, note):
        fig.add_annotation(ann)
    return fig.figure()


def _boundary_annotations(grid, any_finite, threshold, class_names, note, *, slots=False):
    """Notes over a boundary plot: the caller's note (or divergence), and an uncrossed level.

    With ``slots=True`` both notes are always returned, hidden when empty: animation frames
    replace annotations by position, so every frame must carry the same two.
    """
    if not any_finite and not note:
        note = "No probabilities to draw: the model's outputs are not finite (training diverged)."
    uncrossed = _uncrossed_note(grid, threshold, class_names) if any_finite else None
    notes = [
        (note_annotation(html_escape(note or ""), color=ALERT), bool(note)),
        (note_annotation(uncrossed or "", y=0.8 if note else 0.96), bool(uncrossed)),
    ]
    if slots:
        return [dict(ann, visible=shown) for ann, shown in notes]
    return [ann for ann, shown in notes if shown]


def _boundary_points(X_train, y_train, X_test, y_test, p_train, p_test, *, class_names,
                     feature_names, max_points, seed):
    """Scatter traces for train (circles) and test ("x") points under one drawing budget."""
    rng = np.random.default_rng(seed)
    Xtr, ytr = check_points(X_train, y_train, "X_train")
    sets = [("train", "circle", Xtr, ytr, _finite_or_none(p_train, X_train))]
    if X_test is not None and y_test is not None:
        Xte, yte = check_points(X_test, y_test, "X_test")
        sets.append(("test", "x", Xte, yte, _finite_or_none(p_test, X_test)))
    budgets = split_budget([s[2].shape[0] for s in sets], max_points)
    total = sum(s[2].shape[0] for s in sets)
    webgl = sum(budgets) > WEBGL_THRESHOLD
    traces, shown = [], 0
    c1 = class_label(class_names, 1)
    for (split, symbol, X, y, p), budget in zip(sets, budgets):
        idx = stratified_sample(y, budget, rng)
        shown += idx.size
        traces += point_traces(
            X[idx], y[idx], class_names=class_names, feature_names=feature_names, symbol=symbol,
            split=split if len(sets) > 1 else None, p=None if p is None else p[idx],
            p_label=f"p({c1})", webgl=webgl, size=6 if webgl else 8)
    return traces, sample_note(shown, total)


def _finite_or_none(p, X):
    """Per-point probabilities aligned with the finite rows of ``X`` (None if unusable)."""
    if p is None or X is None:
        return None
    p = np.asarray(p, dtype=float).ravel()
    keep = np.isfinite(np.asarray(X, dtype=float)).all(axis=1)
    if p.shape[0] != keep.shape[0]:
        raise ValueError(f"Got {p.shape[0]} probabilities for {keep.shape[0]} points.")
    return p[keep]


# ============================================================================================
# Training curves and weights
# ============================================================================================

def loss_figure(epochs, train_loss, *, val_loss=None, train_accuracy=None, val_accuracy=None,
                current_epoch=None, diverged_epoch=None, title="Loss while training", log_y=False,
                step_name="epoch"):
    """Loss curves (train solid, test dashed) with accuracy on a second axis.

    The held-back points are called "test" here as on the score cards. The step axis runs
    from 0 to the last step, whatever the markers drawn on it.

    Parameters
    ----------
    epochs : array-like of shape (E,)
    train_loss : array-like of shape (E,)
        Non-finite values (a diverged run) are left out of the line.
    val_loss, train_accuracy, val_accuracy : array-like of shape (E,), optional
    current_epoch : int, optional
        Drawn as a vertical dotted line (the epoch shown on the boundary plot).
    diverged_epoch : int, optional
        Drawn as a red line with "diverged at epoch N: learning rate too high".
    title : str, default="Loss while training"
    log_y : bool, default=False
        Logarithmic loss axis.
    step_name : str, default="epoch"
        What one step of training is called on the x axis and in labels ("iteration" for
        Newton's method).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    epochs = as_1d(epochs, "epochs")
    has_acc = train_accuracy is not None or val_accuracy is not None
    fig = FigureSpec()
    n_loss = 0
    shown = []
    for values, name, dash in ((train_loss, "train loss", "solid"),
                               (val_loss, "test loss", "dash")):
        if values is None:
            continue
        x, yv = finite_pairs(epochs, values)
        if log_y:
            x, yv = x[yv > 0], yv[yv > 0]
        n_loss += x.size
        fig.add_trace(dict(
            # One point draws no line: show it as a dot.
            type="scatter", x=x, y=yv, mode="lines" if x.size > 1 else "markers", name=name,
            line=dict(color=INK, width=3, dash=dash),
            marker=dict(color=INK, size=9, symbol="circle" if dash == "solid" else "circle-open"),
            hovertemplate=f"{step_name} %{{x}}<br>{name} = %{{y:.4f}}<extra></extra>"))
        shown.append(yv)
    for values, name, dash in ((train_accuracy, "train accuracy", "solid"),
                               (val_accuracy, "test accuracy", "dash")):
        if values is None:
            continue
        x, yv = finite_pairs(epochs, values)
        # No legend entry: the grey axis title says "accuracy" and the dash says which set,
        # so the legend stays one short row (four entries wrapped to four rows in a narrow
        # column and covered the epoch axis).
        fig.add_trace(dict(
            type="scatter", x=x, y=yv, mode="lines", name=name, opacity=0.75, showlegend=False,
            line=dict(color=MUTED, width=2, dash=dash),
            hovertemplate=f"{step_name} %{{x}}<br>{name} = %{{y:.1%}}<extra></extra>",
            yaxis="y2"))
    apply_layout(fig, title=title, x_title=step_name, y_title="log-loss (lower is better)")
    finite_epochs = epochs[np.isfinite(epochs)]
    if finite_epochs.size:
        first, last = float(finite_epochs.min()), float(finite_epochs.max())
        fig.update_xaxes(range=[min(0.0, first), max(last, 1.0)], autorange=False)
    if log_y:
        fig.update_layout(yaxis_type="log")
    else:
        _flat_loss_axis(fig, np.concatenate(shown) if shown else np.array([]))
    if has_acc:
        # A second y axis by hand: make_subplots costs ~40 ms for the same layout.
        # tickmode="linear": otherwise plotly syncs these ticks to the loss grid (97%, 85%, ...).
        fig.update_layout(yaxis2=dict(
            title=dict(text="accuracy (grey)", font=dict(size=14, color=MUTED)), overlaying="y",
            side="right", anchor="x", range=[0, 1.02], tickformat=".0%", showgrid=False,
            zeroline=False, tickmode="linear", tick0=0, dtick=0.2,
            tickfont=dict(color=MUTED, size=14)))
    if current_epoch is not None:
        # Label on the side with room: past the middle it goes left of the line, inside the plot.
        late = finite_epochs.size and current_epoch > 0.5 * float(finite_epochs.max())
        vline(fig, current_epoch, color=INK, label=f"{step_name} {int(current_epoch)}",
              label_side="left" if late else "right")
    if diverged_epoch is not None:
        vline(fig, diverged_epoch, color=ALERT, dash="dash", label=None)
        fig.add_annotation(
            text=f"diverged at {step_name} {int(diverged_epoch)}: learning rate too high",
            xref="paper", yref="paper", x=0.5, y=0.9, showarrow=False,
            font=dict(size=15, color=ALERT), bgcolor="rgba(255, 255, 255, 0.9)",
            bordercolor=ALERT, borderwidth=1, borderpad=6)
    if n_loss == 0:
        add_note(fig, "No finite loss values to show yet." if diverged_epoch is None
                 else "The loss was not finite from the start.")
    return fig.figure()


def _flat_loss_axis(fig, values: np.ndarray) -> None:
    """A readable loss axis when the values (nearly) do not vary: one point, or a flat line.

    Plotly's automatic axis around a single value zooms in until its ticks differ, and labels
    them with 19 digits ("0.6931471805599452862"). A range of +-5% (at least +-0.01) around the
    value with 3-significant-digit ticks reads "0.68, 0.69, 0.70" instead.
    """
    if values.size == 0:
        return
    low, high = float(values.min()), float(values.max())
    middle = (low + high) / 2.0
    if high - low > 1e-6 * max(abs(middle), 1e-12):
        return
    pad = max(0.05 * abs(middle), 0.01)
    fig.update_layout(yaxis=dict(range=[middle - pad, middle + pad], tickformat=".3~g"))


def compare_loss_figure(curves, *, title="Loss: A against B"):
    """Loss curves of several runs on one axis (train solid, test dashed), one colour each.

    Parameters
    ----------
    curves : sequence of (label, epochs, train_loss, val_loss or None)
        ``epochs`` and the losses are arrays of shape (E,); E may differ between runs.
    title : str

    Returns
    -------
    plotly.graph_objects.Figure
    """
    fig = FigureSpec()
    for i, (label, epochs, train_loss, val_loss) in enumerate(curves):
        color = class_color(i)
        epochs = as_1d(epochs, "epochs")
        for values, kind, dash in ((train_loss, "train", "solid"),
                                   (val_loss, "test", "dash")):
            if values is None:
                continue
            x, yv = finite_pairs(epochs, values)
            name = f"{html_escape(label)}: {kind} loss"
            fig.add_trace(dict(
                type="scatter", x=x, y=yv, mode="lines", name=name,
                line=dict(color=color, width=3, dash=dash),
                hovertemplate=f"epoch %{{x}}<br>{name} = %{{y:.4f}}<extra></extra>"))
    apply_layout(fig, title=title, x_title="epoch", y_title="log-loss (lower is better)")
    if not fig.data:
        add_note(fig, "No finite losses to show.", color=ALERT)
    return fig.figure()


def _odds_sentence(feature, w, target):
    """"each +1 in x1 multiplies the odds of spam by 2.3" (with a divide-by form when w < 0)."""
    # exp overflows past ~709; a clipped value still reads as "astronomically large".
    odds = float(np.exp(np.clip(w, -700.0, 700.0)))
    if w == 0:
        return odds, f"{feature} has no effect: the weight is exactly 0"
    text = f"each +1 in {feature} multiplies the odds of {target} by {odds:.3g}"
    if w < 0:
        text += f" (divides them by {1.0 / odds:.3g})"
    return odds, text


def coef_figure(coef, feature_names, *, intercept=None, title="Weights (coefficients)",
                class_names=None, max_features=30, l1_zeros=False, hover_sentences=None,
                x_title=None):
    """Horizontal bars of the weights, largest |w| on top, with odds ratios in hover.

    Parameters
    ----------
    coef : array-like of shape (d,) or (M, d)
        Weights. 2-D with M > 1 rows draws grouped bars, one colour per class (one-vs-rest or
        softmax); shape (1, d) is treated as binary.
    feature_names : sequence of d str
    intercept : float or array-like of shape (M,), optional
        Shown in the subtitle.
    title : str, default="Weights (coefficients)"
    class_names : sequence of str, optional
        Binary: ``[negative, positive]`` names the classes a weight pushes towards.
        Multiclass: one name per row of ``coef``.
    max_features : int, default=30
        Only the features with the largest |w| are drawn past this many (said in the subtitle).
    l1_zeros : bool, default=False
        The weights come from training with an L1 (or elastic-net) penalty: the subtitle then
        counts the exact zeros as features L1 removed. Leave False at epoch 0 or without L1,
        where a zero says nothing about the features.
    hover_sentences : dict of str, optional
        Binary: the hover sentence of each feature by name (e.g. the effect in the units of the
        user's column, ``logreg.why.weight_hover_sentences``), instead of "each +1 in ...".
    x_title : str, optional
        The axis title, when the weights are not per +1 of the feature (standardized features).

    Returns
    -------
    plotly.graph_objects.Figure
        Exact zeros (what L1 produces) are grey diamonds at 0, counted in the subtitle.
    """
    W = np.asarray(coef, dtype=float)
    if W.ndim == 1:
        W = W[None, :]
    if W.ndim != 2 or W.shape[1] != len(feature_names):
        raise ValueError(f"coef has shape {np.shape(coef)} but there are {len(feature_names)} "
                         "feature names.")
    names = [html_escape(f) for f in feature_names]
    finite_cols = np.isfinite(W).all(axis=0)
    W_ok, names_ok = W[:, finite_cols], [n for n, ok in zip(names, finite_cols) if ok]
    order = np.argsort(-np.abs(W_ok).max(axis=0), kind="stable")[:max_features]
    W_ok, names_ok = W_ok[:, order], [names_ok[j] for j in order]

    fig = FigureSpec()
    if W.shape[0] == 1:
        hover = None if hover_sentences is None else {
            # "...; per standard deviation ..." on a line of its own: narrow charts cut long lines.
            html_escape(str(k)): html_escape(str(v)).replace("; ", "<br>")
            for k, v in hover_sentences.items()}
        _binary_coef_traces(fig, W_ok[0], names_ok, class_names, hover)
    else:
        _multiclass_coef_traces(fig, W_ok, names_ok, class_names)

    n_zero = int((W[:, finite_cols] == 0).all(axis=0).sum())
    notes = [_intercept_note(intercept, class_names, W.shape[0])]
    if n_zero and l1_zeros:  # otherwise a zero is a start value (epoch 0), not L1's doing
        notes.append(f"{n_zero} of {W.shape[1]} weights are exactly 0 (L1 removed those features)")
    if finite_cols.sum() > max_features:
        notes.append(f"showing the {max_features} largest of {int(finite_cols.sum())} weights")
    subtitle = join_notes(*notes)
    # Every feature gets its label: plotly drops every other category label when they are
    # closer than their font, so the plot grows with the number of bars (22 px per row).
    rows = len(names_ok) * (1 if W.shape[0] == 1 else min(W.shape[0], 3))
    height = max(HEIGHT, top_margin(wrap_note(subtitle) if subtitle else None) + 120 + 22 * rows)
    # At most two short lines: the plot may be a third of a 1280 px screen wide.
    apply_layout(fig, title=title,
                 x_title=wrap_note(x_title, width=40) if x_title
                 else "weight w: change in log-odds<br>per +1 of the feature",
                 y_title=None, subtitle=subtitle, height=height)
    fig.update_yaxes(categoryorder="array", categoryarray=names_ok, range=reversed_range(len(names_ok)),
                     automargin=True, tickmode="linear", dtick=1)
    fig.update_xaxes(zeroline=True, zerolinecolor=GUIDE, zerolinewidth=2, automargin=True)
    # The axis title has two lines: the legend goes one line further down.
    top = fig.layout["margin"]["t"]
    fig.update_layout(legend_y=legend_below_y(height, top, gap=LEGEND_GAP_PX + 20))
    fig.update_layout(barmode="overlay" if W.shape[0] == 1 else "group", bargap=0.25)
    if not finite_cols.all():
        bad = int((~finite_cols).sum())
        add_note(fig, f"{bad} weight{'s are' if bad > 1 else ' is'} not finite (training diverged)"
                 if finite_cols.any() else "No finite weights to show: training diverged.",
                 color=ALERT, y=0.9 if finite_cols.any() else 0.5)
    return fig.figure()


def _intercept_note(intercept, class_names, n_rows):
    if intercept is None:
        return None
    b = np.atleast_1d(np.asarray(intercept, dtype=float))
    if not np.isfinite(b).all():
        return "intercept is not finite"
    if n_rows == 1 and b.size == 1:
        return f"intercept b = {b[0]:.3g}"
    parts = [f"{html_escape(class_label(class_names, m))}: {v:.3g}" for m, v in enumerate(b)]
    return "intercepts " + ", ".join(parts)


def _binary_coef_traces(fig, w, names, class_names, hover=None):
    """Positive weights in class 1's colour, negative in class 0's, exact zeros grey."""
    pos_name = class_label(class_names, 1) if class_names is not None else "the positive class"
    neg_name = class_label(class_names, 0) if class_names is not None else "the negative class"
    target = html_escape(pos_name)  # hovertext is inserted as is: HTML-escape, no template escape
    groups = (
        (w > 0, class_color(1), f"pushes towards {html_escape(pos_name)} (w > 0)"),
        (w < 0, class_color(0), f"pushes towards {html_escape(neg_name)} (w < 0)"),
    )
    for mask, color, label in groups:
        if not mask.any():
            continue
        odds, text = zip(*(_odds_sentence(n, v, target)
                           for n, v in zip(np.array(names, dtype=object)[mask], w[mask])))
        if hover:
            text = [hover.get(n, t) for n, t in zip(np.array(names, dtype=object)[mask], text)]
        fig.add_trace(dict(
            type="bar", x=w[mask], y=np.array(names, dtype=object)[mask], orientation="h",
            name=label,
            marker=dict(color=color), customdata=np.array(odds), hovertext=list(text),
            textposition="none",
            hovertemplate=("<b>%{y}</b><br>weight w = %{x:.4g}<br>odds ratio exp(w) = "
                           "%{customdata:.3g}<br>%{hovertext}<extra></extra>")))
    zero = w == 0
    if zero.any():
        fig.add_trace(dict(
            type="scatter", x=np.zeros(int(zero.sum())), y=np.array(names, dtype=object)[zero],
            mode="markers",
            name="exactly 0 (feature dropped)",
            marker=dict(color=ZERO_GREY, symbol="diamond", size=12,
                        line=dict(color=MUTED, width=1)),
            hovertemplate=("<b>%{y}</b><br>weight is exactly 0: this feature is ignored"
                           "<extra></extra>")))


def _multiclass_coef_traces(fig, W, names, class_names):
    """Grouped bars, one trace per class in the class colour."""
    for m in range(W.shape[0]):
        label = class_label(class_names, m)
        target = html_escape(label) + " (vs rest)"
        odds, text = zip(*(_odds_sentence(n, v, target)
                           for n, v in zip(names, W[m]))) if names else ((), ())
        fig.add_trace(dict(
            type="bar", x=W[m], y=names, orientation="h", name=html_escape(label),
            marker=dict(color=class_color(m)), customdata=np.array(odds), hovertext=list(text),
            textposition="none",
            hovertemplate=(f"<b>%{{y}}</b> · class {hover_escape(label)}<br>"
                           "weight w = %{x:.4g}<br>odds ratio exp(w) = %{customdata:.3g}<br>"
                           "%{hovertext}<extra></extra>")))


# ============================================================================================
# Threshold: ROC, precision-recall, histogram, confusion, sweep
# ============================================================================================

def _curve_points(x, y, thresholds):
    """Finite points of a curve with their hover text (thresholds kept aligned)."""
    x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"Curve coordinates differ in length: {x.size} and {y.size}.")
    texts = threshold_hovertext(thresholds, x.size)
    keep = np.isfinite(x) & np.isfinite(y)
    return x[keep], y[keep], None if texts is None else [t for t, k in zip(texts, keep) if k]


def _model_curve_trace(x, y, texts, label, hover):
    """The model's curve (ROC or PR) as one thick line, hover text aligned with its points."""
    return dict(type="scatter", x=x, y=y, mode="lines", name=label,
                line=dict(color=INK, width=3), hovertext=texts,
                hovertemplate=hover + "<extra></extra>")


def _unit_square_figure(fig, title, x_title, y_title, *, empty_note=None):
    """Layout of a curve on [0, 1] x [0, 1] (ROC, PR), with a note when there is no curve."""
    apply_layout(fig, title=title, x_title=x_title, y_title=y_title)
    unit_square_axes(fig)
    if empty_note:
        add_note(fig, empty_note)
    return fig.figure()


def roc_figure(fpr, tpr, *, auc=None, marker=None, iso_cost=None, title="ROC curve", name="model",
               thresholds=None):
    """ROC curve with the chance diagonal, the current threshold and optional iso-cost lines.

    Parameters
    ----------
    fpr, tpr : array-like of shape (n,)
        Curve points (as from ``logreg.metrics``); non-finite points are left out.
    auc : float, optional
        Added to the legend name: "model (AUC 0.93)".
    marker : dict, optional
        ``dict(fpr=, tpr=, threshold=)``: the current threshold, drawn as a big point "T = 0.37".
    iso_cost : dict or list of dict, optional
        ``dict(x=array, y=array, label=str)``: lines of equal expected cost, dashed.
    title : str, default="ROC curve"
    name : str, default="model"
    thresholds : array-like of shape (n,), optional
        Threshold of each curve point, shown in hover.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    x, y, texts = _curve_points(fpr, tpr, thresholds)
    label = html_escape(name) + (f" (AUC {auc:.3f})" if all_finite(auc) else "")
    hover = "FPR = %{x:.3f}<br>TPR = %{y:.3f}" + ("<br>%{hovertext}" if texts else "")
    fig = FigureSpec([chance_line()])
    for line in as_list(iso_cost):
        ix, iy = finite_pairs(line["x"], line["y"])
        fig.add_trace(dict(
            type="scatter", x=ix, y=iy, mode="lines",
            name=html_escape(line.get("label", "equal cost")),
            line=dict(color=MUTED, dash="dash", width=2), hoverinfo="name"))
    fig.add_trace(_model_curve_trace(x, y, texts, label, hover))
    if marker is not None and all_finite(marker.get("fpr"), marker.get("tpr")):
        fig.add_trace(marker_trace(marker["fpr"], marker["tpr"], marker.get("threshold"),
                                   f"FPR = {marker['fpr']:.3f}<br>TPR = {marker['tpr']:.3f}"))
    return _unit_square_figure(fig, title, "false positive rate (FPR)",
                               "true positive rate (TPR)", empty_note=None if x.size else
                               "No ROC curve: it needs both classes in the evaluated set.")


def pr_figure(precision, recall, *, average_precision=None, marker=None, prevalence=None,
              title="Precision-recall curve", thresholds=None):
    """Precision-recall curve with the random-model baseline and the current threshold.

    Parameters
    ----------
    precision, recall : array-like of shape (n,)
    average_precision : float, optional
        Added to the legend name: "model (AP 0.81)".
    marker : dict, optional
        ``dict(recall=, precision=, threshold=)``.
    prevalence : float, optional
        Share of positives: a random model's precision, drawn as a dashed horizontal line.
    title : str, default="Precision-recall curve"
    thresholds : array-like, optional
        Threshold of each point, for hover (may be one shorter than the curve, as in sklearn).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    x, y, texts = _curve_points(recall, precision, thresholds)
    ap = average_precision
    label = "model" + (f" (AP {ap:.3f})" if all_finite(ap) else "")
    fig = FigureSpec()
    if all_finite(prevalence):
        fig.add_trace(dict(
            type="scatter", x=[0, 1], y=[prevalence, prevalence], mode="lines",
            name=f"random model (precision = {prevalence:.2f})",
            line=dict(color=GUIDE, dash="dot", width=2), hoverinfo="name"))
    hover = "recall = %{x:.3f}<br>precision = %{y:.3f}" + ("<br>%{hovertext}" if texts else "")
    fig.add_trace(_model_curve_trace(x, y, texts, label, hover))
    if marker is not None and all_finite(marker.get("recall"), marker.get("precision")):
        fig.add_trace(marker_trace(
            marker["recall"], marker["precision"], marker.get("threshold"),
            f"recall = {marker['recall']:.3f}<br>precision = {marker['precision']:.3f}"))
    return _unit_square_figure(fig, title, "recall (share of positives found)",
                               "precision (share of predicted positives that are right)",
                               empty_note=None if x.size else
                               "No precision-recall curve: it needs positives in the evaluated "
                               "set.")


# Below this share of the points, a class's bars are too low to see next to the other class's.
RARE_CLASS_SHARE = 0.25


def histogram_figure(p, y, *, threshold, class_names, title="Predicted probability by true class",
                     nbins=40, per_class_share=False):
    """Overlaid histograms of predicted p(class 1), one per true class, with the threshold line.

    Parameters
    ----------
    p : array-like of shape (n,)
        Predicted probability of ``class_names[1]``; non-finite values are left out.
    y : array-like of shape (n,)
        Integer true class codes.
    threshold : float
    class_names : sequence of str
    title : str
    nbins : int, default=40
        Bins of equal width on [0, 1].
    per_class_share : bool or "auto", default=False
        Show each class's bars as a percentage of that class instead of counts, so a rare class
        stays visible next to a common one. "auto" does so when the smaller class is under
        ``RARE_CLASS_SHARE`` (25%) of the points.

    Returns
    -------
    plotly.graph_objects.Figure
        The threshold is ``layout.shapes[0]`` (x0 == x1 == threshold).
    """
    p = as_1d(p, "p")
    y = np.asarray(y).ravel()
    if y.shape != p.shape:
        raise ValueError(f"p has {p.size} values but y has {y.size}.")
    keep = np.isfinite(p)
    p, y = np.clip(p[keep], 0.0, 1.0), y[keep].astype(int)
    if per_class_share == "auto":
        shares = np.bincount(y, minlength=2)[:2] / max(y.size, 1)
        per_class_share = bool(y.size) and shares.min() < RARE_CLASS_SHARE
    unit = "% of its class" if per_class_share else "samples"
    fig = FigureSpec()
    for m in np.unique(y):
        label = class_label(class_names, int(m))
        fig.add_trace(dict(
            type="histogram", x=p[y == m], name=f"true {html_escape(label)}",
            xbins=dict(start=0.0, end=1.0, size=1.0 / nbins),
            histnorm="percent" if per_class_share else None,
            marker=dict(color=class_color(int(m)), line=dict(color="white", width=0.5)),
            opacity=0.6, legendgroup=f"class{int(m)}",
            hovertemplate=(f"true class {hover_escape(label)}<br>p in %{{x}}<br>"
                           f"%{{y:.3~f}} {unit}<extra></extra>")))
    c1 = html_escape(class_label(class_names, 1))
    apply_layout(fig, title=title, x_title=f"predicted probability of {c1}",
                 y_title="share of the class (%)" if per_class_share else "count")
    fig.update_layout(barmode="overlay", bargap=0.02)
    fig.update_xaxes(range=[0, 1], dtick=0.1)
    vline(fig, threshold, color=INK, dash="dash", width=3,
          label=f"threshold T = {fmt_p(threshold)}")
    _prediction_side_labels(fig, threshold, class_names)
    if p.size == 0:
        add_note(fig, "No finite predicted probabilities to show.")
    return fig.figure()


def _prediction_side_labels(fig, threshold, class_names):
    """"← predicted cat | predicted dog →" beside the threshold line: the point of the plot."""
    # About a third of the axis is needed for a label, so it is shown only where it fits.
    sides = ((threshold > 0.35, "right", -8,
              f"← predicted {html_escape(class_label(class_names, 0))}"),
             (threshold < 0.65, "left", 8,
              f"predicted {html_escape(class_label(class_names, 1))} →"))
    for room, anchor, shift, text in sides:
        if room:  # near an edge the label would run out of the plot
            fig.add_annotation(x=threshold, y=0.92, xref="x", yref="paper", text=text,
                               showarrow=False, xanchor=anchor, xshift=shift,
                               font=dict(size=13, color="#555555"))


_NORMALIZE = {
    "true": ("share of the true class (row)", lambda m: m.sum(axis=1, keepdims=True)),
    "pred": ("share of the predicted class (column)", lambda m: m.sum(axis=0, keepdims=True)),
    "all": ("share of all samples", lambda m: np.full((1, 1), m.sum())),
    None: ("count (relative to the largest cell)", lambda m: np.full((1, 1), m.max(initial=0))),
}


def confusion_figure(matrix, class_names, *, title="Confusion matrix", normalize="true"):
    """Confusion matrix: rows = true class (row 0 on top), columns = predicted class.

    Parameters
    ----------
    matrix : array-like of shape (k, k)
        Counts, ``matrix[i, j]`` = samples of true class i predicted as j. Works for k = 2..20.
    class_names : sequence of k str
    title : str, default="Confusion matrix"
    normalize : {"true", "pred", "all", None}, default="true"
        What the cell colour shows: share of the row (recall per class), of the column, of all
        samples, or the raw count. Cell text always shows the count and the row percentage.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    M = np.asarray(matrix, dtype=float)
    if M.ndim != 2 or M.shape[0] != M.shape[1]:
        raise ValueError(f"matrix must be square (k, k), got shape {M.shape}.")
    if normalize not in _NORMALIZE:
        raise ValueError("normalize must be one of 'true', 'pred', 'all', None; "
                         f"got {normalize!r}.")
    M = np.where(np.isfinite(M), M, 0.0)
    k = M.shape[0]
    scale_title, denominator = _NORMALIZE[normalize]
    rate = safe_divide(M, denominator(M))
    row_rate = safe_divide(M, M.sum(axis=1, keepdims=True))
    names = [html_escape(class_label(class_names, m)) for m in range(k)]
    text, hover = _confusion_text(M, row_rate, names)
    fig = FigureSpec([dict(
        type="heatmap", z=rate, x=np.arange(k), y=np.arange(k), zmin=0.0, zmax=1.0, text=text,
        hovertext=hover,
        texttemplate="%{text}", textfont=dict(size=_cell_font_size(k)),
        colorscale=[[0.0, "#f7fbff"], [0.5, "#6baed6"], [1.0, "#08306b"]], xgap=1, ygap=1,
        colorbar=dict(title=dict(text=scale_title, side="right"), tickformat=".0%", thickness=14,
                      outlinewidth=0),
        hovertemplate="%{hovertext}<extra></extra>")])
    apply_layout(fig, title=title, x_title="predicted class", y_title="true class")
    ticks = [f'<span style="color:{class_color(m)}">■</span> {n}' for m, n in enumerate(names)]
    fig.update_xaxes(tickvals=list(range(k)), ticktext=ticks, showgrid=False, zeroline=False,
                     tickangle=-45 if k > 6 else 0)
    fig.update_yaxes(tickvals=list(range(k)), ticktext=ticks, range=reversed_range(k), showgrid=False,
                     zeroline=False, automargin=True)
    if M.sum() == 0:
        add_note(fig, "No samples to count.")
    return fig.figure()


def _cell_font_size(k):
    return 16 if k <= 4 else 14 if k <= 8 else 12 if k <= 12 else 10


def _confusion_text(M, row_rate, names):
    """Cell text ("42<br>84%"; the count alone past 12 classes) and full hover sentences."""
    k = M.shape[0]
    text, hover = [], []
    for i in range(k):
        text_row, hover_row = [], []
        for j in range(k):
            count = fmt_count(M[i, j])
            pct = f"{row_rate[i, j]:.0%}"
            text_row.append(count if k > 12 else f"{count}<br>{pct}")
            verdict = "correct" if i == j else "mistake"
            hover_row.append(f"true <b>{names[i]}</b>, predicted <b>{names[j]}</b> ({verdict})<br>"
                             f"{count} samples = {pct} of true {names[i]}")
        text.append(text_row)
        hover.append(hover_row)
    return text, hover


def threshold_sweep_figure(thresholds, tpr, fpr, *, current=None,
                           title="TPR and FPR by threshold"):
    """True and false positive rates as the threshold moves from 0 to 1.

    Parameters
    ----------
    thresholds, tpr, fpr : array-like of shape (n,)
    current : float, optional
        The current threshold, drawn as a vertical line.
    title : str

    Returns
    -------
    plotly.graph_objects.Figure
    """
    fig = FigureSpec()
    for values, name, color, dash in ((tpr, "true positive rate (TPR)", INK, "solid"),
                                      (fpr, "false positive rate (FPR)", MUTED, "dash")):
        x, yv = finite_pairs(thresholds, values)
        order = np.argsort(x, kind="stable")
        fig.add_trace(dict(type="scatter", x=x[order], y=yv[order], mode="lines", name=name,
                           line=dict(color=color, width=3, dash=dash),
                           hovertemplate=f"{name} = %{{y:.3f}}<extra></extra>"))
    apply_layout(fig, title=title, x_title="threshold T (predict positive when p ≥ T)",
                 y_title="rate (0-1)")
    fig.update_layout(hovermode="x unified")
    fig.update_xaxes(range=[0, 1], dtick=0.1)
    fig.update_yaxes(range=[-0.02, 1.02])
    if all_finite(current):
        vline(fig, current, color=ALERT, dash="dash", width=2, label=f"T = {fmt_p(current)}")
    return fig.figure()


# ============================================================================================
# Multiclass (one-vs-rest)
# ============================================================================================

def ovr_figure(xs, ys, class_proba, X, y, *, class_names, feature_names, title=None,
               max_points=5000, seed=0, kind="ovr"):
    """One-vs-rest picture: argmax regions, each class's own p = 0.5 line, the points.

    Parameters
    ----------
    xs : array-like of shape (nx,)
    ys : array-like of shape (ny,)
    class_proba : array-like of shape (k, ny, nx)
        Each one-vs-rest model's sigmoid probability of its class (not normalized), or softmax
        probabilities with ``kind="softmax"``.
    X : array-like of shape (n, 2)
    y : array-like of shape (n,)
        Integer class codes.
    class_names, feature_names : sequence of str
    title : str, optional
    max_points : int, default=5000
    seed : int, default=0
    kind : {"ovr", "softmax"}, default="ovr"
        "softmax" draws the regions and points only: a softmax class's p = 0.5 line is not a
        boundary of anything (its regions meet where two probabilities tie).

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: region heatmap, k contours (one-vs-rest only), then one scatter per class.
    """
    if kind not in ("ovr", "softmax"):
        raise ValueError(f"kind must be 'ovr' or 'softmax', got {kind!r}.")
    xs, ys = _grid_axes(xs, ys)
    P = np.asarray(class_proba, dtype=float)
    if P.ndim != 3 or P.shape[1:] != (ys.size, xs.size):
        raise ValueError(f"class_proba must have shape (k, len(ys), len(xs)) = (k, {ys.size}, "
                         f"{xs.size}), got {P.shape}.")
    finite = np.isfinite(P)
    # A non-finite probability must never win a region nor draw a line: count it as 0.
    P = np.clip(np.where(finite, P, 0.0), 0.0, 1.0)
    k = P.shape[0]
    traces = [_region_heatmap(xs, ys, P, class_names, feature_names)]
    for m in range(k if kind == "ovr" else 0):
        traces.append(_threshold_contour(
            xs, ys, P[m].astype(np.float32), 0.5, color=class_color(m),
            name=f"class {html_escape(class_label(class_names, m))} vs rest (p = 0.5)"))
    rng = np.random.default_rng(seed)
    X_drawn, y_drawn, _, total = _sampled_points(X, y, max_points, rng, "X")
    webgl = X_drawn.shape[0] > WEBGL_THRESHOLD
    traces += point_traces(X_drawn, y_drawn, class_names=class_names, feature_names=feature_names,
                           webgl=webgl, size=6 if webgl else 8)
    fig = FigureSpec(traces)
    default_title = ("One-vs-rest: regions and each class's boundary" if kind == "ovr"
                     else "Softmax: regions")
    apply_layout(fig, title=title or default_title,
                 x_title=html_escape(feature_names[0]), y_title=html_escape(feature_names[1]),
                 subtitle=join_notes("colour = class with the highest p",
                                     sample_note(X_drawn.shape[0], total)),
                 legend_below=True)
    fig.update_xaxes(range=[xs[0], xs[-1]], showgrid=False, zeroline=False)
    fig.update_yaxes(range=[ys[0], ys[-1]], showgrid=False, zeroline=False)
    if not finite.any():
        add_note(fig, "No probabilities to draw: the models' outputs are not finite.", color=ALERT)
    return fig.figure()


def _region_heatmap(xs, ys, P, class_names, feature_names):
    """Discrete heatmap of the winning class (argmax of the one-vs-rest probabilities)."""
    k = P.shape[0]
    winner = P.argmax(axis=0)
    names = np.array([hover_escape(class_label(class_names, m)) for m in range(k)], dtype=object)
    f1, f2 = (hover_escape(f) for f in feature_names)
    return dict(
        type="heatmap", x=xs, y=ys, z=winner, zmin=-0.5, zmax=k - 0.5,
        colorscale=region_colorscale(k),
        # An object array of names serializes ~3x faster than nested lists of str.
        showscale=False, name="predicted region", text=names[winner],
        customdata=P.max(axis=0).astype(np.float32),
        hovertemplate=(f"{f1} = %{{x:.3g}}<br>{f2} = %{{y:.3g}}<br>predicted <b>%{{text}}</b> "
                       "(its p = %{customdata:.3f})<extra></extra>"),
    )


def per_class_loss_figure(epochs, losses, class_names, *, title="Loss per one-vs-rest model"):
    """One training-loss line per one-vs-rest model, in its class colour.

    Parameters
    ----------
    epochs : array-like of shape (E,)
    losses : array-like of shape (E, k)
    class_names : sequence of k str
    title : str

    Returns
    -------
    plotly.graph_objects.Figure
    """
    epochs = as_1d(epochs, "epochs")
    L = np.asarray(losses, dtype=float)
    if L.ndim == 1:
        L = L[:, None]
    if L.shape[0] != epochs.size:
        raise ValueError(f"losses has {L.shape[0]} rows but there are {epochs.size} epochs.")
    fig = FigureSpec()
    n_points = 0
    for m in range(L.shape[1]):
        x, yv = finite_pairs(epochs, L[:, m])
        n_points += x.size
        label = class_label(class_names, m)
        fig.add_trace(dict(
            type="scatter", x=x, y=yv, mode="lines", name=f"{html_escape(label)} vs rest",
            line=dict(color=class_color(m), width=3), legendgroup=f"class{m}",
            hovertemplate=(f"{hover_escape(label)} vs rest<br>epoch %{{x}}<br>"
                           "loss = %{y:.4f}<extra></extra>")))
    apply_layout(fig, title=title, x_title="epoch", y_title="log-loss (lower is better)")
    if n_points == 0:
        add_note(fig, "No finite loss values to show.")
    return fig.figure()


def per_class_roc_figure(curves, class_names, *, aucs=None, macro_auc=None, micro_auc=None,
                         title="ROC per class (one vs rest)"):
    """One ROC curve per class (that class against all others), in its class colour.

    Parameters
    ----------
    curves : sequence of (fpr, tpr)
        One pair of arrays per class, in class-code order.
    class_names : sequence of str
    aucs : sequence of float, optional
        Per-class AUC, added to the legend names.
    macro_auc, micro_auc : float, optional
        Averages, shown in the subtitle.
    title : str

    Returns
    -------
    plotly.graph_objects.Figure
    """
    fig = FigureSpec([chance_line()])
    for m, (fpr, tpr) in enumerate(curves):
        x, yv = finite_pairs(fpr, tpr)
        name = html_escape(class_label(class_names, m))
        if aucs is not None and m < len(aucs) and all_finite(aucs[m]):
            name += f" (AUC {aucs[m]:.3f})"
        fig.add_trace(dict(
            type="scatter", x=x, y=yv, mode="lines", name=name,
            line=dict(color=class_color(m), width=3),
            legendgroup=f"class{m}",
            hovertemplate=f"{hover_escape(class_label(class_names, m))} vs rest<br>"
                          "FPR = %{x:.3f}<br>TPR = %{y:.3f}<extra></extra>"))
    averages = [f"{label} AUC {v:.3f}" for label, v in (("macro", macro_auc), ("micro", micro_auc))
                if all_finite(v)]
    apply_layout(fig, title=title, x_title="false positive rate (FPR)",
                 y_title="true positive rate (TPR)", subtitle=join_notes(*averages),
                 legend_below=True)
    unit_square_axes(fig)
    return fig.figure()


# ============================================================================================
# About page
# ============================================================================================

def sigmoid_figure(title="The sigmoid turns a score into a probability"):
    """sigma(z) = 1 / (1 + e^-z) for z in [-8, 8], with the p = 0.5 line at z = 0.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    z = np.linspace(-8.0, 8.0, 321)
    p = 0.5 * (1.0 + np.tanh(0.5 * z))  # the same as 1 / (1 + exp(-z)), without overflow
    fig = FigureSpec([
        dict(type="scatter", x=[-8, 8], y=[0.5, 0.5], mode="lines",
             name="p = 0.5 (the default threshold)",
             line=dict(color=GUIDE, dash="dot", width=2), hoverinfo="skip"),
        dict(type="scatter", x=z, y=p, mode="lines", name="σ(z) = 1 / (1 + e^(−z))",
             line=dict(color=INK, width=4),
             hovertemplate="score z = %{x:.2f}<br>probability p = %{y:.3f}<extra></extra>"),
    ])
    apply_layout(fig, title=title, x_title="score z = w·x + b", y_title="probability p = σ(z)",
                 height=480)
    fig.update_xaxes(range=[-8, 8], dtick=2, zeroline=True, zerolinecolor=GUIDE)
    fig.update_yaxes(range=[-0.02, 1.02], dtick=0.25)
    for m, (x, sign) in enumerate(((-4.0, "<"), (4.0, ">"))):
        text = (f"z {sign} 0: p {sign} 0.5, predict "
                f'<span style="color:{class_color(m)}">class {m}</span>')
        fig.add_annotation(x=x, y=0.68 if m == 0 else 0.32, text=text, showarrow=False,
                           font=dict(size=14))
    return fig.figure()
