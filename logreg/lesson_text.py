"""Sentences that say what a trained run shows, built from its numbers (no streamlit).

The guided tour and the demo notices call these: each function takes a fitted run (a
``pipeline.BinaryRun`` or ``MulticlassRun``) and returns two or three plain sentences in
markdown. Nothing is written in advance: every number, and every judgement ("still falling",
"swings", "does better"), is computed here from the run, so the words stay true when the user
moves a control. Tests recompute each sentence from a fresh fit.

Conventions: probabilities are of the positive class ``class_names[1]``; the scored set is the
test set when the run has one, else the training set; losses are the data log-loss (no penalty),
the curve the Train page draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from .metrics import confusion_matrix
from .replay import epoch_logits

#: A loss curve still "falling" when its last quarter dropped by more than this share of its
#: value: the same training would visibly go on improving with more epochs.
STILL_FALLING = 0.01
#: A loss curve "swings" when it went up in at least this share of its epochs.
SWINGS = 0.05


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------

def pct(x: float) -> str:
    """A share as a whole-number-and-one-decimal percentage: 0.8667 -> '86.7%'."""
    return f"{100 * x:.1f}%" if np.isfinite(x) else "undefined"


def _one_class_only(run, s: "Scored") -> Optional[str]:
    """The sentence when the scored set holds one class only (rates are then undefined)."""
    neg, pos = run.class_names
    n_pos = int((s.y == 1).sum())
    if 0 < n_pos < len(s.y):
        return None
    only, other = (pos, neg) if n_pos else (neg, pos)
    return (f"All {len(s.y)} {s.name} points are {_q(only)}: with no {_q(other)} point there, "
            "catches and false alarms cannot both be counted. Choose a larger test share on the "
            "Data page, or other data.")


def _q(name) -> str:
    """A class or feature name quoted for a sentence."""
    return f"**{name}**"


@dataclass(frozen=True)
class Scored:
    """The set a binary run is scored on: labels (n,) 0/1, probabilities (n,), and its name."""

    y: np.ndarray
    p: np.ndarray
    name: str


def scored_set(run) -> Scored:
    if run.p_test is not None and len(run.y_test):
        return Scored(np.asarray(run.y_test), np.asarray(run.p_test), "test")
    return Scored(np.asarray(run.y_train), np.asarray(run.p_train), "training")


@dataclass(frozen=True)
class Counts:
    """Confusion counts at one threshold (a point is positive when p >= threshold)."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def n_pos(self) -> int:
        return self.tp + self.fn

    @property
    def n_neg(self) -> int:
        return self.fp + self.tn

    @property
    def tpr(self) -> float:
        return self.tp / self.n_pos if self.n_pos else float("nan")

    @property
    def fpr(self) -> float:
        return self.fp / self.n_neg if self.n_neg else float("nan")

    @property
    def accuracy(self) -> float:
        return (self.tp + self.tn) / (self.n_pos + self.n_neg)

    def cost(self, cost_fp: float, cost_fn: float) -> float:
        return self.fp * cost_fp + self.fn * cost_fn


def counts_at(y, p, threshold: float) -> Counts:
    yes = np.asarray(p) >= threshold
    pos = np.asarray(y) == 1
    return Counts(int((yes & pos).sum()), int((yes & ~pos).sum()), int((~yes & pos).sum()),
                  int((~yes & ~pos).sum()))


@dataclass(frozen=True)
class LossShape:
    """What a loss curve did: numbers for the sentences about learning rate and epochs."""

    start: float
    end: float
    lowest: float
    epochs: int
    ups: int            # epochs whose loss was higher than the epoch before
    tail: int           # epochs in the last quarter (at least 1)
    tail_drop: float    # loss fall over the last quarter (negative when it rose)
    tail_low: float
    tail_high: float
    diverged: bool

    @property
    def still_falling(self) -> bool:
        return self.tail_drop > STILL_FALLING * max(self.end, 1e-12)

    @property
    def swings(self) -> bool:
        return self.ups >= max(2, SWINGS * self.epochs)


