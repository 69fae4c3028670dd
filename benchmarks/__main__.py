"""Run every ``benchmarks/bench_*.py`` in turn, each in its own process, and print its output.

Each script is a fresh interpreter, so one benchmark's memory, caches and threads never disturb
the next. Exit status 1 if any script failed or missed a target. Run from the project root:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python -m benchmarks
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    failed = []
    for script in scripts:
        print(f"=== {script.name}", flush=True)
        start = time.perf_counter()
        # Output goes straight through, so a long benchmark shows progress as it prints.
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        seconds = time.perf_counter() - start
        print(f"=== {script.name}: exit {code} in {seconds:.0f} s\n", flush=True)
        if code != 0:
            failed.append(script.name)
    if failed:
        print(f"Missed a target or failed: {', '.join(failed)}")
    else:
        print(f"All {len(scripts)} benchmarks met their targets.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
