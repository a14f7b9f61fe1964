"""The assessment's checkpoints (10-day, multi-agency meeting, 30-day, ...) and specialist
assessments.
"""
