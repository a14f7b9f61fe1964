"""Visits and case notes: thin views."""
