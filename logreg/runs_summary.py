"""Short names, differences and scores of trained runs, for a run history and its comparisons.

A run is described by the app's settings as a plain dict (``{"solver": "gd", "learning_rate":
0.5, ...}``, the names of the app's settings table) and scored from a :class:`BinaryRun`. Every
sentence here is built from those values; nothing is written in advance. No streamlit.

Example
-------
>>> run_name({"solver": "gd", "learning_rate": 0.5, "penalty": "l2", "reg_strength": 0.01,
...           "degree": 2, "batch_size": 0})
'GD, α 0.5, L2 λ 0.01, degree 2'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np

from . import metrics
from .data import MULTICLASS_KINDS
from .decisions import threshold_text
from .replay import epoch_logits
from .runs import BinaryRun

_PENALTY = {"none": "none", "l2": "L2", "l1": "L1", "elasticnet": "elastic net"}
_SOLVER = {"gd": "GD", "newton": "Newton"}

# Label of each setting in a difference ("α 0.5 → 0.1"), in the order they are listed.
LABELS = {
    "source": "data source", "kind": "shape", "builtin": "data set", "upload_name": "file",
    "features_out": "left out",
    "n_samples": "points", "noise": "noise", "n_classes": "classes",
    "balance": "share of last class",
    "data_seed": "data seed", "standardize": "standardize", "test_size": "test share",
    "solver": "solver", "learning_rate": "α", "epochs": "epochs", "batch_size": "batch",
    "penalty": "penalty", "reg_strength": "λ", "l1_ratio": "L1 share", "degree": "degree",
    "init": "start", "train_seed": "training seed", "stop_early": "stop early",
    "positive": "positive class",
    "threshold": "threshold",
}


def format_value(name: str, value) -> str:
    """A setting's value in words: "full" batch, "L2" penalty, 0.25 test share as 25%."""
    if name == "batch_size":
        return "full" if not value else str(value)
    if name == "penalty":
        return _PENALTY.get(value, str(value))
    if name == "solver":
        return _SOLVER.get(value, str(value))
    if name == "test_size":
        return f"{value:.0%}"
    if name == "threshold":
        return threshold_text(value)
    if name in ("standardize", "stop_early"):
        return "yes" if value else "no"
    if name == "positive":
        return value or "last class"
    if name == "features_out":
        return ", ".join(n for n in str(value).split(",") if n) or "none"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def relevant(settings: dict) -> dict:
    """The settings that shape this run, in display order (values as given).

    Left out: what the run ignores (λ without a penalty, the L1 share outside elastic net, the
    generator's knobs for a built-in set, the learning rate and batch for Newton, which takes
    whole-data curvature steps).
    """
    source = settings.get("source", "generate")
    keep = ["source"]
    if source == "generate":
        keep += ["kind", "n_samples", "noise"]
        if settings.get("kind") in MULTICLASS_KINDS:
            keep.append("n_classes")
        keep += ["balance", "data_seed"]
    elif source == "builtin":
        keep.append("builtin")
    else:
        keep.append("upload_name")
    keep += ["features_out", "standardize", "test_size", "solver"]
    if settings.get("solver") != "newton":
        keep += ["learning_rate", "batch_size"]
    keep += ["epochs", "penalty"]
    if settings.get("penalty", "none") != "none":
        keep.append("reg_strength")
    if settings.get("penalty") == "elasticnet":
        keep.append("l1_ratio")
    keep += ["degree", "init", "train_seed", "stop_early", "positive", "threshold"]
    return {name: settings[name] for name in keep if name in settings}


def run_name(settings: dict) -> str:
    """A short automatic name: "GD, α 0.5, L2 λ 0.01, degree 2" (batch when not full)."""
    solver = settings.get("solver", "gd")
    parts = [_SOLVER.get(solver, solver)]
    if solver != "newton":
        parts.append(f"α {format_value('learning_rate', settings.get('learning_rate', 0.5))}")
        if settings.get("batch_size"):
            parts.append(f"batch {settings['batch_size']}")
    penalty = settings.get("penalty", "none")
    if penalty != "none":
        strength = format_value("reg_strength", settings.get("reg_strength", 0.0))
        text = f"{_PENALTY[penalty]} λ {strength}"
        if penalty == "elasticnet":
            text += f" (L1 share {settings.get('l1_ratio', 0.5):g})"
        parts.append(text)
    parts.append(f"degree {settings.get('degree', 1)}")
    return ", ".join(parts)


def data_name(settings: dict, dataset_name: str = "") -> str:
    """The data in a few words: "moons, 400 points, noise 0.2, seed 0" / "iris" / "pets.csv",
    then the columns left out ("pets.csv without age, score")."""
    source = settings.get("source", "generate")
    if source == "builtin":
        name = str(settings.get("builtin", dataset_name))
    elif source == "upload":
        name = str(settings.get("upload_name") or dataset_name or "uploaded file")
    else:
        name = (f"{settings.get('kind')}, {settings.get('n_samples', 0):,} points, noise "
                f"{settings.get('noise', 0):g}, seed {settings.get('data_seed', 0)}")
    out = [n for n in str(settings.get("features_out") or "").split(",") if n]
    return f"{name} without {', '.join(out)}" if out else name


