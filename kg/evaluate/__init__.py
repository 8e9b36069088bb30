"""Scoring extraction against gold annotations (the shared scorer's matching rules, reimplemented for speed)."""
