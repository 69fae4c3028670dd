"""logreg.replay_figure and logreg._png: the training replay's frames, pictures and PNG bytes."""

from __future__ import annotations

import base64
import io

import html

import numpy as np
import pytest
from PIL import Image  # an independent PNG decoder (Pillow comes with Streamlit)

from logreg import pipeline
from logreg._png import palette_png, palette_pngs, read_palette_png
from logreg.data import make_dataset, train_test_split
from logreg.replay_figure import (LINE_INDEX, probability_palette, probability_picture,
                                  replay_frame_epochs, replay_grids, training_replay_figure)


def decode(url: str) -> np.ndarray:
    return np.array(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB"))


def test_palette_png_decodes_to_the_same_pixels_in_pillow():
    rng = np.random.default_rng(0)
    idx = rng.integers(0, 7, size=(13, 29))
    pal = rng.integers(0, 256, size=(7, 3))
    png = palette_png(idx, pal)
    np.testing.assert_array_equal(np.array(Image.open(io.BytesIO(png)).convert("RGB")), pal[idx])
    back, back_pal = read_palette_png(png)
    np.testing.assert_array_equal(back, idx)
    np.testing.assert_array_equal(back_pal, pal)
    with pytest.raises(ValueError):
        palette_png(idx, pal[:3])  # indices past the palette


def _png_by_the_spec(idx, pal) -> bytes:
    """An indexed-colour PNG written out from the PNG spec: signature, IHDR, PLTE, one zlib
    IDAT of unfiltered rows (level 3, as the app's), IEND; each chunk with its CRC."""
    import struct
    import zlib

    def chunk(kind, payload):
        return (struct.pack(">I", len(payload)) + kind + payload
                + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + bytes(row) for row in np.asarray(idx, dtype=np.uint8))
    h, w = np.shape(idx)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0))
            + chunk(b"PLTE", np.asarray(pal, dtype=np.uint8).tobytes())
            + chunk(b"IDAT", zlib.compress(raw, 3)) + chunk(b"IEND", b""))


def test_a_stack_of_pictures_gives_each_picture_s_png_bytes():
    rng = np.random.default_rng(1)
    stack = rng.integers(0, 102, size=(4, 17, 23)).astype(np.uint8)
    pal = rng.integers(0, 256, size=(102, 3))
    pngs = palette_pngs(stack, pal)
    assert len(pngs) == 4
    for png, idx in zip(pngs, stack):
        assert png == _png_by_the_spec(idx, pal) == palette_png(idx, pal)
        np.testing.assert_array_equal(np.array(Image.open(io.BytesIO(png)).convert("RGB")),
                                      pal.astype(np.uint8)[idx])
    with pytest.raises(ValueError):
        palette_pngs(stack, pal[:101])  # an index past the palette
    with pytest.raises(ValueError):
        palette_pngs(stack.astype(int) - 1, pal)  # a negative index


def test_palette_matches_the_colour_scale_ends_and_middle():
    pal = probability_palette()
    assert pal.shape == (102, 3)
    np.testing.assert_array_equal(pal[50], [255, 255, 255])  # p = 0.5 is white
    assert tuple(pal[LINE_INDEX]) == (0x22, 0x22, 0x22)      # the line is ink


def test_picture_line_follows_the_level_of_a_linear_field():
    xs = np.linspace(-1, 1, 101)
    gx, gy = np.meshgrid(xs, xs)
    p = 1 / (1 + np.exp(-(3 * gx)))          # p = 0.5 exactly on x = 0 (column 50)
    idx = probability_picture(p, 0.5)[::-1]  # back to row 0 = first y
    line_cols = np.unique(np.nonzero(idx == LINE_INDEX)[1])
    assert set(line_cols) <= {49, 50, 51} and 50 in line_cols
    off = idx != LINE_INDEX
    np.testing.assert_allclose(idx[off], p[off] * 100, atol=0.5 + 1e-6)
    # A grid entirely above the level has no line.
    assert not (probability_picture(np.full((5, 5), 0.9), 0.5) == LINE_INDEX).any()


def test_picture_line_cells_match_the_whole_grid_gradient_rule():
    """The line is judged at the crossing cells only; np.gradient over the whole stack (the
    rule's definition) must pick exactly the same cells, edges included."""
    rng = np.random.default_rng(3)
    xs = np.linspace(-2, 2, 64)
    stack = np.stack([1 / (1 + np.exp(-(a * xs[None, :] + b * xs[:, None] ** 2 + c)))
                      for a, b, c in rng.normal(size=(6, 3))] + [rng.random((64, 64))])
    for threshold in (0.5, 0.15, 0.9):
        g = stack.astype(np.float32)
        above = g >= threshold
        crossing = np.zeros_like(above)
        row_flip = above[..., :, :-1] != above[..., :, 1:]
        col_flip = above[..., :-1, :] != above[..., 1:, :]
        crossing[..., :, :-1] |= row_flip
        crossing[..., :, 1:] |= row_flip
        crossing[..., :-1, :] |= col_flip
        crossing[..., 1:, :] |= col_flip
        gy, gx = np.gradient(g, axis=(-2, -1))
        with np.errstate(divide="ignore", invalid="ignore"):
            near = ~(np.abs(g - threshold) / np.hypot(gx, gy) > 0.75)
        expected = (crossing & near)[..., ::-1, :]
        got = probability_picture(stack, threshold) == LINE_INDEX
        np.testing.assert_array_equal(got, expected)
        assert expected.any()


