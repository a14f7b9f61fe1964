"""Checkpoints and specialist assessments: thin views."""
