"""Multiclass page with iris: argmax regions, one boundary per class, per-class ROC, softmax."""

import re

from playwright.sync_api import expect

from .conftest import expect_plot_drawn

CLASSES = ("setosa", "versicolor", "virginica")


def test_iris_one_vs_rest_and_softmax(app):
    app.open()
    app.nav("Multiclass")
    # Moons has two classes: the page offers data sets with more.
    expect(app.page.get_by_test_id("stAlertContentInfo")).to_contain_text("two classes")
    app.page.get_by_role("button", name="Iris (3 flower species)").click()
    app.wait()
    expect(app.page.get_by_test_id("stSidebarUserContent")).to_contain_text("Data: iris")

    regions = app.keyed_chart("regions_ovr")
    expect_plot_drawn(regions, min_traces=3)
    expect(regions.locator(".heatmaplayer image")).to_have_count(1)  # the argmax regions
    # Each class's p = 0.5 line, really drawn (non-empty svg paths): solid where the class wins,
    # dotted where another class's model is more confident; one legend entry per class.
    for name in CLASSES:
        expect(regions.locator(".legendtext", has_text=f"{name} vs rest (p = 0.5)")).to_have_count(1)
    styles = regions.locator(".scatterlayer .trace .js-line").evaluate_all(
        "ps => ps.filter(p => (p.getAttribute('d') || '').length > 10)"
        ".map(p => p.style.strokeDasharray || 'solid')")
    assert "solid" in styles and any(s != "solid" for s in styles), styles
    expect(app.page.get_by_test_id("stCaptionContainer").filter(
        has_text="is solid inside that class's region")).to_have_count(1)

    roc = app.keyed_chart("ovr_roc")
    expect_plot_drawn(roc, min_traces=4)  # chance line + one curve per class
    for name in CLASSES:
        expect(roc.locator(".legendtext", has_text=re.compile(rf"^{name} \(AUC [01]\.\d{{3}}\)$"))
               ).to_have_count(1)
    expect_plot_drawn(app.keyed_chart("ovr_loss"), min_traces=3)
    expect_plot_drawn(app.keyed_chart("ovr_confusion"))
    expect(app.metric("Macro AUC")).to_have_text(re.compile(r"^0\.\d{3}$|^1\.000$"))

    app.page.get_by_text("Compare with softmax (multinomial) regression").click()
    app.wait()
    softmax = app.keyed_chart("regions_softmax")
    expect_plot_drawn(softmax, min_traces=3)
    expect(softmax.locator(".gtitle")).to_have_text(re.compile("^Softmax"))
    app.expect_no_exception()
