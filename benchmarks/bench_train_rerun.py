"""Server-side time of a Train page rerun after a learning-rate step (the model retrains) and
after a threshold step (only the figures that depend on the threshold are rebuilt), at 400 and
10,000 points (issue 14).

Each step runs the page script under Streamlit's AppTest (in-process, as the server runs it);
the time is taken around the script runner's own ``_run_script`` so AppTest's polling is not
counted. Prints the median and best of the reruns per action and size, in wall time and in
CPU time of the script's thread (steadier on a busy machine); ``--profile`` prints a
cProfile of the learning-rate reruns at each size instead.

Run: .venv/bin/python benchmarks/bench_train_rerun.py [--repeats 7] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

import numpy as np
import streamlit as st
import streamlit.testing.v1.app_test as _app_test
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import local_script_runner as _local_runner

SCRIPT_SECONDS = []
# CPU seconds of the script's thread per run: on a shared, busy machine the wall time mostly
# measures the wait for a core; this measures the work (the Train page's fits and figures run
# in that thread: BLAS in one thread, no row-range threads below 4M values).
SCRIPT_CPU_SECONDS = []
PROFILER = [None]
SORT, LIMIT = "cumulative", 45


def _timed(run_script):
    def wrapper(self, rerun_data):
        prof = PROFILER[0]
        t0, c0 = time.perf_counter(), time.thread_time()
        if prof is not None:
            prof.enable()
        try:
            return run_script(self, rerun_data)
        finally:
            if prof is not None:
                prof.disable()
            SCRIPT_SECONDS.append(time.perf_counter() - t0)
            SCRIPT_CPU_SECONDS.append(time.thread_time() - c0)
    return wrapper


ScriptRunner._run_script = _timed(ScriptRunner._run_script)
_SHARED_CACHE = _app_test.ScriptCache()
_app_test.ScriptCache = _local_runner.ScriptCache = lambda: _SHARED_CACHE


class _NavigationPagesManager(PagesManager):
    """The server's st.navigation path on every run (see tests/app/conftest.py)."""

    def __init__(self, *args, **kwargs):
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)


_app_test.PagesManager = _NavigationPagesManager

# A learning-rate step alternates between two typical rates, with every cache that depends on
# the run emptied first (the datasets stay): each step retrains, as a step to a new rate does.
RATES = [1.0, 0.3]
# Thresholds never repeated within one pass (every threshold step rebuilds its figures).
THRESHOLDS = [0.3, 0.7, 0.4, 0.6, 0.35, 0.65, 0.45, 0.55, 0.25, 0.75, 0.2, 0.8, 0.15]


def _forget_runs():
    """Empty every cache that holds a run or something computed from one (not the datasets)."""
    from ui import compute
    for name in ("train_binary", "diagnosis", "replay_grids", "replay_figure", "accuracy",
                 "loss_figure", "coef_figure", "boundary_figure", "curves", "bootstrap"):
        getattr(compute, name).clear()
    compute.trained_models()._items.clear()


def reruns(n_samples: int, repeats: int, profile: bool = False):
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"n_samples": str(n_samples)})
    at.run()
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    # Warm-up: one retrain and one threshold step (imports, first-call costs).
    at.select_slider(key="w_learning_rate").set_value(0.1).run()
    at.slider(key="w_threshold").set_value(0.52).run()
    lr, th = [], []
    if profile:
        PROFILER[0] = cProfile.Profile()
    for k in range(repeats):
        _forget_runs()
        at.select_slider(key="w_learning_rate").set_value(RATES[k % 2]).run()
        lr.append((SCRIPT_SECONDS[-1], SCRIPT_CPU_SECONDS[-1]))
    prof, PROFILER[0] = PROFILER[0], None
    if profile:
        PROFILER[0] = cProfile.Profile()
    for t in THRESHOLDS[:repeats]:
        at.slider(key="w_threshold").set_value(t).run()
        th.append((SCRIPT_SECONDS[-1], SCRIPT_CPU_SECONDS[-1]))
    prof_t, PROFILER[0] = PROFILER[0], None
    assert not at.exception, at.exception
    return lr, th, prof, prof_t


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--sizes", default="400,10000")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        lr, th, prof, prof_t = reruns(n, args.repeats, args.profile)
        for name, times in (("learning-rate step", lr), ("threshold step", th)):
            ms, cpu = (np.array(times) * 1000).T
            print(f"n={n:>6} {name:<20} wall median {np.median(ms):6.1f} ms, best {ms.min():6.1f};"
                  f"  CPU median {np.median(cpu):6.1f} ms, best {cpu.min():6.1f} "
                  f"({len(ms)} reruns)", flush=True)
        if args.profile:
            for name, p in (("learning-rate", prof), ("threshold", prof_t)):
                print(f"--- cProfile, n={n}, {name} steps ({args.repeats}) ---")
                pstats.Stats(p).sort_stats(SORT).print_stats(LIMIT)


if __name__ == "__main__":
    main()
