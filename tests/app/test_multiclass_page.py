"""Multiclass page: suggestions on two-class data; OvR regions, per-class loss and ROC, k x k
confusion, softmax side by side; numbers checked against a fresh logreg.pipeline run."""

from __future__ import annotations

import numpy as np
import pytest

from logreg import data as lrdata
from logreg import metrics, pipeline

from .conftest import (assert_clean, charts, goto, metric_value, reference_settings, state, texts,
                       traces_of, values)


def reference_multiclass(at, kind="ovr"):
    ds = (lrdata.load_builtin(state(at, "builtin")) if state(at, "source") == "builtin" else
          lrdata.make_dataset(state(at, "kind"), n_samples=state(at, "n_samples"),
                              noise=state(at, "noise"), n_classes=state(at, "n_classes"),
                              random_state=state(at, "data_seed")))
    train, test = lrdata.train_test_split(ds, test_size=state(at, "test_size"),
                                          random_state=state(at, "data_seed"))
    return ds, pipeline.fit_multiclass(
        train.X, train.y, test.X, test.y, feature_names=ds.feature_names,
        class_names=ds.class_names, settings=reference_settings(at), kind=kind)


def confusion_counts(fig):
    return [[int(str(c).split("<br>")[0]) for c in row] for row in fig["data"][0]["text"]]


def test_two_classes_suggest_data_then_iris_draws_everything(app):
    at = goto(app.run(), "multiclass")
    assert "two classes" in texts(at.info)
    assert not charts(at)
    labels = [b.label for b in at.main.button]
    assert len(labels) == 3 and labels[0].startswith("Iris")

    at.main.button[0].click().run()
    assert_clean(at)
    assert (state(at, "source"), state(at, "builtin")) == ("builtin", "iris")
    figs = charts(at)
    assert {"regions_ovr", "ovr_loss", "ovr_roc", "ovr_confusion"} <= set(figs)
    assert "regions_softmax" not in figs
    ds, ref = reference_multiclass(at)
    names = list(ds.class_names)

    # Regions: the argmax heatmap plus one "class vs rest" p = 0.5 line per class.
    regions = figs["regions_ovr"]
    assert len(traces_of(regions, "heatmap")) == 1
    assert not traces_of(regions, "contour")
    lines = [t for t in traces_of(regions, "scatter") if t.get("mode") == "lines"]
    legend = [t["name"] for t in lines if t.get("showlegend", True)]
    assert legend == [f"{n} vs rest (p = 0.5)" for n in names]
    # Solid where the class wins, dotted where another does; the caption says how much of each
    # class's line is solid, as a fresh fit's grids give it.
    from logreg import ovr_figures

    axes = [regions["layout"][a]["title"]["text"] for a in ("xaxis", "yaxis")]
    drawn = tuple(list(ds.feature_names).index(a) for a in axes)
    train, test = lrdata.train_test_split(ds, test_size=state(at, "test_size"),
                                          random_state=state(at, "data_seed"))
    shown = pipeline.fit_multiclass(train.X, train.y, test.X, test.y,
                                    feature_names=ds.feature_names, class_names=ds.class_names,
                                    settings=reference_settings(at), kind="ovr", drawn=drawn)
    xs, ys, grids = pipeline.class_grids(shown, 150)
    fresh = ovr_figures.class_lines(xs, ys, grids)
    assert len(lines) == sum(len(p) for p in fresh)
    assert {t.get("line", {}).get("dash") for t in lines} == {None, "dot"}
    assert ovr_figures.lines_note(xs, ys, fresh, names) in texts(at.caption)

    # Per-class loss: one curve per class, the recorded history of each one-vs-rest model.
    loss = traces_of(figs["ovr_loss"], "scatter")
    assert len(loss) == 3
    history = np.asarray(ref.model.history_["data_loss"], dtype=float)
    for m, t in enumerate(loss):
        assert names[m] in t["name"]
        np.testing.assert_allclose(values(t["y"]).astype(float), history[:, m], rtol=1e-9)

    # Per-class ROC with each class's AUC, and the k x k confusion on the test set.
    aucs = metrics.per_class_auc(ref.y_test, ref.proba_test)
    roc_names = [t["name"] for t in figs["ovr_roc"]["data"] if "AUC" in t.get("name", "")]
    assert roc_names == [f"{n} (AUC {a:.3f})" for n, a in zip(names, aucs)]
    expected = metrics.confusion_matrix(ref.y_test, ref.proba_test.argmax(axis=1), 3)
    assert confusion_counts(figs["ovr_confusion"]) == np.asarray(expected).tolist()
    accuracy = float((ref.proba_test.argmax(axis=1) == ref.y_test).mean())
    assert metric_value(at, "Accuracy (test)") == f"{accuracy:.1%}"

    # Softmax side by side: a second regions figure, without one-vs-rest lines.
    at.toggle(key="w_compare_softmax").set_value(True).run()
    assert_clean(at)
    figs = charts(at)
    assert {"regions_ovr", "regions_softmax"} <= set(figs)
    assert not traces_of(figs["regions_softmax"], "contour")
    soft_regions = values(traces_of(figs["regions_softmax"], "heatmap")[0]["z"])
    ovr_regions = values(traces_of(figs["regions_ovr"], "heatmap")[0]["z"])
    assert soft_regions.shape == ovr_regions.shape


@pytest.mark.parametrize("button, k", [(1, 4), (2, 3)])
def test_generated_multiclass_suggestions(app, button, k):
    at = goto(app.run(), "multiclass")
    at.main.button[button].click().run()
    assert_clean(at)
    assert state(at, "source") == "generate" and state(at, "n_classes") == k
    figs = charts(at)
    counts = np.asarray(confusion_counts(figs["ovr_confusion"]))
    assert counts.shape == (k, k)
    _, ref = reference_multiclass(at)
    assert counts.sum() == len(ref.y_test)
    assert counts.tolist() == np.asarray(metrics.confusion_matrix(
        ref.y_test, ref.proba_test.argmax(axis=1), k)).tolist()
    assert len(traces_of(figs["ovr_loss"], "scatter")) == k
