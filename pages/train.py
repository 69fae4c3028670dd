"""Train page: the controls, the moving decision boundary, the loss curve and the weights."""

import streamlit as st

from logreg import pipeline, replay_figure
from logreg.decisions import threshold_text
from ui import (compute, data_source, downloads, history, lesson, pickers, presentation, presets,
                runs, state, thresholds)
from ui import glossary  # tooltips link the glossary terms they use
from ui.errors import guard

PENALTY_WORDS = {"none": "none", "l2": "L2 (ridge)", "l1": "L1 (lasso)",
                 "elasticnet": "elastic net (L1 + L2)"}
SOLVER_WORDS = {"gd": "gradient descent", "newton": "Newton"}


def preset_row():
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    choice = left.selectbox("Guided demo", [p.title for p in presets.PRESETS], index=None,
                            placeholder="Pick a demo: it sets the data and the controls",
                            help=glossary.tip("Each demo sets everything up and tells you what to look at."))
    right.button("Apply demo", disabled=choice is None, on_click=presets.apply, args=(choice,),
                 width="stretch", type="primary")


def controls(ctx):
    """One compact row of the controls a demo moves; the rest behind "More".

    Presentation mode leaves out the expert controls (batch size, elastic-net mix); during a
    tour step it keeps in the row only the settings the step is about (the rest go in "More").
    """
    present = presentation.active()
    newton = state.get("solver") == "newton"
    not_used = " Newton's method does not use it: it computes its own step." if newton else ""
    row = st.columns([1, 0.9, 1.25, 1.05, 1.35, 1, 0.8], vertical_alignment="bottom",
                     gap="small")
    more = row[6].popover("More", width="stretch", help=glossary.tip(
        "Solver, stopping, batch size, and which class and features to use."))
    row = presentation.control_places(("learning_rate", "epochs", "degree", "penalty",
                                       "reg_strength", "threshold"), row, more, page="train")
    row[0].select_slider("Learning rate α", state.LEARNING_RATES, disabled=newton,
                         help=glossary.tip("How big each gradient step is. Too small: slow. Too big: the loss "
                              "jumps around or blows up." + not_used, "learning rate"),
                         **state.bind("learning_rate"))
    row[1].select_slider("Epochs", state.EPOCHS,
                         help=glossary.tip("How many passes over the training data (Newton: iterations).", "epoch"),
                         **state.bind("epochs"))
    row[2].slider("Polynomial degree", 1, 5,
                  help=glossary.tip("Adds squares, products, cubes... of the features so the boundary can "
                       "curve. Circles and XOR need degree 2 or more."), **state.bind("degree"))
    row[3].selectbox("Penalty", list(PENALTY_WORDS), format_func=PENALTY_WORDS.get,
                     help=glossary.tip("Regularization keeps weights small. L1 sets weak weights exactly "
                          "to zero."), **state.bind("penalty"))
    row[4].select_slider("Penalty strength λ", state.REG_STRENGTHS,
                         disabled=state.get("penalty") == "none",
                         help=glossary.tip("Larger λ = smaller weights and a smoother, less confident model."),
                         **state.bind("reg_strength"))
    rule_note = thresholds.threshold_slider(row[5], page="train")
    with more:
        st.radio("Solver", list(SOLVER_WORDS), format_func=SOLVER_WORDS.get, horizontal=True,
                 help=glossary.tip("Gradient descent follows the slope; Newton also uses the curvature and "
                      "converges in a few iterations (no L1 penalty).", "solver"), **state.bind("solver"))
        st.toggle("Stop early", help=glossary.tip(runs.STOP_EARLY_HELP), **state.bind("stop_early"))
        if not present:
            st.select_slider("Batch size", state.BATCH_SIZES, disabled=newton,
                             format_func=lambda b: "full" if b == 0 else str(b),
                             help=glossary.tip("Points per gradient step. 'full' uses all points each step; "
                                  "small batches take many noisy steps per epoch." + not_used),
                             **state.bind("batch_size"))
            if state.get("penalty") == "elasticnet":
                st.slider("L1 share", 0.0, 1.0, step=0.05, help=glossary.tip("0 = pure L2, 1 = pure L1.", "elastic net"),
                          **state.bind("l1_ratio"))
        if ctx.dataset.n_classes > 2 or ctx.dataset.n_features > 2:
            pickers.positive_picker(ctx.dataset, ctx.positive, "train")
            pickers.axis_pickers(ctx.dataset, ctx.drawn, "train")
    for note in (rule_note, runs.controls_note(ctx)):
        if note:
            st.caption(note)


