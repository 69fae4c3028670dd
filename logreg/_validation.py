"""Parameter and input checks shared by every estimator, with messages a non-programmer can act on.

Parameters are stored untouched in ``__init__`` (scikit-learn's convention) and checked here, in
``fit``, against one declared table.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

from ._parallel import sum_of_squares

# Features larger than this overflow X @ w and X^T D X long before training can mean anything.
MAX_ABS_FEATURE = 1e100


def _is_number(v) -> bool:
    return isinstance(v, Real) and not isinstance(v, bool) and math.isfinite(float(v))


def _is_int(v) -> bool:
    return isinstance(v, Integral) and not isinstance(v, bool)


def _one_of(*options):
    return (" or ".join(repr(o) for o in options), lambda v: isinstance(v, str) and v in options)


# name -> (what a valid value is, in words; the test)
PARAM_RULES = {
    "learning_rate": ("a number > 0 (try 0.1)", lambda v: _is_number(v) and v > 0),
    "epochs": ("a whole number >= 1", lambda v: _is_int(v) and v >= 1),
    "batch_size": ("None (full batch) or a whole number >= 1",
                   lambda v: v is None or (_is_int(v) and v >= 1)),
    "solver": _one_of("gd", "newton"),
    "penalty": _one_of("none", "l2", "l1", "elasticnet"),
    "reg_strength": ("a number >= 0", lambda v: _is_number(v) and v >= 0),
    "l1_ratio": ("a number from 0 to 1", lambda v: _is_number(v) and 0 <= v <= 1),
    "fit_intercept": ("True or False", lambda v: isinstance(v, (bool, np.bool_))),
    "tol": ("a number >= 0 (0 runs every epoch)", lambda v: _is_number(v) and v >= 0),
    "init": _one_of("zeros", "random"),
    "random_state": ("None, a whole number or a numpy Generator",
                     lambda v: v is None or _is_int(v) or isinstance(
                         v, (np.random.Generator, np.random.RandomState))),
    "threshold": ("a number from 0 to 1", lambda v: _is_number(v) and 0 <= v <= 1),
    "gtol": ("a number >= 0 (the gradient size that counts as converged)",
             lambda v: _is_number(v) and v >= 0),
    "stop_early": ("True or False", lambda v: isinstance(v, (bool, np.bool_))),
}


def check_params(params: dict) -> None:
    """Raise ``ValueError`` naming the first parameter whose value is not allowed."""
    for name, value in params.items():
        rule = PARAM_RULES.get(name)
        if rule is not None and not rule[1](value):
            raise ValueError(f"{name} must be {rule[0]}; got {value!r}.")


def check_finite_features(X: np.ndarray, what: str = "X", doing: str = "training") -> None:
    """Reject NaN, infinite and absurdly large feature values with a sentence that says what to do."""
    if X.size == 0:
        return
    # Fast path, one pass of BLAS dots (threaded): NaN and inf propagate into the sum of
    # squares, and a finite sum <= MAX^2 bounds every |x| by MAX. Anything else (including a sum
    # that overflows on legal values) gets the exact test below.
    if X.flags.c_contiguous and X.dtype == np.float64:
        with np.errstate(over="ignore", invalid="ignore"):  # inf or NaN here means: look closer
            squares = sum_of_squares(X)
        if squares <= MAX_ABS_FEATURE ** 2:  # False for NaN and inf too
            return
    # NaN and inf both propagate through min/max, so two reductions clear clean data.
    low, high = float(X.min()), float(X.max())
    if np.isfinite(low) and np.isfinite(high):
        largest = max(abs(low), abs(high))
        if largest > MAX_ABS_FEATURE:
            raise ValueError(
                f"{what} has values as large as {largest:.3g}, too large to work with. "
                f"Rescale or standardize the features before {doing}."
            )
        return
    bad_rows = int((~np.isfinite(X)).any(axis=1).sum())
    raise ValueError(
        f"{what} contains NaN or infinite (inf) values in {bad_rows} row(s). "
        f"Remove or fill those rows before {doing}."
    )


def make_rng(random_state) -> np.random.Generator:
    """A numpy Generator from None, an int, a Generator or a legacy RandomState."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**31 - 1))
    return np.random.default_rng(random_state)
