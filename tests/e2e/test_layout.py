"""Issue 13 items 1, 2, 4 and issue 18 item 11 in a real browser: the Train page is plot-first on
a projector, presentation mode (``present=1``), and the home page's three doors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import App, data_file, inside, overlaps

SCREENS = [(1280, 720), (1920, 1080)]

# Bounding boxes (CSS px, viewport coordinates) of the keyed charts and of the content column.
BOXES_JS = """() => {
    const box = sel => { const e = document.querySelector(sel);
        if (!e) return null; const r = e.getBoundingClientRect();
        return {x: r.x, y: r.y, width: r.width, height: r.height, bottom: r.bottom, right: r.right}; };
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    const cs = getComputedStyle(main);
    const content = main.getBoundingClientRect().width - parseFloat(cs.paddingLeft)
        - parseFloat(cs.paddingRight);
    return {boundary: box('.st-key-boundary_chart .js-plotly-plot'),
            loss: box('.st-key-loss_chart .js-plotly-plot'), content: content,
            sidebar: box('[data-testid="stSidebar"]')};
}"""

# Resolved plotly fonts of a chart: what the browser really draws.
FONTS_JS = """key => {
    const el = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    const L = el._fullLayout;
    return {xtick: L.xaxis.tickfont.size, ytick: L.yaxis.tickfont.size,
            title: L.title.font.size, font: L.font.size};
}"""


def screen_app(page, width, height) -> App:
    page.set_viewport_size({"width": width, "height": height})
    return App(page)


def wait_charts(app: App) -> None:
    app.open_train_curves()
    for key in ("boundary_chart", "loss_chart"):
        expect(app.keyed_chart(key).locator("svg.main-svg").first).to_be_attached()
    app.page.wait_for_timeout(500)  # plotly's relayout after the column width settles


def sidebar_width(app: App) -> float:
    box = app.page.evaluate(BOXES_JS)["sidebar"]
    return 0.0 if box is None or box["right"] <= 0 else box["width"]


SIDEBAR_OPEN_JS = """want => { const s = document.querySelector('[data-testid="stSidebar"]');
    const r = s ? s.getBoundingClientRect() : null;
    const open = r !== null && r.right > 0 && r.width > 200;
    return open === want; }"""


def expect_sidebar(app: App, *, open: bool) -> None:
    """The sidebar is (or, after its slide animation, becomes) open or collapsed."""
    app.page.wait_for_function(SIDEBAR_OPEN_JS, arg=open, polling=100, timeout=10_000)


# The replay figure (boundary + loss + weights, slider and Play) is 490 px: on a 720 px screen
# it fits under the title and the controls row.
FIRST_SCREEN = SCREENS


@pytest.mark.parametrize("width,height", FIRST_SCREEN, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_boundary_plot_is_on_the_first_screen_and_half_the_width(page, width, height):
    app = screen_app(page, width, height).open(title="Train")
    expect(app.keyed_chart("boundary_chart").locator("svg.main-svg").first).to_be_attached()
    app.page.wait_for_timeout(500)
    expect_sidebar(app, open=True)  # the sidebar is open: the hard case
    boxes = app.page.evaluate(BOXES_JS)
    b = boxes["boundary"]
    assert b["y"] >= 0 and b["bottom"] <= height, (b, height)
    assert b["width"] >= 0.5 * boxes["content"], (b["width"], boxes["content"])
    # The loss curve is beside the boundary, in the same figure.
    names = app.page.evaluate("""() => document.querySelector(
        '.st-key-boundary_chart .js-plotly-plot')._fullData.map(t => t.name)""")
    assert any("loss" in str(n) for n in names) or app.page.evaluate(
        "() => Object.keys(document.querySelector('.st-key-boundary_chart .js-plotly-plot')"
        "._fullLayout).filter(k => /^xaxis\\d+$/.test(k)).length") >= 2, names
    # Ticks as large as the text (Streamlit's chart theme would draw them at 12 px).
    app.open_train_curves()
    for key in ("loss_chart", "coef_chart"):
        expect(app.keyed_chart(key).locator("svg.main-svg").first).to_be_attached()
        fonts = app.page.evaluate(FONTS_JS, key)
        assert fonts["xtick"] >= 14 and fonts["ytick"] >= 14, (key, fonts)


def test_presentation_mode_hides_the_sidebar_and_draws_large_ticks(page):
    app = screen_app(page, 1280, 720).open("present=1", title="Train")
    wait_charts(app)
    expect_sidebar(app, open=False)
    for key in ("boundary_chart", "loss_chart"):
        fonts = app.page.evaluate(FONTS_JS, key)
        assert fonts["xtick"] >= 16 and fonts["ytick"] >= 16, (key, fonts)
        assert fonts["title"] >= 24, (key, fonts)
    # Out of presentation mode the same chart has the normal, smaller ticks.
    app.page.get_by_role("button", name="Leave presentation mode").click()
    app.wait()
    wait_charts(app)
    expect_sidebar(app, open=True)
    assert app.page.evaluate(FONTS_JS, "boundary_chart")["xtick"] < 16


def test_presentation_toggle_and_link_survive_page_switches_and_reloads(page):
    app = screen_app(page, 1280, 720).open(title="Train")
    toggle = app.page.get_by_test_id("stSidebar").get_by_role("switch", name="Presentation mode")
    expect(toggle).not_to_be_checked()
    app.page.get_by_test_id("stSidebar").get_by_text("Presentation mode").click()
    app.wait()
    expect(app.page).to_have_url(re.compile(r"present=(1|True)"))
    expect_sidebar(app, open=False)
    # A reload (a new session from the address) is still in presentation mode.
    app.page.reload()
    expect(app.heading("Train")).to_be_visible()
    app.wait()
    wait_charts(app)
    expect(app.page).to_have_url(re.compile(r"present=(1|True)"))
    expect_sidebar(app, open=False)
    assert app.page.evaluate(FONTS_JS, "boundary_chart")["xtick"] >= 16
    # Switch page through the collapsed sidebar's menu, and back.
    app.page.get_by_test_id("stExpandSidebarButton").click()
    app.page.get_by_test_id("stSidebarNav").get_by_role("link").filter(
        has_text=re.compile(r"Threshold$")).click()
    expect(app.heading("Threshold")).to_be_visible()
    app.wait()
    expect(app.page).to_have_url(re.compile(r"/threshold\?(.*&)?present=(1|True)"))
    expect(toggle).to_be_checked()
    app.page.get_by_test_id("stSidebarNav").get_by_role("link").filter(
        has_text=re.compile(r"Train$")).click()
    expect(app.heading("Train")).to_be_visible()
    app.wait()
    wait_charts(app)
    assert app.page.evaluate(FONTS_JS, "loss_chart")["xtick"] >= 16


def test_home_page_says_what_the_app_is_and_offers_three_doors(app):
    app.open(title="Watch a computer learn to separate groups")
    main = app.page.get_by_test_id("stMain")
    expect(main).to_contain_text("logistic regression")
    for label in ("Take the guided tour", "Explore the settings",
                  "Choose a threshold for my data"):
        expect(main.get_by_role("button", name=label)).to_be_visible()
    # Data stays one click away.
    expect(app.page.get_by_test_id("stSidebarNav").get_by_role("link").filter(
        has_text=re.compile(r"Data$"))).to_be_visible()


def test_tour_door_opens_train_at_lesson_step_1(app):
    app.open(title="Watch a computer learn to separate groups")
    app.page.get_by_role("button", name="Take the guided tour").click()
    expect(app.heading("Train")).to_be_visible()
    app.wait()
    expect(app.page).to_have_url(re.compile(r"/train\?(.*&)?lesson=1(&|$)"))


def test_explore_door_opens_train_without_a_lesson(app):
    app.open(title="Watch a computer learn to separate groups")
    app.page.get_by_role("button", name="Explore the settings").click()
    expect(app.heading("Train")).to_be_visible()
    app.wait()
    assert "lesson=" not in app.page.url
    expect(app.keyed_chart("boundary_chart")).to_have_count(1)


def test_my_data_door_goes_upload_then_threshold(app):
    app.open(title="Watch a computer learn to separate groups")
    app.page.get_by_role("button", name="Choose a threshold for my data").click()
    expect(app.heading("Data")).to_be_visible()
    app.wait()
    expect(app.page.get_by_test_id("stFileUploaderDropzoneInput")).to_be_attached()
    app.page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        data_file("e2e_good_points.csv"))
    app.wait()
    link = app.page.get_by_role("link", name=re.compile("Next: choose a threshold"))
    expect(link).to_be_visible()
    link.click()
    expect(app.heading("Threshold")).to_be_visible()
    app.wait()
    app.expect_no_exception()


# Where plotly really drew a chart's parts: legend, axis titles, tick labels, subtitle lines.
PARTS_JS = """key => {
    const el = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    const r = n => { const b = n.getBoundingClientRect();
        return {left: b.left, right: b.right, top: b.top, bottom: b.bottom,
                width: b.width, height: b.height}; };
    const all = sel => [...el.querySelectorAll(sel)].filter(n => n.getBoundingClientRect().width > 0);
    const legend = el.querySelector('.legend');
    return {svg: r(el.querySelector('svg.main-svg')),
            legend: legend ? r(legend.querySelector('.bg') || legend) : null,
            xtitle: all('.xtitle').map(r), ytitle: all('.ytitle').map(r),
            xticks: all('.xtick text').map(r),
            yticks: all('.yaxislayer-above .ytick text').map(n => n.textContent),
            subtitle: all('.gtitle-subtitle, .gtitle').map(r)};
}"""


@pytest.mark.parametrize("width,height", SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_legends_titles_and_weight_labels_are_not_cut_or_covered(page, width, height):
    # 30 features and an L1 penalty: long subtitles ("N of 30 weights are exactly 0 ...").
    app = screen_app(page, width, height).open(
        "source=builtin&builtin=breast_cancer&penalty=l1&reg_strength=0.03", title="Train")
    wait_charts(app)
    expect(app.keyed_chart("coef_chart").locator("svg.main-svg").first).to_be_attached()
    app.page.wait_for_timeout(500)
    # The boundary chart is main's replay figure (h14), checked in the test after this one.
    for key in ("loss_chart", "coef_chart"):
        parts = app.page.evaluate(PARTS_JS, key)
        for box in parts["subtitle"] + parts["xtitle"] + parts["ytitle"]:
            assert inside(box, parts["svg"]), (key, box, parts["svg"])
        if parts["legend"] is not None:
            assert inside(parts["legend"], parts["svg"]), (key, "legend cut")
            for box in parts["xtitle"] + parts["xticks"]:
                assert not overlaps(parts["legend"], box), (key, "legend covers", box)
    coef = app.page.evaluate(PARTS_JS, "coef_chart")
    labels = [t for t in coef["yticks"] if t.strip()]
    assert len(labels) == 30 and len(set(labels)) == 30, labels


@pytest.mark.parametrize("query", ["", "lesson=2"], ids=["plain", "lesson2"])
def test_replay_figure_legend_covers_no_axis_title(page, query):
    app = screen_app(page, 1280, 720).open(query, title="Train")
    expect(app.keyed_chart("boundary_chart").locator("svg.main-svg").first).to_be_attached()
    app.page.wait_for_timeout(500)
    parts = app.page.evaluate(PARTS_JS, "boundary_chart")
    for box in parts["xtitle"] + parts["xticks"]:
        assert not overlaps(parts["legend"], box), ("legend covers", box)


@pytest.mark.parametrize("query", ["lesson=2", "lesson=2&present=1"], ids=["lesson2", "present"])
def test_tour_step_keeps_the_boundary_plot_on_the_first_screen(page, query):
    # The step's text stands beside the plot, not above it.
    app = screen_app(page, 1280, 720).open(query, title="Train")
    expect(app.keyed_chart("boundary_chart").locator("svg.main-svg").first).to_be_attached()
    expect(app.page.locator(".st-key-lesson_panel")).to_be_visible()
    app.page.wait_for_timeout(500)
    boxes = app.page.evaluate(BOXES_JS)
    b = boxes["boundary"]
    assert b["y"] >= 0 and b["bottom"] <= 720, b
    assert b["width"] >= 0.5 * boxes["content"], (b["width"], boxes["content"])
    panel = app.page.locator(".st-key-lesson_panel").bounding_box()
    assert panel["x"] >= b["right"] - 1 and panel["y"] < 720, (panel, b)


# The replay figure's title (and subtitle) and the epoch line over its plot, as drawn.
TITLE_GAP_JS = """() => {
    const el = document.querySelector('.st-key-boundary_chart .js-plotly-plot');
    const r = n => { const b = n.getBoundingClientRect(); return {top: b.top, bottom: b.bottom}; };
    const heads = [...el.querySelectorAll('.gtitle, .gtitle-subtitle')]
        .filter(n => n.getBoundingClientRect().height > 0).map(r);
    const epoch = [...el.querySelectorAll('.textpoint text')]
        .find(n => n.textContent.startsWith('epoch'));
    return {heads: heads, epoch: epoch ? r(epoch) : null,
            plot: r(el.querySelector('.cartesianlayer .subplot.xy .bg') ||
                    el.querySelector('.nsewdrag'))};
}"""


@pytest.mark.parametrize("query", ["", "source=builtin&builtin=breast_cancer"],
                         ids=["title", "title_and_subtitle"])
def test_replay_figure_title_stands_clear_of_the_epoch_line(page, query):
    app = screen_app(page, 1280, 720).open(query, title="Train")
    wait_charts(app)
    drawn = app.page.evaluate(TITLE_GAP_JS)
    assert drawn["heads"] and drawn["epoch"] is not None, drawn
    lowest = max(h["bottom"] for h in drawn["heads"])
    # At least a line's gap (12 px) between the title block and "epoch N · loss ...".
    assert drawn["epoch"]["top"] - lowest >= 12, drawn
    assert drawn["epoch"]["bottom"] <= drawn["plot"]["top"] + 1, drawn


# --------------------------------------------------------------------------------------------
# Every other page is plot-first too (issue 13 item 1, DEVELOPERS: "the main plot on the first
# screen"): at 1280x720 with the sidebar open and at 1920x1080, each page's main plot is wholly
# on the first screen, and its legend, titles and tick labels are inside it and uncovered.
# --------------------------------------------------------------------------------------------

# (page address, query, heading, the main plot's chart keys, a view to click first)
MAIN_PLOTS = [
    pytest.param("threshold", "", "Threshold", ("roc_chart", "confusion_chart"), None,
                 id="threshold"),
    pytest.param("threshold", "kind=blobs&noise=0.6&balance=0.1&rule=target_tpr", "Threshold",
                 ("roc_chart", "confusion_chart"), None, id="threshold_rule"),
    pytest.param("data", "", "Data", ("data_chart",), None, id="data"),
    pytest.param("data", "source=builtin&builtin=breast_cancer", "Data", ("data_chart",), None,
                 id="data_30_features"),
    pytest.param("explain", "", "Why: coefficients and paths", ("effects_chart",), None,
                 id="why"),
    pytest.param("explain", "", "Why: coefficients and paths",
                 ("path_chart", "path_loss_chart"), "Penalty path", id="why_path"),
    pytest.param("explain", "", "Why: coefficients and paths", ("surface_chart",),
                 "Loss surface", id="why_surface"),
    pytest.param("multiclass", "source=builtin&builtin=iris", "Multiclass (one-vs-rest)",
                 ("regions_ovr",), None, id="multiclass"),
    pytest.param("multiclass", "source=builtin&builtin=iris&compare_softmax=True",
                 "Multiclass (one-vs-rest)", ("regions_ovr", "regions_softmax"), None,
                 id="multiclass_softmax"),
    pytest.param("multiclass", "lesson=13", "Multiclass (one-vs-rest)",
                 ("regions_ovr", "regions_softmax"), None, id="multiclass_tour"),
]

CHART_BOX_JS = """key => { const e = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    if (!e) return null; const r = e.getBoundingClientRect();
    return {x: r.x, y: r.y, right: r.right, bottom: r.bottom, width: r.width, height: r.height}; }"""


def open_page(page, width, height, path, query, heading) -> App:
    app = screen_app(page, width, height)
    app.page.goto(f"/{path}" + (f"?{query}" if query else ""))
    expect(app.heading(heading)).to_be_visible()
    app.wait()
    return app


def expect_on_first_screen(app: App, keys, width, height) -> None:
    """Each chart drawn, its whole box on the screen, and its parts inside it, uncovered."""
    for key in keys:
        expect(app.keyed_chart(key).locator("svg.main-svg").first).to_be_attached()
    app.page.wait_for_timeout(500)  # plotly's relayout after the column width settles
    for key in keys:
        box = app.page.evaluate(CHART_BOX_JS, key)
        assert box is not None and box["height"] > 200, (key, box)
        assert box["y"] >= 0 and box["bottom"] <= height, (key, "below the fold", box, height)
        assert box["x"] >= 0 and box["right"] <= width, (key, "cut at the side", box, width)
        parts = app.page.evaluate(PARTS_JS, key)
        for part in parts["subtitle"] + parts["xtitle"] + parts["ytitle"]:
            assert inside(part, parts["svg"]), (key, "title cut", part, parts["svg"])
        if parts["legend"] is not None:
            assert inside(parts["legend"], parts["svg"]), (key, "legend cut")
            for part in parts["xtitle"] + parts["xticks"]:
                assert not overlaps(parts["legend"], part), (key, "legend covers", part)


@pytest.mark.parametrize("width,height", SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
@pytest.mark.parametrize("path,query,heading,keys,view", MAIN_PLOTS)
def test_every_page_shows_its_main_plot_on_the_first_screen(page, width, height, path, query,
                                                            heading, keys, view):
    app = open_page(page, width, height, path, query, heading)
    if view is not None:
        app.page.get_by_test_id("stButtonGroup").get_by_text(view, exact=True).click()
        app.wait()
    expect_sidebar(app, open=True)  # the sidebar is open: the hard case
    expect_on_first_screen(app, keys, width, height)


@pytest.mark.parametrize("width,height", SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_why_page_many_columns_scroll_inside_a_first_screen_box(page, width, height):
    # 30 columns: the effects chart is taller than any screen, so it scrolls inside its box.
    app = open_page(page, width, height, "explain",
                    "source=builtin&builtin=breast_cancer&penalty=l2",
                    "Why: coefficients and paths")
    expect(app.keyed_chart("effects_chart").locator("svg.main-svg").first).to_be_attached()
    app.page.wait_for_timeout(500)
    box = app.page.locator(".st-key-effects_box").bounding_box()
    chart = app.page.evaluate(CHART_BOX_JS, "effects_chart")
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (box, height)
    assert chart["height"] > box["height"] + 100, (chart, box)  # really taller: it scrolls
    assert chart["y"] >= box["y"] - 1, (chart, box)


@pytest.mark.parametrize("width,height", SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def test_home_doors_are_on_the_first_screen_with_their_buttons_in_line(page, width, height):
    app = open_page(page, width, height, "", "", "Watch a computer learn to separate groups")
    doors = [app.page.locator(f".st-key-door_{name}").bounding_box()
             for name in ("tour", "explore", "mydata")]
    buttons = [app.page.locator(f".st-key-door_btn_{name}").bounding_box()
               for name in ("tour", "explore", "mydata")]
    for door in doors:
        assert door["y"] >= 0 and door["y"] + door["height"] <= height, (door, height)
        assert door["x"] + door["width"] <= width, (door, width)
    assert max(d["height"] for d in doors) - min(d["height"] for d in doors) <= 1, doors
    assert max(b["y"] for b in buttons) - min(b["y"] for b in buttons) <= 1, buttons


def test_runs_page_shows_the_compared_boundaries_on_the_first_screen(page):
    from .test_runs import train_two_runs

    app = screen_app(page, 1280, 720).open("kind=moons", title="Data")
    train_two_runs(app)  # runs #1, #2, #3: the page compares the two newest
    app.nav("Runs")
    for width, height in SCREENS:
        app.page.set_viewport_size({"width": width, "height": height})
        app.page.wait_for_timeout(300)
        expect_sidebar(app, open=True)
        expect_on_first_screen(app, ("cmp_boundary_3", "cmp_boundary_2"), width, height)