def replay_start(run, run_key):
    """Epoch the replay opens at: the stored ``replay_epoch`` for the same run (it survives page
    switches and, through the URL, reloads and shared links), the last epoch for a new run."""
    last = run.model.n_iter_
    if st.session_state.get("replay_for") not in (None, run_key):
        state.put("replay_epoch", -1)  # a new run opens at its last epoch
    st.session_state["replay_for"] = run_key
    wanted = state.get("replay_epoch")
    return last if wanted < 0 or wanted > last else wanted


# How the run's diagnosis (finished, not finished, swinging, diverged) is boxed.
DIAGNOSIS_BOXES = {
    "success": lambda text: st.success(text, icon=":material/check_circle:"),
    "info": lambda text: st.info(text, icon=":material/hourglass_top:"),
    "warning": lambda text: st.warning(text, icon=":material/warning:"),
}


def boundary_panel(ctx, run, threshold, narrow=False):
    # One figure for Replay and Play: every recorded epoch travels with it as a plotly frame, so
    # scrubbing and playing run in the browser without a rerun; the loss marker and the weights
    # in the same figure move with the same slider.
    start = replay_start(run, ctx.key)
    last = run.model.n_iter_
    # The figure first (its own height fits a 1280x720 screen under the controls), then one line.
    shapes = ([replay_figure.narrow] if narrow else []) + \
        ([replay_figure.large] if presentation.active() else [])
    # Presentation mode fills a large screen's height. Not otherwise: a chart stretched beyond
    # its figure's own height is drawn twice by the browser on every change (once at its own
    # height, once stretched), which cost a learning-rate or threshold step 70-100 ms in chromium
    # (benchmarks/bench_browser.py); the explorer's steps stay fast, the projector's plot big.
    presentation.chart(compute.replay_figure(ctx.key, threshold, start, compute.REPLAY_RES, run),
                       key="boundary_chart", reshape=reshaped(shapes),
                       fill_screen=presentation.active())
    st.caption("Drag the **epoch** slider or press **▶ Play** to watch the model learn (it runs "
               f"in your browser). The cards and charts below describe the last epoch, {last:,}.")
    return last


def reshaped(shapes):
    """One function of a figure dict applying ``shapes`` in turn (None when there are none)."""
    if not shapes:
        return None

    def apply(spec):
        for shape in shapes:
            spec = shape(spec)
        return spec
    return apply


# The replay figure above already shows the loss curves and the weights; these two charts add
# accuracy by epoch and each weight in the columns' units. They are drawn only while their
# expander is open (a setting: it stays open across pages and in a shared link; opening it
# reruns the page, the figures are cached): a retrain then
# redraws one figure instead of three (benchmarks/bench_browser.py). A closed expander's
# charts would otherwise still be drawn by the browser.
CURVES_LABEL = "Accuracy by epoch, and each weight in your columns' units"


def curves_panel(ctx, run, threshold, epoch):
    """The loss/accuracy chart and the weights chart: open in a tour step on this page (a step
    may point at the weights chart), else behind an expander, drawn when it is open."""
    if lesson.on_page("train"):
        curves_columns(ctx, run, threshold, epoch)
        return
    panel = st.expander(CURVES_LABEL, **state.bind("train_curves"))
    if panel.open:
        with panel:
            curves_columns(ctx, run, threshold, epoch)


