"""The trained results the pages share, resolved from the current data and settings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Optional

import streamlit as st

from logreg import LogisticRegression
from logreg.pipeline import TrainSettings

from . import compute, data_source, state


def train_settings() -> TrainSettings:
    batch = state.get("batch_size")
    return TrainSettings(
        learning_rate=state.get("learning_rate"), epochs=state.get("epochs"),
        batch_size=None if batch == 0 else batch, solver=state.get("solver"),
        penalty=state.get("penalty"), reg_strength=state.get("reg_strength"),
        l1_ratio=state.get("l1_ratio"), degree=state.get("degree"), init=state.get("init"),
        seed=state.get("train_seed"), standardize=state.get("standardize"),
        stop_early=state.get("stop_early"))


@dataclass(frozen=True)
class Context:
    """Everything that identifies a binary run: the cache key and the inputs."""

    dataset: object
    train: object
    test: Optional[object]
    settings: TrainSettings
    positive: int
    drawn: tuple

    @cached_property
    def key(self) -> str:
        return self.key_for(self.settings)

    def key_for(self, settings: TrainSettings) -> str:
        """The cache key of a run on the same data with other model settings.

        A digest of (data hash, split, settings, positive class, drawn features): Streamlit
        hashes every argument of a cached call on every rerun, and a nested tuple of ~20 values
        costs it about 0.5 ms per call, a short string almost nothing (eight calls per rerun).
        """
        parts = (self.dataset.content_hash, state.get("test_size"), state.get("data_seed"),
                 settings.key(), self.positive, self.drawn)
        return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def binary_context() -> Optional[Context]:
    """The current data and settings, or None when there is no data yet."""
    dataset = data_source.require_dataset()
    if dataset is None:
        return None
    train, test = data_source.current_split(dataset)
    return Context(dataset, train, test, train_settings(), data_source.positive_code(dataset),
                   data_source.drawn_features(dataset))


def trainable_context() -> Optional[Context]:
    """The current context when its settings can be trained; else None, with the reason shown
    as a warning (no data yet: the data source has already said what to do)."""
    ctx = binary_context()
    problem = None if ctx is None else settings_problem(ctx.settings)
    if problem:
        st.warning(problem, icon=":material/warning:")
        return None
    return ctx


def binary_run(ctx: Context):
    run = compute.train_binary(ctx.key, ctx.positive, ctx.drawn, ctx.train, ctx.test,
                               ctx.settings)
    compute.trained_models().put(ctx.key, run.model)  # a refit the diagnosis of a neighbour needs
    return run


def diagnosis(ctx: Context, run):
    """The run's diagnosis; refits at other rates reuse the models trained at those rates."""
    return compute.diagnosis(ctx.key, run, ctx.settings, lambda rate: ctx.key_for(
        replace(ctx.settings, learning_rate=rate)))


def settings_problem(settings: TrainSettings) -> Optional[str]:
    """A plain sentence when the controls ask for something the model cannot do, else None."""
    if settings.solver == "newton" and settings.penalty in ("l1", "elasticnet"):
        return ("Newton's method cannot use an L1 or elastic-net penalty: it needs a loss that "
                "curves smoothly, and L1 has a corner at zero. Choose gradient descent, or the "
                "L2 penalty.")
    return None


STOP_EARLY_HELP = (
    "Stop as soon as the model has converged: the largest slope (gradient) of the loss, penalty "
    f"included, is below {LogisticRegression().gtol:g}, so more epochs would change it by almost "
    "nothing. Off (the default): every epoch you ask for is run and the curve shows the whole "
    "run; the page still says whether and when the model converged.")


def controls_note(ctx: Context) -> Optional[str]:
    """A sentence for controls that do nothing with the current settings, else None."""
    settings = ctx.settings
    if settings.solver == "newton":
        return ("Newton's method ignores the learning rate and the batch size (greyed out): it "
                "takes its own step from the curvature, on all training rows, once per "
                "iteration; the epochs control counts its iterations.")
    n_rows = ctx.train.n_samples
    if settings.batch_size is not None and settings.batch_size >= n_rows:
        return (f"A batch of {settings.batch_size:,} is at least the {n_rows:,} training rows: "
                "each step uses all of them, the same as a full batch.")
    return None
