"""Tests of logreg.figures: each builder's plotly JSON (traces, colours, titles, no NaN)."""

import base64
import math
import re
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from logreg import figures as F
from logreg._figure_style import tint

CLASS_NAMES = ["cat", "dog"]
FEATURES = ["height (cm)", "weight (kg)"]
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


# ---------------------------------------------------------------------------------------------
# Helpers: plotly 6+ serializes numpy arrays as {"dtype", "bdata"[, "shape"]}; decode them.
# ---------------------------------------------------------------------------------------------

def decode(value):
    """A typed-array dict from ``fig.to_dict()`` as a numpy array; anything else unchanged."""
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            shape = value["shape"]
            shape = [int(s) for s in shape.split(",")] if isinstance(shape, str) else shape
            arr = arr.reshape(shape)
        return arr
    return value


def walk(obj, path=""):
    """Yield (path, leaf) for every leaf of a figure dict, with typed arrays decoded."""
    obj = decode(obj)
    if isinstance(obj, dict):
        for key, val in obj.items():
            yield from walk(val, f"{path}.{key}")
    elif isinstance(obj, (list, tuple)):
        for i, val in enumerate(obj):
            yield from walk(val, f"{path}[{i}]")
    else:
        yield path, obj


def non_finite_leaves(fig_dict):
    """Paths in traces and frames holding NaN/inf numbers or None inside a data array."""
    bad = []
    parts = {"data": fig_dict.get("data", []), "frames": fig_dict.get("frames", [])}
    for path, leaf in walk(parts):
        if isinstance(leaf, np.ndarray):
            if leaf.dtype.kind == "f" and not np.isfinite(leaf).all():
                bad.append(path)
            elif leaf.dtype == object and any(v is None for v in leaf.ravel()):
                bad.append(path)
        elif isinstance(leaf, float) and not math.isfinite(leaf):
            bad.append(path)
        elif leaf is None and re.search(r"\.(x|y|z|customdata)\[", path):
            bad.append(path)
    return bad


def arr(trace, key):
    return np.asarray(decode(trace[key]))


def scatter_traces(fig_dict):
    return [t for t in fig_dict["data"] if t["type"] in ("scatter", "scattergl")
            and "markers" in t.get("mode", "")]


def drawn_points(fig_dict):
    return sum(arr(t, "x").size for t in scatter_traces(fig_dict))


def title_text(fig_dict):
    title = fig_dict["layout"]["title"]
    return title["text"] + " " + title.get("subtitle", {}).get("text", "")


def annotation_texts(fig_dict):
    return " | ".join(a.get("text", "") for a in fig_dict["layout"].get("annotations", [])
                      if a.get("visible", True))


# ---------------------------------------------------------------------------------------------
# Small seeded data
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def data():
    return sample_data()


