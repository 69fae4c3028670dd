"""Runs page: the run history (add, star, rename, delete, restore, limit, stale), the comparison
views against freshly trained runs, the HTML report and the reproduce script (run in a
subprocess on generated, built-in and uploaded data), and the link of an uploaded-data state."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from logreg import pipeline

from .conftest import (ROOT, assert_clean, charts, goto, new_app, reference_run, state,
                       trace, upload, values)


def noisy_csv(seed=5, n=120) -> bytes:
    """Overlapping classes (AUC well below 1), three features, the target last."""
    rng = np.random.default_rng(seed)
    lines = ["size,age,score,label"]
    for i in range(n):
        label = "yes" if i % 3 == 0 else "no"
        shift = 0.8 if label == "yes" else 0.0
        a, b, c = rng.normal(shift, 1.0), rng.normal(-shift, 1.5), rng.normal(0, 1)
        lines.append(f"{a:.4f},{b:.4f},{c:.4f},{label}")
    return ("\n".join(lines) + "\n").encode()


def history(at):
    return at.session_state["run_history"]


def table(at):
    """The run history table (the compared runs' weights table may stand before it)."""
    return next(d.value for d in at.dataframe if "run" in d.value.columns)


def train_with(at, **widgets):
    """Set Train page widgets one after the other (each rerun trains and records a run)."""
    for key, value in widgets.items():
        widget = at.select_slider(key=f"w_{key}") if key in ("learning_rate", "epochs",
                                                             "reg_strength", "batch_size") \
            else at.slider(key=f"w_{key}") if key in ("degree", "threshold") \
            else at.selectbox(key=f"w_{key}")
        widget.set_value(value).run()
        assert_clean(at)
    return at


def press(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert_clean(at)
    return at


# ------------------------------------------------------------------------------------------------
# History
# ------------------------------------------------------------------------------------------------

def test_history_records_each_distinct_run_with_true_numbers(app):
    at = goto(app.run(), "train")
    train_with(at, learning_rate=0.1, degree=2)
    at.slider(key="w_threshold").set_value(0.4).run()  # same run, another threshold: no new row
    entries = history(at)
    assert [e.number for e in entries] == [3, 2, 1]
    assert entries[0].name == "GD, α 0.1, degree 2"
    assert entries[2].name == "GD, α 0.5, degree 1"

    goto(at, "compare")
    rows = table(at)
    assert list(rows["run"]) == ["#3", "#2", "#1"]
    assert list(rows["changed"]) == ["degree 1 → 2, threshold 0.50 → 0.40",
                                                  "α 0.5 → 0.1", ""]
    assert list(rows["status"]) == ["current", "", ""]

    # Every number of the newest row, against the same run trained from scratch.
    ref = reference_run(at)
    p = ref.p_test
    acc = float(((p >= 0.4) == (ref.y_test == 1)).mean())
    row = rows.iloc[0]
    assert row["T"] == "0.40"
    assert row["test accuracy"] == f"{acc:.1%}"
    assert row["AUC"] == f"{roc_auc_score(ref.y_test, p):.3f}"
    assert row["train loss"] == f"{ref.model.history_['data_loss'][-1]:.3f}"
    assert row["test loss"] == f"{ref.model.history_['val_loss'][-1]:.3f}"
    assert row["epochs"] == f"{ref.model.n_iter_:,}"
    from sklearn.metrics import log_loss
    assert row["test loss"] == f"{log_loss(ref.y_test, p):.3f}"


def test_star_rename_delete_and_restore(app):
    at = goto(app.run(), "train")
    train_with(at, learning_rate=0.1, degree=3)
    goto(at, "compare")
    at.selectbox(key="runs_pick").set_value(1).run()  # the first run: α 0.5, degree 1
    press(at, "Star")
    assert history(at)[-1].starred and table(at).iloc[-1]["★"] == "★"
    press(at, "Unstar")
    assert not history(at)[-1].starred

    at.text_input(key="rename_1").input("baseline").run()
    press(at, "Rename")
    assert history(at)[-1].label == "#1 baseline"
    assert table(at).iloc[-1]["name"] == "baseline"

    press(at, "Make it the current run")
    assert state(at, "learning_rate") == 0.5 and state(at, "degree") == 1
    assert list(table(at)["status"]) == ["", "", "current"]
    goto(at, "train")  # the controls follow
    assert at.select_slider(key="w_learning_rate").value == 0.5
    assert at.slider(key="w_degree").value == 1
    assert len(history(at)) == 3  # restoring adds no run

    goto(at, "compare")
    at.selectbox(key="runs_pick").set_value(2).run()
    press(at, "Delete")
    assert [e.number for e in history(at)] == [3, 1]
    assert list(table(at)["run"]) == ["#3", "#1"]


def test_history_keeps_the_limit_and_says_what_was_dropped(app, monkeypatch):
    from ui import history as ui_history

    monkeypatch.setattr(ui_history, "LIMIT", 3)
    at = goto(app.run(), "train")
    goto(at, "compare")
    at.selectbox(key="runs_pick").set_value(1).run()
    press(at, "Star")  # run #1 is starred: kept when the history is full
    goto(at, "train")
    train_with(at, learning_rate=0.1, degree=2, epochs=100)  # runs #2, #3, #4
    assert [e.number for e in history(at)] == [4, 3, 1]  # #2, the oldest unstarred, dropped
    assert any("#2 GD, α 0.1, degree 1, was dropped" in t.value for t in at.toast)
    goto(at, "compare")
    assert any("#2 GD, α 0.1, degree 1" in i.value and "was dropped" in i.value for i in at.info)
    assert any("#2 GD, α 0.1, degree 1" in c.value and "Dropped" in c.value for c in at.caption)
    goto(at, "compare")  # the notice is shown once, the caption stays
    assert not any("was dropped" in i.value for i in at.info)


def test_runs_on_a_replaced_upload_are_stale_and_not_compared(app):
    at = upload(app.run(), "first.csv", noisy_csv(seed=5))
    goto(at, "train")
    at = goto(at, "data")
    at.get("file_uploader")[0].set_value(("second.csv", noisy_csv(seed=9), "text/csv")).run()
    goto(at, "train")
    goto(at, "compare")
    assert list(table(at)["status"]) == ["current", "stale: file replaced"]
    assert list(table(at)["data"]) == ["second.csv", "first.csv"]
    at.multiselect(key="runs_compare_widget").set_value([2, 1]).run()
    assert any("first.csv, which has since been replaced" in w.value for w in at.warning)
    assert not charts(at)
    at.selectbox(key="runs_pick").set_value(1).run()
    assert next(b for b in at.button if b.label == "Make it the current run").disabled


def test_a_run_with_a_left_out_column_of_the_upload_is_not_called_stale(app):
    """Its data is the upload without that column: still here, so it can be restored and
    compared (it was called "replaced by another upload")."""
    at = upload(app.run(), "first.csv", noisy_csv(seed=5))
    goto(at, "train")
    at = goto(at, "data")
    at.multiselect(key="data_features_out").set_value(["score"]).run()
    goto(at, "train")
    goto(at, "compare")
    assert not any("stale" in str(s) for s in table(at)["status"])
    assert list(table(at)["data"]) == ["first.csv without score", "first.csv"]
    at.multiselect(key="runs_compare_widget").set_value([2, 1]).run()
    assert not any("replaced" in w.value for w in at.warning)
    # Not the same columns: not compared, and the message names the difference.
    assert any("first.csv without score" in w.value and "different data" in w.value
               for w in at.warning)
    at.selectbox(key="runs_pick").set_value(1).run()
    assert not next(b for b in at.button if b.label == "Make it the current run").disabled


def test_runs_on_other_data_are_not_compared(app):
    at = goto(app.run(), "train")
    at = goto(at, "data")
    at.slider(key="w_noise").set_value(0.4).run()
    goto(at, "train")
    goto(at, "compare")
    at.multiselect(key="runs_compare_widget").set_value([2, 1]).run()
    assert any("different data" in w.value for w in at.warning)
    assert not charts(at)


# ------------------------------------------------------------------------------------------------
# Compare views against fresh runs
# ------------------------------------------------------------------------------------------------

def test_compare_views_match_fresh_runs(app):
    at = goto(app.run(), "train")
    train_with(at, penalty="l2", reg_strength=0.1, degree=2)
    goto(at, "compare")
    entries = {e.number: e for e in history(at)}
    chosen = [4, 1]  # α 0.5 L2 λ 0.1 degree 2, and the default run
    at.multiselect(key="runs_compare_widget").set_value(chosen).run()
    assert_clean(at)
    refs = {4: reference_run(at), 1: reference_run(at, penalty="none", degree=1)}
    figs = charts(at)
    for n in chosen:
        ref, label = refs[n], entries[n].label
        loss = values(trace(figs["cmp_loss"], f"{label}: train loss")["y"]).astype(float)
        np.testing.assert_allclose(loss, ref.model.history_["data_loss"], rtol=1e-9)
        auc = roc_auc_score(ref.y_test, ref.p_test)
        roc = trace(figs["cmp_roc"], label)
        assert roc["name"].endswith(f"(AUC {auc:.3f})")
        bars = trace(figs["cmp_weights"], label)
        got = dict(zip(values(bars["y"]).tolist(), values(bars["x"]).astype(float)))
        want = dict(zip(ref.features.names, ref.model.coef_.ravel()))
        assert set(got) == set(want)
        for name in want:
            assert got[name] == pytest.approx(want[name], rel=1e-9, abs=1e-12)
        xs, ys, proba = pipeline.boundary_grid(ref, resolution=120)
        (heat,) = [t for t in figs[f"cmp_boundary_{n}"]["data"] if t["type"] == "heatmap"]
        np.testing.assert_allclose(values(heat["z"]).astype(float), np.round(proba * 100),
                                   atol=1.0)
        np.testing.assert_allclose(values(heat["x"]).astype(float), xs)
    # The weights table: a column per run headed by its number (the chart's legend names it),
    # a blank where a run has no such feature (degree 1 has no squares).
    table = next(d.value for d in at.dataframe if "#4" in d.value.columns)
    assert list(table.columns) == ["#4", "#1"]
    for n in chosen:
        want = dict(zip(refs[n].features.names, refs[n].model.coef_.ravel()))
        for name, cell in table[f"#{n}"].items():
            if name in want:
                assert float(cell) == pytest.approx(want[name], abs=5e-5)
            else:
                assert cell == ""
    assert at.multiselect(key="runs_compare_widget").label == "Compare runs side by side (2 to 4)"
    # Same axes: every small multiple spans the same plane.
    ranges = {json.dumps([figs[f"cmp_boundary_{n}"]["layout"]["xaxis"]["range"],
                          figs[f"cmp_boundary_{n}"]["layout"]["yaxis"]["range"]])
              for n in chosen}
    assert len(ranges) == 1

    # The sentence is built from the two runs' settings and numbers.
    sentence = next(m.value for m in at.markdown if m.value.startswith("- #4"))
    acc4 = float(((refs[4].p_test >= 0.5) == (refs[4].y_test == 1)).mean())
    acc1 = float(((refs[1].p_test >= 0.5) == (refs[1].y_test == 1)).mean())
    assert "penalty (L2 against none)" in sentence and "degree (2 against 1)" in sentence
    if f"{acc4:.1%}" != f"{acc1:.1%}":
        assert f"test accuracy ({acc4:.1%} against {acc1:.1%})" in sentence
        assert ("better test accuracy" in sentence) == (acc4 > acc1)


# ------------------------------------------------------------------------------------------------
# The HTML report
# ------------------------------------------------------------------------------------------------

class _Report(HTMLParser):
    """Collects the figure JSON blocks, the tables (rows of cell texts) and the h1."""

    def __init__(self):
        super().__init__()
        self.figures, self.tables, self.h1, self.scripts = [], [], "", 0
        self._stack, self._text = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._stack.append((tag, attrs))
        self._text = []
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        text = "".join(self._text)
        _, attrs = self._stack.pop()
        if tag == "script" and "figure-data" in (attrs.get("class") or ""):
            self.figures.append((attrs.get("data-caption"), json.loads(text)))
        elif tag in ("td", "th"):
            self.tables[-1][-1].append(text)
        elif tag == "h1":
            self.h1 = text
        self._text = []

    def handle_data(self, data):
        self._text.append(data)


def parse_report(html_bytes: bytes) -> _Report:
    parser = _Report()
    parser.feed(html_bytes.decode("utf-8"))
    return parser


def prepared(at, slot):
    return at.session_state["prepared_downloads"][slot][1]


def test_train_report_holds_the_figures_data_and_the_tables(app):
    at = goto(app.run(), "train")
    train_with(at, penalty="l2", reg_strength=0.01, degree=2)
    press(at, "Prepare the report (HTML)")
    assert any(b.proto.label == "Download the report (HTML)" for b in at.get("download_button"))
    html = prepared(at, "train_report")
    assert len(html) > 1_000_000 and b"https://cdn" not in html[:200]  # plotly.js inside
    report = parse_report(html)
    assert report.h1.startswith("Logistic regression on moons: GD, α 0.5, L2 λ 0.01, degree 2")
    ref = reference_run(at)
    figs = dict(report.figures)
    loss = values(trace(figs["Loss while training"], "train loss")["y"]).astype(float)
    np.testing.assert_allclose(loss, ref.model.history_["data_loss"], rtol=1e-9)
    auc = roc_auc_score(ref.y_test, ref.p_test)
    assert any(f"AUC {auc:.3f}" in str(t.get("name")) for t in figs["ROC curve"]["data"])
    assert "Decision boundary" in figs and "Weights" in figs

    settings, metrics, coefs = report.tables[0], report.tables[1], report.tables[2]
    assert ["λ", "0.01"] in settings and ["degree", "2"] in settings
    rows = {r[0]: r[1:] for r in metrics}
    acc = float(((ref.p_test >= 0.5) == (ref.y_test == 1)).mean())
    assert rows["Accuracy"][0] == f"{acc:.1%}"
    from statsmodels.stats.proportion import proportion_confint
    lo, hi = proportion_confint(round(acc * len(ref.y_test)), len(ref.y_test), method="wilson")
    assert rows["Accuracy"][1] == f"{lo:.1%} – {hi:.1%}"
    assert rows["AUC (area under the ROC curve)"][0] == f"{auc:.3f}"
    want = dict(zip(ref.features.names, ref.model.coef_.ravel()))
    got = {r[0]: float(r[1]) for r in coefs[1:]}
    assert set(got) == set(want)
    for name, w in want.items():
        assert got[name] == pytest.approx(w, abs=6e-5)

    # Another run: the prepared file is not offered for it.
    at.slider(key="w_degree").set_value(1).run()
    assert not at.get("download_button") or all(
        b.proto.label != "Download the report (HTML)" for b in at.get("download_button"))
    assert any(b.label == "Prepare the report (HTML)" for b in at.button)


def test_compare_report_holds_every_run(app):
    at = goto(app.run(), "train")
    train_with(at, degree=2)
    goto(at, "compare")
    press(at, "Prepare the comparison report (HTML)")
    report = parse_report(prepared(at, "compare_report"))
    assert report.h1 == "2 runs compared on moons"
    captions = [c for c, _ in report.figures]
    assert captions[:2] == ["Decision boundary of #2 GD, α 0.5, degree 2",
                            "Decision boundary of #1 GD, α 0.5, degree 1"]
    assert {"Loss while training", "ROC curves", "Weights side by side"} <= set(captions)
    sentences = [m.value[2:] for m in at.markdown if m.value.startswith("- #")]
    html_text = prepared(at, "compare_report").decode()
    for s in sentences:
        assert s.replace("'", "&#x27;") in html_text


def test_report_failure_is_said_in_words(app, monkeypatch):
    from ui import downloads

    def broken(*args, **kwargs):
        raise ValueError("the figures could not be drawn")

    monkeypatch.setattr(downloads.report, "html_report", broken)
    at = goto(app.run(), "train")
    next(b for b in at.button if b.label == "Prepare the report (HTML)").click().run()
    assert any("The report (HTML) could not be made: the figures could not be drawn" in e.value
               for e in at.error)
    assert not at.exception


def test_script_failure_is_said_in_words(app, monkeypatch):
    from ui import downloads

    def broken(*args, **kwargs):
        raise ValueError("the settings could not be written")

    monkeypatch.setattr(downloads.reproduce, "reproduce_script", broken)
    at = goto(app.run(), "train", clean=False)
    assert [e.value for e in at.error] == [
        "The Python script could not be made: the settings could not be written"]
    assert not any(b.proto.label.startswith("Download a Python script")
                   for b in at.get("download_button"))
    assert not at.exception


# ------------------------------------------------------------------------------------------------
# The reproduce script, run in a subprocess
# ------------------------------------------------------------------------------------------------

def run_script(text: str, cwd, tmp_path) -> dict:
    path = tmp_path / "rebuild.py"
    path.write_text(text)
    done = subprocess.run([sys.executable, str(path)], cwd=cwd, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    last_two = done.stdout.strip().splitlines()[-2:]
    assert [line.split("=")[0] for line in last_two] == ["test_accuracy", "test_auc"]
    return {k: float(v) for k, v in (line.split("=") for line in last_two)}


def assert_script_prints_the_apps_numbers(at, text: str, cwd, tmp_path) -> None:
    """The reproduce script ``text``, run in ``cwd``, prints the test accuracy and AUC the app
    shows for its newest run (to 5e-7)."""
    got, want = run_script(text, cwd, tmp_path), app_numbers(at)
    assert got["test_accuracy"] == pytest.approx(want["test_accuracy"], abs=5e-7)
    assert got["test_auc"] == pytest.approx(want["test_auc"], abs=5e-7)


def app_numbers(at) -> dict:
    entry = history(at)[0]
    shown = float(re.sub("%", "", next(m.value for m in at.metric
                                       if m.label == "Test accuracy"))) / 100
    assert entry.scores.test_accuracy == pytest.approx(shown, abs=5e-4)
    return {"test_accuracy": entry.scores.test_accuracy, "test_auc": entry.scores.auc}


@pytest.mark.slow
@pytest.mark.parametrize("source", ["generate", "builtin", "upload"])
def test_reproduce_script_prints_the_apps_numbers(app, source, tmp_path):
    at = app.run()
    cwd = ROOT
    if source == "builtin":
        at.radio(key="w_source").set_value("builtin").run()
        at.selectbox(key="w_builtin").set_value("iris").run()
        # A column left out on the Data page is left out by the script too.
        at.multiselect(key="data_features_out").set_value(["sepal width (cm)"]).run()
        assert state(at, "features_out") == "sepal width (cm)"
    elif source == "upload":
        upload(at, "survey.csv", noisy_csv())
        (tmp_path / "survey.csv").write_bytes(noisy_csv())
    else:
        at.selectbox(key="w_kind").set_value("circles").run()
    goto(at, "train")
    train_with(at, degree=2, penalty="l2", reg_strength=0.01, epochs=100, threshold=0.35)
    if source == "generate":
        # Newton with "stop early": the run ends before its epochs, and so must the script's.
        at.radio(key="w_solver").set_value("newton").run()
        at.toggle(key="w_stop_early").set_value(True).run()
        assert_clean(at)
        assert history(at)[0].scores.epochs < 100
    text = at.session_state["reproduce_script"]
    assert any(b.proto.label.startswith("Download a Python script")
               for b in at.get("download_button"))
    assert "C=1 / (lam * n)" in text
    if source == "builtin":
        assert "without_features(dataset, ['sepal width (cm)'])" in text
    if source == "upload":
        assert "CSV_PATH = Path('survey.csv')" in text and "target='label'" in text
        # Run from a copy of the project root that holds the file next to logreg/.
        cwd = tmp_path
        (tmp_path / "logreg").symlink_to(ROOT / "logreg")
    assert_script_prints_the_apps_numbers(at, text, cwd, tmp_path)


# ------------------------------------------------------------------------------------------------
# The link is the state
# ------------------------------------------------------------------------------------------------

def test_upload_name_is_in_the_link_and_asked_for_in_a_fresh_session(app):
    at = upload(app.run(), "pets.csv", noisy_csv())
    goto(at, "train")
    link = {k: str(v) for k, v in at.query_params.items()}
    assert link["source"] == "upload" and link["upload_name"] == "pets.csv"
    assert not any("pets" in v for k, v in link.items() if k != "upload_name")  # no data in it
    assert any("not the file" in c.value for c in at.caption)

    fresh = new_app()
    for k, v in link.items():
        fresh.query_params[k] = v
    fresh.run()
    for page in ("data", "train", "threshold", "compare"):
        goto(fresh, page)
        where = "in the box on the right" if page == "data" else "on the **Data** page"
        assert any(f"upload pets.csv {where} to continue" in i.value
                   for i in fresh.info), page
