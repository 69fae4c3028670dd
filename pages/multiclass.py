"""Multiclass page: one-vs-rest (one boundary per class, argmax regions) and softmax side by side."""

import streamlit as st

from logreg import figures, lesson_text, ovr_figures, pipeline
from ui import compute, glossary, layout, lesson, pickers, presentation, runs, state
from ui.errors import guard

GRID_RES = 150
# The regions plot (px): under the title, the intro and one row of controls it fits the first
# screen at 1280x720 with the sidebar open (tests/e2e/test_layout.py).
REGIONS_HEIGHT = 440


def suggest_multiclass_data():
    st.info("This data has two classes, so there is nothing to split into one-vs-rest models. "
            "Try a data set with three or more classes:")
    c1, c2, c3 = st.columns(3)
    c1.button("Iris (3 flower species)", on_click=state.put_many,
              args=({"source": "builtin", "builtin": "iris", "feature_x": "", "feature_y": ""},))
    c2.button("Blobs with 4 classes", on_click=state.put_many,
              args=({"source": "generate", "kind": "blobs", "n_classes": 4, "noise": 0.3},))
    c3.button("Spiral with 3 arms", on_click=state.put_many,
              args=({"source": "generate", "kind": "spiral", "n_classes": 3, "noise": 0.1,
                     "degree": 3},))


def show_run(ctx, run, key, title):
    scores_set = "test" if run.proba_test is not None else "train"
    y = run.y_test if scores_set == "test" else run.y_train
    proba = run.proba_test if scores_set == "test" else run.proba_train
    xs, ys, grids = compute.class_grids(key, run.kind, GRID_RES, run)
    names = [run.feature_names[i] for i in run.drawn]
    X2 = run.X_train[:, list(run.drawn)]
    fig = figures.ovr_figure(xs, ys, grids, X2, run.y_train, class_names=run.class_names,
                             feature_names=names, title=title, kind=run.kind)
    lines_note = None
    if run.kind == "ovr":
        fig, lines_note = ovr_figures.explained_lines(fig, xs, ys, grids, X2, run.y_train,
                                                      run.class_names)
    # In half the width (softmax beside it) each class's line takes a legend row of its own.
    presentation.chart(fig, key=f"regions_{run.kind}", reshape=layout.fit(
        REGIONS_HEIGHT, per_row=1.5 if state.get("compare_softmax") else 4))
    if lines_note:
        st.caption(lines_note)
    note = pipeline.drawn_note(run.feature_names, run.drawn)
    if note:
        st.caption(note)
    scores = compute.multiclass_scores(key, run.kind, scores_set, y, proba)
    cols = st.columns(3)
    cols[0].metric(f"Accuracy ({scores_set})", f"{scores['accuracy']:.1%}")
    cols[1].metric("Macro AUC", f"{scores['macro']:.3f}",
                   help=glossary.refer("Mean of the per-class AUCs.", "macro", "AUC"))
    cols[2].metric("Epochs run", f"{run.model.n_iter_:,}")
    return scores, scores_set


def one_class_view(run, key):
    """One class's own yes/no model alone: its probability, its p = 0.5 line, its two sides."""
    names = [str(c) for c in run.class_names]
    wanted = state.get("ovr_class")
    st.session_state["w_ovr_class"] = wanted if wanted in names else None
    choice = st.segmented_control(
        "Show one class's own model alone", names, key="w_ovr_class",
        on_change=lambda: state.put("ovr_class", st.session_state["w_ovr_class"] or ""),
        help=glossary.refer("One-vs-rest is one yes/no model per class. Pick a class to see "
                            "its model by itself: the colours are its probability, the line is "
                            "where it says 50/50.", "one-vs-rest", "probability"))
    if choice is None:
        return
    m = names.index(choice)
    xs, ys, grids = compute.class_grids(key, run.kind, GRID_RES, run)
    drawn = list(run.drawn)
    presentation.chart(ovr_figures.one_class_figure(
        xs, ys, grids[m], run.X_train[:, drawn], run.y_train, m=m, class_names=run.class_names,
        feature_names=[run.feature_names[i] for i in drawn],
        X_test=None if run.X_test is None else run.X_test[:, drawn], y_test=run.y_test,
        subtitle=pipeline.drawn_note(run.feature_names, run.drawn)),
        key="one_class_chart")


