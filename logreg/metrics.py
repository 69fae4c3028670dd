"""Binary and one-vs-rest metrics: ROC and PR curves, confusion at a threshold, threshold choice.

numpy only. The curves reproduce scikit-learn 1.9.1 point for point (tests/test_metrics.py checks
this on data with many tied scores), but skip its generic input checks, so they are several times
faster.

Conventions used by every function here:

* ``y_true`` holds two classes: 0/1, False/True or -1/1 (1 and True are positive). For other labels
  say which one is positive with ``pos_label=`` (e.g. ``pos_label="churn"``).
* ``scores`` are finite numbers, higher meaning "more likely positive" (probabilities or logits).
* A case is **predicted positive when ``score >= threshold``**, the rule behind sklearn's curves.
* A ratio whose denominator is zero (precision with nothing flagged, TPR with no positives) is 0.0,
  like sklearn's ``zero_division=0``.
* Bad input (empty arrays, lengths that differ, NaN or infinite scores, more than two labels,
  and only one class where a curve or rate needs both) raises ``ValueError`` with a sentence
  saying what is wrong and what to do.

Example
-------
>>> import numpy as np
>>> y = np.array([0, 0, 1, 1])
>>> s = np.array([0.1, 0.4, 0.35, 0.8])
>>> fpr, tpr, thresholds = roc_curve(y, s)
>>> thresholds
array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
>>> roc_auc(y, s)
0.75
>>> confusion_at(y, s, 0.35)["tpr"]
1.0
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

__all__ = [
    "RateIntervals",
    "ThresholdChoice",
    "CONFUSION_KEYS",
    "THRESHOLD_METHODS",
    "auc",
    "average_precision",
    "bootstrap_rates",
    "brier_score",
    "calibration_bins",
    "calibration_curve",
    "choose_threshold",
    "confusion_at",
    "confusion_matrix",
    "confusion_sweep",
    "expected_cost",
    "expected_cost_curve",
    "iso_cost_line",
    "iso_cost_slope",
    "macro_auc",
    "micro_auc",
    "per_class_auc",
    "per_class_roc",
    "precision_recall_curve",
    "roc_auc",
    "roc_curve",
]

THRESHOLD_METHODS = ("youden", "target_tpr", "max_fpr", "cost", "f1")

CONFUSION_KEYS = (
    "tp", "fp", "tn", "fn", "tpr", "fpr", "tnr",
    "precision", "recall", "f1", "accuracy", "balanced_accuracy",
)

# Up to this many thresholds, counting `score >= t` directly (O(n) each) beats sorting (O(n log n)
# once); measured crossover at n = 1e6 is about 30 thresholds.
_DIRECT_COUNT_MAX = 16


# ---------------------------------------------------------------- input checks


def _labels(y_true, pos_label=None, *, name="y_true"):
    """Boolean "is positive" array for binary labels, or a ValueError that says what is wrong."""
    y = np.asarray(y_true)
    if y.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array with one label per case; got shape {y.shape}."
        )
    if y.size == 0:
        raise ValueError(f"{name} is empty; pass at least one labelled case.")
    if y.dtype == bool and (pos_label is None or pos_label is True or pos_label == 1):
        return y
    explicit = pos_label is not None
    if y.dtype.kind == "O":
        try:  # e.g. a pandas object column holding 0/1
            y = y.astype(np.float64)
        except (TypeError, ValueError):
            pass
    if not explicit and y.dtype.kind not in "biuf":
        shown = ", ".join(repr(v) for v in np.unique(y)[:5].tolist())
        raise ValueError(
            f"{name} holds the labels {shown}; say which one is the positive class with "
            f"pos_label= (for example pos_label={np.unique(y)[0]!r})."
        )
    if y.dtype.kind == "f" and not np.isfinite(y).all():
        raise ValueError(
            f"{name} contains NaN or infinite labels; labels must be 0/1 or True/False."
        )
    positive = 1 if pos_label is None else pos_label
    is_pos = np.asarray(y == positive, dtype=bool)
    if is_pos.shape != y.shape:
        raise ValueError(f"{name} cannot be compared with pos_label={positive!r}.")
    first_neg = int(np.argmin(is_pos))
    if not is_pos[first_neg]:
        negative = y[first_neg]
        if not np.all(is_pos | (y == negative)):
            labels = np.unique(y)
            shown = ", ".join(repr(v) for v in labels[:10].tolist())
            raise ValueError(
                f"{name} must hold two classes but has {labels.size} distinct labels ({shown}"
                f"{', ...' if labels.size > 10 else ''}); for more than two classes use "
                "per_class_roc, macro_auc or micro_auc with class codes and a probability matrix."
            )
        if not explicit and negative not in (0, -1):
            raise ValueError(
                f"{name} holds the labels {negative!r} and 1 (or only {negative!r}); binary "
                "labels are 0/1, True/False or -1/1, otherwise say which label is positive with "
                "pos_label=."
            )
    return is_pos


def _scores(scores, n, *, name="scores"):
    """Return scores as a finite float64 array of length n, or raise a ValueError that says why."""
    s = np.asarray(scores)
    if s.dtype.kind not in "biuf":
        if s.dtype.kind not in "OUS":
            raise ValueError(f"{name} must be real numbers; got an array of dtype {s.dtype}.")
        try:
            s = s.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} must be numbers (probabilities or decision values); some entries could "
                "not be read as numbers."
            ) from None
    s = s.astype(np.float64, copy=False)
    if s.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array with one score per case; got shape {s.shape}."
        )
    if s.size != n:
        raise ValueError(
            f"y_true has {n} labels but {name} has {s.size} values; pass exactly one score per "
            "labelled case."
        )
    if not np.isfinite(s).all():
        n_nan = int(np.count_nonzero(np.isnan(s)))
        n_inf = int(np.count_nonzero(np.isinf(s)))
        raise ValueError(
            f"{name} contains {n_nan} NaN and {n_inf} infinite values; every case needs a finite "
            "score, so drop those rows or fix the model output first."
        )
    return s


def _binary_inputs(y_true, scores, pos_label):
    y = _labels(y_true, pos_label)
    return y, _scores(scores, y.size)


def _require_both_classes(n_pos, n_neg, what):
    if n_pos == 0 or n_neg == 0:
        present, missing = ("negative", "positive") if n_pos == 0 else ("positive", "negative")
        raise ValueError(
            f"y_true contains only {present} cases (no {missing} ones), so {what} is undefined; "
            "evaluate on data with both classes, for example a stratified split."
        )


def _real(value, name, *, low=None, high=None, allow_none=False):
    """Check one number (not bool, not NaN), optionally within [low, high]; return it as float."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise ValueError(f"{name} must be a number; got {value!r}.")
    value = float(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be between {low:g} and {high:g}; got {value!r}.")
    return value


# Costs are multiplied by counts (and by 1,000 per 1,000 cases): beyond this they could overflow.
# Only their ratio matters for choosing a threshold, so any real use fits far below it.
MAX_COST = 1e250


def _costs(cost_fp, cost_fn):
    cost_fp = _real(cost_fp, "cost_fp", low=0.0, high=math.inf)
    cost_fn = _real(cost_fn, "cost_fn", low=0.0, high=math.inf)
    if max(cost_fp, cost_fn) > MAX_COST:
        raise ValueError(
            f"cost_fp and cost_fn must be at most {MAX_COST:g}; express costs in larger units "
            "(only their ratio changes which threshold is cheapest)."
        )
    if cost_fp == 0 and cost_fn == 0:
        raise ValueError(
            "cost_fp and cost_fn are both 0, so every threshold costs the same; give at least one "
            "a positive cost."
        )
    return cost_fp, cost_fn


# ---------------------------------------------------------------- curves


def _curve_counts(y, s):
    """Distinct thresholds (descending) with the positives and negatives scoring >= each.

    Same numbers as sklearn's ``confusion_matrix_at_thresholds`` (unweighted): tied scores form one
    threshold, so the order inside a tie is irrelevant and numpy's fast unstable sort is enough.
    """
    order = np.argsort(s)[::-1]
    s_desc = s[order]
    last = np.flatnonzero(s_desc[1:] != s_desc[:-1])
    last = np.append(last, s_desc.size - 1)
    tps = np.cumsum(y[order], dtype=np.int64)[last]
    fps = last + 1 - tps
    return s_desc[last], tps, fps


def roc_curve(y_true, scores, *, pos_label=None, drop_intermediate=False):
    """Receiver operating characteristic: false- and true-positive rate at every distinct score.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels (0/1, bool or -1/1; otherwise pass ``pos_label``).
    scores : array-like of shape (n_samples,)
        Finite scores, higher meaning more likely positive.
    pos_label : int, float, bool or str, default=None
        The positive label; None means 1 (True).
    drop_intermediate : bool, default=False
        Drop collinear points exactly as sklearn does. Unlike sklearn (default True), the default
        keeps every threshold, so each point matches ``confusion_at`` at its threshold.

    Returns
    -------
    fpr, tpr : ndarray of shape (n_thresholds + 1,)
        Non-decreasing rates, from (0, 0) to (1, 1).
    thresholds : ndarray of shape (n_thresholds + 1,)
        Decreasing; ``thresholds[i]`` gives the point ``(fpr[i], tpr[i])`` under the rule
        ``score >= threshold``. The first is ``inf`` (nothing flagged), as in sklearn >= 1.3.

    Raises
    ------
    ValueError
        If y_true has only one class (a rate would divide by zero), or on bad input.

    Examples
    --------
    >>> fpr, tpr, thr = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr, tpr
    (array([0. , 0. , 0.5, 0.5, 1. ]), array([0. , 0.5, 0.5, 1. , 1. ]))
    """
    y, s = _binary_inputs(y_true, scores, pos_label)
    thresholds, tps, fps = _curve_counts(y, s)
    _require_both_classes(tps[-1], fps[-1], "an ROC curve")
    if drop_intermediate and fps.size > 2:
        # sklearn's rule: keep a point only where either count bends (second difference != 0).
        keep = np.concatenate(([True], (np.diff(fps, 2) != 0) | (np.diff(tps, 2) != 0), [True]))
        thresholds, tps, fps = thresholds[keep], tps[keep], fps[keep]
    tps = np.concatenate(([0], tps))
    fps = np.concatenate(([0], fps))
    thresholds = np.concatenate(([np.inf], thresholds))
    return fps / fps[-1], tps / tps[-1], thresholds


def auc(fpr, tpr):
    """Area under a curve by the trapezoid rule (``x`` monotone), as ``sklearn.metrics.auc``.

    Parameters
    ----------
    fpr, tpr : array-like of shape (n_points,)
        x and y coordinates, x non-decreasing or non-increasing, at least two points.

    Returns
    -------
    float
    """
    x = np.asarray(fpr, dtype=np.float64)
    y = np.asarray(tpr, dtype=np.float64)
    if x.ndim != 1 or y.ndim != 1 or x.size != y.size:
        raise ValueError(
            f"auc needs two 1-D arrays of the same length; got shapes {x.shape} and {y.shape}."
        )
    if x.size < 2:
        raise ValueError(f"auc needs at least 2 points; got {x.size}.")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("auc got NaN or infinite coordinates; pass the finite fpr and tpr arrays.")
    dx = np.diff(x)
    direction = 1.0
    if np.any(dx < 0):
        if not np.all(dx <= 0):
            raise ValueError(
                "auc needs x sorted (increasing or decreasing), as returned by roc_curve; "
                "the given x goes both up and down."
            )
        direction = -1.0
    return float(direction * np.trapezoid(y, x))


def _auc_from_counts(tps, fps):
    """Exact ROC AUC from cumulative counts at distinct thresholds.

    Twice the trapezoid area in units of (1 positive x 1 negative) is an integer below n**2, exact
    in int64 for n up to 3e9; one final division makes the result correctly rounded.
    """
    tp = np.concatenate(([0], tps))
    fp = np.concatenate(([0], fps))
    twice_area = int(np.sum(np.diff(fp) * (tp[1:] + tp[:-1])))
    return twice_area / (2 * int(tps[-1]) * int(fps[-1]))


def roc_auc(y_true, scores, *, pos_label=None):
    """Area under the ROC curve, equal to ``sklearn.metrics.roc_auc_score`` to within 1e-12.

    Computed from integer counts (the Mann-Whitney statistic with ties counted as half) and one
    final division, so it is correctly rounded; ``auc(*roc_curve(y_true, scores)[:2])`` gives the
    same value up to floating-point summation error.

    Returns
    -------
    float
        Probability that a random positive scores above a random negative (ties count 1/2).

    Examples
    --------
    >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    y, s = _binary_inputs(y_true, scores, pos_label)
    _, tps, fps = _curve_counts(y, s)
    _require_both_classes(tps[-1], fps[-1], "ROC AUC")
    return _auc_from_counts(tps, fps)


def precision_recall_curve(y_true, scores, *, pos_label=None, drop_intermediate=False):
    """Precision and recall at every distinct score, as ``sklearn.metrics.precision_recall_curve``.

    Same arrays and conventions as sklearn 1.9.1, whose default is also
    ``drop_intermediate=False``: thresholds increase, and a final point (precision 1, recall 0)
    with no threshold is appended.

    Returns
    -------
    precision, recall : ndarray of shape (n_thresholds + 1,)
    thresholds : ndarray of shape (n_thresholds,)
        Increasing distinct scores; point ``i`` flags ``score >= thresholds[i]``.

    Raises
    ------
    ValueError
        If y_true has no positive case (recall is undefined), or on bad input. Data without
        negatives is accepted: precision is then 1 everywhere.
    """
    y, s = _binary_inputs(y_true, scores, pos_label)
    thresholds, tps, fps = _curve_counts(y, s)
    if tps[-1] == 0:
        _require_both_classes(0, fps[-1], "a precision-recall curve")
    if drop_intermediate and fps.size > 2:
        # sklearn's rule: keep the first and last point of each run of equal recall.
        keep = np.concatenate(([True], (np.diff(tps[:-1]) != 0) | (np.diff(tps[1:]) != 0), [True]))
        thresholds, tps, fps = thresholds[keep], tps[keep], fps[keep]
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    return (
        np.concatenate((precision[::-1], [1.0])),
        np.concatenate((recall[::-1], [0.0])),
        thresholds[::-1].copy(),
    )


def average_precision(y_true, scores, *, pos_label=None):
    """Average precision, sum over thresholds of (recall step) x precision, as sklearn's
    ``average_precision_score`` (not interpolated, not the trapezoid area).

    Returns
    -------
    float
    """
    precision, recall, _ = precision_recall_curve(y_true, scores, pos_label=pos_label)
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


# ---------------------------------------------------------------- confusion at thresholds


def _thresholds(threshold):
    t = np.asarray(threshold)
    if t.dtype.kind not in "biuf" or t.ndim > 1:
        raise ValueError(
            f"threshold must be a number or a 1-D array of numbers; got {threshold!r}."
        )
    t = t.astype(np.float64, copy=False)
    if np.isnan(t).any():
        raise ValueError("threshold is NaN; pass a number, for example 0.5.")
    return t


def _ratio(num, den):
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den != 0)


def _count_at(y, s, t):
    """(tp, fp) arrays: positives and negatives with ``score >= t`` for each threshold in t."""
    if t.size <= _DIRECT_COUNT_MAX:
        tp = np.empty(t.size, dtype=np.int64)
        flagged = np.empty(t.size, dtype=np.int64)
        for i, value in enumerate(t):
            hit = s >= value
            flagged[i] = np.count_nonzero(hit)
            tp[i] = np.count_nonzero(hit & y)
        return tp, flagged - tp
    s_pos = np.sort(s[y])
    s_neg = np.sort(s[~y])
    tp = s_pos.size - np.searchsorted(s_pos, t, side="left")
    fp = s_neg.size - np.searchsorted(s_neg, t, side="left")
    return tp.astype(np.int64), fp.astype(np.int64)


def _confusion_from_counts(tp, fp, n_pos, n_neg):
    fn = n_pos - tp
    tn = n_neg - fp
    tpr = _ratio(tp, n_pos)
    tnr = _ratio(tn, n_neg)
    if n_pos and n_neg:
        balanced = (tpr + tnr) / 2
    else:
        # sklearn averages recall over the classes present in y_true only.
        balanced = tpr if n_pos else tnr
    return {
        "tp": tp,
        "fp": fp,
        "tn": tn,
        "fn": fn,
        "tpr": tpr,
        "fpr": _ratio(fp, n_neg),
        "tnr": tnr,
        "precision": _ratio(tp, tp + fp),
        "recall": tpr,
        "f1": _ratio(2 * tp, 2 * tp + fp + fn),
        "accuracy": _ratio(tp + tn, n_pos + n_neg),
        "balanced_accuracy": balanced,
    }


def confusion_sweep(y_true, scores, thresholds, *, pos_label=None):
    """Confusion counts and rates at many thresholds in one pass (the threshold slider).

    Each class's scores are sorted once and every threshold is located with ``np.searchsorted``,
    so 200 thresholds cost about one sort. Rule: a case is predicted positive when
    ``score >= threshold``. Ratios with a zero denominator are 0.0 (sklearn's ``zero_division=0``);
    ``balanced_accuracy`` averages recall over the classes present in y_true, as sklearn does.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    scores : array-like of shape (n_samples,)
    thresholds : array-like of shape (n_thresholds,)
        Any numbers, in any order; ``inf`` flags nothing and ``-inf`` flags everything.

    Returns
    -------
    dict of ndarray of shape (n_thresholds,)
        Keys tp, fp, tn, fn (int64) and tpr, fpr, tnr, precision, recall, f1, accuracy,
        balanced_accuracy (float64), one entry per threshold.
    """
    y, s = _binary_inputs(y_true, scores, pos_label)
    t = np.atleast_1d(_thresholds(thresholds))
    n_pos = int(np.count_nonzero(y))
    tp, fp = _count_at(y, s, t)
    return _confusion_from_counts(tp, fp, n_pos, y.size - n_pos)


def confusion_at(y_true, scores, threshold, *, pos_label=None):
    """Confusion counts and rates at a threshold: a case is predicted positive when
    ``score >= threshold``.

    Ratios whose denominator is zero are 0.0, like sklearn's ``zero_division=0`` (precision when
    nothing is flagged, TPR when y_true has no positives, f1 when there is nothing to find or
    flag). ``balanced_accuracy`` averages recall over the classes present in y_true, as sklearn.

    Parameters
    ----------
    threshold : float or array-like of shape (n_thresholds,)
        A number gives a dict of Python numbers; an array gives a dict of arrays (computed by
        :func:`confusion_sweep` in one vectorized pass).

    Returns
    -------
    dict
        tp, fp, tn, fn, tpr, fpr, tnr, precision, recall, f1, accuracy, balanced_accuracy.

    Examples
    --------
    >>> c = confusion_at([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.4)
    >>> c["tp"], c["fp"], c["precision"]
    (1, 1, 0.5)
    """
    if np.ndim(threshold) != 0:
        return confusion_sweep(y_true, scores, threshold, pos_label=pos_label)
    result = confusion_sweep(y_true, scores, [threshold], pos_label=pos_label)
    return {
        key: (int(value[0]) if key in ("tp", "fp", "tn", "fn") else float(value[0]))
        for key, value in result.items()
    }


# ---------------------------------------------------------------- threshold choice


@dataclass(frozen=True)
class ThresholdChoice:
    """A threshold picked for a stated reason.

    Attributes
    ----------
    threshold : float
        An actual score value (``confusion_at(y, s, threshold)`` reproduces ``tpr`` and ``fpr``
        exactly), except for the "flag nothing" point, which is 1.0 when all scores lie in [0, 1]
        below 1, and otherwise the next float above the highest score (inf when that is the
        largest float).
    tpr, fpr : float
        True- and false-positive rate at the threshold (rule ``score >= threshold``).
    reason : str
        One plain sentence for the page, naming the classes and the rule that chose it.
    shown : str
        The threshold as the reason writes it: the shortest decimal that gives the same confusion
        as ``threshold`` on these scores (``confusion_at(y, s, float(shown))`` equals
        ``confusion_at(y, s, threshold)``), so a page can use ``float(shown)`` as *the* threshold
        and every number it shows is the number at the value it shows.
    """

    threshold: float
    tpr: float
    fpr: float
    reason: str
    shown: str = ""


def _flag_nothing_threshold(top, bottom):
    if bottom >= 0.0 and top < 1.0:
        return 1.0
    if top == np.finfo(np.float64).max:
        return math.inf  # nothing above the largest float: inf is the only "flag nothing" value
    return float(np.nextafter(top, np.inf))


def _short_number(value, lower):
    """Shortest decimal in (lower, value]: typing it into the slider gives the same confusion."""
    for digits in range(2, 18):
        text = f"{value:.{digits}g}"
        if lower < float(text) <= value:
            return text
    return repr(float(value))


def _pct(rate):
    """A rate as a percentage that never rounds a non-zero rate to 0% or a non-one rate to 100%."""
    if rate == 0.0 or rate == 1.0:
        return f"{rate:.0%}"
    for decimals in range(3):
        text = f"{rate:.{decimals}%}"
        if 0.0 < float(text.rstrip("%")) < 100.0:  # not rounded to 0% or 100%
            return text
    return "under 0.01%" if rate < 0.5 else "over 99.99%"


def _pct_given(rate):
    """A rate the user typed (target or limit), shown without rounding it away: 0.955 -> 95.5%."""
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _money(value):
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def choose_threshold(
    y_true,
    scores,
    method,
    *,
    target_tpr=None,
    max_fpr=None,
    cost_fp=1.0,
    cost_fn=1.0,
    positive_name="positives",
    negative_name="negatives",
    pos_label=None,
    prevalence=None,
):
    """Pick a threshold by a named rule and explain it in one sentence.

    Candidates are the points of :func:`roc_curve` (every distinct score, plus "flag nothing").
    Rule: a case is predicted positive when ``score >= threshold``.

    Parameters
    ----------
    y_true, scores : array-like of shape (n_samples,)
        Both classes must be present.
    method : {"youden", "target_tpr", "max_fpr", "cost", "f1"}
        - ``"youden"``: maximize TPR - FPR (Youden's J).
        - ``"target_tpr"``: lowest FPR with TPR >= ``target_tpr`` (among equal FPR, highest TPR).
          Always reachable: flagging everything gives TPR 1.
        - ``"max_fpr"``: highest TPR with FPR <= ``max_fpr`` (among equal TPR, lowest FPR). When no
          threshold catches any positive within the limit, the closest feasible choice is flagging
          nothing (TPR = FPR = 0), and the reason says so.
        - ``"cost"``: minimize the expected cost per case,
          ``prevalence * (1 - TPR) * cost_fn + (1 - prevalence) * FPR * cost_fp``; at the
          sample's own prevalence this is ``cost_fp * FP + cost_fn * FN`` divided by n.
        - ``"f1"``: maximize F1.
        Other ties go to the higher threshold (fewer cases flagged).
    target_tpr, max_fpr : float in [0, 1]
        Required by their method, ignored by the others.
    cost_fp, cost_fn : float >= 0, default=1.0
        Cost of one false positive and of one false negative (method ``"cost"``).
    positive_name, negative_name : str
        Plural names used in the reason ("churners", "loyal customers").
    pos_label : default=None
        The positive label; None means 1 (True).
    prevalence : float in [0, 1] or None, default=None
        Share of positives where the threshold will be used (method ``"cost"``), as in
        :func:`expected_cost`; None uses the sample's share.

    Returns
    -------
    ThresholdChoice
        ``threshold`` is an actual score (see :class:`ThresholdChoice` for the flag-nothing case),
        so ``confusion_at(y_true, scores, choice.threshold)`` reproduces ``tpr`` and ``fpr``
        exactly.
        The number written in ``reason`` is the shortest decimal giving the same confusion.

    Examples
    --------
    >>> choice = choose_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], "youden",
    ...                           positive_name="churners", negative_name="loyal customers")
    >>> choice.threshold, choice.tpr, choice.fpr
    (0.8, 0.5, 0.0)
    >>> choice.reason.startswith("At 0.8, 50% of churners are caught and 0% of loyal customers")
    True
    >>> choice.reason.endswith("this threshold maximizes TPR − FPR (Youden's J = 0.50).")
    True
    """
    if not isinstance(method, str) or method not in THRESHOLD_METHODS:
        raise ValueError(
            f"method must be one of {', '.join(repr(m) for m in THRESHOLD_METHODS)}; "
            f"got {method!r}."
        )
    if method == "target_tpr":
        if target_tpr is None:
            raise ValueError("method='target_tpr' needs target_tpr=, a rate in [0, 1] such as 0.9.")
        target_tpr = _real(target_tpr, "target_tpr (a rate such as 0.9 for 90%)", low=0.0, high=1.0)
    if method == "max_fpr":
        if max_fpr is None:
            raise ValueError("method='max_fpr' needs max_fpr=, a rate in [0, 1] such as 0.05.")
        max_fpr = _real(max_fpr, "max_fpr (a rate such as 0.05 for 5%)", low=0.0, high=1.0)
    if method == "cost":
        cost_fp, cost_fn = _costs(cost_fp, cost_fn)
        prevalence = _real(prevalence, "prevalence", low=0.0, high=1.0, allow_none=True)

    y, s = _binary_inputs(y_true, scores, pos_label)
    distinct, tps, fps = _curve_counts(y, s)
    n_pos, n_neg = int(tps[-1]), int(fps[-1])
    _require_both_classes(n_pos, n_neg, "choosing a threshold by TPR and FPR")
    thresholds = np.concatenate(([_flag_nothing_threshold(distinct[0], distinct[-1])], distinct))
    tp = np.concatenate(([0], tps))
    fp = np.concatenate(([0], fps))
    tpr = tp / n_pos
    fpr = fp / n_neg
    pos, neg = positive_name, negative_name

    if method == "youden":
        # Integer form of TPR - FPR scaled by n_pos * n_neg, so ties are exact.
        i = int(np.argmax(tp * n_neg - fp * n_pos))
        rule = f"this threshold maximizes TPR − FPR (Youden's J = {tpr[i] - fpr[i]:.2f})"
    elif method == "target_tpr":
        first = int(np.argmax(tpr >= target_tpr))
        i = int(np.searchsorted(fp, fp[first], side="right")) - 1
        rule = (
            "this is the lowest false-positive rate that still catches at least "
            f"{_pct_given(target_tpr)} of {pos}"
        )
    elif method == "max_fpr":
        last = int(np.searchsorted(fpr, max_fpr, side="right")) - 1
        i = int(np.searchsorted(tp, tp[last], side="left"))
        rule = f"this catches the most {pos} while flagging at most {_pct_given(max_fpr)} of {neg}"
    elif method == "cost":
        if prevalence is None:
            # Integer counts at the sample's prevalence: exact ties, same argmin as the rates.
            total = cost_fp * fp + cost_fn * (n_pos - tp)
            i = int(np.argmin(total))
            per_1000 = 1000.0 * total[i] / (n_pos + n_neg)
            at = ""
        else:
            per_case = prevalence * (1.0 - tpr) * cost_fn + (1.0 - prevalence) * fpr * cost_fp
            i = int(np.argmin(per_case))
            per_1000 = 1000.0 * per_case[i]
            at = f" at {_pct_given(prevalence)} {pos}"
        rule = (
            f"this minimizes the total cost when flagging one of the {neg} by mistake costs "
            f"{_money(cost_fp)} and missing one of the {pos} costs {_money(cost_fn)} "
            f"({_money(per_1000)} per 1,000 cases{at})"
        )
    else:
        f1 = _ratio(2 * tp, tp + fp + n_pos)
        i = int(np.argmax(f1))
        precision = float(_ratio(tp[i], tp[i] + fp[i]))
        rule = (
            f"this maximizes F1 = {f1[i]:.2f}, the balance of precision ({_pct(precision)} of "
            f"flagged cases are {pos}) and recall"
        )

    threshold = float(thresholds[i])
    if i == 0 and threshold != 1.0:
        where = f"Above the highest score ({_short_number(distinct[0], -np.inf)})"
        shown = repr(threshold)
    else:
        lower = distinct[i] if i < distinct.size else -np.inf
        shown = _short_number(threshold, lower)
        where = f"At {shown}"
    outcome = f"{_pct(tpr[i])} of {pos} are caught and {_pct(fpr[i])} of {neg} are flagged"
    if method == "max_fpr" and tp[i] == 0:
        reason = (
            f"No threshold catches any {pos} while flagging at most {_pct_given(max_fpr)} of "
            f"{neg}, so the closest feasible choice flags no one: "
            f"{where[0].lower() + where[1:]}, {outcome}."
        )
    else:
        reason = f"{where}, {outcome}; {rule}."
    return ThresholdChoice(threshold=threshold, tpr=float(tpr[i]), fpr=float(fpr[i]), reason=reason,
                           shown=shown)


# ---------------------------------------------------------------- uncertainty and cost


@dataclass(frozen=True)
class RateIntervals:
    """TPR and FPR at a threshold with bootstrap percentile intervals.

    Attributes
    ----------
    tpr, fpr : float
        Rates on the full sample (rule ``score >= threshold``).
    tpr_low, tpr_high, fpr_low, fpr_high : float
        Percentile interval bounds at ``level`` (0.95: the 2.5th and 97.5th percentiles).
    level : float
        Coverage of the intervals.
    n_boot : int
        Resamples drawn.
    n_skipped_tpr, n_skipped_fpr : int
        Resamples left out of an interval because they held no positives (TPR undefined) or no
        negatives (FPR undefined); only likely with a handful of cases in a class.
    """

    tpr: float
    tpr_low: float
    tpr_high: float
    fpr: float
    fpr_low: float
    fpr_high: float
    level: float = 0.95
    n_boot: int = 0
    n_skipped_tpr: int = 0
    n_skipped_fpr: int = 0


def _percentile_interval(values, defined, level):
    if not defined.any():
        return math.nan, math.nan
    tail = 100.0 * (1.0 - level) / 2.0
    low, high = np.percentile(values[defined], [tail, 100.0 - tail])
    return float(low), float(high)


def bootstrap_rates(y_true, scores, threshold, n_boot=1000, random_state=None, *, level=0.95,
                    pos_label=None):
    """TPR and FPR at a threshold with 95% bootstrap percentile intervals.

    Shows a claim such as "FPR <= 5%" with its uncertainty.

    Resamples the rows with replacement, ``n_boot`` times. Only each row's cell of the confusion
    matrix (tp, fn, fp, tn) matters, and the cell counts of a row resample follow exactly a
    multinomial(n, cell shares) law, so resamples are drawn as counts: O(n_boot), independent of n.
    A resample without positives (or negatives) has no TPR (FPR); it is left out of that interval
    and counted in ``n_skipped_tpr`` (``n_skipped_fpr``).

    Parameters
    ----------
    threshold : float
        Cases with ``score >= threshold`` are flagged.
    n_boot : int, default=1000
    random_state : None, int or numpy.random.Generator
        Seed for reproducible intervals.
    level : float in (0, 1), default=0.95

    Returns
    -------
    RateIntervals
    """
    threshold = _real(threshold, "threshold")
    if isinstance(n_boot, bool) or not isinstance(n_boot, numbers.Integral) or n_boot < 1:
        raise ValueError(f"n_boot must be a positive integer such as 1000; got {n_boot!r}.")
    level = _real(level, "level", low=0.0, high=1.0)
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be strictly between 0 and 1, such as 0.95; got {level!r}.")
    y, s = _binary_inputs(y_true, scores, pos_label)
    n_pos = int(np.count_nonzero(y))
    n_neg = y.size - n_pos
    _require_both_classes(n_pos, n_neg, "a TPR/FPR interval")
    tp, fp = (int(c[0]) for c in _count_at(y, s, np.array([threshold])))
    cells = np.array([tp, n_pos - tp, fp, n_neg - fp], dtype=np.float64)
    rng = np.random.default_rng(random_state)
    draws = rng.multinomial(y.size, cells / y.size, size=int(n_boot))
    pos_b = draws[:, 0] + draws[:, 1]
    neg_b = draws[:, 2] + draws[:, 3]
    tpr_b = _ratio(draws[:, 0], pos_b)
    fpr_b = _ratio(draws[:, 2], neg_b)
    tpr_low, tpr_high = _percentile_interval(tpr_b, pos_b > 0, level)
    fpr_low, fpr_high = _percentile_interval(fpr_b, neg_b > 0, level)
    return RateIntervals(
        tpr=tp / n_pos,
        tpr_low=tpr_low,
        tpr_high=tpr_high,
        fpr=fp / n_neg,
        fpr_low=fpr_low,
        fpr_high=fpr_high,
        level=level,
        n_boot=int(n_boot),
        n_skipped_tpr=int(np.count_nonzero(pos_b == 0)),
        n_skipped_fpr=int(np.count_nonzero(neg_b == 0)),
    )


def expected_cost(y_true, scores, threshold, cost_fp, cost_fn, prevalence=None, *, pos_label=None):
    """Expected cost per 1,000 cases at a threshold, at the sample's or a stated prevalence.

    ``cost = 1000 * (prevalence * (1 - TPR) * cost_fn + (1 - prevalence) * FPR * cost_fp)``,
    with TPR and FPR measured on the sample (rule ``score >= threshold``). Deployment prevalence
    often differs from the sample's; pass it as ``prevalence`` to re-weight the two error kinds.

    Parameters
    ----------
    threshold : float or array-like of shape (n_thresholds,)
    cost_fp, cost_fn : float >= 0
        Cost of one false positive and of one false negative.
    prevalence : float in [0, 1], default=None
        Share of positives among the cases the threshold will be used on; None uses the sample's.

    Returns
    -------
    float, or ndarray of shape (n_thresholds,) for an array of thresholds.
    """
    cost_fp, cost_fn = _costs(cost_fp, cost_fn)
    prevalence = _real(prevalence, "prevalence", low=0.0, high=1.0, allow_none=True)
    y, s = _binary_inputs(y_true, scores, pos_label)
    n_pos = int(np.count_nonzero(y))
    _require_both_classes(n_pos, y.size - n_pos, "the expected cost (it needs TPR and FPR)")
    rates = confusion_sweep(y, s, np.atleast_1d(_thresholds(threshold)))
    if prevalence is None:
        prevalence = n_pos / y.size
    cost = 1000.0 * (
        prevalence * (1.0 - rates["tpr"]) * cost_fn + (1.0 - prevalence) * rates["fpr"] * cost_fp
    )
    return float(cost[0]) if np.ndim(threshold) == 0 else cost


def iso_cost_slope(cost_fp, cost_fn, prevalence):
    """Slope of the ROC-plane lines of equal expected cost: ``cost_fp (1 - p) / (cost_fn p)``.

    The cheapest threshold is where such a line touches the ROC curve last (moving up-left).
    Returns ``inf`` (vertical lines) when ``cost_fn * p`` is 0, and 0.0 when ``cost_fp (1 - p)``
    is 0.
    """
    cost_fp, cost_fn = _costs(cost_fp, cost_fn)
    prevalence = _real(prevalence, "prevalence", low=0.0, high=1.0)
    rise = cost_fp * (1.0 - prevalence)
    run = cost_fn * prevalence
    if rise == 0 and run == 0:
        raise ValueError(
            "With this prevalence and these costs every threshold costs the same (the cost of the "
            "only class present is 0); give that class's error a positive cost."
        )
    return math.inf if run == 0 else rise / run


def iso_cost_line(cost_fp, cost_fn, prevalence, through):
    """End points of the iso-cost line through an ROC point, clipped to the unit square.

    Parameters
    ----------
    cost_fp, cost_fn : float >= 0
    prevalence : float in [0, 1]
    through : (fpr, tpr)
        The ROC point the line passes through (usually the chosen threshold's point).

    Returns
    -------
    x, y : ndarray of shape (2,)
        FPR and TPR of the two ends, ready for a line trace on the ROC figure.
    """
    slope = iso_cost_slope(cost_fp, cost_fn, prevalence)
    try:
        x0, y0 = through
    except (TypeError, ValueError):
        raise ValueError(f"through must be an (fpr, tpr) pair; got {through!r}.") from None
    x0 = _real(x0, "through[0] (fpr)", low=0.0, high=1.0)
    y0 = _real(y0, "through[1] (tpr)", low=0.0, high=1.0)
    if math.isinf(slope):
        return np.array([x0, x0]), np.array([0.0, 1.0])
    if slope == 0:
        return np.array([0.0, 1.0]), np.array([y0, y0])
    x_low = max(0.0, x0 - y0 / slope)
    x_high = min(1.0, x0 + (1.0 - y0) / slope)
    x = np.array([x_low, x_high])
    return x, np.clip(y0 + slope * (x - x0), 0.0, 1.0)


# ---------------------------------------------------------------- multiclass


def _class_codes(codes, n_classes, *, name):
    c = np.asarray(codes)
    if c.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of class codes; got shape {c.shape}.")
    if c.size == 0:
        raise ValueError(f"{name} is empty; pass at least one case.")
    if c.dtype.kind == "f":
        if not (np.isfinite(c).all() and np.all(c == np.rint(c))):
            raise ValueError(f"{name} must hold integer class codes 0..k-1; found non-integers.")
    elif c.dtype.kind not in "iu":
        raise ValueError(
            f"{name} must hold integer class codes 0..k-1 (got dtype {c.dtype}); encode labels "
            "first, for example with np.unique(labels, return_inverse=True)."
        )
    c = c.astype(np.intp, copy=False)
    low, high = int(c.min()), int(c.max())
    if n_classes is None:
        n_classes = max(high + 1, 1)
    if low < 0 or high >= n_classes:
        bad = low if low < 0 else high
        raise ValueError(
            f"{name} contains class code {bad}, outside 0..{n_classes - 1} for {n_classes} classes."
        )
    return c


def _multiclass_inputs(y_true_codes, proba):
    p = np.asarray(proba)
    if p.ndim != 2 or p.shape[1] < 2:
        raise ValueError(
            f"proba must be a 2-D array (n_samples, n_classes) with at least 2 columns; got shape "
            f"{p.shape}."
        )
    k = p.shape[1]
    y = _class_codes(y_true_codes, k, name="y_true_codes")
    if p.shape[0] != y.size:
        raise ValueError(
            f"y_true_codes has {y.size} cases but proba has {p.shape[0]} rows; pass one row of "
            "class scores per case."
        )
    p = np.column_stack([_scores(p[:, j], y.size, name=f"proba[:, {j}]") for j in range(k)])
    counts = np.bincount(y, minlength=k)
    for cls, count in enumerate(counts):
        if count == 0 or count == y.size:
            state = "no cases" if count == 0 else "all the cases"
            raise ValueError(
                f"class {cls} has {state} in y_true_codes, so its one-vs-rest ROC is undefined; "
                "every class needs some cases and so does the rest (class counts: "
                f"{counts.tolist()})."
            )
    return y, p


def per_class_roc(y_true_codes, proba):
    """One-vs-rest ROC curve of each class: ``[(fpr, tpr, thresholds), ...]``, one per column.

    Parameters
    ----------
    y_true_codes : array-like of shape (n_samples,)
        Class codes 0..k-1; every class must occur (and not be the only one).
    proba : array-like of shape (n_samples, k)
        Scores of each class (probabilities or decision values).
    """
    y, p = _multiclass_inputs(y_true_codes, proba)
    return [roc_curve(y == j, p[:, j]) for j in range(p.shape[1])]


def per_class_auc(y_true_codes, proba):
    """One-vs-rest ROC AUC of each class, ndarray of shape (k,)."""
    y, p = _multiclass_inputs(y_true_codes, proba)
    return np.array([roc_auc(y == j, p[:, j]) for j in range(p.shape[1])])


def macro_auc(y_true_codes, proba):
    """Unweighted mean of the one-vs-rest AUCs, as sklearn's
    ``roc_auc_score(y, proba, multi_class="ovr", average="macro")``."""
    return float(np.mean(per_class_auc(y_true_codes, proba)))


def micro_auc(y_true_codes, proba):
    """AUC of all (case, class) pairs pooled: one-hot labels against ``proba``, both raveled, as
    sklearn's ``roc_auc_score(label_binarize(y, classes=range(k)).ravel(), proba.ravel())`` for
    k >= 3 (and ``average="micro"`` with ``multi_class="ovr"``)."""
    y, p = _multiclass_inputs(y_true_codes, proba)
    one_hot = y[:, None] == np.arange(p.shape[1])
    return roc_auc(one_hot.ravel(), p.ravel())


def confusion_matrix(y_true, y_pred, n_classes=None):
    """k x k counts, rows the true class and columns the predicted one (as sklearn's).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Class codes 0..k-1.
    n_classes : int, default=None
        k; None means ``max(max(y_true), max(y_pred)) + 1``.

    Returns
    -------
    ndarray of shape (k, k), int64
    """
    if n_classes is not None and (
        isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral) or n_classes < 1
    ):
        raise ValueError(f"n_classes must be a positive integer; got {n_classes!r}.")
    t = _class_codes(y_true, n_classes, name="y_true")
    p = _class_codes(y_pred, n_classes, name="y_pred")
    if n_classes is None:
        n_classes = int(max(t.max(), p.max())) + 1
    if t.size != p.size:
        raise ValueError(
            f"y_true has {t.size} cases but y_pred has {p.size}; pass one prediction per case."
        )
    counts = np.bincount(t * n_classes + p, minlength=n_classes * n_classes)
    return counts.astype(np.int64).reshape(n_classes, n_classes)


# ---------------------------------------------------------------- calibration and cost curve
# (issue 15: the reliability diagram and the expected-cost curve of the Threshold page)


def _probabilities(y_true, proba, pos_label):
    """Labels as bool and probabilities checked to lie in [0, 1]."""
    y, p = _binary_inputs(y_true, proba, pos_label)
    if p.size and (p.min() < 0.0 or p.max() > 1.0):
        raise ValueError(
            f"Probabilities must lie between 0 and 1; got values from {p.min():g} to "
            f"{p.max():g}. Pass predicted probabilities, not scores or logits."
        )
    return y, p


def calibration_bins(y_true, proba, n_bins=10, *, pos_label=None):
    """Uniform-bin reliability table: the bins that hold cases, with their counts.

    Returns
    -------
    dict of ndarrays over the non-empty bins, in order: ``prob_true`` (share of positives),
    ``prob_pred`` (mean predicted probability), ``count`` (cases), ``low``/``high`` (bin edges).
    Bins are ``[0, 1/n_bins), ..., [1 - 1/n_bins, 1]``, assigned as scikit-learn does.
    """
    if not (isinstance(n_bins, numbers.Integral) and n_bins >= 1):
        raise ValueError(f"n_bins must be a whole number >= 1, got {n_bins!r}.")
    y, p = _probabilities(y_true, proba, pos_label)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(edges[1:-1], p)  # sklearn's rule: a value on an edge goes left
    total = np.bincount(ids, minlength=n_bins)
    sums = np.bincount(ids, weights=p, minlength=n_bins)
    true = np.bincount(ids, weights=y.astype(np.float64), minlength=n_bins)
    keep = total != 0
    return {"prob_true": true[keep] / total[keep], "prob_pred": sums[keep] / total[keep],
            "count": total[keep], "low": edges[:-1][keep], "high": edges[1:][keep]}


def calibration_curve(y_true, proba, n_bins=10, *, pos_label=None):
    """``(prob_true, prob_pred)`` per non-empty uniform bin, as
    ``sklearn.calibration.calibration_curve(y_true, proba, n_bins=n_bins)``."""
    bins = calibration_bins(y_true, proba, n_bins, pos_label=pos_label)
    return bins["prob_true"], bins["prob_pred"]


def brier_score(y_true, proba, *, pos_label=None) -> float:
    """Mean squared gap between the predicted probability and the 0/1 outcome (lower is better).

    Equal to ``sklearn.metrics.brier_score_loss``; 0.25 is a constant 0.5 forecast.
    """
    y, p = _probabilities(y_true, proba, pos_label)
    return float(np.mean((p - y) ** 2))


def expected_cost_curve(y_true, scores, cost_fp, cost_fn, prevalence=None, *, n_points=201,
                        pos_label=None):
    """Expected cost per 1,000 cases at every threshold of a grid, and its minimum.

    The same formula as :func:`expected_cost`, on ``n_points`` evenly spaced thresholds in
    [0, 1] plus every distinct score (where the cost steps), so the minimum found is the true
    minimum over all thresholds.

    Returns
    -------
    dict: ``thresholds`` (m,) sorted, ``cost`` (m,), ``best_threshold`` and ``best_cost`` (the
    lowest cost; the largest threshold among ties, which flags the fewest cases).
    ``best_threshold`` is the shortest decimal giving the same predictions as that threshold
    (as a rule's threshold: ``choose_threshold``'s ``shown``), so a label can print all its
    digits: 0.15, not 0.169503504206.
    """
    y, s = _binary_inputs(y_true, scores, pos_label)
    grid = np.linspace(0.0, 1.0, int(n_points))
    distinct = np.unique(s)
    thresholds = np.unique(np.concatenate([grid, distinct]))
    cost = expected_cost(y, s, thresholds, cost_fp, cost_fn, prevalence)
    best = int(np.flatnonzero(cost == cost.min())[-1])
    below = distinct[distinct < thresholds[best]]  # p >= T flags the same cases for T in here
    short = float(_short_number(float(thresholds[best]), below[-1] if below.size else -np.inf))
    return {"thresholds": thresholds, "cost": cost, "best_threshold": short,
            "best_cost": float(cost[best])}
