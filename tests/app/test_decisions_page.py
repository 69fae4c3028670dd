"""Issue 18 items 5-9, 12, 13, 14, 19 through the app (AppTest): each number in a sentence is
checked against the run, on generated data and on an uploaded 10,000-row file with 3% positives
(tests/data/credit_default.csv, written by tests/data/make_credit.py)."""

from __future__ import annotations

import builtins
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from logreg import decisions, metrics

from .conftest import (assert_clean, chart, contour_level, goto, metric_value, new_app,
                       reference_run, state, texts, trace, upload, values)

DATA = Path(__file__).resolve().parents[1] / "data"
CREDIT = (DATA / "credit_default.csv").read_bytes()
IMBALANCED = {"kind": "blobs", "noise": "0.6", "balance": "0.1"}


def credit(at):
    at.run()
    upload(at, "credit_default.csv", CREDIT)
    assert_clean(at)
    return at


def generated(at):
    at.query_params.update(IMBALANCED)
    at.run()
    assert_clean(at)
    return at


SOURCES = {"uploaded": credit, "generated": generated}


def cost_choice(at, ref, y, p):
    names = ref.class_names
    return metrics.choose_threshold(
        y, p, "cost", cost_fp=state(at, "cost_fp"), cost_fn=state(at, "cost_fn"),
        prevalence=state(at, "prevalence") or None,
        positive_name=f"'{names[1]}' cases", negative_name=f"'{names[0]}' cases")


def confusion_counts(at):
    cells = chart(at, "confusion_chart")["data"][0]["text"]
    return [[int(str(c).split("<br>")[0].replace(",", "")) for c in row] for row in cells]


# ---- items 6 and 8: one threshold, chosen honestly -----------------------------------------

@pytest.mark.parametrize("source", SOURCES)
def test_a_rule_value_is_the_same_number_everywhere(app, source):
    at = SOURCES[source](app)
    goto(at, "threshold")
    at.selectbox(key="w_rule").set_value("cost").run()
    assert_clean(at)
    ref = reference_run(at)
    choice = cost_choice(at, ref, ref.y_train, ref.p_train)  # chosen on the training set
    t = decisions.rule_threshold(choice)
    text = decisions.threshold_text(t)
    assert state(at, "threshold") == t and float(text) == t
    # The value shown reproduces the rule's counts on the training set...
    train_conf = metrics.confusion_at(ref.y_train, ref.p_train, t)
    assert (train_conf["tpr"], train_conf["fpr"]) == (choice.tpr, choice.fpr)
    assert f"Chosen on the training set: At {text}," in texts(at.success)
    # ...the slider shows every digit, the sidebar and the ROC label the same text.
    slider = at.slider(key="w_threshold")
    assert slider.value == t and slider.proto.format == f"%.{decisions.threshold_decimals(t)}f"
    assert f"**Threshold:** {text}" in texts(at.sidebar.markdown)
    marker = trace(chart(at, "roc_chart"), "current threshold")
    assert marker["text"] == [f"T = {text}"]
    # The test-set numbers are the numbers at that value (the honest report).
    conf = metrics.confusion_at(ref.y_test, ref.p_test, t)
    assert confusion_counts(at) == [[conf["tn"], conf["fp"]], [conf["fn"], conf["tp"]]]
    assert float(values(marker["x"])[0]) == pytest.approx(conf["fpr"])
    cost = metrics.expected_cost(ref.y_test, ref.p_test, t, state(at, "cost_fp"),
                                 state(at, "cost_fn"))
    honest = (f"On the test set, which the rule did not see, the same T = {text} catches "
              f"{conf['tpr']:.1%} of '{ref.class_names[1]}' ({conf['tp']:,} of "
              f"{conf['tp'] + conf['fn']:,}) and flags {conf['fpr']:.1%} of "
              f"'{ref.class_names[0]}' ({conf['fp']:,} of {conf['fp'] + conf['tn']:,}); "
              f"expected cost {cost:,.1f} per 1,000 cases.")
    assert honest in texts(at.info)
    assert metric_value(at, "Expected cost per 1,000 cases") == f"{cost:,.1f}"

    # The Train page uses and shows the same value.
    goto(at, "train")
    assert at.slider(key="w_threshold").value == t
    assert contour_level(chart(at, "boundary_chart")) == pytest.approx(t)
    assert f"T = {text} is set by the rule “cheapest” (Threshold page)" in texts(at.caption)


