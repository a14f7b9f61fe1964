"""Referrals and allocation: the forms."""
