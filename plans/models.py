"""Decisions and plans: strategy discussion, ICPC and birth plan, pre-proceedings and the
PLO letter pack, the Becoming Looked After panel.
"""
