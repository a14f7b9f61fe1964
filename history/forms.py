"""Case history: the forms."""
