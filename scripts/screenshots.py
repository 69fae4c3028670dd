"""Screenshots of every page for the README: `make screenshots` writes docs/<page>.png.

Starts its own `streamlit run app.py` on a free local port, drives Debian chromium with
Playwright (never a downloaded browser), and takes one full-page PNG per page at 1400 px wide,
with the window as tall as the page so nothing is cut. Each page waits for its charts to draw.

It also takes the first screen of every page as a projector and a large monitor show it,
docs/screens/<page>-1280x720.png and -1920x1080.png (what a room sees without scrolling), and
the Train page in presentation mode (``train-present``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script: make scripts.app_server importable
from scripts.app_server import CHROMIUM, CHROMIUM_ARGS, IDLE_JS, AppServer  # noqa: E402

OUT = REPO / "docs"
WIDTH = 1400
MIN_HEIGHT = 1000

def runs_history(page: Page) -> None:
    """Runs: train three runs on the Train page (α 0.5, 0.3, 0.1), then come back."""
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_role("link", name="Train").click()
    expect(page.get_by_role("heading", name="Train", level=1)).to_be_visible(timeout=60_000)
    thumb = page.get_by_test_id("stSlider").first.get_by_role("slider")
    for _ in range(2):  # 0.5 -> 0.3 -> 0.1, one recorded run each
        wait_idle(page)
        thumb.focus()
        thumb.press("ArrowLeft")
    wait_idle(page)
    nav.get_by_role("link", name="Runs").click()
    expect(page.get_by_role("heading", name="Runs", level=1)).to_be_visible(timeout=60_000)


# file name -> (settings in the URL, page address, page title, what to do before the picture)
SHOTS = {
    "home": ("", "", "Watch a computer learn to separate groups", None),
    "data": ("", "data", "Data", None),
    "train": ("", "train", "Train", None),
    "threshold": ("rule=youden", "threshold", "Threshold", None),
    "multiclass": ("source=builtin&builtin=iris&compare_softmax=true", "multiclass",
                   "Multiclass (one-vs-rest)", None),
    "compare": ("", "compare", "Runs", runs_history),
    "about": ("", "about", "How logistic regression works", None),
}
# Only in the first-screen set: the Train page as a projector shows it in presentation mode.
SCREEN_ONLY = {"train-present": ("present=1", "train", "Train", None)}
SCREENS = ((1280, 720), (1920, 1080))

# Every plotly chart has its svg and no chart is still a loading skeleton.
CHARTS_DRAWN_JS = """() => {
    if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stSpinner"]')) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return charts.every(c => c.querySelector('.js-plotly-plot svg.main-svg') !== null);
}"""

# Bottom of the page's last element (in page coordinates, the main area scrolled to the top).
CONTENT_BOTTOM_JS = """() => {
    const blocks = [...document.querySelectorAll(
        '[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > *')];
    const bottom = Math.max(0, ...blocks.map(b => b.getBoundingClientRect().bottom));
    const main = document.querySelector('[data-testid="stMain"]');
    return Math.ceil(bottom + (main ? main.scrollTop : 0));
}"""
BOTTOM_MARGIN = 48


def wait_idle(page: Page) -> None:
    page.wait_for_function(IDLE_JS, polling=100, timeout=90_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=90_000)


def settle(page: Page) -> None:
    """The app is idle, every chart has drawn, fonts are loaded, plotly has finished animating."""
    wait_idle(page)
    page.wait_for_function(CHARTS_DRAWN_JS, polling=100, timeout=60_000)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    # Plotly lays out again after a resize and animates legend/axes for a moment.
    page.wait_for_timeout(800)


def open_page(browser, url: str, size: tuple, path: str, query: str, title: str, action):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height},
                                  device_scale_factor=1, base_url=url)
    page = context.new_page()
    page.goto(f"/{path}" + (f"?{query}" if query else ""))
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=60_000)
    wait_idle(page)
    if action is not None:
        action(page)
    settle(page)
    return context, page


def shoot(browser, url: str, name: str, query: str, path: str, title: str, action) -> Path:
    """The whole page at WIDTH px, the window as tall as the page."""
    context, page = open_page(browser, url, (WIDTH, MIN_HEIGHT), path, query, title, action)
    try:
        # Grow the window to the page's height (streamlit scrolls inside its main area, so a
        # "full page" screenshot of a short window would cut the page), then draw again.
        height = MIN_HEIGHT
        for _ in range(4):
            height = max(MIN_HEIGHT, page.evaluate(CONTENT_BOTTOM_JS) + BOTTOM_MARGIN)
            if height == page.viewport_size["height"]:
                break
            page.set_viewport_size({"width": WIDTH, "height": height})
            settle(page)
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.mouse.move(WIDTH // 2, height - 2)  # no hover effects (sidebar collapse button)
        page.wait_for_timeout(300)
        out = OUT / f"{name}.png"
        page.screenshot(path=str(out), full_page=True)
        return out
    finally:
        context.close()


def shoot_screen(browser, url: str, name: str, size: tuple, query: str, path: str, title: str,
                 action) -> Path:
    """The first screen only, at a projector's or a monitor's size."""
    context, page = open_page(browser, url, size, path, query, title, action)
    try:
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.mouse.move(size[0] // 2, size[1] - 2)
        page.wait_for_timeout(300)
        out = OUT / "screens" / f"{name}-{size[0]}x{size[1]}.png"
        out.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(out))
        return out
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", metavar="PAGE",
                        help=f"only these pages (default: all of {', '.join(SHOTS)}, "
                             f"{', '.join(SCREEN_ONLY)})")
    parser.add_argument("--no-screens", action="store_true",
                        help="only the full pages, not the 1280x720 and 1920x1080 first screens")
    args = parser.parse_args()
    names = args.pages or list(SHOTS) + list(SCREEN_ONLY)
    unknown = sorted(set(names) - set(SHOTS) - set(SCREEN_ONLY))
    if unknown:
        parser.error(f"unknown page(s): {', '.join(unknown)}")
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: run `make screenshots` (it installs Debian chromium).")
    OUT.mkdir(exist_ok=True)
    server = AppServer(log_prefix="screenshots-streamlit-")
    try:
        server.wait_healthy()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                        args=CHROMIUM_ARGS)
            for name in names:
                if name in SHOTS:
                    out = shoot(browser, server.url, name, *SHOTS[name])
                    print(f"{out.relative_to(REPO)}: {out.stat().st_size / 1024:.0f} KB")
                if args.no_screens:
                    continue
                for size in SCREENS:
                    spec = SHOTS.get(name) or SCREEN_ONLY[name]
                    out = shoot_screen(browser, server.url, name, size, *spec)
                    print(f"{out.relative_to(REPO)}: {out.stat().st_size / 1024:.0f} KB")
            browser.close()
    except RuntimeError as exc:
        sys.exit(str(exc))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
