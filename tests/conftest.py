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
