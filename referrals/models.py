"""The referral (its risk sensible model) and the team manager's allocation with directions."""
