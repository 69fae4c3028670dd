"""Benchmarks: scripts that time logreg against a baseline measured in the same run and print
the ratios with their targets. ``python -m benchmarks`` runs every ``bench_*.py`` in turn."""