def differences(settings: dict, other: dict) -> list[tuple[str, str, str]]:
    """``(label, other's value, this value)`` for every shaping setting that differs.

    A setting that shapes only one of the two runs (λ when one has no penalty) counts when its
    presence differs through another setting (the penalty), so it is left out here.
    """
    mine, theirs = relevant(settings), relevant(other)
    out = []
    for name in mine:
        if name in theirs and mine[name] != theirs[name]:
            out.append((LABELS.get(name, name), format_value(name, theirs[name]),
                        format_value(name, mine[name])))
    return out


def changes_text(settings: dict, previous: Optional[dict]) -> str:
    """"α 0.5 → 0.1, degree 1 → 2" against the previous run.

    "" when nothing differs or there is no previous run.
    """
    if previous is None:
        return ""
    return ", ".join(f"{label} {old} → {new}"
                     for label, old, new in differences(settings, previous))


@dataclass(frozen=True)
class RunScores:
    """The numbers a history row shows, all from one trained run.

    Losses are mean log-loss without the penalty (natural log); accuracy and AUC are on the test
    set (None without a test set, AUC also None when the test set holds one class only).
    """

    epochs: int
    train_loss: float
    test_loss: Optional[float]
    test_accuracy: Optional[float]
    auc: Optional[float]
    converged: str
    threshold: float


def convergence_word(model) -> str:
    """"yes", "diverged", "stopped (time)" or "no" (the epochs ran out first)."""
    if getattr(model, "diverged_", False):
        return "diverged"
    if getattr(model, "converged_", False):
        return "yes"
    if getattr(model, "stopped_early_", False):
        return "stopped (time)"
    return "no"


def _has_test(run: BinaryRun) -> bool:
    return run.X_test is not None and run.y_test is not None and len(run.y_test) > 0


def test_accuracy(run: BinaryRun, threshold: float) -> Optional[float]:
    """Share of test rows classified right at ``threshold`` (logit >= logit(T), as the pages do)."""
    if not _has_test(run):
        return None
    with np.errstate(over="ignore", invalid="ignore"):
        z = epoch_logits(run.model, run.features, run.X_test, [run.model.n_iter_])[:, 0]
    if threshold <= 0:
        flagged = np.ones_like(z, dtype=bool)
    elif threshold >= 1:
        flagged = np.zeros_like(z, dtype=bool)
    else:
        flagged = z >= math.log(threshold) - math.log1p(-threshold)
    return float((flagged == (run.y_test == 1)).mean())


def test_auc(run: BinaryRun) -> Optional[float]:
    """Area under the test ROC curve, or None (no test set, or one class only)."""
    if not _has_test(run) or len(np.unique(run.y_test)) < 2:
        return None
    return float(metrics.roc_auc(run.y_test, run.p_test))


def run_scores(run: BinaryRun, threshold: float, accuracy: Optional[float] = None) -> RunScores:
    """Score a trained run at ``threshold``.

    ``accuracy``: the test accuracy the Train page shows (pass it so both say the same number);
    computed from the run when None.
    """
    history = run.model.history_
    val = history.get("val_loss")
    return RunScores(
        epochs=int(run.model.n_iter_),
        train_loss=float(history["data_loss"][-1]),
        test_loss=None if val is None or not len(val) else float(val[-1]),
        test_accuracy=test_accuracy(run, threshold) if accuracy is None else float(accuracy),
        auc=test_auc(run), converged=convergence_word(run.model), threshold=float(threshold))


def _compare_number(label, a, b, fmt, lower_better=False) -> Optional[str]:
    if a is None or b is None:
        return None
    if fmt(a) == fmt(b):
        return f"the same {label} ({fmt(a)})"
    better = (a < b) if lower_better else (a > b)
    return f"{'a better' if better else 'a worse'} {label} ({fmt(a)} against {fmt(b)})"


def pair_sentence(name_a: str, settings_a: dict, scores_a: RunScores,
                  name_b: str, settings_b: dict, scores_b: RunScores) -> str:
    """One sentence saying what differs between two runs, in settings and in results.

    "#2 differs from #1 in α (0.1 against 0.5); it has a worse test accuracy (80.0% against
    86.0%) and a worse test log-loss (0.412 against 0.301)."
    """
    diffs = differences(settings_a, settings_b)
    if diffs:
        what = ", ".join(f"{label} ({new} against {old})" for label, old, new in diffs)
        head = f"{name_a} differs from {name_b} in {what}"
    else:
        head = f"{name_a} has the same settings as {name_b}"
    pct = lambda v: f"{v:.1%}"  # noqa: E731
    loss = lambda v: f"{v:.3f}"  # noqa: E731
    results = [r for r in (
        _compare_number("test accuracy", scores_a.test_accuracy, scores_b.test_accuracy, pct),
        _compare_number("test log-loss", scores_a.test_loss, scores_b.test_loss, loss,
                        lower_better=True),
        _compare_number("AUC", scores_a.auc, scores_b.auc, lambda v: f"{v:.3f}"),
    ) if r]
    if not results:
        results = [_compare_number("training log-loss", scores_a.train_loss, scores_b.train_loss,
                                   loss, lower_better=True)]
    if scores_a.epochs != scores_b.epochs:
        results.append(f"{scores_a.epochs:,} epochs run against {scores_b.epochs:,}")
    body = ", ".join(results[:-1]) + (" and " if len(results) > 1 else "") + results[-1]
    return f"{head}; it has {body}."


def wilson_interval(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (accuracy): (low, high), NaN when n is 0."""
    if n <= 0:
        return math.nan, math.nan
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)
