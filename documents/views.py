"""Documents: thin views."""
