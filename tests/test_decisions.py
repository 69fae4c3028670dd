"""logreg.decisions and logreg.exports against independent references (sklearn, closed form),
and the quoted-names CSV reader (issue 18 items 5, 6, 9, 12, 14, 19)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, confusion_matrix,
                             roc_auc_score)

from logreg import data, decisions, exports, metrics, pipeline

DATA = Path(__file__).parent / "data"


# ---- item 6: one threshold, one number ----------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (0.5, "0.50"), (0.033, "0.033"), (0.03298, "0.03298"), (1.0, "1.00"), (0.0, "0.00"),
    (0.07000000000000001, "0.07"), (0.1455, "0.1455")])
def test_threshold_text_has_every_digit(value, text):
    assert decisions.threshold_text(value) == text
    if value != 0.07000000000000001:
        assert float(text) == value  # the text is the value


@pytest.mark.parametrize("rule", ["youden", "target_tpr", "max_fpr", "cost", "f1"])
def test_rule_threshold_reproduces_the_rules_counts(rule):
    """The stored value is the decimal the sentence shows, and the confusion there is the rule's
    (sklearn's confusion_matrix at the shown value as the reference)."""
    rng = np.random.default_rng(3)
    y = (rng.random(3000) < 0.033).astype(int)
    # Many close scores: a 2-decimal slider value would land between them.
    p = 1 / (1 + np.exp(-(rng.normal(-4, 1.3, y.size) + 2.2 * y)))
    choice = metrics.choose_threshold(y, p, rule, target_tpr=0.8, max_fpr=0.1, cost_fp=1,
                                      cost_fn=30)
    t = decisions.rule_threshold(choice)
    assert f"At {choice.shown}," in choice.reason
    assert float(choice.shown) == t
    tn, fp, fn, tp = confusion_matrix(y, (p >= t).astype(int), labels=[0, 1]).ravel()
    assert tp / (tp + fn) == choice.tpr and fp / (fp + tn) == choice.fpr
    # ... and rounding the value to two decimals (the old slider) would change the counts here.
    if rule == "cost":
        t2 = round(t, 2)
        assert confusion_matrix(y, (p >= t2).astype(int)).ravel().tolist() != [tn, fp, fn, tp]


# ---- item 5: accuracy paradox ----------------------------------------------------------------

def test_accuracy_baseline_matches_sklearn_on_an_imbalanced_set():
    rng = np.random.default_rng(0)
    y = (rng.random(2000) < 0.03).astype(int)
    p = np.clip(0.02 + 0.5 * y * rng.random(y.size) + 0.05 * rng.random(y.size), 0, 1)
    b = decisions.accuracy_baseline(y, p, 0.3)
    assert b.majority == 0 and b.misleading
    assert b.share == pytest.approx(accuracy_score(y, np.zeros_like(y)))
    assert b.accuracy == pytest.approx(accuracy_score(y, p >= 0.3))
    assert b.balanced_accuracy == pytest.approx(balanced_accuracy_score(y, p >= 0.3))
    balanced = decisions.accuracy_baseline([0, 1] * 50, np.linspace(0, 1, 100), 0.5)
    assert not balanced.misleading and balanced.share == 0.5


# ---- item 9: prevalence --------------------------------------------------------------------

def test_predictive_values_at_a_prevalence_match_resampled_counts():
    """PPV and NPV at prevalence q equal precision/NPV of a sample re-weighted to share q."""
    rng = np.random.default_rng(1)
    y = (rng.random(4000) < 0.2).astype(int)
    p = np.clip(0.3 * y + 0.7 * rng.random(y.size), 0, 1)
    conf = metrics.confusion_at(y, p, 0.5)
    for q in (0.02, 0.2, 0.6):
        w = np.where(y == 1, q / y.mean(), (1 - q) / (1 - y.mean()))
        flagged = p >= 0.5
        ppv_ref = np.sum(w * (y == 1) * flagged) / np.sum(w * flagged)
        npv_ref = np.sum(w * (y == 0) * ~flagged) / np.sum(w * ~flagged)
        ppv, npv = decisions.predictive_values(conf["tpr"], conf["fpr"], q)
        assert ppv == pytest.approx(ppv_ref) and npv == pytest.approx(npv_ref)
    # At the sample's own share they are the sample's precision and NPV.
    ppv, npv = decisions.predictive_values(conf["tpr"], conf["fpr"], y.mean())
    assert ppv == pytest.approx(conf["precision"])
    assert npv == pytest.approx(conf["tn"] / (conf["tn"] + conf["fn"]))


# ---- item 19: a column that gives the answer away -------------------------------------------

def test_leaking_columns_names_the_column_whose_own_auc_is_near_one():
    ds = data.read_csv(DATA / "market_leak.csv")
    leaks = decisions.leaking_columns(ds.X, ds.y, ds.feature_names)
    assert [leak.name for leak in leaks] == ["Today"]
    j = ds.feature_names.index("Today")
    assert leaks[0].auc == pytest.approx(roc_auc_score(ds.y, ds.X[:, j]))
    # A reversed column (1 - AUC >= 0.99) counts too; an ordinary one does not.
    flipped = decisions.leaking_columns(-ds.X, ds.y, ds.feature_names)
    assert [leak.name for leak in flipped] == ["Today"] and flipped[0].auc < 0.01
    credit = data.read_csv(DATA / "credit_default.csv")
    assert decisions.leaking_columns(credit.X, credit.y, credit.feature_names) == []


def test_with_more_classes_a_leak_must_split_every_pair():
    """Iris petal length sets setosa apart (one-vs-rest AUC 1) but not the other two: no leak.
    A column that orders all three classes apart is one."""
    iris = data.load_builtin("iris")
    j = iris.feature_names.index("petal length (cm)")
    assert roc_auc_score(iris.y == 0, -iris.X[:, j]) == 1.0
    assert decisions.leaking_columns(iris.X, iris.y, iris.feature_names) == []
    answer = iris.y * 10.0 + np.random.default_rng(0).random(iris.n_samples)
    X = np.column_stack([iris.X, answer])
    (leak,) = decisions.leaking_columns(X, iris.y, list(iris.feature_names) + ["answer"])
    assert leak.name == "answer" and leak.pairwise and leak.separation == 1.0


def test_without_features_drops_the_named_columns_and_keeps_one():
    ds = data.read_csv(DATA / "market_leak.csv")
    out = decisions.without_features(ds, ["Today", "nope"])
    assert out.feature_names == ("Lag1", "Lag2", "Lag3", "Volume")
    np.testing.assert_array_equal(out.X, ds.X[:, :4])
    assert any("'Today'" in n for n in out.notes)
    assert decisions.without_features(ds, list(ds.feature_names)) is ds


# ---- item 14: quoted column names ------------------------------------------------------------

def test_space_separated_file_with_single_quoted_header_loads_without_quotes():
    ds = data.read_csv(DATA / "quoted_header_spaces.txt")
    assert "GPA" in ds.feature_names and "TUCE" in ds.feature_names
    assert not any("'" in n for n in ds.feature_names)
    assert data.csv_columns(DATA / "quoted_header_spaces.txt")[-1] == "GRADE"
    ref = pd.read_csv(DATA / "quoted_header_spaces.txt", sep=r"\s+", quotechar="'")
    np.testing.assert_allclose(ds.X[:, ds.feature_names.index("GPA")], ref["GPA"])


@pytest.mark.parametrize("q", ["'", '"'])
def test_quoted_values_and_names_of_either_quote_char(q):
    text = (f"{q}a{q} {q}b{q} {q}cls{q}\n" + "".join(
        f"{q}{i / 2}{q} {i % 3} {q}{'yes' if i % 2 else 'no'}{q}\n" for i in range(12)))
    ds = data.read_csv(text.encode())
    assert ds.feature_names == ("a", "b") and ds.class_names == ("no", "yes")
    np.testing.assert_allclose(ds.X[:, 0], np.arange(12) / 2)


def test_a_lone_quote_in_a_value_is_kept():
    text = "name,x,cls\nO'Brien,1,a\nSmith,2,b\nJones,3,a\nLee,4,b\n"
    ds = data.read_csv(text.encode(), target="cls")
    assert ds.feature_names == ("x",)  # the names column is left out as an ID, not mangled


# ---- item 12: predictions CSV -------------------------------------------------------------------

def test_predictions_csv_holds_every_row_in_data_order():
    ds = data.read_csv(DATA / "credit_default.csv")
    train, test = data.train_test_split(ds, 0.25, 4)
    run = pipeline.fit_binary(train.X, train.y, test.X, test.y, feature_names=ds.feature_names,
                              class_names=ds.class_names,
                              settings=pipeline.TrainSettings(solver="newton", epochs=15))
    rows = exports.split_rows(ds, 0.25, 4)
    frame = pd.read_csv(io.StringIO(exports.predictions_csv(run, 0.1455, *rows)))
    assert list(frame.columns[:2]) == ["row", "split"]
    assert {"threshold", "p_No", "p_Yes", "predicted_class", "true_class"} <= set(frame.columns)
    assert frame["row"].tolist() == list(range(1, ds.n_samples + 1))
    assert frame["split"].value_counts().to_dict() == {"train": train.n_samples,
                                                        "test": test.n_samples}
    np.testing.assert_array_equal(frame[list(ds.feature_names)].to_numpy(), ds.X)
    assert (frame["true_class"].to_numpy() == np.asarray(ds.class_names)[ds.y]).all()
    assert (frame["threshold"] == 0.1455).all()
    p_all = run.model.predict_proba(run.features.transform(ds.X))[:, 1]
    np.testing.assert_allclose(frame["p_Yes"], p_all, rtol=1e-12)
    expected = np.where(p_all >= 0.1455, "Yes", "No")
    assert (frame["predicted_class"].to_numpy() == expected).all()
