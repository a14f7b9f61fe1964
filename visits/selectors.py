"""Visits and case notes: every read, scoped to what the user may see."""