def sample_data():
    """Small inputs every builder can take (200 points, a 30 x 25 probability grid)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    xs, ys = np.linspace(-3, 3, 30), np.linspace(-2.5, 2.5, 25)
    gx, gy = np.meshgrid(xs, ys)
    proba = 1 / (1 + np.exp(-(gx + 0.5 * gy)))
    return dict(X=X, y=y, xs=xs, ys=ys, proba=proba, p=1 / (1 + np.exp(-(X[:, 0] + 0.5 * X[:, 1]))))


def build_all(d):
    """Every builder on small inputs, keyed by name."""
    X, y, xs, ys, proba = d["X"], d["y"], d["xs"], d["ys"], d["proba"]
    kw = dict(class_names=CLASS_NAMES, feature_names=FEATURES)
    three = ["setosa", "versicolor", "virginica"]
    y3 = np.digitize(X[:, 0], [-0.5, 0.5])
    class_proba = np.stack([proba, 1 - proba, np.full_like(proba, 0.3)])
    return {
        "scatter": F.scatter_figure(X, y, CLASS_NAMES, FEATURES),
        "boundary": F.boundary_figure(xs, ys, proba, X[:150], y[:150], X_test=X[150:],
                                      y_test=y[150:], p_train=d["p"][:150], p_test=d["p"][150:],
                                      threshold=0.37, epoch=12, **kw),
        "loss": F.loss_figure(np.arange(1, 21), np.linspace(0.7, 0.3, 20),
                              val_loss=np.linspace(0.72, 0.35, 20),
                              train_accuracy=np.linspace(0.5, 0.9, 20),
                              val_accuracy=np.linspace(0.5, 0.85, 20), current_epoch=8),
        "coef": F.coef_figure([0.8, -1.5, 0.0], ["x1", "x2", "x1*x2"], intercept=-0.2,
                              class_names=CLASS_NAMES, l1_zeros=True),
        "coef_multiclass": F.coef_figure(np.array([[1.0, -0.5], [0.2, 0.0], [-1.2, 0.4]]),
                                         ["x1", "x2"], class_names=three),
        "roc": F.roc_figure([0, 0.1, 0.4, 1], [0, 0.6, 0.9, 1], auc=0.85,
                            marker=dict(fpr=0.1, tpr=0.6, threshold=0.37),
                            iso_cost=dict(x=[0, 1], y=[0.2, 0.9], label="equal cost"),
                            thresholds=[np.inf, 0.8, 0.37, 0.0]),
        "pr": F.pr_figure([0.5, 0.8, 1.0], [1.0, 0.6, 0.0], average_precision=0.81,
                          marker=dict(recall=0.6, precision=0.8, threshold=0.4), prevalence=0.5,
                          thresholds=[0.1, 0.4]),
        "histogram": F.histogram_figure(d["p"], y, threshold=0.37, class_names=CLASS_NAMES),
        "confusion": F.confusion_figure([[42, 8], [5, 45]], CLASS_NAMES),
        "ovr": F.ovr_figure(xs, ys, class_proba, X, y3, class_names=three, feature_names=FEATURES),
        "per_class_loss": F.per_class_loss_figure(
            np.arange(10), np.linspace(1, 0.2, 30).reshape(10, 3), three),
        "per_class_roc": F.per_class_roc_figure(
            [([0, 0.2, 1], [0, 0.7, 1])] * 3, three, aucs=[0.9, 0.8, 0.7], macro_auc=0.8,
            micro_auc=0.82),
        "sweep": F.threshold_sweep_figure(np.linspace(0, 1, 21), np.linspace(1, 0, 21),
                                          np.linspace(1, 0, 21) ** 2, current=0.37),
        "sigmoid": F.sigmoid_figure(),
    }


@pytest.fixture(scope="module")
def figs(data):
    return {name: fig.to_dict() for name, fig in build_all(data).items()}


ALL = ["scatter", "boundary", "loss", "coef", "coef_multiclass", "roc", "pr",
       "histogram", "confusion", "ovr", "per_class_loss", "per_class_roc", "sweep", "sigmoid"]


# ---------------------------------------------------------------------------------------------
# What every figure shares
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_every_figure_has_title_axis_titles_fixed_height_and_readable_fonts(figs, name):
    fig = figs[name]
    layout = fig["layout"]
    assert layout["title"]["text"].strip()
    assert layout["xaxis"]["title"]["text"].strip()
    if name not in ("coef", "coef_multiclass"):  # feature names label those bars
        assert layout["yaxis"]["title"]["text"].strip()
    assert 440 <= layout["height"] <= 600
    assert layout["font"]["size"] >= 13
    assert layout["template"]["layout"]["plot_bgcolor"] == "white"


@pytest.mark.parametrize("name", ALL)
def test_no_nan_or_inf_reaches_any_trace(figs, name):
    assert non_finite_leaves(figs[name]) == []


@pytest.mark.parametrize("name", ALL)
def test_figures_with_several_traces_show_a_legend(figs, name):
    fig = figs[name]
    named = [t for t in fig["data"] if t.get("showlegend", True) and t.get("name")]
    if len(fig["data"]) > 1:
        assert fig["layout"].get("showlegend", True) is not False
        assert len(named) >= 2 or name in ("confusion",)


def test_figures_module_imports_no_streamlit():
    for path in ("logreg/figures.py", "logreg/_figure_style.py"):
        source = (Path(__file__).parents[1] / path).read_text()
        assert not re.search(r"^\s*(import|from)\s+streamlit", source, re.M), path


# ---------------------------------------------------------------------------------------------
# Class colours
# ---------------------------------------------------------------------------------------------

def test_class_colors_start_with_okabe_ito_and_stay_distinct_for_20_classes():
    assert list(F.CLASS_COLORS[:8]) == OKABE_ITO
    colors = [F.class_color(i) for i in range(20)]
    assert len({c.lower() for c in colors}) == 20
    assert F.class_color(20) == F.class_color(0)


def _point_color(fig, class_name):
    trace = next(t for t in scatter_traces(fig) if t["name"].startswith(class_name))
    return trace["marker"]["color"]


def test_each_class_has_the_same_colour_in_every_figure(figs):
    for m, name in enumerate(CLASS_NAMES):
        expected = F.class_color(m)
        assert _point_color(figs["scatter"], name) == expected
        assert _point_color(figs["boundary"], name) == expected
        hist = next(t for t in figs["histogram"]["data"] if name in t["name"])
        assert hist["marker"]["color"] == expected
        assert expected in figs["confusion"]["layout"]["yaxis"]["ticktext"][m]
    for m, name in enumerate(["setosa", "versicolor", "virginica"]):
        expected = F.class_color(m)
        assert _point_color(figs["ovr"], name) == expected
        contour = next(t for t in figs["ovr"]["data"]
                       if t["type"] == "contour" and name in t["name"])
        assert contour["line"]["color"] == expected
        roc = next(t for t in figs["per_class_roc"]["data"] if t["name"].startswith(name))
        assert roc["line"]["color"] == expected
        loss = next(t for t in figs["per_class_loss"]["data"] if t["name"].startswith(name))
        assert loss["line"]["color"] == expected
        bars = next(t for t in figs["coef_multiclass"]["data"] if t["name"] == name)
        assert bars["marker"]["color"] == expected


# ---------------------------------------------------------------------------------------------
# Data and boundary
# ---------------------------------------------------------------------------------------------

def test_boundary_heatmap_uses_class_tints_around_white_from_0_to_1(figs):
    heat = figs["boundary"]["data"][0]
    assert heat["type"] == "heatmap"
    assert (heat["zmin"], heat["zmax"]) == (0, 100)  # whole percent
    assert heat["colorbar"]["ticktext"] == ["0", "0.25", "0.5", "0.75", "1"]
    scale = heat["colorscale"]
    assert scale[0] == [0.0, tint(F.class_color(0))]
    assert scale[1] == [0.5, "rgb(255, 255, 255)"]
    assert scale[-1] == [1.0, tint(F.class_color(1))]


def test_boundary_contour_is_a_single_line_at_the_threshold(figs):
    contour = figs["boundary"]["data"][1]
    assert contour["type"] == "contour"
    assert contour["contours"]["start"] == contour["contours"]["end"] == 0.37
    assert contour["contours"]["coloring"] == "none"
    assert contour["name"] == "p = 0.37 boundary"


def test_boundary_contour_of_a_fine_grid_is_drawn_from_a_thinned_grid_spanning_the_same_view():
    xs, ys = np.linspace(-3, 3, 200), np.linspace(-2, 2, 173)
    gx, gy = np.meshgrid(xs, ys)
    proba = 1 / (1 + np.exp(-(gx + gy)))
    fig = F.boundary_figure(xs, ys, proba, np.zeros((2, 2)), np.array([0, 1]),
                            class_names=CLASS_NAMES, feature_names=FEATURES)
    heat, contour = fig.data[0], fig.data[1]
    assert np.asarray(heat.z).shape == (173, 200)  # the heatmap keeps every grid point
    np.testing.assert_array_equal(heat.z, np.rint(proba * 100))  # in whole percent
    cx, cy, cz = np.asarray(contour.x), np.asarray(contour.y), np.asarray(contour.z)
    assert cz.shape == (cy.size, cx.size) and cx.size <= 101 and cy.size <= 101
    assert (cx[0], cx[-1], cy[0], cy[-1]) == (xs[0], xs[-1], ys[0], ys[-1])
    ix, iy = np.searchsorted(xs, cx), np.searchsorted(ys, cy)
    np.testing.assert_allclose(cz, proba[np.ix_(iy, ix)], rtol=1e-6)  # float32 of the same p

def test_boundary_draws_train_as_circles_and_test_as_x_with_probability_in_hover(figs):
    points = scatter_traces(figs["boundary"])
    symbols = {t["name"]: t["marker"]["symbol"] for t in points}
    assert symbols == {"cat (train)": "circle", "dog (train)": "circle",
                       "cat (test)": "x", "dog (test)": "x"}
    assert drawn_points(figs["boundary"]) == 200
    hover = points[0]["hovertemplate"]
    assert "height (cm)" in hover and "weight (kg)" in hover and "true class" in hover
    assert "p(dog)" in hover and "customdata" in points[0]


def test_boundary_title_names_the_epoch(figs):
    assert "epoch 12" in figs["boundary"]["layout"]["title"]["text"]


def test_boundary_says_so_when_the_threshold_is_never_crossed(data):
    kw = dict(class_names=CLASS_NAMES, feature_names=FEATURES)
    high = F.boundary_figure(data["xs"], data["ys"], 0.6 + 0.3 * data["proba"],
                             data["X"], data["y"], **kw).to_dict()
    assert "every point in view is predicted dog" in annotation_texts(high)
    flat = F.boundary_figure(data["xs"], data["ys"], np.full_like(data["proba"], 0.2),
                             data["X"], data["y"], **kw).to_dict()
    assert "p = 0.20 everywhere (weights are 0): all predicted cat" in annotation_texts(flat)
    crossed = F.boundary_figure(data["xs"], data["ys"], data["proba"], data["X"], data["y"], **kw)
    assert "every point" not in annotation_texts(crossed.to_dict())


def test_boundary_with_nan_probabilities_draws_no_nan_and_explains(data):
    fig = F.boundary_figure(data["xs"], data["ys"], np.full_like(data["proba"], np.nan),
                            data["X"], data["y"], class_names=CLASS_NAMES, feature_names=FEATURES,
                            p_train=np.full(200, np.nan)).to_dict()
    assert non_finite_leaves(fig) == []
    assert "diverged" in annotation_texts(fig)
    fig = F.boundary_figure(data["xs"], data["ys"], data["proba"], data["X"], data["y"],
                            class_names=CLASS_NAMES, feature_names=FEATURES,
                            note="Training diverged at epoch 3").to_dict()
    assert "Training diverged at epoch 3" in annotation_texts(fig)


def test_boundary_rejects_a_grid_of_the_wrong_shape(data):
    with pytest.raises(ValueError, match="shape"):
        F.boundary_figure(data["xs"], data["ys"], data["proba"].T, data["X"], data["y"],
                          class_names=CLASS_NAMES, feature_names=FEATURES)


def test_scatter_caps_drawn_points_with_a_stratified_webgl_sample_and_says_so():
    rng = np.random.default_rng(1)
    n = 30_000
    X = rng.normal(size=(n, 2))
    y = (rng.random(n) < 0.01).astype(int)  # 1 % positives must survive the sampling
    fig = F.scatter_figure(X, y, CLASS_NAMES, FEATURES, max_points=20_000).to_dict()
    assert drawn_points(fig) == 20_000
    assert {t["type"] for t in scatter_traces(fig)} == {"scattergl"}
    assert "showing 20,000 of 30,000 points" in title_text(fig)
    shown = {t["name"]: arr(t, "x").size for t in scatter_traces(fig)}
    assert shown["dog"] == pytest.approx(20_000 * y.mean(), abs=2)
    again = F.scatter_figure(X, y, CLASS_NAMES, FEATURES, max_points=20_000).to_dict()
    np.testing.assert_array_equal(arr(scatter_traces(fig)[0], "x"),
                                  arr(scatter_traces(again)[0], "x"))


def test_small_scatter_uses_svg_markers_and_no_sampling_note(figs):
    assert {t["type"] for t in scatter_traces(figs["scatter"])} == {"scatter"}
    assert "showing" not in title_text(figs["scatter"])


def test_boundary_caps_train_and_test_points_together(data):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(9000, 2))
    y = (X[:, 0] > 0).astype(int)
    fig = F.boundary_figure(data["xs"], data["ys"], data["proba"], X[:6000], y[:6000],
                            X_test=X[6000:], y_test=y[6000:], class_names=CLASS_NAMES,
                            feature_names=FEATURES, max_points=3000).to_dict()
    assert drawn_points(fig) == 3000
    assert "showing 3,000 of 9,000 points" in title_text(fig)


# ---------------------------------------------------------------------------------------------
# Animation
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# Loss and weights
# ---------------------------------------------------------------------------------------------

def test_loss_figure_puts_accuracy_on_a_second_axis_and_marks_the_current_epoch(figs):
    fig = figs["loss"]
    names = [t["name"] for t in fig["data"]]
    assert names == ["train loss", "test loss", "train accuracy", "test accuracy"]
    assert fig["data"][1]["line"]["dash"] == "dash"
    assert [t.get("yaxis", "y") for t in fig["data"]] == ["y", "y", "y2", "y2"]
    assert fig["layout"]["yaxis"]["title"]["text"] == "log-loss (lower is better)"
    assert fig["layout"]["yaxis2"]["title"]["text"] == "accuracy (grey)"
    assert fig["layout"]["xaxis"]["title"]["text"] == "epoch"
    assert fig["layout"]["shapes"][0]["x0"] == 8


def test_loss_figure_drops_non_finite_losses_and_flags_divergence():
    loss = np.array([0.7, 0.9, 5.0, np.inf, np.nan])
    fig = F.loss_figure(np.arange(1, 6), loss, diverged_epoch=4).to_dict()
    assert non_finite_leaves(fig) == []
    np.testing.assert_array_equal(arr(fig["data"][0], "y"), [0.7, 0.9, 5.0])
    assert "diverged at epoch 4: learning rate too high" in annotation_texts(fig)
    empty = F.loss_figure(np.arange(1, 3), [np.nan, np.nan]).to_dict()
    assert "No finite loss" in annotation_texts(empty)


def test_loss_figure_with_one_point_has_a_readable_axis_and_names_its_steps():
    fig = F.loss_figure([0], [np.log(2.0)], step_name="iteration").to_dict()
    axis = fig["layout"]["yaxis"]
    low, high = axis["range"]
    # Plotly would zoom into the 17th digit; the range is +-5% around the value, 3-digit ticks.
    assert low == pytest.approx(np.log(2) * 0.95) and high == pytest.approx(np.log(2) * 1.05)
    assert axis["tickformat"] == ".3~g"
    assert fig["data"][0]["mode"] == "markers"  # one point: a dot, since a line needs two
    assert fig["layout"]["xaxis"]["title"]["text"] == "iteration"
    assert fig["data"][0]["hovertemplate"].startswith("iteration ")
    # A curve that moves keeps plotly's automatic axis.
    moving = F.loss_figure([0, 1, 2], [0.69, 0.5, 0.4]).to_dict()
    assert "range" not in moving["layout"].get("yaxis", {})


def test_coef_figure_sorts_by_magnitude_and_marks_exact_zeros(figs):
    fig = figs["coef"]
    assert fig["layout"]["yaxis"]["categoryarray"] == ["x2", "x1", "x1*x2"]
    zero = next(t for t in fig["data"] if "exactly 0" in t["name"])
    assert list(zero["y"]) == ["x1*x2"] and zero["marker"]["color"] == "#bdbdbd"
    assert "1 of 3 weights are exactly 0" in title_text(fig)
    assert "intercept b = -0.2" in title_text(fig)
    # Without an L1 penalty (or at epoch 0) a zero is a start value: no claim about L1.
    plain = F.coef_figure([0.0, 0.0], ["x1", "x2"]).to_dict()
    assert "exactly 0" not in title_text(plain) and "L1" not in title_text(plain)
    positive = next(t for t in fig["data"] if "w > 0" in t["name"])
    assert positive["marker"]["color"] == F.class_color(1)
    assert "multiplies the odds of dog by 2.23" in positive["hovertext"][0]
    assert arr(positive, "customdata")[0] == pytest.approx(np.exp(0.8))


def test_multiclass_coef_figure_groups_bars_by_class(figs):
    fig = figs["coef_multiclass"]
    assert fig["layout"]["barmode"] == "group"
    assert [t["name"] for t in fig["data"]] == ["setosa", "versicolor", "virginica"]
    assert "1 of 2 weights" not in title_text(fig)  # x2 is zero only for one class


def test_coef_figure_survives_non_finite_weights():
    fig = F.coef_figure([np.nan, 1.0], ["a", "b"]).to_dict()
    assert non_finite_leaves(fig) == []
    assert "not finite" in annotation_texts(fig)


# ---------------------------------------------------------------------------------------------
# Threshold page
# ---------------------------------------------------------------------------------------------

def test_roc_figure_marks_the_threshold_and_names_the_auc(figs):
    fig = figs["roc"]
    marker = next(t for t in fig["data"] if t.get("mode") == "markers+text")
    assert (list(marker["x"]), list(marker["y"])) == ([0.1], [0.6])
    assert marker["text"] == ["T = 0.37"]
    model = next(t for t in fig["data"] if t["name"].startswith("model"))
    assert model["name"] == "model (AUC 0.850)"
    assert "above every score" in model["hovertext"][0]
    chance = next(t for t in fig["data"] if t["name"].startswith("chance"))
    assert list(chance["x"]) == [0, 1] and list(chance["y"]) == [0, 1]
    iso = next(t for t in fig["data"] if t["name"] == "equal cost")
    assert iso["line"]["dash"] == "dash"
    layout = fig["layout"]
    assert layout["xaxis"]["title"]["text"] == "false positive rate (FPR)"
    assert layout["yaxis"]["title"]["text"] == "true positive rate (TPR)"
    assert layout["yaxis"]["scaleanchor"] == "x"


def test_pr_figure_draws_the_prevalence_baseline_and_marker(figs):
    fig = figs["pr"]
    baseline = next(t for t in fig["data"] if t["name"].startswith("random model"))
    assert list(baseline["y"]) == [0.5, 0.5]
    marker = next(t for t in fig["data"] if t.get("mode") == "markers+text")
    assert (list(marker["x"]), list(marker["y"])) == ([0.6], [0.8])
    assert any(t["name"] == "model (AP 0.810)" for t in fig["data"])
    model = next(t for t in fig["data"] if t["name"].startswith("model"))
    assert model["hovertext"][-1] == "threshold: none (end of curve)"


def test_histogram_draws_one_histogram_per_class_and_the_threshold_line(figs):
    fig = figs["histogram"]
    assert [t["type"] for t in fig["data"]] == ["histogram", "histogram"]
    assert fig["layout"]["barmode"] == "overlay"
    line = fig["layout"]["shapes"][0]
    assert line["x0"] == line["x1"] == 0.37
    assert "T = 0.37" in annotation_texts(fig)
    assert fig["layout"]["xaxis"]["title"]["text"] == "predicted probability of dog"
    assert list(fig["layout"]["xaxis"]["range"]) == [0, 1]


def test_confusion_cells_show_count_and_row_percentage(figs):
    heat = figs["confusion"]["data"][0]
    text = heat["text"]
    assert text[0][0] == "42<br>84%" and text[0][1] == "8<br>16%"
    assert text[1][1] == "45<br>90%"
    z = arr(heat, "z")
    np.testing.assert_allclose(z, [[0.84, 0.16], [0.1, 0.9]])
    layout = figs["confusion"]["layout"]
    # True class 0 on top (the first row): the y range runs from the last row to the first.
    assert layout["yaxis"]["range"] == [1.5, -0.5] and "autorange" not in layout["yaxis"]
    assert layout["xaxis"]["title"]["text"] == "predicted class"
    assert layout["yaxis"]["title"]["text"] == "true class"


def test_confusion_handles_20_classes_and_empty_rows():
    m = np.eye(20, dtype=int) * 5
    m[3] = 0  # a class with no samples has no rate: must be 0, not NaN
    fig = F.confusion_figure(m, [f"class {i}" for i in range(20)]).to_dict()
    assert non_finite_leaves(fig) == []
    assert arr(fig["data"][0], "z").shape == (20, 20)
    assert len(fig["layout"]["yaxis"]["ticktext"]) == 20


def test_threshold_sweep_marks_the_current_threshold(figs):
    fig = figs["sweep"]
    assert [t["name"] for t in fig["data"]] == [
        "true positive rate (TPR)", "false positive rate (FPR)"]
    assert fig["layout"]["shapes"][0]["x0"] == 0.37


# ---------------------------------------------------------------------------------------------
# Multiclass and About
# ---------------------------------------------------------------------------------------------

def test_ovr_figure_draws_argmax_regions_and_one_half_line_per_class(figs, data):
    fig = figs["ovr"]
    region = fig["data"][0]
    assert region["type"] == "heatmap"
    z = arr(region, "z")
    proba = data["proba"]
    expected = np.stack([proba, 1 - proba, np.full_like(proba, 0.3)]).argmax(axis=0)
    np.testing.assert_array_equal(z, expected)
    assert (region["zmin"], region["zmax"]) == (-0.5, 2.5)
    contours = [t for t in fig["data"] if t["type"] == "contour"]
    assert len(contours) == 3
    assert all(c["contours"]["start"] == c["contours"]["end"] == 0.5 for c in contours)
    assert contours[0]["name"].startswith("class setosa vs rest")


def test_per_class_roc_shows_aucs_and_averages(figs):
    fig = figs["per_class_roc"]
    assert [t["name"] for t in fig["data"][1:]] == [
        "setosa (AUC 0.900)", "versicolor (AUC 0.800)", "virginica (AUC 0.700)"]
    assert "macro AUC 0.800" in title_text(fig) and "micro AUC 0.820" in title_text(fig)


def test_sigmoid_figure_crosses_one_half_at_zero(figs):
    curve = next(t for t in figs["sigmoid"]["data"] if t["name"].startswith("σ"))
    z, p = arr(curve, "x"), arr(curve, "y")
    assert p[np.argmin(np.abs(z))] == pytest.approx(0.5)
    assert z.min() == -8 and z.max() == 8
    assert ((p >= 0) & (p <= 1)).all()


def test_builders_return_plotly_figures(data):
    assert all(isinstance(f, go.Figure) for f in build_all(data).values())


def test_histogram_can_show_each_class_as_a_share_of_itself(data):
    fig = F.histogram_figure(data["p"], data["y"], threshold=0.9, class_names=CLASS_NAMES,
                             per_class_share=True).to_dict()
    assert {t["histnorm"] for t in fig["data"]} == {"percent"}
    assert fig["layout"]["yaxis"]["title"]["text"] == "share of the class (%)"
    # At T = 0.9 there is no room right of the line for a label: only the left one is drawn.
    assert "predicted dog" not in annotation_texts(fig)
    assert "predicted cat" in annotation_texts(fig)


@pytest.mark.parametrize("n_positive, expect_share", [(10, True), (24, True), (26, False),
                                                      (50, False), (74, False), (76, True)])
def test_histogram_auto_shows_shares_when_one_class_is_under_a_quarter(n_positive, expect_share):
    y = np.r_[np.zeros(100 - n_positive, int), np.ones(n_positive, int)]
    p = np.linspace(0.01, 0.99, 100)
    fig = F.histogram_figure(p, y, threshold=0.5, class_names=CLASS_NAMES,
                             per_class_share="auto").to_dict()
    assert ({t.get("histnorm") for t in fig["data"]} == {"percent"}) is expect_share


def test_softmax_regions_have_no_one_vs_rest_lines(data):
    proba = data["proba"]
    soft = np.stack([proba, 1 - proba])
    fig = F.ovr_figure(data["xs"], data["ys"], soft, data["X"], data["y"], class_names=CLASS_NAMES,
                       feature_names=FEATURES, kind="softmax").to_dict()
    assert [t["type"] for t in fig["data"]][:1] == ["heatmap"]
    assert not any(t["type"] == "contour" for t in fig["data"])
    assert fig["layout"]["title"]["text"] == "Softmax: regions"


@pytest.mark.parametrize("max_points", [1, 3, 7, 50])
def test_stratified_sample_never_exceeds_the_cap_and_keeps_rare_classes(max_points):
    from logreg._figure_style import stratified_sample

    y = np.repeat(np.arange(5), [1000, 300, 50, 2, 1])
    idx = stratified_sample(y, max_points, np.random.default_rng(0))
    assert idx.size == max_points
    assert np.unique(idx).size == idx.size
    if max_points >= 5:
        assert set(y[idx]) == set(range(5))


def test_compare_loss_figure_draws_each_run_in_its_own_colour_without_nan():
    from logreg.figures import compare_loss_figure

    fig = compare_loss_figure([
        ("A", np.arange(4), [0.7, 0.5, 0.4, 0.3], [0.7, 0.6, 0.5, 0.45]),
        ("B", np.arange(3), [0.7, np.nan, 2.0], None),
    ])
    d = fig.to_dict()
    names = [t["name"] for t in d["data"]]
    assert names == ["A: train loss", "A: test loss", "B: train loss"]
    colours = [t["line"]["color"] for t in d["data"]]
    assert colours[0] == colours[1] != colours[2]
    assert list(arr(d["data"][2], "y")) == [0.7, 2.0]  # NaN left out
    assert not non_finite_leaves(d)
    assert d["layout"]["xaxis"]["title"]["text"] == "epoch"


def test_weights_compare_lists_features_largest_first_and_runs_in_legend_order():
    """Largest |w| on top; the category axis is reversed (range written out), so a group's
    bars run top to bottom in trace (= legend) order: the first run's bar is the top one."""
    from logreg.run_figures import weights_compare_figure

    runs = [("run 1", ("a", "b", "c"), np.array([0.1, -2.0, 0.5])),
            ("run 2", ("a", "b", "c"), np.array([0.3, -1.0, 1.5]))]
    fig = weights_compare_figure(runs).to_dict()
    axis = fig["layout"]["yaxis"]
    assert list(axis["categoryarray"]) == ["b", "c", "a"]  # max |w| over the runs: 2.0, 1.5, 0.3
    assert axis["range"] == [2.5, -0.5]  # reversed: the first category and trace on top
    assert [t["name"] for t in fig["data"]] == ["run 1", "run 2"]
    for t, (_, names, coef) in zip(fig["data"], runs):
        assert dict(zip(t["y"], t["x"])) == pytest.approx(dict(zip(names, coef)))
