"""Writes the realistic imbalanced fixtures of this folder (run once; the files are committed).

    python tests/data/make_credit.py

- ``credit_default.csv``: 10,000 card holders like the well-known "Default" table (student,
  balance, income, default Yes/No), about 3.3% defaulters. The analyst's file of issue 18.
- ``quoted_header_spaces.txt``: a space-separated file whose header quotes each name with single
  quotes, as statistics packages write them (the layout of the Spector & Mazzeo grade data).
- ``market_leak.csv``: daily returns with ``Direction`` Up/Down and a ``Today`` column whose sign
  *is* the direction (a column that gives the answer away).

Everything is seeded, so re-running rewrites identical files.
"""

from pathlib import Path

import numpy as np

HERE = Path(__file__).parent


def credit_default(n=10_000, seed=2026) -> str:
    rng = np.random.default_rng(seed)
    student = rng.random(n) < 0.29
    balance = np.clip(rng.normal(835, 485, n) + 120 * student, 0, None).round(2)
    income = np.clip(rng.normal(40_000, 12_000, n) - 22_000 * student, 800, None).round(2)
    logit = -11.3 + 0.0058 * balance - 0.6 * student + 0.000003 * income
    default = rng.random(n) < 1 / (1 + np.exp(-logit))
    lines = ["student,balance,income,default"]
    for s, b, i, d in zip(student, balance, income, default):
        lines.append(f"{'Yes' if s else 'No'},{b:.2f},{i:.2f},{'Yes' if d else 'No'}")
    return "\n".join(lines) + "\n"


def quoted_header(n=32, seed=7) -> str:
    rng = np.random.default_rng(seed)
    lines = ["'OBS' 'GPA' 'TUCE' 'PSI' 'GRADE'"]
    for i in range(n):
        gpa = rng.uniform(2.0, 4.0)
        tuce = int(rng.integers(12, 29))
        psi = int(rng.random() < 0.45)
        grade = int(rng.random() < 1 / (1 + np.exp(-(-13 + 2.8 * gpa + 0.1 * tuce + 2.4 * psi))))
        lines.append(f"{i + 1:>4} {gpa:6.2f} {tuce:4d} {psi:3d} {grade:3d}")
    return "\n".join(lines) + "\n"


def market_leak(n=1250, seed=11) -> str:
    rng = np.random.default_rng(seed)
    lags = rng.normal(0, 1.2, (n, 3)).round(3)
    volume = rng.uniform(0.5, 3.0, n).round(3)
    today = rng.normal(0.05, 1.2, n).round(3)
    today[today == 0] = 0.001
    lines = ["Lag1,Lag2,Lag3,Volume,Today,Direction"]
    for (l1, l2, l3), v, t in zip(lags, volume, today):
        lines.append(f"{l1},{l2},{l3},{v},{t},{'Up' if t > 0 else 'Down'}")
    return "\n".join(lines) + "\n"


def main() -> None:
    (HERE / "credit_default.csv").write_text(credit_default())
    (HERE / "quoted_header_spaces.txt").write_text(quoted_header())
    (HERE / "market_leak.csv").write_text(market_leak())


if __name__ == "__main__":
    main()
