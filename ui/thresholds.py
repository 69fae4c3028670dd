"""The one threshold T: the rule that may set it, its slider on the Train and Threshold pages,
and the notice when moving T by hand takes over from a rule.

A rule is applied wherever T is used (Train and Threshold pages), to the current run, so T never
waits for a page visit to follow its rule and is never reverted silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import streamlit as st

from logreg import decisions, metrics

from . import glossary, runs, state

RULE_WORDS = {
    "slider": "I set it myself (slider)",
    "youden": "Best balance: max TPR − FPR (Youden)",
    "target_tpr": "Catch at least a share of positives (target TPR)",
    "max_fpr": "Flag at most a share of negatives (max FPR)",
    "cost": "Cheapest: weigh false alarms against misses (cost)",
    "f1": "Best F1 score",
}
RULE_SHORT = {"youden": "best balance", "target_tpr": "target TPR", "max_fpr": "max FPR",
              "cost": "cheapest", "f1": "best F1"}
TUNE_WORDS = {"train": "training set (honest)", "test": "test set (optimistic)"}
SET_WORDS = {"train": "training set", "test": "test set"}
# The Threshold page's expander of the curves under its first screens (setting threshold_curves).
MORE_CURVES_LABEL = ("More curves: precision-recall, TPR and FPR at every threshold, expected "
                     "cost, calibration")
NOTICE_KEY = "threshold_manual_notice"


@dataclass(frozen=True)
class RuleOutcome:
    """A rule's choice, the value stored as T, and the set it was chosen on."""

    choice: metrics.ThresholdChoice
    threshold: float
    tuned_on: str  # "train" or "test"


def has_test(run) -> bool:
    return run.p_test is not None and len(run.y_test) > 0


def tuning_set(run) -> str:
    """Where rules choose T: the training set unless the optimistic test-set option is on."""
    return "test" if state.get("tune_on") == "test" and has_test(run) else "train"


def scores_of(run, which: str):
    return (run.y_test, run.p_test) if which == "test" else (run.y_train, run.p_train)


def data_prevalence(run) -> float:
    """Share of positives in all the data of the run (training and test rows together)."""
    ys = [run.y_train] + ([run.y_test] if has_test(run) else [])
    n = sum(len(y) for y in ys)
    return sum(int(y.sum()) for y in ys) / n


def apply_rule(ctx, run=None) -> Optional[RuleOutcome]:
    """Apply the active rule (if any) to the current run and store its value as T.

    Returns None for the slider, when the settings cannot train, or when the tuning set has one
    class only (no rates to choose by).
    """
    rule = state.get("rule")
    if rule == "slider" or ctx is None or runs.settings_problem(ctx.settings):
        return None
    run = run if run is not None else runs.binary_run(ctx)
    which = tuning_set(run)
    y, p = scores_of(run, which)
    if len(set(y.tolist())) < 2:
        return None
    names = run.class_names
    choice = metrics.choose_threshold(
        y, p, rule, target_tpr=state.get("target_tpr"), max_fpr=state.get("max_fpr"),
        cost_fp=state.get("cost_fp"), cost_fn=state.get("cost_fn"),
        prevalence=state.get("prevalence") or None,  # 0 = the data's own share
        positive_name=f"'{names[1]}' cases", negative_name=f"'{names[0]}' cases")
    value = decisions.rule_threshold(choice)
    if value != state.get("threshold"):
        state.put("threshold", value)
    return RuleOutcome(choice=choice, threshold=value, tuned_on=which)


def _moved_by_hand() -> None:
    """Train page: moving T while a rule is active hands T to the user, and says so."""
    before = state.get("rule")
    state.put("threshold", st.session_state[state.widget_key("threshold")])
    if before != "slider":
        state.put("rule", "slider")
        st.session_state[NOTICE_KEY] = dict(rule=before, threshold=state.get("threshold"))


def slider_format() -> str:
    """Slider label format with every digit T has (a rule's 0.03298 shows as 0.03298)."""
    return f"%.{decisions.threshold_decimals(state.get('threshold'))}f"


def threshold_slider(container, *, page: str) -> Optional[str]:
    """T's slider. On the Threshold page a rule disables it (the rule's box is next to it); on the
    Train page it stays movable and moving it switches to manual; returned then: the sentence
    naming the rule that set T (the page puts it under its control row: in the slider's narrow
    column it took five lines and pushed the plot down)."""
    rule = state.get("rule")
    ruled = rule != "slider"
    help_text = ("A point is predicted positive when its probability is at least T. The same "
                 "value is used on every page.")
    kwargs = state.bind("threshold")
    if page == "train":
        kwargs["on_change"], kwargs["args"] = _moved_by_hand, ()
    if page == "threshold":
        container, exact = container.columns([3, 1], vertical_alignment="bottom")
        exact_input(exact, disabled=ruled)
    container.slider("Threshold T", 0.0, 1.0, step=0.01, format=slider_format(),
                     disabled=ruled and page != "train", help=glossary.tip(help_text, "threshold"), **kwargs)
    if ruled and page == "train":
        return (f"T = {decisions.threshold_text(state.get('threshold'))} is set by the rule "
                f"“{RULE_SHORT[rule]}” (Threshold page); moving the slider sets T by hand.")
    return None


