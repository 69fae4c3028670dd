"""Streamlit glue of the "why" views (issue 15): cached calls into logreg.why / inference, and the
sections the Explain and Threshold pages place with one call each.

Pages call :func:`coefficients_section`, :func:`path_section`, :func:`surface_section`,
:func:`calibration_section`, :func:`cost_curve_section` and :func:`units_example`; every number
on screen comes from logreg, every figure is cached on the run's key.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from logreg import figures_why, metrics, why

from . import layout, presentation, state, thresholds

# Plot-first (issue 13), at 1280x720 with the sidebar open: the penalty path's two charts and the
# loss surface fit the first screen under the title and the view picker; an effects chart taller
# than its box (many columns) scrolls inside it (tests/e2e/test_layout.py).
PATH_HEIGHT = 400
SURFACE_HEIGHT = 480
EFFECTS_BOX_PX = 420


# ------------------------------------------------------------------ cached computations

@st.cache_data(max_entries=32, show_spinner="Computing the coefficient table...")
def coefficient_report(run_key, _run):
    return why.coefficient_report(_run)


@st.cache_data(max_entries=32, show_spinner="Fitting the regularization path...")
def run_path(run_key, _run):
    return why.run_path(_run)


@st.cache_data(max_entries=32, show_spinner="Computing the loss surface...")
def run_surface(run_key, _run):
    return why.run_surface(_run)


@st.cache_resource(max_entries=32, show_spinner=False)
def effects_figure(run_key, _report, target):
    return figures_why.effects_figure(_report.table, target=target)


@st.cache_resource(max_entries=32, show_spinner=False)
def path_figures(run_key, _path):
    weights = figures_why.path_figure(
        _path.reg_strengths, _path.coefs, _path.names, current=_path.current,
        penalty=_path.penalty)
    loss = figures_why.path_loss_figure(_path.reg_strengths, _path.test_loss, _path.train_loss,
                                        current=_path.current)
    return weights, loss


@st.cache_resource(max_entries=64, show_spinner=False)
def surface_figure(run_key, epoch, _surface, penalty):
    return figures_why.surface_figure(_surface.surface, _surface.path, epoch, _surface.optimum,
                                      names=_surface.names, penalty=penalty)


@st.cache_data(max_entries=64, show_spinner=False)
def calibration(run_key, which, n_bins, _y, _p):
    return metrics.calibration_bins(_y, _p, n_bins), metrics.brier_score(_y, _p)


@st.cache_data(max_entries=64, show_spinner=False)
def cost_curve(run_key, which, cost_fp, cost_fn, prevalence, _y, _p):
    return metrics.expected_cost_curve(_y, _p, cost_fp, cost_fn, prevalence)


# ------------------------------------------------------------------ the replay epoch

def replay_epoch(run, run_key) -> int:
    """The Train page's replay epoch for this run (a setting once there is one), else the last."""
    last = int(run.model.n_iter_)
    if "replay_epoch" in state.BY_NAME:
        value = state.get("replay_epoch")
        if isinstance(value, int) and 0 <= value <= last:
            return value
        return last
    if st.session_state.get("replay_for") == run_key:
        value = st.session_state.get("replay", last)
        return int(min(max(value, 0), last))
    return last


# ------------------------------------------------------------------ sections

def coefficients_section(run, run_key):
    """The table in the user's units, the top effects in words, the CI plot and the fit lines."""
    st.subheader("Coefficients in the units of your columns")
    report = coefficient_report(run_key, run)
    if report.table is None:
        for note in report.notes:
            st.info(note, icon=":material/info:")
        st.warning(report.error, icon=":material/warning:")
        return
    target = run.class_names[1]
    left, right = st.columns([3, 2])
    # An unfinished run's sentences describe the optimum it was heading to: said at once, where
    # the numbers are (the note saying why is under the plot, below a 720 px screen).
    of_what = "" if report.finished else (" of the finished fit (your run stopped before it; "
                                          "see the note under the plot)")
    with left:
        st.markdown(f"**The strongest effects{of_what}, in words**")
        st.markdown("\n".join(f"- {sentence}" for _, sentence in report.sentences))
        st.markdown("**How well the model fits**")
        st.markdown("\n".join(f"- {line}" for line in report.fit_lines))
    with right:
        fig = effects_figure(run_key, report, target)
        tall = ((fig.to_dict().get("layout") or {}).get("height") or 0) > EFFECTS_BOX_PX
        box = st.container(height=EFFECTS_BOX_PX, border=False, key="effects_box") if tall \
            else st.container(key="effects_box")
        presentation.chart(fig, key="effects_chart", where=box)
    # The notes say which fit the table below describes: over it, under the plot.
    for note in report.notes:
        st.info(note, icon=":material/info:")
    st.caption("Click a column header to sort. Per +1 unit of your column, and per +1 standard "
               "deviation (its size in your units is in the '1 SD' column).")
    # The intercept is not a column: it has no SD, and its per-SD cells show a dash, not "None".
    st.dataframe(why.display_table(report.table), width="stretch", key="coef_table",
                 column_config=_number_formats(report.table), placeholder="—")


def _number_formats(table):
    shown = why.display_table(table)
    return {name: st.column_config.NumberColumn(format="%.4g") for name in shown.columns}


