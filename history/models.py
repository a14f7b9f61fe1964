"""One chronological record of everything on a case, filterable and printable."""
