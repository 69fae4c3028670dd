"""The analyst's walk on an uploaded, imbalanced file: choose the class to catch, leave out a
column, and get the numbers the Threshold page shows in files."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from logreg import decisions
from logreg.data import read_csv, train_test_split

from .conftest import ROOT, assert_clean, chart, goto, metric_value, state, texts, upload


def loans_csv(n=400, seed=5) -> bytes:
    """A credit table whose rare class ('default', about 10%) sorts FIRST: by default the app
    would try to catch 'paid'."""
    rng = np.random.default_rng(seed)
    income = rng.lognormal(10.8, 0.4, n)
    util = rng.beta(2, 5, n)
    logit = -3.0 + 4.0 * util - 0.8 * (np.log(income) - 10.8)
    status = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "default", "paid")
    lines = ["income,utilization,status"] + [f"{a:.0f},{b:.4f},{c}"
                                             for a, b, c in zip(income, util, status)]
    return ("\n".join(lines) + "\n").encode()


def test_two_class_upload_lets_the_analyst_choose_the_class_to_catch(app):
    content = loans_csv()
    at = upload(app.run(), "loans.csv", content)
    assert_clean(at)
    picker = at.selectbox(key="data_positive")
    assert list(picker.options) == ["default", "paid"] and picker.value == "paid"
    picker.set_value("default").run()
    assert_clean(at)
    assert state(at, "positive") == "default"
    assert "treat **'default'** as the positive class" in texts(at.markdown)

    # The Threshold page catches 'default': the rule's test-set sentence counts the test rows
    # that are 'default' in the file (split independently here with the same arguments).
    data = read_csv(content)
    _, test = train_test_split(data, test_size=state(at, "test_size"),
                               random_state=state(at, "data_seed"))
    n_default = int(np.sum(test.y == list(data.class_names).index("default")))
    assert 0 < n_default < test.n_samples / 4
    goto(at, "threshold")
    at.selectbox(key="w_rule").set_value("target_tpr").run()
    assert_clean(at)
    sentence = next(t for t in texts(at.info).split("\n") if "which the rule did not see" in t)
    caught = re.search(r"of 'default' \((\d+) of (\d+)\)", sentence)
    flagged = re.search(r"of 'paid' \((\d+) of ([\d,]+)\)", sentence)
    assert caught and int(caught.group(2)) == n_default, sentence
    assert flagged and int(flagged.group(2).replace(",", "")) == test.n_samples - n_default
    # Back on the Data page the picker shows the choice (its widget was not drawn meanwhile).
    goto(at, "data")
    assert at.selectbox(key="data_positive").value == "default"


def _page_links(at) -> list:
    return [el.proto.label for el in at.get("page_link")]


def test_data_page_does_not_send_the_user_to_the_data_page(app):
    at = app.run()
    at.radio(key="w_source").set_value("upload").run()
    assert_clean(at)
    assert "No data yet: upload a CSV in the box on the right" in texts(at.info)
    assert "Go to the Data page" not in _page_links(at)
    # A file that cannot be used: the error beside it says why; the plot's place says where.
    upload(at, "status_only.csv", b"status\nyes\nno\nyes\n")
    assert at.error and "Data** page" not in texts(at.info)
    assert "the file could not be used as it is" in texts(at.info)
    assert "Go to the Data page" not in _page_links(at)
    # Other pages still point to the Data page.
    goto(at, "train")
    assert "No data yet: upload a CSV on the **Data** page" in texts(at.info)
    assert "Go to the Data page" in _page_links(at)


def clinic_csv(n=300, seed=11) -> bytes:
    """A statistics-package export: BOM, quoted headers, semicolons, decimal commas, an ID column
    and a column that is empty in about 40% of the rows."""
    rng = np.random.default_rng(seed)
    lines = ['"ID";"Body mass index";"Glucose (mg/dL)";"Smoker";"Outcome"']
    for i in range(n):
        bmi, glucose = rng.normal(27, 5), rng.normal(100, 20)
        y = int(rng.random() < 1 / (1 + np.exp(-(-2.5 + 0.06 * (glucose - 100)))))
        smoker = "" if rng.random() < 0.4 else str(int(rng.integers(0, 2)))
        lines.append(f"{i + 1};{bmi:.2f};{glucose:.2f};{smoker};{y}".replace(".", ","))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def test_leaving_out_a_mostly_empty_column_keeps_its_rows(app):
    content = clinic_csv()
    at = upload(app.run(), "clinic.csv", content)
    assert_clean(at)
    full = read_csv(content)
    assert full.feature_names == ("Body mass index", "Glucose (mg/dL)", "Smoker")
    assert full.n_samples < 220  # rows with an empty 'Smoker' were dropped
    assert "keeps those rows" in texts(at.caption)
    at.multiselect(key="data_features_out").set_value(["Smoker"]).run()
    assert_clean(at)
    used = at.session_state["upload_dataset"]  # the whole file, as read first
    assert used.n_samples == full.n_samples
    # Every row comes back: the reference is the file read by pandas alone.
    frame = pd.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig")
    assert len(frame) == 300 and frame["Smoker"].isna().sum() == 300 - full.n_samples
    sidebar = texts(at.sidebar.markdown)
    assert "300 samples, 2 features" in sidebar, sidebar
    note = f"Its empty cells no longer drop rows: 300 rows are used instead of {full.n_samples:,}."
    assert note in texts(at.info)
    # The first read's other notes stay (the ID column left out, the decimal comma); the hint
    # about empty cells goes (no row is dropped any more), and the load message counts 300 rows.
    assert "Left out 'ID'" in texts(at.info) and "decimal comma" in texts(at.info)
    assert "Dropped" not in texts(at.info) and "keeps those rows" not in texts(at.caption)
    assert "Loaded **clinic.csv**: 300 samples, 2 features" in texts(at.success)
    assert "Split: 225 training rows and 75 test rows" in texts(at.caption)
    # The pages that train use those rows: the Threshold page's test set has 75.
    goto(at, "threshold")
    matrix = chart(at, "confusion_chart")["data"][0]
    counts = [int(t.split("<br>")[0].replace(",", "")) for row in matrix["text"] for t in row]
    assert sum(counts) == 75, matrix["text"]


@pytest.mark.slow
def test_rebuild_script_reads_the_rows_the_app_used(app, tmp_path):
    """After leaving out a mostly-empty column the script prints the app's test numbers."""
    from .test_runs_page import assert_script_prints_the_apps_numbers, train_with

    content = clinic_csv()
    at = upload(app.run(), "clinic.csv", content)
    at.multiselect(key="data_features_out").set_value(["Smoker"]).run()
    goto(at, "train")
    train_with(at, degree=1, penalty="l2", reg_strength=0.01, epochs=100, threshold=0.2)
    text = at.session_state["reproduce_script"]
    assert "features=['Body mass index', 'Glucose (mg/dL)']" in text, text
    (tmp_path / "clinic.csv").write_bytes(content)
    (tmp_path / "logreg").symlink_to(ROOT / "logreg")
    assert_script_prints_the_apps_numbers(at, text, tmp_path, tmp_path)


