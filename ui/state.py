"""Every app setting in one table: name, default, type and allowed values.

Session state, the widgets, the sidebar summary and the URL (``st.query_params``) all read this
table, so a shared link reproduces the same data (the seed is a setting) and model.

Streamlit deletes a widget's key when the widget is not drawn (another page), so each setting
lives under a durable key ``s_<name>``; the widget gets its own key ``w_<name>``, is seeded from
the durable value, and copies back in ``on_change``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

import streamlit as st

from logreg.data import BUILTIN_NAMES, DATASET_KINDS


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    kind: type
    choices: Optional[tuple] = None
    lo: Optional[float] = None
    hi: Optional[float] = None


LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 3.0, 10.0, 30.0, 100.0)
REG_STRENGTHS = (0.0, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0, 1000.0)
BATCH_SIZES = (0, 1, 8, 32, 128, 512)  # 0 = full batch
EPOCHS = (1, 2, 3, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000, 10000)
RULES = ("slider", "youden", "target_tpr", "max_fpr", "cost", "f1")

SETTINGS = (
    # data
    Setting("source", "generate", str, ("generate", "builtin", "upload")),
    Setting("kind", "moons", str, tuple(DATASET_KINDS)),
    Setting("n_samples", 400, int, lo=20, hi=100_000),
    Setting("noise", 0.2, float, lo=0.0, hi=1.0),
    Setting("n_classes", 2, int, lo=2, hi=8),
    Setting("balance", 0.5, float, lo=0.05, hi=0.95),
    Setting("data_seed", 0, int, lo=0, hi=999_999),
    Setting("builtin", "breast_cancer", str, tuple(BUILTIN_NAMES)),
    Setting("standardize", True, bool),
    Setting("test_size", 0.25, float, lo=0.0, hi=0.5),
    Setting("features_out", "", str),  # feature names left out, comma-separated; "" = use all
    Setting("upload_name", "", str),   # name of the uploaded file (links never carry the file)
    # model
    Setting("learning_rate", 0.5, float, LEARNING_RATES),
    Setting("epochs", 200, int, EPOCHS),
    Setting("batch_size", 0, int, BATCH_SIZES),
    Setting("solver", "gd", str, ("gd", "newton")),
    Setting("penalty", "none", str, ("none", "l2", "l1", "elasticnet")),
    Setting("reg_strength", 0.01, float, REG_STRENGTHS),
    Setting("l1_ratio", 0.5, float, lo=0.0, hi=1.0),
    Setting("degree", 1, int, lo=1, hi=5),
    Setting("init", "zeros", str, ("zeros", "random")),
    Setting("train_seed", 0, int, lo=0, hi=999_999),
    Setting("positive", "", str),      # class name; "" = the last class
    Setting("feature_x", "", str),     # feature names to draw; "" = the first two
    Setting("feature_y", "", str),
    # Off by default: "Epochs" then means exactly that many and the curve shows the whole run
    # (flat once converged); on, training ends at the first epoch that meets the criterion.
    Setting("stop_early", False, bool),
    # Epoch the training replay opens at; -1 = the last epoch (a new run always opens there).
    Setting("replay_epoch", -1, int, lo=-1, hi=1_000_000),
    # threshold
    Setting("threshold", 0.5, float, lo=0.0, hi=1.0),
    Setting("eval_on", "test", str, ("test", "train")),
    Setting("rule", "slider", str, RULES),
    Setting("target_tpr", 0.9, float, lo=0.0, hi=1.0),
    Setting("max_fpr", 0.1, float, lo=0.0, hi=1.0),
    Setting("cost_fp", 1.0, float, lo=0.0, hi=1e6),
    Setting("cost_fn", 5.0, float, lo=0.0, hi=1e6),
    Setting("prevalence", 0.0, float, lo=0.0, hi=1.0),  # 0 = the sample's own
    # Set the rules choose T on: "train" (honest, the default) or "test" (optimistic).
    Setting("tune_on", "train", str, ("train", "test")),
    # multiclass
    Setting("compare_softmax", False, bool),
    Setting("ovr_class", "", str),     # class whose own one-vs-rest model is shown; "" = none
    # view: how the app is shown (a shared link opens the same view)
    Setting("present", False, bool),        # presentation mode: no sidebar, big fonts, few controls
    Setting("lesson", 0, int, lo=0, hi=20),  # guided-tour step (ui/lesson.py); 0 = no tour
    Setting("train_curves", False, bool),   # Train's accuracy and weights charts: open/closed
    Setting("threshold_curves", False, bool),  # Threshold's "More curves" (PR, sweep, cost...)
    Setting("train_files", False, bool),    # Train's files panel (report, script, model): open/closed
    Setting("why_view", "Coefficients", str,  # the Why page's view
            ("Coefficients", "Penalty path", "Loss surface")),
)
BY_NAME = {s.name: s for s in SETTINGS}


def _parse(setting: Setting, text: str):
    """A URL value as the setting's type, or None when it is not a valid value."""
    try:
        if setting.kind is bool:
            value = {"true": True, "1": True, "false": False, "0": False}[str(text).lower()]
        elif setting.kind is int:
            value = int(float(text))
        elif setting.kind is float:
            value = float(text)
            if not math.isfinite(value):
                return None
        else:
            value = str(text)
    except (ValueError, KeyError, OverflowError):
        return None
    return value if valid(setting, value) else None


