"""Two people at once (two browser contexts): neither sees the other's data or settings."""

import re

from playwright.sync_api import expect

from .conftest import expect_plot_drawn


def sidebar(app):
    return app.page.get_by_test_id("stSidebarUserContent")


def test_two_sessions_do_not_share_data_or_settings(new_app):
    alice, bob = new_app(), new_app()
    alice.open()
    bob.open()

    # Bob switches to circles while Alice stays on moons.
    bob.choose("Shape", "circles: a ring around a disc")
    expect(sidebar(bob)).to_contain_text("Data: circles")
    expect_plot_drawn(bob.chart("circles: each dot is one sample"), min_traces=2)

    alice.nav("Train")
    bob.nav("Train")
    # Both change the learning rate at the same time, in opposite directions.
    for app, key in ((alice, "ArrowLeft"), (bob, "ArrowRight")):
        thumb = app.slider("Learning rate")
        thumb.focus()
        thumb.press(key)
    alice.wait()
    bob.wait()
    expect(alice.slider("Learning rate")).to_have_attribute("aria-valuetext", "0.3")
    expect(bob.slider("Learning rate")).to_have_attribute("aria-valuetext", "1.0")
    expect(sidebar(alice)).to_contain_text("Learning rate: 0.3")
    expect(sidebar(bob)).to_contain_text("Learning rate: 1")

    # Each keeps seeing only their own data and settings, after another rerun too.
    for app, mine, theirs, lr in ((alice, "moons", "circles", "0.3"),
                                  (bob, "circles", "moons", "1")):
        app.nav("Data")
        expect(sidebar(app)).to_contain_text(f"Data: {mine}")
        expect(sidebar(app)).not_to_contain_text(f"Data: {theirs}")
        expect(app.page.get_by_role("combobox", name="Shape")).to_have_value(
            re.compile(f"^{mine}"))
        expect_plot_drawn(app.chart(f"{mine}: each dot is one sample"), min_traces=2)
        expect(app.chart(f"{theirs}: each dot is one sample")).to_have_count(0)
        app.nav("Train")
        expect(sidebar(app)).to_contain_text(f"Learning rate: {lr} ·")
        expect_plot_drawn(app.keyed_chart("boundary_chart"), min_traces=3)
    assert "learning_rate=0.3" in alice.page.url and "kind" not in alice.page.url
    assert "learning_rate=1.0" in bob.page.url
