"""What a user waits for in the browser (issue 14): key press -> changed figure redrawn.

Starts a real ``streamlit run`` of the app and of ``benchmarks/reference_app.py`` (one slider, a
200 x 200 heatmap and the same points, plain ``go.Figure``) and drives Debian chromium with
Playwright. One sample is the time from the input event (its ``event.timeStamp``: the key press
or mouse press) until the figure on screen has changed (its title, heatmap image or boundary
line differs from before) and two more animation frames (``requestAnimationFrame``) have passed,
i.e. the browser has painted it. Actions, at 400 and 10,000 points:

- replay step: one step of the epoch slider under the boundary plot (a mouse press on it);
- learning-rate step: one key press on the learning-rate slider (the model retrains);
- threshold step: one key press on the Threshold T slider;
- page switch: Train -> Threshold in the sidebar, until the ROC chart is drawn;
- first visit: opening the Train page in a new session on a warm server, until the boundary is
  drawn (compared with a first visit of the reference app);
- Play: a press on the figure's ▶ Play button until its first frame (epoch 0's picture) is on
  screen (issue 13 item 7: "Play opens within 1 s on 10,000 points": an absolute target in ms,
  also printed as a ratio).

Each median is printed with its ratio to the reference's slider step measured in the same run
(first visit: to the reference's first visit), and checked against the issue's target. The
machine may be shared: ``--rounds R`` repeats everything R times and prints the spread of the
ratios; the verdict uses the median ratio over the rounds. Exit status 1 on a missed target.

Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_browser.py
     [--samples 8] [--rounds 1] [--points 400 10000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from playwright.sync_api import sync_playwright  # noqa: E402

from scripts.app_server import CHROMIUM, CHROMIUM_ARGS, IDLE_JS, AppServer  # noqa: E402

VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 120_000

# Targets: the highest ratio allowed, per (action, points); "first visit" is relative to the
# reference's first visit, everything else to the reference's slider step.
TARGETS = {
    "replay step": {400: 0.3, 10_000: 0.3},
    "learning-rate step": {400: 1.2, 10_000: 1.0},
    "threshold step": {400: 1.2, 10_000: 1.0},
    "page switch Train -> Threshold": {400: 1.5, 10_000: 1.5},
    "first visit (warm server)": {400: 1.2, 10_000: 1.2},
}
# Targets in milliseconds (the issue states them so), per (action, points).
ABSOLUTE_TARGETS_MS = {"Play: first frame": {400: 1000, 10_000: 1000}}

# What "the figure changed" means: its title, its pictures (a heatmap's rendered image, the
# replay's layout image), contour paths, text labels and line paths, read from the DOM (what is
# on screen, not what was sent).
SIGNATURE_JS = """(selector) => {
    const root = document.querySelector(selector);
    if (!root) return "absent";
    const text = (q) => Array.from(root.querySelectorAll(q)).map(
        (el) => el.getAttribute("href") || el.getAttribute("d") || el.textContent).join("|");
    const drawn = root.querySelector(".main-svg") !== null;
    return drawn ? [text(".gtitle"), text(".heatmaplayer image"), text(".imagelayer image"),
                    text(".contourlayer path"), text(".textpoint text"),
                    text(".scatterlayer .trace path.js-line")].join("#") : "absent";
}"""

# Arm a watcher: the next input event starts the clock; the first animation frame at which the
# signature differs from now, plus two more frames, stops it. Result in window.__bench.
ARM_JS = """([selector, eventName]) => {
    const signature = %s;
    const before = signature(selector);
    const bench = window.__bench = {t0: null, ms: null};
    window.addEventListener(eventName, (e) => { bench.t0 = e.timeStamp; },
                            {capture: true, once: true});
    const poll = () => {
        if (bench.t0 !== null && signature(selector) !== before) {
            requestAnimationFrame(() => requestAnimationFrame(() => {
                bench.ms = performance.now() - bench.t0;
            }));
            return;
        }
        requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
}""" % SIGNATURE_JS

# On a fresh page load: from the navigation's start to the figure drawn plus two frames.
FIRST_DRAW_JS = """(selector) => {
    const signature = %s;
    window.__firstDraw = null;
    const poll = () => {
        if (signature(selector) !== "absent") {
            requestAnimationFrame(() => requestAnimationFrame(() => {
                window.__firstDraw = performance.now();
            }));
            return;
        }
        requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
}""" % SIGNATURE_JS

BOUNDARY = ".st-key-boundary_chart .js-plotly-plot"
REFERENCE = ".st-key-reference_chart .js-plotly-plot"
ROC = ".st-key-roc_chart .js-plotly-plot"


def wait_idle(page):
    page.wait_for_function(IDLE_JS, polling=50, timeout=TIMEOUT_MS)


def timed(page, selector, event, act):
    """Milliseconds from the ``event`` that ``act()`` causes to ``selector``'s figure redrawn."""
    page.evaluate(ARM_JS, [selector, event])
    act()
    page.wait_for_function("window.__bench.ms !== null", polling=20, timeout=TIMEOUT_MS)
    ms = page.evaluate("window.__bench.ms")
    wait_idle(page)
    return ms


def slider_thumb(page, label):
    return (page.get_by_test_id("stSlider")
            .filter(has=page.get_by_test_id("stWidgetLabel").filter(has_text=label))
            .get_by_role("slider"))


def key_steps(page, selector, label, key, n):
    thumb = slider_thumb(page, label)
    thumb.focus()
    return [timed(page, selector, "keydown", lambda: thumb.press(key)) for _ in range(n)]


def open_page(page, url, selector):
    page.goto(url)
    wait_idle(page)
    page.wait_for_function(f"({SIGNATURE_JS})({selector!r}) !== 'absent'", timeout=TIMEOUT_MS)


def first_visits(browser, url, selector, n):
    out = []
    for _ in range(n):
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.add_init_script(f"({FIRST_DRAW_JS})({selector!r})")
        page.goto(url)
        page.wait_for_function("window.__firstDraw !== null", polling=20, timeout=TIMEOUT_MS)
        out.append(page.evaluate("window.__firstDraw"))
        context.close()
    return out


def replay_steps(page, n):
    """Mouse presses on successive steps of the plotly epoch slider (from the left end)."""
    chart = page.locator(BOUNDARY)
    ticks = chart.locator(".slider-group .slider-tick-rect")
    chart.locator(".slider-rail-touch-rect").scroll_into_view_if_needed()
    rail = chart.locator(".slider-rail-touch-rect").bounding_box()
    y = rail["y"] + rail["height"] / 2
    out = []
    for i in range(n):
        box = ticks.nth(i % ticks.count()).bounding_box()
        out.append(timed(page, BOUNDARY, "mousedown",
                         lambda: page.mouse.click(box["x"] + box["width"] / 2, y)))
    return out


def play_presses(page, n):
    """Presses on the replay figure's Play button, each from the last epoch (a fresh page)."""
    out = []
    for _ in range(n):
        chart = page.locator(BOUNDARY)
        button = chart.locator(".updatemenu-button").first
        out.append(timed(page, BOUNDARY, "mousedown", button.click))
        page.reload()
        wait_idle(page)
        page.wait_for_function(f"({SIGNATURE_JS})({BOUNDARY!r}) !== 'absent'",
                               timeout=TIMEOUT_MS)
    return out


def measure_reference(browser, url, n_points, samples):
    query = f"?n={n_points}"
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    open_page(page, url + "/" + query, REFERENCE)  # warms the server too
    steps = key_steps(page, REFERENCE, "Shift", "ArrowRight", samples)
    context.close()
    return {"slider step": steps,
            "first visit": first_visits(browser, url + "/" + query, REFERENCE, samples)}


def measure_app(browser, url, n_points, samples):
    out = {}
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    open_page(page, f"{url}/train?n_samples={n_points}", BOUNDARY)
    out["replay step"] = replay_steps(page, samples)
    out["threshold step"] = key_steps(page, BOUNDARY, "Threshold T", "ArrowRight", samples)
    # Learning-rate steps must retrain: each page load uses a new training seed (a new run key),
    # then steps the rate down three times (three new runs).
    lr = []
    seed = 0
    while len(lr) < samples:
        seed += 1
        open_page(page, f"{url}/train?n_samples={n_points}&train_seed={seed}", BOUNDARY)
        lr += key_steps(page, BOUNDARY, "Learning rate", "ArrowLeft", min(3, samples - len(lr)))
    out["learning-rate step"] = lr
    switches = []
    for _ in range(samples):
        open_page(page, f"{url}/train?n_samples={n_points}", BOUNDARY)
        link = page.get_by_test_id("stSidebarNav").get_by_role("link", name="Threshold")
        switches.append(timed(page, ROC, "mousedown", link.click))
    out["page switch Train -> Threshold"] = switches
    open_page(page, f"{url}/train?n_samples={n_points}", BOUNDARY)
    out["Play: first frame"] = play_presses(page, samples)
    context.close()
    out["first visit (warm server)"] = first_visits(
        browser, f"{url}/train?n_samples={n_points}", BOUNDARY, samples)
    return out


def one_round(browser, app_url, ref_url, points, samples):
    """{points: {action: (median ms, reference median ms, ratio)}}"""
    table = {}
    for n in points:
        ref = measure_reference(browser, ref_url, n, samples)
        app = measure_app(browser, app_url, n, samples)
        rows = {}
        for action, times in app.items():
            base = ref["first visit" if action.startswith("first visit") else "slider step"]
            med, base_med = statistics.median(times), statistics.median(base)
            rows[action] = (med, base_med, med / base_med)
        table[n] = rows
    return table


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=8, help="samples per action (median)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat everything, show spread")
    parser.add_argument("--points", type=int, nargs="+", default=[400, 10_000])
    args = parser.parse_args(argv)
    app_server = AppServer(log_prefix="bench-app-")
    ref_server = AppServer(log_prefix="bench-ref-", script="benchmarks/reference_app.py")
    rounds = []
    try:
        app_server.wait_healthy()
        ref_server.wait_healthy()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for r in range(args.rounds):
                rounds.append(one_round(browser, app_server.url, ref_server.url, args.points,
                                        args.samples))
                print(f"round {r + 1} of {args.rounds} done", flush=True)
            browser.close()
    finally:
        app_server.stop()
        ref_server.stop()

    ok = True
    print(f"\nMedian of {args.samples} samples per action, {args.rounds} round(s); ratio = app / "
          "reference slider step (first visit: / reference first visit), same run.\n")
    print("| action | points | app (ms) | reference (ms) | ratio (spread over rounds) | target |"
          " verdict |")
    print("|---|---:|---:|---:|---|---:|---|")
    for n in args.points:
        for action in [*TARGETS, *ABSOLUTE_TARGETS_MS]:
            ratios = [r[n][action][2] for r in rounds]
            app_ms = statistics.median(r[n][action][0] for r in rounds)
            ref_ms = statistics.median(r[n][action][1] for r in rounds)
            ratio = statistics.median(ratios)
            if action in TARGETS:
                met, goal = ratio <= TARGETS[action][n], f"<= {TARGETS[action][n]}x"
            else:
                limit = ABSOLUTE_TARGETS_MS[action][n]
                met, goal = app_ms <= limit, f"<= {limit:,} ms"
            ok &= met
            spread = (f" ({min(ratios):.2f}-{max(ratios):.2f})" if len(ratios) > 1 else "")
            print(f"| {action} | {n:,} | {app_ms:,.0f} | {ref_ms:,.0f} | {ratio:.2f}x{spread} | "
                  f"{goal} | {'ok' if met else 'MISSED'} |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
