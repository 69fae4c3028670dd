"""The "why" views of a trained binary run: what the app's Explain page and Threshold sections
draw, computed from a :class:`~logreg.runs.BinaryRun` (issue 15, issue 18 item 3).

- :func:`finished_weights`: the optimum of the run's own objective (its penalty and strength),
  so a run that stopped early is compared with where it was heading;
- :func:`coefficient_report`: the coefficient table in the units of the user's columns, its
  sentences and fit lines, or the reason there is none;
- :func:`run_path`: the regularization path around the run's lambda with test log-loss;
- :func:`run_surface`: the objective over the two drawn features' weights with the solver's path;
- :func:`unit_effects`: per-unit and per-SD odds ratios for the Train page's weights panel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import pandas as pd

from . import inference
from .model import LogisticRegression

# A run whose weights differ from the optimum of its own objective by more than this (relative
# to the largest optimal weight, at least 1) has not finished: the table then describes the
# optimum and says so.
UNFINISHED_GAP = 1e-3


def _path_penalty(penalty: str) -> str:
    return "l2" if penalty == "none" else penalty


def finished_weights(run) -> tuple[np.ndarray, float]:
    """Weights (p,) and intercept of the optimum of the run's objective, on its model features.

    Unpenalized runs get a Newton fit (lambda = 0); penalized ones the exact optimum at the run's
    lambda (Newton for L2, proximal Newton for L1 / elastic net).
    """
    params = run.model.get_params()
    Phi = run.features.transform(run.X_train)
    lam = 0.0 if params["penalty"] == "none" else float(params["reg_strength"])
    coefs, intercepts = inference.regularization_path(
        Phi, run.y_train, [lam], penalty=_path_penalty(params["penalty"]),
        l1_ratio=params["l1_ratio"])
    return coefs[0], float(intercepts[0])


def separated(run, w, b) -> bool:
    """True when weights ``w``, ``b`` put every training point on its own side (unpenalized, the
    optimum is then at infinity: no finite coefficients, no standard errors)."""
    if run.model.get_params()["penalty"] != "none" and run.model.get_params()["reg_strength"]:
        return False
    with np.errstate(all="ignore"):
        z = run.features.transform(run.X_train) @ np.asarray(w, float) + float(b)
    return bool(np.all(np.where(run.y_train == 1, z, -z) > 0))


SEPARATED_NOTE = ("The classes are perfectly separated: some combination of the features puts "
                  "every point on its own side, so the best weights are infinitely large (the "
                  "longer you train, the larger they get) and there are no standard errors or "
                  "p-values. Leave out the feature that gives the answer away, or add an L2 "
                  "penalty (the table then shows coefficients without uncertainty).")


def _model_with(run, w, b) -> LogisticRegression:
    """A fitted-looking estimator holding weights ``w``, ``b`` with the run's parameters."""
    model = LogisticRegression(**{k: v for k, v in run.model.get_params().items()})
    model.coef_ = np.asarray(w, dtype=np.float64).reshape(1, -1)
    model.intercept_ = np.array([float(b)])
    model.classes_ = np.array([0, 1])
    model.n_features_in_ = model.coef_.shape[1]
    return model


@dataclass
class CoefficientReport:
    """The coefficient table of a run and what the page says about it.

    ``table``: ``inference.unit_summary`` output (None when there is no table: ``error`` says
    why); ``sentences``: (term, sentence) for the strongest effects; ``fit_lines``; ``notes``:
    plain sentences about where the table comes from (unfinished run, penalty).
    """

    table: Optional[pd.DataFrame]
    sentences: list = field(default_factory=list)
    fit_lines: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    error: Optional[str] = None
    finished: bool = True