st.title("Multiclass (one-vs-rest)")
if not lesson.on_page("multiclass"):  # a tour step here says what to look at
    st.write("With more than two classes, **one-vs-rest** trains one yes/no model per class "
             "(\"this class or not?\") and predicts the class whose model is most confident. Each "
             "coloured line is one class's own boundary; the shaded regions show which class wins. "
             "Switch on softmax to compare with a single model that learns all classes together.")
_panel = {}


def tour_panel():
    """The tour panel (drawn once, where first asked for) and the place of its sentences."""
    if "place" not in _panel:
        _panel["place"] = lesson.slot("multiclass")
    return _panel["place"]


with guard("training the multiclass model"):
    ctx = runs.binary_context()
    problem = None if ctx is None else runs.settings_problem(ctx.settings)
    if ctx is not None and ctx.dataset.n_classes < 3:
        suggest_multiclass_data()
    elif problem:
        st.warning(problem, icon=":material/warning:")
    elif ctx is not None:
        # Plot-first (issue 13): the toggle and the axis pickers in one row, the regions under it.
        row = st.columns([1.6, 1, 1], vertical_alignment="bottom")
        row[0].toggle("Compare with softmax (multinomial) regression",
                  help=glossary.refer("Softmax learns all classes in one model whose "
                                      "probabilities always sum to 1; its regions can differ "
                                      "from one-vs-rest's.", "softmax", "one-vs-rest"),
                  **state.bind("compare_softmax"))
        pickers.axis_pickers(ctx.dataset, ctx.drawn, "multiclass", columns=row[1:])
        key = ctx.key
        ovr = compute.train_multiclass(key, "ovr", ctx.drawn, ctx.train, ctx.test, ctx.settings)
        for message in ovr.messages:
            st.warning(message, icon=":material/warning:")
        if state.get("compare_softmax"):
            left, right = st.columns(2)
            with left:
                scores, which = show_run(ctx, ovr, key, "One-vs-rest: regions and boundaries")
            with right:
                soft = compute.train_multiclass(key, "softmax", ctx.drawn, ctx.train, ctx.test, ctx.settings)
                for message in soft.messages:
                    st.warning(message, icon=":material/warning:")
                show_run(ctx, soft, key, "Softmax: regions")
        else:
            scores, which = show_run(ctx, ovr, key, "One-vs-rest: regions and boundaries")
            soft = None
        st.caption("Training settings (learning rate, epochs, penalty, degree) come from the "
                   "Train page.")
        story = tour_panel()  # a tour step's panel under the regions: the plots stay on top
        if story is not None and lesson.current():
            lesson.explain_multiclass(story, ovr, soft)
        else:
            st.info(lesson_text.hardest_class(ovr, soft)
                    + ("" if soft is not None else " Switch on softmax to compare."),
                    icon=":material/lightbulb:")
        one_class_view(ovr, key)
        left, right = st.columns(2)
        history = ovr.model.history_
        presentation.chart(figures.per_class_loss_figure(
            list(range(ovr.model.n_iter_ + 1)),
            history["data_loss"], ovr.class_names), key="ovr_loss", where=left)
        presentation.chart(figures.per_class_roc_figure(
            scores["curves"], ovr.class_names, aucs=scores["aucs"], macro_auc=scores["macro"],
            micro_auc=scores["micro"], title=f"ROC per class, one vs rest ({which} set)"),
            key="ovr_roc", where=right)
        left, right = st.columns(2)
        presentation.chart(figures.confusion_figure(scores["confusion"], ovr.class_names,
                                                   title=f"Confusion matrix ({which} set)"),
                           key="ovr_confusion", where=left)
        presentation.chart(figures.coef_figure(ovr.model.coef_, list(ovr.features.names),
                                               class_names=ovr.class_names,
                                               title="Weights of each one-vs-rest model",
                                               l1_zeros=compute.uses_l1(ovr.model)),
                           key="ovr_coef", where=right)
tour_panel()  # no regions (two classes, a bad setting): the panel under what is there
