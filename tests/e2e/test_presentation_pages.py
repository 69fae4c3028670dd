"""Presentation mode on every page in a real browser (issue 13 item 2): what plotly really draws
(``_fullLayout``) on each chart of Data, Train, Threshold, Why (three views), Multiclass, Runs
and About is the large style: every axis's ticks >= 16 px, titles >= 24 px, and the larger axis
titles still fit (inside the figure, clear of its title and legend; the legend clear of the x
axis)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import App, inside, overlaps

# Every chart on the page: its key, the resolved tick and title sizes of all its axes, and the
# boxes of its y-axis titles, legend and figure title.
CHARTS_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(el => {
    const L = el._fullLayout;
    const holder = el.closest('[class*="st-key-"]');
    const key = holder ? holder.className.match(/st-key-(\\S+)/)[1] : '?';
    const axes = Object.keys(L).filter(k => /^[xy]axis\\d*$/.test(k) && L[k].visible !== false);
    const r = n => { const b = n.getBoundingClientRect();
        return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
    const shown = sel => [...el.querySelectorAll(sel)].filter(n =>
        n.getBoundingClientRect().width > 0 && n.textContent.trim());
    const legend = el.querySelector('.legend .bg');
    return {key, ticks: axes.map(k => [k, L[k].tickfont.size]),
            title: L.title && L.title.text ? L.title.font.size : null,
            svg: r(el.querySelector('svg.main-svg')),
            ytitles: shown('.g-ytitle, [class^="g-y"][class$="title"]').map(r),
            xparts: shown('.g-xtitle, [class^="g-x"][class$="title"], .xtick text').map(r),
            gtitle: shown('.gtitle').map(r),
            legend: legend && legend.getBoundingClientRect().width > 0 ? r(legend) : null};
})"""

CHARTS_READY_JS = """n => { const c = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return c.length >= n && c.every(e => { const p = e.querySelector('.js-plotly-plot');
        return p && p._fullLayout && p.querySelector('svg.main-svg'); }); }"""


def large_charts(app: App, where: str, at_least: int) -> list:
    """Check every chart on the page in the large style; return their keys."""
    app.page.wait_for_function(CHARTS_READY_JS, arg=at_least, polling=200, timeout=60_000)
    app.page.wait_for_timeout(500)  # plotly's relayout after the column widths settle
    found = app.page.evaluate(CHARTS_JS)
    assert len(found) >= at_least, (where, [c["key"] for c in found])
    for c in found:
        for axis, size in c["ticks"]:
            assert size >= 16, (where, c["key"], axis, size)
        assert c["title"] is None or c["title"] >= 24, (where, c["key"], c["title"])
        for box in c["ytitles"]:
            assert inside(box, c["svg"]), (where, c["key"], "y title cut", box, c["svg"])
            if c["legend"] is not None:
                assert not overlaps(box, c["legend"]), (where, c["key"], "y title on legend")
            for head in c["gtitle"]:
                assert not overlaps(box, head), (where, c["key"], "y title on the title")
        if c["legend"] is not None:
            assert inside(c["legend"], c["svg"]), (where, c["key"], "legend cut")
            for box in c["xparts"]:
                assert not overlaps(box, c["legend"]), (where, c["key"], "legend on the x axis")
    return [c["key"] for c in found]


def present_app(page) -> App:
    page.set_viewport_size({"width": 1280, "height": 2400})
    return App(page)


@pytest.mark.parametrize("title,query,at_least", [
    ("Data", "", 1),
    ("Train", "", 3),
    ("Threshold", "threshold_curves=True", 7),  # with its "More curves" open
    ("Multiclass (one-vs-rest)",
     "source=builtin&builtin=iris&compare_softmax=True&ovr_class=versicolor", 7),
    ("How logistic regression works", "", 1),
], ids=["data", "train", "threshold", "multiclass", "about"])
def test_every_chart_is_large_in_presentation_mode(page, title, query, at_least):
    app = present_app(page).open("present=1" + (f"&{query}" if query else ""), title=title)
    app.expect_no_exception()
    if title == "Train":  # its accuracy and weights charts are drawn once their expander opens
        app.open_train_curves()
    large_charts(app, title, at_least)


