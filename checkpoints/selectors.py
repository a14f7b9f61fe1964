"""Checkpoints and specialist assessments: every read, scoped to what the user may see."""
