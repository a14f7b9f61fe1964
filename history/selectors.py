"""Case history: every read, scoped to what the user may see."""
