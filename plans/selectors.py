"""Decisions and plans: every read, scoped to what the user may see."""
