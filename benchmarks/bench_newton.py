"""Benchmark the Newton solver against scikit-learn's lbfgs reaching the same coefficients.

Issue 3's target, at n = 100,000 samples, d = 20 features, L2 penalty lambda = 1 / n
(scikit-learn's C = 1 / (lambda * n) = 1):

* ``LogisticRegression(solver="newton").fit`` <= 0.3x ``sklearn.linear_model.LogisticRegression``
  (lbfgs, tol=1e-8) ``.fit``, both converged to coefficients within 1e-4 of each other.

Also printed, without a target: a plain IRLS loop in numpy (the textbook Newton iteration:
``p = sigmoid(X w)``, ``H = X^T diag(p (1 - p)) X``, solve, repeat), and scikit-learn limited to
one thread (threadpoolctl), which on a 2-vCPU machine is faster than its default. Every timing
is the best of ``--repeats`` runs (each started on an idle CPU, see ``_timing.best_time``),
whole fits including input validation on both sides.

Run from the project root with OpenBLAS's core-type override unset (it slows a current numpy):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_newton.py
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sklearn.linear_model import LogisticRegression as SkLogisticRegression  # noqa: E402

from benchmarks._timing import best_time, verdict  # noqa: E402
from benchmarks.bench_gd import blas_info  # noqa: E402
from logreg import LogisticRegression  # noqa: E402

TARGETS = {"newton fit / sklearn lbfgs fit": 0.3}
AGREEMENT = 1e-4


def make_data(n, d, rng):
    """Standard normal features, labels from a logistic model: well conditioned, not separable."""
    X = rng.standard_normal((n, d))
    w = rng.normal(scale=0.5, size=d)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ w + 0.3)))).astype(np.int64)
    return X, y


def plain_irls(X, y, lam, max_iter=50, tol=1e-10):
    """Textbook Newton / IRLS on [X 1] with an L2 penalty on the weights only."""
    n, d = X.shape
    Xa = np.column_stack([X, np.ones(n)])
    ridge = lam * np.eye(d + 1)
    ridge[d, d] = 0.0
    theta = np.zeros(d + 1)
    for iteration in range(1, max_iter + 1):
        p = 1.0 / (1.0 + np.exp(-(Xa @ theta)))
        grad = Xa.T @ (p - y) / n + ridge @ theta
        H = Xa.T @ (Xa * (p * (1 - p))[:, None]) / n + ridge
        step = np.linalg.solve(H, grad)
        theta -= step
        if np.abs(step).max() < tol:
            break
    return theta[:d], theta[d], iteration


def run(n=100_000, d=20, repeats=7, seed=0):
    rng = np.random.default_rng(seed)
    X, y = make_data(n, d, rng)
    lam = 1.0 / n

    def ours():
        return LogisticRegression(solver="newton", penalty="l2", reg_strength=lam,
                                  epochs=100).fit(X, y)

    def sklearn():
        return SkLogisticRegression(C=1.0 / (lam * n), tol=1e-8, max_iter=10_000).fit(X, y)

    def irls():
        return plain_irls(X, y.astype(np.float64), lam)

    def sklearn_one_thread():
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            return sklearn()

    models = {"newton fit": ours(), "sklearn lbfgs fit": sklearn(), "plain IRLS loop": irls(),
              "sklearn lbfgs, 1 thread": sklearn_one_thread()}
    times = {name: best_time(func, repeats)
             for name, func in (("newton fit", ours), ("sklearn lbfgs fit", sklearn),
                                ("plain IRLS loop", irls),
                                ("sklearn lbfgs, 1 thread", sklearn_one_thread))}
    return models, times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="samples")
    parser.add_argument("--d", type=int, default=20, help="features")
    parser.add_argument("--repeats", type=int, default=7, help="runs per timing (best kept)")
    args = parser.parse_args(argv)
    models, times = run(n=args.n, d=args.d, repeats=args.repeats)
    ours, sk = models["newton fit"], models["sklearn lbfgs fit"]
    irls_coef, irls_intercept, irls_iter = models["plain IRLS loop"]
    iterations = {"newton fit": ours.n_iter_, "sklearn lbfgs fit": int(sk.n_iter_[0]),
                  "plain IRLS loop": irls_iter,
                  "sklearn lbfgs, 1 thread": int(models["sklearn lbfgs, 1 thread"].n_iter_[0])}
    print(f"Newton fit, n = {args.n:,}, d = {args.d}, l2 lambda = 1/n (C = 1), "
          f"best of {args.repeats}")
    print(f"  BLAS: {blas_info()}")
    for name, seconds in times.items():
        print(f"  {name:24s} {seconds * 1e3:8.1f} ms  {iterations[name]:3d} iterations")
    diff = max(np.abs(ours.coef_ - sk.coef_).max(), np.abs(ours.intercept_ - sk.intercept_).max())
    diff_irls = max(np.abs(irls_coef - sk.coef_[0]).max(), abs(irls_intercept - sk.intercept_[0]))
    agree = diff <= AGREEMENT
    print(f"  max |newton - sklearn| over coef and intercept: {diff:.1e} "
          f"(must be <= {AGREEMENT:g}: {'ok' if agree else 'MISSED'}); plain IRLS: {diff_irls:.1e}")
    failed = not agree
    pairs = (("newton fit", "sklearn lbfgs fit"), ("plain IRLS loop", "sklearn lbfgs fit"),
             ("newton fit", "sklearn lbfgs, 1 thread"))
    for name, reference in pairs:
        ratio = times[name] / times[reference]
        label = f"{name} / {reference}"
        text, ok = verdict(ratio, TARGETS.get(label))
        failed |= not ok
        print(f"  {label:45s} {ratio:5.2f}x{text}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