def loss_shape(run) -> LossShape:
    loss = np.asarray(run.model.history_["data_loss"], dtype=float)
    n = len(loss) - 1
    tail = max(1, n // 4)
    finite = loss[np.isfinite(loss)]
    tail_part = loss[-tail - 1:]
    return LossShape(
        start=float(loss[0]), end=float(loss[-1]),
        lowest=float(finite.min()) if finite.size else float("nan"), epochs=n,
        ups=int((np.diff(loss) > 1e-12 * np.maximum(1.0, np.abs(loss[:-1]))).sum()),
        tail=tail, tail_drop=float(loss[-tail - 1] - loss[-1]),
        tail_low=float(np.nanmin(tail_part)), tail_high=float(np.nanmax(tail_part)),
        diverged=bool(getattr(run.model, "diverged_", False)))


def side_changes(run, epochs_back: int) -> int:
    """Most training points that changed predicted side (p = 0.5) between two consecutive epochs
    among the last ``epochs_back`` epochs: how much the boundary jumps."""
    n = run.model.n_iter_
    first = max(0, n - epochs_back)
    with np.errstate(over="ignore", invalid="ignore"):
        Z = epoch_logits(run.model, run.features, run.X_train, np.arange(first, n + 1))
    side = Z >= 0
    return int((side[:, 1:] != side[:, :-1]).sum(axis=0).max()) if side.shape[1] > 1 else 0


def _lr(run) -> str:
    return f"{run.model.learning_rate:g}"


# --------------------------------------------------------------------------------------------
# Binary runs
# --------------------------------------------------------------------------------------------

def boundary_and_probability(run, threshold: float) -> str:
    """What the picture is: points, the probability colours, the line at the threshold."""
    neg, pos = run.class_names
    s = scored_set(run)
    c = counts_at(s.y, s.p, threshold)
    sure = int(((s.p >= 0.9) | (s.p <= 0.1)).sum())
    unsure = int(((s.p > 0.4) & (s.p < 0.6)).sum())
    n = len(s.y)
    return (
        f"Each dot is one point, either {_q(pos)} or {_q(neg)}. The background colour is the "
        f"probability the model gives to {_q(pos)}, and the line is where that probability "
        f"equals the threshold {threshold:.2f}: the model answers {_q(pos)} on one side and "
        f"{_q(neg)} on the other. On the {n} {s.name} points it is right {c.tp + c.tn} times "
        f"({pct(c.accuracy)}); it is sure (p above 0.9 or below 0.1) of {sure} of them and "
        f"unsure (p between 0.4 and 0.6) of {unsure}, the points near the line.")


def learning_rate(run, threshold: float) -> str:
    """Learning rate too small, right or too big, judged from the loss curve it produced."""
    shape = loss_shape(run)
    s = scored_set(run)
    acc = counts_at(s.y, s.p, threshold).accuracy
    lr, n = _lr(run), shape.epochs
    if shape.diverged:
        return (f"With learning rate {lr} the steps overshoot so far that the loss blew up after "
                f"{n} epochs (its lowest was {shape.lowest:.3f}), and training stopped. "
                "Choose a smaller learning rate.")
    if shape.swings:
        jumps = side_changes(run, shape.tail)
        return (
            f"With learning rate {lr} each step overshoots: the loss went *up* in {shape.ups} "
            f"of the {n} epochs, and over the last {shape.tail} epochs it swung between "
            f"{shape.tail_low:.3f} and {shape.tail_high:.3f} (its lowest was "
            f"{shape.lowest:.3f}). The line jumps too: from one epoch to the next up to {jumps} "
            f"of the {len(run.y_train)} training points changed side. Drag the **epoch** "
            "slider under the plot to watch.")
    if shape.still_falling:
        p = s.p
        return (
            f"With learning rate {lr} the steps are small: after {n} epochs the loss has only "
            f"gone from {shape.start:.3f} to {shape.end:.3f}, and it is still falling "
            f"({shape.tail_drop:.3f} over the last {shape.tail} epochs). The probabilities "
            f"stay between {p.min():.2f} and {p.max():.2f}, so the colours are pale, even "
            f"though the line already puts {pct(acc)} of the {s.name} points on the right side.")
    return (
        f"With learning rate {lr} the loss glides down from {shape.start:.3f} to "
        f"{shape.end:.3f}" + (" without going up once" if shape.ups == 0 else
                              f", going up in only {shape.ups} of {n} epochs") +
        f", and flattens out: over the last {shape.tail} epochs it fell by only "
        f"{max(shape.tail_drop, 0):.4f}. The model is right for {pct(acc)} of the {s.name} "
        "points." + ("" if run.model.converged_ else
                     " It has not fully converged yet: the box under the plot says how far it "
                     "is from the end and how to finish."))


def epochs(run, threshold: float) -> str:
    """Too few (or enough) epochs, judged from the end of the loss curve."""
    shape = loss_shape(run)
    s = scored_set(run)
    acc = counts_at(s.y, s.p, threshold).accuracy
    loss = np.asarray(run.model.history_["data_loss"], dtype=float)
    last_step = float(loss[-2] - loss[-1]) if len(loss) > 1 else 0.0
    n = shape.epochs
    head = (f"One epoch is one step downhill using every training point. After {n} epoch"
            f"{'s' if n != 1 else ''} at learning rate {_lr(run)} the loss went from "
            f"{shape.start:.3f} to {shape.end:.3f}")
    if shape.still_falling:
        return (head + f", and the last epoch still took it down by {last_step:.3f}: training "
                "stopped before the curve flattened, so more epochs would lower it further. "
                f"Already {pct(acc)} of the {s.name} points are on the right side of the line; "
                "what more epochs add is confidence (darker colours).")
    return (head + f" and flattened out (the last {shape.tail} epochs took off only "
            f"{max(shape.tail_drop, 0):.4f}): more epochs would change little. "
            f"{pct(acc)} of the {s.name} points are on the right side of the line.")


def curved_boundary(run, threshold: float, straight=None) -> str:
    """Polynomial terms let the boundary bend; ``straight`` is the same run at degree 1."""
    s = scored_set(run)
    acc = counts_at(s.y, s.p, threshold).accuracy
    degree = run.features.degree
    names = list(run.features.names)
    extra = [n for n in names if n not in run.feature_names]
    text = (f"With polynomial degree {degree} the model gets {len(names)} features from the "
            f"{len(run.feature_names)} you see" +
            (f" (the new ones: {', '.join(extra[:4])}{', ...' if len(extra) > 4 else ''})"
             if extra else "") +
            f", so its boundary can bend into a curve. It gets {pct(acc)} of the {s.name} "
            "points right.")
    if straight is not None:
        s1 = scored_set(straight)
        acc1 = counts_at(s1.y, s1.p, threshold).accuracy
        word = ("only " if acc1 < acc - 0.05 else "")
        text += (f" The same training with degree 1, a straight line, gets {word}"
                 f"{pct(acc1)}.")
    return text


def overfitting(run, threshold: float) -> str:
    """Training and test loss drifting apart."""
    hist = run.model.history_
    train_loss = np.asarray(hist["data_loss"], dtype=float)
    n_train = len(run.y_train)
    degree = run.features.degree
    head = (f"Only {n_train} training points, with noise, and degree {degree} "
            f"({len(run.features.names)} features): the training loss keeps falling, to "
            f"{train_loss[-1]:.3f}")
    if hist.get("val_loss") is None or run.p_test is None:
        return head + ". Keep a test share on the Data page to see how new points fare."
    val = np.asarray(hist["val_loss"], dtype=float)
    best = int(np.nanargmin(val))
    acc_train = counts_at(run.y_train, run.p_train, threshold).accuracy
    acc_test = counts_at(run.y_test, run.p_test, threshold).accuracy
    if val[-1] > 1.05 * val[best]:
        middle = (f", but the test loss was lowest at epoch {best} ({val[best]:.3f}) and then "
                  f"rose to {val[-1]:.3f}: the two curves drift apart. The model learns the "
                  "noise of its few points: ")
    else:
        middle = (f", and the test loss ends at {val[-1]:.3f}, close to its lowest "
                  f"({val[best]:.3f}): no drifting apart here. ")
    return (head + middle + f"it is right for {pct(acc_train)} of them but for {pct(acc_test)} "
            "of the test points." + ("" if run.model.converged_ else
                                     " The box under the plot judges the training loss alone: "
                                     "finishing would fit the training points even more "
                                     "closely."))


def _max_abs(run) -> float:
    coef = np.asarray(run.model.coef_, dtype=float).ravel()
    return float(np.abs(coef).max()) if coef.size else 0.0


def _gap(run) -> Optional[float]:
    hist = run.model.history_
    if hist.get("val_loss") is None:
        return None
    return float(hist["val_loss"][-1] - hist["data_loss"][-1])


def l2_shrinks(run, threshold: float, unpenalized=None) -> str:
    """L2 shrinks every weight; ``unpenalized`` is the same run with no penalty."""
    coef = np.asarray(run.model.coef_, dtype=float).ravel()
    lam = run.model.reg_strength
    zeros = int((coef == 0).sum())
    text = (f"The L2 penalty (λ = {lam:g}) pulls every weight towards 0" +
            (f" without making any of the {coef.size} exactly 0" if zeros == 0 else
             f" ({zeros} of the {coef.size} are exactly 0)") +
            f": the largest is now {_max_abs(run):.2f}")
    if unpenalized is None:
        return text + "."
    text += f", against {_max_abs(unpenalized):.2f} without the penalty."
    gap, gap0 = _gap(run), _gap(unpenalized)
    if gap is not None and gap0 is not None:
        v, v0 = run.model.history_["val_loss"][-1], unpenalized.model.history_["val_loss"][-1]
        verb = "shrinks" if gap < gap0 else "does not shrink"
        text += (f" The gap between test and training loss {verb} from {gap0:.3f} to "
                 f"{gap:.3f}, and the test loss ends at {v:.3f} instead of {v0:.3f}.")
    return text


def l1_zeros(run, threshold: float) -> str:
    """L1 sets weak weights exactly to zero: which survive."""
    coef = np.asarray(run.model.coef_, dtype=float).ravel()
    names = list(run.features.names)
    zero = coef == 0
    kept = np.flatnonzero(~zero)
    top = kept[np.argsort(-np.abs(coef[kept]), kind="stable")][:3]
    s = scored_set(run)
    acc = counts_at(s.y, s.p, threshold).accuracy
    lam = run.model.reg_strength
    if not zero.any():
        return (f"With the L1 penalty at λ = {lam:g} no weight is exactly 0 yet: all "
                f"{coef.size} features are used. Raise λ to drop the weakest.")
    return (f"The L1 penalty (λ = {lam:g}) sets {int(zero.sum())} of the {coef.size} weights "
            "to exactly 0 (the grey diamonds at 0 in the weights chart): the model ignores "
            f"those features and uses {len(kept)}, most strongly "
            f"{', '.join(repr(names[i]) for i in top)}. It is still right for {pct(acc)} of "
            f"the {s.name} points.")


def rare_class(run, threshold: float) -> str:
    """An imbalanced set at the threshold: TPR, FPR and the accuracy that hides the misses."""
    neg, pos = run.class_names
    s = scored_set(run)
    if _one_class_only(run, s):
        return _one_class_only(run, s)
    c = counts_at(s.y, s.p, threshold)
    n = len(s.y)
    base = max(c.n_pos, c.n_neg) / n
    always = neg if c.n_neg >= c.n_pos else pos
    return (
        f"Only {pct(c.n_pos / n)} of the {s.name} points are {_q(pos)} ({c.n_pos} of {n}). "
        f"At threshold {threshold:.2f} the model catches {c.tp} of them (true positive rate, "
        f"TPR {pct(c.tpr)}) and raises {c.fp} false alarms among the {c.n_neg} others (false "
        f"positive rate, FPR {pct(c.fpr)}). "
        + (f"Its accuracy, {pct(c.accuracy)}, sounds good, but always answering {_q(always)} "
           f"would score {pct(base)}." if c.accuracy >= base else
           f"Its accuracy, {pct(c.accuracy)}, is even below the {pct(base)} of always "
           f"answering {_q(always)}: accuracy hides the misses."))


def threshold_cost(run, threshold: float, cost_fp: float, cost_fn: float,
                   reference: float = 0.5) -> str:
    """Moving the threshold: catches against false alarms, priced with the costs."""
    s = scored_set(run)
    if _one_class_only(run, s):
        return _one_class_only(run, s)
    c, c0 = counts_at(s.y, s.p, threshold), counts_at(s.y, s.p, reference)
    cost, cost0 = c.cost(cost_fp, cost_fn), c0.cost(cost_fp, cost_fn)
    if threshold == reference:
        return (f"At threshold {threshold:.2f} the model catches {c.tp} of the {c.n_pos} "
                f"positives (TPR {pct(c.tpr)}) with {c.fp} false alarms (FPR {pct(c.fpr)}). "
                "Move the threshold to trade one against the other.")
    direction = "Lowering" if threshold < reference else "Raising"
    better = "less" if cost < cost0 else ("more" if cost > cost0 else "the same")
    return (
        f"{direction} the threshold from {reference:.2f} to {threshold:.2f} changes who is "
        f"called positive: the model now catches {c.tp} of the {c.n_pos} (TPR {pct(c.tpr)}, "
        f"was {pct(c0.tpr)}) and raises {c.fp} false alarms (FPR {pct(c.fpr)}, was "
        f"{pct(c0.fpr)}). If a miss costs {cost_fn:g} and a false alarm {cost_fp:g}, the "
        f"{s.name} set now costs {cost:g} instead of {cost0:g}: {better}"
        + (" than at 0.50." if better != "the same" else " as at 0.50.")
        + " The **Threshold** page finds the cheapest threshold for you.")


# --------------------------------------------------------------------------------------------
# Multiclass runs
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClassReport:
    """Per-class numbers of a one-vs-rest run (and of softmax on the same data)."""

    worst: int                      # class whose own model ends with the highest loss
    losses: np.ndarray              # (k,) final data loss of each class's own model
    own_train_accuracy: np.ndarray  # (k,) each own model's yes/no accuracy on training points
    recall_ovr: np.ndarray          # (k,) share of each class predicted right by argmax, scored set
    recall_softmax: Optional[np.ndarray]
    accuracy_ovr: float
    accuracy_softmax: Optional[float]
    scored: str


def _recall(y, proba, k):
    C = confusion_matrix(y, np.asarray(proba).argmax(axis=1), k)
    return np.diag(C) / np.maximum(C.sum(axis=1), 1)


def class_report(ovr, softmax=None) -> ClassReport:
    k = len(ovr.class_names)
    losses = np.asarray(ovr.model.history_["data_loss"], dtype=float)[-1]
    own = ovr.model.predict_proba_ovr(ovr.features.transform(ovr.X_train))
    own_acc = np.array([((own[:, m] >= 0.5) == (ovr.y_train == m)).mean() for m in range(k)])
    test = ovr.proba_test is not None and len(ovr.y_test)
    y = ovr.y_test if test else ovr.y_train

    def proba(run):
        return run.proba_test if test else run.proba_train

    rec_soft = acc_soft = None
    if softmax is not None:
        rec_soft = _recall(y, proba(softmax), k)
        acc_soft = float((proba(softmax).argmax(axis=1) == y).mean())
    return ClassReport(worst=int(np.nanargmax(losses)), losses=losses, own_train_accuracy=own_acc,
                       recall_ovr=_recall(y, proba(ovr), k), recall_softmax=rec_soft,
                       accuracy_ovr=float((proba(ovr).argmax(axis=1) == y).mean()),
                       accuracy_softmax=acc_soft, scored="test" if test else "training")


def hardest_class(ovr, softmax=None) -> str:
    """Which class one-vs-rest finds hardest, why, and how softmax compares there."""
    text = one_vs_rest(ovr)
    return text if softmax is None else text + " " + softmax_comparison(ovr, softmax)


def one_vs_rest(ovr) -> str:
    """Which class one-vs-rest finds hardest and why (its own model's loss and errors)."""
    r = class_report(ovr)
    names = [str(c) for c in ovr.class_names]
    w = r.worst
    others = ", ".join(f"{names[m]} {r.losses[m]:.3f}" for m in range(len(names)) if m != w)
    text = (f"One-vs-rest trains {len(names)} yes/no models, one per class. {_q(names[w])}'s "
            f"own model ends with the highest loss, {r.losses[w]:.3f} (the others: {others})")
    wrong = 1 - r.own_train_accuracy[w]
    if wrong > 0:
        text += (f": even after training, its line still answers \"{names[w]} or not?\" wrongly "
                 f"for {pct(wrong)} of the training points, because no single straight line "
                 f"cuts the {names[w]} points off from all the others at once.")
    else:
        text += ", yet its line separates it from the rest on the training points."
    return text


def softmax_comparison(ovr, softmax) -> str:
    """How softmax does on the class one-vs-rest finds hardest, and overall."""
    r = class_report(ovr, softmax)
    w = r.worst
    name = str(ovr.class_names[w])
    rs, ro = r.recall_softmax[w], r.recall_ovr[w]
    verdict = ("does better there" if rs > ro else
               "does no better there" if rs == ro else "does worse there")
    return (f"Softmax learns all classes together and compares them with each other instead "
            f"of each against the rest; on {_q(name)}, the class one-vs-rest finds hardest, it "
            f"{verdict}: it gets {pct(rs)} of the {r.scored} {name} points right against "
            f"{pct(ro)} for one-vs-rest (overall {pct(r.accuracy_softmax)} against "
            f"{pct(r.accuracy_ovr)}).")
