"""Benchmarks: scripts that print figures (`python -m planner.bench plan|feeds`)."""
