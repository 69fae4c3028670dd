"""One-vs-rest class lines drawn where they matter (issue 13 item 6), against closed forms and
fresh evaluations of the fitted models at the drawn points."""

from __future__ import annotations

import re

import numpy as np
import pytest

from logreg import data as lrdata
from logreg import figures, ovr_figures, pipeline
from logreg.pipeline import TrainSettings


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def vertices(xs, ys, grid):
    out = []
    for edges, t in ovr_figures.level_lines(xs, ys, grid):
        x0, x1 = xs[edges[:, 0, 1]], xs[edges[:, 1, 1]]
        y0, y1 = ys[edges[:, 0, 0]], ys[edges[:, 1, 0]]
        out.append((x0 + t * (x1 - x0), y0 + t * (y1 - y0)))
    return out


def test_level_lines_of_a_straight_boundary_lie_on_it_end_to_end():
    xs, ys = np.linspace(-1, 1, 61), np.linspace(-2, 3, 47)
    X, Y = np.meshgrid(xs, ys)
    a, b, c = 2.0, -1.0, 0.3
    (line,) = vertices(xs, ys, sigmoid(a * X + b * Y + c))
    x, y = line
    # On the line a x + b y + c = 0 (linear interpolation of a sigmoid near 0.5: tiny error).
    np.testing.assert_allclose(a * x + b * y + c, 0.0, atol=2e-3)
    # From one edge of the plot to the other: the closed-form ends y = (a x + c) at x = +-1.
    ends = sorted([(x[0], y[0]), (x[-1], y[-1])])
    np.testing.assert_allclose(ends, [(-1.0, -1.7), (1.0, 2.3)], atol=1e-3)
    assert np.all(np.diff(x) > 0) or np.all(np.diff(x) < 0)  # one chain, in order


def test_level_lines_of_a_circle_close_into_one_loop_on_the_circle():
    xs, ys = np.linspace(-2, 2, 81), np.linspace(-2, 2, 81)
    X, Y = np.meshgrid(xs, ys)
    (line,) = vertices(xs, ys, sigmoid(5 * (1 - X ** 2 - Y ** 2)))
    x, y = line
    assert (x[0], y[0]) == (x[-1], y[-1])  # a closed loop repeats its first vertex
    np.testing.assert_allclose(np.hypot(x, y), 1.0, atol=3e-3)
    assert len(x) > 60


def test_level_lines_are_empty_when_the_grid_stays_on_one_side():
    xs, ys = np.linspace(0, 1, 11), np.linspace(0, 1, 9)
    assert ovr_figures.level_lines(xs, ys, np.full((9, 11), 0.7)) == []
    assert ovr_figures.level_lines(xs, ys, np.full((9, 11), np.nan)) == []


@pytest.fixture(scope="module")
def iris():
    ds = lrdata.load_builtin("iris")
    tr, te = lrdata.train_test_split(ds, test_size=0.25, random_state=0)
    run = pipeline.fit_multiclass(tr.X, tr.y, te.X, te.y, feature_names=ds.feature_names,
                                  class_names=ds.class_names, settings=TrainSettings(),
                                  kind="ovr", drawn=(2, 3))
    xs, ys, grids = pipeline.class_grids(run, 150)
    return run, xs, ys, grids


def model_proba(run, x, y):
    """Each one-vs-rest model's own p at drawn points (x, y), the other features at their
    training mean: built here from the fitted model, not from the figure's grid. (k, n)."""
    rows = np.tile(run.X_train.mean(axis=0), (len(x), 1))
    rows[:, 2], rows[:, 3] = x, y
    return run.model.predict_proba_ovr(run.features.transform(rows)).T


