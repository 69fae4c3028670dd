"""Numbers behind the sentences about a decision: the threshold's text, the accuracy baseline,
predictive values at another prevalence and columns that give the answer away.

numpy only. The pages build their sentences from these values, so a test can check each number
against an independent reference (sklearn, closed form).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np

from . import metrics

__all__ = [
    "Baseline",
    "Leak",
    "accuracy_baseline",
    "class_shares",
    "leaking_columns",
    "predictive_values",
    "rule_threshold",
    "threshold_decimals",
    "threshold_text",
    "without_features",
]

# One class holding at least this share makes raw accuracy misleading (issue 18 item 5).
PARADOX_SHARE = 0.8
# A single column whose own ROC AUC (or 1 - AUC) reaches this nearly separates the classes.
LEAK_AUC = 0.99
_MAX_DECIMALS = 12


def threshold_decimals(threshold: float) -> int:
    """Decimals needed to write ``threshold`` exactly (at least 2, at most 12).

    0.5 -> 2 ("0.50"), 0.033 -> 3, 0.03298 -> 5. A value with more than 12 decimals (a float
    artefact such as 0.07000000000000001) gets 12, which reads back as the value meant.
    """
    t = float(threshold)
    for d in range(2, _MAX_DECIMALS + 1):
        if float(f"{t:.{d}f}") == t:
            return d
    return _MAX_DECIMALS


def threshold_text(threshold: float) -> str:
    """The threshold as every label (and the slider) shows it: all the digits it has, at least 2
    decimals.

    0.5 -> "0.50", 0.033 -> "0.033", 0.03298 -> "0.03298", 1.0 -> "1.00". The same text
    everywhere, so the metrics shown at "T = 0.03298" are the metrics at 0.03298.
    """
    text = f"{float(threshold):.{threshold_decimals(threshold)}f}"
    return "0.00" if text == "-0.00" else text


def rule_threshold(choice: metrics.ThresholdChoice) -> float:
    """The value a page stores for a rule's choice: the decimal its sentence shows, in [0, 1].

    ``choice.shown`` gives the same confusion as the exact score on the scores it was chosen on,
    so the counts in the sentence are the counts at the stored value.
    """
    value = float(choice.shown) if choice.shown else float(choice.threshold)
    if not math.isfinite(value):
        value = 1.0
    return min(max(value, 0.0), 1.0)


@dataclass(frozen=True)
class Baseline:
    """What always answering the most common class would score on a set.

    Attributes
    ----------
    majority : int
        Class code (0 or 1) of the most common class (ties go to 0).
    share : float
        Its share of the set: the accuracy of always answering it.
    accuracy, balanced_accuracy : float
        The model's accuracy and balanced accuracy at the threshold, on the same set.
    misleading : bool
        True when the majority holds at least ``PARADOX_SHARE`` (80%) of the set.
    """

    majority: int
    share: float
    accuracy: float
    balanced_accuracy: float
    misleading: bool


def accuracy_baseline(y, scores, threshold) -> Baseline:
    """The "always answer the majority" baseline next to the model's accuracy on ``(y, scores)``.

    Parameters
    ----------
    y : array-like of shape (n,), 0/1 labels
    scores : array-like of shape (n,), probabilities of class 1
    threshold : float; class 1 is predicted where ``score >= threshold``
    """
    y = np.asarray(y).astype(np.int64)
    if y.size == 0:
        raise ValueError("accuracy_baseline needs at least one row.")
    share1 = float(np.count_nonzero(y == 1)) / y.size
    majority = 1 if share1 > 0.5 else 0
    share = share1 if majority == 1 else 1.0 - share1
    conf = metrics.confusion_at(y, scores, threshold)
    return Baseline(majority=majority, share=share, accuracy=conf["accuracy"],
                    balanced_accuracy=conf["balanced_accuracy"],
                    misleading=share >= PARADOX_SHARE)


def class_shares(y_codes, n_classes: int) -> np.ndarray:
    """Share of each class code 0..n_classes-1 in ``y_codes``, shape (n_classes,), sums to 1."""
    counts = np.bincount(np.asarray(y_codes, dtype=np.int64), minlength=n_classes)
    return counts / max(int(counts.sum()), 1)


def predictive_values(tpr: float, fpr: float, prevalence: float) -> tuple[float, float]:
    """Precision (PPV) and NPV at another share of positives, from the rates measured here.

    ``PPV = TPR p / (TPR p + FPR (1 - p))``, ``NPV = (1 - FPR)(1 - p) / ((1 - FPR)(1 - p) +
    (1 - TPR) p)`` (Bayes' rule; TPR and FPR do not depend on the share of positives). A ratio
    with nothing in it (nothing flagged, or everything flagged) is 0.0, as in
    :func:`logreg.metrics.confusion_at`.
    """
    p = float(prevalence)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"prevalence must be a share from 0 to 1; got {prevalence!r}.")
    flagged_pos, flagged_neg = tpr * p, fpr * (1.0 - p)
    passed_neg, passed_pos = (1.0 - fpr) * (1.0 - p), (1.0 - tpr) * p
    ppv = flagged_pos / (flagged_pos + flagged_neg) if flagged_pos + flagged_neg > 0 else 0.0
    npv = passed_neg / (passed_neg + passed_pos) if passed_neg + passed_pos > 0 else 0.0
    return float(ppv), float(npv)


@dataclass(frozen=True)
class Leak:
    """A feature that nearly separates the classes on its own.

    Attributes
    ----------
    index : int
        Column of X.
    name : str
    auc : float
        Two classes: ROC AUC of the raw column as a score for class 1 (0.5 = no signal; near 1, or
        near 0 when low values mean class 1, = the column alone splits the classes). More classes:
        the smallest ``max(AUC, 1 - AUC)`` over every pair of classes (each pair split apart).
    pairwise : bool
        True for more than two classes (``auc`` is then the worst pair's separation).
    """

    index: int
    name: str
    auc: float
    pairwise: bool = False

    @property
    def separation(self) -> float:
        """max(AUC, 1 - AUC): how well the column alone ranks the classes, 0.5 to 1."""
        return max(self.auc, 1.0 - self.auc)


def leaking_columns(X, y_codes, feature_names, *, cutoff: float = LEAK_AUC) -> list[Leak]:
    """Columns that alone (nearly) separate the classes: ``max(AUC, 1 - AUC) >= cutoff``.

    Each column's values are used as a score. With more than two classes every pair of classes
    present must be split that well (a column that only sets one class apart, like petal length
    for iris setosa, is a good feature, not a leak). Constant and non-finite columns are skipped.

    Parameters
    ----------
    X : array-like of shape (n, d)
    y_codes : array-like of shape (n,), class codes
    feature_names : sequence of d names

    Returns
    -------
    list of Leak, most separating first.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y_codes, dtype=np.int64)
    names = list(feature_names)
    present = np.unique(y)
    if X.ndim != 2 or X.shape[0] != y.size or len(names) != X.shape[1] or present.size < 2:
        return []
    pairs = [(a, b) for i, a in enumerate(present) for b in present[i + 1:]]
    found = []
    for j in range(X.shape[1]):
        col = X[:, j]
        if not np.isfinite(col).all() or np.ptp(col) == 0:
            continue
        if present.size == 2:
            leak = Leak(index=j, name=str(names[j]),
                        auc=float(metrics.roc_auc(y == present[1], col)))
        else:
            worst = 1.0
            for a, b in pairs:
                rows = (y == a) | (y == b)
                auc = metrics.roc_auc(y[rows] == b, col[rows])
                worst = min(worst, max(auc, 1.0 - auc))
                if worst < cutoff:
                    break
            leak = Leak(index=j, name=str(names[j]), auc=float(worst), pairwise=True)
        if leak.separation >= cutoff:
            found.append(leak)
    return sorted(found, key=lambda leak: -leak.separation)


def without_features(dataset, names):
    """``dataset`` without the features named in ``names`` (unknown names are ignored).

    At least one feature always stays: leaving out every feature returns the dataset unchanged.
    A note says which columns were left out.
    """
    from .data import Dataset

    out = [n for n in dict.fromkeys(names) if n in dataset.feature_names]
    keep = [i for i, n in enumerate(dataset.feature_names) if n not in out]
    if not out or not keep:
        return dataset
    note = "Left out on the Data page: " + ", ".join(f"'{n}'" for n in out) + "."
    return Dataset(X=dataset.X[:, keep], y=dataset.y,
                   feature_names=tuple(dataset.feature_names[i] for i in keep),
                   class_names=dataset.class_names, name=dataset.name,
                   notes=tuple(dataset.notes) + (note,), source_rows=dataset.source_rows)
