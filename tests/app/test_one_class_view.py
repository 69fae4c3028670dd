"""Multiclass page: one class's own one-vs-rest model alone, labelled lines, the hardest class."""

from __future__ import annotations

import numpy as np

from logreg import data as lrdata
from logreg import lesson_text, pipeline

from .conftest import assert_clean, chart, goto, heatmap_z, reference_settings, state, texts


def iris_page(app):
    app.query_params.update(source="builtin", builtin="iris")
    at = goto(app.run(), "multiclass")
    return at


def fresh_ovr(at, kind="ovr"):
    ds = lrdata.load_builtin("iris")
    train, test = lrdata.train_test_split(ds, test_size=state(at, "test_size"),
                                          random_state=state(at, "data_seed"))
    return pipeline.fit_multiclass(train.X, train.y, test.X, test.y,
                                   feature_names=ds.feature_names, class_names=ds.class_names,
                                   settings=reference_settings(at), kind=kind,
                                   drawn=pipeline.informative_pair(ds.X, ds.y))


def test_one_class_view_draws_that_class_model_alone(app):
    at = iris_page(app)
    assert "one_class_chart" not in {e.proto.id.split("-", 2)[-1] for e in at.get("plotly_chart")}
    at.button_group(key="w_ovr_class").set_value("versicolor").run()
    assert_clean(at)
    assert state(at, "ovr_class") == "versicolor" and at.query_params["ovr_class"] == "versicolor"
    fig = chart(at, "one_class_chart")
    ref = fresh_ovr(at)
    xs, ys, grids = pipeline.class_grids(ref, 150)
    np.testing.assert_allclose(heatmap_z(fig), np.rint(grids[1] * 100) / 100, atol=0.0101)
    assert fig["layout"]["title"]["text"].startswith("versicolor's own model")
    texts_ = [a["text"] for a in fig["layout"]["annotations"]]
    assert any("yes side: versicolor" in t for t in texts_)
    assert any("no side: the rest" in t for t in texts_)
    # Every class line is labelled in the regions figure.
    regions = chart(at, "regions_ovr")
    labels = [a["text"] for a in regions["layout"]["annotations"]]
    for name in ("setosa", "versicolor", "virginica"):
        assert f"<b>{name}</b> vs rest" in labels
    # Deselecting hides the view again.
    at.button_group(key="w_ovr_class").set_value(None).run()
    assert state(at, "ovr_class") == ""


def test_hardest_class_sentence_is_built_from_the_runs_on_screen(app):
    at = iris_page(app)
    info = texts(at.info)
    assert lesson_text.hardest_class(fresh_ovr(at), None) in info
    at.toggle(key="w_compare_softmax").set_value(True).run()
    assert lesson_text.hardest_class(fresh_ovr(at), fresh_ovr(at, "softmax")) in texts(at.info)
    assert "does better there" in texts(at.info)
