"""Benchmark of CareGap's slider path (see README.md); run `python bench/run.py`."""