def test_threshold_page_offers_the_files_at_the_t_on_screen(app):
    at = upload(app.run(), "loans.csv", loans_csv())
    goto(at, "threshold")
    at.selectbox(key="w_rule").set_value("target_tpr").run()
    assert_clean(at)
    t_text = decisions.threshold_text(state(at, "threshold"))
    assert state(at, "threshold") != 0.5 and f"Take T = {t_text} with you" in texts(at.markdown)
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert f"class predicted at T = {t_text}" in buttons["Download predictions (CSV)"].proto.help
    # The report is prepared on demand, then offered for exactly this run and T.
    at.button(key="train_report_prepare").click().run()
    assert_clean(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the report (HTML)" in labels
    report = at.session_state["prepared_downloads"]["train_report"][1].decode()
    assert f"Threshold {t_text}, chosen by a rule on the training set" in report


def test_predictions_help_says_what_row_counts_when_rows_were_dropped(app):
    at = upload(app.run(), "clinic.csv", clinic_csv())
    goto(at, "threshold")
    button = next(b for b in at.get("download_button")
                  if b.proto.label == "Download predictions (CSV)")
    assert "its row number in your file (1 = the first row under the column names)" in \
        button.proto.help
    assert "Rows dropped for empty cells are not in it" in button.proto.help
    # With the empty column left out every row is used: nothing dropped to mention.
    goto(at, "data")
    at.multiselect(key="data_features_out").set_value(["Smoker"]).run()
    goto(at, "threshold")
    button = next(b for b in at.get("download_button")
                  if b.proto.label == "Download predictions (CSV)")
    assert "its row number in your file" in button.proto.help
    assert "dropped" not in button.proto.help


def test_slider_sentence_shows_the_tables_digits(app):
    """The sentence over the plots and the metrics table give the same rates (sklearn's)."""
    from sklearn.metrics import confusion_matrix

    content = loans_csv()
    at = upload(app.run(), "loans.csv", content)
    at.selectbox(key="data_positive").set_value("default").run()
    goto(at, "threshold")
    at.number_input(key="w_threshold_exact").set_value(0.137).run()
    assert_clean(at)
    data = read_csv(content)
    _, test = train_test_split(data, test_size=state(at, "test_size"),
                               random_state=state(at, "data_seed"))
    table = at.table[0].value  # the metrics table (index: metric)
    sentence = next(t for t in texts(at.info).split("\n") if t.startswith("At T = 0.137,"))
    tpr, fpr = (float(v) / 100 for v in re.findall(r"([\d.]+)% of", sentence))
    # The same rates from the confusion matrix drawn (the counts in its cells) via sklearn.
    cells = chart(at, "confusion_chart")["data"][0]["text"]
    tn, fp, fn, tp = (int(t.split("<br>")[0].replace(",", "")) for row in cells for t in row)
    y_true = np.r_[np.zeros(tn + fp), np.ones(fn + tp)]
    y_pred = np.r_[np.zeros(tn), np.ones(fp), np.zeros(fn), np.ones(tp)]
    (tn2, fp2), (fn2, tp2) = confusion_matrix(y_true, y_pred)
    assert tp + fn == int(np.sum(test.y == 0))  # 'default' sorts first: code 0 in the file
    assert f"{tp2 / (tp2 + fn2):.1%}" == f"{tpr:.1%}" and f"{fp2 / (fp2 + tn2):.1%}" == f"{fpr:.1%}"
    assert table.loc["True positive rate (recall)", "value"] == f"{tpr:.1%}"
    assert table.loc["False positive rate", "value"] == f"{fpr:.1%}"
    assert f"{tpr:.1%}" != f"{tpr:.0%}" or f"{fpr:.1%}" != f"{fpr:.0%}"  # digits that matter


def test_threshold_page_warns_when_the_model_diverged(app):
    """Income in the tens of thousands, not standardized, learning rate 0.5: gradient descent
    blows up. The Threshold page says so before its numbers (they are those of epoch 0)."""
    from logreg import LogisticRegression

    content = loans_csv()
    at = upload(app.run(), "loans.csv", content)
    at.toggle(key="w_standardize").set_value(False).run()
    goto(at, "threshold")
    data = read_csv(content)
    train, _ = train_test_split(data, test_size=state(at, "test_size"),
                                random_state=state(at, "data_seed"))
    with pytest.warns(Warning):
        reference = LogisticRegression(learning_rate=0.5, epochs=200).fit(
            train.X, (train.y == 1).astype(int))
    assert reference.diverged_  # the independent fit diverges too
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Do not choose a threshold with this model yet. Training diverged "
                            "at epoch 1 with learning rate 0.5") for w in warnings), warnings
    # Standardized, the same data trains and the warning goes.
    goto(at, "data")
    at.toggle(key="w_standardize").set_value(True).run()
    goto(at, "threshold")
    assert not any("Do not choose a threshold" in w.value for w in at.warning)