def valid(setting: Setting, value) -> bool:
    if setting.choices is not None and value not in setting.choices:
        return False
    if setting.lo is not None and value < setting.lo:
        return False
    if setting.hi is not None and value > setting.hi:
        return False
    return True


def durable_key(name: str) -> str:
    return f"s_{name}"


def widget_key(name: str) -> str:
    return f"w_{name}"


def init() -> None:
    """Fill the session's settings once: from the URL where it has a valid value, else defaults."""
    if st.session_state.get("_settings_ready"):
        return
    params = st.query_params
    for s in SETTINGS:
        value = _parse(s, params[s.name]) if s.name in params else None
        st.session_state[durable_key(s.name)] = s.default if value is None else value
    st.session_state["_settings_ready"] = True


def get(name: str):
    """Current value of a setting."""
    key = durable_key(name)
    try:  # one look-up, not two: a Train page run reads settings ~200 times
        return st.session_state[key]
    except KeyError:
        st.session_state[key] = BY_NAME[name].default
        return st.session_state[key]


def put(name: str, value) -> None:
    """Set a setting. Its widget follows on the next draw (``bind``), the URL at the end of the
    run (``mirror_url``)."""
    st.session_state[durable_key(name)] = value


def _sync(name: str) -> None:
    put(name, st.session_state[widget_key(name)])


def bind(name: str) -> dict:
    """Keyword arguments that tie a widget to a setting: ``st.slider(..., **bind("epochs"))``.

    The widget is seeded from the setting before it is drawn when they differ (the setting
    changed while the widget was not shown: another page, a preset, a threshold rule), and on the
    first run of a page: a key left over from the previous page's widget of the same setting
    does not carry over to this page's widget. Otherwise the key is left alone: writing it on
    every run would send the value back to the browser and could undo a key press in flight.
    """
    key = widget_key(name)
    if (st.session_state.get("_page_changed") or key not in st.session_state
            or st.session_state[key] != get(name)):
        st.session_state[key] = get(name)
    return {"key": key, "on_change": _sync, "args": (name,)}


def note_page(name: str) -> None:
    """Remember which page this run draws, and whether it differs from the last run's."""
    st.session_state["_page_changed"] = st.session_state.get("_page") != name
    st.session_state["_page"] = name


def mirror_url() -> None:
    """Write every non-default setting to the URL (Streamlit clears the query on a page switch),
    so a link copied from any page reproduces the same data and model."""
    wanted = {s.name: str(get(s.name)) for s in SETTINGS if get(s.name) != s.default}
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def put_many(values: dict) -> None:
    """Set several settings at once (presets); call from a button's ``on_click``."""
    for name, value in values.items():
        put(name, value)


# How the app is shown, not what it computes: "Start over" leaves it as it is.
KEPT_ON_RESET = ("present",)


def reset_all() -> None:
    """Back to the defaults (keeps an uploaded file, and presentation mode)."""
    put_many({s.name: s.default for s in SETTINGS if s.name not in KEPT_ON_RESET})
