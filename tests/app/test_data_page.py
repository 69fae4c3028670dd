"""Data page: generated, built-in and uploaded data; the scatter plot shows exactly the data."""

from __future__ import annotations

import numpy as np
import pytest

from logreg.data import load_builtin, make_dataset, read_csv

from .conftest import (SORRY, assert_clean, chart, goto, state, texts, title, traces_of, upload,
                       values)

def good_csv(sep=",", decimal=".") -> bytes:
    """60 rows, two numeric features and string labels; the classes are well separated."""
    rng = np.random.default_rng(3)
    lines = [sep.join(["height", "weight", "animal"])]
    for i in range(60):
        label = "dog" if i % 2 else "cat"
        h = rng.normal(60 if label == "dog" else 25, 4)
        w = rng.normal(30 if label == "dog" else 4, 1.5)
        lines.append(sep.join([f"{h:.2f}".replace(".", decimal), f"{w:.2f}".replace(".", decimal),
                               label]))
    return ("\n".join(lines) + "\n").encode()


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00"
       + bytes(range(256)) * 3)
BAD_FILES = {
    "empty.csv": b"",
    "header_only.csv": b"height,weight,animal\n",
    "picture.csv": PNG,
    "one_class.csv": b"height,weight,animal\n" + b"".join(
        f"{i},{2 * i},cat\n".encode() for i in range(12)),
    "letter.txt": b"Dear team,\nplease find attached the report for March.\nBest regards,\nAnn\n",
}


def scatter_points(fig) -> np.ndarray:
    """All (x, y) points drawn in a scatter figure, sorted row-wise for set comparison."""
    pts = [np.column_stack([values(t["x"]).astype(float), values(t["y"]).astype(float)])
           for t in fig["data"] if t["type"] in ("scatter", "scattergl")]
    pts = np.vstack(pts)
    return pts[np.lexsort(pts.T[::-1])]


def sorted_rows(X) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    return X[np.lexsort(X.T[::-1])]


def test_default_generated_data_is_drawn_exactly(app):
    at = app.run()
    assert_clean(at)
    fig = chart(at, 0)
    expected = make_dataset("moons", n_samples=400, noise=0.2, n_classes=2, random_state=0)
    np.testing.assert_allclose(scatter_points(fig), sorted_rows(expected.X))
    assert "moons" in title(fig)
    assert "300 training rows and 100 test rows" in texts(at.caption)
    assert len(at.dataframe[0].value) == 200  # preview of the first 200 rows


def test_generator_controls_change_the_data(app):
    at = app.run()
    at.selectbox(key="w_kind").set_value("circles").run()
    at.slider(key="w_n_samples").set_value(200).run()
    at.slider(key="w_noise").set_value(0.05).run()
    at.number_input(key="w_data_seed").set_value(11).run()
    at.slider(key="w_test_size").set_value(0.5).run()
    assert_clean(at)
    expected = make_dataset("circles", n_samples=200, noise=0.05, n_classes=2, random_state=11)
    fig = chart(at, 0)
    np.testing.assert_allclose(scatter_points(fig), sorted_rows(expected.X))
    assert "circles" in title(fig)
    assert "100 training rows and 100 test rows" in texts(at.caption)
    # A multiclass-capable shape enables the classes slider; 4 classes give 4 scatter traces.
    at.selectbox(key="w_kind").set_value("blobs").run()
    assert not at.slider(key="w_n_classes").disabled
    at.slider(key="w_n_classes").set_value(4).run()
    assert_clean(at)
    assert len(traces_of(chart(at, 0), "scatter") + traces_of(chart(at, 0), "scattergl")) == 4


def test_builtin_sets_and_feature_axes(app):
    at = app.run()
    at.radio(key="w_source").set_value("builtin").run()
    assert_clean(at)
    cancer = load_builtin("breast_cancer")
    fig = chart(at, 0)
    # The drawn columns are the ones the axis titles name.
    names = list(cancer.feature_names)
    shown = [names.index(fig["layout"][ax]["title"]["text"]) for ax in ("xaxis", "yaxis")]
    np.testing.assert_allclose(scatter_points(fig), sorted_rows(cancer.X[:, shown]))
    # More than two features: pick the axes; the plot follows.
    at.selectbox(key="data_feature_x").set_value("worst area").run()
    at.selectbox(key="data_feature_y").set_value("worst smoothness").run()
    assert_clean(at)
    fig = chart(at, 0)
    i, j = names.index("worst area"), names.index("worst smoothness")
    np.testing.assert_allclose(scatter_points(fig), sorted_rows(cancer.X[:, [i, j]]))
    assert fig["layout"]["xaxis"]["title"]["text"] == "worst area"
    assert fig["layout"]["yaxis"]["title"]["text"] == "worst smoothness"
    assert (state(at, "feature_x"), state(at, "feature_y")) == ("worst area", "worst smoothness")

    at.selectbox(key="w_builtin").set_value("iris").run()
    assert_clean(at)
    fig = chart(at, 0)
    names = [t["name"] for t in fig["data"]]
    assert len(names) == 3 and all(any(c in n for n in names) for c in
                                   load_builtin("iris").class_names)


def test_upload_good_csv_with_string_labels(app):
    at = upload(app.run(), "pets.csv", good_csv())
    assert_clean(at)
    assert "pets.csv" in texts(at.success)
    assert "**Data:** pets" in texts(at.sidebar.markdown)
    (target,) = [s for s in at.selectbox if s.label == "Column with the classes (target)"]
    assert list(target.options) == ["height", "weight", "animal"] and target.value == "animal"
    fig = chart(at, 0)
    expected = read_csv(good_csv())
    np.testing.assert_allclose(scatter_points(fig), sorted_rows(expected.X))
    assert {"cat", "dog"} <= {n for t in fig["data"] for n in [t["name"]] if n in ("cat", "dog")}
    # The other pages work on the upload.
    goto(at, "train")
    assert "animal" not in str(chart(at, "coef_chart"))  # features only: height, weight
    goto(at, "threshold")


def test_semicolon_file_with_decimal_commas_loads(app):
    at = upload(app.run(), "pets_eu.csv", good_csv(sep=";", decimal=","))
    assert_clean(at)
    fig = chart(at, 0)
    np.testing.assert_allclose(scatter_points(fig), sorted_rows(read_csv(good_csv()).X))
    assert any("decimal comma" in n for n in texts(at.info).split("\n"))


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_upload_shows_error_and_keeps_previous_data(app, name):
    at = upload(app.run(), "pets.csv", good_csv())
    assert_clean(at)
    good_points = scatter_points(chart(at, 0))

    upload(at, name, BAD_FILES[name])
    assert not at.exception
    with pytest.raises(ValueError) as info:
        read_csv(BAD_FILES[name])
    errors = [e.value for e in at.error]
    assert errors == [str(info.value)], errors       # logreg's own words, not an apology
    assert SORRY not in "".join(errors)
    # The previous good upload is still the dataset: preview and other pages use it.
    np.testing.assert_allclose(scatter_points(chart(at, 0)), good_points)
    goto(at, "threshold")
    kept = at.session_state["upload_dataset"]
    assert kept.content_hash == read_csv(good_csv()).content_hash


def test_upload_limit_is_stated(app):
    at = app.run()
    at.radio(key="w_source").set_value("upload").run()
    assert_clean(at)
    assert "Limit 200 MB" in texts(at.caption)
    # Nothing uploaded yet: the other pages say where to get data instead of failing.
    goto(at, "train")
    assert "No data yet" in texts(at.info)
