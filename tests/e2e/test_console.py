"""A tour of every page leaves no error in the browser console."""

import re

from playwright.sync_api import expect

from .conftest import PAGE_TITLES, expect_plot_drawn

# Page URLs opened directly make streamlit's frontend probe <page>/_stcore/{host-config,health}
# first (404) before it finds the server root: known and harmless.
KNOWN_PROBE = re.compile(r"/[\w-]+/_stcore/(host-config|health)$")


def is_ignored(msg, server_url):
    url = msg["url"] or ""
    if url and not url.startswith(server_url):
        return True  # outside resources (web fonts): there is no network here
    if KNOWN_PROBE.search(url) and "404" in msg["text"]:
        return True
    return False


def test_tour_of_all_pages_has_no_console_errors(app, server):
    page = app.page
    seen = []
    page.on("console", lambda m: seen.append(
        {"kind": m.type, "text": m.text, "url": m.location.get("url", "")}) if m.type == "error"
        else None)
    page.on("pageerror", lambda e: seen.append({"kind": "pageerror", "text": str(e), "url": ""}))

    app.open()
    expect_plot_drawn(app.chart("each dot is one sample"))
    for link in PAGE_TITLES:
        app.nav(link)
        app.expect_no_exception()
    expect(page.locator(".js-plotly-plot")).not_to_have_count(0)  # About: the sigmoid chart
    app.nav("Train")
    anim = app.keyed_chart("boundary_chart")
    expect_plot_drawn(anim, min_traces=2)
    anim.locator(".updatemenu-button", has_text="Play").click()
    expect(anim.locator(".slider-group > text.slider-label")).not_to_have_text("epoch 200")
    app.nav("Multiclass")
    page.get_by_role("button", name="Iris (3 flower species)").click()
    app.wait()
    expect_plot_drawn(app.keyed_chart("regions_ovr"), min_traces=3)
    # A page URL opened directly (the probes above), then a reload.
    page.goto("/threshold")
    expect(app.heading("Threshold")).to_be_visible()
    app.wait()
    page.reload()
    expect(app.heading("Threshold")).to_be_visible()
    app.wait()
    expect_plot_drawn(app.keyed_chart("roc_chart"))

    errors = [m for m in seen if not is_ignored(m, server.url)]
    assert not errors, "\n".join(f"{m['kind']}: {m['text']} ({m['url']})" for m in errors)
    # The filter is not vacuous: the direct open did make the known probes fail.
    assert any(KNOWN_PROBE.search(m["url"] or "") for m in seen), seen
