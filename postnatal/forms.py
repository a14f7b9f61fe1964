"""Birth and after: the forms."""
