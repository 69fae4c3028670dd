"""Threshold page: choosing Youden's rule moves the threshold and changes the confusion matrix."""

import re

from playwright.sync_api import expect

from .conftest import expect_plot_drawn

# Imbalanced blobs (1 point in 10 is positive): the best-balance threshold is far below 0.5.
IMBALANCED = "kind=blobs&noise=0.6&balance=0.1"


def confusion_cells(app):
    return app.keyed_chart("confusion_chart").locator(".heatmaplayer text")


def read_matrix(app):
    """[[tn, fp], [fn, tp]] from the cell labels ("42<br>84%": the count is the first line)."""
    counts = confusion_cells(app).evaluate_all(
        "els => els.map(e => e.querySelector('tspan') ? e.querySelector('tspan').textContent"
        " : e.textContent)")
    assert len(counts) == 4, counts
    counts = [int(c.replace(",", "")) for c in counts]
    return [counts[:2], counts[2:]]


def test_youden_rule_moves_threshold_and_confusion_matrix(app):
    app.open(IMBALANCED)
    app.nav("Threshold")
    app.open_panel("More curves", "pr_chart")
    for key in ("roc_chart", "hist_chart", "confusion_chart", "pr_chart", "sweep_chart"):
        expect_plot_drawn(app.keyed_chart(key))
    threshold = app.slider("Threshold T")
    expect(threshold).to_have_attribute("aria-valuetext", "0.50")
    expect(confusion_cells(app)).to_have_count(4)
    cells_before = confusion_cells(app).all_text_contents()
    before = read_matrix(app)
    sidebar = app.page.get_by_test_id("stSidebarUserContent")
    expect(sidebar).to_contain_text("Threshold: 0.50")

    app.choose("How to choose the threshold", "Best balance: max TPR − FPR (Youden)")

    expect(app.page.get_by_role("combobox", name="How to choose the threshold")).to_have_value(
        re.compile("Youden"))
    expect(threshold).not_to_have_attribute("aria-valuetext", "0.50")
    expect(threshold).to_be_disabled()
    value = float(threshold.get_attribute("aria-valuetext"))
    assert 0.0 < value < 0.5, value
    expect(app.page.get_by_test_id("stAlertContentSuccess")).to_be_visible()
    expect(confusion_cells(app)).not_to_have_text(cells_before)
    after = read_matrix(app)
    # Same test points, so each true class keeps its total; the lower threshold catches more
    # positives (true positives up) and raises more false alarms (false positives up).
    assert [sum(r) for r in after] == [sum(r) for r in before], (before, after)
    assert after[1][1] > before[1][1] and after[0][1] > before[0][1], (before, after)
    app.expect_no_exception()

    # The page says the same T is used on the Train page.
    app.nav("Train")
    expect(sidebar).to_contain_text(f"Threshold: {value:.2f}")
    legend = app.keyed_chart("boundary_chart").locator(".legendtext", has_text="boundary")
    expect(legend).to_have_text(re.compile(r"p = 0\.\d+ boundary"))
    drawn_at = float(re.search(r"p = (0\.\d+)", legend.text_content()).group(1))
    assert abs(drawn_at - value) <= 0.005, (drawn_at, value)


def test_train_slider_shows_the_threshold_a_rule_chose(app):
    """A rule's threshold (off the slider's 0.01 grid) shows on the Train page's slider too."""
    app.open(IMBALANCED + "&rule=youden")
    app.nav("Threshold")
    threshold = app.slider("Threshold T")
    expect(threshold).not_to_have_attribute("aria-valuetext", "0.50")
    value = threshold.get_attribute("aria-valuetext")
    app.nav("Train")
    expect(app.slider("Threshold T")).to_have_attribute("aria-valuetext", value)
