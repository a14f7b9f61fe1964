"""Domain rules of the pre-birth procedure, in plain Python (no Django imports)."""
