"""Screenshots of the guided tour at 1280x720 (the projector size): docs/lesson-<k>.png.

Starts its own `streamlit run app.py` on a free local port and drives Debian chromium with
Playwright: opens step 1 from its link (``?lesson=1``), then presses Next through every step,
one first-screen picture (no scrolling) per step, as an audience would see it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script: make scripts.app_server importable
from scripts.app_server import CHROMIUM, CHROMIUM_ARGS, IDLE_JS, AppServer  # noqa: E402

OUT = REPO / "docs"
CHARTS_DRAWN_JS = """() => {
    if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stSpinner"]')) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return charts.length > 0 && charts.every(c => c.querySelector('.js-plotly-plot svg.main-svg') !== null);
}"""


def settle(page) -> None:
    page.wait_for_function(IDLE_JS, polling=100, timeout=90_000)
    page.wait_for_function(CHARTS_DRAWN_JS, polling=200, timeout=90_000)
    page.wait_for_timeout(600)  # plotly's first paint


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=0, help="stop after this many steps")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    args = parser.parse_args()
    server = AppServer()
    try:
        server.wait_healthy()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.goto(f"{server.url}/?lesson=1")
            k = 1
            while True:
                expect(page.get_by_text(f"step {k} of", exact=False).first).to_be_visible(
                    timeout=90_000)
                settle(page)
                page.screenshot(path=str(OUT / f"lesson-{k}.png"))
                print(f"docs/lesson-{k}.png  {page.url}")
                nxt = page.locator(".st-key-lesson_next button")
                if nxt.is_disabled() or (args.steps and k >= args.steps):
                    break
                nxt.click()
                k += 1
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
