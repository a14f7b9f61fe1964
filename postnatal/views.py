"""Birth and after: thin views."""