@pytest.fixture(scope="module")
def run():
    data = make_dataset("moons", n_samples=300, noise=0.2, random_state=0)
    train, test = train_test_split(data, test_size=0.25, random_state=0)
    return pipeline.fit_binary(train.X, train.y, test.X, test.y,
                               feature_names=train.feature_names, class_names=train.class_names,
                               settings=pipeline.TrainSettings(epochs=120))


def build(run, epochs, **kw):
    xs, ys, probas = pipeline.boundary_grid(run, epochs=list(epochs), resolution=60)
    h = run.model.history_
    return training_replay_figure(
        xs, ys, probas, epochs, h["data_loss"][epochs], h["coef"][epochs],
        h["intercept"][epochs], run.X_train, run.y_train, class_names=run.class_names,
        feature_names=run.feature_names, weight_names=list(run.features.names),
        loss_epochs=run.epochs, train_loss=h["data_loss"], **kw), probas


def test_frame_epochs_hold_zero_the_last_and_the_wanted_epoch():
    e = replay_frame_epochs(1000, wanted=437)
    assert e[0] == 0 and e[-1] == 1000 and 437 in e and np.all(np.diff(e) > 0)
    assert len(e) <= 42
    np.testing.assert_array_equal(replay_frame_epochs(5), np.arange(6))
    assert replay_frame_epochs(5, wanted=99)[-1] == 5  # clipped to the run


def test_frames_show_each_epoch_s_picture_marker_and_weights(run):
    epochs = replay_frame_epochs(run.model.n_iter_)
    fig, probas = build(run, epochs, start=int(epochs[3]), threshold=0.4)
    d = fig.to_dict()
    assert [f["name"] for f in d["frames"]] == [str(e) for e in epochs]
    assert d["layout"]["sliders"][0]["active"] == 3
    assert d["layout"]["images"][0]["source"] == d["frames"][3]["layout"]["images"][0]["source"]
    pal = probability_palette()
    for k in (0, 3, len(epochs) - 1):
        f = d["frames"][k]
        rgb = decode(f["layout"]["images"][0]["source"])[::-1]  # row 0 = first y
        line = (rgb == pal[LINE_INDEX]).all(axis=2)
        expected = pal[np.rint(np.clip(probas[k], 0, 1) * 100).astype(int)]
        np.testing.assert_array_equal(rgb[~line], expected[~line])
        marker = d["data"][f["traces"][3]]
        assert marker["name"] == "shown epoch"
        assert f["data"][3]["x"] == [int(epochs[k])]
        assert f["data"][3]["y"][0] == pytest.approx(run.model.history_["data_loss"][epochs[k]])
        w = np.add(f["data"][1]["x"], f["data"][2]["x"])
        np.testing.assert_allclose(sorted(w), sorted(run.model.history_["coef"][epochs[k]]))
    # Every frame moves only what changes: no redraw of the points.
    for step in d["layout"]["sliders"][0]["steps"]:
        assert step["args"][1]["frame"]["redraw"] is False


def test_diverged_grid_draws_undecided_and_says_so(run):
    epochs = np.array([0, 1])
    xs, ys, probas = pipeline.boundary_grid(run, epochs=list(epochs), resolution=20)
    probas = probas.copy()
    probas[1] = np.nan
    h = run.model.history_
    fig = training_replay_figure(
        xs, ys, probas, epochs, [0.69, np.inf], h["coef"][epochs], h["intercept"][epochs],
        run.X_train, run.y_train, class_names=run.class_names,
        feature_names=run.feature_names, weight_names=list(run.features.names))
    d = fig.to_dict()
    last = d["frames"][1]
    assert "diverged" in last["data"][0]["text"][0]
    assert last["data"][3] == {"x": [], "y": []}  # no loss marker where the loss is not finite
    percent, _ = read_palette_png(base64.b64decode(
        last["layout"]["images"][0]["source"].split(",", 1)[1]))
    assert (percent == 50).all()


