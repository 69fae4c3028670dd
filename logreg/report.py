"""A trained run (or several) as one self-contained HTML file: opens offline, no server.

:func:`describe_run` turns a :class:`~logreg.pipeline.BinaryRun` into the numbers and sentences a
report shows (metrics with 95% intervals, the threshold and why, the weights);
:func:`html_report` writes them, with interactive plotly figures, into one HTML document that
embeds plotly.js itself. Every number is computed here from the run; nothing is written in
advance. No streamlit.

Figures travel as JSON in ``<script type="application/json" class="figure-data">`` blocks (one
per figure, the plotly figure dict), drawn by the embedded plotly.js when the file opens.
"""

from __future__ import annotations

import datetime as _dt
import html
import math
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from . import metrics
from .decisions import rule_threshold, threshold_text
from .runs import BinaryRun
from .runs_summary import (LABELS, convergence_word, format_value, relevant, test_accuracy,
                           test_auc, wilson_interval)

RULE_WORDS = {
    "slider": "set by hand", "youden": "best balance (Youden: max TPR − FPR)",
    "target_tpr": "catch at least a share of positives",
    "max_fpr": "flag at most a share of negatives",
    "cost": "cheapest expected cost", "f1": "best F1 score",
}
N_BOOT = 500  # as the Threshold page: the same intervals in the app and in its report


@dataclass(frozen=True)
class ReportRun:
    """What a report says about one run (all text already formatted, numbers from the run).

    ``settings``: (setting, value) pairs; ``metrics``: (metric, value, 95% interval or "");
    ``coefficients``: (model feature, weight, odds factor per +1 standardized unit).
    """

    label: str
    settings: tuple
    evaluated_on: str
    metrics: tuple
    threshold: float
    threshold_reason: str
    coefficients: tuple
    intercept: float
    messages: tuple = ()
    costs: str = ""


def _eval_set(run: BinaryRun, settings: dict):
    """(name, y, p) of the set the metrics use: the test set when there is one."""
    has_test = run.y_test is not None and len(run.y_test) > 0
    if has_test and settings.get("eval_on", "test") == "test":
        return "test", run.y_test, run.p_test
    return "training", run.y_train, run.p_train


def threshold_reason(run: BinaryRun, settings: dict, threshold: float) -> str:
    """Why the threshold is what it is, in one sentence built from the run and the rule.

    A rule chooses T on the training set (the honest choice) unless ``tune_on`` is "test", as
    the app does; the stored value is the decimal the rule's sentence shows.
    """
    t_text = threshold_text(threshold)
    rule = settings.get("rule", "slider")
    if rule == "slider":
        return f"Threshold {t_text}, set by hand."
    has_test = run.y_test is not None and len(run.y_test) > 0
    which = "test" if settings.get("tune_on", "train") == "test" and has_test else "train"
    y, p = (run.y_test, run.p_test) if which == "test" else (run.y_train, run.p_train)
    where = "test set" if which == "test" else "training set"
    if len(np.unique(y)) < 2:
        return (f"Threshold {t_text}; the rule ({RULE_WORDS.get(rule, rule)}) needs both "
                f"classes in the {where}, which holds one only.")
    names = run.class_names
    choice = metrics.choose_threshold(
        y, p, rule, target_tpr=settings.get("target_tpr", 0.9),
        max_fpr=settings.get("max_fpr", 0.1), cost_fp=settings.get("cost_fp", 1.0),
        cost_fn=settings.get("cost_fn", 5.0), prevalence=settings.get("prevalence") or None,
        positive_name=f"'{names[1]}' cases", negative_name=f"'{names[0]}' cases")
    chosen = rule_threshold(choice)
    if chosen != float(threshold):
        return (f"Threshold {t_text}. The chosen rule ({RULE_WORDS.get(rule, rule)}) would pick "
                f"{threshold_text(chosen)} for this run on the {where}.")
    return f"Threshold {t_text}, chosen by a rule on the {where}: {choice.reason}"


def _interval(low, high, fmt="{:.1%}") -> str:
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    return f"{fmt.format(low)} – {fmt.format(high)}"


