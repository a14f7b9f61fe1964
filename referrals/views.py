"""Referrals and allocation: thin views."""
