"""The session's run history: every distinct trained binary run, newest first, up to LIMIT.

The Train page records each run it shows (``record``). An entry keeps the settings that made it
(so a click restores them, through ``state.put_many``), the cache key and inputs of the run (so
the Runs page can fetch it again for comparisons) and its scores (``logreg.runs_summary``).

An entry on an uploaded file becomes *stale* when another file replaces it: the data it was
trained on is gone, so it can be neither restored nor compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import streamlit as st

from logreg import runs_summary
from logreg.decisions import threshold_text
from logreg.settings import TrainSettings

from . import compute, data_source, state

LIMIT = 20
HISTORY_KEY = "run_history"        # list[Entry], newest first
DROPPED_KEY = "run_history_dropped"  # labels of runs dropped to keep LIMIT
COUNTER_KEY = "run_history_counter"
NOTICE_KEY = "run_history_notice"  # the last drop, shown once where it happened

# The settings a run is made of (data, model, threshold and its rule). Restoring an entry puts
# these back; view settings (page, replay, lesson) are left as they are.
RUN_SETTINGS = ("source", "kind", "n_samples", "noise", "n_classes", "balance", "data_seed",
                "builtin", "upload_name", "features_out", "standardize", "test_size", "learning_rate", "epochs",
                "batch_size", "solver", "penalty", "reg_strength", "l1_ratio", "degree", "init",
                "train_seed", "stop_early", "positive", "feature_x", "feature_y", "threshold",
                "eval_on", "rule", "target_tpr", "max_fpr", "cost_fp", "cost_fn", "prevalence",
                "tune_on")


@dataclass
class Entry:
    """One trained run of the history.

    ``settings``: the app's settings when it was trained (RUN_SETTINGS); ``key``: its cache key
    (data hash, split and settings); ``train_settings``, ``positive``, ``drawn``: the inputs of
    ``compute.train_binary``; ``scores``: its numbers at ``scores.threshold``.
    """

    number: int
    key: str
    settings: dict
    train_settings: TrainSettings
    positive: int
    drawn: tuple
    data_hash: str
    data_label: str
    auto_name: str
    scores: runs_summary.RunScores
    custom_name: str = ""
    starred: bool = False
    positive_name: str = field(default="")

    @property
    def name(self) -> str:
        return self.custom_name or self.auto_name

    @property
    def label(self) -> str:
        """"#3 GD, α 0.5, degree 2": unique in the session (the number never repeats)."""
        return f"#{self.number} {self.name}"


def entries() -> list:
    """The history, newest first."""
    return st.session_state.setdefault(HISTORY_KEY, [])


def by_number(number: int) -> Optional[Entry]:
    return next((e for e in entries() if e.number == number), None)


def current_settings() -> dict:
    return {name: state.get(name) for name in RUN_SETTINGS if name in state.BY_NAME}


def shown_accuracy(ctx, run, threshold: float) -> Optional[float]:
    """The final test accuracy the Train page shows (its cached curve), or None."""
    _, test_acc = compute.accuracy(ctx.key, threshold, run)
    return None if test_acc is None else float(test_acc[-1])


def record(ctx, run, threshold: float) -> None:
    """Add the run on screen to the history (or refresh its entry: same run, new threshold).

    Its test accuracy is the one the page shows (the same cached curve).
    """
    history = entries()
    scores = runs_summary.run_scores(run, threshold, shown_accuracy(ctx, run, threshold))
    settings = current_settings()
    for entry in history:
        if entry.key == ctx.key:
            entry.scores, entry.settings = scores, settings
            return
    number = st.session_state.get(COUNTER_KEY, 0) + 1
    st.session_state[COUNTER_KEY] = number
    history.insert(0, Entry(
        number=number, key=ctx.key, settings=settings, train_settings=ctx.settings,
        positive=ctx.positive, drawn=tuple(ctx.drawn), data_hash=ctx.dataset.content_hash,
        data_label=runs_summary.data_name(settings, ctx.dataset.name),
        auto_name=runs_summary.run_name(settings), scores=scores,
        positive_name=str(ctx.dataset.class_names[ctx.positive])))
    if len(history) > LIMIT:
        # The oldest run goes first; starred runs are kept while an unstarred one is left.
        unstarred = [e for e in history if not e.starred]
        dropped = (unstarred or history)[-1]
        history.remove(dropped)
        st.session_state.setdefault(DROPPED_KEY, []).append(dropped.label)
        notice = (f"The run history keeps {LIMIT} runs: the oldest, {dropped.label}, was "
                  "dropped. Star a run on the Runs page to keep it.")
        st.session_state[NOTICE_KEY] = notice
        st.toast(notice, icon=":material/history:")


def current_hash() -> Optional[str]:
    """Content hash of the data the settings show now (None when there is none)."""
    try:
        dataset = data_source.current_dataset()
    except ValueError:
        return None
    return None if dataset is None else dataset.content_hash


def stale_reason(entry: Entry) -> Optional[str]:
    """Why an entry's data is gone (an uploaded file since replaced), else None."""
    if entry.settings.get("source") != "upload":
        return None
    # The entry's hash is that of the data it trained on: the upload with its left-out columns
    # taken away (comparing with the whole file called every such run "replaced").
    try:
        trained_on = data_source.dataset_for(entry.settings)
    except ValueError:
        trained_on = None
    if trained_on is None or trained_on.content_hash != entry.data_hash:
        name = entry.settings.get("upload_name") or "the uploaded file"
        return (f"{entry.label} was trained on {name}, which has since been replaced by another "
                "upload: its data is gone, so it cannot be restored or compared.")
    return None


