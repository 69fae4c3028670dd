"""Several sessions at once (AppTest instances in threads): each sees only its own data and
settings, through the shared caches and module globals.

Sessions 0 and 1 use the same data (so they share the data and split cache entries) with
different model settings; session 2 uses a built-in set; session 3 differs only in the threshold
from session 0 (the same trained run, shared through the cache, drawn at another threshold).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from .conftest import (assert_clean, chart, clear_caches, contour_level, goto, new_app,
                       reference_run, state, texts, trace, values)

SESSIONS = [
    dict(link={"kind": "xor", "data_seed": "3", "n_samples": "120", "degree": "2"},
         lr=0.03, thr=0.3),
    dict(link={"kind": "xor", "data_seed": "3", "n_samples": "120"}, lr=1.0, thr=0.6),
    dict(link={"source": "builtin", "builtin": "iris"}, lr=0.1, thr=0.45),
    dict(link={"n_samples": "120"}, lr=0.3, thr=0.7),
    dict(link={"n_samples": "120"}, lr=0.3, thr=0.2),
]
ROUNDS = 2  # after everyone has changed their settings, look twice (interleaved with the others)


def _observe(at):
    return dict(
        settings={n: str(state(at, n)) for n in ("source", "builtin", "kind", "data_seed",
                                                 "n_samples", "degree")},
        lr=state(at, "learning_rate"), threshold=state(at, "threshold"),
        loss=values(trace(chart(at, "loss_chart"), "train loss")["y"]).astype(float),
        contour=contour_level(chart(at, "boundary_chart")),
        sidebar=texts(at.sidebar.markdown),
        query={k: str(v) for k, v in at.query_params.items()},
    )


def _session(index, barrier):
    try:
        return _run_session(index, barrier)
    except BaseException:
        barrier.abort()  # the others stop waiting for this one
        raise


def _run_session(index, barrier):
    spec = SESSIONS[index]
    at = new_app()
    for key, value in spec["link"].items():  # each user opens a different link
        at.query_params[key] = value
    barrier.wait()  # all sessions start together
    goto(at.run(), "train")
    at.select_slider(key="w_learning_rate").set_value(spec["lr"]).run()
    at.slider(key="w_threshold").set_value(spec["thr"]).run()
    assert_clean(at)
    seen = []
    for _ in range(ROUNDS):
        barrier.wait()  # everyone has changed their settings: now re-render and look
        at.run()
        assert_clean(at)
        seen.append(_observe(at))
        goto(at, "threshold")
        seen[-1]["marker"] = trace(chart(at, "roc_chart"), "current threshold")["name"]
        goto(at, "train")
    return at, seen


def test_simultaneous_sessions_do_not_leak(concurrent_apptest):
    clear_caches()
    goto(new_app().run(), "threshold")  # warm up: scripts compiled, imports done
    clear_caches()
    barrier = threading.Barrier(len(SESSIONS), timeout=120)
    with ThreadPoolExecutor(len(SESSIONS)) as pool:
        futures = [pool.submit(_session, i, barrier) for i in range(len(SESSIONS))]
        outcomes = [f.exception(timeout=300) for f in futures]
    failures = [e for e in outcomes if e is not None]
    root = [e for e in failures if not isinstance(e, threading.BrokenBarrierError)]
    if failures:
        raise (root or failures)[0]
    results = [f.result() for f in futures]

    losses = []
    for spec, (at, seen) in zip(SESSIONS, results):
        ref = reference_run(at).model.history_["data_loss"]
        for obs in seen:
            for name, value in spec["link"].items():
                assert obs["settings"][name] == value, (spec, name)
            assert obs["lr"] == spec["lr"] and obs["threshold"] == spec["thr"]
            np.testing.assert_allclose(obs["loss"], ref, rtol=1e-9)
            assert obs["contour"] == pytest.approx(spec["thr"])
            assert f"T = {spec['thr']:g}" in obs["marker"]
            assert f"**Threshold:** {spec['thr']:.2f}" in obs["sidebar"]
            assert obs["query"] == {**spec["link"], "learning_rate": str(spec["lr"]),
                                    "threshold": str(spec["thr"])}
            data_name = spec["link"].get("builtin", spec["link"].get("kind", "moons"))
            assert f"**Data:** {data_name}" in obs["sidebar"]
        losses.append(seen[-1]["loss"])
    # Same data, other settings: other curves; same data and settings: the same curve.
    assert not np.allclose(losses[0][:30], losses[1][:30])
    np.testing.assert_allclose(losses[3], losses[4])
    clear_caches()
