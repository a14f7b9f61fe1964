"""Case history: thin views."""
