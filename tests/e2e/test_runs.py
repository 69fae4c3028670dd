"""The Runs page in a real browser: a copied link reopens the same view in a fresh context, a
link to uploaded data asks for the file, the report and script downloads deliver their bytes, and
the page at 1280x720 (screenshot written to the test's output folder)."""

from __future__ import annotations

import re
import subprocess
import sys

from playwright.sync_api import expect

from .conftest import REPO, App, data_file, expect_plot_drawn

def press_and_retrain(app: App, label: str, key: str, sidebar_says: str) -> None:
    """Press a slider key and wait for the retrained run: the sidebar, drawn after the page,
    shows the new value (the slider sends it after a short delay, so "idle" right after the
    press can still be the old run)."""
    app.press_slider(label, key)
    expect(app.page.get_by_test_id("stSidebarUserContent")).to_contain_text(sidebar_says)
    app.wait()


def train_two_runs(app: App) -> None:
    app.nav("Train")
    # 0.5 -> 0.3, then degree 2: a second and a third run
    press_and_retrain(app, "Learning rate", "ArrowLeft", "Learning rate: 0.3")
    press_and_retrain(app, "Polynomial degree", "ArrowRight", "Polynomial degree: 2")


def history_grid(app: App):
    """The run history table (under the comparison, whose weights table comes first)."""
    return app.page.locator('[class*="st-key-runs_table_"]').get_by_test_id(
        "stDataFrame").or_(app.page.locator(
            '[data-testid="stDataFrame"][class*="st-key-runs_table_"]')).first


def view(app: App) -> dict:
    """What the Train page shows: the control values and the scores."""
    return {
        "lr": app.slider("Learning rate").get_attribute("aria-valuetext"),
        "degree": app.page.get_by_test_id("stSlider").filter(has_text="Polynomial degree")
        .locator("input[type=range]").input_value(),
        "test_accuracy": app.metric("Test accuracy").inner_text(),
        "test_loss": app.metric("Test log-loss").inner_text(),
        "epochs": app.metric("Epochs run").inner_text(),
    }


def test_copied_link_opens_the_same_view_in_a_fresh_context(app, new_app):
    app.open("kind=circles&data_seed=3")
    train_two_runs(app)
    before = view(app)
    link = app.page.url
    assert "/train?" in link and "learning_rate=0.3" in link and "degree=2" in link

    other = new_app()
    other.page.goto(link)
    expect(other.heading("Train")).to_be_visible()
    other.wait()
    expect_plot_drawn(other.keyed_chart("boundary_chart"), min_traces=3)
    assert view(other) == before
    expect(other.page.get_by_test_id("stSidebarUserContent")).to_contain_text("Data: circles")
    other.expect_no_exception()


def test_link_to_uploaded_data_asks_for_the_file(app, new_app):
    app.open()
    app.radio("Source", "Upload a CSV")
    app.page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        data_file("e2e_good_points.csv"))
    app.wait()
    app.nav("Train")
    link = app.page.url
    assert "source=upload" in link and "upload_name=" in link
    name = re.search(r"upload_name=([^&]+)", link).group(1)
    expect(app.page.get_by_text("not the file", exact=False)).to_be_visible()

    other = new_app()
    other.page.goto(link)
    expect(other.heading("Train")).to_be_visible()
    other.wait()
    expect(other.page.get_by_test_id("stAlert").filter(
        has_text=f"upload {name} on the Data page to continue")).to_be_visible()
    other.expect_no_exception()


def test_runs_page_downloads_and_projector_view(app, browser, tmp_path):
    app.open("kind=moons")
    train_two_runs(app)
    # The Train page's script download: real bytes, and it runs.
    app.open_train_files()
    with app.page.expect_download() as got:
        app.page.get_by_role("button", name=re.compile("Download a Python script")).click()
    script = tmp_path / "rebuild.py"
    got.value.save_as(script)
    done = subprocess.run([sys.executable, str(script)], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    accuracy = float(done.stdout.strip().splitlines()[-2].split("=")[1])
    assert app.metric("Test accuracy").inner_text() == f"{accuracy:.1%}"

    app.nav("Runs")
    expect(history_grid(app)).to_be_visible()
    expect_plot_drawn(app.keyed_chart("cmp_loss"), min_traces=2)
    app.page.get_by_role("button", name=re.compile("Prepare the comparison report")).click()
    app.wait()
    with app.page.expect_download() as got:
        app.page.get_by_role("button", name=re.compile("Download the comparison report")).click()
    report = tmp_path / "report.html"
    got.value.save_as(report)
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "2 runs compared on moons" in html

    # The report opens offline: no server, every figure drawn by the embedded plotly.js.
    offline = browser.new_context(offline=True)
    page = offline.new_page()
    page.goto(report.as_uri())
    expect(page.locator(".js-plotly-plot")).to_have_count(5, timeout=30_000)
    offline.close()

    # Projector: the same session's Runs page at 1280x720 (the history lives in the session).
    app.page.set_viewport_size({"width": 1280, "height": 720})
    app.wait()
    app.page.wait_for_timeout(800)
    app.page.screenshot(path=str(tmp_path / "runs-1280x720.png"))
    table = history_grid(app).bounding_box()
    assert table is not None and table["x"] + table["width"] <= 1280


def test_clicking_a_row_picks_the_run_and_restores_it(app):
    app.open()
    train_two_runs(app)  # runs #1 (α 0.5), #2 (α 0.3), #3 (α 0.3, degree 2)
    app.nav("Runs")
    grid = history_grid(app)
    expect(grid).to_be_visible()
    box = None
    while box != grid.bounding_box():  # the page settles its layout first (charts above draw)
        grid.scroll_into_view_if_needed()  # under the comparison: scroll it onto the screen
        box = grid.bounding_box()
        app.page.wait_for_timeout(300)
    # Rows are 35 px high under a 35 px header; the last row is run #1. Tick its box.
    app.page.mouse.click(box["x"] + 15, box["y"] + 35 + 2 * 35 + 17)
    app.wait()
    picker = app.page.get_by_role("combobox", name="Run", exact=True)
    expect(picker).to_have_value("#1 GD, α 0.5, degree 1")
    app.page.get_by_role("button", name=re.compile("Make it the current run")).click()
    app.wait()
    app.nav("Train")
    expect(app.slider("Learning rate")).to_have_attribute("aria-valuetext", "0.5")
    assert "degree=" not in app.page.url and "learning_rate=" not in app.page.url
