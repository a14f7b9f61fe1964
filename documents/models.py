"""Documents on a case: genograms, chronologies, letters and reports, checked and stored
outside the web root.
"""