def test_solid_parts_are_where_the_class_wins_and_dotted_where_another_wins_on_both_sides(iris):
    run, xs, ys, grids = iris
    lines = ovr_figures.class_lines(xs, ys, grids)
    assert len(lines) == 3
    kinds = set()
    for m, pieces in enumerate(lines):
        assert pieces, m
        for piece in pieces:
            x, y = piece["x"], piece["y"]
            assert (x >= xs[0]).all() and (x <= xs[-1]).all()  # inside the plot
            assert (y >= ys[0]).all() and (y <= ys[-1]).all()
            # Away from the piece's ends (where the argmax changes), judged by the model itself.
            inner = slice(2, -2) if len(x) > 6 else slice(None)
            mx = (x[:-1] + x[1:])[inner] / 2
            my = (y[:-1] + y[1:])[inner] / 2
            P = model_proba(run, mx, my)
            np.testing.assert_allclose(P[m], 0.5, atol=0.01)  # on class m's own p = 0.5 line
            best_other = np.delete(P, m, axis=0).max(axis=0)
            if piece["wins"]:
                kinds.add("solid")
                assert (P[m] >= best_other - 0.01).all()
            else:
                kinds.add("dotted")
                assert (best_other >= P[m] - 0.01).all()
                # The winner is the same on both sides of the line: crossing it changes nothing.
                dx, dy = np.gradient(x)[inner][:len(mx)], np.gradient(y)[inner][:len(mx)]
                norm = np.hypot(dx / np.ptp(xs), dy / np.ptp(ys)) + 1e-12
                nx_, ny_ = -dy / np.ptp(ys) / norm * np.ptp(xs), dx / np.ptp(xs) / norm * np.ptp(ys)
                clear = best_other > P[m] + 0.02
                for side in (-0.01, 0.01):
                    Q = model_proba(run, mx + side * nx_, my + side * ny_)
                    assert (Q.argmax(axis=0)[clear] != m).all()
                    assert (Q.argmax(axis=0)[clear] == P.argmax(axis=0)[clear]).all()
    assert kinds == {"solid", "dotted"}  # iris shows both


def exact_line_share(run, xs, ys, m, n=4001):
    """Share of class m's exact p = 0.5 line in the plot where m has the highest p.

    Degree 1: the line is straight, logit_m(x, y) = a x + b y + c; a, b, c come from three model
    evaluations, the segment inside the plot from clipping, the winners from the model."""
    def logit(x, y):
        p = model_proba(run, [x], [y])[m, 0]
        return np.log(p / (1 - p))

    c = logit(0.0, 0.0)
    a, b = logit(1.0, 0.0) - c, logit(0.0, 1.0) - c
    # Where the line crosses the plot box's four sides.
    hits = []
    for x in (xs[0], xs[-1]):
        y = -(a * x + c) / b
        if ys[0] <= y <= ys[-1]:
            hits.append((x, y))
    for y in (ys[0], ys[-1]):
        x = -(b * y + c) / a
        if xs[0] <= x <= xs[-1]:
            hits.append((x, y))
    (x0, y0), (x1, y1) = hits[:2]
    s = np.linspace(0, 1, n)
    P = model_proba(run, x0 + s * (x1 - x0), y0 + s * (y1 - y0))
    return float((P.argmax(axis=0) == m).mean())


def test_solid_shares_and_the_caption_match_the_exact_lines(iris):
    run, xs, ys, grids = iris
    lines = ovr_figures.class_lines(xs, ys, grids)
    shares = ovr_figures.winning_shares(xs, ys, lines)
    exact = [exact_line_share(run, xs, ys, m) for m in range(3)]
    np.testing.assert_allclose(shares, exact, atol=0.01)
    note = ovr_figures.lines_note(xs, ys, lines, run.class_names)
    said = re.search(r"\(solid: (.*) of its line\)", note).group(1).split(", ")
    assert [s.rsplit(" ", 1)[0] for s in said] == list(run.class_names)
    percents = [int(s.rsplit(" ", 1)[1].rstrip("%")) for s in said]
    np.testing.assert_allclose(percents, 100 * np.array(exact), atol=1.5)
    assert note.startswith("Each class's own p = 0.5 line is solid inside that class's region")


