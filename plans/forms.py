"""Decisions and plans: the forms."""
