"""Sentences built from runs (logreg.lesson_text) checked against independent references."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix, recall_score

from logreg import data as lrdata
from logreg import lesson_text as L
from logreg import ovr_figures, pipeline
from logreg.pipeline import TrainSettings


def fit(kind="moons", n=400, noise=0.2, balance=None, test_size=0.25, **settings):
    ds = lrdata.make_dataset(kind, n_samples=n, noise=noise, class_balance=balance,
                             random_state=0)
    tr, te = lrdata.train_test_split(ds, test_size=test_size, random_state=0)
    return pipeline.fit_binary(tr.X, tr.y, te.X, te.y, feature_names=ds.feature_names,
                               class_names=ds.class_names, settings=TrainSettings(**settings),
                               positive=1)


def decoded(v):
    """A plotly array (plain list or base64 typed array) as numpy."""
    if isinstance(v, dict) and "bdata" in v:
        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        return arr.reshape([int(n) for n in str(v["shape"]).split(",")]) if "shape" in v else arr
    return np.asarray(v)


def numbers(text):
    return [float(x) for x in re.findall(r"-?\d+\.\d+|\d+", text.replace(",", ""))]


def test_counts_at_match_sklearn_confusion_matrix():
    run = fit(kind="blobs", noise=0.6, balance=0.1)
    for t in (0.1, 0.2, 0.5, 0.9):
        c = L.counts_at(run.y_test, run.p_test, t)
        tn, fp, fn, tp = confusion_matrix(run.y_test, (run.p_test >= t).astype(int),
                                          labels=[0, 1]).ravel()
        assert (c.tp, c.fp, c.fn, c.tn) == (tp, fp, fn, tn)


def test_learning_rate_sentence_judges_from_the_loss_curve():
    small, right, big = (fit(learning_rate=lr) for lr in (0.001, 0.5, 100.0))
    s = L.learning_rate(small, 0.5)
    loss = small.model.history_["data_loss"]
    assert "still falling" in s and f"to {loss[-1]:.3f}" in s
    assert loss[-51] - loss[-1] > 0.01 * loss[-1]  # independently: it really is still falling
    r = L.learning_rate(right, 0.5)
    assert "flattens out" in r and "without going up once" in r
    assert (np.diff(right.model.history_["data_loss"]) <= 0).all()
    b = L.learning_rate(big, 0.5)
    ups = int((np.diff(big.model.history_["data_loss"]) > 0).sum())
    assert f"went *up* in {ups} of the 200 epochs" in b
    tail = big.model.history_["data_loss"][-51:]
    assert f"between {tail.min():.3f} and {tail.max():.3f}" in b


def test_side_changes_counts_points_that_cross_the_line_between_epochs():
    run = fit(learning_rate=100.0, epochs=20)
    hist = run.model.history_
    Z = run.features.transform(run.X_train) @ hist["coef"].T + hist["intercept"]
    flips = max(int(((Z[:, e] >= 0) != (Z[:, e - 1] >= 0)).sum()) for e in range(16, 21))
    assert L.side_changes(run, 5) == flips


def test_epochs_sentence_reports_the_last_step_and_accuracy():
    run = fit(learning_rate=0.01, epochs=20)
    s = L.epochs(run, 0.5)
    loss = run.model.history_["data_loss"]
    acc = ((run.p_test >= 0.5) == (run.y_test == 1)).mean()
    assert f"down by {loss[-2] - loss[-1]:.3f}" in s
    assert f"{100 * acc:.1f}% of the test points" in s
    assert "barely moved" not in s


def test_overfitting_names_the_epoch_where_the_test_loss_was_lowest():
    run = fit(n=60, noise=0.35, test_size=0.5, degree=5, epochs=2000)
    val = run.model.history_["val_loss"]
    s = L.overfitting(run, 0.5)
    assert f"lowest at epoch {int(np.argmin(val))} ({val.min():.3f})" in s
    assert f"rose to {val[-1]:.3f}" in s


def test_l1_and_l2_sentences_count_the_weights():
    l1 = fit(penalty="l1", reg_strength=0.03, degree=3, epochs=500)
    zeros = int((l1.model.coef_ == 0).sum())
    assert zeros > 0
    assert f"sets {zeros} of the {l1.model.coef_.size} weights" in L.l1_zeros(l1, 0.5)
    l2 = fit(penalty="l2", reg_strength=0.1, degree=3)
    none = fit(degree=3)
    s = L.l2_shrinks(l2, 0.5, none)
    assert f"the largest is now {np.abs(l2.model.coef_).max():.2f}" in s
    assert f"against {np.abs(none.model.coef_).max():.2f} without" in s


def test_threshold_cost_prices_misses_and_false_alarms():
    run = fit(kind="blobs", noise=0.6, balance=0.1)
    y, p = run.y_test, run.p_test
    s = L.threshold_cost(run, 0.2, 1.0, 5.0)
    cost = lambda t: ((p >= t) & (y == 0)).sum() * 1.0 + ((p < t) & (y == 1)).sum() * 5.0
    assert f"now costs {cost(0.2):g} instead of {cost(0.5):g}" in s
    assert f"TPR {100 * recall_score(y, p >= 0.2):.1f}%" in s


def test_hardest_class_on_iris_is_explained_with_per_class_recall():
    ds = lrdata.load_builtin("iris")
    tr, te = lrdata.train_test_split(ds, test_size=0.25, random_state=0)
    runs = {k: pipeline.fit_multiclass(tr.X, tr.y, te.X, te.y, feature_names=ds.feature_names,
                                       class_names=ds.class_names, settings=TrainSettings(),
                                       kind=k) for k in ("ovr", "softmax")}
    s = L.hardest_class(runs["ovr"], runs["softmax"])
    assert "**versicolor**'s own model ends with the highest loss" in s
    rec = {k: recall_score(te.y, r.proba_test.argmax(1), average=None)[1]
           for k, r in runs.items()}
    assert rec["softmax"] > rec["ovr"]
    assert (f"it does better there: it gets {100 * rec['softmax']:.1f}% of the test versicolor "
            f"points right against {100 * rec['ovr']:.1f}%") in s
    assert "no single straight line" in s


def _iris_grids():
    ds = lrdata.load_builtin("iris")
    tr, te = lrdata.train_test_split(ds, test_size=0.25, random_state=0)
    run = pipeline.fit_multiclass(tr.X, tr.y, te.X, te.y, feature_names=ds.feature_names,
                                  class_names=ds.class_names, settings=TrainSettings(),
                                  kind="ovr", drawn=(2, 3))
    xs, ys, grids = pipeline.class_grids(run, 80)
    return run, xs, ys, grids


def test_one_class_figure_shows_that_class_alone_with_its_sides_marked():
    run, xs, ys, grids = _iris_grids()
    fig = ovr_figures.one_class_figure(xs, ys, grids[1], run.X_train[:, [2, 3]], run.y_train,
                                       m=1, class_names=run.class_names,
                                       feature_names=["petal length", "petal width"]).to_dict()
    heat = [t for t in fig["data"] if t["type"] == "heatmap"][0]
    np.testing.assert_array_equal(decoded(heat["z"]), np.rint(grids[1] * 100))
    (contour,) = [t for t in fig["data"] if t["type"] == "contour"]
    assert contour["contours"]["start"] == contour["contours"]["end"] == 0.5
    points = {t["name"]: t for t in fig["data"] if t["type"] == "scatter"}
    assert set(points) == {"not versicolor", "versicolor"}
    assert len(decoded(points["versicolor"]["x"])) == int((run.y_train == 1).sum())
    assert len(decoded(points["not versicolor"]["x"])) == int((run.y_train != 1).sum())
    assert "versicolor's own model" in fig["layout"]["title"]["text"]
    anns = {a["text"]: a for a in fig["layout"]["annotations"]}
    yes = anns["<b>yes side: versicolor (p &gt; 0.5)</b>"]
    no = anns["<b>no side: the rest (p &lt; 0.5)</b>"]
    for ann, above in ((yes, True), (no, False)):
        ix, iy = np.abs(xs - ann["x"]).argmin(), np.abs(ys - ann["y"]).argmin()
        assert (grids[1][iy, ix] >= 0.5) == above
        assert xs[0] <= ann["x"] <= xs[-1] and ys[0] <= ann["y"] <= ys[-1]


def test_class_line_labels_sit_on_each_class_line_inside_the_plot():
    run, xs, ys, grids = _iris_grids()
    anns = ovr_figures.line_labels(xs, ys, ovr_figures.class_lines(xs, ys, grids),
                                   run.X_train[:, [2, 3]], run.y_train, run.class_names)
    assert [a["text"] for a in anns] == [f"<b>{c}</b> vs rest" for c in run.class_names]
    for m, a in enumerate(anns):
        ix, iy = np.abs(xs - a["x"]).argmin(), np.abs(ys - a["y"]).argmin()
        window = grids[m][max(iy - 1, 0):iy + 2, max(ix - 1, 0):ix + 2]
        assert window.min() < 0.5 <= window.max()   # the label is on the p = 0.5 line
        assert xs[0] < a["x"] < xs[-1] and ys[0] < a["y"] < ys[-1]


def test_rates_on_a_set_with_one_class_only_are_not_reported_as_numbers():
    ds = lrdata.make_dataset("blobs", n_samples=40, noise=0.3, class_balance=0.05, random_state=0)
    tr, te = lrdata.train_test_split(ds, test_size=0.25, random_state=0)
    assert te.y.min() == te.y.max()  # the rare class did not make it into the test set
    run = pipeline.fit_binary(tr.X, tr.y, te.X, te.y, feature_names=ds.feature_names,
                              class_names=ds.class_names, settings=TrainSettings(), positive=1)
    for text in (L.rare_class(run, 0.5), L.threshold_cost(run, 0.2, 1.0, 5.0)):
        assert "nan" not in text.lower() and "undefined" not in text
        assert f"All {len(te.y)} test points are" in text


def test_about_right_rate_says_whether_it_converged_as_the_run_did():
    """The "about right" sentence must not contradict the run's own diagnosis box: it says it
    has not converged exactly when the model did not."""
    data = lrdata.make_dataset("moons", n_samples=300, noise=0.2, random_state=0)
    train, test = lrdata.train_test_split(data, test_size=0.25, random_state=0)
    for epochs, stop in ((200, False), (3000, True)):
        run = pipeline.fit_binary(train.X, train.y, test.X, test.y,
                                  feature_names=train.feature_names,
                                  class_names=train.class_names,
                                  settings=TrainSettings(learning_rate=0.5, epochs=epochs,
                                                         stop_early=stop))
        text = L.learning_rate(run, 0.5)
        assert "flattens out" in text
        assert ("not fully converged" in text) == (not run.model.converged_)
