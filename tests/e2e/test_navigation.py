"""Page switches keep settings, reloads restore them from the URL, deep links work."""

import re

from playwright.sync_api import expect

from .conftest import VIEWPORT, App, expect_plot_drawn


def change_training_settings(app):
    """On the Train page: learning rate 0.5 -> 0.3, epochs 200 -> 300."""
    app.press_slider("Learning rate", "ArrowLeft")
    app.press_slider("Epochs", "ArrowRight")
    expect_training_settings(app)


def expect_training_settings(app, lr="0.3", epochs="300"):
    expect(app.slider("Learning rate")).to_have_attribute("aria-valuetext", lr)
    expect(app.slider("Epochs")).to_have_attribute("aria-valuetext", epochs)
    sidebar = app.page.get_by_test_id("stSidebarUserContent")
    expect(sidebar).to_contain_text(f"Learning rate: {lr} · epochs: {epochs}")
    expect(app.metric("Epochs run")).to_have_text(epochs)
    expect_plot_drawn(app.keyed_chart("boundary_chart"), min_traces=3)


def test_switching_pages_keeps_settings_and_reload_restores_them(app):
    app.open("kind=circles")
    app.nav("Train")
    change_training_settings(app)
    app.nav("Data")
    expect(app.page.get_by_role("combobox", name="Shape")).to_have_value(re.compile("^circles"))
    expect(app.page.get_by_test_id("stSidebarUserContent")).to_contain_text(
        "Learning rate: 0.3 · epochs: 300")
    app.nav("Threshold")
    app.nav("Train")
    expect_training_settings(app)
    expect(app.page.get_by_test_id("stSidebarUserContent")).to_contain_text("Data: circles")

    # Streamlit clears the URL query on a page switch; the app writes every setting back, so a
    # reload (or a copied link) brings back the same data and model.
    for part in ("kind=circles", "learning_rate=0.3", "epochs=300"):
        expect(app.page).to_have_url(re.compile(rf"/train\?(.*&)?{part}(&|$)"))
    app.page.reload()
    expect(app.heading("Train")).to_be_visible()
    app.wait()
    expect(app.page.get_by_test_id("stSidebarUserContent")).to_contain_text("Data: circles")
    expect_training_settings(app)
    app.expect_no_exception()


def test_deep_link_is_the_first_visit_of_a_fresh_server(fresh_server_factory, browser):
    """A shared link opened on a just-started server runs app.py (sidebar, settings from the URL).

    With a ``pages/`` folder next to app.py, streamlit treats the app as a legacy multipage app
    until the first ``st.navigation`` call; a first visit on a page URL was once seen to run the
    page alone (legacy sidebar, no "Now using", URL settings ignored).
    """
    fresh = fresh_server_factory()
    context = browser.new_context(viewport=VIEWPORT, base_url=fresh.url)
    app = App(context.new_page())
    app.page.goto("/train?learning_rate=0.3")
    expect(app.heading("Train")).to_be_visible()
    app.wait()
    nav = app.page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link", name="About the math")).to_be_visible()
    expect(app.page.get_by_test_id("stSidebarUserContent")).to_contain_text("Now using")
    expect(app.slider("Learning rate")).to_have_attribute("aria-valuetext", "0.3")
    context.close()
