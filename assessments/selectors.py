"""Pre-birth assessments: every read, scoped to what the user may see."""
