"""Benchmark logreg.metrics against scikit-learn and against itself (issue 5's performance targets).

Targets, at n = 1,000,000 scores (probabilities with ties, as a fitted model gives):

* ``roc_curve`` + ``roc_auc`` <= 1.0x sklearn's ``roc_curve(drop_intermediate=False)`` +
  ``roc_auc_score`` on the same data;
* ``confusion_at`` for 200 thresholds in one vectorized call <= 0.2x calling it 200 times.

Each timing is the best of ``--repeats`` runs (the least disturbed by other load). Run from the
project root:

    python -m benchmarks.bench_metrics       # prints ratios; exit status 1 if a target is missed
    python -m benchmarks.bench_metrics --n 100000 --repeats 3
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._timing import best_time, verdict  # noqa: E402
from logreg import metrics  # noqa: E402

TARGETS = {
    "roc_curve + roc_auc vs sklearn": 1.0,
    "confusion_at: one vectorized call vs a loop": 0.2,
}


def make_scores(n, rng):
    """Labels with 30% positives and model-like probabilities rounded to 1e-4 (realistic ties)."""
    y = rng.random(n) < 0.3
    logit = 1.5 * rng.standard_normal(n) + np.where(y, 1.0, -1.0)
    return y, np.round(1.0 / (1.0 + np.exp(-logit)), 4)


def run(n=1_000_000, repeats=5, n_thresholds=200, seed=0, with_sklearn=True):
    """Time the targets; return ``{name: (ours_s, reference_s, ratio)}``."""
    rng = np.random.default_rng(seed)
    y, s = make_scores(n, rng)
    thresholds = np.linspace(0.0, 1.0, n_thresholds)
    results = {}

    def ours_roc():
        metrics.roc_curve(y, s)
        metrics.roc_auc(y, s)

    if with_sklearn:
        from sklearn.metrics import roc_auc_score
        from sklearn.metrics import roc_curve as sk_roc_curve

        def sklearn_roc():
            sk_roc_curve(y, s, drop_intermediate=False)
            roc_auc_score(y, s)

        ours_roc(), sklearn_roc()  # warm-up (imports, page faults)
        ours = best_time(ours_roc, repeats)
        ref = best_time(sklearn_roc, repeats)
        results["roc_curve + roc_auc vs sklearn"] = (ours, ref, ours / ref)

        def ours_curve_then_auc():
            fpr, tpr, _ = metrics.roc_curve(y, s)
            metrics.auc(fpr, tpr)

        ours = best_time(ours_curve_then_auc, repeats)
        results["roc_curve + auc(fpr, tpr) vs sklearn"] = (ours, ref, ours / ref)

    def sweep():
        metrics.confusion_at(y, s, thresholds)

    def loop():
        for t in thresholds:
            metrics.confusion_at(y, s, float(t))

    sweep()
    ours = best_time(sweep, repeats)
    ref = best_time(loop, max(1, repeats // 2))
    results["confusion_at: one vectorized call vs a loop"] = (ours, ref, ours / ref)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of scores")
    parser.add_argument("--repeats", type=int, default=5, help="runs per timing (best kept)")
    parser.add_argument("--thresholds", type=int, default=200, help="thresholds in the sweep")
    args = parser.parse_args(argv)
    results = run(n=args.n, repeats=args.repeats, n_thresholds=args.thresholds)
    print(
        f"logreg.metrics, n = {args.n:,} scores, {args.thresholds} thresholds, "
        f"best of {args.repeats}"
    )
    failed = False
    for name, (ours, ref, ratio) in results.items():
        text, ok = verdict(ratio, TARGETS.get(name))
        failed |= not ok
        timing = f"{ours * 1e3:9.1f} ms vs {ref * 1e3:9.1f} ms  ratio {ratio:5.3f}"
        print(f"  {name:45s} {timing}{text}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
