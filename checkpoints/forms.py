"""Checkpoints and specialist assessments: the forms."""
