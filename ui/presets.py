"""Guided presets for demos: one click sets the data and the controls, a sentence says what to see."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from . import state


@dataclass(frozen=True)
class Preset:
    title: str
    settings: dict
    notice: str


_GENTLE = dict(source="generate", n_samples=400, noise=0.2, n_classes=2, balance=0.5,
               data_seed=0, standardize=True, test_size=0.25, solver="gd", batch_size=0,
               penalty="none", reg_strength=0.01, degree=1, init="zeros", threshold=0.5,
               positive="", feature_x="", feature_y="", rule="slider")

PRESETS = (
    Preset("Learning rate too high",
           {**_GENTLE, "kind": "linear", "noise": 0.3, "learning_rate": 100.0, "epochs": 50},
           "With a learning rate of 100 every step overshoots: the loss curve jumps up and down "
           "instead of gliding down, and the boundary swings from side to side. Lower the "
           "learning rate to 0.5 and watch the curve become smooth."),
    Preset("Too few epochs",
           {**_GENTLE, "kind": "moons", "learning_rate": 0.01, "epochs": 20},
           "Twenty small steps are not enough: the loss is still falling steeply at the last "
           "epoch and the boundary has barely moved. Raise the epochs or the learning rate."),
    Preset("L1 makes weights zero",
           {**_GENTLE, "source": "builtin", "builtin": "breast_cancer", "learning_rate": 3.0,
            "epochs": 1000, "stop_early": True, "penalty": "l1", "reg_strength": 0.03},
           "The L1 penalty pushes weak weights to exactly zero (grey bars in the weights chart): "
           "the model keeps only a few of the 30 measurements. Raise λ to keep even fewer."),
    Preset("Circles need polynomial terms",
           {**_GENTLE, "kind": "circles", "noise": 0.1, "learning_rate": 0.5, "epochs": 300,
            "degree": 2},
           "A straight line cannot separate a ring from a disc. With squared terms (degree 2) "
           "the boundary becomes a closed curve. Set the degree back to 1 to see it fail."),
    Preset("Imbalanced classes need a lower threshold",
           {**_GENTLE, "kind": "blobs", "noise": 0.6, "balance": 0.1, "learning_rate": 0.5,
            "epochs": 200},
           "Only 1 point in 10 is of the rare class, so at the usual threshold of 0.5 many rare "
           "points are missed. Open the Threshold page and choose Youden's rule: the threshold "
           "drops and far more of the rare class is caught."),
)
BY_TITLE = {p.title: p for p in PRESETS}
NOTICE_KEY = "preset_notice"


def apply(title: str) -> None:
    """Button callback: set everything the preset names, remember what to notice."""
    preset = BY_TITLE[title]
    state.put_many(preset.settings)
    st.session_state[NOTICE_KEY] = preset.notice
