"""Real-browser tests: one `streamlit run app.py` server per session, Debian chromium via Playwright.

Every test opens a fresh browser context (pytest-playwright's ``page`` fixture), so tests share
the server but never a Streamlit session. Recipes: ../shared/STREAMLIT_NOTES.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from scripts.app_server import CHROMIUM, CHROMIUM_ARGS, HEALTH_TIMEOUT_S, IDLE_JS, AppServer

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "e2e"
VIEWPORT = {"width": 1400, "height": 2000}
# Reruns that train a model can take a few seconds on a busy 2-core machine.
expect.set_options(timeout=30_000)

E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def require_chromium() -> None:
    """A missing browser fails the run in CI and skips it elsewhere (``make test`` installs it)."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing"
    if os.environ.get("CI"):
        pytest.fail(f"{message}: CI must run the browser tests (the Makefile installs chromium).",
                    pytrace=False)
    pytest.skip(f"{message}: run `make test`, which installs Debian chromium, to run the browser tests.")


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------

class Server(AppServer):
    """The shared server, failing the test (not crashing it) when it does not come up."""

    def __init__(self) -> None:
        super().__init__(log_prefix="e2e-streamlit-")

    def wait_healthy(self, timeout: float = HEALTH_TIMEOUT_S) -> None:
        try:
            super().wait_healthy(timeout)
        except RuntimeError as exc:
            pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def server():
    require_chromium()
    srv = Server()
    srv.wait_healthy()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def fresh_server_factory():
    """Start extra servers for tests that need a process nothing has visited yet."""
    started = []

    def start() -> Server:
        srv = Server()
        started.append(srv)
        srv.wait_healthy()
        return srv

    yield start
    for srv in started:
        srv.stop()


