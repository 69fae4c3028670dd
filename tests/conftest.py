"""Shared pytest set-up: hypothesis profiles (CI runs more examples) and shared fixtures."""
import os
import warnings

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def runtime_warnings_are_errors():
    """A numpy RuntimeWarning (overflow, NaN on the way) fails the test; warnings meant for the
    user (divergence, separable data, convergence) stay warnings. The fuzz modules use it for
    every test (``pytestmark``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", RuntimeWarning)
        yield


@pytest.fixture(autouse=True)
def unhurried_reference_fits(monkeypatch):
    """The app stops its reference fit (the optimum a "not finished" sentence measures against)
    after 2 s of wall time, and then says the gap is unknown. On a busy machine that cut lands
    in tests that check the gap itself; give the reference all the time it needs here, so what a
    test sees depends on the data and settings alone."""
    from logreg import diagnostics

    monkeypatch.setattr(diagnostics, "_REFERENCE_SECONDS", 120.0)


def _first_difference(a, b, path="") -> str:
    """Path and values of the first place two JSON values differ (for a readable failure)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}/{key}: only in {'plotly' if key in b else 'ours'}"
            if a[key] != b[key]:
                return _first_difference(a[key], b[key], f"{path}/{key}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{path}[{i}]")
    return f"{path}: ours {str(a)[:120]} vs plotly {str(b)[:120]}"


# Checks per builder (the function that called FigureSpec.figure) in one test session: enough to
# see its variants (penalties, classes, sizes) without validating every figure of ~1,400 tests.
_LAZY_CHECKS_PER_BUILDER = 25


@pytest.fixture(autouse=True, scope="session")
def every_figure_as_plotly_would_send_it():
    """The app sends its figures without building plotly's objects (``LazyFigure.to_dict``).
    Here the figures the tests (and the apps they run) build are also built the validated way,
    and both must give the same JSON: a property plotly would reject or change fails the test
    that built the figure (an app under AppTest then shows an error, which its test checks)."""
    import collections
    import json
    import sys

    import plotly.io as pio

    from logreg._figure_spec import FigureSpec

    checked = collections.Counter()
    build = FigureSpec.figure

    def figure(self):
        fig = build(self)
        builder = sys._getframe(1).f_code.co_name
        if checked[builder] < _LAZY_CHECKS_PER_BUILDER:
            checked[builder] += 1
            fast = json.loads(pio.to_json(fig.to_dict(), validate=False))
            slow = json.loads(pio.to_json(fig.validated_dict(), validate=False))
            # plotly's validation names an untyped frame trace "scatter" (even one that updates
            # a bar trace); plotly.js keeps the trace's own type, which is what the app wants.
            for fast_frame, slow_frame in zip(fast.get("frames", []), slow.get("frames", [])):
                for fast_tr, slow_tr in zip(fast_frame.get("data", []), slow_frame.get("data", [])):
                    if "type" not in fast_tr:
                        slow_tr.pop("type", None)
            if fast != slow:
                raise AssertionError(f"{builder}: the figure sent without validation differs "
                                     f"from plotly's own to_dict() at {_first_difference(fast, slow)}")
        return fig

    FigureSpec.figure = figure
    yield checked
    FigureSpec.figure = build
