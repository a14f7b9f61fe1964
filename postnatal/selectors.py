"""Birth and after: every read, scoped to what the user may see."""
