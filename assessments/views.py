"""Pre-birth assessments: thin views."""
