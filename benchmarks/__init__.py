"""Measured, side-by-side benchmarks; run each as python -m benchmarks.NAME."""
