"""Benchmarks run by hand (`scripts/portal bench`); not part of the test suite. See README.md."""
