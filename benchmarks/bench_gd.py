"""Benchmark one full-batch gradient-descent epoch against the floor of two BLAS passes over X.

Issue 3's target, at n = 1,000,000 samples, d = 20 features, float64:

* one GD epoch of ``LogisticRegression`` <= 1.0x the *probe*: ``X @ v`` twice, the cost of just
  reading X twice with BLAS (the two passes a naive epoch makes: ``X w`` and ``X^T r``).

An epoch is measured inside real fits: ``(fit(epochs=k + E) - fit(epochs=k)) / E``, so it includes
everything an epoch does (loss, gradient, update, history, divergence check) and nothing a fit
does once (validation, set-up). The objective's ``loss_gradient`` plus the update, timed alone,
and a seed-style epoch (``sigmoid(X @ w)``, clipped ``np.log`` loss, ``X.T @ (p - y) / n``, as in
the tutorial) are printed too. Every timing is the best of ``--repeats`` runs, each started
after a moment in which the CPUs were idle (other processes would otherwise be timed too).

Run from the project root with OpenBLAS's core-type override unset (it slows a current numpy):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_gd.py
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._timing import best_time, verdict  # noqa: E402
from logreg import LogisticRegression  # noqa: E402
from logreg.objective import BinaryObjective  # noqa: E402

TARGETS = {"GD epoch in a fit": 1.0}  # keyed like the timings: ratio to the probe


def blas_info() -> str:
    """The BLAS library, kernel (core type) and thread count behind numpy's matrix products."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed: BLAS kernel unknown"
    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    # scipy may load a second OpenBLAS; numpy's own sits in numpy's wheel folder.
    mine = [i for i in blas if "numpy" in i.get("filepath", "")] or blas
    return "; ".join(f"{i.get('internal_api')} {i.get('version')}, kernel "
                     f"{i.get('architecture')}, {i.get('num_threads')} threads" for i in mine)


def make_data(n, d, rng):
    """Standard normal features and labels drawn from a logistic model (about 30% overlap)."""
    X = rng.standard_normal((n, d))
    w = rng.normal(scale=0.5, size=d)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ w + 0.2)))).astype(np.int64)
    return X, y


def per_call(func, repeats, calls=4):
    """Best time of one ``func()`` call, timing ``calls`` calls in a row per run: the first call
    after an idle wait runs on cold caches and a slower clock."""
    return best_time(lambda: [func() for _ in range(calls)], repeats) / calls


def seed_epoch(X, y, w, b, alpha):
    """One epoch as the tutorial writes it, with the probabilities clipped so log never sees 0."""
    n = X.shape[0]
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    pc = np.clip(p, 1e-15, 1.0 - 1e-15)
    loss = -np.mean(y * np.log(pc) + (1.0 - y) * np.log(1.0 - pc))
    residual = p - y
    w -= alpha * (X.T @ residual) / n
    b -= alpha * residual.mean()
    return loss


def run(n=1_000_000, d=20, repeats=7, epochs=20, warm=2, seed=0):
    """Return ``{name: seconds}`` for the probe and each kind of epoch."""
    rng = np.random.default_rng(seed)
    X, y = make_data(n, d, rng)
    v = rng.standard_normal(d)
    times = {}

    def probe():
        X @ v
        X @ v

    probe()
    times["probe (X @ v twice)"] = per_call(probe, 2 * repeats)

    w, b, yf = np.zeros(d), 0.0, y.astype(np.float64)
    times["seed-style epoch"] = per_call(lambda: seed_epoch(X, yf, w, b, 0.1), repeats)

    obj = BinaryObjective(X, yf[:, None])
    W, bb = np.zeros((d, 1)), np.zeros(1)

    def objective_epoch():
        _, grad_W, grad_b = obj.loss_gradient(W, bb)
        W[:] -= 0.1 * grad_W
        bb[:] -= 0.1 * grad_b

    objective_epoch()
    times["loss_gradient + update"] = per_call(objective_epoch, repeats)

    def fit(n_epochs):
        return LogisticRegression(learning_rate=0.1, epochs=n_epochs).fit(X, y)

    fit(warm)
    short = best_time(lambda: fit(warm), repeats)
    long = best_time(lambda: fit(warm + epochs), repeats)
    times["GD epoch in a fit"] = (long - short) / epochs
    times["fit set-up (validation etc.)"] = short - warm * times["GD epoch in a fit"]
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="samples")
    parser.add_argument("--d", type=int, default=20, help="features")
    parser.add_argument("--repeats", type=int, default=7, help="runs per timing (best kept)")
    parser.add_argument("--epochs", type=int, default=20, help="extra epochs timed in a fit")
    args = parser.parse_args(argv)
    times = run(n=args.n, d=args.d, repeats=args.repeats, epochs=args.epochs)
    probe = times["probe (X @ v twice)"]
    print(f"GD epoch, n = {args.n:,}, d = {args.d}, float64, best of {args.repeats}")
    print(f"  BLAS: {blas_info()}")
    for name, seconds in times.items():
        print(f"  {name:32s} {seconds * 1e3:8.2f} ms")
    failed = False
    for name in ("seed-style epoch", "loss_gradient + update", "GD epoch in a fit"):
        ratio = times[name] / probe
        text, ok = verdict(ratio, TARGETS.get(name))
        failed |= not ok
        print(f"  {name + ' / probe':45s} {ratio:5.2f}x{text}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
