"""Threshold page: what each threshold costs, and picking one for a stated reason."""

import pandas as pd
import streamlit as st

from logreg import figures, metrics
from ui import compute, runs, state, why
from ui.errors import guard

RULE_WORDS = {
    "slider": "I set it myself (slider)",
    "youden": "Best balance: max TPR − FPR (Youden)",
    "target_tpr": "Catch at least a share of positives (target TPR)",
    "max_fpr": "Flag at most a share of negatives (max FPR)",
    "cost": "Cheapest: weigh false alarms against misses (cost)",
    "f1": "Best F1 score",
}


def rule_controls(which_names):
    pos, neg = which_names[1], which_names[0]
    c1, c2, c3 = st.columns([2, 1, 1])
    c1.selectbox("How to choose the threshold", list(RULE_WORDS), format_func=RULE_WORDS.get,
                 help="Pick a rule and the threshold follows it; pick the slider to set it by hand.",
                 **state.bind("rule"))
    rule = state.get("rule")
    if rule == "target_tpr":
        c2.slider(f"Share of '{pos}' to catch", 0.0, 1.0, step=0.01,
                  help="The true positive rate you need.", **state.bind("target_tpr"))
    elif rule == "max_fpr":
        c2.slider(f"Share of '{neg}' you can afford to flag", 0.0, 1.0, step=0.01,
                  help="The false positive rate you can live with.", **state.bind("max_fpr"))
    c3.number_input("Cost of a false alarm", 0.0, 1e6, step=1.0,
                    help=f"What it costs to flag a '{neg}' case as '{pos}'.",
                    **state.bind("cost_fp"))
    c3.number_input("Cost of a miss", 0.0, 1e6, step=1.0,
                    help=f"What it costs to miss a '{pos}' case.", **state.bind("cost_fn"))


def chosen_threshold(y, p, names):
    """Apply the rule (if any) to the chosen set; returns the choice or None for the slider."""
    rule = state.get("rule")
    if rule == "slider":
        return None
    prevalence = state.get("prevalence") or None  # 0 = the data's own share
    choice = metrics.choose_threshold(
        y, p, rule, target_tpr=state.get("target_tpr"), max_fpr=state.get("max_fpr"),
        cost_fp=state.get("cost_fp"), cost_fn=state.get("cost_fn"), prevalence=prevalence,
        positive_name=f"'{names[1]}' cases", negative_name=f"'{names[0]}' cases")
    # Clamp into the slider's range: "flag nothing" can sit just above the top score.
    value = float(min(max(choice.threshold, 0.0), 1.0))
    if abs(value - state.get("threshold")) > 1e-12:
        state.put("threshold", value)
    return choice


def metrics_table(conf, intervals, names):
    rows = [
        ("True positive rate (recall)", f"{conf['tpr']:.1%}",
         f"{intervals.tpr_low:.1%} – {intervals.tpr_high:.1%}",
         f"share of '{names[1]}' caught"),
        ("False positive rate", f"{conf['fpr']:.1%}",
         f"{intervals.fpr_low:.1%} – {intervals.fpr_high:.1%}",
         f"share of '{names[0]}' wrongly flagged"),
        ("Precision", f"{conf['precision']:.1%}", "", f"flagged cases that really are '{names[1]}'"),
        ("F1", f"{conf['f1']:.3f}", "", "balance of precision and recall"),
        ("Accuracy", f"{conf['accuracy']:.1%}", "", "all correct predictions"),
        ("Balanced accuracy", f"{conf['balanced_accuracy']:.1%}", "", "mean of TPR and TNR"),
    ]
    frame = pd.DataFrame(rows, columns=["metric", "value", "95% interval", "meaning"])
    # A static table wraps its text, so every meaning is readable in a half-width column.
    st.table(frame.set_index("metric"))


st.title("Threshold")
st.write("The model gives every point a probability; the **threshold T** turns it into a yes/no. "
         "Lower T catches more positives but raises more false alarms. Pick T by hand or by a "
         "rule, and see what it costs. The same T is used on the Train page.")

