"""Data -> Train: the boundary and the loss are drawn, controls retrain, Play and Replay work."""

import re

from playwright.sync_api import expect

from .conftest import expect_plot_drawn


def boundary_title(app):
    return app.keyed_chart("boundary_chart").locator(".gtitle")


def test_moons_then_train_draws_boundary_and_loss(app):
    app.open("kind=circles")
    source = app.page.get_by_test_id("stRadio").filter(has_text="Source")
    expect(source.get_by_role("radio", name="Generate toy data")).to_be_checked()
    shape = app.page.get_by_role("combobox", name="Shape")
    expect(shape).to_have_value(re.compile("^circles"))
    app.choose("Shape", "moons: two interleaving half circles")
    expect(shape).to_have_value(re.compile("^moons"))
    expect(app.page.get_by_test_id("stSidebarUserContent")).to_contain_text("Data: moons")
    expect_plot_drawn(app.chart("moons: each dot is one sample"), min_traces=2)

    app.nav("Train")
    expect(app.page.get_by_test_id("stSidebarUserContent")).to_contain_text("Data: moons")
    boundary = app.keyed_chart("boundary_chart")
    expect_plot_drawn(boundary, min_traces=3)
    expect(boundary_title(app)).to_have_text("Decision boundary · epoch 200")
    # The probability colours (heatmap image) and the p = 0.5 line (contour) are really drawn.
    expect(boundary.locator(".heatmaplayer image")).to_have_count(1)
    expect(boundary.locator(".contourlayer path.contourlevel, .contourlayer path")).not_to_have_count(0)
    loss = app.keyed_chart("loss_chart")
    expect_plot_drawn(loss, min_traces=2)
    expect(loss.locator(".scatterlayer .trace path.js-line").first).to_have_attribute(
        "d", re.compile(r"^M[\d.]+,[\d.]+L"))
    expect_plot_drawn(app.keyed_chart("coef_chart"))
    expect(app.metric("Epochs run")).to_have_text("200")
    app.expect_no_exception()


def test_learning_rate_slider_changes_the_loss(app):
    app.open()
    app.nav("Train")
    loss_line = app.keyed_chart("loss_chart").locator(".scatterlayer .trace path.js-line").first
    expect(app.metric("Test log-loss")).to_have_text(re.compile(r"^\d\.\d{3}$"))
    before_metric = app.metric("Test log-loss").inner_text()
    before_d = loss_line.get_attribute("d")
    expect(app.slider("Learning rate")).to_have_attribute("aria-valuetext", "0.5")

    app.press_slider("Learning rate", "ArrowLeft", times=3)  # 0.5 -> 0.3 -> 0.1 -> 0.03

    expect(app.slider("Learning rate")).to_have_attribute("aria-valuetext", "0.03")
    expect(app.page.get_by_test_id("stSidebarUserContent")).to_contain_text("Learning rate: 0.03")
    expect(app.metric("Test log-loss")).not_to_have_text(before_metric)
    expect(loss_line).not_to_have_attribute("d", before_d)
    # A smaller step learns more slowly: the final test loss is higher.
    assert float(app.metric("Test log-loss").inner_text()) > float(before_metric)


def test_play_advances_the_epoch_counter(app):
    app.open()
    app.nav("Train")
    app.page.get_by_role("radio", name="Play the training").click()
    app.wait()
    anim = app.keyed_chart("animation_chart")
    expect_plot_drawn(anim, min_traces=2)
    counter = anim.locator(".slider-group > text.slider-label")
    expect(counter).to_have_text("epoch 0")
    # Record every value the counter shows (plotly rewrites the text node on each frame).
    counter.evaluate("""el => {
        window.__epochs = [];
        new MutationObserver(() => window.__epochs.push(el.textContent))
            .observe(el, {childList: true, characterData: true, subtree: true});
    }""")
    anim.locator(".updatemenu-button", has_text="Play").click()
    # The animation runs in the browser: the counter moves on without any rerun.
    app.page.wait_for_function("new Set(window.__epochs).size >= 4", timeout=30_000)
    seen = [int(t.split()[-1]) for t in app.page.evaluate("window.__epochs")]
    assert seen == sorted(seen) and len(set(seen)) >= 4 and seen[-1] > 0, seen
    expect(anim.locator(".gtitle")).to_have_text(re.compile(r"epoch [1-9]\d*"))

def test_replay_epoch_zero(app):
    app.open()
    app.nav("Train")
    expect(boundary_title(app).filter(has_text=re.compile(r"· epoch 200$"))).to_have_count(1)
    app.press_slider("Replay epoch", "Home")
    expect(app.slider("Replay epoch")).to_have_attribute("aria-valuetext", "0")
    # (While plotly redraws, the old and the new title can both be in the DOM for a moment.)
    expect(boundary_title(app).filter(has_text=re.compile(r"^Decision boundary · epoch 0$"))
           ).to_have_count(1)
    expect(boundary_title(app)).to_have_count(1)
    # The loss chart marks the replayed epoch.
    expect(app.keyed_chart("loss_chart")).to_contain_text("epoch 0")
    app.expect_no_exception()
