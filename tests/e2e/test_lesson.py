"""The guided tour in a real browser at projector size: Back / Next through every step, the step
in the address, and a step's link opened in a fresh browser."""

import re

from playwright.sync_api import expect

from ui.lesson import STEPS

from .conftest import App, expect_plot_drawn

N = len(STEPS)
PROJECTOR = {"width": 1280, "height": 720}


def panel(app):
    return app.page.locator(".st-key-lesson_panel")


def expect_step(app, k):
    expect(panel(app)).to_contain_text(f"step {k} of {N}: {STEPS[k - 1].title}")
    expect(app.page).to_have_url(re.compile(rf"[?&]lesson={k}(&|$)"))
    app.expect_no_exception()
    expect(app.page.get_by_test_id("stAlert").filter(has_text="Sorry, something went wrong")
           ).to_have_count(0)


def test_back_and_next_walk_every_step_and_the_address_carries_it(browser, server):
    context = browser.new_context(viewport=PROJECTOR, base_url=server.url)
    app = App(context.new_page())
    app.page.goto("/?lesson=1")
    app.wait()
    expect_step(app, 1)
    expect_plot_drawn(app.keyed_chart("boundary_chart"), min_traces=3)
    for k in range(2, N + 1):
        panel(app).get_by_role("button", name="Next").click()
        app.wait()
        expect_step(app, k)
    expect(app.heading("Multiclass (one-vs-rest)")).to_be_visible()
    expect_plot_drawn(app.keyed_chart("regions_ovr"), min_traces=3)
    expect(panel(app).get_by_role("button", name="Finish")).to_be_enabled()  # the tour's end
    for k in range(N - 1, 0, -1):
        panel(app).get_by_role("button", name="Back").click()
        app.wait()
        expect_step(app, k)
    expect(app.heading("Train")).to_be_visible()
    context.close()


def test_a_step_link_opened_in_a_fresh_browser_shows_that_step(browser, server):
    first = browser.new_context(viewport=PROJECTOR, base_url=server.url)
    app = App(first.new_page())
    app.page.goto("/?lesson=6")
    app.wait()
    expect_step(app, 6)
    link = app.page.url
    sentence = (panel(app).locator("[data-testid=stMarkdownContainer]")
                .filter(has_text="With polynomial degree 2").first.inner_text())
    assert "% of the test points right" in sentence
    first.close()

    fresh = browser.new_context(viewport=PROJECTOR)
    other = App(fresh.new_page())
    other.page.goto(link)
    other.wait()
    expect_step(other, 6)
    expect(panel(other)).to_contain_text(sentence)
    expect(other.slider("Polynomial degree")).to_have_attribute("aria-valuetext", "2")
    fresh.close()
