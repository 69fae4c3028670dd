"""Uploads: a good CSV loads and says so; bad files give a clear error, never a traceback."""

import re

from playwright.sync_api import expect

from .conftest import data_file, expect_plot_drawn


def upload(app, name):
    app.page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(data_file(name))
    expect(app.page.get_by_test_id("stFileUploader")).to_contain_text(name)
    app.wait()


def test_good_csv_then_bad_csvs(app):
    app.open()
    app.radio("Source", "Upload a CSV")
    expect(app.page.get_by_text("Limit 200 MB per file")).to_be_visible()
    expect(app.page.get_by_test_id("stSidebarUserContent")).to_contain_text(
        "upload a CSV on the Data page")

    upload(app, "e2e_good_points.csv")
    success = app.page.get_by_test_id("stAlertContentSuccess")
    expect(success).to_contain_text("Loaded e2e_good_points.csv")
    expect(success).to_contain_text("60 samples")
    expect(app.page.get_by_role("combobox", name="Column with the classes")).to_have_value("kind")
    expect_plot_drawn(app.chart("each dot is one sample"), min_traces=2)
    sidebar = app.page.get_by_test_id("stSidebarUserContent")
    expect(sidebar).to_contain_text("e2e_good_points")

    for bad in ("e2e_one_class.csv", "e2e_binary_junk.csv"):
        upload(app, bad)
        error = app.page.get_by_test_id("stAlertContentError")
        expect(error).to_be_visible()
        expect(error).not_to_be_empty()
        expect(app.page.get_by_test_id("stAlertContentSuccess")).to_have_count(0)
        app.expect_no_exception()
        # The message is ours (a DataError), not the "something went wrong" apology.
        expect(error).not_to_contain_text("Sorry, something went wrong")

    # The app is alive and still works on the last good data.
    app.nav("Train")
    expect(sidebar).to_contain_text("e2e_good_points")
    expect_plot_drawn(app.keyed_chart("boundary_chart"), min_traces=3)
    expect(app.metric("Epochs run")).to_have_text(re.compile(r"^\d+$"))
    app.expect_no_exception()