def test_choosing_on_the_test_set_is_labelled_optimistic(app):
    at = credit(app)
    goto(at, "threshold")
    at.selectbox(key="w_rule").set_value("f1").run()
    ref = reference_run(at)
    at.radio(key="w_tune_on").set_value("test").run()
    assert_clean(at)
    assert at.radio(key="w_tune_on").options == ["training set (honest)", "test set (optimistic)"]
    names = ref.class_names
    choice = metrics.choose_threshold(ref.y_test, ref.p_test, "f1",
                                      positive_name=f"'{names[1]}' cases",
                                      negative_name=f"'{names[0]}' cases")
    assert state(at, "threshold") == decisions.rule_threshold(choice)
    assert f"Chosen on the test set: {choice.reason}" in texts(at.success)
    assert "Optimistic" in texts(at.warning)
    assert at.query_params["tune_on"] == "test"  # in the link


# ---- item 7: a rule never silently undoes the Train page's T --------------------------------

@pytest.mark.parametrize("source", SOURCES)
def test_moving_T_on_train_switches_the_rule_to_manual_with_a_notice(app, source):
    at = SOURCES[source](app)
    goto(at, "threshold")
    at.selectbox(key="w_rule").set_value("youden").run()
    ruled = state(at, "threshold")
    goto(at, "train")
    assert "is set by the rule “best balance”" in texts(at.caption)
    at.slider(key="w_threshold").set_value(0.3).run()
    assert_clean(at)
    assert state(at, "rule") == "slider" and state(at, "threshold") == 0.3 != ruled
    notice = texts(at.info)
    assert "You moved T to 0.30 on the Train page, so the rule “Best balance" in notice
    assert "set by the rule" not in texts(at.caption)
    # The Threshold page keeps the value (no silent revert) and repeats why.
    goto(at, "threshold")
    assert state(at, "threshold") == 0.3 and at.slider(key="w_threshold").value == 0.3
    assert at.selectbox(key="w_rule").value == "slider"
    assert "You moved T to 0.30" in texts(at.info)
    # The notice goes once it no longer describes the state.
    at.slider(key="w_threshold").set_value(0.4).run()
    assert "You moved T" not in texts(at.info)


def test_a_rule_follows_the_run_on_the_train_page(app):
    """Changing the model on Train re-applies the rule there (T is never a stale rule value)."""
    at = generated(app)
    goto(at, "threshold")
    at.selectbox(key="w_rule").set_value("cost").run()
    goto(at, "train")
    at.select_slider(key="w_epochs").set_value(10).run()
    assert_clean(at)
    ref = reference_run(at)
    t = decisions.rule_threshold(cost_choice(at, ref, ref.y_train, ref.p_train))
    assert state(at, "threshold") == t == at.slider(key="w_threshold").value


# ---- item 9: prevalence -----------------------------------------------------------------------

def test_prevalence_starts_at_the_datas_share_and_moves_ppv_npv_and_cost(app):
    at = credit(app)
    goto(at, "threshold")
    ref = reference_run(at)
    share = float(np.r_[ref.y_train, ref.y_test].mean())
    assert share == pytest.approx(0.0305)
    field = at.number_input(key="w_prevalence")
    assert field.value == pytest.approx(share) and state(at, "prevalence") == 0.0
    assert "(3.05%)" in field.help
    assert len(at.metric) == 1  # no second cost while the share is the data's own
    field.set_value(0.10).run()
    assert_clean(at)
    assert state(at, "prevalence") == 0.10
    t = state(at, "threshold")
    conf = metrics.confusion_at(ref.y_test, ref.p_test, t)
    ppv, npv = decisions.predictive_values(conf["tpr"], conf["fpr"], 0.10)
    table = at.table[0].value
    column = table["at 10.00% positives"]
    assert column["Precision (PPV)"] == f"{ppv:.1%}" and column["NPV"] == f"{npv:.1%}"
    assert table["value"]["Precision (PPV)"] == f"{conf['precision']:.1%}"  # the sample's stays
    cost = metrics.expected_cost(ref.y_test, ref.p_test, t, state(at, "cost_fp"),
                                 state(at, "cost_fn"), prevalence=0.10)
    assert metric_value(at, "… at 10.00% positives") == f"{cost:,.1f}"
    # Typing the data's own share back means "the data's own" again.
    at.number_input(key="w_prevalence").set_value(share).run()
    assert state(at, "prevalence") == 0.0


