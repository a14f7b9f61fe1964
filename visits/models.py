"""Visits and case notes, recorded in under two minutes on a phone."""