def cost_report(y, p, threshold: float, names, which: str, cost_fp: float, cost_fn: float,
                prevalence: Optional[float] = None) -> tuple:
    """The misclassification costs and the expected cost at ``threshold``, as the Threshold page
    shows them: ``(sentence, metric rows)``.

    ``y``, ``p``: 0/1 labels and positive-class scores of the set the metrics use (``which``:
    "test" or "training", both classes present); ``names``: (negative, positive) class names;
    ``prevalence``: the share of positives where the model will be used (None or 0: the set's
    own). Costs per 1,000 cases from :func:`logreg.metrics.expected_cost`.
    """
    share = float(np.mean(y))
    own = metrics.expected_cost(y, p, threshold, cost_fp, cost_fn)
    rows = [("Expected cost per 1,000 cases", f"{own:,.1f}", "")]
    sentence = (f"Costs set on the Threshold page: a false alarm (a '{names[0]}' case flagged "
                f"as '{names[1]}') costs {cost_fp:g}, a miss (a '{names[1]}' case let through) "
                f"costs {cost_fn:g}. At T = {threshold_text(threshold)} the expected cost is "
                f"{own:,.1f} per 1,000 cases on the {which} set, with its {share:.2%} positives")
    if prevalence and prevalence != share:
        there = metrics.expected_cost(y, p, threshold, cost_fp, cost_fn, prevalence=prevalence)
        rows.append((f"Expected cost per 1,000 cases at {prevalence:.2%} positives",
                     f"{there:,.1f}", ""))
        sentence += (f", and {there:,.1f} per 1,000 at {prevalence:.2%} positives, the share "
                     "entered for where the model will be used")
    return sentence + ".", tuple(rows)


def describe_run(run: BinaryRun, *, label: str, settings: dict, threshold: float,
                 accuracy: Optional[float] = None, with_costs: bool = False) -> ReportRun:
    """The report's view of one run at ``threshold``.

    ``settings``: the app's settings of the run (names as in the app's table); ``accuracy``: the
    test accuracy the app shows, when the metrics are on the test set (else computed here);
    ``with_costs``: state the costs of ``settings`` (``cost_fp``, ``cost_fn``, ``prevalence``)
    and the expected cost at ``threshold`` (see :func:`cost_report`).
    """
    which, y, p = _eval_set(run, settings)
    flagged = p >= threshold
    if which == "test":
        acc = test_accuracy(run, threshold) if accuracy is None else float(accuracy)
    else:
        acc = float((flagged == (y == 1)).mean())
    n = len(y)
    acc_low, acc_high = wilson_interval(int(round(acc * n)), n)
    rows = [("Accuracy", f"{acc:.1%}", _interval(acc_low, acc_high))]
    if 0 < int(y.sum()) < n:
        rates = metrics.bootstrap_rates(y, p, threshold, n_boot=N_BOOT, random_state=0)
        rows += [("True positive rate (recall)", f"{rates.tpr:.1%}",
                  _interval(rates.tpr_low, rates.tpr_high)),
                 ("False positive rate", f"{rates.fpr:.1%}",
                  _interval(rates.fpr_low, rates.fpr_high))]
        auc = test_auc(run) if which == "test" else float(metrics.roc_auc(y, p))
        rows.append(("AUC (area under the ROC curve)", f"{auc:.3f}", ""))
    costs = ""
    if with_costs and 0 < int(y.sum()) < n:
        costs, cost_rows = cost_report(y, p, threshold, run.class_names, which,
                                       float(settings["cost_fp"]), float(settings["cost_fn"]),
                                       settings.get("prevalence") or None)
        rows += list(cost_rows)
    history = run.model.history_
    val = history.get("val_loss")
    rows.append(("Training log-loss", f"{history['data_loss'][-1]:.3f}", ""))
    if val is not None and len(val):
        rows.append(("Test log-loss", f"{val[-1]:.3f}", ""))
    rows.append(("Epochs run", f"{run.model.n_iter_:,}", ""))
    rows.append(("Converged", convergence_word(run.model), ""))
    coef = np.asarray(run.model.coef_, dtype=float).ravel()
    intercept = float(np.asarray(run.model.intercept_, dtype=float).ravel()[0])
    order = np.argsort(-np.abs(coef), kind="stable")
    coefs = tuple((str(run.features.names[j]), float(coef[j]),
                   float(np.exp(np.clip(coef[j], -700, 700)))) for j in order)
    shown = tuple((LABELS.get(k, k), format_value(k, v)) for k, v in relevant(settings).items())
    return ReportRun(label=label, settings=shown, evaluated_on=which, metrics=tuple(rows),
                     threshold=float(threshold),
                     threshold_reason=threshold_reason(run, settings, threshold),
                     coefficients=coefs, intercept=intercept, messages=tuple(run.messages),
                     costs=costs)


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto;
       max-width: 1180px; color: #222; line-height: 1.45; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; } .date { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6rem 0 1.2rem; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.7rem; text-align: left; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.figure { margin: 1rem 0 2rem; }
