"""Benchmark logreg.inference against the solver steps it is built from (issue 15 budgets).

At n = 100,000 samples, d = 20 features (one run, ratios to same-run baselines):

* ``inference.summary`` (standard errors, p-values, fit statistics) <= 1.5x one Newton iteration
  (logits, the blocked loss/gradient/Hessian pass, the solve, and ``X @ direction``: the work of
  one accepted step of ``solver="newton"``);
* a 30-point L2 ``regularization_path`` with warm starts <= 10x one cold Newton fit (from zeros,
  at the middle strength of the path).

Printed without a target: the same path for L1 (proximal Newton) against the same cold fit.

By pass count (what the ratios should be on a quiet machine): the summary makes one Hessian pass
and one matrix-vector pass, one Newton iteration one Hessian pass and two matrix-vector passes
(plus the solve); the 30-point L2 path makes 27 Hessian and 56 matrix-vector passes, the cold
fit 5 and 6 (plus one loss pass). On a machine shared with other jobs, threaded passes wait for
a core and the measured ratios swing (the summary was 0.8x-4.7x under a load average of 16-19).
Run from the project root:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_inference.py
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._timing import best_time, verdict  # noqa: E402
from benchmarks.bench_newton import make_data  # noqa: E402
from logreg import LogisticRegression, inference  # noqa: E402
from logreg.objective import BinaryObjective, Penalty  # noqa: E402

TARGETS = {"summary / one Newton iteration": 1.5, "30-point L2 path / one cold fit": 10.0}


def run(n=100_000, d=20, repeats=9, seed=0):
    rng = np.random.default_rng(seed)
    X, y = make_data(n, d, rng)
    model = LogisticRegression(solver="newton", epochs=100).fit(X, y)
    objective = BinaryObjective(X, y[:, None].astype(np.float64))
    W, b = model.coef_.T.copy(), model.intercept_.copy()
    none = Penalty()

    def newton_iteration():
        Z = objective.linear(W, b)
        _, gW, gb, H = objective.newton_system(Z)
        dW, db = objective.newton_direction(gW, gb, H, W, none)
        objective.linear(dW, db)

    lams = inference.default_strengths(X, y, 30)
    middle = float(lams[len(lams) // 2])

    def cold_fit():
        LogisticRegression(solver="newton", penalty="l2", reg_strength=middle, epochs=100).fit(X, y)

    timings = {
        "one Newton iteration": best_time(newton_iteration, repeats),
        "summary": best_time(lambda: inference.summary(model, X, y), repeats),
        "one cold fit": best_time(cold_fit, repeats),
        "30-point L2 path": best_time(lambda: inference.regularization_path(X, y, lams), 2),
        "30-point L1 path": best_time(lambda: inference.regularization_path(
            X, y, inference.default_strengths(X, y, 30, penalty="l1"), penalty="l1"), 1),
    }
    for name, seconds in timings.items():
        print(f"{name:>24}: {seconds * 1000:8.1f} ms")
    ratios = {
        "summary / one Newton iteration": timings["summary"] / timings["one Newton iteration"],
        "30-point L2 path / one cold fit": timings["30-point L2 path"] / timings["one cold fit"],
        "30-point L1 path / one cold fit": timings["30-point L1 path"] / timings["one cold fit"],
    }
    ok = True
    for name, ratio in ratios.items():
        text, passed = verdict(ratio, TARGETS.get(name))
        ok &= passed
        print(f"{name:>34}: {ratio:6.2f}x{text}")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--d", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    return 0 if run(args.n, args.d, args.repeats) else 1


if __name__ == "__main__":
    sys.exit(main())
