"""Pre-birth assessments: the forms."""
