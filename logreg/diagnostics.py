"""What a finished training run says about itself: converged, not finished, swinging, diverged.

Pages only display what :func:`diagnose` returns: the facts (numbers) and the plain sentences
built from them. Nothing here is written in advance: every number in a sentence is a field of the
:class:`Diagnosis` it comes with, so a test can check one against the other.

Facts used
----------
* Convergence criterion: ``history_["grad_norm"]``, the largest |gradient| of the penalized
  objective (the minimum-norm subgradient with L1) at every epoch; converged means at most the
  model's ``gtol``.
* Distance to the optimum: the same penalized objective minimized by a reference fit (Newton for
  no penalty and L2; proximal gradient descent at step 1/L for L1 and elastic net), trusted only
  when the reference itself meets a tolerance 1,000 times tighter. Otherwise the gap is unknown
  and the sentence says so.
* A swinging loss: in full-batch gradient descent the objective falls every epoch when the
  learning rate suits the data (step <= 1/L); rises that keep coming back in the last epochs mean
  every step overshoots the bottom.
* A learning rate that does not swing or blow up is *tried* (the same settings refitted), never
  guessed.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import numpy as np

# Late epochs looked at for swings: the last quarter of the run, at least 10 and at most 100.
_WINDOW_MIN, _WINDOW_MAX = 10, 100
# A rise smaller than this share of the loss is rounding, not a swing.
_RISE_RTOL = 1e-9
# Rises needed in the window to call the loss swinging (one could be a single overshoot).
_MIN_RISES = 2
# Reference fits: tolerance on the criterion (relative to the model's gtol) and their budget.
_REFERENCE_TIGHTER = 1e-3
_REFERENCE_SECONDS = 2.0
# Largest number of model features for the reference fit (d x d Hessians stay cheap).
MAX_REFERENCE_FEATURES = 50
# Learning rates tried when looking for one that works, at most this many fits.
_MAX_TRIES = 4


@dataclass(frozen=True)
class Swing:
    """The objective rising again and again in the last epochs of a full-batch run.

    ``low``/``high``: the smallest and largest log-loss (what the curve draws) in the window of
    epochs ``first_epoch..last_epoch``; ``rises``: how many epochs of the window went up;
    ``period``: 2, 3 or 4 when the values repeat with that period (a cycle), else None.
    """

    first_epoch: int
    last_epoch: int
    rises: int
    low: float
    high: float
    period: Optional[int]


def find_swing(objective: Sequence[float], curve: Optional[Sequence[float]] = None,
               ) -> Optional[Swing]:
    """A :class:`Swing` when the objective keeps rising in the last epochs, else None.

    Parameters
    ----------
    objective : (E,) the penalized objective per epoch (``history_["loss"]``); its rises are
        what is counted (full-batch gradient descent with a small enough step never rises).
    curve : (E,) the values to report (``history_["data_loss"]``, what the loss curve draws);
        defaults to ``objective``.
    """
    J = np.asarray(objective, dtype=float)
    shown = J if curve is None else np.asarray(curve, dtype=float)
    n = J.size - 1  # epochs after the start
    if n < 4 or not np.isfinite(J).all():
        return None
    width = int(min(max(n // 4, _WINDOW_MIN), _WINDOW_MAX, n))
    window = J[-width - 1:]
    rises = int((np.diff(window) > _RISE_RTOL * np.maximum(np.abs(window[:-1]), 1e-12)).sum())
    if rises < _MIN_RISES:
        return None
    values = shown[-width - 1:]
    low, high = float(values.min()), float(values.max())
    return Swing(first_epoch=n - width, last_epoch=n, rises=rises, low=low, high=high,
                 period=_period(window))


def _period(values: np.ndarray) -> Optional[int]:
    """2, 3 or 4 when the last values repeat with that period (to 1e-6 of their spread)."""
    spread = float(values.max() - values.min())
    for p in (2, 3, 4):
        tail = values[-3 * p:]
        if tail.size < 3 * p:
            return None
        if np.all(np.abs(tail[p:] - tail[:-p]) <= 1e-6 * max(spread, 1e-300)):
            return p
    return None


@dataclass(frozen=True)
class Reference:
    """The lowest value of the penalized objective a reference fit reached.

    ``value``: that objective value (log-loss plus penalty, mean per training row); ``method``:
    how it was found, in words; ``exact``: the reference met a criterion 1,000 times tighter than
    the model's, so ``value`` is the optimum to well within the digits shown. When False,
    ``value`` is only an upper bound on the optimum and no gap is claimed.
    """

    value: float
    method: str
    exact: bool
    criterion: float


def reference_optimum(X, y, params: dict) -> Optional[Reference]:
    """Minimize the same penalized objective tightly; None when it cannot be done cheaply.

    ``X`` (n, d) model features, ``y`` (n,) 0/1 labels, ``params`` the run's estimator
    parameters (``get_params()``). Newton (d <= 50) for no penalty and L2; for L1 and elastic net,
    accelerated proximal gradient (FISTA with restarts, step 1/L where L bounds the loss's
    curvature). Either stops after a couple of seconds; ``exact`` says whether it got there.
    """
    from .model import LogisticRegression

    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] > MAX_REFERENCE_FEATURES:
        return None
    gtol = float(params.get("gtol", 1e-4)) * _REFERENCE_TIGHTER
    l1 = params["penalty"] in ("l1", "elasticnet") and params["reg_strength"] > 0
    if l1:
        return _fista_reference(X, np.asarray(y, dtype=float), params, gtol)
    model = LogisticRegression(solver="newton", epochs=200, penalty=params["penalty"],
                               reg_strength=params["reg_strength"], l1_ratio=params["l1_ratio"],
                               fit_intercept=params.get("fit_intercept", True), gtol=gtol,
                               stop_early=True)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y, callback=lambda *_: time.perf_counter() - start > _REFERENCE_SECONDS)
    return Reference(value=float(model.history_["loss"][-1]), method="Newton's method",
                     exact=bool(model.converged_),
                     criterion=float(model.convergence_["value"]))


def _fista_reference(X, y, params, gtol) -> Reference:
    """FISTA (Beck & Teboulle 2009) with gradient restarts for log-loss + l1|w| + l2/2 |w|^2.

    Plain proximal gradient at step 1/L can need 10^5 steps on correlated features; the
    accelerated version gets there in hundreds to a few thousand. The intercept is not penalized.
    """
    from .objective import Penalty, sigmoid
    from .solvers import gradient_criterion

    penalty = Penalty.from_params(params["penalty"], params["reg_strength"], params["l1_ratio"])
    intercept = params.get("fit_intercept", True)
    n, d = X.shape
    step = 1.0 / _curvature_bound(X, params)

    def smooth(w, b):
        z = X @ w + b
        # log(1 + e^z) - y z, stably; its gradient is sigmoid(z) - y.
        loss = float(np.mean(np.logaddexp(0.0, z) - y * z)) + 0.5 * penalty.l2 * float(w @ w)
        r = (sigmoid(z) - y) / n
        return loss, X.T @ r, float(r.sum()) if intercept else 0.0

    def total(w, b, loss):
        return loss + penalty.l1 * float(np.abs(w).sum())

    w, b = np.zeros(d), 0.0
    v_w, v_b, t = w.copy(), b, 1.0
    start = time.perf_counter()
    value, crit = math.inf, math.inf
    for _ in range(100_000):
        loss_v, g_w, g_b = smooth(v_w, v_b)
        g_w = g_w + penalty.l2 * v_w
        w_new = v_w - step * g_w
        w_new = np.sign(w_new) * np.maximum(np.abs(w_new) - step * penalty.l1, 0.0)
        b_new = v_b - step * g_b
        t_new = (1.0 + math.sqrt(1.0 + 4.0 * t * t)) / 2.0
        # Restart the momentum when it points uphill (O'Donoghue & Candes 2015).
        if float(g_w @ (w_new - w)) + g_b * (b_new - b) > 0:
            t_new, v_w, v_b = 1.0, w_new, b_new
        else:
            beta = (t - 1.0) / t_new
            v_w, v_b = w_new + beta * (w_new - w), b_new + beta * (b_new - b)
        w, b, t = w_new, b_new, t_new
        loss_w, gw, gb = smooth(w, b)
        value = total(w, b, loss_w)
        crit = gradient_criterion(gw[:, None], np.array([gb]), w[:, None], penalty)
        if crit <= gtol or time.perf_counter() - start > _REFERENCE_SECONDS:
            break
    return Reference(value=value, method="accelerated proximal gradient descent",
                     exact=bool(crit <= gtol), criterion=float(crit))


def _curvature_bound(X, params) -> float:
    """L: the largest curvature of the mean log-loss (+ L2) in the weights and intercept.

    The log-loss's Hessian is ``A^T D A / n`` with ``D <= 1/4`` and ``A = [X, 1]``, so
    ``L = ||A||_2^2 / (4 n) + l2`` bounds it.
    """
    A = np.column_stack([X, np.ones(len(X))]) if params.get("fit_intercept", True) else X
    top = float(np.linalg.norm(A, 2)) ** 2 / (4.0 * max(len(A), 1))
    lam = float(params["reg_strength"])
    l2 = lam * (1.0 - params["l1_ratio"]) if params["penalty"] == "elasticnet" else 0.0
    return top + l2


@dataclass(frozen=True)
class Tried:
    """A learning rate refitted with every other setting the same, and what it did."""

    learning_rate: float
    diverged: bool
    swing: Optional[Swing]
    converged: bool
    final_loss: float  # log-loss at its last epoch (what the curve would draw)

    @property
    def works(self) -> bool:
        return not self.diverged and self.swing is None


def try_learning_rates(fit: Callable[[float], object], candidates: Sequence[float],
                       want_converged: bool = False, budget_s: float = 3.0,
                       expected_s: Optional[float] = None) -> list:
    """Refit at each candidate rate in order until one works; return every :class:`Tried`.

    ``fit(rate)`` returns a fitted model. "Works" means no divergence and no swing (and, with
    ``want_converged``, the criterion met). At most ``_MAX_TRIES`` fits; a further fit starts
    only if, at the pace of the last one, it would end within ``budget_s`` seconds. With
    ``expected_s`` (seconds one fit is expected to take: the run's own), the first fit is held
    to the same rule; without it, the first fit always runs.
    """
    tried, start = [], time.perf_counter()
    last = 0.0 if expected_s is None else float(expected_s)
    for rate in list(candidates)[:_MAX_TRIES]:
        if (tried or expected_s is not None) and time.perf_counter() - start + last > budget_s:
            break
        began = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = fit(rate)
        last = time.perf_counter() - began
        if getattr(model, "stopped_early_", False):
            break  # cut by a time limit: it says nothing about this rate
        h = model.history_
        swing = None if model.diverged_ else find_swing(h["loss"], h["data_loss"])
        result = Tried(float(rate), bool(model.diverged_), swing, bool(model.converged_),
                       float(h["data_loss"][-1]))
        tried.append(result)
        if result.works and (result.converged or not want_converged):
            break
    return tried


@dataclass(frozen=True)
class Diagnosis:
    """Facts about a finished run and the sentences the Train page shows.

    ``status``: "converged", "not_finished", "never_finishes" (separable, no penalty: no finite
    optimum), "swinging" or "diverged".
    ``sentences``: (level, text) pairs, level "success", "info" or "warning".
    ``in_short``: for pages that use the run's scores (the Threshold page), one line (at most
    about 140 characters) saying the model is not final and what to do on the Train page; ""
    when converged or diverged (a diverged run has its own message there).
    """

    status: str
    n_iter: int
    criterion: float
    gtol: float
    converged_epoch: Optional[int] = None
    last_change: Optional[float] = None
    reference: Optional[Reference] = None
    gap: Optional[float] = None
    swing: Optional[Swing] = None
    tried: tuple = ()
    suggestion: Optional[float] = None
    sentences: tuple = field(default_factory=tuple)
    in_short: str = ""


def _num(x: float) -> str:
    """A loss or gap in words: 4 significant digits, no scientific notation above 1e-4."""
    if x == 0:
        return "0"
    if abs(x) >= 1e-4:
        return f"{x:.4g}"
    return f"{x:.2g}"


def _rate(x: float) -> str:
    return f"{x:g}"


def diagnose(model, X, y, *, full_batch: bool, refit: Optional[Callable[[float], object]] = None,
             learning_rates: Sequence[float] = (), stopped_by_budget: bool = False,
             fit_seconds: Optional[float] = None) -> Diagnosis:
    """Read a fitted run and say in plain words whether it finished, and what to change.

    Parameters
    ----------
    model : a fitted ``LogisticRegression`` (``history_`` with ``loss``, ``data_loss``,
        ``grad_norm``; ``convergence_``; ``gtol``).
    X, y : the model features (n, d) and 0/1 labels it was trained on (for the reference fit).
    full_batch : gradient descent on every row each step (swings are only judged then: a
        mini-batch loss wiggles by nature).
    refit : ``refit(rate)`` fits the same settings at another learning rate, for suggestions
        that were tried; None: no suggestion is made.
    learning_rates : the rates the app offers, ascending.
    stopped_by_budget : training was cut by the live view's time limit.
    fit_seconds : how long the run's own fit took; the optional search for a faster rate that
        converges is skipped when one more fit would not end within half a second.
    """
    params = model.get_params()
    h = model.history_
    n_iter = int(model.n_iter_)
    gtol = float(model.convergence_["tol"])
    criterion = float(model.convergence_["value"])
    newton = params["solver"] == "newton"
    step_word = "iteration" if newton else "epoch"
    steps = f"{n_iter:,} {step_word}{'' if n_iter == 1 else 's'}"  # "200 epochs", "1 iteration"
    penalized = params["penalty"] != "none" and params["reg_strength"] > 0
    objective_words = "log-loss plus penalty" if penalized else "log-loss"
    lr = float(params["learning_rate"])
    smaller = [r for r in sorted(learning_rates, reverse=True) if r < lr]
    larger = [r for r in sorted(learning_rates) if r > lr]

    if model.diverged_:
        tried = tuple(try_learning_rates(refit, smaller)) if refit and smaller else ()
        good = next((t for t in tried if t.works), None)
        text = _tried_words(tried, good, "blows up")
        sentences = (("warning", text),) if text else ()
        return Diagnosis("diverged", n_iter, criterion, gtol, tried=tried,
                         suggestion=None if good is None else good.learning_rate,
                         sentences=sentences)

    grad = np.asarray(h.get("grad_norm", []), dtype=float)
    met = np.flatnonzero(grad <= gtol)
    converged_epoch = int(met[0]) if met.size else None
    if model.converged_:
        first = converged_epoch if converged_epoch is not None else n_iter
        stopped = " Training stopped there (Stop early is on)." if (
            params.get("stop_early") and first == n_iter and n_iter < params["epochs"]) else ""
        text = (f"Finished: converged at {step_word} {first:,} (the largest slope of the "
                f"{objective_words}, its gradient, is {criterion:.1e} at the end: below "
                f"{gtol:.0e}).{stopped}")
        return Diagnosis("converged", n_iter, criterion, gtol, converged_epoch=first,
                         sentences=(("success", text),))

    swing = find_swing(h["loss"], h["data_loss"]) if full_batch and not newton else None
    if swing is not None:
        tried = tuple(try_learning_rates(refit, smaller)) if refit and smaller else ()
        good = next((t for t in tried if t.works), None)
        if swing.period:
            shape = (f"it cycles between {_num(swing.low)} and {_num(swing.high)}, repeating "
                     f"every {swing.period} epochs")
        else:
            shape = f"it swings between {_num(swing.low)} and {_num(swing.high)}"
        note = " (penalty not counted, as on the curve)" if penalized else ""
        text = (f"The loss is not settling: in epochs {swing.first_epoch:,}-{swing.last_epoch:,} "
                f"it went up {swing.rises} times; {shape}{note}. Each step of learning rate "
                f"{_rate(lr)} overshoots the bottom, so the final weights (and the scores "
                f"below) depend on which epoch happens to be last.")
        more = _tried_words(tried, good, "swings")
        sentences = (("warning", text + (" " + more if more else "")),)
        lower = "lower the learning rate" + ("" if good is None else
                                              f" to {_rate(good.learning_rate)}")
        short = (f"The loss swings at learning rate {_rate(lr)}: these probabilities depend on "
                 f"the last epoch. On the Train page, {lower}.")
        return Diagnosis("swinging", n_iter, criterion, gtol, swing=swing, tried=tried,
                         suggestion=None if good is None else good.learning_rate,
                         sentences=sentences, in_short=short)

    # Not converged and not swinging: not finished.
    J = np.asarray(h["loss"], dtype=float)
    if not penalized and _separates(model, X, y):
        text = (f"Never finishes: after {steps} every training point is on its "
                "own side of the boundary, and without a penalty the log-loss can only creep "
                "towards 0 as the weights grow without end, so there is no best model to "
                "converge to. Add an L2 penalty to get one.")
        short = (f"Never finishes (classes separated after {steps}, no penalty): these "
                 "probabilities drift to 0 and 1. On the Train page, add an L2 penalty.")
        return Diagnosis("never_finishes", n_iter, criterion, gtol, sentences=(("info", text),),
                         in_short=short)
    last_change = float(J[-2] - J[-1]) if J.size >= 2 else None
    reference = reference_optimum(X, y, params)
    gap = None
    if reference is not None and reference.exact:
        gap = max(float(J[-1]) - reference.value, 0.0)
    if stopped_by_budget:
        lead = f"Not finished: the time limit stopped training at {step_word} {n_iter:,}"
    else:
        lead = f"Not finished after {steps}"
    if last_change is not None and last_change > 0:
        lead += (f": the {objective_words} is still falling ({_num(last_change)} in the last "
                 f"{step_word})")
    lead += "."
    if gap is not None:
        now, best = _pair(float(J[-1]), reference.value, gap)
        which = f"The {objective_words} (the curve shows the log-loss alone)" if penalized \
            else "It"
        where = (f" {which} is {now}, {_num(gap)} above the lowest it can reach ({best}, found "
                 f"with {reference.method}).")
    elif reference is not None:
        where = (" How far it is from the lowest reachable value is unknown: a reference fit "
                 f"({reference.method}) did not get there within its time limit either.")
    else:
        where = (" How far it is from the lowest reachable value is unknown (no reference fit "
                 f"for more than {MAX_REFERENCE_FEATURES} model features).")
    where += (f" (Converged means a largest slope, or gradient, below {gtol:.0e}; it is "
              f"{criterion:.1e}.)")
    tried, suggestion = (), None
    if newton:
        todo = " To finish: raise the iterations."
    else:
        # Only for full batch: a mini-batch run keeps wiggling and rarely meets the criterion.
        if refit and larger and full_batch and not stopped_by_budget:
            tried = tuple(try_learning_rates(refit, larger[:2], want_converged=True,
                                             budget_s=0.5, expected_s=fit_seconds))
            ok = next((t for t in tried if t.works and t.converged), None)
            suggestion = None if ok is None else ok.learning_rate
        options = ["raise the epochs (with Stop early on, extra epochs cost nothing)"]
        if suggestion is not None:
            options.append(f"raise the learning rate to {_rate(suggestion)} (tried: it converges "
                           f"within {params['epochs']:,} epochs)")
        if not penalized or params["penalty"] == "l2":
            options.append("switch to Newton")
        todo = " To finish: " + (options[0] if len(options) == 1 else
                                 "; ".join(options[:-1]) + "; or " + options[-1]) + "."
    # The one change most likely to finish, for a one-line warning on other pages.
    if newton:
        advice = "raise the iterations"
    else:
        advice = ("raise the epochs" if suggestion is None
                  else f"raise the learning rate to {_rate(suggestion)}")
        if not penalized or params["penalty"] == "l2":
            advice += " or switch to Newton"
    when = (f"The time limit stopped training at {step_word} {n_iter:,}" if stopped_by_budget
            else f"Not finished after {steps}")
    short = (f"{when}, so these probabilities may still change. On the Train page, "
             f"{advice}.")
    return Diagnosis("not_finished", n_iter, criterion, gtol, converged_epoch=None,
                     last_change=last_change, reference=reference, gap=gap, tried=tried,
                     suggestion=suggestion, sentences=(("info", lead + where + todo),),
                     in_short=short)


def _separates(model, X, y) -> bool:
    """Every training point strictly on its own side of the final boundary (no finite optimum
    without a penalty)."""
    with np.errstate(all="ignore"):
        z = np.asarray(X, dtype=float) @ model.coef_[0] + model.intercept_[0]
    return bool(np.all(np.where(np.asarray(y) == 1, z, -z) > 0))


def _tried_words(tried, good, problem: str) -> str:
    """What the refits at other learning rates showed, in one or two sentences."""
    failed = [t for t in tried if not t.works]
    listed = _listing([_rate(t.learning_rate) for t in failed])
    if good is not None:
        text = (f"Learning rate {_rate(good.learning_rate)} works: tried on the same data and "
                f"settings, it neither blows up nor swings (log-loss {_num(good.final_loss)} at "
                f"the end).")
        if failed:
            text += f" Also tried: {listed}, which still blow up or swing." if len(failed) > 1 \
                else f" Also tried: {listed}, which still blows up or swings."
        return text
    if tried:
        return (f"Smaller learning rates tried ({listed}) still blow up or swing: try a much "
                f"smaller one, or standardize the features.")
    return ""


def _listing(items) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _pair(current: float, best: float, gap: float) -> tuple:
    """``current`` and ``best`` with enough decimals that their difference (``gap``) shows."""
    places = 4 if gap <= 0 else max(4, int(-math.floor(math.log10(gap))) + 1)
    return f"{current:.{places}f}", f"{best:.{places}f}"


def diagnose_run(model, settings, X, y, learning_rates=(), time_budget=None,
                 fit_seconds=None, fitted=None) -> Diagnosis:
    """:func:`diagnose` for a run of the app: refits use the same settings at another rate.

    ``settings`` is the run's ``TrainSettings``; ``X`` (n, d) its model features, ``y`` (n,) 0/1.
    Each refit gets the run's time budget (seconds, None for no limit).
    ``fitted``: optional store of models already trained on the same ``X``, ``y`` and settings at
    other rates (``fitted.get(rate)`` a model or None; ``fitted[rate] = model`` keeps a refit).
    Training is deterministic, so a stored model is the refit itself, not an estimate of it.
    """
    from .model import LogisticRegression

    budget = None if time_budget is None else min(time_budget, 2.0)

    def refit(rate):
        known = None if fitted is None else fitted.get(rate)
        if known is not None:
            return known
        start = time.perf_counter()
        callback = None if budget is None else (lambda *_: time.perf_counter() - start > budget)
        params = {**settings.model_params(), "learning_rate": rate}
        trained = LogisticRegression(**params).fit(X, y, callback=callback)
        if fitted is not None and not trained.stopped_early_:  # a cut fit is not the run
            fitted[rate] = trained
        return trained

    batch = settings.batch_size
    return diagnose(model, X, y, full_batch=batch is None or batch >= len(y), refit=refit,
                    learning_rates=learning_rates, stopped_by_budget=bool(model.stopped_early_),
                    fit_seconds=fit_seconds)