.note { color: #7a4b00; background: #fff6e0; padding: 0.4rem 0.7rem; }
section.run { border-top: 2px solid #ddd; margin-top: 2rem; }
"""

_DRAW = """
document.querySelectorAll('script.figure-data').forEach(function (block) {
  var spec = JSON.parse(block.textContent);
  var div = document.getElementById(block.dataset.target);
  Plotly.newPlot(div, spec.data, spec.layout, {responsive: true, displaylogo: false});
});
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _table(header: Sequence[str], rows, numeric=()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if i in numeric else ''}>{_e(c)}</td>"
                         for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure_json(fig) -> str:
    """The figure dict as JSON safe inside a <script> element."""
    import plotly.io as pio

    text = pio.to_json(fig, validate=False, remove_uids=True)
    return text.replace("</", "<\\/")


def _run_section(run: ReportRun, heading_level: int = 2) -> str:
    h = f"h{heading_level}"
    parts = [f"<section class='run'><{h}>{_e(run.label)}</{h}>"]
    for message in run.messages:
        parts.append(f"<p class='note'>{_e(message)}</p>")
    parts.append("<h3>Settings</h3>" + _table(("setting", "value"), run.settings))
    parts.append(f"<h3>Threshold</h3><p>{_e(run.threshold_reason)}</p>")
    if run.costs:
        parts.append(f"<p class='costs'>{_e(run.costs)}</p>")
    parts.append(f"<h3>Metrics on the {_e(run.evaluated_on)} set</h3>"
                 + _table(("metric", "value", "95% interval"), run.metrics, numeric=(1,)))
    parts.append(
        "<h3>Coefficients</h3><p>Weights of the model features (each standardized on the "
        "training rows); the odds factor is how the odds of the positive class change per "
        f"+1 standard unit. Intercept: {run.intercept:.4f}.</p>"
        + _table(("model feature", "weight", "odds factor"),
                 [(n, f"{w:.4f}", f"{o:.3g}") for n, w, o in run.coefficients], numeric=(1, 2)))
    parts.append("</section>")
    return "".join(parts)


def html_report(*, title: str, data_summary: Sequence[str], runs: Sequence[ReportRun],
                figures: Sequence[tuple] = (), sentences: Sequence[str] = (),
                created: Optional[_dt.datetime] = None) -> str:
    """One self-contained HTML document (plotly.js embedded: it opens offline).

    Parameters
    ----------
    title : str
    data_summary : sentences about the data (name, size, classes, split).
    runs : one :class:`ReportRun` per run (a report of one run, or of compared runs).
    figures : (caption, plotly figure) pairs, drawn interactive in this order.
    sentences : comparison sentences (one per pair of runs), listed under the title.
    created : the report's date and time (default: now, local time).

    Returns
    -------
    str
        The HTML text (UTF-8 when saved).
    """
    from plotly.offline import get_plotlyjs

    created = created or _dt.datetime.now()
    body = [f"<h1>{_e(title)}</h1>",
            f"<p class='date'>Made on {_e(created.strftime('%Y-%m-%d %H:%M'))} with the logreg "
            "playground.</p>",
            "<h2>Data</h2>" + "".join(f"<p>{_e(s)}</p>" for s in data_summary)]
    if sentences:
        body.append("<h2>How the runs differ</h2><ul>"
                    + "".join(f"<li>{_e(s)}</li>" for s in sentences) + "</ul>")
    body.extend(_run_section(r) for r in runs)
    if figures:
        body.append("<h2>Figures</h2><p>Interactive: hover for values, drag to zoom, "
                    "double-click to reset.</p>")
    for i, (caption, fig) in enumerate(figures):
        body.append(f"<div class='figure'><div id='figure-{i}' aria-label='{_e(caption)}'></div>"
                    f"<script type='application/json' class='figure-data' data-target='figure-{i}'"
                    f" data-caption='{_e(caption)}'>{_figure_json(fig)}</script></div>")
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(title)}</title><style>{_STYLE}</style>"
            f"<script>{get_plotlyjs()}</script></head><body>{''.join(body)}"
            f"<script>{_DRAW}</script></body></html>")