def test_the_figure_draws_each_piece_in_its_style_with_one_legend_entry_per_class(iris):
    run, xs, ys, grids = iris
    X2 = run.X_train[:, [2, 3]]
    base = figures.ovr_figure(xs, ys, grids, X2, run.y_train, class_names=run.class_names,
                              feature_names=["petal length", "petal width"])
    fig, note = ovr_figures.explained_lines(base, xs, ys, grids, X2, run.y_train,
                                            run.class_names)
    assert not [t for t in fig.data if t.type == "contour"]
    lines = ovr_figures.class_lines(xs, ys, grids)
    drawn = [t for t in fig.data if t.type == "scatter" and t.mode == "lines"]
    assert len(drawn) == sum(len(p) for p in lines)
    assert fig.data[0].type == "heatmap" and fig.data[-1].mode == "markers"  # points on top
    for m, name in enumerate(run.class_names):
        mine = [t for t in drawn if t.legendgroup == f"line{m}"]
        assert sum(bool(t.showlegend) for t in mine) == 1
        assert all(t.name == f"{name} vs rest (p = 0.5)" for t in mine)
        for t in mine:
            solid = t.line.dash is None
            assert solid == ("has the highest p here" in t.hovertemplate)
    # Each label sits on its class's solid part, inside the plot.
    labels = {a.text: a for a in fig.layout.annotations}
    for m, name in enumerate(run.class_names):
        a = labels[f"<b>{name}</b> vs rest"]
        solid = [p for p in lines[m] if p["wins"]]
        d = min(np.hypot(p["x"] - a.x, p["y"] - a.y).min() for p in solid)
        assert d < 1e-9
        assert xs[0] < a.x < xs[-1] and ys[0] < a.y < ys[-1]
    assert note == ovr_figures.lines_note(xs, ys, lines, run.class_names)


def test_a_class_whose_line_misses_the_plot_is_named_in_the_caption():
    xs, ys = np.linspace(0, 1, 21), np.linspace(0, 1, 21)
    X, Y = np.meshgrid(xs, ys)
    P = np.stack([sigmoid(8 * (X - 0.5)), sigmoid(8 * (0.5 - X)), np.full_like(X, 0.1)])
    lines = ovr_figures.class_lines(xs, ys, P)
    assert lines[2] == []
    note = ovr_figures.lines_note(xs, ys, lines, ["a", "b", "c"])
    assert "(solid: a 100%, b 100% of its line); c: no line in view." in note


def test_labels_on_crowded_lines_sit_on_their_line_and_do_not_overlap():
    ds = lrdata.make_dataset("blobs", n_samples=400, noise=0.3, n_classes=4, random_state=0)
    tr, te = lrdata.train_test_split(ds, test_size=0.25, random_state=0)
    run = pipeline.fit_multiclass(tr.X, tr.y, te.X, te.y, feature_names=ds.feature_names,
                                  class_names=ds.class_names, settings=TrainSettings(),
                                  kind="ovr")
    xs, ys, grids = pipeline.class_grids(run, 150)
    lines = ovr_figures.class_lines(xs, ys, grids)
    anns = ovr_figures.line_labels(xs, ys, lines, run.X_train[:, :2], run.y_train,
                                   run.class_names)
    assert len(anns) == 4
    sx, sy = xs[-1] - xs[0], ys[-1] - ys[0]
    boxes = []
    for m, a in enumerate(anns):
        assert min(np.hypot(p["x"] - a["x"], p["y"] - a["y"]).min() for p in lines[m]) < 1e-9
        flat = a["yanchor"] == "bottom"
        boxes.append(ovr_figures._label_box(len(f"{run.class_names[m]} vs rest"),
                                            (a["x"] - xs[0]) / sx, (a["y"] - ys[0]) / sy, flat))
    for i in range(4):
        assert 0 <= boxes[i][0] and boxes[i][1] <= 1 and 0 <= boxes[i][2] and boxes[i][3] <= 1
        for j in range(i):
            a, b = boxes[i], boxes[j]
            assert a[1] < b[0] or a[0] > b[1] or a[3] < b[2] or a[2] > b[3], (i, j)