with guard("evaluating the threshold"):
    ctx = runs.binary_context()
    problem = None if ctx is None else runs.settings_problem(ctx.settings)
    if problem:
        st.warning(problem, icon=":material/warning:")
    elif ctx is not None:
        run = runs.binary_run(ctx)
        names = run.class_names
        has_test = run.p_test is not None and len(run.y_test) > 0
        st.radio("Evaluate on", ["test", "train"] if has_test else ["train"],
                 format_func={"test": "test set (honest)", "train": "training set"}.get,
                 horizontal=True, help="Test points were never used for training, so their "
                 "numbers predict how the model does on new data.", **state.bind("eval_on"))
        which = state.get("eval_on") if has_test else "train"
        y, p = (run.y_test, run.p_test) if which == "test" else (run.y_train, run.p_train)
        if len(set(y.tolist())) < 2:
            st.warning(f"The {which} set has only one class, so ROC and rates are undefined. "
                       "Use a larger test share or the training set.")
        else:
            with st.container(border=True):
                rule_controls(names)
                choice = chosen_threshold(y, p, names)
                st.slider("Threshold T", 0.0, 1.0, step=0.01, disabled=choice is not None,
                          help="Predicted positive when probability ≥ T.",
                          **state.bind("threshold"))
            threshold = state.get("threshold")
            conf = metrics.confusion_at(y, p, threshold)
            if choice is not None:
                st.success(choice.reason, icon=":material/target:")
            else:
                st.info(f"At {threshold:.2f}, {conf['tpr']:.0%} of '{names[1]}' are caught and "
                        f"{conf['fpr']:.0%} of '{names[0]}' are flagged.", icon=":material/tune:")
            curves = compute.curves(ctx.key, which, y, p)
            prevalence_in = state.get("prevalence")
            prevalence = prevalence_in if prevalence_in > 0 else float(y.mean())
            iso = metrics.iso_cost_line(state.get("cost_fp"), state.get("cost_fn"), prevalence,
                                        (conf["fpr"], conf["tpr"]))
            marker = dict(fpr=conf["fpr"], tpr=conf["tpr"], threshold=threshold)
            left, right = st.columns(2)
            left.plotly_chart(figures.roc_figure(
                curves["fpr"], curves["tpr"], auc=curves["auc"], marker=marker,
                iso_cost=dict(x=iso[0], y=iso[1], label="same expected cost")),
                width="stretch", key="roc_chart")
            # A rare class is invisible in raw counts: "auto" shows each class as a share of itself.
            right.plotly_chart(figures.histogram_figure(p, y, threshold=threshold,
                                                        class_names=names,
                                                        per_class_share="auto"),
                               width="stretch", key="hist_chart")
            left, right = st.columns(2)
            matrix = [[conf["tn"], conf["fp"]], [conf["fn"], conf["tp"]]]
            left.plotly_chart(figures.confusion_figure(matrix, names), width="stretch",
                              key="confusion_chart")
            with right:
                intervals = compute.bootstrap(ctx.key, which, threshold, y, p)
                metrics_table(conf, intervals, names)
                st.number_input("Share of positives where the model will be used", 0.0, 1.0,
                                step=0.01, format="%.2f",
                                help="0 uses this data's own share "
                                     f"({y.mean():.1%}). Real-world rates often differ.",
                                **state.bind("prevalence"))
                cost = metrics.expected_cost(y, p, threshold, state.get("cost_fp"),
                                             state.get("cost_fn"), prevalence=prevalence)
                st.metric("Expected cost per 1,000 cases", f"{float(cost):,.1f}",
                          help="False alarms × their cost + misses × their cost, for 1,000 "
                               f"cases with {prevalence:.1%} positives.")
            left, right = st.columns(2)
            left.plotly_chart(figures.pr_figure(
                curves["precision"], curves["recall"], average_precision=curves["ap"],
                marker=dict(recall=conf["recall"], precision=conf["precision"],
                            threshold=threshold), prevalence=float(y.mean())),
                width="stretch", key="pr_chart")
            sweep_t = [i / 100 for i in range(101)]
            sweep = metrics.confusion_sweep(y, p, sweep_t)
            right.plotly_chart(figures.threshold_sweep_figure(sweep_t, sweep["tpr"], sweep["fpr"],
                                                              current=threshold),
                               width="stretch", key="sweep_chart")
            why.threshold_sections(ctx.key, which, y, p, names[1], threshold,
                                   state.get("cost_fp"), state.get("cost_fn"), prevalence)
