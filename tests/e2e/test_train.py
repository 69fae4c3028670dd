"""Data -> Train: the boundary and the loss are drawn, controls retrain, Play and Replay work."""

import re

from playwright.sync_api import expect

from .conftest import expect_plot_drawn


def boundary_title(app):
    """The replay figure's epoch line over the boundary plot ("epoch 200 · loss 0.264 ...")."""
    return app.keyed_chart("boundary_chart").locator(".textpoint text")


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
    expect(boundary.locator(".gtitle")).to_have_text("Decision boundary")
    expect(boundary_title(app)).to_have_text(re.compile(r"^epoch 200 · loss"))
    # The probability colours with the p = 0.5 line (one picture per epoch) are really drawn.
    expect(boundary.locator(".imagelayer image")).to_have_count(1)
    expect(boundary.locator(".legendtext", has_text="p = 0.50 boundary")).to_have_count(1)
    app.open_train_curves()
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
    app.open_train_curves()
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


WATCH_SCRIPT_RUNS = """() => {
    // Every change of the app's script state ("running", "notRunning", ...) from now on.
    const app = document.querySelector('[data-testid="stApp"]');
    window.__scriptStates = [];
    new MutationObserver(() => window.__scriptStates.push(app.dataset.testScriptState))
        .observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
}"""


def slider_counter(chart):
    return chart.locator(".slider-group > text.slider-label")


def test_play_runs_every_epoch_in_the_browser(app):
    app.open()
    app.nav("Train")
    anim = app.keyed_chart("boundary_chart")
    expect_plot_drawn(anim, min_traces=3)
    counter = slider_counter(anim)
    expect(counter).to_have_text("epoch 200")  # it opens at the epoch the cards describe
    # Record every value the counter shows (plotly rewrites the text node on each frame).
    counter.evaluate("""el => {
        window.__epochs = [];
        new MutationObserver(() => window.__epochs.push(el.textContent))
            .observe(el, {childList: true, characterData: true, subtree: true});
    }""")
    app.page.evaluate(WATCH_SCRIPT_RUNS)
    anim.locator(".updatemenu-button", has_text="Play").click()
    # Play starts at epoch 0 and moves on without any rerun.
    app.page.wait_for_function("new Set(window.__epochs).size >= 4", timeout=30_000)
    seen = [int(t.split()[-1]) for t in app.page.evaluate("window.__epochs")]
    assert seen[0] == 0 and seen == sorted(seen) and len(set(seen)) >= 4, seen
    expect(boundary_title(app)).to_have_text(re.compile(r"^epoch [1-9]\d* · loss"))
    assert app.page.evaluate("window.__scriptStates") == []


def test_scrubbing_the_replay_redraws_the_boundary_without_a_rerun(app):
    sent = []
    app.page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    app.open()
    app.nav("Train")
    chart = app.keyed_chart("boundary_chart")
    expect_plot_drawn(chart, min_traces=3)
    expect(boundary_title(app)).to_have_text(re.compile(r"^epoch 200 · loss"))
    heatmap = chart.locator(".imagelayer image")
    before_image = heatmap.get_attribute("href")
    marker = chart.locator(".subplot.x2y2 .scatterlayer .points path").first
    before_marker = marker.get_attribute("transform")
    app.page.evaluate(WATCH_SCRIPT_RUNS)
    sent_before = len(sent)

    # Click the left end of the plotly slider under the plot: epoch 0.
    rail = chart.locator(".slider-rail-touch-rect")
    box = rail.bounding_box()
    app.page.mouse.click(box["x"] + 3, box["y"] + box["height"] / 2)

    expect(slider_counter(chart)).to_have_text("epoch 0")
    expect(boundary_title(app)).to_have_text(re.compile(r"^epoch 0 · loss 0\.693"))
    # Zero weights: the epoch line says so (over the plot, not in a box on the points).
    expect(boundary_title(app)).to_contain_text("p = 0.50 everywhere")
    expect(heatmap).not_to_have_attribute("href", before_image)   # the colours were redrawn
    expect(marker).not_to_have_attribute("transform", before_marker)  # the loss marker moved
    # The browser did it alone: no script run started and nothing was sent to the server.
    app.page.wait_for_timeout(500)
    assert app.page.evaluate("window.__scriptStates") == []
    assert len(sent) == sent_before, sent[sent_before:]
    # The final model is unchanged: the cards still describe the last epoch.
    expect(app.metric("Epochs run")).to_have_text("200")
    app.expect_no_exception()
