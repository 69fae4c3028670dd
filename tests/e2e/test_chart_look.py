"""A chart sent flat (ui/chart_look.py, theme=None) looks exactly as Streamlit's theme draws it.

tests/e2e/look_app.py draws every kind of figure the app has twice, themed and flat; chromium
renders both and the two pictures must be the same, pixel for pixel up to anti-aliasing (the
flat figure's float32 data travel as 9-digit decimals). A wrong flag (a grid line, a zero line,
an axis line the theme would not draw), colour, font or title weight shows as a difference.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from scripts.app_server import AppServer
from tests.e2e.conftest import require_chromium
from tests.test_figures import ALL

IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
# A pixel differs when a channel differs by more than this (anti-aliased edges move by less).
CHANNEL_TOLERANCE = 48
# Share of pixels allowed to differ (edges of points whose positions moved by < 1e-8).
PIXEL_SHARE = 0.002
NAMES = [*ALL, "cost_curve", "calibration", "path", "replay"]


@pytest.fixture(scope="module")
def look_server():
    require_chromium()
    srv = AppServer(log_prefix="e2e-look-", script="tests/e2e/look_app.py")
    srv.wait_healthy()
    yield srv
    srv.stop()


def picture(page, key: str) -> np.ndarray:
    box = page.locator(f".st-key-{key}")
    box.scroll_into_view_if_needed()
    return np.asarray(Image.open(io.BytesIO(box.screenshot())).convert("RGB")).astype(int)


def differing_share(a: np.ndarray, b: np.ndarray) -> float:
    assert a.shape == b.shape
    return float((np.abs(a - b).max(axis=2) > CHANNEL_TOLERANCE).mean())


def open_pair(page, server, name):
    page.goto(f"{server.url}/?only={name}")
    page.wait_for_function(IDLE, timeout=60_000)
    for kind in ("themed", "flat"):
        page.wait_for_selector(f".st-key-{kind}_{name} .main-svg", timeout=60_000)
    page.wait_for_timeout(800)  # both charts' second (resize) draw


@pytest.mark.parametrize("name", NAMES)
def test_flat_chart_draws_like_the_themed_one(page, look_server, name):
    page.set_viewport_size({"width": 1400, "height": 900})
    open_pair(page, look_server, name)
    themed, flat = picture(page, f"themed_{name}"), picture(page, f"flat_{name}")
    assert differing_share(themed, flat) <= PIXEL_SHARE, name


def test_the_comparison_sees_a_chart_drawn_without_the_look(page, look_server):
    """The check can fail: the same figure with neither the look nor the theme differs."""
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{look_server.url}/?only=roc&bare=1")
    page.wait_for_function(IDLE, timeout=60_000)
    page.wait_for_selector(".st-key-bare_roc .main-svg", timeout=60_000)
    page.wait_for_timeout(800)
    assert differing_share(picture(page, "themed_roc"), picture(page, "bare_roc")) > PIXEL_SHARE


def test_flat_replay_moves_like_the_themed_one(page, look_server):
    """A step of the epoch slider (a plotly animation frame, no rerun) draws the same picture,
    marker and weights in both: the flat chart's cheap second draw left nothing stale."""
    page.set_viewport_size({"width": 1400, "height": 900})
    open_pair(page, look_server, "replay")
    shots = {}
    for kind in ("themed", "flat"):
        chart = page.locator(f".st-key-{kind}_replay .js-plotly-plot")
        chart.scroll_into_view_if_needed()
        tick = chart.locator(".slider-group .slider-tick-rect").nth(8).bounding_box()
        rail = chart.locator(".slider-rail-touch-rect").bounding_box()
        page.mouse.click(tick["x"] + tick["width"] / 2, rail["y"] + rail["height"] / 2)
        page.wait_for_timeout(600)
        shots[kind] = picture(page, f"{kind}_replay")
    assert differing_share(shots["themed"], shots["flat"]) <= PIXEL_SHARE
