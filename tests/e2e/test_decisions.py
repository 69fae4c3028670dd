"""Issue 18 items 6, 7 and 12 in a real browser at 1280x720: a rule's threshold shows every digit
on both pages, moving T on Train takes over from the rule with a notice, and two downloads in a
row both arrive. Screenshots go to $E2E_SHOTS (default: the pytest tmp dir) to be looked at."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import App

REPO = Path(__file__).resolve().parents[2]
CREDIT = REPO / "tests" / "data" / "credit_default.csv"
PROJECTOR = {"width": 1280, "height": 720}
RUN_COUNTER_JS = """() => {
  const root = document.querySelector('[data-testid=stApp]');
  window.__scriptRuns = 0;
  new MutationObserver(() => {
    if (root.getAttribute('data-test-script-state') === 'running') window.__scriptRuns += 1;
  }).observe(root, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


@pytest.fixture
def projector(browser, server):
    context = browser.new_context(viewport=PROJECTOR, base_url=server.url, accept_downloads=True,
                                  device_scale_factor=1)
    yield App(context.new_page())
    context.close()


def shot(app, tmp_path, name):
    folder = Path(os.environ.get("E2E_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    app.page.screenshot(path=str(folder / f"{name}.png"))


def upload_credit(app):
    app.radio("Source", "Upload a CSV")
    app.page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(CREDIT))
    expect(app.page.get_by_text("Loaded credit_default.csv", exact=False)).to_be_visible()
    app.wait()


def slider_text(app):
    return app.page.get_by_test_id("stSlider").filter(has_text="Threshold T").get_by_test_id(
        "stSliderThumbValue").inner_text()


def test_rule_threshold_is_one_number_and_train_takes_over_with_a_notice(projector, tmp_path):
    app = projector
    app.open()
    upload_credit(app)
    app.nav("Threshold")
    app.choose("How to choose the threshold",
               "Cheapest: weigh false alarms against misses (cost)")
    success = app.page.get_by_test_id("stAlertContentSuccess")
    expect(success).to_contain_text("Chosen on the training set: At ")
    shown = re.search(r"At (\d\.\d+),", success.inner_text()).group(1)
    assert len(shown.split(".")[1]) > 2, shown  # a value the old 0.01 slider could not hold
    assert slider_text(app) == shown
    expect(app.page.get_by_test_id("stSidebarUserContent")).to_contain_text(
        f"Threshold: {shown}")
    roc_label = app.keyed_chart("roc_chart").locator("text", has_text=f"T = {shown}")
    expect(roc_label.first).to_be_visible()
    shot(app, tmp_path, "threshold_rule_1280")

    app.nav("Train")
    assert slider_text(app) == shown
    caption = app.page.get_by_text(re.compile(rf"T = {re.escape(shown)} is set by the rule"))
    expect(caption).to_be_visible()
    shot(app, tmp_path, "train_rule_1280")

    app.press_slider("Threshold T", "ArrowRight")
    notice = app.page.get_by_test_id("stAlertContentInfo").filter(has_text="You moved T to")
    expect(notice).to_be_visible()
    moved = slider_text(app)
    assert moved != shown and f"You moved T to {moved}" in notice.inner_text()
    expect(caption).to_have_count(0)
    shot(app, tmp_path, "train_manual_1280")

    app.nav("Threshold")
    assert slider_text(app) == moved  # not reverted by the rule
    expect(app.page.get_by_role("combobox", name="How to choose the threshold")).to_have_value(
        re.compile("slider"))
    app.expect_no_exception()


def test_two_downloads_in_a_row_both_arrive(projector, tmp_path):
    app = projector
    app.open()
    app.nav("Train")
    app.open_train_files()
    model_button = app.page.get_by_role("button", name=re.compile("Download this model"))
    csv_button = app.page.get_by_role("button", name=re.compile("Download predictions"))
    expect(csv_button).to_be_visible()
    app.wait()
    # Count script runs from here on: a download click that reruns the script replaces both
    # buttons' file ids on the server while the browser may still hold the old ones (it is busy
    # drawing the rerun), and the second click then fails with "Deferred file ... not found".
    app.page.evaluate(RUN_COUNTER_JS)
    with app.page.expect_download() as first:
        model_button.click()
    with app.page.expect_download() as second:  # right after the first: no rerun in between
        csv_button.click()
    model_path, csv_path = tmp_path / "model.json", tmp_path / "predictions.csv"
    first.value.save_as(model_path)
    second.value.save_as(csv_path)
    model = json.loads(model_path.read_text())
    assert model["threshold"] == 0.5
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text())))
    assert len(rows) == 400  # every row of the default 400-point moons, not only the test rows
    assert [int(r["row"]) for r in rows] == list(range(1, 401))
    assert {r["split"] for r in rows} == {"train", "test"}
    assert {r["threshold"] for r in rows} == {"0.5"}
    # And again, both at once the other way round.
    with app.page.expect_download() as third:
        csv_button.click()
    with app.page.expect_download() as fourth:
        model_button.click()
    third.value.save_as(tmp_path / "again.csv")
    fourth.value.save_as(tmp_path / "again.json")
    assert (tmp_path / "again.csv").read_text() == csv_path.read_text()
    assert json.loads((tmp_path / "again.json").read_text()) == model
    app.page.wait_for_timeout(1500)  # a rerun a click started would have shown by now
    assert app.page.evaluate("window.__scriptRuns") == 0
    app.expect_no_exception()