# ---- item 5: the accuracy paradox -------------------------------------------------------------

@pytest.mark.parametrize("source", SOURCES)
def test_accuracy_cards_show_the_majority_baseline(app, source):
    at = SOURCES[source](app)
    goto(at, "train")
    ref = reference_run(at)
    (note,) = [w.value for w in at.warning if "Accuracy can mislead" in w.value]
    names = ref.class_names
    for where, y, p, card in (("training set", ref.y_train, ref.p_train, "Training accuracy"),
                              ("test set", ref.y_test, ref.p_test, "Test accuracy")):
        b = decisions.accuracy_baseline(y, p, 0.5)
        assert b.misleading and b.majority == 0
        assert (f"n the {where}, always answering '{names[0]}' scores {b.share:.1%} and this "
                f"model {metric_value(at, card)} at T = 0.50 (balanced accuracy "
                f"{b.balanced_accuracy:.1%})") in note
        assert metric_value(at, card) == f"{b.accuracy:.1%}"
    assert any(link.proto.page.endswith("threshold") or "Threshold" in link.proto.label
               for link in at.get("page_link"))


def test_balanced_data_has_no_baseline_note(app):
    at = app.run()
    goto(at, "train")
    assert "Accuracy can mislead" not in texts(at.warning)


def test_uploaded_data_states_class_shares_and_the_positive_class(app):
    at = credit(app)
    shown = texts(at.markdown)
    assert "Classes: 'No' 9,695 (97.0%), 'Yes' 305 (3.0%)." in shown
    assert "treat **'Yes'** as the positive class" in shown


# ---- item 12: downloads never rerun (a rerun broke the second download) ------------------------

def test_download_buttons_do_not_rerun_the_app(app):
    at = app.run()
    goto(at, "train")
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    # The model and predictions files, and the reproduce script (issue 16).
    assert {"Download this model (JSON)", "Download predictions (CSV)"} <= set(labels)
    assert len(buttons) == 3
    assert all(b.proto.ignore_rerun for b in buttons)
    predictions = buttons[labels.index("Download predictions (CSV)")]
    assert "Every row of the data" in predictions.proto.help


# ---- item 13: where the data goes --------------------------------------------------------------

def test_an_upload_writes_nothing_to_disk_and_stays_in_its_session(app, monkeypatch, tmp_path):
    """No file is opened for writing while the upload is read, the temp dir stays empty, and a
    second session sees nothing of it."""
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    at = app.run()
    written = []
    real_open, real_os_open = builtins.open, os.open

    def spy_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            written.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    def spy_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            written.append(str(path))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    upload(at, "credit_default.csv", CREDIT)
    goto(at, "train")
    goto(at, "threshold")
    monkeypatch.undo()
    assert_clean(at)
    assert written == []
    assert list(private_tmp.iterdir()) == []
    assert at.session_state["upload_dataset"].n_samples == 10_000

    other = new_app().run()
    assert "upload_dataset" not in other.session_state
    assert "upload_parsed" not in other.session_state
    other.radio(key="w_source").set_value("upload").run()
    assert "Using the file uploaded earlier" not in texts(other.caption)
    assert "Data: upload a CSV on the Data page." in texts(other.sidebar.caption)


def test_uploader_help_says_where_the_file_goes(app):
    at = app.run()
    at.radio(key="w_source").set_value("upload").run()
    help_text = at.get("file_uploader")[0].proto.help
    assert "Nothing leaves this computer" not in help_text
    for claim in ("sent to the server running this app", "never written to disk",
                  "other browser sessions cannot see it", "this browser session only"):
        assert claim in help_text