def is_current(entry: Entry) -> bool:
    """True when the settings now in use make this run (the Train page shows it)."""
    now = current_settings()
    same = all(now.get(k) == v for k, v in entry.settings.items()
               if k not in ("threshold", "eval_on", "rule", "target_tpr", "max_fpr", "cost_fp",
                            "cost_fn", "prevalence", "tune_on"))
    return same and stale_reason(entry) is None and current_hash() == entry.data_hash


# ---------------------------------------------------------------------------------------------
# Actions (button callbacks: they run before the page redraws)
# ---------------------------------------------------------------------------------------------

def restore(number: int) -> None:
    """Make an entry the current run again: its settings go back into the controls."""
    entry = by_number(number)
    if entry is None or stale_reason(entry):
        return
    state.put_many({k: v for k, v in entry.settings.items() if k in state.BY_NAME})


def toggle_star(number: int) -> None:
    entry = by_number(number)
    if entry is not None:
        entry.starred = not entry.starred


def rename(number: int, name: str) -> None:
    """A name of the user's; an empty name brings the automatic one back."""
    entry = by_number(number)
    if entry is not None:
        entry.custom_name = " ".join(str(name).split())[:80]


def delete(number: int) -> None:
    history = entries()
    history[:] = [e for e in history if e.number != number]


# ---------------------------------------------------------------------------------------------
# Fetching runs again (for comparisons and reports)
# ---------------------------------------------------------------------------------------------

def dataset_of(entry: Entry):
    """The entry's dataset, rebuilt from its settings; ValueError when it is gone (stale)."""
    reason = stale_reason(entry)
    if reason:
        raise ValueError(reason)
    dataset = data_source.dataset_for(entry.settings)
    if dataset is None or dataset.content_hash != entry.data_hash:
        raise ValueError(f"The data of {entry.label} cannot be rebuilt; train it again.")
    return dataset


def run_of(entry: Entry):
    """The entry's trained run (from the cache, or trained again: same inputs, same run)."""
    dataset = dataset_of(entry)
    train, test = compute.split(dataset.content_hash, entry.settings["test_size"],
                                entry.settings["data_seed"], dataset)
    return compute.train_binary(entry.key, entry.positive, entry.drawn, train, test,
                                entry.train_settings)


def comparable(chosen: list) -> Optional[str]:
    """Why these entries cannot be compared (stale, or different data), else None."""
    for entry in chosen:
        reason = stale_reason(entry)
        if reason:
            return reason
    hashes = {e.data_hash for e in chosen}
    if len(hashes) > 1:
        labels = "; ".join(f"{e.label} on {e.data_label}" for e in chosen)
        return (f"These runs were trained on different data ({labels}). Runs can only be "
                "compared on the same data: pick runs with the same data.")
    return None


# ---------------------------------------------------------------------------------------------
# What the Runs page shows
# ---------------------------------------------------------------------------------------------

def _pct(v):
    return "—" if v is None else f"{v:.1%}"


def _num(v):
    return "—" if v is None else f"{v:.3f}"


def table_rows() -> list:
    """One row per entry, newest first: the history table's cells (text, as shown)."""
    history = entries()
    rows = []
    for i, entry in enumerate(history):
        previous = history[i + 1] if i + 1 < len(history) else None
        s = entry.scores
        status = "stale: file replaced" if stale_reason(entry) else (
            "current" if is_current(entry) else "")
        rows.append({
            "run": f"#{entry.number}", "★": "★" if entry.starred else "", "name": entry.name,
            "changed": runs_summary.changes_text(
                entry.settings, None if previous is None else previous.settings),
            "epochs": f"{s.epochs:,}", "train loss": _num(s.train_loss),
            "test loss": _num(s.test_loss), "test accuracy": _pct(s.test_accuracy),
            "AUC": _num(s.auc), "T": threshold_text(s.threshold), "converged": s.converged,
            "status": status, "data": entry.data_label})
    return rows


def pair_sentences(chosen: list) -> list:
    """One sentence per pair of chosen entries (each later one against each earlier one)."""
    out = []
    for i, a in enumerate(chosen):
        for b in chosen[i + 1:]:
            out.append(runs_summary.pair_sentence(a.label, a.settings, a.scores,
                                                  b.label, b.settings, b.scores))
    return out