def path_section(run, run_key):
    st.subheader("What the penalty strength λ does")
    path = run_path(run_key, run)
    if run.model.get_params()["penalty"] == "none":
        st.caption("Your model has no penalty; this shows what an L2 penalty of each strength "
                   "would do (choose a penalty on the Train page to mark it here).")
    elif path.penalty in ("l1", "elasticnet"):
        st.caption("With L1 the weights reach exactly zero one by one as λ grows: the "
                   "features leave the model in that order.")
    left, right = st.columns(2)
    weights, loss = path_figures(run_key, path)
    presentation.chart(weights, key="path_chart", height=PATH_HEIGHT, where=left)
    presentation.chart(loss, key="path_loss_chart", where=right,
                       reshape=layout.fit(PATH_HEIGHT, per_row=1))
    st.caption(path_caption(path, run))


def path_caption(path, run) -> str:
    """What each point of the path is (a fit trained to its optimum, not the run's epochs), and
    at the run's λ its test log-loss next to the run's own when they differ."""
    text = ("Each point of both curves is a model trained to the optimum at that λ (same data, "
            "features and penalty kind), not your run's epochs.")
    val = run.model.history_.get("val_loss")
    if path.current is None or path.test_loss is None or val is None or not len(val):
        return text
    at = int(np.argmin(np.abs(np.log(path.reg_strengths) - np.log(path.current))))
    finished, own = float(path.test_loss[at]), float(val[-1])
    if f"{finished:.3f}" == f"{own:.3f}":
        return text + f" At your λ = {path.current:g} its test log-loss, {finished:.3f}, is your run's."
    return text + (f" At your λ = {path.current:g} its test log-loss is {finished:.3f}; your run's, "
                   f"after {int(run.model.n_iter_):,} epochs, is {own:.3f} (see the Train page's "
                   "message on whether it finished).")


def surface_section(run, run_key):
    surface = run_surface(run_key, run)
    epoch = replay_epoch(run, run_key)
    params = run.model.get_params()
    solver = "Newton" if params["solver"] == "newton" else (
        f"gradient descent (learning rate {params['learning_rate']:g})")
    # As tall as the screen allows under the title and the view picker: the plot is square.
    presentation.chart(surface_figure(run_key, epoch, surface, params["penalty"]),
                       key="surface_chart", height=SURFACE_HEIGHT, fill_screen=True)
    if surface.note:  # under the plot, next to the caption that explains it
        st.info(surface.note, icon=":material/info:")
    st.caption(surface_caption(surface.names, solver, epoch, int(run.model.n_iter_),
                               from_link=epoch_from_link(run)))


def epoch_from_link(run) -> bool:
    """True when the replay epoch is a setting of this view (a link's ``replay_epoch``), not the
    last epoch by default."""
    if "replay_epoch" not in state.BY_NAME:
        return False
    value = state.get("replay_epoch")
    return isinstance(value, int) and 0 <= value <= int(run.model.n_iter_)


def surface_caption(names, solver, epoch, last, *, from_link) -> str:
    """The sentence under the loss surface: what the contours and the path are, and where the
    replay opened (the Train page's replay runs in the browser: the server never learns where
    its slider was left, so the epoch is named only when a link set it)."""
    opened = (f"It opened at epoch {epoch:,} of {last:,}, the replay epoch in the page's link"
              if from_link else f"It opened at the last epoch, {last:,}")
    return (f"Contours of the training objective over the weights of '{names[0]}' and "
            f"'{names[1]}', with the path {solver} took. Drag the **epoch** slider under the "
            f"plot or press **▶ Play** to follow it. {opened}. The path is the run's own; the "
            "contours hold the other weights fixed, so a path that moves other weights too "
            "need not follow them exactly.")


def calibration_section(run_key, which, y, p, target, n_bins=10):
    """Reliability diagram with the Brier score and bin counts (Threshold page)."""
    bins, brier = calibration(run_key, which, n_bins, y, p)
    presentation.chart(figures_why.reliability_figure(bins, brier, target=target, n_bins=n_bins),
                       key="calibration_chart")


def cost_curve_section(run_key, which, y, p, threshold, cost_fp, cost_fn, prevalence):
    """Expected cost per 1,000 cases across thresholds, minimum and current T marked."""
    curve = cost_curve(run_key, which, cost_fp, cost_fn, prevalence, y, p)
    current = metrics.expected_cost(y, p, threshold, cost_fp, cost_fn, prevalence=prevalence)
    presentation.chart(figures_why.cost_curve_figure(
        curve["thresholds"], curve["cost"], best_threshold=curve["best_threshold"],
        best_cost=curve["best_cost"], current=threshold, current_cost=float(current),
        set_words=thresholds.SET_WORDS.get(which)), key="cost_curve_chart")


def threshold_sections(run_key, which, y, p, target, threshold, cost_fp, cost_fn, prevalence):
    """The Threshold page's two "why" charts side by side (one call from the page)."""
    left, right = st.columns(2)
    with left:
        cost_curve_section(run_key, which, y, p, threshold, cost_fp, cost_fn, prevalence)
    with right:
        calibration_section(run_key, which, y, p, target)


def units_example(run):
    """About page: the current run's weights as per-unit and per-SD odds ratios, in words."""
    effects = why.unit_effects(run, run.model.coef_[0], run.model.intercept_[0])
    target = run.class_names[1]
    lines = [why.unit_effect_sentence(e, target) for e in effects[:4]]
    more = (f" (the first 4 of {len(effects)} columns; the Why page lists all)"
            if len(effects) > 4 else "")
    st.markdown(f"On the data and model you have now{more}:\n"
                + "\n".join(f"- {t}" for t in lines))


def units_example_section():
    """About page: the current binary run's weights per unit and per SD (nothing without data)."""
    from . import runs

    ctx = runs.binary_context()
    if ctx is None or runs.settings_problem(ctx.settings):
        return
    run = runs.binary_run(ctx)
    if not np.isfinite(run.model.coef_).all():
        return
    units_example(run)
