"""Benchmarks of the source checkout (not installed with the package); ``tools/benchmark.py`` is their entry."""
