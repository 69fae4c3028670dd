"""Threshold page: what each threshold costs, and picking one for a stated reason."""

import pandas as pd
import streamlit as st

from logreg import decisions, figures, metrics
from ui import compute, glossary, layout, presentation, runs, state, thresholds, why
from ui import downloads
from ui.errors import guard
from ui.thresholds import RULE_WORDS, SET_WORDS, TUNE_WORDS

# The ROC and the confusion matrix (px): under the title and one row of controls, both fit a
# 1280x720 screen with the sidebar open (tests/e2e/test_layout.py measures it).
FIRST_PLOT_HEIGHT = 440


def rule_controls(which_names):
    """The rule, its target and the two costs in one row; returns the rule's column."""
    pos, neg = which_names[1], which_names[0]
    c1, c2, c3 = st.columns([2, 1, 1])
    c1.selectbox("How to choose the threshold", list(RULE_WORDS), format_func=RULE_WORDS.get,
                 help=glossary.tip("Pick a rule and the threshold follows it; pick the slider to set it by hand."),
                 **state.bind("rule"))
    rule = state.get("rule")
    if rule == "target_tpr":
        c2.slider(f"Share of '{pos}' to catch", 0.0, 1.0, step=0.01,
                  help=glossary.tip("The true positive rate you need."), **state.bind("target_tpr"))
    elif rule == "max_fpr":
        c2.slider(f"Share of '{neg}' you can afford to flag", 0.0, 1.0, step=0.01,
                  help=glossary.tip("The false positive rate you can live with."), **state.bind("max_fpr"))
    c3.number_input("Cost of a false alarm", 0.0, 1e6, step=1.0,
                    help=glossary.tip(f"What it costs to flag a '{neg}' case as '{pos}'."),
                    **state.bind("cost_fp"))
    c3.number_input("Cost of a miss", 0.0, 1e6, step=1.0,
                    help=glossary.tip(f"What it costs to miss a '{pos}' case."), **state.bind("cost_fn"))
    return c1


def prevalence_input(container, share):
    """The deployment share of positives, showing this data's own share until the user types
    another (the setting keeps 0 for "the data's own", so a link stays valid for other data)."""
    key = state.widget_key("prevalence")
    shown = state.get("prevalence") or share
    if st.session_state.get("_page_changed") or st.session_state.get(key) != shown:
        st.session_state[key] = shown

    def typed():
        value = float(st.session_state[key])
        state.put("prevalence", 0.0 if abs(value - share) < 5e-5 else value)

    container.number_input("Share of positives where the model will be used", 0.0, 1.0,
                           step=0.001, format="%.4f", key=key, on_change=typed,
                           help=glossary.tip(f"Starts at this data's own share ({share:.2%}). Real-world rates "
                                "often differ: type the share where the model will be used and "
                                "precision, NPV and the expected cost follow it."))


def metrics_table(conf, intervals, names, prevalence, sample_share):
    """The rates at T, with precision and NPV also at the entered share of positives."""
    passed = conf["tn"] + conf["fn"]
    npv_here = conf["tn"] / passed if passed else 0.0  # as confusion_at: 0 when nothing passes
    rows = [
        ("True positive rate (recall)", f"{conf['tpr']:.1%}",
         f"{intervals.tpr_low:.1%} – {intervals.tpr_high:.1%}",
         f"share of '{names[1]}' caught"),
        ("False positive rate", f"{conf['fpr']:.1%}",
         f"{intervals.fpr_low:.1%} – {intervals.fpr_high:.1%}",
         f"share of '{names[0]}' wrongly flagged"),
        ("Precision (PPV)", f"{conf['precision']:.1%}", "",
         f"flagged cases that really are '{names[1]}'"),
        ("NPV", f"{npv_here:.1%}", "", f"cases let through that really are '{names[0]}'"),
        ("F1", f"{conf['f1']:.3f}", "", "balance of precision and recall"),
        ("Accuracy", f"{conf['accuracy']:.1%}", "", "all correct predictions"),
        ("Balanced accuracy", f"{conf['balanced_accuracy']:.1%}", "", "mean of TPR and TNR"),
    ]
    frame = pd.DataFrame(rows, columns=["metric", "value", "95% interval", "meaning"])
    if prevalence != sample_share:
        ppv, npv = decisions.predictive_values(conf["tpr"], conf["fpr"], prevalence)
        column = f"at {prevalence:.2%} positives"
        frame.insert(2, column, "")
        frame.loc[frame["metric"] == "Precision (PPV)", column] = f"{ppv:.1%}"
        frame.loc[frame["metric"] == "NPV", column] = f"{npv:.1%}"
    # A static table wraps its text, so every meaning is readable in a half-width column.
    st.table(frame.set_index("metric"))