def test_prepared_grids_give_the_same_figure_at_every_threshold(run):
    """The grids kept ready for pictures (what the app caches, so a threshold step does not
    prepare them again) give the figure the raw probabilities give, byte for byte: with a
    diverged (nan) grid, cells beyond [0, 1] and a grid all on one side of the threshold."""
    epochs = np.array([0, 1, 5, 40])
    xs, ys, probas = pipeline.boundary_grid(run, epochs=list(epochs), resolution=30)
    probas = probas.copy()
    probas[1] = np.nan
    probas[2, :3] = [[1.5], [-0.25], [np.inf]]
    probas[3, 0, 0] = np.nan  # one cell: the grid still counts as finite
    prepared = replay_grids(probas)
    np.testing.assert_array_equal(prepared.any_finite, [True, False, True, True])
    np.testing.assert_array_equal(prepared.percent,
                                  np.rint(np.clip(prepared.grids, 0, 1) * 100).astype(np.uint8))
    assert not prepared.grids.flags.writeable
    mine = probas.copy()
    in_place = replay_grids(mine, overwrite=True)  # the app's cache: probas clipped in place
    for field in ("grids", "any_finite", "percent"):
        np.testing.assert_array_equal(getattr(in_place, field), getattr(prepared, field))
    assert not np.array_equal(mine, probas, equal_nan=True)  # it did write into them
    h = run.model.history_
    for threshold in (0.5, 0.3, 0.999):
        figs = [training_replay_figure(
            xs, ys, p, epochs, h["data_loss"][epochs], h["coef"][epochs], h["intercept"][epochs],
            run.X_train, run.y_train, class_names=run.class_names,
            feature_names=run.feature_names, weight_names=list(run.features.names),
            threshold=threshold).to_dict() for p in (probas, prepared)]
        assert figs[0] == figs[1]
        # The prepared grids are shared, never drawn into.
        assert not (prepared.percent == LINE_INDEX).any()


def test_datarevision_changes_exactly_when_a_data_array_does(run):
    epochs = replay_frame_epochs(run.model.n_iter_)
    a = build(run, epochs, threshold=0.5)[0].to_dict()["layout"]["datarevision"]
    b = build(run, epochs, threshold=0.6)[0].to_dict()["layout"]["datarevision"]
    c = build(run, epochs, threshold=0.5, start=int(epochs[2]))[0].to_dict()["layout"]
    assert a == b  # a threshold step changes the picture (layout) and a name, not the arrays
    assert c["datarevision"] != a  # another epoch: other text, weights and marker


def test_long_weight_names_are_cut_on_the_axis_and_whole_in_the_hover():
    """Names longer than the gap beside the colour bar are cut on the axis ("worst conc…"),
    shorter still in the tour's narrow column and the presentation style; each bar's hover
    (customdata) keeps its full name, and its cut name is its own."""
    from logreg.replay_figure import (NARROW_WEIGHT_LABEL_CHARS, WEIGHT_LABEL_CHARS, large,
                                      narrow)
    data = make_dataset("moons", n_samples=200, noise=0.2, random_state=0)
    names = ["worst concave points", "x2 & <y>"]
    fit = pipeline.fit_binary(data.X, data.y, None, None, feature_names=names,
                              class_names=data.class_names,
                              settings=pipeline.TrainSettings(epochs=20))
    fig, _ = build(fit, replay_frame_epochs(fit.model.n_iter_))
    d = fig.to_dict()
    for shaped, chars in ((d, WEIGHT_LABEL_CHARS), (narrow(d), NARROW_WEIGHT_LABEL_CHARS),
                          (large(d), NARROW_WEIGHT_LABEL_CHARS)):
        bars = [t for t in shaped["data"] if t["type"] == "bar"]
        for t in bars:
            shown = dict(zip(t["customdata"], t["y"]))
            assert set(shown) == {"worst concave points", "x2 &amp; &lt;y&gt;"}
            assert all(len(html.unescape(v)) <= chars for v in shown.values()), shown
            assert shown["x2 &amp; &lt;y&gt;"] == "x2 &amp; &lt;y&gt;"  # fits: kept, escaped
            assert shown["worst concave points"] == (
                "worst conc…" if chars == WEIGHT_LABEL_CHARS else "worst c…")
            assert "%{customdata}" in t["hovertemplate"]
        assert shaped["layout"]["yaxis3"]["categoryarray"] == bars[0]["y"]


def test_cut_weight_names_stay_distinct_when_they_share_a_beginning():
    from logreg.replay_figure import short_labels
    names = ["worst concave points", "worst concavity", "worst radius", "x1"]
    for chars in (11, 8):
        short = short_labels(names, chars)
        assert len(set(short)) == len(short) and all(len(s) <= chars for s in short), short
        assert short[2].startswith("worst r") and short[3] == "x1"  # no clash: cut at the end
        assert short[0].endswith("ints") and short[1].endswith("vity")  # clash: in the middle


def test_a_grid_is_crossed_exactly_when_it_has_cells_on_both_sides():
    """The frames' "all on one side" notes come from the line's cells: checked against
    looking at every cell, on smooth, noisy, constant, one-cell-off and two-row grids."""
    from logreg.replay_figure import _picture

    rng = np.random.default_rng(4)
    yy, xx = np.mgrid[0:30, 0:40] / 30.0
    stack = np.stack([xx / 1.4, rng.random((30, 40)), np.full((30, 40), 0.5),
                      np.where((yy == 0) & (xx == 0), 0.9, 0.2), np.full((30, 40), 0.7)])
    for grids in (stack.astype(np.float32), stack[:, :2, :].astype(np.float32)):
        for threshold in (0.5, 0.2, 0.9, 0.95):
            above = (grids >= threshold).reshape(len(grids), -1)
            _, crossed = _picture(grids, threshold)
            np.testing.assert_array_equal(crossed, above.any(axis=1) & ~above.all(axis=1))
