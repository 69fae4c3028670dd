"""Write ui/streamlit_look.json: the look Streamlit's chart theme gives the app's figures.

Streamlit's frontend builds its chart look in the browser (fonts, colours, axis styles) and
writes it into a copy of the figure's ``layout.template``. This script draws one of the app's
figures with the theme (tests/e2e/look_app.py) in Debian chromium and saves that template's
``layout``; ui/chart_look.py writes it into the figures it sends flat. Run it after upgrading
Streamlit (tests/e2e/test_chart_look.py fails when the look changed).

Run: .venv/bin/python scripts/capture_streamlit_look.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from scripts.app_server import CHROMIUM, CHROMIUM_ARGS, IDLE_JS, AppServer  # noqa: E402
from ui.chart_look import LOOK_FILE  # noqa: E402

# Parts of the template plotly uses only for subplot kinds the app never draws.
UNUSED = ("ternary",)


def main() -> int:
    server = AppServer(log_prefix="look-", script="tests/e2e/look_app.py")
    try:
        server.wait_healthy()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{server.url}/?only=roc")
            page.wait_for_function(IDLE_JS, timeout=60_000)
            page.wait_for_selector(".st-key-themed_roc .main-svg", timeout=60_000)
            look = page.evaluate("() => document.querySelector("
                                 "'.st-key-themed_roc .js-plotly-plot').layout.template.layout")
            browser.close()
    finally:
        server.stop()
    for key in UNUSED:
        look.pop(key, None)
    LOOK_FILE.write_text(json.dumps(look, indent=1, sort_keys=True) + "\n")
    print(f"wrote {LOOK_FILE.relative_to(ROOT)}: {len(look)} layout attributes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