def more_curves(ctx, which, y, p, names, threshold, conf, curves, prevalence):
    """Precision-recall and TPR/FPR by threshold, then the expected cost and the calibration."""
    left, right = st.columns(2)
    presentation.chart(figures.pr_figure(
        curves["precision"], curves["recall"], average_precision=curves["ap"],
        marker=dict(recall=conf["recall"], precision=conf["precision"], threshold=threshold),
        prevalence=float(y.mean())), key="pr_chart", where=left)
    sweep_t = [i / 100 for i in range(101)]
    sweep = metrics.confusion_sweep(y, p, sweep_t)
    presentation.chart(figures.threshold_sweep_figure(sweep_t, sweep["tpr"], sweep["fpr"],
                                                      current=threshold),
                       key="sweep_chart", where=right)
    why.threshold_sections(ctx.key, which, y, p, names[1], threshold,
                           state.get("cost_fp"), state.get("cost_fn"), prevalence)


def rule_sentences(outcome, which, y, p, names):
    """The rule's own sentence (on the set it chose on) and, when the numbers are shown for the
    other set, what the same T does there."""
    t_text = decisions.threshold_text(outcome.threshold)
    st.success(f"Chosen on the {SET_WORDS[outcome.tuned_on]}: {outcome.choice.reason}",
               icon=":material/target:")
    if outcome.tuned_on != which:
        conf = metrics.confusion_at(y, p, outcome.threshold)
        cost = metrics.expected_cost(y, p, outcome.threshold, state.get("cost_fp"),
                                     state.get("cost_fn"),
                                     prevalence=state.get("prevalence") or None)
        st.info(f"On the {SET_WORDS[which]}, which the rule did not see, the same T = {t_text} "
                f"catches {conf['tpr']:.1%} of '{names[1]}' ({conf['tp']:,} of "
                f"{conf['tp'] + conf['fn']:,}) and flags {conf['fpr']:.1%} of '{names[0]}' "
                f"({conf['fp']:,} of {conf['fp'] + conf['tn']:,}); expected cost "
                f"{cost:,.1f} per 1,000 cases.", icon=":material/verified:")
    elif which == "test":
        st.warning("Optimistic: T was chosen on the same test points it is judged on, so these "
                   "numbers flatter it. Choose on the training set for an honest estimate.",
                   icon=":material/warning:")


st.title("Threshold")
st.write("The model gives every point a probability; the **threshold T** turns it into a yes/no. "
         "Lower T catches more positives but raises more false alarms. Pick T by hand or by a "
         "rule, and see what it costs. The same T is used on the Train page.")

