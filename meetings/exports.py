"""Tracking meeting exports: the Appendix 1 record and Appendix 2 case notes."""
