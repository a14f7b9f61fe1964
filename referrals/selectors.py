"""Referrals and allocation: every read, scoped to what the user may see."""
