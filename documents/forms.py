"""Documents: the forms."""
