"""Files that leave the app: the HTML report of a run (or compared runs) and the reproduce script.

Both are built in the script run, never in a ``download_button`` callable: an error in a callable
only reaches the server log, and the user gets no file and no word. Here a failure is shown as a
plain sentence where the button would be.

The report (a few MB: plotly.js is inside) is built when asked for ("Prepare the report") and
kept for exactly the run it describes: another run or threshold puts the prepare button back.
"""

from __future__ import annotations

import re
from typing import Callable

import streamlit as st

from logreg import decisions, figures, report, reproduce, run_figures, runs_summary
from logreg.data import describe

from . import compute, data_source, glossary, history, state

PREPARED_KEY = "prepared_downloads"  # {slot: (token, bytes)}
BOUNDARY_RES = 120


def _file_stem(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", str(text)).strip("-")[:60] or "run"


def _failure(what: str, exc: Exception) -> None:
    if isinstance(exc, ValueError):
        st.error(f"The {what} could not be made: {exc}", icon=":material/warning:")
    else:
        st.error(f"Sorry, the {what} could not be made ({type(exc).__name__}: {exc}). The rest "
                 "of the app keeps working: try again, or change a setting.",
                 icon=":material/sentiment_dissatisfied:")


def prepared_download(slot: str, token: str, build: Callable[[], bytes], *, what: str,
                      file_name: str, mime: str, help: str) -> None:
    """A "Prepare" button that builds the file, then the download button for exactly ``token``."""
    store = st.session_state.setdefault(PREPARED_KEY, {})
    ready = store.get(slot)
    if ready is None or ready[0] != token:
        store.pop(slot, None)  # a file of another run is never offered
        if not st.button(f"Prepare the {what}", key=f"{slot}_prepare", help=glossary.tip(help),
                         icon=":material/description:", width="stretch"):
            return
        try:
            with st.spinner(f"Making the {what}..."):
                store[slot] = ready = (token, build())
        except Exception as exc:  # noqa: BLE001 - the user must see that the file failed
            _failure(what, exc)
            return
    st.download_button(f"Download the {what}", ready[1], file_name=file_name, mime=mime,
                       key=f"{slot}_download", on_click="ignore", type="primary",
                       icon=":material/download:", width="stretch")


def data_summary(dataset, train, test, positive_name: str) -> list:
    n_test = 0 if test is None else test.n_samples
    lines = [f"{dataset.name}: {describe(dataset)}.",
             f"Split: {train.n_samples:,} training rows and {n_test:,} test rows (each class "
             "keeps its share in both).",
             f"Positive class (predicted as 1): '{positive_name}'."]
    return lines + list(dataset.notes)


def single_report(ctx, run, threshold: float, accuracy) -> bytes:
    """The HTML report of the Train page's run at ``threshold``."""
    settings = history.current_settings()
    label = runs_summary.run_name(settings)
    epoch = run.model.n_iter_
    figs = [("Decision boundary", compute.boundary_figure(ctx.key, epoch, threshold,
                                                          BOUNDARY_RES, run)),
            ("Loss while training", compute.loss_figure(ctx.key, threshold, epoch, run)),
            ("Weights", compute.coef_figure(ctx.key, epoch, run))]
    if run.p_test is not None and len(set(run.y_test.tolist())) == 2:
        c = compute.curves(ctx.key, "test", run.y_test, run.p_test)
        figs.insert(2, ("ROC curve", figures.roc_figure(c["fpr"], c["tpr"], auc=c["auc"],
                                                        title="ROC curve on the test set")))
    described = report.describe_run(run, label=label, settings=settings, threshold=threshold,
                                    accuracy=accuracy, with_costs=costs_were_set(settings))
    text = report.html_report(
        title=f"Logistic regression on {ctx.dataset.name}: {label}",
        data_summary=data_summary(ctx.dataset, ctx.train, ctx.test,
                                  ctx.dataset.class_names[ctx.positive]),
        runs=[described], figures=figs)
    return text.encode("utf-8")


def report_token(ctx, threshold: float, accuracy) -> str:
    """What the prepared report depends on: the run, T, the accuracy shown and the settings the
    report states (the costs, the rule and its set), so a changed cost is never offered stale."""
    settings = history.current_settings()
    return f"{ctx.key}|{threshold!r}|{accuracy!r}|{sorted(settings.items())!r}"


def costs_were_set(settings: dict) -> bool:
    """Whether the user set the Threshold page's costs (other than the defaults, or a share of
    positives) or lets them choose T (the cheapest-cost rule): then the report states them."""
    changed = any(settings.get(name) != state.BY_NAME[name].default
                  for name in ("cost_fp", "cost_fn", "prevalence"))
    return changed or settings.get("rule") == "cost"


def script_text(ctx, run, threshold: float) -> str:
    stopped = getattr(run.model, "stopped_early_", False)
    target = st.session_state.get("upload_target")
    text = reproduce.reproduce_script(
        history.current_settings(), ctx.settings, threshold=threshold,
        positive_name=ctx.dataset.class_names[ctx.positive], upload_target=target,
        epochs_run=run.model.n_iter_ if stopped else None)
    return _read_only_kept_columns(text, target or None)


def _read_only_kept_columns(text: str, target) -> str:
    """The script reads the upload as the app did: when left-out columns made the app read the
    file again without them (their empty cells then drop no rows), so does the script."""
    keep = data_source.reread_features()
    line = f"dataset = read_csv(CSV_PATH, target={target!r})"
    if not keep or line not in text:
        return text
    return text.replace(line, f"dataset = read_csv(CSV_PATH, target={target!r},\n"
                              f"                   features={keep!r})  # without the left-out "
                              "columns: their empty cells drop no rows")


def train_downloads(ctx, run, threshold: float) -> None:
    """The Train page's report and reproduce-script downloads (one call from the page)."""
    accuracy = history.shown_accuracy(ctx, run, threshold)
    st.markdown("**Share or rebuild this run**")
    c1, c2 = st.columns(2)
    stem = _file_stem(ctx.dataset.name)
    with c1:
        prepared_download(
            "train_report", report_token(ctx, threshold, accuracy),
            lambda: single_report(ctx, run, threshold, accuracy), what="report (HTML)",
            file_name=f"report-{stem}.html", mime="text/html",
            help=glossary.tip("One HTML file with the data, settings, metrics with intervals, the threshold "
                 "and why, the weights and the interactive figures. It opens in any browser, "
                 "offline."))
    with c2:
        try:
            text = script_text(ctx, run, threshold)
        except Exception as exc:  # noqa: BLE001 - say so instead of offering no file silently
            _failure("Python script", exc)
        else:
            st.session_state["reproduce_script"] = text  # what the button offers (for tests)
            st.download_button("Download a Python script that rebuilds it", text.encode("utf-8"),
                               file_name=f"rebuild-{stem}.py", mime="text/x-python",
                               key="train_script_download", on_click="ignore",
                               icon=":material/code:", width="stretch",
                               help=glossary.tip("Plain Python using this project's logreg package: data, "
                                    "split, features and model with these settings. Run it "
                                    "from the project folder; its last two lines print the "
                                    "test accuracy and AUC shown here."))
    if state.get("source") == "upload":
        st.caption("The report and script name your file but do not contain it; the script "
                   "reads it from the path written at its top.")


def threshold_downloads(ctx, run, threshold: float) -> None:
    """The Threshold page's files at the T on screen: the predictions of every row and the run's
    report (the same prepared report as the Train page's)."""
    t_text = decisions.threshold_text(threshold)
    st.markdown(f"**Take T = {t_text} with you**")
    c1, c2 = st.columns(2)
    stem = _file_stem(ctx.dataset.name)
    c1.download_button("Download predictions (CSV)",
                       data_source.predictions_file(ctx.dataset, run, threshold),
                       file_name=f"predictions-{stem}.csv", mime="text/csv",
                       key="threshold_predictions_download", on_click="ignore",
                       icon=":material/table:", width="stretch",
                       help=predictions_help(ctx.dataset, f"the class predicted at T = {t_text}"))
    accuracy = history.shown_accuracy(ctx, run, threshold)
    with c2:
        prepared_download(
            "train_report", report_token(ctx, threshold, accuracy),
            lambda: single_report(ctx, run, threshold, accuracy), what="report (HTML)",
            file_name=f"report-{stem}.html", mime="text/html",
            help=glossary.tip(f"One HTML file with the data, settings, T = {t_text} and why, "
                 "the test-set metrics at it with intervals, the weights and the figures. It "
                 "opens in any browser, offline."))


def predictions_help(dataset, predicted: str) -> str:
    """The predictions download's tooltip: what each line holds and exactly what ``row`` is.

    ``predicted`` names the last column's content ("the class predicted at T = 0.5").
    """
    upload = state.get("source") == "upload"
    row = ("its row number in your file (1 = the first row under the column names)" if upload
           else "its row number in the data (from 1)")
    words = f"Every row of the data: {row}, split (train or test), both probabilities and {predicted}."
    if upload and dataset.source_rows is not None:
        words += (" Rows dropped for empty cells are not in it; the others keep their numbers, "
                  "so 'row' joins each line to the same row of your file.")
    return glossary.tip(words)


def compare_report(chosen, runs) -> bytes:
    """The HTML report of 2-4 compared history entries (``runs``: their trained runs)."""
    first = chosen[0]
    dataset = history.dataset_of(first)
    train, test = compute.split(dataset.content_hash, first.settings["test_size"],
                                first.settings["data_seed"], dataset)
    figs = [(f"Decision boundary of {e.label}",
             compute.boundary_figure(e.key, r.model.n_iter_, e.scores.threshold, BOUNDARY_RES, r,
                                     subtitle=e.label)) for e, r in zip(chosen, runs)]
    figs += [("Loss while training", loss_overlay(chosen, runs)),
             ("ROC curves", roc_overlay(chosen, runs)),
             ("Weights side by side", weights_overlay(chosen, runs))]
    described = [report.describe_run(r, label=e.label, settings=e.settings,
                                     threshold=e.scores.threshold,
                                     accuracy=e.scores.test_accuracy)
                 for e, r in zip(chosen, runs)]
    text = report.html_report(
        title=f"{len(chosen)} runs compared on {dataset.name}",
        data_summary=data_summary(dataset, train, test, first.positive_name),
        runs=described, figures=figs, sentences=history.pair_sentences(chosen))
    return text.encode("utf-8")


# The comparison figures, shared by the Runs page and its report ------------------------------

def loss_overlay(chosen, runs):
    return figures.compare_loss_figure(
        [(e.label, r.epochs, r.model.history_["data_loss"], r.model.history_.get("val_loss"))
         for e, r in zip(chosen, runs)],
        title="Loss while training (dashed: test set)")


def roc_overlay(chosen, runs):
    curves = []
    for e, r in zip(chosen, runs):
        if r.p_test is None or len(set(r.y_test.tolist())) < 2:
            continue
        c = compute.curves(e.key, "test", r.y_test, r.p_test)
        curves.append((e.label, c["fpr"], c["tpr"], c["auc"]))
    return run_figures.roc_overlay_figure(curves)


def weights_overlay(chosen, runs):
    return run_figures.weights_compare_figure(
        [(e.label, list(r.features.names), r.model.coef_.ravel()) for e, r in zip(chosen, runs)])


def link_note() -> None:
    """What a copied link carries (said wherever a link is worth copying)."""
    if state.get("source") == "upload":
        name = data_source.safe_file_name(state.get("upload_name")) or "your file"
        st.caption(f"The page link carries every setting and the file's name ({name}), not the "
                   "file: whoever opens it is asked to upload it.")
    else:
        st.caption("The page link carries every setting: copy it from the address bar to share "
                   "exactly this view.")