EXACT_KEY = "w_threshold_exact"


def exact_input(container, *, disabled: bool) -> None:
    """A number field for typing T with any number of digits (the slider moves in 0.01 steps)."""
    value = state.get("threshold")
    if st.session_state.get("_page_changed") or st.session_state.get(EXACT_KEY) != value:
        st.session_state[EXACT_KEY] = value

    def typed():
        state.put("threshold", float(st.session_state[EXACT_KEY]))

    container.number_input("T, typed", 0.0, 1.0, step=0.001,
                           format=f"%.{max(3, decimals_of(value))}f", key=EXACT_KEY,
                           on_change=typed, disabled=disabled,
                           help=glossary.tip("Type a threshold with more digits than the slider's steps."))


def decimals_of(value) -> int:
    return decisions.threshold_decimals(value)


def manual_notice() -> Optional[str]:
    """The notice after T was moved by hand away from a rule, while it still describes the state
    (T unchanged since, no rule chosen again); None otherwise (and the notice is dropped)."""
    notice = st.session_state.get(NOTICE_KEY)
    if notice is None:
        return None
    if state.get("rule") != "slider" or state.get("threshold") != notice["threshold"]:
        st.session_state.pop(NOTICE_KEY, None)
        return None
    return (f"You moved T to {decisions.threshold_text(notice['threshold'])} on the Train page, so "
            f"the rule “{RULE_WORDS[notice['rule']]}” no longer sets it: T is now set by hand. "
            "Pick the rule again on the Threshold page to go back to it.")


def diverged_sentence(run) -> Optional[str]:
    """When the run's training diverged: that every number on the Threshold page comes from the
    weights it kept, and where to fix it (the model's own divergence message, built from the
    run). None otherwise."""
    model = run.model
    if not getattr(model, "diverged_", False):
        return None
    said = [str(m) for m in getattr(model, "fit_warnings_", ()) if "diverged" in str(m)]
    why_text = said[0] if said else "Training diverged."
    return (f"Do not choose a threshold with this model yet. {why_text} The rates, costs and "
            "curves below are those of the weights it kept, not of a trained model: fix it on "
            "the Train page first, or turn on Standardize features on the Data page when "
            "columns have very different scales.")


def unfinished_sentence(ctx, run) -> Optional[str]:
    """When the run on screen has not converged (and did not diverge, see
    :func:`diverged_sentence`): that its probabilities, and a T chosen from them, are not final,
    and what to change on the Train page (the run's diagnosis, the one the Train page shows).
    None for a converged run."""
    if getattr(run.model, "diverged_", False):
        return None
    return runs.diagnosis(ctx, run).in_short or None


def baseline_sentence(run, threshold, accuracies) -> Optional[str]:
    """When one class holds 80% or more: what always answering it would score, next to the
    model's accuracy (``accuracies``: the cards' training and test accuracy, test None), pointing
    to balanced accuracy and the Threshold page. None otherwise."""
    sets = [("training set", run.y_train, run.p_train, accuracies[0])]
    if has_test(run) and accuracies[1] is not None:
        sets.append(("test set", run.y_test, run.p_test, accuracies[1]))
    found = [(where, decisions.accuracy_baseline(y, p, threshold), acc)
             for where, y, p, acc in sets]
    if not any(b.misleading for _, b, _ in found):
        return None
    share = decisions.class_shares(np.r_[run.y_train, run.y_test if has_test(run) else []]
                                   .astype(int), 2)
    majority = int(np.argmax(share))
    t_text = decisions.threshold_text(threshold)
    parts = [f"on the {where}, always answering '{run.class_names[b.majority]}' scores "
             f"{b.share:.1%} and this model {acc:.1%} at T = {t_text} (balanced accuracy "
             f"{b.balanced_accuracy:.1%})" for where, b, acc in found]
    text = "; ".join(parts)
    return (f"Accuracy can mislead here: '{run.class_names[majority]}' is {share[majority]:.1%} "
            f"of the data. {text[0].upper()}{text[1:]}. Balanced accuracy averages the share of "
            "each class got right, so 50% is no better than always giving one answer. Choose T "
            "for the rare class on the Threshold page.")


def baseline_note(run, threshold, accuracies) -> None:
    """Draw :func:`baseline_sentence` (if any) with a link to the Threshold page."""
    sentence = baseline_sentence(run, threshold, accuracies)
    if sentence:
        st.warning(sentence, icon=":material/balance:")
        st.page_link("pages/threshold.py", label="Choose the threshold on the Threshold page",
                     icon=":material/tune:")
