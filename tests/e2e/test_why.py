"""The "why" views in a real browser (issue 15): each draws, and the Threshold page's two new
charts draw under the others. Screenshots are written to pytest's tmp_path to be looked at."""

from playwright.sync_api import expect

from .conftest import expect_plot_drawn

WHY = "Why: coefficients and paths"


def test_why_views_draw(app, tmp_path):
    app.open("solver=newton&penalty=l2&reg_strength=0.1")
    app.nav(WHY)
    expect_plot_drawn(app.keyed_chart("effects_chart"))
    expect(app.page.get_by_test_id("stDataFrame")).to_have_count(1)
    expect(app.page.get_by_text("The strongest effects, in words")).to_be_visible()
    app.page.screenshot(path=tmp_path / "why_coefficients.png", full_page=True)
    for view, keys in (("Penalty path", ("path_chart", "path_loss_chart")),
                       ("Loss surface", ("surface_chart",))):
        app.page.get_by_test_id("stButtonGroup").get_by_text(view, exact=True).click()
        app.wait()
        for key in keys:
            expect_plot_drawn(app.keyed_chart(key), min_traces=2)
        app.expect_no_exception()
        app.page.screenshot(path=tmp_path / f"why_{key}.png", full_page=True)


def test_threshold_page_draws_cost_curve_and_calibration(app, tmp_path):
    app.open()
    app.nav("Threshold")
    app.open_panel("More curves", "cost_curve_chart")
    for key in ("cost_curve_chart", "calibration_chart"):
        chart = app.keyed_chart(key)
        chart.scroll_into_view_if_needed()
        expect_plot_drawn(chart, min_traces=2)
    app.expect_no_exception()
    app.page.screenshot(path=tmp_path / "threshold.png", full_page=True)