def coefficient_report(run, top: int = 5) -> CoefficientReport:
    """The table in the units of the run's raw columns, for its model or its finished optimum."""
    w_run, b_run = run.model.coef_[0], float(run.model.intercept_[0])
    notes = []
    if not (np.isfinite(w_run).all() and math.isfinite(b_run)):
        return CoefficientReport(None, error="Training diverged, so there are no finite "
                                 "coefficients to explain. Lower the learning rate and train "
                                 "again.")
    w_opt, b_opt = finished_weights(run)
    if separated(run, w_opt, b_opt) or separated(run, w_run, b_run):
        return CoefficientReport(None, error=SEPARATED_NOTE)
    scale = max(1.0, float(np.abs(w_opt).max(initial=0.0)), abs(b_opt))
    gap = float(max(np.abs(w_run - w_opt).max(initial=0.0), abs(b_run - b_opt)))
    finished = gap <= UNFINISHED_GAP * scale
    model = run.model
    if not finished:
        model = _model_with(run, w_opt, b_opt)
        notes.append(
            f"Training stopped before the optimum (its weights differ from the optimum's by up "
            f"to {gap:.3g}), so this table is for the finished fit of the same objective (same "
            "data, features and penalty), computed here.")
    try:
        table = inference.unit_summary(model, run.features, run.X_train, run.y_train)
    except ValueError as exc:
        return CoefficientReport(None, notes=notes, error=str(exc), finished=finished)
    if "note" in table.attrs:
        notes.append(table.attrs["note"])
    if run.features.poly is not None:
        notes.append("With polynomial terms, the effect of +1 in a column depends on where you "
                     "start (its squares and products change too): read each term's row as its "
                     "own coefficient.")
    target = run.class_names[1]
    return CoefficientReport(table, inference.top_effects(table, target, top),
                             inference.fit_lines(table), notes, None, finished)


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The table's columns under the names the page shows (sortable numbers, not text)."""
    names = {"coef": "coefficient (per +1 unit)", "std_err": "std. error", "z": "z",
             "p_value": "p-value", "ci_low": "95% low", "ci_high": "95% high",
             "odds_ratio": "odds ratio (per +1 unit)", "or_ci_low": "OR 95% low",
             "or_ci_high": "OR 95% high", "sd": "1 SD (in units)",
             "or_per_sd": "odds ratio per +1 SD", "or_per_sd_low": "per SD 95% low",
             "or_per_sd_high": "per SD 95% high"}
    shown = table[[c for c in names if c in table.columns]].rename(columns=names)
    shown.index.name = "term"
    return shown


@dataclass(frozen=True)
class RunPath:
    """A regularization path on the run's model features (per +1 SD when standardized)."""

    reg_strengths: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    train_loss: np.ndarray
    test_loss: Optional[np.ndarray]
    penalty: str
    names: tuple
    current: Optional[float]


def run_path(run, k: int = 30) -> RunPath:
    """``k`` strengths on a log grid (from where L1 zeroes every weight down 1e-4), plus the run's.

    The penalty kind is the run's; an unpenalized run sweeps L2 (said on the page).
    """
    params = run.model.get_params()
    penalty = _path_penalty(params["penalty"])
    Phi = run.features.transform(run.X_train)
    lams = inference.default_strengths(Phi, run.y_train, k, penalty=penalty,
                                       l1_ratio=params["l1_ratio"])
    current = float(params["reg_strength"]) if params["penalty"] != "none" else None
    if current:
        lams = np.unique(np.concatenate([lams, [current]]))[::-1]
    coefs, intercepts = inference.regularization_path(Phi, run.y_train, lams, penalty=penalty,
                                                      l1_ratio=params["l1_ratio"])
    train_loss = inference.path_log_loss(Phi, run.y_train, coefs, intercepts)
    test_loss = None
    if run.X_test is not None and len(run.y_test):
        test_loss = inference.path_log_loss(run.features.transform(run.X_test), run.y_test,
                                            coefs, intercepts)
    return RunPath(lams, coefs, intercepts, train_loss, test_loss, penalty,
                   tuple(run.features.names), current)


@dataclass(frozen=True)
class RunSurface:
    """The objective over two weights (``indices`` into the model features) and the run's path."""

    surface: inference.Surface
    path: np.ndarray
    optimum: Optional[np.ndarray]
    names: tuple
    indices: tuple
    note: Optional[str] = None


def drawn_weights(run) -> tuple[int, int]:
    """Model-feature indices of the two drawn raw features (their first-order terms)."""
    names = list(run.features.names)
    if len(names) < 2:
        raise ValueError("The loss surface needs two weights, and this model has one feature. "
                         "Load data with at least two feature columns to see it.")
    picked = [names.index(str(run.feature_names[j])) for j in run.drawn]
    if picked[0] == picked[1]:
        picked[1] = next(k for k in range(len(names)) if k != picked[0])
    return int(picked[0]), int(picked[1])