def curves_columns(ctx, run, threshold, epoch):
    left, right = st.columns(2)
    presentation.chart(compute.loss_figure(ctx.key, threshold, epoch, run), key="loss_chart",
                       height=plot_heights()[1], where=left)
    presentation.chart(compute.coef_figure(ctx.key, epoch, run), key="coef_chart", where=right)


def scores(run, threshold, train_acc, test_acc):
    cols = st.columns(4)
    cols[0].metric("Training accuracy", f"{train_acc:.1%}",
                   help=glossary.tip(f"At threshold {threshold_text(threshold)}."))
    cols[1].metric("Test accuracy", "—" if test_acc is None else f"{test_acc:.1%}",
                   help=glossary.tip("On the held-back points the model never trained on."))
    val = run.model.history_.get("val_loss")
    cols[2].metric("Test log-loss", "—" if val is None else f"{val[-1]:.3f}",
                   help=glossary.tip("Lower is better; 0.693 is a coin flip."))
    cols[3].metric("Epochs run", f"{run.model.n_iter_:,}",
                   help=glossary.tip(f"Trained in {run.seconds * 1000:.0f} ms."))


# The files a run can be taken away as sit in one expander under the first screen, drawn only
# while it is open (a setting, like the curves above): closed, a first visit skips their
# widgets' code in the browser and a retrain skips building the script.
FILES_LABEL = "Take this run with you: report, Python script, model and predictions files"


def files_panel(ctx, run, threshold):
    """The report and script downloads, the model and predictions files, and loading a model:
    open in the expander bound to ``train_files``."""
    panel = st.expander(FILES_LABEL, icon=":material/download:", **state.bind("train_files"))
    downloads.link_note()  # the address bar is always there: what a copied link carries
    if panel.open:
        with panel:
            downloads.train_downloads(ctx, run, threshold)
            save_and_load(ctx, run, threshold)


def save_and_load(ctx, run, threshold):
    st.markdown("**Save or load a model**")
    st.caption("Model files are plain JSON (weights, settings, how the features were "
               "prepared); loading one never runs code from it.")
    c1, c2 = st.columns(2)
    # Callables: the files are built only when a button is pressed, not on every rerun.
    # on_click="ignore": a click that reran the script would replace both buttons' file ids
    # while the browser still holds the old ones, so a second download right after the
    # first failed ("Deferred file ... not found").
    c1.download_button("Download this model (JSON)",
                       lambda: pipeline.export_model(run, ctx.dataset.name, threshold),
                       file_name=f"logreg-{ctx.dataset.name}.json", mime="application/json",
                       icon=":material/download:", on_click="ignore", width="stretch")
    c2.download_button("Download predictions (CSV)",
                       data_source.predictions_file(ctx.dataset, run, threshold),
                       file_name=f"predictions-{ctx.dataset.name}.csv", mime="text/csv",
                       icon=":material/table:", on_click="ignore", width="stretch",
                       help=downloads.predictions_help(ctx.dataset, "the predicted class"))
    file = st.file_uploader("Load a model file", type=["json"], key="model_file",
                            help=glossary.tip("A JSON file downloaded from this app."))
    if file is not None:
        with guard("reading the model file"):
            test = ctx.test if ctx.test is not None else ctx.train
            loaded = pipeline.load_model(file.getvalue(), test.X, test.y,
                                         ctx.dataset.class_names, ctx.dataset.feature_names)
            st.success(f"Read: {loaded.description}")
            if loaded.mismatch:
                st.warning(loaded.mismatch)
            else:
                auc = "" if loaded.auc is None else f", AUC {loaded.auc:.3f}"
                st.info(f"On the current {'test' if ctx.test is not None else 'training'} "
                        f"data: accuracy {loaded.accuracy:.1%}{auc} at its threshold "
                        f"{threshold_text(loaded.threshold)}.")
            st.button("Use its settings and threshold", on_click=apply_loaded,
                      args=(loaded,))