# ---- item 14: quoted column names --------------------------------------------------------------

def test_quoted_header_loads_without_quotes(app):
    at = app.run()
    upload(at, "spector.txt", (DATA / "quoted_header_spaces.txt").read_bytes(), "text/plain")
    assert_clean(at)
    assert at.session_state["upload_target"] == "GRADE"
    (picker,) = [box for box in at.selectbox if box.label.startswith("Column with the classes")]
    assert picker.options == ["OBS", "GPA", "TUCE", "PSI", "GRADE"]
    dataset = at.session_state["upload_dataset"]
    assert "GPA" in dataset.feature_names and not any("'" in n for n in dataset.feature_names)


# ---- item 19: a column that gives the answer away ---------------------------------------------

def test_a_leaking_column_is_named_and_can_be_left_out(app):
    at = app.run()
    upload(at, "market.csv", (DATA / "market_leak.csv").read_bytes())
    assert_clean(at)
    dataset = at.session_state["upload_dataset"]
    j = dataset.feature_names.index("Today")
    auc = roc_auc_score(dataset.y, dataset.X[:, j])
    (warning,) = [w.value for w in at.warning if "alone separates" in w.value]
    assert warning.startswith("'Today' alone separates the classes almost perfectly")
    assert f"(its own AUC is {auc:.3f})" in warning and "give the answer away" in warning
    at.button(key=f"leave_out_{j}").click().run()
    assert_clean(at)
    assert state(at, "features_out") == "Today"
    assert at.multiselect(key="data_features_out").value == ["Today"]
    assert "alone separates" not in texts(at.warning)
    assert at.query_params["features_out"] == "Today"
    goto(at, "train")
    assert "Today" not in json.dumps(chart(at, "coef_chart")["data"])
    assert "Lag1" in json.dumps(chart(at, "coef_chart")["data"])
    # A link with the setting leaves it out from the start.
    link = new_app()
    link.query_params["features_out"] = "x2"
    link.run()
    assert_clean(link)
    assert "1 feature" in texts(link.sidebar.markdown)


def test_no_leak_warning_on_ordinary_data(app):
    at = app.run()
    assert "alone separates" not in texts(at.warning)
    at2 = credit(new_app())
    assert "alone separates" not in texts(at2.warning)


def test_using_a_loaded_models_threshold_ends_an_active_rule(app):
    """The file's threshold is used as loaded: an active rule would replace it at once."""
    from logreg import pipeline

    at = generated(app)
    goto(at, "threshold")
    at.selectbox(key="w_rule").set_value("youden").run()
    goto(at, "train")
    text = pipeline.export_model(reference_run(at), "blobs", 0.42)
    at.get("file_uploader")[0].set_value(("model.json", text.encode(), "application/json")).run()
    (use,) = [b for b in at.button if b.label == "Use its settings and threshold"]
    use.click().run()
    assert_clean(at)
    assert state(at, "threshold") == 0.42 and state(at, "rule") == "slider"
    goto(at, "threshold")
    assert state(at, "threshold") == 0.42


def test_typed_threshold_with_more_digits_is_the_value_everywhere(app):
    at = credit(app)
    goto(at, "threshold")
    at.number_input(key="w_threshold_exact").set_value(0.03251).run()
    assert_clean(at)
    ref = reference_run(at)
    assert state(at, "threshold") == 0.03251
    assert at.slider(key="w_threshold").proto.format == "%.5f"
    assert "**Threshold:** 0.03251" in texts(at.sidebar.markdown)
    conf = metrics.confusion_at(ref.y_test, ref.p_test, 0.03251)
    assert confusion_counts(at) == [[conf["tn"], conf["fp"]], [conf["fn"], conf["tp"]]]
    assert f"At T = 0.03251, {conf['tpr']:.1%} of 'Yes' are caught" in texts(at.info)
    goto(at, "train")
    assert at.slider(key="w_threshold").value == 0.03251
    # A rule disables typing (the rule sets T).
    goto(at, "threshold")
    at.selectbox(key="w_rule").set_value("f1").run()
    assert at.number_input(key="w_threshold_exact").disabled