def run_surface(run, resolution: int = 60) -> RunSurface:
    """The training objective over the drawn features' weights, the others at the optimum."""
    params = run.model.get_params()
    i, j = drawn_weights(run)
    w_opt, b_opt = finished_weights(run)
    path = run.model.history_["coef"][:, [i, j]]
    optimum, note = w_opt[[i, j]], None
    w_fixed, b_fixed = w_opt, b_opt
    if separated(run, w_opt, b_opt):
        # No finite optimum: the other weights stay where the run ended, and no star is drawn.
        optimum, note = None, ("No optimum to mark: the classes are perfectly separated, so the "
                               "objective keeps falling as the weights grow without limit.")
        w_fixed, b_fixed = run.model.coef_[0], float(run.model.intercept_[0])
    shown = [path] if optimum is None else [path, optimum[None, :]]
    if optimum is not None and params["penalty"] != "none" and params["reg_strength"] > 0:
        # The whole level set of the penalty through the optimum: a circle of radius |optimum|
        # (L2) or a diamond reaching |w1| + |w2| on each axis (L1; elastic net lies in between).
        reach = (float(np.hypot(*optimum)) if params["penalty"] == "l2"
                 else float(np.abs(optimum).sum()))
        shown.append(np.array([[reach, 0.0], [-reach, 0.0], [0.0, reach], [0.0, -reach]]))
    lo, hi = inference.surface_window(np.vstack(shown))
    surface = inference.objective_surface(
        run.features.transform(run.X_train), run.y_train, w_fixed, b_fixed, i, j, lo, hi,
        penalty=params["penalty"], reg_strength=params["reg_strength"],
        l1_ratio=params["l1_ratio"], resolution=resolution)
    names = tuple(run.features.names)
    return RunSurface(surface, path, optimum, (names[i], names[j]), (i, j), note)


def unit_effects(run, coef, intercept) -> list[dict]:
    """Per-unit and per-SD odds ratios of the raw columns for weights ``coef`` (model units).

    One dict per first-order raw column: ``name``, ``per_unit`` (odds ratio per +1 unit),
    ``sd`` (its standard deviation over the training rows, in units) and ``per_sd``. Columns
    that enter through polynomial terms too get ``per_unit``/``per_sd`` None (no single number).
    """
    w_raw, _ = inference.to_raw_units(run.features, coef, intercept)
    names = inference.raw_term_names(run.features.input_names,
                                     run.features.degree if run.features.poly is not None else 1)
    sd = run.X_train.std(axis=0)
    out = []
    linear_only = run.features.poly is None
    for j, name in enumerate(run.features.input_names):
        k = names.index(str(name))
        if linear_only:
            out.append(dict(name=str(name), per_unit=float(np.exp(np.clip(w_raw[k], -700, 700))),
                            sd=float(sd[j]),
                            per_sd=float(np.exp(np.clip(w_raw[k] * sd[j], -700, 700)))))
        else:
            out.append(dict(name=str(name), per_unit=None, sd=float(sd[j]), per_sd=None))
    return out


def unit_effect_sentence(effect: dict, target: str) -> str:
    """"each +1 in balance multiplies the odds of Yes by 1.0057; per standard deviation
    (= 485 of balance) by 15.9"."""
    if effect["per_unit"] is None:
        return (f"{effect['name']} enters through polynomial terms, so its effect depends on "
                "its value (see the Explain page's table)")
    return (f"each +1 in {effect['name']} multiplies the odds of {target} by "
            f"{inference.fmt_ratio(effect['per_unit'])}; per standard deviation "
            f"(= {inference.fmt_amount(effect['sd'])} of {effect['name']}) by "
            f"{inference.fmt_ratio(effect['per_sd'])}")


def weight_hover_sentences(run, coef, intercept) -> dict:
    """Hover sentence of each model weight for the Train page's weights chart, in user units.

    First-order terms of raw columns: per +1 unit and per +1 SD (the SD in the column's units).
    Other model features (polynomial terms) are standardized terms: per +1 SD of the term.
    """
    target = run.class_names[1]
    out = {}
    effects = {e["name"]: e for e in unit_effects(run, coef, intercept)}
    for name, w in zip(run.features.names, np.asarray(coef, dtype=float)):
        effect = effects.get(str(name))
        if effect is not None and effect["per_unit"] is not None:
            out[str(name)] = unit_effect_sentence(effect, target)
        else:
            ratio = float(np.exp(np.clip(w, -700, 700)))
            step = "+1 standard deviation of" if run.features.standardize else "+1 in"
            text = (f"each {step} the term {name} multiplies the odds of {target} by "
                    f"{inference.fmt_ratio(ratio)}, the other terms held fixed")
            if effect is not None:
                text += (f" ({name} also enters through polynomial terms, so its own effect "
                         "depends on its value)")
            out[str(name)] = text
    return out


def weights_in_units(run, coef, intercept) -> dict:
    """Keyword arguments of ``figures.coef_figure`` that state the weights in the user's units:
    the hover sentences, and the axis title when the features are standardized (a weight is then
    per +1 standard deviation, not per +1 unit)."""
    out = {"hover_sentences": weight_hover_sentences(run, coef, intercept)}
    if run.features.standardize:
        out["x_title"] = "weight w (per +1 standard deviation)"
    return out