def test_why_views_are_large_in_presentation_mode(page):
    app = present_app(page)
    app.page.goto("/explain?present=1")
    expect(app.heading("Why: coefficients and paths")).to_be_visible()
    app.wait()
    assert large_charts(app, "Coefficients", 1) == ["effects_chart"]
    for view, n in (("Penalty path", 2), ("Loss surface", 1)):
        app.page.get_by_test_id("stButtonGroup").get_by_text(view, exact=True).click()
        app.wait()
        app.expect_no_exception()
        large_charts(app, view, n)


def test_runs_comparison_is_large_in_presentation_mode(page):
    app = present_app(page).open(title="Train")
    thumb = app.slider("Learning rate")
    thumb.focus()
    thumb.press("ArrowLeft")  # a second run to compare with the first
    expect(app.page.get_by_test_id("stSidebarUserContent")).to_contain_text("Learning rate: 0.3")
    app.wait()
    app.nav("Runs")
    app.page.get_by_test_id("stSidebar").get_by_text("Presentation mode").click()
    expect(app.page).to_have_url(re.compile(r"present=(1|True)"))
    expect(app.heading("Runs")).to_be_visible()
    app.wait()
    keys = large_charts(app, "Runs", 5)
    assert {"cmp_loss", "cmp_roc", "cmp_weights"} <= set(keys), keys


# ------------------------------------------------------------------------------------------------
# The Train figure uses the screen's height (CSS on its container; no script of ours)
# ------------------------------------------------------------------------------------------------

BOUNDARY_BOX_JS = """() => { const el = document.querySelector('.st-key-boundary_chart .js-plotly-plot');
    const r = el.getBoundingClientRect();
    return {y: r.y, height: r.height, bottom: r.bottom, width: r.width,
            layout_height: el._fullLayout.height}; }"""


def boundary_box(app: App) -> dict:
    expect(app.keyed_chart("boundary_chart").locator("svg.main-svg").first).to_be_attached()
    app.page.wait_for_timeout(500)
    return app.page.evaluate(BOUNDARY_BOX_JS)


@pytest.mark.parametrize("query", ["present=1", "lesson=7&present=1"],
                         ids=["present", "lesson-present"])
def test_train_figure_fills_a_1080_screen_and_keeps_its_size_at_720(page, query):
    page.set_viewport_size({"width": 1280, "height": 720})
    app = App(page).open(query, title="Train")
    small = boundary_box(app)
    # 1280x720: the figure's own height (490 px; 514 in the large style), on the first screen.
    assert small["height"] in (pytest.approx(490, abs=2), pytest.approx(514, abs=2)), small
    assert small["bottom"] <= 720, small
    # The same page on a 1920x1080 screen: plotly redraws the figure as tall as the screen
    # allows under the title and controls, still whole on the first screen.
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_function("h => document.querySelector("
                           "'.st-key-boundary_chart .js-plotly-plot')._fullLayout.height > h",
                           arg=small["height"] + 200, polling=200, timeout=15_000)
    big = boundary_box(app)
    assert big["height"] >= 800 and big["bottom"] <= 1080, big
    assert big["layout_height"] == pytest.approx(big["height"], abs=2), big


@pytest.mark.parametrize("query", ["", "lesson=2"], ids=["plain", "lesson"])
def test_outside_presentation_the_train_figure_keeps_its_own_height(page, query):
    """Stretching costs a second full draw on every change (pages/train.py): outside
    presentation mode the figure keeps its height, on the first screen at both sizes."""
    for width, height in ((1280, 720), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        app = App(page).open(query, title="Train")
        box = boundary_box(app)
        assert box["height"] == pytest.approx(490, abs=2), (width, box)
        assert box["bottom"] <= height, (width, box)
        assert box["layout_height"] == pytest.approx(box["height"], abs=2), box
