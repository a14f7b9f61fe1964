"""Decisions and plans: thin views."""
