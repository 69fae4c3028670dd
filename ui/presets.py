"""Guided presets for demos: one click sets the data and the controls, a notice says what to see.

A notice is built from the run on screen (``logreg.lesson_text``), never written in advance, and
lives only as long as the settings it talks about: once any of the demo's settings changes (a
slider, "Start over", another demo, the guided tour), the notice is gone for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st

from logreg import lesson_text as text

from . import state


@dataclass(frozen=True)
class Preset:
    title: str
    settings: dict
    explain: Callable  # (run, threshold) -> the notice's sentences


_GENTLE = dict(source="generate", n_samples=400, noise=0.2, n_classes=2, balance=0.5,
               data_seed=0, standardize=True, test_size=0.25, solver="gd", batch_size=0,
               penalty="none", reg_strength=0.01, degree=1, init="zeros", threshold=0.5,
               positive="", feature_x="", feature_y="", rule="slider")

PRESETS = (
    Preset("Learning rate too high",
           {**_GENTLE, "kind": "linear", "noise": 0.3, "learning_rate": 100.0, "epochs": 50},
           text.learning_rate),
    Preset("Too few epochs",
           {**_GENTLE, "kind": "moons", "learning_rate": 0.01, "epochs": 20},
           text.epochs),
    Preset("L1 makes weights zero",
           {**_GENTLE, "source": "builtin", "builtin": "breast_cancer", "learning_rate": 3.0,
            "epochs": 1000, "stop_early": True, "penalty": "l1", "reg_strength": 0.03},
           text.l1_zeros),
    Preset("Circles need polynomial terms",
           {**_GENTLE, "kind": "circles", "noise": 0.1, "learning_rate": 0.5, "epochs": 300,
            "degree": 2},
           text.curved_boundary),
    Preset("Imbalanced classes need a lower threshold",
           {**_GENTLE, "kind": "blobs", "noise": 0.6, "balance": 0.1, "learning_rate": 0.5,
            "epochs": 200},
           # A lower threshold never catches fewer positives: an invitation, not a claim.
           lambda run, threshold: text.rare_class(run, threshold) + (
               " Lower the threshold T, or open the **Threshold** page, to catch more of them.")),
)
BY_TITLE = {p.title: p for p in PRESETS}
NOTICE_KEY = "preset_notice"


def apply(title: str) -> None:
    """Button callback: set everything the preset names (leaving the guided tour, one story at
    a time), remember which demo's notice to show."""
    preset = BY_TITLE[title]
    state.put_many({**preset.settings, "lesson": 0})
    st.session_state[NOTICE_KEY] = title


def active():
    """The demo whose settings are all still in place, else None (and its notice is dropped)."""
    title = st.session_state.get(NOTICE_KEY)
    preset = BY_TITLE.get(title)
    if preset is None:
        return None
    if any(state.get(name) != value for name, value in preset.settings.items()):
        del st.session_state[NOTICE_KEY]  # gone for good, even if the settings come back
        return None
    return preset


def notice(run, threshold: float):
    """The active demo's notice, built from ``run``, or None."""
    preset = active()
    return None if preset is None else preset.explain(run, threshold)


def start_over_help() -> str:
    """What "Start over" really resets to, read from the settings table's defaults."""
    d = {s.name: s.default for s in state.SETTINGS}
    penalty = "no penalty" if d["penalty"] == "none" else f"{d['penalty']} penalty"
    return (f"Every setting back to its default: {d['n_samples']} generated '{d['kind']}' points "
            f"(noise {d['noise']:g}, {1 - d['test_size']:.0%} for training), learning rate "
            f"{d['learning_rate']:g}, {d['epochs']} epochs, "
            f"{'full batch' if d['batch_size'] == 0 else 'batch ' + str(d['batch_size'])}, "
            f"{penalty}, polynomial "
            f"degree {d['degree']}, threshold {d['threshold']:.2f}; the guided tour and any "
            "demo notice end. An uploaded file stays available under 'Upload a CSV'.")
