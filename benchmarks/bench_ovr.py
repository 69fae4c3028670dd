"""Benchmark one-vs-rest training against one binary fit of the same size (issue 6's target).

Target, at M = 10 classes, n = 200,000 samples, d = 20 features, 50 full-batch GD epochs:

* ``OneVsRestLogisticRegression.fit`` <= 2.0x one binary ``LogisticRegression.fit`` on the same
  X: the M models share each pass over X, so training 10 models must not cost 10 fits.

Printed for comparison, without a target: ``SoftmaxRegression.fit`` on the same data, and M
separate binary fits (what a Python loop over the classes would cost, about M x).

Why the 2.0x target is missed (about 4x here; measured on the project's 2-vCPU VM, numpy 2.4,
float64). Sharing X makes the pass over X cheap, but X (32 MB) sits in L3 at this size, so an
epoch is bound by the per-value work, and OvR has M = 10 values per row where the binary fit
has one. One value of the exact loss/gradient costs about 7 ns in one thread: 11 ufuncs (exp
0.75 ns, log1p 1.3, the bias and sign products, abs, max... 0.3-0.7 each) and 2 reductions,
i.e. ~14 ms per epoch for 2M values, plus the two products with k = d = 20, n = M = 10, which
BLAS runs at only ~3 ns per value (~6 ms): ~20 ms per epoch in one thread, 15-18 ms in the two
row-split threads (ufuncs on these arrays scale only ~1.3x: each numpy call is a GIL hand-off
of ~10 us on this VM). The binary fit's epoch is ~4.5 ms, so 2x would need <= 9 ms. Dropping
the sign products by precomputing ``X^T Y`` and ``sum y z`` saves ~12% of an epoch but loses
the loss to cancellation (relative error 1e43 instead of 6e-14 on a well-separated class), so
the objective keeps the signed logits.
Each timing is the best of ``--repeats`` runs. Run from the project root:

    python benchmarks/bench_ovr.py                # prints ratios, exit status 1 if a target is missed
    python benchmarks/bench_ovr.py --n 50000 --repeats 2
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._timing import best_time, verdict  # noqa: E402
from logreg import (  # noqa: E402
    LogisticRegression,
    OneVsRestLogisticRegression,
    SoftmaxRegression,
)

TARGETS = {"OvR fit (M classes) vs one binary fit": 2.0}


def make_data(n, d, n_classes, rng):
    """Gaussian blobs: class means spread on a sphere of radius 2, unit-variance noise."""
    centers = rng.normal(size=(n_classes, d))
    centers *= 2.0 / np.linalg.norm(centers, axis=1, keepdims=True)
    y = rng.integers(0, n_classes, size=n)
    X = centers[y] + rng.normal(size=(n, d))
    return X, y


def run(n=200_000, d=20, n_classes=10, epochs=50, repeats=3, seed=0):
    """Time the fits; return ``{name: (ours_s, reference_s, ratio)}``."""
    X, y = make_data(n, d, n_classes, np.random.default_rng(seed))
    y_binary = (y == 0).astype(int)
    params = dict(solver="gd", learning_rate=0.5, epochs=epochs)

    def binary():
        LogisticRegression(**params).fit(X, y_binary)

    def ovr():
        OneVsRestLogisticRegression(**params).fit(X, y)

    def softmax():
        SoftmaxRegression(**params).fit(X, y)

    binary()  # warm-up (imports, page faults)
    ref = best_time(binary, repeats)
    results = {}
    ours = best_time(ovr, repeats)
    results["OvR fit (M classes) vs one binary fit"] = (ours, ref, ours / ref)
    ours = best_time(softmax, repeats)
    results["softmax fit (M classes) vs one binary fit"] = (ours, ref, ours / ref)

    def loop_over_classes():
        for label in range(n_classes):
            LogisticRegression(**params).fit(X, (y == label).astype(int))

    ours = best_time(loop_over_classes, 1)
    results["M separate binary fits vs one binary fit"] = (ours, ref, ours / ref)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="number of samples")
    parser.add_argument("--d", type=int, default=20, help="number of features")
    parser.add_argument("--classes", type=int, default=10, help="number of classes M")
    parser.add_argument("--epochs", type=int, default=50, help="GD epochs per fit")
    parser.add_argument("--repeats", type=int, default=3, help="runs per timing (best kept)")
    args = parser.parse_args(argv)
    results = run(n=args.n, d=args.d, n_classes=args.classes, epochs=args.epochs,
                  repeats=args.repeats)
    print(f"logreg one-vs-rest, n = {args.n:,}, d = {args.d}, M = {args.classes}, "
          f"{args.epochs} GD epochs, best of {args.repeats}")
    failed = False
    for name, (ours, ref, ratio) in results.items():
        text, ok = verdict(ratio, TARGETS.get(name))
        failed |= not ok
        print(f"  {name:42s} {ours * 1e3:8.0f} ms vs {ref * 1e3:8.0f} ms  ratio {ratio:5.2f}{text}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
