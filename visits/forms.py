"""Visits and case notes: the forms."""