def apply_loaded(loaded):
    """Copy a loaded model's settings into the controls (values the controls can show)."""
    # The file's threshold, set by hand: an active rule would otherwise replace it at once.
    params, values = loaded.params, {"threshold": loaded.threshold, "rule": "slider"}
    for name in ("learning_rate", "epochs", "solver", "penalty", "reg_strength", "l1_ratio",
                 "init"):
        if state.valid(state.BY_NAME[name], params.get(name)):
            values[name] = params[name]
    if isinstance(params.get("stop_early"), bool):  # files from before it existed lack it
        values["stop_early"] = params["stop_early"]
    values["batch_size"] = params.get("batch_size") or 0
    if not state.valid(state.BY_NAME["batch_size"], values["batch_size"]):
        del values["batch_size"]
    state.put_many(values)


def plot_heights():
    """(replay, loss) figure heights in px (None: the figure's own)."""
    return (None, 390) if presentation.active() else (None, 375)


def header():
    """Title and the demo picker on one row: the plot starts high on the screen."""
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    left.title("Train", anchor=False,
               help=glossary.tip("Watch logistic regression learn. Change any control and the model retrains "
                    "at once; drag the **epoch** slider under the plot to go back in time, or "
                    "press **▶ Play**. Colours show the predicted probability, the black line is "
                    "where it equals the threshold."))
    with right:
        if presentation.active():
            st.button("Leave presentation mode", icon=":material/close_fullscreen:",
                      on_click=state.put, args=("present", False))
        elif not lesson.current():
            preset_row()  # the demo menu, for experts; the tour tells one story at a time


def results(ctx, threshold, story):
    run = runs.binary_run(ctx)
    # The replay figure holds the boundary, the loss and the weights side by side, first on the
    # page; messages come under it so they never push it below the first screen. During the
    # tour the step's panel stands beside it (not above: the plot stays on a 720 px screen).
    if lesson.on_page("train"):
        fig_col, story_col = st.columns([64, 36], gap="small")
        with story_col:
            story = lesson.slot("train", compact=True)
        lesson.explain_binary(story, ctx, run, threshold)
        with fig_col:
            epoch = boundary_panel(ctx, run, threshold, narrow=True)
    else:
        lesson.explain_binary(story, ctx, run, threshold)
        epoch = boundary_panel(ctx, run, threshold)
    for message in run.messages:
        st.warning(message, icon=":material/warning:")
    # The diagnosis may refit (a reference fit, suggested learning rates): its place is kept
    # here and filled last, so the figures reach the browser first.
    diagnosis_box = st.container()
    train_acc, test_acc = compute.accuracy(ctx.key, threshold, run)
    scores(run, threshold, train_acc[-1], None if test_acc is None else test_acc[-1])
    history.record(ctx, run, threshold)
    thresholds.baseline_note(run, threshold, (train_acc[-1], None if test_acc is None
                                              else test_acc[-1]))  # one class >= 80%
    curves_panel(ctx, run, threshold, epoch)
    st.caption(f"Live training stops after {compute.TIME_BUDGET_S:g} s whatever the epochs, "
               "so the page stays responsive; the message above says when that happened.")
    files_panel(ctx, run, threshold)
    with diagnosis_box:
        for level, sentence in runs.diagnosis(ctx, run).sentences:
            DIAGNOSIS_BOXES[level](sentence)


with guard("training the model"):
    header()
    ctx = runs.binary_context()
    # A step on this page stands beside the plot (drawn in results); otherwise here, on top.
    beside = ctx is not None and lesson.on_page("train")
    story = None if beside else lesson.slot("train")
    if ctx is not None:
        thresholds.apply_rule(ctx)  # a rule sets T for the current run before T is drawn
        controls(ctx)
        if notice := thresholds.manual_notice():
            st.info(notice, icon=":material/pan_tool:")
        problem = runs.settings_problem(ctx.settings)
        if problem:
            st.warning(problem, icon=":material/warning:")
            if beside:
                lesson.slot("train")
        else:
            results(ctx, state.get("threshold"), story)