with guard("evaluating the threshold"):
    ctx = runs.trainable_context()
    if ctx is not None:
        run = runs.binary_run(ctx)
        names = run.class_names
        has_test = thresholds.has_test(run)
        if diverged := thresholds.diverged_sentence(run):
            st.warning(diverged, icon=":material/warning:")
        # Filled last: the diagnosis may refit (a reference fit) when Train has not shown it yet.
        unfinished_box = st.container()
        # Plot-first (issue 13): one row of controls (which set, T), the ROC and the confusion
        # matrix under it on the first screen; how a rule chooses T and the rest below them.
        left, right = st.columns([1, 2], vertical_alignment="bottom")
        left.radio("Show the numbers on", ["test", "train"] if has_test else ["train"],
                   format_func={"test": "test set (honest)", "train": "training set"}.get,
                   horizontal=True, help=glossary.tip("Test points were never used for training, so their "
                   "numbers predict how the model does on new data."), **state.bind("eval_on"))
        which = state.get("eval_on") if has_test else "train"
        y, p = thresholds.scores_of(run, which)
        if len(set(y.tolist())) < 2:
            notice = thresholds.manual_notice()
            if notice:
                st.info(notice, icon=":material/pan_tool:")
            st.warning(f"The {which} set has only one class, so ROC and rates are undefined. "
                       "Use a larger test share or the training set.")
        else:
            top_left, top_right = st.columns(2)
            sentence = st.container()
            with st.container(border=True):
                notice = thresholds.manual_notice()
                if notice:
                    st.info(notice, icon=":material/pan_tool:")
                rule_column = rule_controls(names)
                if has_test:
                    rule_column.radio("Rules choose T on", list(TUNE_WORDS),
                                      format_func=TUNE_WORDS.get, horizontal=True,
                                      help=glossary.tip("Choosing T on the training set and "
                                      "judging it on the test set is honest. Choosing on the test "
                                      "set makes its numbers look better than they will be on new "
                                      "data."), **state.bind("tune_on"))
                outcome = thresholds.apply_rule(ctx, run)
            thresholds.threshold_slider(right, page="threshold")
            threshold = state.get("threshold")
            t_text = decisions.threshold_text(threshold)
            conf = metrics.confusion_at(y, p, threshold)
            with sentence:
                if outcome is not None:
                    rule_sentences(outcome, which, y, p, names)
                else:
                    # The table's digits (76.7%, not 77%): one value, one number.
                    st.info(f"At T = {t_text}, {conf['tpr']:.1%} of '{names[1]}' are caught and "
                            f"{conf['fpr']:.1%} of '{names[0]}' are flagged ({SET_WORDS[which]}).",
                            icon=":material/tune:")
            curves = compute.curves(ctx.key, which, y, p)
            sample_share = float(y.mean())
            prevalence = state.get("prevalence") or sample_share
            iso = metrics.iso_cost_line(state.get("cost_fp"), state.get("cost_fn"), prevalence,
                                        (conf["fpr"], conf["tpr"]))
            marker = dict(fpr=conf["fpr"], tpr=conf["tpr"], threshold=threshold)
            presentation.chart(figures.roc_figure(
                curves["fpr"], curves["tpr"], auc=curves["auc"], marker=marker,
                iso_cost=dict(x=iso[0], y=iso[1], label="same expected cost")),
                key="roc_chart", reshape=layout.fit(FIRST_PLOT_HEIGHT, per_row=1),
                where=top_left)
            matrix = [[conf["tn"], conf["fp"]], [conf["fn"], conf["tp"]]]
            presentation.chart(figures.confusion_figure(matrix, names), key="confusion_chart",
                               height=FIRST_PLOT_HEIGHT, where=top_right)
            top_right.caption(f"Counts on the {SET_WORDS[which]} at T = {t_text}.")
            left, right = st.columns(2)
            # A rare class is invisible in raw counts: "auto" shows each class as a share of itself.
            presentation.chart(figures.histogram_figure(p, y, threshold=threshold,
                                                        class_names=names,
                                                        per_class_share="auto"),
                               key="hist_chart", where=left)
            with right:
                intervals = compute.bootstrap(ctx.key, which, threshold, y, p)
                metrics_table(conf, intervals, names, prevalence, sample_share)
                prevalence_input(st, thresholds.data_prevalence(run))
                cost_fp, cost_fn = state.get("cost_fp"), state.get("cost_fn")
                own = metrics.expected_cost(y, p, threshold, cost_fp, cost_fn)
                c1, c2 = st.columns(2)
                c1.metric("Expected cost per 1,000 cases", f"{own:,.1f}",
                          help=glossary.tip("False alarms × their cost + misses × their cost, for 1,000 "
                               f"cases with {sample_share:.2%} positives (this set's share)."))
                if prevalence != sample_share:
                    there = metrics.expected_cost(y, p, threshold, cost_fp, cost_fn,
                                                  prevalence=prevalence)
                    c2.metric(f"… at {prevalence:.2%} positives", f"{there:,.1f}",
                              help=glossary.tip("The same TPR and FPR, weighted by the share of positives "
                                   "you entered."))
                downloads.threshold_downloads(ctx, run, threshold)
            # Under the first screens, drawn only while open (a setting, kept in the link): the
            # switch to this page drew all seven charts at once (benchmarks/bench_browser.py).
            more = st.expander(thresholds.MORE_CURVES_LABEL, **state.bind("threshold_curves"))
            if more.open:
                with more:
                    more_curves(ctx, which, y, p, names, threshold, conf, curves, prevalence)
        if unfinished := thresholds.unfinished_sentence(ctx, run):
            # One caption line: a warning box would push the ROC below a 1280x720 screen.
            unfinished_box.caption(f":orange[:material/hourglass_top: {unfinished}]")