# --------------------------------------------------------------------------------------------
# The browser (pytest-playwright fixtures, overridden)
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args():
    require_chromium()
    return {"executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(server):
    return {"viewport": VIEWPORT, "base_url": server.url, "device_scale_factor": 1}


# --------------------------------------------------------------------------------------------
# Driving the app
# --------------------------------------------------------------------------------------------

PAGE_TITLES = {
    "Start here": "Watch a computer learn to separate groups",
    "Data": "Data",
    "Train": "Train",
    "Threshold": "Threshold",
    "Why: coefficients and paths": "Why: coefficients and paths",
    "Multiclass": "Multiclass (one-vs-rest)",
    "Runs": "Runs",
    "About the math": "How logistic regression works",
}
# Page title (heading) -> the page's address (Streamlit names it after the file; home is "").
PAGE_PATHS = {
    "Data": "data",
    "Train": "train",
    "Threshold": "threshold",
    "Multiclass (one-vs-rest)": "multiclass",
    "Runs": "compare",
    "How logistic regression works": "about",
}


class App:
    """A Streamlit session in one browser page, with what the tests do to it."""

    def __init__(self, page: Page) -> None:
        self.page = page

    # -- waiting ---------------------------------------------------------------------------
    def wait(self) -> None:
        """Wait until the current rerun is over: no status widget, script not running."""
        page = self.page
        # One quick poll for all three conditions (expect() backs off to 1 s between tries)...
        page.wait_for_function(IDLE_JS, polling=100, timeout=60_000)
        # ...then the same conditions as assertions, with readable failures.
        expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-connection-state",
                                                             "CONNECTED")
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
        expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state",
                                                             "notRunning")

    def heading(self, title: str):
        return self.page.get_by_test_id("stMain").get_by_role("heading", name=title, level=1)

    # -- getting somewhere -----------------------------------------------------------------
    def open_train_curves(self) -> None:
        """Open Train's "Accuracy by epoch..." expander (its loss/accuracy and weights charts
        are drawn only while it is open) and wait for the rerun that draws them."""
        self.open_panel("Accuracy by epoch", "loss_chart")

    def open_train_files(self) -> None:
        """Open Train's files expander (report, script, model, predictions; drawn only while it
        is open) and wait for the rerun that draws it."""
        self.open_panel("Take this run with you")
        expect(self.page.get_by_text("Save or load a model")).to_be_visible()

    def open_panel(self, label_start: str, chart_key: str | None = None) -> None:
        """Open the expander whose label starts with ``label_start`` (its content is drawn only
        while it is open) and wait until its chart ``chart_key`` (if any) is drawn."""
        details = self.page.get_by_test_id("stExpander").filter(
            has_text=label_start).locator("details")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
            self.wait()
        if chart_key is not None:
            expect(self.keyed_chart(chart_key).locator("svg.main-svg").first).to_be_attached()

    def open(self, query: str = "", title: str = "Data") -> "App":
        """Open the page with this title (default: Data; the root URL opens the home page),
        optionally with settings in the query, and wait for it."""
        path = PAGE_PATHS.get(title, "")
        self.page.goto(f"/{path}" + (f"?{query}" if query else ""))
        expect(self.heading(title)).to_be_visible()
        self.wait()
        return self

    def nav(self, link: str) -> None:
        """Click a page in the sidebar navigation and wait for its title."""
        self.page.get_by_test_id("stSidebarNav").get_by_role("link", name=link).click()
        expect(self.heading(PAGE_TITLES[link])).to_be_visible()
        self.wait()

    # -- reading ---------------------------------------------------------------------------
    def sidebar(self) -> str:
        return self.page.get_by_test_id("stSidebarUserContent").inner_text()

    def metric(self, label: str):
        """The value element of the st.metric with this label."""
        return (self.page.get_by_test_id("stMetric").filter(has_text=label)
                .get_by_test_id("stMetricValue"))

    def keyed_chart(self, key: str):
        """The plotly chart drawn with ``st.plotly_chart(..., key=key)``."""
        return self.page.locator(f".st-key-{key} .js-plotly-plot")

    def chart(self, title: str):
        """The plotly chart whose title contains ``title`` (regex or text)."""
        return self.page.locator(".js-plotly-plot").filter(
            has=self.page.locator(".gtitle", has_text=title))

    def slider(self, label: str):
        """The thumb (role=slider) of the slider with this label."""
        return (self.page.get_by_test_id("stSlider")
                .filter(has=self.page.get_by_test_id("stWidgetLabel").filter(has_text=label))
                .get_by_role("slider"))

    def press_slider(self, label: str, key: str, times: int = 1) -> None:
        thumb = self.slider(label)
        thumb.focus()
        for _ in range(times):
            thumb.press(key)
        self.wait()

    def choose(self, label: str, option: str) -> None:
        """Pick an option of the st.selectbox with this label."""
        box = self.page.get_by_test_id("stSelectbox").filter(
            has=self.page.get_by_test_id("stWidgetLabel").filter(has_text=label))
        # On the screen first: the list a click opens closes again when that click scrolls.
        box.scroll_into_view_if_needed()
        box.get_by_role("combobox").click()
        self.page.get_by_role("option", name=option, exact=True).click()
        self.wait()

    def radio(self, label: str, option: str) -> None:
        group = self.page.get_by_test_id("stRadio").filter(
            has=self.page.get_by_test_id("stWidgetLabel").filter(has_text=label))
        group.get_by_text(option, exact=True).click()
        self.wait()

    def expect_no_exception(self) -> None:
        expect(self.page.get_by_test_id("stException")).to_have_count(0)


def overlaps(a, b, pad=1.0) -> bool:
    """Two boxes (left/right/top/bottom, px) overlap by more than ``pad``."""
    return not (a["right"] <= b["left"] + pad or b["right"] <= a["left"] + pad
                or a["bottom"] <= b["top"] + pad or b["bottom"] <= a["top"] + pad)


def inside(inner, outer, pad=1.0) -> bool:
    """Box ``inner`` lies within ``outer`` (``pad`` px of slack)."""
    return (inner["left"] >= outer["left"] - pad and inner["right"] <= outer["right"] + pad
            and inner["top"] >= outer["top"] - pad and inner["bottom"] <= outer["bottom"] + pad)


TRACE_SELECTOR = (".scatterlayer .trace, .barlayer .trace, .heatmaplayer .hm, "
                  ".contourlayer .contour, .gl-container canvas")


def expect_plot_drawn(chart, *, min_traces: int = 1) -> None:
    """A plotly chart that has really drawn: its div, an svg, and at least this many traces
    (scatter lines/markers, bars, heatmap images and contours all count)."""
    expect(chart).to_have_count(1)
    expect(chart.locator("svg.main-svg").first).to_be_attached()
    expect(chart.locator(TRACE_SELECTOR).nth(min_traces - 1)).to_be_attached()


@pytest.fixture
def app(page) -> App:
    return App(page)


@pytest.fixture
def new_app(new_context):
    """Open another, independent browser session (its own context and cookies)."""

    def make() -> App:
        return App(new_context().new_page())

    return make


def data_file(name: str) -> str:
    return str(DATA / name)
