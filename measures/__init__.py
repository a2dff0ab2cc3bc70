"""Measures plans, measures and their follow-up (issue 3)."""