def _colours_by_class(fig, names) -> dict:
    """{class name: marker colour} of a figure's point traces (a trace names its class)."""
    out = {}
    for t in fig["data"]:
        colour = (t.get("marker") or {}).get("color")
        for name in names:
            if isinstance(colour, str) and t.get("name", "").startswith(name):
                out.setdefault(name, colour)
    return out


def test_each_class_has_one_colour_on_data_and_train_when_the_positive_class_sorts_first(app):
    """'default' sorts first but is the positive class: the Data page's scatter colours it as
    the Train page's boundary figure does (not by its place in the file's class list)."""
    at = upload(app.run(), "loans.csv", loans_csv())
    at.selectbox(key="data_positive").set_value("default").run()
    assert_clean(at)
    on_data = _colours_by_class(chart(at, "data_chart"), ("default", "paid"))
    goto(at, "train")
    on_train = _colours_by_class(chart(at, "boundary_chart"), ("default", "paid"))
    assert set(on_data) == set(on_train) == {"default", "paid"}
    assert on_data == on_train
    assert on_data["default"] != on_data["paid"]


def test_report_states_the_costs_set_on_the_threshold_page_with_the_pages_numbers(app):
    at = upload(app.run(), "loans.csv", loans_csv())
    goto(at, "threshold")
    at.number_input(key="w_cost_fp").set_value(3.0).run()
    at.number_input(key="w_cost_fn").set_value(12.0).run()
    assert_clean(at)
    shown = metric_value(at, "Expected cost per 1,000 cases")
    at.button(key="train_report_prepare").click().run()
    assert_clean(at)
    report = at.session_state["prepared_downloads"]["train_report"][1].decode()
    assert "a false alarm (a &#x27;default&#x27; case flagged as &#x27;paid&#x27;) costs 3" in report
    assert "costs 12." in report
    assert f"the expected cost is {shown} per 1,000 cases on the test set" in report
    # A changed cost makes a new report, never the old one.
    at.number_input(key="w_cost_fn").set_value(20.0).run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the report (HTML)" not in labels
